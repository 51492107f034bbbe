"""The local AWS's network: a Studio-and-EMR account as customers run one.

``seed(endpoint)`` (called from ``local_aws.seed``; idempotent) creates:

- ``emr-schedule-studio`` (10.20.0.0/16): a public subnet with an internet gateway and a NAT
  gateway; a private subnet routed through the NAT gateway; a private subnet with VPC endpoints
  only (interface endpoints with private DNS for STS, EMR, Secrets Manager, EMR Serverless and
  its Livy endpoints, whose group admits HTTPS from the domain's group, and S3's gateway endpoint
  on its route table); a private subnet for the clusters;
- a ``VpcOnly`` domain on the two private job subnets with its security group, a user profile
  and a space (SPACE_NAME, as demo/studio.py's metadata names it), and a ``PublicInternetOnly``
  domain to switch to;
- three clusters: a Kerberos one whose primary node admits the domain's group on 8998 and 88
  (UDP and TCP), one whose primary node admits only another group, and one in a second VPC,
  ``emr-schedule-other`` (10.30.0.0/16), with no peering.

moto 5 places a cluster's instances in the default VPC whatever ``Ec2SubnetId`` says; the
network check reads the cluster's network from ``Ec2InstanceAttributes``, as AWS documents it.
moto answers DescribeDomain but not DescribeSpace or DescribeUserProfile:
``_spaces_and_user_profiles`` adds them (and their Create calls) to the server in this process.
A cluster tagged ``PRIMARY_NODE_NAME_TAG`` gets that tag's value as its primary node's private DNS
name (``_tagged_primary_node_names``): a test puts a primary node on this machine ("localhost")
to probe it.
"""

from __future__ import annotations

import json
from typing import Any

import local_aws

STUDIO_VPC = "emr-schedule-studio"
OTHER_VPC = "emr-schedule-other"
VPC_ONLY_DOMAIN = "emr-schedule-vpc"
PUBLIC_DOMAIN = "emr-schedule-public"
SPACE_NAME = "emr-schedule-demo"
USER_PROFILE = "analyst-1"
#: The role Studio's jobs run as (demo/studio.py creates it); a name here, nothing more.
EXECUTION_ROLE = f"arn:aws:iam::{local_aws.ACCOUNT}:role/SagemakerJupyterSchedulerEmrNotebookJobs"

#: Subnets by role: (tag Name, CIDR block).
SUBNETS = {
    "public": ("studio-public", "10.20.0.0/24"),
    "nat": ("studio-private-nat", "10.20.1.0/24"),
    "endpoints": ("studio-private-endpoints", "10.20.2.0/24"),
    "emr": ("studio-private-emr", "10.20.3.0/24"),
}
OTHER_SUBNET = ("other-private-emr", "10.30.1.0/24")
INTERFACE_ENDPOINTS = [
    "sts",
    "elasticmapreduce",
    "secretsmanager",
    "emr-serverless",
    "emr-serverless-services.livy",
]

#: The clusters' names: none holds another seeded name or a word the tests search for
#: ("kerberos", "ldap", "nightly"), since tests find the seeded clusters by name.
KERBEROS_CLUSTER = "studio-vpc-krb5"
OTHER_GROUP_CLUSTER = "studio-vpc-other-group"
OTHER_VPC_CLUSTER = "other-vpc-no-peering"


def _tagged(name: str) -> list[dict]:
    return [{"Key": "Name", "Value": name}]


def _find_vpc(ec2, name: str) -> str | None:
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])["Vpcs"]
    return vpcs[0]["VpcId"] if vpcs else None


