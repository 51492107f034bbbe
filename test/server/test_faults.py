"""AWS misbehaving: throttling, 5xx, slow answers, dropped connections, expired credentials.

The fault proxy sits between the server and the local AWS. Reads (list, describe, check) are
retried with backoff and a transient fault is invisible; a lasting one becomes a clear JSON
error (429, 502, 504, 401), never a 500, a hang or a traceback in the log. Creating a secret is
retried only as the same request (one idempotency token), so a lost answer never makes a second
secret nor a false "already exists".
"""

from __future__ import annotations

import json
import logging
import time
import uuid

import local_aws
import pytest
from botocore.config import Config
from botocore.retries import standard
from fault_proxy import Fault, FaultProxy

ATTEMPTS = 3
#: Short timeouts, so a slow AWS costs this test a second, not minutes.
FAST = Config(
    retries={"total_max_attempts": ATTEMPTS, "mode": "standard"}, connect_timeout=1, read_timeout=0.5
)


@pytest.fixture
def backoffs(monkeypatch):
    """The delays botocore's backoff chose; the waits themselves are scaled down 100 times."""
    chosen: list[float] = []
    real = standard.ExponentialBackoff.delay_amount

    def recorded(self, context):
        delay = real(self, context)
        chosen.append(delay)
        return delay / 100

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", recorded)
    return chosen


@pytest.fixture
def proxy(local_aws_endpoint, monkeypatch, backoffs):
    from jupyterlab_emr_schedule import aws

    with FaultProxy(local_aws_endpoint) as p:
        monkeypatch.setenv("AWS_ENDPOINT_URL", p.endpoint)
        monkeypatch.setattr(aws, "CLIENT_CONFIG", FAST)
        aws.reset()
        yield p
    aws.reset()


@pytest.fixture(autouse=True)
def no_traceback_in_the_log(caplog):
    """No test here may leave a Python traceback (or an uncaught error) in the server log."""
    caplog.set_level(logging.DEBUG)
    yield
    bad = [
        r.getMessage()[:300]
        for r in caplog.records
        if r.exc_info or "Traceback" in r.getMessage() or "Uncaught exception" in r.getMessage()
    ]
    assert not bad, bad


@pytest.fixture
def call(http_server_client, jp_auth_header, jp_base_url):
    async def fetch(method: str, path: str, body: dict | None = None, **params):
        url = f"{jp_base_url}emr-schedule/{path}"
        if params:
            url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
        response = await http_server_client.fetch(
            url,
            method=method,
            body=json.dumps(body) if body is not None else None,
            headers=dict(jp_auth_header),
            raise_error=False,
            request_timeout=60,
        )
        return response.code, json.loads(response.body)

    return fetch


def assert_clear(body: dict):
    assert isinstance(body.get("message"), str) and body["message"]
    assert "Traceback" not in body["message"] and "<" not in body["message"], body


# --- throttling ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, operation",
    [("clusters", "ListClusters"), ("secrets", "ListSecrets"), ("identity", "GetCallerIdentity")],
)
async def test_lasting_throttling_is_retried_with_backoff_then_reported(
    call, proxy, backoffs, path, operation
):
    proxy.faults[operation] = Fault(
        400, "ThrottlingException" if operation != "GetCallerIdentity" else "Throttling"
    )
    code, body = await call("GET", path)
    assert code == 429 and "throttling" in body["message"].lower(), body
    assert len(proxy.attempts(operation)) == ATTEMPTS
    assert len(backoffs) >= ATTEMPTS - 1, "each retry waited first"


async def test_a_throttled_create_is_retried_and_creates_one_secret(call, proxy, local_aws_endpoint):
    proxy.faults["CreateSecret"] = Fault(400, "ThrottlingException")
    proxy.times["CreateSecret"] = 1
    name = f"faults/throttled-{uuid.uuid4().hex[:8]}"
    code, body = await call("POST", "secrets", {"name": name, "username": "u", "password": "p"})
    assert code == 201 and body["name"] == name
    assert len(proxy.attempts("CreateSecret")) == 2
    assert_one_version(local_aws_endpoint, name)


