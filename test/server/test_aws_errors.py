"""AWS faults come back as errors a user can act on (through a fault-injecting proxy)."""

from __future__ import annotations

import json

import pytest
from fault_proxy import FaultProxy
from tornado.httpclient import HTTPClientError


@pytest.fixture
def proxy(local_aws_endpoint, monkeypatch):
    from jupyterlab_emr_schedule import aws

    with FaultProxy(local_aws_endpoint) as p:
        monkeypatch.setenv("AWS_ENDPOINT_URL", p.endpoint)
        aws.reset()
        yield p
    aws.reset()


async def error_of(call):
    with pytest.raises(HTTPClientError) as err:
        await call
    return err.value.code, json.loads(err.value.response.body)


async def test_access_denied_names_the_missing_action_and_a_policy(jp_fetch, proxy):
    proxy.faults["ListSecrets"] = (400, "AccessDeniedException")
    code, body = await error_of(jp_fetch("emr-schedule", "secrets"))
    assert code == 403
    assert body["action"] == "secretsmanager:ListSecrets"
    assert "secretsmanager:ListSecrets" in body["message"]
    assert body["policy"]["Statement"][0]["Action"] == "secretsmanager:ListSecrets"


async def test_access_denied_on_emr(jp_fetch, proxy):
    proxy.faults["ListClusters"] = (400, "AccessDeniedException")
    code, body = await error_of(jp_fetch("emr-schedule", "clusters"))
    assert code == 403 and body["action"] == "elasticmapreduce:ListClusters"


async def test_throttling_is_retried_then_reported(jp_fetch, proxy):
    proxy.faults["ListSecrets"] = (400, "ThrottlingException")
    code, body = await error_of(jp_fetch("emr-schedule", "secrets"))
    assert code == 429 and "throttling" in body["message"].lower()
    assert proxy.seen.count("ListSecrets") > 1, "botocore retried with backoff before giving up"


async def test_a_transient_throttle_is_invisible(jp_fetch, proxy):
    proxy.faults["ListSecrets"] = (400, "ThrottlingException")
    proxy.times["ListSecrets"] = 2
    response = await jp_fetch("emr-schedule", "secrets")
    assert response.code == 200
    assert proxy.seen.count("ListSecrets") == 3


async def test_expired_credentials(jp_fetch, proxy):
    proxy.faults["ListSecrets"] = (400, "ExpiredTokenException")
    code, body = await error_of(jp_fetch("emr-schedule", "secrets"))
    assert code == 401 and "expired" in body["message"]


async def test_no_credentials_says_how_to_configure_them(jp_fetch, proxy, monkeypatch):
    from jupyterlab_emr_schedule import aws

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    aws.reset()
    code, body = await error_of(jp_fetch("emr-schedule", "identity"))
    assert code == 401 and body["code"] == "NoCredentials"
    assert "AWS_ACCESS_KEY_ID" in body["message"]