def _vpc(ec2, name: str, cidr: str) -> str:
    vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=[{"ResourceType": "vpc", "Tags": _tagged(name)}])
    vpc_id = vpc["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    return vpc_id


def _subnet(ec2, vpc_id: str, name: str, cidr: str) -> str:
    return ec2.create_subnet(
        VpcId=vpc_id,
        CidrBlock=cidr,
        AvailabilityZone=f"{local_aws.REGION}a",
        TagSpecifications=[{"ResourceType": "subnet", "Tags": _tagged(name)}],
    )["Subnet"]["SubnetId"]


def _route_table(ec2, vpc_id: str, name: str, subnets: list[str]) -> str:
    table = ec2.create_route_table(
        VpcId=vpc_id, TagSpecifications=[{"ResourceType": "route-table", "Tags": _tagged(name)}]
    )["RouteTable"]["RouteTableId"]
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    return table


def _group(ec2, vpc_id: str, name: str, description: str) -> str:
    return ec2.create_security_group(GroupName=name, Description=description, VpcId=vpc_id)["GroupId"]


def _admit(ec2, group: str, protocol: str, port: int, *, source_group: str = "", cidr: str = "") -> None:
    peer: dict[str, Any] = {"IpRanges": [{"CidrIp": cidr}]}
    if source_group:
        peer = {"UserIdGroupPairs": [{"GroupId": source_group}]}
    ec2.authorize_security_group_ingress(
        GroupId=group, IpPermissions=[{"IpProtocol": protocol, "FromPort": port, "ToPort": port, **peer}]
    )


def _studio_vpc(ec2) -> dict[str, str]:
    """The Studio VPC and what lives in it; returns the ids by role."""
    ids: dict[str, str] = {}
    vpc = ids["vpc"] = _vpc(ec2, STUDIO_VPC, "10.20.0.0/16")
    for role, (name, cidr) in SUBNETS.items():
        ids[role] = _subnet(ec2, vpc, name, cidr)

    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public = _route_table(ec2, vpc, "studio-public", [ids["public"]])
    ec2.create_route(RouteTableId=public, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)

    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=ids["public"], AllocationId=allocation)["NatGateway"]
    nat = nat["NatGatewayId"]
    private_nat = _route_table(ec2, vpc, "studio-private-nat", [ids["nat"], ids["emr"]])
    ec2.create_route(RouteTableId=private_nat, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    endpoints_only = _route_table(ec2, vpc, "studio-private-endpoints", [ids["endpoints"]])

    domain_group = ids["domain_group"] = _group(
        ec2, vpc, "studio-domain", "SageMaker Studio domain emr-schedule-vpc: its apps and jobs"
    )
    ids["analysts"] = _group(ec2, vpc, "analysts", "Analysts' workstations")
    endpoint_group = _group(ec2, vpc, "vpc-endpoints", "Interface endpoints: HTTPS from the domain")
    _admit(ec2, endpoint_group, "tcp", 443, source_group=domain_group)
    for service in INTERFACE_ENDPOINTS:
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            VpcEndpointType="Interface",
            ServiceName=f"com.amazonaws.{local_aws.REGION}.{service}",
            SubnetIds=[ids["endpoints"]],
            SecurityGroupIds=[endpoint_group],
            PrivateDnsEnabled=True,
        )
    ec2.create_vpc_endpoint(
        VpcId=vpc,
        VpcEndpointType="Gateway",
        ServiceName=f"com.amazonaws.{local_aws.REGION}.s3",
        RouteTableIds=[endpoints_only],
    )

    # The primary nodes' groups: the Kerberos cluster's admits the domain (AWS's documented
    # Studio setup), the other's only the analysts.
    kerberos = ids["kerberos_primary"] = _group(
        ec2, vpc, "emr-primary-studio", "EMR primary node: Livy and the KDC for Studio"
    )
    _admit(ec2, kerberos, "tcp", 8998, source_group=domain_group)
    _admit(ec2, kerberos, "tcp", 88, source_group=domain_group)
    _admit(ec2, kerberos, "udp", 88, source_group=domain_group)
    restricted = ids["restricted_primary"] = _group(
        ec2, vpc, "emr-primary-analysts", "EMR primary node: Livy for the analysts only"
    )
    _admit(ec2, restricted, "tcp", 8998, source_group=ids["analysts"])
    return ids


