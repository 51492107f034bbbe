"""``emr-schedule-admin network-check`` against the local AWS's Studio-and-EMR account.

The command line gathers the network facts with the AWS SDK for JavaScript, the server's route
with boto3 (jupyterlab_emr_schedule/network.py). Each test here runs both for the same inputs and
asserts they gathered the same facts, with the same calls in the same order, so the two
gatherers cannot drift; the verdicts and lines are the one evaluator's (src/core/network, compiled
with the CLI), and neither is restated here beyond what a user reads in them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import local_aws
import local_aws_network
import pytest
from fault_proxy import FaultProxy
from test_admin_cli import ROOT, assert_one_line_failure, compiled_cli, run_cli

VERDICT = re.compile(r"^(REACHABLE|BLOCKED|UNKNOWN)  ")
EVALUATOR = ROOT / "lib" / "cli" / "core" / "network" / "index.js"

pytestmark = pytest.mark.usefixtures("no_studio_metadata")


@pytest.fixture
def no_studio_metadata(monkeypatch, tmp_path):
    """Whatever a Studio run on this machine left in /opt/ml, the route is given its domain."""
    from jupyterlab_emr_schedule import network

    monkeypatch.setattr(network, "METADATA", tmp_path / "absent.json")


@pytest.fixture
def aws_env(local_aws_endpoint) -> dict[str, str]:
    return {**os.environ, **local_aws.aws_env(local_aws_endpoint)}


@pytest.fixture(scope="module")
def ids(local_aws_endpoint):
    return local_aws_network.network_ids(local_aws_endpoint)


@pytest.fixture(scope="module")
def domain(local_aws_endpoint) -> str:
    return local_aws_network.domain_id(local_aws_endpoint)


def cluster_id(endpoint: str, name: str) -> str:
    emr = local_aws.client("emr", endpoint)
    for page in emr.get_paginator("list_clusters").paginate(ClusterStates=["WAITING", "RUNNING"]):
        for c in page["Clusters"]:
            if c["Name"] == name:
                return c["Id"]
    raise LookupError(name)


#: The route's keywords by the command line's options.
KEYWORDS = {
    "--cluster-id": "cluster_id",
    "--application-id": "application_id",
    "--subnets": "subnets",
    "--security-groups": "security_groups",
    "--domain-id": "domain_id",
    "--space-name": "space_name",
    "--user-profile-name": "user_profile_name",
}


def route_facts(**options: str) -> dict:
    """What the server's route gathers for the command line's options (flag -> value)."""
    from jupyterlab_emr_schedule import network

    kwargs = {}
    for flag, value in options.items():
        key = KEYWORDS[flag]
        kwargs[key] = value.split(",") if key in {"subnets", "security_groups"} else value
    # Through JSON, as the route answers it.
    return json.loads(json.dumps(network.gather(**kwargs), default=str))


def describe(facts: dict, settings: dict) -> list[str]:
    """The evaluator's lines for these facts (what the panel shows), from the CLI's own build."""
    compiled_cli()
    script = (
        f"const n = require({json.dumps(str(EVALUATOR))});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify("
        "n.describeNetwork(n.evaluateNetwork(input.facts, input.settings))));"
    )
    done = subprocess.run(
        ["node", "-e", script],
        input=json.dumps({"facts": facts, "settings": settings}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def argv_of(options: dict[str, str]) -> list[str]:
    return [item for flag, value in options.items() for item in (flag, value)]


def check(env: dict[str, str], options: dict[str, str], *, secret: bool = False):
    """Runs network-check with --json and without; asserts its facts are the route's and its
    lines the evaluator's for them. Answers the text run, the JSON run's report and the facts."""
    extra = ["--secret"] if secret else []
    as_json = run_cli("network-check", *argv_of(options), *extra, "--json", env=env)
    assert as_json.returncode in (0, 1), as_json.stderr
    out = json.loads(as_json.stdout)
    facts = route_facts(**options)
    assert out["facts"] == facts
    text = run_cli("network-check", *argv_of(options), *extra, env=env)
    assert text.returncode == as_json.returncode
    lines = text.stdout.splitlines()
    assert lines[0].startswith("Job network: ")
    assert lines[1:] == describe(facts, {"secret": secret})
    return text, out["report"], facts


def test_the_kerberos_cluster_is_reachable_from_the_domain_defaults(aws_env, local_aws_endpoint, ids, domain):
    options = {
        "--cluster-id": cluster_id(local_aws_endpoint, local_aws_network.KERBEROS_CLUSTER),
        "--domain-id": domain,
        "--space-name": local_aws_network.SPACE_NAME,
    }
    done, report, facts = check(aws_env, options, secret=True)
    assert done.returncode == 0, done.stdout
    assert done.stderr == ""
    assert report["verdict"] == "reachable"
    # As SageMaker's form preselects them: the domain's private subnets and its group.
    assert done.stdout.splitlines()[0] == (
        f"Job network: subnets {ids['nat']}, {ids['endpoints']}; "
        f"security groups {ids['domain_group']} (the domain’s defaults)"
    )
    verdicts = [line.split("  ")[0] for line in done.stdout.splitlines() if VERDICT.match(line)]
    assert verdicts == ["REACHABLE"] * 6  # Livy, the KDC, STS, EMR, Secrets Manager, S3
    primary = f"{ids['kerberos_primary']} (EMR primary, emr-primary-studio)"
    assert f"    {primary} admits {ids['domain_group']} on TCP 8998" in done.stdout.splitlines()
    assert facts["domain"]["Space"]["SpaceName"] == local_aws_network.SPACE_NAME
    assert "kdc-admin-demo" not in done.stdout


def test_a_cluster_that_admits_another_group_is_blocked_with_the_rule_to_add(
    aws_env, local_aws_endpoint, ids
):
    options = {
        "--cluster-id": cluster_id(local_aws_endpoint, local_aws_network.OTHER_GROUP_CLUSTER),
        "--subnets": ids["nat"],
        "--security-groups": ids["domain_group"],
    }
    done, report, _ = check(aws_env, options)
    assert done.returncode == 1
    assert report["verdict"] == "blocked"
    lines = done.stdout.splitlines()
    assert lines[0] == (
        f"Job network: subnets {ids['nat']}; security groups {ids['domain_group']} (as given)"
    )
    assert any(line.startswith("BLOCKED  Livy on the primary node") for line in lines)
    assert (
        f"    fix: aws ec2 authorize-security-group-ingress --group-id {ids['restricted_primary']} "
        f"--protocol tcp --port 8998 --source-group {ids['domain_group']}"
    ) in lines
    assert f"Proposal: Add {ids['analysts']}" in done.stdout, (
        "the group the primary node admits, in the same VPC"
    )
    assert_one_line_failure(done, 1, r"blocked: Livy on the primary node")


def test_a_cluster_in_another_vpc_without_peering_is_blocked(aws_env, local_aws_endpoint, ids, domain):
    options = {
        "--cluster-id": cluster_id(local_aws_endpoint, local_aws_network.OTHER_VPC_CLUSTER),
        "--domain-id": domain,
        "--user-profile-name": local_aws_network.USER_PROFILE,
    }
    done, report, facts = check(aws_env, options)
    assert done.returncode == 1
    assert facts["domain"]["UserProfile"]["UserSettings"] == {"SecurityGroups": [ids["domain_group"]]}
    livy = next(line for line in report["lines"] if line["path"] == "livy")
    assert livy["verdict"] == "blocked"
    peering = (
        f"    fix: aws ec2 create-vpc-peering-connection --vpc-id {ids['vpc']} "
        f"--peer-vpc-id {ids['other_vpc']}"
    )
    assert any(line.startswith(peering) for line in done.stdout.splitlines()), done.stdout
    assert_one_line_failure(done, 1, r"blocked: ")


def test_an_emr_serverless_target_needs_only_aws_endpoints(aws_env, local_aws_endpoint, domain):
    app = local_aws.serverless_application_id(local_aws_endpoint, "analytics-interactive")
    done, report, facts = check(aws_env, {"--application-id": app, "--domain-id": domain})
    assert facts["target"] == "serverless" and facts["cluster"] is None
    assert done.returncode == 0 and report["verdict"] == "reachable", done.stdout


def test_the_same_calls_in_the_same_order(local_aws_endpoint, aws_env, monkeypatch, ids, domain):
    """Through a recording proxy: the route and the command line make the same AWS calls."""
    from jupyterlab_emr_schedule import aws, network

    options = {
        "--cluster-id": cluster_id(local_aws_endpoint, local_aws_network.KERBEROS_CLUSTER),
        "--subnets": f"{ids['nat']},{ids['endpoints']}",
        "--security-groups": ids["analysts"],
        "--domain-id": domain,
        "--space-name": local_aws_network.SPACE_NAME,
    }
    with FaultProxy(local_aws_endpoint) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.endpoint)
        aws.reset()
        try:
            facts = route_facts(**options)
        finally:
            aws.reset()
        by_route = list(proxy.seen)
        proxy.seen.clear()
        done = run_cli(
            "network-check", *argv_of(options), "--json", env={**aws_env, "AWS_ENDPOINT_URL": proxy.endpoint}
        )
        by_cli = list(proxy.seen)
    assert json.loads(done.stdout)["facts"] == facts
    assert by_cli == by_route
    assert len(by_route) == facts["awsCalls"]
    # Every read of the route but the user profile's (a space is named).
    assert set(by_route) == {a.split(":")[1] for a in network.ACTIONS} - {"DescribeUserProfile"}


@pytest.mark.parametrize(
    "operation, action",
    [
        ("DescribeCluster", "elasticmapreduce:DescribeCluster"),
        ("ListInstances", "elasticmapreduce:ListInstances"),
        ("DescribeSubnets", "ec2:DescribeSubnets"),
        ("DescribeSecurityGroups", "ec2:DescribeSecurityGroups"),
        ("DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints"),
        ("DescribeDomain", "sagemaker:DescribeDomain"),
        ("DescribeSpace", "sagemaker:DescribeSpace"),
    ],
)
def test_a_denied_read_names_the_permission(local_aws_endpoint, aws_env, domain, operation, action):
    with FaultProxy(local_aws_endpoint) as proxy:
        proxy.faults[operation] = (
            400,
            "UnauthorizedOperation" if action.startswith("ec2:") else "AccessDeniedException",
        )
        done = run_cli(
            "network-check",
            "--cluster-id",
            cluster_id(local_aws_endpoint, local_aws_network.KERBEROS_CLUSTER),
            "--domain-id",
            domain,
            "--space-name",
            local_aws_network.SPACE_NAME,
            env={**aws_env, "AWS_ENDPOINT_URL": proxy.endpoint},
        )
    assert done.stdout == ""
    assert_one_line_failure(
        done, 1, f"Not allowed to call {action}: add it to the policy of the identity running this command"
    )


def test_an_unknown_cluster_is_one_line(aws_env):
    done = run_cli("network-check", "--cluster-id", "j-NOSUCHCLUSTER1", env=aws_env)
    assert_one_line_failure(done, 1, "No EMR cluster j-NOSUCHCLUSTER1 in this account and region")


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "give --cluster-id"),
        (["--cluster-id", "j-1", "--subnets", "subnet-1"], "--subnets is a comma-separated list"),
        (["--cluster-id", "j-1", "--space-name", "team"], "--space-name needs --domain-id"),
    ],
)
def test_bad_usage_is_exit_2(aws_env, argv, message):
    assert_one_line_failure(run_cli("network-check", *argv, env=aws_env), 2, message)
