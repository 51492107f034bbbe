"""Every IAM action the product writes is a real AWS operation.

Runs the compiled admin CLI for every policy kind and input shape, and looks each action up in
botocore's service models, so a misspelt action cannot pass.
"""

from __future__ import annotations

import functools
import json
import subprocess

import botocore.session
import pytest
from test_admin_cli import KINDS, ROOT, compiled_cli

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20190101T012345"
SECRET_ARN = f"arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:emr/shared-analytics-1a2b3c"
KEY = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
WORKGROUP = f"arn:aws:redshift-serverless:us-east-1:{ACCOUNT}:workgroup/a1b2c3d4-5678-90ab-cdef-0123456789ab"
SERVERLESS_ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/EMRServerlessExecutionRole"
PROVISIONED = [
    "--region",
    "us-east-1",
    "--account",
    ACCOUNT,
    "--cluster",
    "examplecluster",
    "--db-user",
    "spark_etl",
    "--database",
    "dev",
]

SHAPES = {
    "shared": ["secret-shared", "--role-arn", ROLE],
    "per-user with role": ["secret-per-user", "--role-arn", ROLE],
    "per-user, account": ["secret-per-user", "--account", ACCOUNT],
    "secret ARN": ["execution-role-secret", "--secret", SECRET_ARN],
    "secret ARN with key": ["execution-role-secret", "--secret-arn", SECRET_ARN, "--kms-key-arn", KEY],
    "secret name": [
        "execution-role-secret",
        "--secret",
        "emr/x",
        "--region",
        "us-west-2",
        "--account",
        ACCOUNT,
    ],
    "secret name, key, role": [
        "execution-role-secret",
        "--secret",
        "emr/x",
        "--region",
        "us-west-2",
        "--role-arn",
        ROLE,
        "--kms-key-arn",
        KEY,
    ],
    "user secrets": ["execution-role-user-secrets", "--region", "us-west-2", "--account", ACCOUNT],
    "user secrets with key": [
        "execution-role-user-secrets",
        "--region",
        "us-west-2",
        "--role-arn",
        ROLE,
        "--kms-key-arn",
        KEY,
        "--secret-prefix",
        "emr/people/",
    ],
    "server routes": ["server-routes", "--region", "us-west-2", "--account", ACCOUNT],
    "server routes, role, prefix, key": [
        "server-routes",
        "--region",
        "us-west-2",
        "--role-arn",
        ROLE,
        "--secret-prefix",
        "team/emr/",
        "--kms-key-arn",
        KEY,
    ],
    "provisioned": [
        "spark-redshift-provisioned",
        *PROVISIONED,
        "--tempdir",
        "s3a://analytics-temp/redshift/",
    ],
    "provisioned, bucket root": [
        "spark-redshift-provisioned",
        *PROVISIONED,
        "--tempdir",
        "s3://analytics-temp",
    ],
    "serverless": [
        "spark-redshift-serverless",
        "--workgroup-arn",
        WORKGROUP,
        "--tempdir",
        "s3a://analytics-temp/rs",
    ],
    "serverless, bucket root": [
        "spark-redshift-serverless",
        "--workgroup-arn",
        WORKGROUP,
        "--tempdir",
        "s3a://t-1/",
    ],
    "trust": ["redshift-copy-trust"],
    "serverless trust": ["serverless-execution-trust"],
    "serverless trust, account": ["serverless-execution-trust", "--account", ACCOUNT],
    "serverless notebook role": [
        "serverless-job-role",
        "--region",
        "us-east-1",
        "--emr-execution-role-arn",
        SERVERLESS_ROLE,
    ],
    "serverless notebook role, one application": [
        "serverless-job-role",
        "--region",
        "us-east-1",
        "--emr-execution-role-arn",
        SERVERLESS_ROLE,
        "--application-id",
        "00fabcdefghij12k",
    ],
    "COPY/UNLOAD": ["redshift-copy-s3", "--tempdir", "s3a://analytics-temp/redshift/"],
    "COPY/UNLOAD, bucket root": [
        "redshift-copy-s3",
        "--tempdir",
        "s3://analytics-temp",
        "--region",
        "eu-west-1",
    ],
}

#: IAM service prefix -> botocore service model name.
SERVICES = {
    "elasticmapreduce": "emr",
    "secretsmanager": "secretsmanager",
    "kms": "kms",
    "redshift": "redshift",
    "redshift-serverless": "redshift-serverless",
    "s3": "s3",
    "sts": "sts",
    "emr-serverless": "emr-serverless",
    "iam": "iam",
    "ec2": "ec2",
    "sagemaker": "sagemaker",
}
#: IAM actions named differently from the API operation they authorise: s3:ListBucket authorises
#: ListObjects and ListObjectsV2 (and HeadBucket).
OPERATION_OF = {"s3:ListBucket": "ListObjectsV2"}
#: IAM actions that authorise no API operation of a botocore model, each with where it is used:
#: checked by name here, so the list stays short and deliberate.
NOT_AN_API_OPERATION = {
    # %sm_analytics opens its Spark session on the application's Livy endpoint, signing the
    # requests for "emr-serverless" (external_dependencies/emr_serverless_auth.py); IAM names
    # that access emr-serverless:AccessLivyEndpoints (EMR Serverless guide, "Livy endpoints").
    "emr-serverless:AccessLivyEndpoints",
    # Passing the execution role in the Livy session's conf (emr-serverless.session.executionRoleArn).
    "iam:PassRole",
}