def _other_vpc(ec2) -> dict[str, str]:
    vpc = _vpc(ec2, OTHER_VPC, "10.30.0.0/16")
    subnet = _subnet(ec2, vpc, *OTHER_SUBNET)
    _route_table(ec2, vpc, "other-private", [subnet])
    primary = _group(ec2, vpc, "emr-primary-other", "EMR primary node in the other VPC")
    # It admits the Studio VPC's addresses; without peering no packet gets there.
    _admit(ec2, primary, "tcp", 8998, cidr="10.20.0.0/16")
    return {"vpc": vpc, "subnet": subnet, "primary": primary}


def _ids_by_name(ec2, vpc: str) -> dict[str, str]:
    in_vpc = [{"Name": "vpc-id", "Values": [vpc]}]
    found = {}
    for s in ec2.describe_subnets(Filters=in_vpc)["Subnets"]:
        name = next((t["Value"] for t in s.get("Tags", []) if t["Key"] == "Name"), "")
        found[name] = s["SubnetId"]
    for g in ec2.describe_security_groups(Filters=in_vpc)["SecurityGroups"]:
        found[g["GroupName"]] = g["GroupId"]
    return found


def network_ids(endpoint: str) -> dict[str, str]:
    """The seeded network's ids by role, for the demo and the tests."""
    ec2 = local_aws.client("ec2", endpoint)
    studio = _find_vpc(ec2, STUDIO_VPC)
    other = _find_vpc(ec2, OTHER_VPC)
    if not studio or not other:
        raise LookupError("the local AWS's network is not seeded")
    s = _ids_by_name(ec2, studio)
    o = _ids_by_name(ec2, other)
    return {
        "vpc": studio,
        **{role: s[name] for role, (name, _) in SUBNETS.items()},
        "domain_group": s["studio-domain"],
        "analysts": s["analysts"],
        "endpoint_group": s["vpc-endpoints"],
        "kerberos_primary": s["emr-primary-studio"],
        "restricted_primary": s["emr-primary-analysts"],
        "other_vpc": other,
        "other_subnet": o[OTHER_SUBNET[0]],
        "other_primary": o["emr-primary-other"],
    }


def _domains(sm, ids: dict[str, str]) -> None:
    existing = {d["DomainName"] for d in sm.list_domains()["Domains"]}
    if VPC_ONLY_DOMAIN not in existing:
        settings = {"ExecutionRole": EXECUTION_ROLE, "SecurityGroups": [ids["domain_group"]]}
        domain_id = sm.create_domain(
            DomainName=VPC_ONLY_DOMAIN,
            AuthMode="IAM",
            AppNetworkAccessType="VpcOnly",
            DefaultUserSettings=settings,
            DefaultSpaceSettings=settings,
            SubnetIds=[ids["nat"], ids["endpoints"]],
            VpcId=ids["vpc"],
        )["DomainArn"].rsplit("/", 1)[-1]
        sm.create_user_profile(
            DomainId=domain_id,
            UserProfileName=USER_PROFILE,
            UserSettings={"ExecutionRole": EXECUTION_ROLE, "SecurityGroups": [ids["domain_group"]]},
        )
        sm.create_space(
            DomainId=domain_id,
            SpaceName=SPACE_NAME,
            OwnershipSettings={"OwnerUserProfileName": USER_PROFILE},
            SpaceSharingSettings={"SharingType": "Private"},
        )
    if PUBLIC_DOMAIN not in existing:
        sm.create_domain(
            DomainName=PUBLIC_DOMAIN,
            AuthMode="IAM",
            AppNetworkAccessType="PublicInternetOnly",
            DefaultUserSettings={"ExecutionRole": EXECUTION_ROLE},
            SubnetIds=[ids["public"]],
            VpcId=ids["vpc"],
        )


def domain_id(endpoint: str, name: str = VPC_ONLY_DOMAIN) -> str:
    sm = local_aws.client("sagemaker", endpoint)
    for d in sm.list_domains()["Domains"]:
        if d["DomainName"] == name:
            return d["DomainId"]
    raise LookupError(name)


