"""GET ``<base_url>emr-schedule/network``: the facts of a scheduled run's network.

The network check (src/core/network: one evaluator shared by the panel, the admin command line
and the tests) works from what AWS says about the cluster, the job's subnets and security groups,
their VPCs and the SageMaker domain. This route gathers those facts with read-only calls, paged
where AWS pages, and answers them in AWS's own shapes, cut to the fields the check reads (never
a password: DescribeCluster's KerberosAttributes keep only the realm). A call the server's role
may not make is answered as every route answers it: 403 with the action and a policy that
grants it.

Query: ``cluster_id`` (an EMR cluster) or ``application_id`` (EMR Serverless); ``subnets`` and
``security_groups`` (comma-separated; absent: the domain's, as SageMaker's form preselects them);
``domain_id`` with ``space_name`` or ``user_profile_name`` (absent: Studio's app metadata names
them, as it does for SageMaker's scheduler plugin).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from pathlib import Path

import tornado
from jupyter_server.auth.decorator import authorized

from . import aws
from .handlers import APPLICATION_ID, CLUSTER_ID, BadRequest, BaseHandler

#: Studio's app metadata (a fixed path; SageMaker's plugin and the analytics magic read it too).
METADATA = Path("/opt/ml/metadata/resource-metadata.json")

SUBNET_ID = re.compile(r"subnet-[0-9a-f]{8,17}")
GROUP_ID = re.compile(r"sg-[0-9a-f]{8,17}")
#: SageMaker's own patterns (botocore's model).
DOMAIN_ID = re.compile(r"d-(-*[a-z0-9]){1,61}")
SPACE_OR_PROFILE = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
WHAT = ("domain id (d-...)", "space name", "user profile name")
#: A job's VpcConfig holds at most 16 subnets and 5 groups.
MAX_SUBNETS, MAX_GROUPS = 16, 5

#: Every action the route may call, for the server's policy.
ACTIONS = [
    "elasticmapreduce:DescribeCluster",
    "elasticmapreduce:ListInstances",
    "elasticmapreduce:ListInstanceGroups",
    "elasticmapreduce:DescribeSecurityConfiguration",
    "ec2:DescribeSubnets",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcPeeringConnections",
    "sagemaker:DescribeDomain",
    "sagemaker:DescribeSpace",
    "sagemaker:DescribeUserProfile",
]


class _Reader:
    """AWS calls for one check, counted (the check's cost is reported with its facts)."""

    def __init__(self):
        self.calls = 0

    def call(self, service: str, action: str, method: str, **kwargs) -> dict:
        self.calls += 1
        return aws._call(service, action, method, **kwargs)

    def pages(self, service: str, action: str, method: str, key: str, token: str = "NextToken", **kwargs):
        items: list = []
        marker = None
        while True:
            args = dict(kwargs)
            if marker:
                args[token] = marker
            page = self.call(service, action, method, **args)
            items.extend(page.get(key, []))
            marker = page.get(token)
            if not marker:
                return items

    def ec2(self, operation: str, key: str, filters: list[dict]) -> list:
        method = re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
        return self.pages("ec2", f"ec2:{operation}", method, key, Filters=filters)


def _pick(item: dict, *fields: str) -> dict:
    return {f: item[f] for f in fields if item.get(f) is not None}


# --- the cluster -------------------------------------------------------------------------------


def _kerberos_configuration(reader: _Reader, name: str) -> dict | None:
    body = reader.call(
        "emr",
        "elasticmapreduce:DescribeSecurityConfiguration",
        "describe_security_configuration",
        Name=name,
    ).get("SecurityConfiguration", "{}")
    try:
        conf = json.loads(body)
    except ValueError:
        return None
    kerberos = (conf.get("AuthenticationConfiguration") or {}).get("KerberosConfiguration")
    if not isinstance(kerberos, dict):
        return None
    # Provider and servers only: nothing else of the security configuration goes to the browser.
    dedicated = kerberos.get("ClusterDedicatedKdcConfiguration") or {}
    external = kerberos.get("ExternalKdcConfiguration") or {}
    out: dict = {"Provider": kerberos.get("Provider")}
    trust = dedicated.get("CrossRealmTrustConfiguration")
    if dedicated:
        out["ClusterDedicatedKdcConfiguration"] = {}
        if isinstance(trust, dict):
            out["ClusterDedicatedKdcConfiguration"]["CrossRealmTrustConfiguration"] = _pick(
                trust, "Realm", "Domain", "KdcServer", "AdminServer"
            )
    if external:
        out["ExternalKdcConfiguration"] = _pick(external, "KdcServerType", "KdcServer", "AdminServer")
        ad = external.get("AdIntegrationConfiguration")
        if isinstance(ad, dict):
            out["ExternalKdcConfiguration"]["AdIntegrationConfiguration"] = _pick(
                ad, "AdRealm", "AdDomain", "AdServer"
            )
    return out


def _cluster(reader: _Reader, cluster_id: str) -> dict:
    try:
        c = reader.call("emr", "elasticmapreduce:DescribeCluster", "describe_cluster", ClusterId=cluster_id)[
            "Cluster"
        ]
    except aws.AwsError as err:
        missing = err.status == 400 and "not found" in err.message.lower()
        if err.code == "InvalidRequestException" or missing:
            raise aws.AwsError(
                404, "ClusterNotFound", f"No EMR cluster {cluster_id} in this account and region."
            ) from err
        raise
    attrs = c.get("Ec2InstanceAttributes") or {}
    facts = {
        **_pick(c, "Id", "Name", "MasterPublicDnsName", "InstanceCollectionType", "SecurityConfiguration"),
        "State": (c.get("Status") or {}).get("State"),
        "Ec2InstanceAttributes": _pick(
            attrs, "Ec2SubnetId", "EmrManagedMasterSecurityGroup", "AdditionalMasterSecurityGroups"
        ),
        "Configurations": c.get("Configurations") or [],
        "KerberosAttributes": _pick(c.get("KerberosAttributes") or {}, "Realm"),
        "PrimaryInstance": None,
    }
    if (c.get("InstanceCollectionType") or "INSTANCE_GROUP") == "INSTANCE_GROUP":
        groups = reader.pages(
            "emr",
            "elasticmapreduce:ListInstanceGroups",
            "list_instance_groups",
            "InstanceGroups",
            token="Marker",
            ClusterId=cluster_id,
        )
        primary = [g for g in groups if g.get("InstanceGroupType") == "MASTER"]
        facts["PrimaryInstanceGroupConfigurations"] = (
            (primary[0].get("Configurations") or []) if primary else []
        )
    if c.get("SecurityConfiguration"):
        facts["KerberosConfiguration"] = _kerberos_configuration(reader, c["SecurityConfiguration"])
    dns = c.get("MasterPublicDnsName")
    if dns:
        # As sagemaker-studio-sparkmagic-lib finds the primary node: the instance whose public or
        # private DNS name is MasterPublicDnsName.
        for instance in reader.pages(
            "emr",
            "elasticmapreduce:ListInstances",
            "list_instances",
            "Instances",
            token="Marker",
            ClusterId=cluster_id,
        ):
            if dns in (instance.get("PublicDnsName"), instance.get("PrivateDnsName")):
                facts["PrimaryInstance"] = _pick(
                    instance, "Ec2InstanceId", "PrivateDnsName", "PrivateIpAddress", "PublicDnsName"
                )
    return facts


# --- the domain ----------------------------------------------------------------------------------


def studio_metadata(path: Path | None = None) -> dict:
    """The domain, space and user profile Studio's app metadata names ({} outside Studio)."""
    try:
        data = json.loads((path or METADATA).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    found = {
        "domain_id": data.get("DomainId") or "",
        "space_name": data.get("SpaceName") or "",
        "user_profile_name": data.get("UserProfileName") or "",
    }
    valid = (DOMAIN_ID, SPACE_OR_PROFILE, SPACE_OR_PROFILE)
    return {k: v for (k, v), p in zip(found.items(), valid) if isinstance(v, str) and p.fullmatch(v)}


def _domain(reader: _Reader, domain_id: str, space_name: str, user_profile_name: str) -> dict:
    d = reader.call("sagemaker", "sagemaker:DescribeDomain", "describe_domain", DomainId=domain_id)
    facts = {
        **_pick(d, "DomainId", "DomainName", "AppNetworkAccessType", "VpcId", "SubnetIds"),
        "DefaultUserSettings": _pick(d.get("DefaultUserSettings") or {}, "SecurityGroups"),
        "DefaultSpaceSettings": _pick(d.get("DefaultSpaceSettings") or {}, "SecurityGroups"),
        "UserProfile": None,
        "Space": None,
    }
    if space_name:
        s = reader.call(
            "sagemaker", "sagemaker:DescribeSpace", "describe_space", DomainId=domain_id, SpaceName=space_name
        )
        facts["Space"] = _pick(s, "SpaceName", "OwnershipSettings", "SpaceSharingSettings")
    elif user_profile_name:
        u = reader.call(
            "sagemaker",
            "sagemaker:DescribeUserProfile",
            "describe_user_profile",
            DomainId=domain_id,
            UserProfileName=user_profile_name,
        )
        facts["UserProfile"] = {
            "UserProfileName": u.get("UserProfileName", user_profile_name),
            "UserSettings": _pick(u.get("UserSettings") or {}, "SecurityGroups"),
        }
    return facts


# --- the VPCs ------------------------------------------------------------------------------------

ROUTE_FIELDS = (
    "DestinationCidrBlock",
    "DestinationPrefixListId",
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "InstanceId",
    "State",
)
RULE_FIELDS = (
    "IpProtocol",
    "FromPort",
    "ToPort",
    "IpRanges",
    "Ipv6Ranges",
    "PrefixListIds",
    "UserIdGroupPairs",
)


def _group(g: dict) -> dict:
    return {
        **_pick(g, "GroupId", "GroupName", "VpcId"),
        "IpPermissions": [_pick(r, *RULE_FIELDS) for r in g.get("IpPermissions") or []],
        "IpPermissionsEgress": [_pick(r, *RULE_FIELDS) for r in g.get("IpPermissionsEgress") or []],
    }


def _vpcs(reader: _Reader, vpcs: list[str], subnets: list[dict], groups: list[str]) -> dict:
    """Subnets, route tables, security groups, endpoints and peerings of the VPCs."""
    in_vpcs = [{"Name": "vpc-id", "Values": vpcs}]
    known = {s["SubnetId"] for s in subnets}
    subnets = subnets + [
        s for s in reader.ec2("DescribeSubnets", "Subnets", in_vpcs) if s["SubnetId"] not in known
    ]
    found_groups = reader.ec2("DescribeSecurityGroups", "SecurityGroups", in_vpcs)
    outside = sorted(set(groups) - {g["GroupId"] for g in found_groups})
    if outside:
        found_groups += reader.ec2(
            "DescribeSecurityGroups", "SecurityGroups", [{"Name": "group-id", "Values": outside}]
        )
    peerings: dict[str, dict] = {}
    for side in ("requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id"):
        for p in reader.ec2(
            "DescribeVpcPeeringConnections", "VpcPeeringConnections", [{"Name": side, "Values": vpcs}]
        ):
            info = ("VpcId", "OwnerId", "Region", "CidrBlock")
            peerings[p["VpcPeeringConnectionId"]] = {
                "VpcPeeringConnectionId": p["VpcPeeringConnectionId"],
                "Status": _pick(p.get("Status") or {}, "Code"),
                "RequesterVpcInfo": _pick(p.get("RequesterVpcInfo") or {}, *info),
                "AccepterVpcInfo": _pick(p.get("AccepterVpcInfo") or {}, *info),
            }
    return {
        "subnets": [
            _pick(s, "SubnetId", "VpcId", "CidrBlock", "AvailabilityZone", "MapPublicIpOnLaunch", "Tags")
            for s in subnets
        ],
        "routeTables": [
            {
                **_pick(t, "RouteTableId", "VpcId"),
                "Associations": [_pick(a, "SubnetId", "Main") for a in t.get("Associations") or []],
                "Routes": [_pick(r, *ROUTE_FIELDS) for r in t.get("Routes") or []],
            }
            for t in reader.ec2("DescribeRouteTables", "RouteTables", in_vpcs)
        ],
        "securityGroups": [_group(g) for g in found_groups],
        "vpcEndpoints": [
            {
                **_pick(
                    e,
                    "VpcEndpointId",
                    "VpcEndpointType",
                    "ServiceName",
                    "VpcId",
                    "State",
                    "PrivateDnsEnabled",
                    "SubnetIds",
                    "RouteTableIds",
                ),
                "Groups": [_pick(g, "GroupId", "GroupName") for g in e.get("Groups") or []],
            }
            for e in reader.ec2("DescribeVpcEndpoints", "VpcEndpoints", in_vpcs)
        ],
        "vpcPeeringConnections": list(peerings.values()),
    }


def gather(
    *,
    cluster_id: str = "",
    application_id: str = "",
    subnets: list[str] | None = None,
    security_groups: list[str] | None = None,
    domain_id: str = "",
    space_name: str = "",
    user_profile_name: str = "",
) -> dict:
    """The facts of one check (src/core/network/facts.ts, INetworkFacts), and ``awsCalls``."""
    reader = _Reader()
    region = aws.client("ec2").meta.region_name
    facts: dict = {
        "region": region,
        "target": "cluster" if cluster_id else "serverless",
        "cluster": _cluster(reader, cluster_id) if cluster_id else None,
        "applicationId": application_id or None,
        "request": {
            k: v for k, v in (("subnets", subnets), ("securityGroups", security_groups)) if v is not None
        },
        "domain": _domain(reader, domain_id, space_name, user_profile_name) if domain_id else None,
    }
    vpcs: list[str] = []
    named = list(subnets or [])
    cluster_subnet = ((facts["cluster"] or {}).get("Ec2InstanceAttributes") or {}).get("Ec2SubnetId")
    if cluster_subnet:
        named.append(cluster_subnet)
    found = (
        reader.ec2("DescribeSubnets", "Subnets", [{"Name": "subnet-id", "Values": sorted(set(named))}])
        if named
        else []
    )
    for vpc in [*(s["VpcId"] for s in found), (facts["domain"] or {}).get("VpcId")]:
        if vpc and vpc not in vpcs:
            vpcs.append(vpc)
    if vpcs:
        facts.update(_vpcs(reader, vpcs, found, list(security_groups or [])))
    else:
        facts.update(subnets=[], routeTables=[], securityGroups=[], vpcEndpoints=[], vpcPeeringConnections=[])
    facts["awsCalls"] = reader.calls
    return facts


class NetworkHandler(BaseHandler):
    """The facts of a job's network, for the network check."""

    def _ids(self, name: str, pattern: re.Pattern, limit: int, what: str) -> list[str] | None:
        if name not in self.request.query_arguments:
            return None
        text = self.get_query_argument(name, "")
        ids = [i for i in text.split(",") if i]
        if len(ids) > limit or not all(pattern.fullmatch(i) for i in ids):
            raise BadRequest(name, f"{name} is a comma-separated list of at most {limit} {what} ids.")
        return list(dict.fromkeys(ids))

    @tornado.web.authenticated
    @authorized
    async def get(self):
        cluster_id = self.get_query_argument("cluster_id", "")
        application_id = self.get_query_argument("application_id", "")
        if bool(cluster_id) == bool(application_id):
            raise BadRequest(
                "cluster_id", "Give cluster_id (an EMR cluster) or application_id (EMR Serverless)."
            )
        if cluster_id and not CLUSTER_ID.fullmatch(cluster_id):
            raise BadRequest("cluster_id", "A cluster id is j- followed by capital letters and digits.")
        if application_id and not APPLICATION_ID.fullmatch(application_id):
            raise BadRequest(
                "application_id", "An application id holds 1 to 64 lowercase letters and digits."
            )
        subnets = self._ids("subnets", SUBNET_ID, MAX_SUBNETS, "subnet")
        groups = self._ids("security_groups", GROUP_ID, MAX_GROUPS, "security group")
        names = ("domain_id", "space_name", "user_profile_name")
        given = {n: self.get_query_argument(n, "") for n in names}
        where = given if given["domain_id"] else {**given, **studio_metadata()}
        for name, pattern, what in zip(names, (DOMAIN_ID, SPACE_OR_PROFILE, SPACE_OR_PROFILE), WHAT):
            if where.get(name) and not pattern.fullmatch(where[name]):
                raise BadRequest(name, f"This is not a SageMaker {what}.")
        result = await self.run_aws(
            lambda: gather(
                cluster_id=cluster_id,
                application_id=application_id,
                subnets=subnets,
                security_groups=groups,
                domain_id=where.get("domain_id", ""),
                space_name=where.get("space_name", ""),
                user_profile_name=where.get("user_profile_name", ""),
            )
        )
        if result is not None:
            self.finish(json.dumps(result, default=str))


# --- the probe from this server ------------------------------------------------------------------

#: How long one connect may take (name resolution included).
PROBE_TIMEOUT = 3.0
LIVY_DEFAULT_PORT = 8998
KDC_PORT = 88


def livy_port(cluster: dict) -> int:
    """Livy's port as the magic finds it: livy-conf's ``livy.server.port`` (the cluster's own
    configurations, else the primary instance group's), else 8998 (src/core/network: livyPort)."""

    def find(confs) -> str | None:
        for c in confs or []:
            if c.get("Classification") == "livy-conf" and "livy.server.port" in (c.get("Properties") or {}):
                return str(c["Properties"]["livy.server.port"])
        return None

    text = find(cluster.get("Configurations"))
    if text is None and (cluster.get("InstanceCollectionType") or "INSTANCE_GROUP") == "INSTANCE_GROUP":
        text = find(cluster.get("PrimaryInstanceGroupConfigurations"))
    if text is not None and text.isdigit() and 0 < int(text) < 65536:
        return int(text)
    return LIVY_DEFAULT_PORT


def probe_targets(cluster: dict) -> tuple[str | None, list[dict], list[str]]:
    """The primary node's name (as the magic connects to it: the ListInstances entry's private DNS
    name) and the ports a run opens there; and what the probe does not check. Only names and
    ports the cluster's own DescribeCluster and ListInstances give: never a host the caller names."""
    primary = cluster.get("PrimaryInstance") or {}
    host = primary.get("PrivateDnsName") or primary.get("PrivateIpAddress") or None
    targets = [{"path": "livy", "port": livy_port(cluster)}]
    not_checked: list[str] = []
    realm = (cluster.get("KerberosAttributes") or {}).get("Realm")
    kerberos = bool(realm or cluster.get("KerberosConfiguration"))
    provider = (cluster.get("KerberosConfiguration") or {}).get("Provider")
    if kerberos and provider == "ExternalKdc":
        not_checked.append(
            "The cluster's KDC is external (its security configuration names it): not probed from here."
        )
    elif kerberos:
        targets.append({"path": "kdc", "port": KDC_PORT})
        not_checked.append(
            "The KDC is probed on TCP 88 only; kinit tries UDP 88 first, which a connect cannot test."
        )
    return host, targets, not_checked


async def probe_tcp(host: str, port: int, timeout: float = PROBE_TIMEOUT) -> dict:
    """One bounded TCP connect: ``open``, or why not (``unresolved``, ``refused``, ``timeout``,
    ``unreachable``), with the address tried and the time it took."""
    loop = asyncio.get_running_loop()
    start = time.monotonic()
    out: dict = {"host": host, "port": port, "address": None}

    def done(result: str, message: str) -> dict:
        return {**out, "result": result, "message": message, "ms": round((time.monotonic() - start) * 1000)}

    try:
        infos = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
    except asyncio.TimeoutError:
        return done("unresolved", f"{host} did not resolve within {timeout:g} s on this server.")
    except socket.gaierror as err:
        return done("unresolved", f"{host} does not resolve on this server ({err.strerror}).")
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    failures: list[tuple[str, str]] = []
    # As a client connects: each address the name resolves to in turn (localhost: ::1, then
    # 127.0.0.1), within the one time limit.
    for address in addresses:
        out["address"] = address
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            failures.append(("timeout", address))
            break
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(address, port), left)
        except asyncio.TimeoutError:
            failures.append(("timeout", address))
            continue
        except ConnectionRefusedError:
            failures.append(("refused", address))
            continue
        except OSError as err:
            failures.append(("unreachable", f"{address}: {err.strerror or err}"))
            continue
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass
        return done("open", f"{host} ({address}) accepts TCP {port} from this server.")
    kinds = {kind for kind, _ in failures}
    tried = ", ".join(a for _, a in failures)
    if "timeout" in kinds:
        return done(
            "timeout",
            f"No answer from {host} ({tried}) on TCP {port} within {timeout:g} s: "
            "a security group, a network ACL or a missing route drops the packets.",
        )
    if "unreachable" in kinds:
        return done("unreachable", f"{host} cannot be reached on TCP {port} from this server ({tried}).")
    return done(
        "refused",
        f"{host} ({tried}) refused TCP {port}: the node answers, but nothing listens on that port.",
    )


async def probe_cluster(cluster: dict) -> dict:
    host, targets, not_checked = probe_targets(cluster)
    if not host:
        return {
            "host": None,
            "results": [],
            "notChecked": [
                "The cluster names no primary node (it is terminated or still starting): nothing to probe.",
                *not_checked,
            ],
        }
    results = await asyncio.gather(*(probe_tcp(host, t["port"]) for t in targets))
    return {
        "host": host,
        "results": [{"path": t["path"], **r} for t, r in zip(targets, results)],
        "notChecked": not_checked,
    }


class NetworkProbeHandler(BaseHandler):
    """A bounded TCP connect from this server to the cluster's primary node (Livy, and the KDC
    for Kerberos): where jobs run on this machine (open-source jupyter-scheduler), this is the
    path a scheduled run takes. The host and ports come only from the cluster's own description."""

    @tornado.web.authenticated
    @authorized
    async def get(self):
        cluster_id = self.get_query_argument("cluster_id", "")
        if not CLUSTER_ID.fullmatch(cluster_id):
            raise BadRequest("cluster_id", "A cluster id is j- followed by capital letters and digits.")
        reader = _Reader()
        cluster = await self.run_aws(lambda: _cluster(reader, cluster_id))
        if cluster is None:
            return
        result = await probe_cluster(cluster)
        self.finish(json.dumps({"clusterId": cluster_id, "awsCalls": reader.calls, **result}))


def main(argv: list[str] | None = None) -> int:
    """``python -m jupyterlab_emr_schedule.network --cluster-id j-...``: the same facts on stdout,
    gathered with this machine's AWS credentials (for a command line that evaluates them)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--cluster-id", default="")
    target.add_argument("--application-id", default="")
    parser.add_argument("--subnets", help="comma-separated subnet ids")
    parser.add_argument("--security-groups", help="comma-separated security group ids")
    parser.add_argument("--domain-id", default="")
    parser.add_argument("--space-name", default="")
    parser.add_argument("--user-profile-name", default="")
    args = parser.parse_args(argv)
    split = lambda text: None if text is None else [i for i in text.split(",") if i]  # noqa: E731
    try:
        facts = gather(
            cluster_id=args.cluster_id,
            application_id=args.application_id,
            subnets=split(args.subnets),
            security_groups=split(args.security_groups),
            domain_id=args.domain_id,
            space_name=args.space_name,
            user_profile_name=args.user_profile_name,
        )
    except aws.AwsError as err:
        print(err.message, file=sys.stderr)
        return 1
    json.dump(facts, sys.stdout, default=str, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