# --- AWS 5xx ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, aws_code", [(500, "InternalFailure"), (503, "ServiceUnavailable"), (500, "InternalServiceError")]
)
async def test_lasting_5xx_is_retried_then_a_bad_gateway(call, proxy, status, aws_code):
    proxy.faults["ListClusters"] = Fault(status, aws_code)
    code, body = await call("GET", "clusters")
    assert code == 502, (code, body)
    assert body["code"] == aws_code
    assert "elasticmapreduce:ListClusters" in body["message"]
    assert_clear(body)
    assert len(proxy.attempts("ListClusters")) == ATTEMPTS


async def test_a_5xx_during_a_secret_check_is_a_bad_gateway_not_a_missing_secret(call, proxy):
    proxy.faults["GetSecretValue"] = Fault(500, "InternalServiceError")
    code, body = await call("POST", "secrets/check", {"secretId": "emr/users/analyst-1"})
    assert code == 502 and "secretsmanager:GetSecretValue" in body["message"], body
    assert local_aws.CANARY_PASSWORD not in json.dumps(body)
    assert len(proxy.attempts("GetSecretValue")) == ATTEMPTS


async def test_a_transient_503_is_invisible(call, proxy):
    proxy.faults["ListSecrets"] = Fault(503, "ServiceUnavailable")
    proxy.times["ListSecrets"] = ATTEMPTS - 1
    code, body = await call("GET", "secrets")
    assert code == 200 and body["secrets"]
    assert len(proxy.attempts("ListSecrets")) == ATTEMPTS


# --- slow answers -------------------------------------------------------------------------------


async def test_an_aws_that_does_not_answer_in_time_is_a_504_not_a_hang(call, proxy):
    proxy.faults["ListClusters"] = Fault(delay=3)
    started = time.monotonic()
    code, body = await call("GET", "clusters")
    elapsed = time.monotonic() - started
    assert code == 504 and body["code"] == "AwsTimeout", body
    assert "did not answer" in body["message"] and "elasticmapreduce:ListClusters" in body["message"]
    assert len(proxy.attempts("ListClusters")) == ATTEMPTS
    assert elapsed < 3 * ATTEMPTS, "each attempt gave up at the read timeout, not at AWS's pace"


def cluster_id_of(endpoint: str, name: str) -> str:
    """A seeded cluster's id, asked of the local AWS directly (not through the proxy)."""
    emr = local_aws.client("emr", endpoint)
    for page in emr.get_paginator("list_clusters").paginate(ClusterStates=["WAITING", "RUNNING"]):
        for c in page["Clusters"]:
            if c["Name"] == name:
                return c["Id"]
    raise AssertionError(f"no cluster {name}")


async def test_one_slow_answer_is_retried_and_invisible(call, proxy, local_aws_endpoint):
    proxy.faults["DescribeCluster"] = Fault(delay=2)
    proxy.times["DescribeCluster"] = 1
    code, body = await call("GET", f"clusters/{cluster_id_of(local_aws_endpoint, 'analytics-no-auth')}")
    assert code == 200 and body["authType"] == "None"
    assert len(proxy.attempts("DescribeCluster")) == 2


# --- dropped connections ------------------------------------------------------------------------


@pytest.mark.parametrize("drop", ["before", "mid"])
async def test_a_dropped_read_is_retried_and_invisible(call, proxy, drop):
    proxy.faults["ListSecrets"] = Fault(drop=drop)
    proxy.times["ListSecrets"] = 1
    code, body = await call("GET", "secrets")
    assert code == 200 and body["secrets"], body
    assert len(proxy.attempts("ListSecrets")) == 2


@pytest.mark.parametrize("drop", ["before", "mid"])
async def test_connections_that_always_drop_are_a_bad_gateway(call, proxy, drop):
    proxy.faults["ListClusters"] = Fault(drop=drop)
    code, body = await call("GET", "clusters")
    assert code == 502, (code, body)
    assert_clear(body)
    assert len(proxy.attempts("ListClusters")) == ATTEMPTS


def assert_one_version(endpoint: str, name: str) -> dict:
    sm = local_aws.client("secretsmanager", endpoint)
    matches = sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]
    assert [s["Name"] for s in matches] == [name]
    meta = sm.describe_secret(SecretId=name)
    assert len(meta["VersionIdsToStages"]) == 1, meta["VersionIdsToStages"]
    return meta


