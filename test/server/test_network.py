"""The network route against the local AWS's Studio-and-EMR account (demo/local_aws_network.py).

The route answers facts; the verdicts come from the one evaluator (src/core/network), which the
panel and the admin command line run too. So each test here gathers the facts through the route
and hands them, as they are, to that evaluator compiled by the Makefile's FIXTURES rule
(``.stamps/fixtures/src/core/network``), in a node process: the facts are the local AWS's, the
verdicts the TypeScript's, and neither is restated here.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import local_aws
import local_aws_network
import pytest
from fault_proxy import FaultProxy
from tornado.httpclient import HTTPClientError

ROOT = Path(__file__).resolve().parents[2]
EVALUATOR = ROOT / ".stamps" / "fixtures" / "src" / "core" / "network" / "index.js"

pytestmark = pytest.mark.usefixtures("no_studio_metadata")


@pytest.fixture
def no_studio_metadata(monkeypatch, tmp_path):
    """Whatever a Studio run on this machine left in /opt/ml, these tests name their domain."""
    from jupyterlab_emr_schedule import network

    monkeypatch.setattr(network, "METADATA", tmp_path / "absent.json")


def evaluate(facts: dict, settings: dict | None = None) -> dict:
    assert EVALUATOR.exists(), f"{EVALUATOR} is missing: build the fixtures first (make's FIXTURES rule)"
    script = (
        f"const n = require({json.dumps(str(EVALUATOR))});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(n.evaluateNetwork(input.facts, input.settings)));"
    )
    done = subprocess.run(
        ["node", "-e", script],
        input=json.dumps({"facts": facts, "settings": settings or {}}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def cluster_id(endpoint: str, name: str) -> str:
    emr = local_aws.client("emr", endpoint)
    for page in emr.get_paginator("list_clusters").paginate(ClusterStates=["WAITING", "RUNNING"]):
        for c in page["Clusters"]:
            if c["Name"] == name:
                return c["Id"]
    raise LookupError(name)


@pytest.fixture(scope="module")
def ids(local_aws_endpoint):
    return local_aws_network.network_ids(local_aws_endpoint)


async def facts_of(jp_fetch, **params) -> dict:
    response = await jp_fetch("emr-schedule", "network", params=params)
    assert response.code == 200
    return json.loads(response.body)


def lines_of(report: dict) -> dict[str, dict]:
    return {line["path"]: line for line in report["lines"]}


async def test_the_kerberos_cluster_is_reachable_from_the_vpc_only_domain(jp_fetch, local_aws_endpoint, ids):
    cluster = cluster_id(local_aws_endpoint, local_aws_network.KERBEROS_CLUSTER)
    facts = await facts_of(
        jp_fetch,
        cluster_id=cluster,
        domain_id=local_aws_network.domain_id(local_aws_endpoint),
        space_name=local_aws_network.SPACE_NAME,
    )
    # The facts, as AWS gives them (moto's instances live elsewhere; the cluster's network is
    # Ec2InstanceAttributes').
    c = facts["cluster"]
    assert c["Ec2InstanceAttributes"]["Ec2SubnetId"] == ids["emr"]
    assert c["Ec2InstanceAttributes"]["EmrManagedMasterSecurityGroup"] == ids["kerberos_primary"]
    assert c["KerberosAttributes"] == {"Realm": "EC2.INTERNAL"}, "no KDC password leaves the server"
    assert c["KerberosConfiguration"]["Provider"] == "ClusterDedicatedKdc"
    # The primary node is the instance EMR names as the cluster's primary (whatever name the
    # local AWS gives it: moto's ip-... or, once the tests' KDC runs, this machine's).
    emr = local_aws.client("emr", local_aws_endpoint)
    master = emr.describe_cluster(ClusterId=cluster)["Cluster"]["MasterPublicDnsName"]
    primary = [
        i
        for i in emr.list_instances(ClusterId=cluster)["Instances"]
        if master in (i.get("PublicDnsName"), i.get("PrivateDnsName"))
    ]
    assert len(primary) == 1
    assert c["PrimaryInstance"]["PrivateDnsName"] == primary[0]["PrivateDnsName"]
    assert facts["domain"]["AppNetworkAccessType"] == "VpcOnly"
    assert facts["domain"]["Space"]["OwnershipSettings"] == {
        "OwnerUserProfileName": local_aws_network.USER_PROFILE
    }
    assert {s["SubnetId"] for s in facts["subnets"]} >= {
        ids[r] for r in ("public", "nat", "endpoints", "emr")
    }
    services = {e["ServiceName"].rsplit(".", 1)[-1] for e in facts["vpcEndpoints"]}
    assert services >= {"sts", "elasticmapreduce", "secretsmanager", "s3"}
    assert "kdc-admin-demo" not in json.dumps(facts)
    assert 0 < facts["awsCalls"] <= 16

    report = evaluate(facts, {"secret": True})
    # SageMaker's form preselects the domain's private subnets and its group.
    assert report["job"] == {
        "subnets": [ids["nat"], ids["endpoints"]],
        "securityGroups": [ids["domain_group"]],
        "source": "domain",
    }
    assert report["verdict"] == "reachable", json.dumps(report, indent=1)
    lines = lines_of(report)
    assert list(lines) == ["livy", "kdc", "sts", "emr", "secretsmanager", "s3"]
    primary = f"{ids['kerberos_primary']} (EMR primary, emr-primary-studio)"
    assert f"{primary} admits {ids['domain_group']} on TCP 8998" in lines["livy"]["reasons"]
    assert lines["livy"]["target"] == f"{c['PrimaryInstance']['PrivateDnsName']}:8998"
    assert lines["kdc"]["target"].endswith(":88")
    assert any("interface endpoint, private DNS" in r for r in lines["sts"]["reasons"])
    assert any("NAT gateway" in r for r in lines["s3"]["reasons"])
    assert any("gateway endpoint" in r for r in lines["s3"]["reasons"])


async def test_a_cluster_that_admits_another_group_is_blocked_with_the_rule_to_add(
    jp_fetch, local_aws_endpoint, ids
):
    facts = await facts_of(
        jp_fetch,
        cluster_id=cluster_id(local_aws_endpoint, local_aws_network.OTHER_GROUP_CLUSTER),
        subnets=ids["nat"],
        security_groups=ids["domain_group"],
    )
    assert facts["request"] == {"subnets": [ids["nat"]], "securityGroups": [ids["domain_group"]]}
    report = evaluate(facts)
    livy = lines_of(report)["livy"]
    assert report["verdict"] == livy["verdict"] == "blocked"
    assert livy["fixes"] == [
        f"aws ec2 authorize-security-group-ingress --group-id {ids['restricted_primary']} "
        f"--protocol tcp --port 8998 --source-group {ids['domain_group']}"
    ]
    # The group the primary node admits is in the same VPC: proposed.
    assert [p["securityGroups"] for p in report["proposals"]] == [[ids["domain_group"], ids["analysts"]]]
    # Not the primary node's own group, which (as EMR sets it up) admits itself and the core nodes'.
    assert "kdc" not in lines_of(report)


async def test_a_cluster_in_another_vpc_without_peering_is_blocked(jp_fetch, local_aws_endpoint, ids):
    facts = await facts_of(
        jp_fetch,
        cluster_id=cluster_id(local_aws_endpoint, local_aws_network.OTHER_VPC_CLUSTER),
        domain_id=local_aws_network.domain_id(local_aws_endpoint),
        user_profile_name=local_aws_network.USER_PROFILE,
    )
    assert facts["domain"]["UserProfile"]["UserSettings"] == {"SecurityGroups": [ids["domain_group"]]}
    assert {t["VpcId"] for t in facts["routeTables"]} == {ids["vpc"], ids["other_vpc"]}
    report = evaluate(facts)
    livy = lines_of(report)["livy"]
    assert livy["verdict"] == "blocked"
    assert any("not connected" in r for r in livy["reasons"])
    assert (
        f"aws ec2 create-vpc-peering-connection --vpc-id {ids['vpc']} --peer-vpc-id {ids['other_vpc']}"
        in (livy["fixes"])
    )


async def test_a_public_internet_only_domain_never_reaches_the_cluster(jp_fetch, local_aws_endpoint):
    facts = await facts_of(
        jp_fetch,
        cluster_id=cluster_id(local_aws_endpoint, local_aws_network.KERBEROS_CLUSTER),
        domain_id=local_aws_network.domain_id(local_aws_endpoint, local_aws_network.PUBLIC_DOMAIN),
    )
    report = evaluate(facts)
    assert "uses PublicInternetOnly" in report["summary"]
    assert report["job"]["source"] == "none"
    assert lines_of(report)["livy"]["verdict"] == "blocked"
    assert lines_of(report)["sts"]["verdict"] == "reachable"


async def test_a_cluster_without_a_subnet_is_unknown_not_guessed(jp_fetch, local_aws_endpoint, ids):
    facts = await facts_of(
        jp_fetch,
        cluster_id=cluster_id(local_aws_endpoint, "analytics-no-auth"),
        subnets=ids["nat"],
        security_groups=ids["domain_group"],
    )
    livy = lines_of(evaluate(facts))["livy"]
    assert livy["verdict"] == "unknown"
    assert livy["reasons"] == [
        "DescribeCluster names no subnet for the cluster (Ec2InstanceAttributes.Ec2SubnetId)."
    ]


async def test_an_emr_serverless_target_needs_only_aws_endpoints(jp_fetch, local_aws_endpoint, ids):
    app = local_aws.serverless_application_id(local_aws_endpoint, "analytics-interactive")
    facts = await facts_of(
        jp_fetch, application_id=app, domain_id=local_aws_network.domain_id(local_aws_endpoint)
    )
    assert facts["target"] == "serverless" and facts["cluster"] is None
    report = evaluate(facts)
    assert [line["target"] for line in report["lines"]] == [
        "sts.us-east-1.amazonaws.com:443",
        "emr-serverless.us-east-1.amazonaws.com:443",
        f"{app}.livy.emr-serverless-services.us-east-1.amazonaws.com:443",
        "s3.us-east-1.amazonaws.com:443",
    ]
    assert report["verdict"] == "reachable", json.dumps(report, indent=1)


async def test_studio_metadata_names_the_domain_and_space(
    jp_fetch, local_aws_endpoint, monkeypatch, tmp_path
):
    from jupyterlab_emr_schedule import network

    domain = local_aws_network.domain_id(local_aws_endpoint)
    path = tmp_path / "resource-metadata.json"
    path.write_text(json.dumps({"DomainId": domain, "SpaceName": local_aws_network.SPACE_NAME}))
    monkeypatch.setattr(network, "METADATA", path)
    facts = await facts_of(
        jp_fetch, cluster_id=cluster_id(local_aws_endpoint, local_aws_network.KERBEROS_CLUSTER)
    )
    assert facts["domain"]["DomainId"] == domain
    assert facts["domain"]["Space"]["SpaceName"] == local_aws_network.SPACE_NAME


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "cluster_id"),
        ({"cluster_id": "j-1", "application_id": "abc"}, "cluster_id"),
        ({"cluster_id": "cluster"}, "cluster_id"),
        ({"cluster_id": "j-1", "subnets": "subnet-1,vpc-2"}, "subnets"),
        (
            {"cluster_id": "j-1", "security_groups": ",".join(f"sg-{i:08x}" for i in range(6))},
            "security_groups",
        ),
        ({"cluster_id": "j-1", "domain_id": "domain"}, "domain_id"),
        ({"cluster_id": "j-1", "domain_id": "d-abc", "space_name": "a b"}, "space_name"),
    ],
)
async def test_bad_input_names_its_field(jp_fetch, params, field):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("emr-schedule", "network", params=params)
    assert err.value.code == 400
    assert json.loads(err.value.response.body)["field"] == field


@pytest.fixture
def proxy(local_aws_endpoint, monkeypatch):
    from jupyterlab_emr_schedule import aws

    with FaultProxy(local_aws_endpoint) as p:
        monkeypatch.setenv("AWS_ENDPOINT_URL", p.endpoint)
        aws.reset()
        yield p
    aws.reset()


@pytest.mark.parametrize(
    "operation, action",
    [
        ("DescribeCluster", "elasticmapreduce:DescribeCluster"),
        ("ListInstances", "elasticmapreduce:ListInstances"),
        ("ListInstanceGroups", "elasticmapreduce:ListInstanceGroups"),
        ("DescribeSecurityConfiguration", "elasticmapreduce:DescribeSecurityConfiguration"),
        ("DescribeSubnets", "ec2:DescribeSubnets"),
        ("DescribeRouteTables", "ec2:DescribeRouteTables"),
        ("DescribeSecurityGroups", "ec2:DescribeSecurityGroups"),
        ("DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints"),
        ("DescribeVpcPeeringConnections", "ec2:DescribeVpcPeeringConnections"),
        ("DescribeDomain", "sagemaker:DescribeDomain"),
        ("DescribeSpace", "sagemaker:DescribeSpace"),
    ],
)
async def test_a_denied_read_names_the_permission(jp_fetch, local_aws_endpoint, proxy, operation, action):
    from jupyterlab_emr_schedule import network

    assert action in network.ACTIONS
    proxy.faults[operation] = (
        400,
        "UnauthorizedOperation" if action.startswith("ec2:") else "AccessDeniedException",
    )
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "emr-schedule",
            "network",
            params={
                "cluster_id": cluster_id(local_aws_endpoint, local_aws_network.KERBEROS_CLUSTER),
                "domain_id": local_aws_network.domain_id(local_aws_endpoint),
                "space_name": local_aws_network.SPACE_NAME,
            },
        )
    body = json.loads(err.value.response.body)
    assert err.value.code == 403, body
    assert body["action"] == action
    assert (
        body["message"]
        == f"The server's AWS role is not allowed to call {action}. Add it to the role's policy."
    )
    assert body["policy"]["Statement"][0]["Action"] == action


async def test_a_denied_user_profile_read_names_its_permission(jp_fetch, local_aws_endpoint, proxy):
    proxy.faults["DescribeUserProfile"] = (400, "AccessDeniedException")
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "emr-schedule",
            "network",
            params={
                "cluster_id": cluster_id(local_aws_endpoint, local_aws_network.KERBEROS_CLUSTER),
                "domain_id": local_aws_network.domain_id(local_aws_endpoint),
                "user_profile_name": local_aws_network.USER_PROFILE,
            },
        )
    assert err.value.code == 403
    assert json.loads(err.value.response.body)["action"] == "sagemaker:DescribeUserProfile"


def test_the_same_facts_come_from_the_command_line(local_aws_endpoint, capsys, ids):
    """What an administrator's pipeline evaluates (emr-schedule-admin reads these facts)."""
    from jupyterlab_emr_schedule import network

    cluster = cluster_id(local_aws_endpoint, local_aws_network.OTHER_GROUP_CLUSTER)
    code = network.main(
        ["--cluster-id", cluster, "--subnets", ids["nat"], "--security-groups", ids["domain_group"]]
    )
    assert code == 0
    report = evaluate(json.loads(capsys.readouterr().out))
    assert lines_of(report)["livy"]["verdict"] == "blocked"
    assert network.main(["--cluster-id", "j-NOSUCHCLUSTER1"]) == 1
    assert "No EMR cluster j-NOSUCHCLUSTER1" in capsys.readouterr().err
