"""The demo's and the tests' redirect (demo/local_aws_redirect): libraries that build their own
endpoint URL reach the local AWS when it is on, and nothing changes when it is off."""

from __future__ import annotations

import os
import subprocess
import sys

import local_aws
import pytest

PROGRAM = """
import boto3, botocore.session
sts = boto3.client("sts", endpoint_url="https://sts.us-east-1.amazonaws.com", region_name="us-east-1")
emr = botocore.session.get_session().create_client(
    "emr", "us-east-1", None, True, None, "https://elasticmapreduce.us-east-1.amazonaws.com")
print(sts.meta.endpoint_url, emr.meta.endpoint_url)
print(sts.get_caller_identity()["Account"] if "{call}" == "yes" else "-")
"""

AIO_PROGRAM = """
import asyncio
from aiobotocore.session import get_session
async def main():
    async with get_session().create_client("iam", region_name="us-east-1",
                                           endpoint_url="https://iam.global.api.aws") as iam:
        print(iam.meta.endpoint_url)
asyncio.run(main())
"""


def run(program: str, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_clients_with_their_own_endpoint_reach_the_local_aws(local_aws_endpoint):
    env = {**os.environ, **local_aws.aws_env(local_aws_endpoint)}
    sts, emr, account = run(PROGRAM.replace("{call}", "yes"), env)
    assert sts == emr == local_aws_endpoint
    assert account == local_aws.ACCOUNT


def test_aiobotocore_clients_too(local_aws_endpoint):
    pytest.importorskip("aiobotocore", reason="aiobotocore comes with SageMaker's packages")
    env = {**os.environ, **local_aws.aws_env(local_aws_endpoint)}
    assert run(AIO_PROGRAM, env) == [local_aws_endpoint]


def test_without_the_variable_nothing_is_redirected(local_aws_endpoint):
    env = {**os.environ, **local_aws.aws_env(local_aws_endpoint)}
    del env["LOCAL_AWS_ENDPOINT_URL"]
    sts, emr, _ = run(PROGRAM.replace("{call}", "no"), env)
    assert (sts, emr) == (
        "https://sts.us-east-1.amazonaws.com",
        "https://elasticmapreduce.us-east-1.amazonaws.com",
    )