async def test_a_create_whose_answer_was_lost_is_retried_as_the_same_request(call, proxy, local_aws_endpoint):
    """AWS created the secret, the answer never came: the retry carries the same token, so the
    user gets their secret, once, and no "already exists"."""
    proxy.faults["CreateSecret"] = Fault(drop="after")
    proxy.times["CreateSecret"] = 1
    name = f"faults/lost-answer-{uuid.uuid4().hex[:8]}"
    code, body = await call("POST", "secrets", {"name": name, "username": "u", "password": "pw-lost"})
    assert code == 201 and body["name"] == name, body
    attempts = proxy.attempts("CreateSecret")
    assert len(attempts) == 2
    tokens = {a.body.get("ClientRequestToken") for a in attempts}
    assert len(tokens) == 1 and None not in tokens, "every attempt is the same request"
    meta = assert_one_version(local_aws_endpoint, name)
    assert set(meta["VersionIdsToStages"]) == tokens
    assert "pw-lost" not in json.dumps(body)


async def test_a_create_whose_answers_are_all_lost_still_reports_the_secret(call, proxy, local_aws_endpoint):
    proxy.faults["CreateSecret"] = Fault(drop="after")
    name = f"faults/all-lost-{uuid.uuid4().hex[:8]}"
    code, body = await call("POST", "secrets", {"name": name, "username": "u", "password": "p"})
    assert code == 201 and body["name"] == name, body
    assert len(proxy.attempts("CreateSecret")) == ATTEMPTS
    assert_one_version(local_aws_endpoint, name)


async def test_a_create_aws_never_received_is_reported_as_not_created(call, proxy, local_aws_endpoint):
    proxy.faults["CreateSecret"] = Fault(drop="before")
    name = f"faults/never-sent-{uuid.uuid4().hex[:8]}"
    code, body = await call("POST", "secrets", {"name": name, "username": "u", "password": "p"})
    assert code == 502 and body["code"] == "AwsConnectionClosed", body
    assert "may have been created" not in body["message"]
    assert_clear(body)
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    assert not sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]


async def test_when_aws_cannot_tell_whether_the_create_happened_the_message_says_so(call, proxy):
    proxy.faults["CreateSecret"] = Fault(drop="before")
    proxy.faults["DescribeSecret"] = Fault(500, "InternalServiceError")
    name = f"faults/unknown-{uuid.uuid4().hex[:8]}"
    code, body = await call("POST", "secrets", {"name": name, "username": "u", "password": "p"})
    assert code == 502 and "may have been created" in body["message"] and name in body["message"], body


async def test_someone_elses_secret_of_that_name_is_still_a_conflict(call, proxy, local_aws_endpoint):
    name = f"faults/taken-{uuid.uuid4().hex[:8]}"
    local_aws.client("secretsmanager", local_aws_endpoint).create_secret(Name=name, SecretString="{}")
    code, body = await call("POST", "secrets", {"name": name, "username": "u", "password": "p"})
    assert code == 409 and "already exists" in body["message"]


# --- credentials --------------------------------------------------------------------------------


async def test_expired_credentials_are_not_retried_and_refreshed_ones_are_used_at_once(
    call, proxy, monkeypatch
):
    proxy.faults["ListSecrets"] = Fault(400, "ExpiredTokenException")
    proxy.times["ListSecrets"] = 1
    code, body = await call("GET", "secrets")
    assert code == 401 and body["code"] == "ExpiredTokenException"
    assert "expired" in body["message"] and "refresh" in body["message"]
    assert len(proxy.attempts("ListSecrets")) == 1, "retrying with the same credentials cannot help"
    # The credentials are refreshed outside the server (here: its environment); the next call
    # signs with them, without a server restart.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "REFRESHEDKEY")
    code, body = await call("GET", "secrets")
    assert code == 200
    assert [a.access_key for a in proxy.attempts("ListSecrets")] == ["testing", "REFRESHEDKEY"]


async def test_expired_credentials_on_sts(call, proxy):
    proxy.faults["GetCallerIdentity"] = Fault(403, "ExpiredToken")
    code, body = await call("GET", "identity")
    assert code == 401 and body["code"] == "ExpiredToken" and "expired" in body["message"]
    assert len(proxy.attempts("GetCallerIdentity")) == 1