def _clusters(emr, ids: dict[str, str]) -> None:
    states = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
    active = set(local_aws._cluster_names(emr, states))
    specs = [
        (
            KERBEROS_CLUSTER,
            ids["emr"],
            ids["kerberos_primary"],
            {
                "SecurityConfiguration": local_aws.KERBEROS_SECURITY_CONFIGURATION,
                "KerberosAttributes": {"Realm": "EC2.INTERNAL", "KdcAdminPassword": "kdc-admin-demo"},
            },
        ),
        (OTHER_GROUP_CLUSTER, ids["emr"], ids["restricted_primary"], {}),
        (OTHER_VPC_CLUSTER, ids["other_subnet"], ids["other_primary"], {}),
    ]
    for name, subnet, primary, extra in specs:
        if name in active:
            continue
        instances = {
            **local_aws.INSTANCE_GROUPS,
            "Ec2SubnetId": subnet,
            "EmrManagedMasterSecurityGroup": primary,
        }
        local_aws._run_cluster(emr, {"Name": name, "Applications": local_aws.SPARK_APPS, **extra}, instances)


def seed(endpoint: str) -> None:
    """Creates the network, the domains and the clusters that are missing (needs the Kerberos
    security configuration ``local_aws.seed`` creates first)."""
    _spaces_and_user_profiles()
    _stop_training_job()
    _tagged_primary_node_names()
    ec2 = local_aws.client("ec2", endpoint)
    if not _find_vpc(ec2, STUDIO_VPC):
        _studio_vpc(ec2)
    if not _find_vpc(ec2, OTHER_VPC):
        _other_vpc(ec2)
    ids = network_ids(endpoint)
    _domains(local_aws.client("sagemaker", endpoint), ids)
    _clusters(local_aws.client("emr", endpoint), ids)


# --- SageMaker spaces and user profiles, which moto does not answer --------------------------------


def _spaces_and_user_profiles() -> None:
    """Makes the local AWS answer CreateUserProfile, DescribeUserProfile, CreateSpace and
    DescribeSpace as SageMaker does (the fields SageMaker's scheduler plugin and the network
    check read), and ListTags for those spaces and user profiles (SageMaker's plugin copies
    their tags onto each job it creates). Kept on the SageMaker backend of the moto server in
    this process."""
    from moto.sagemaker.exceptions import ResourceNotFound
    from moto.sagemaker.responses import SageMakerResponse

    if getattr(SageMakerResponse, "spaces_and_user_profiles", False):
        return

    def store(backend, kind: str) -> dict:
        if not hasattr(backend, "emr_schedule_store"):
            backend.emr_schedule_store = {"spaces": {}, "user_profiles": {}}
        return backend.emr_schedule_store[kind]

    def arn(self, kind: str, domain: str, name: str) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.current_account}:{kind}/{domain}/{name}"

    def domain_of(self) -> str:
        domain = self._get_param("DomainId")
        self.sagemaker_backend.describe_domain(domain_id=domain)  # a missing domain is refused
        return domain

    def create_user_profile(self):
        domain, name = domain_of(self), self._get_param("UserProfileName")
        profile = {
            "DomainId": domain,
            "UserProfileArn": arn(self, "user-profile", domain, name),
            "UserProfileName": name,
            "Status": "InService",
            "UserSettings": self._get_param("UserSettings") or {},
            "Tags": self._get_param("Tags") or [],
        }
        store(self.sagemaker_backend, "user_profiles")[(domain, name)] = profile
        return json.dumps({"UserProfileArn": profile["UserProfileArn"]})

    def describe_user_profile(self):
        key = (self._get_param("DomainId"), self._get_param("UserProfileName"))
        profile = store(self.sagemaker_backend, "user_profiles").get(key)
        if profile is None:
            raise ResourceNotFound(f"User profile {key[1]} does not exist in domain {key[0]}.")
        return json.dumps({k: v for k, v in profile.items() if k != "Tags"})

    def create_space(self):
        domain, name = domain_of(self), self._get_param("SpaceName")
        space = {
            "DomainId": domain,
            "SpaceArn": arn(self, "space", domain, name),
            "SpaceName": name,
            "Status": "InService",
            "SpaceSettings": self._get_param("SpaceSettings") or {},
            "OwnershipSettings": self._get_param("OwnershipSettings") or {},
            "SpaceSharingSettings": self._get_param("SpaceSharingSettings") or {},
            "Tags": self._get_param("Tags") or [],
        }
        store(self.sagemaker_backend, "spaces")[(domain, name)] = space
        return json.dumps({"SpaceArn": space["SpaceArn"]})

    def describe_space(self):
        key = (self._get_param("DomainId"), self._get_param("SpaceName"))
        space = store(self.sagemaker_backend, "spaces").get(key)
        if space is None:
            raise ResourceNotFound(f"Space {key[1]} does not exist in domain {key[0]}.")
        return json.dumps({k: v for k, v in space.items() if k != "Tags"})

    list_tags_of_others = SageMakerResponse.list_tags

    def list_tags(self):
        arn_ = self._get_param("ResourceArn") or ""
        for kind, arn_key in (("spaces", "SpaceArn"), ("user_profiles", "UserProfileArn")):
            for item in store(self.sagemaker_backend, kind).values():
                if item[arn_key] == arn_:
                    return json.dumps({"Tags": item["Tags"]})
        return list_tags_of_others(self)

    SageMakerResponse.create_user_profile = create_user_profile
    SageMakerResponse.describe_user_profile = describe_user_profile
    SageMakerResponse.create_space = create_space
    SageMakerResponse.describe_space = describe_space
    SageMakerResponse.list_tags = list_tags
    SageMakerResponse.spaces_and_user_profiles = True