@functools.cache
def operations(service: str) -> frozenset[str]:
    return frozenset(botocore.session.get_session().get_service_model(service).operation_names)


def unknown_actions(actions: set[str]) -> list[str]:
    """The actions that name no operation of their service's API."""
    bad = []
    for action in sorted(actions):
        prefix, _, name = action.partition(":")
        service = SERVICES.get(prefix)
        if action in NOT_AN_API_OPERATION:
            continue
        if service is None or OPERATION_OF.get(action, name) not in operations(service):
            bad.append(action)
    return bad


def policy(argv: list[str]) -> dict:
    done = subprocess.run(
        ["node", str(compiled_cli()), "policy", *argv], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def actions_of(document: dict) -> set[str]:
    found = set()
    for statement in document["Statement"]:
        action = statement["Action"]
        found.update([action] if isinstance(action, str) else action)
    return found


def test_the_shapes_cover_every_kind():
    compiled_cli()
    listed = subprocess.run(
        [
            "node",
            "-e",
            "process.stdout.write(JSON.stringify("
            "require('./lib/cli/core/policies.js').POLICY_KINDS.map(k => k.id)))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert set(json.loads(listed.stdout)) == set(KINDS) == {argv[0] for argv in SHAPES.values()}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_action_is_an_aws_operation(shape):
    actions = actions_of(policy(SHAPES[shape]))
    assert actions
    assert unknown_actions(actions) == []


def test_all_actions_written():
    """The full set, so a new action is a deliberate change to this list."""
    written = set().union(*(actions_of(policy(argv)) for argv in SHAPES.values()))
    assert written == {
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
        "secretsmanager:ListSecrets",
        "secretsmanager:CreateSecret",
        "secretsmanager:TagResource",
        "elasticmapreduce:ListClusters",
        "elasticmapreduce:DescribeCluster",
        "elasticmapreduce:DescribeSecurityConfiguration",
        "elasticmapreduce:ListInstanceGroups",
        "elasticmapreduce:ListInstances",
        "ec2:DescribeSubnets",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeVpcPeeringConnections",
        "sagemaker:DescribeDomain",
        "sagemaker:DescribeSpace",
        "sagemaker:DescribeUserProfile",
        "sagemaker:DescribeTrainingJob",
        "sagemaker:ListTags",
        "kms:Decrypt",
        "redshift:GetClusterCredentials",
        "redshift:DescribeClusters",
        "redshift-serverless:GetWorkgroup",
        "redshift-serverless:GetCredentials",
        "s3:ListBucket",
        "s3:GetBucketLifecycleConfiguration",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "sts:AssumeRole",
        "emr-serverless:ListApplications",
        "emr-serverless:GetApplication",
        "emr-serverless:StartApplication",
        "emr-serverless:GetDashboardForJobRun",
        "emr-serverless:AccessLivyEndpoints",
        "iam:ListRoles",
        "iam:PassRole",
    }


@pytest.mark.parametrize("shape", ["server routes", "server routes, role, prefix, key"])
def test_the_server_routes_policy_covers_the_network_and_test_run_routes(shape):
    """Every call the network route and the test-run files route make (their ACTIONS), and of
    EC2, SageMaker and S3 nothing more; EC2's Describe calls on "*", as IAM requires."""
    from jupyterlab_emr_schedule import network, testruns

    document = policy(SHAPES[shape])
    written = actions_of(document)
    routes = {*network.ACTIONS, *testruns.ACTIONS}
    assert routes <= written
    services = {"ec2", "sagemaker", "s3"}
    assert {a for a in written if a.split(":")[0] in services} == {
        a for a in routes if a.split(":")[0] in services
    }
    for statement in document["Statement"]:
        if any(a.startswith("ec2:") for a in statement["Action"]):
            assert statement["Resource"] == "*"


def test_the_serverless_notebook_role_covers_what_the_magic_calls():
    """The boto3 calls of the magic's EMR Serverless client, read from its source."""
    import inspect
    import re

    from sagemaker_studio_analytics_extension.resource.emr_serverless import emr_s_client

    calls = set(re.findall(r"self\.client\.([a-z_]+)\(", inspect.getsource(emr_s_client)))
    assert calls == {"start_application", "get_application"}
    written = actions_of(policy(SHAPES["serverless notebook role"]))
    for call in calls:
        assert "emr-serverless:" + "".join(w.capitalize() for w in call.split("_")) in written


@pytest.mark.parametrize(
    "action",
    [
        "redshift:GetClusterCredential",
        "redshift:GetWorkgroup",
        "redshift-serverless:GetClusterCredentials",
        "secretsmanager:GetSecretValues",
        "s3:GetBucket",
        "s3:ListObjectsV3",
        "sts:Assumerole",
        "secrets-manager:GetSecretValue",
        "emr-serverless:GetApplications",
        "iam:PassRoles",
    ],
)
def test_a_misspelt_action_is_caught(action):
    """Including the AWS page's "s3:GetBucket", which is no S3 operation."""
    assert unknown_actions({action}) == [action]