def _stop_training_job() -> None:
    """Makes the local AWS answer StopTrainingJob as SageMaker does: a job in progress is
    stopped; any other is refused with SageMaker's ValidationException (which SageMaker's
    scheduler plugin expects when it deletes a job that has ended); a job that does not exist is
    refused as DescribeTrainingJob refuses it. moto has no StopTrainingJob, and its training jobs
    are Completed from the start, so here a stop is always refused."""
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.responses import SageMakerResponse

    if getattr(SageMakerResponse, "stops_training_jobs", False):
        return

    def stop_training_job(self):
        name = self._get_param("TrainingJobName")
        self.sagemaker_backend.describe_training_job(name)  # a missing job is refused
        job = self.sagemaker_backend.training_jobs[name]
        if job.training_job_status != "InProgress":
            raise ValidationError(
                message=f"The request was rejected because the training job is in status "
                f"{job.training_job_status}."
            )
        job.training_job_status = job.secondary_status = "Stopped"
        return "{}"

    SageMakerResponse.stop_training_job = stop_training_job
    SageMakerResponse.stops_training_jobs = True


# --- a primary node on this machine, for a test that probes it ----------------------------------

#: A cluster with this tag has the tag's value as its primary node's private DNS name.
PRIMARY_NODE_NAME_TAG = "local-aws:primary-node-name"


def _tagged_primary_node_names() -> None:
    """Makes the local AWS name a tagged cluster's primary node as the tag says (ListInstances'
    PrivateDnsName, the name the analytics magic connects to). Other nodes keep their names; a
    name another patch gives (it wraps this one, or this one wraps it) stays in force for them."""
    from moto.emr.models import Instance, emr_backends

    if getattr(Instance.private_dns_name.fget, "tagged", False):
        return
    named = Instance.private_dns_name

    def cluster_tags(cluster_id: str) -> dict:
        for account in emr_backends.values():
            for backend in account.values():
                cluster = backend.clusters.get(cluster_id)
                if cluster is not None:
                    # moto keeps RunJobFlow's tags as given (a list), AddTags' as a dict.
                    tags = cluster.tags or {}
                    if isinstance(tags, list):
                        return {t.get("Key"): t.get("Value") for t in tags}
                    return dict(tags)
        return {}

    def private_dns_name(instance) -> str:
        group = instance.instance_group
        if group.role == "MASTER":
            name = cluster_tags(group.cluster_id).get(PRIMARY_NODE_NAME_TAG)
            if name:
                return name
        return named.fget(instance)

    private_dns_name.tagged = True  # type: ignore[attr-defined]
    Instance.private_dns_name = property(private_dns_name)
