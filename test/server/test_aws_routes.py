"""The cluster and secret routes against the local AWS (moto's server)."""

from __future__ import annotations

import base64
import json

import local_aws
import pytest
from tornado.httpclient import HTTPClientError


async def get(jp_fetch, *parts, **params):
    response = await jp_fetch("emr-schedule", *parts, params=params)
    return json.loads(response.body)


async def post(jp_fetch, *parts, body):
    response = await jp_fetch("emr-schedule", *parts, method="POST", body=json.dumps(body))
    return response.code, json.loads(response.body)


async def error_of(call) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as err:
        await call
    return err.value.code, json.loads(err.value.response.body)


async def all_clusters(jp_fetch, **params):
    found, marker = [], None
    while True:
        page = await get(jp_fetch, "clusters", **params, **({"marker": marker} if marker else {}))
        found += page["clusters"]
        marker = page["marker"]
        if not marker:
            return found


async def test_clusters_default_to_active_states(jp_fetch):
    clusters = await all_clusters(jp_fetch)
    names = {c["name"] for c in clusters}
    assert {"analytics-no-auth", "analytics-kerberos", "analytics-ldap"} <= names
    assert all(c["state"] in ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING") for c in clusters)
    assert all(c["id"].startswith("j-") and c["created"] for c in clusters)


async def test_times_are_the_instants_aws_gave_in_utc(jp_fetch, local_aws_endpoint, monkeypatch):
    """The routes parse AWS's timestamps themselves (botocore's parser is slow on lists): each
    cluster's and secret's time is the instant boto3 reads, written in UTC whatever the
    server's time zone, and text timestamps (IAM and STS answer ISO 8601) still parse."""
    import datetime
    import time

    from jupyterlab_emr_schedule import aws as server_aws

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        clusters = {c["id"]: c["created"] for c in await all_clusters(jp_fetch)}
        secrets = {s["name"]: s["lastChanged"] for s in (await get(jp_fetch, "secrets"))["secrets"]}
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    emr = local_aws.client("emr", local_aws_endpoint)
    expected = {
        c["Id"]: c["Status"]["Timeline"]["CreationDateTime"]
        for page in emr.get_paginator("list_clusters").paginate(ClusterStates=server_aws.ACTIVE_STATES)
        for c in page["Clusters"]
    }
    assert clusters.keys() == expected.keys()
    for cluster_id, text in clusters.items():
        assert text.endswith("+00:00")
        assert datetime.datetime.fromisoformat(text) == expected[cluster_id]
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    listed = {s["Name"]: s.get("LastChangedDate") for s in sm.list_secrets(MaxResults=100)["SecretList"]}
    assert secrets
    for name, text in secrets.items():
        if listed.get(name) is not None:
            assert datetime.datetime.fromisoformat(text) == listed[name]
    parsed = server_aws._timestamp("2026-12-03T09:10:30Z")
    assert parsed == datetime.datetime(2026, 12, 3, 9, 10, 30, tzinfo=datetime.timezone.utc)


async def test_state_filter_finds_terminated_clusters(jp_fetch):
    clusters = await all_clusters(jp_fetch, states="TERMINATED")
    assert (
        len([c for c in clusters if c["name"].startswith("old-nightly-")])
        >= local_aws.TERMINATED_CLUSTER_COUNT
    )
    assert {c["state"] for c in clusters} == {"TERMINATED"}


async def test_search_by_name_and_by_id(jp_fetch):
    by_name = await get(jp_fetch, "clusters", search="KERBEROS")
    assert [c["name"] for c in by_name["clusters"]] == ["analytics-kerberos"]
    cluster_id = by_name["clusters"][0]["id"]
    by_id = await get(jp_fetch, "clusters", search=cluster_id.lower())
    assert [c["id"] for c in by_id["clusters"]] == [cluster_id]


async def cluster_named(jp_fetch, name):
    page = await get(jp_fetch, "clusters", search=name)
    return await get(jp_fetch, "clusters", page["clusters"][0]["id"])


@pytest.mark.parametrize(
    "name, auth",
    [("analytics-no-auth", "None"), ("analytics-kerberos", "Kerberos"), ("analytics-ldap", "LDAP")],
)
async def test_cluster_detail_detects_the_auth_type(jp_fetch, name, auth):
    detail = await cluster_named(jp_fetch, name)
    assert detail["authType"] == auth
    assert {"Spark", "Livy"} <= set(detail["applications"])
    assert detail["masterAddress"]
    assert detail["releaseLabel"] == "emr-6.15.0"
    assert detail["warnings"] == []
    assert "KdcAdminPassword" not in json.dumps(detail)


async def test_cluster_without_livy_gets_a_warning(jp_fetch):
    detail = await cluster_named(jp_fetch, "hive-only-no-livy")
    assert any("Livy" in w for w in detail["warnings"])
    assert any("Spark" in w for w in detail["warnings"])


async def test_unknown_cluster_and_bad_cluster_id(jp_fetch):
    code, body = await error_of(jp_fetch("emr-schedule", "clusters", "j-DOESNOTEXIST1"))
    assert code == 404 and "j-DOESNOTEXIST1" in body["message"]
    code, body = await error_of(jp_fetch("emr-schedule", "clusters", "j-abc%20def"))
    assert code == 400 and body["field"] == "clusterId"
    code, body = await error_of(jp_fetch("emr-schedule", "clusters", params={"states": "RUNNING,EXPLODED"}))
    assert code == 400 and body["field"] == "states"


async def test_secrets_list_names_arns_tags_and_never_values(jp_fetch):
    page = await get(jp_fetch, "secrets")
    by_name = {s["name"]: s for s in page["secrets"]}
    assert {"emr/shared-analytics", "emr/users/analyst-1", "emr/users/analyst-2"} <= set(by_name)
    assert by_name["emr/users/analyst-1"]["tags"] == {"user-identity": "analyst-1"}
    assert by_name["emr/users/analyst-1"]["arn"].startswith("arn:aws:secretsmanager:")
    assert by_name["emr/users/analyst-1"]["lastChanged"]
    assert local_aws.CANARY_PASSWORD not in json.dumps(page)


async def test_secrets_filter_by_name_and_tag(jp_fetch):
    page = await get(jp_fetch, "secrets", name="emr/users")
    assert {s["name"] for s in page["secrets"]} >= {"emr/users/analyst-1", "emr/users/analyst-2"}
    assert "emr/shared-analytics" not in {s["name"] for s in page["secrets"]}
    tagged = await get(jp_fetch, "secrets", tagKey="user-identity", tagValue="analyst-2")
    assert [s["name"] for s in tagged["secrets"]] == ["emr/users/analyst-2"]


async def test_secrets_page_with_the_aws_marker(jp_fetch, local_aws_endpoint):
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    for i in range(60):
        sm.create_secret(Name=f"paging/secret-{i:02d}", SecretString='{"username":"u","password":"p"}')
    first = await get(jp_fetch, "secrets", name="paging/")
    assert len(first["secrets"]) == 50 and first["marker"]
    second = await get(jp_fetch, "secrets", name="paging/", marker=first["marker"])
    names = {s["name"] for s in first["secrets"]} | {s["name"] for s in second["secrets"]}
    assert len(names) == 60


@pytest.mark.parametrize(
    "secret, expected",
    [
        ('{"username": "u", "password": "p"}', {"json": True, "hasUsername": True, "hasPassword": True}),
        ("not json at all", {"json": False}),
        ('{"Username": "u", "Password": "p"}', {"json": True, "hasUsername": False, "hasPassword": False}),
        ('["u", "p"]', {"json": False}),
    ],
)
async def test_secret_check_reports_facts_only(jp_fetch, local_aws_endpoint, secret, expected):
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    name = "check/" + base64.b32encode(secret.encode()).decode().strip("=")[:40]
    try:
        sm.create_secret(
            Name=name, SecretString=secret, Tags=[{"Key": "user-identity", "Value": "analyst-9"}]
        )
    except sm.exceptions.ResourceExistsException:
        pass
    code, body = await post(jp_fetch, "secrets", "check", body={"secretId": name})
    assert code == 200
    assert body["exists"] and body["readable"]
    for key, value in expected.items():
        assert body[key] == value
    assert body["tags"] == {"user-identity": "analyst-9"}
    assert (body["problem"] is None) == (expected.get("hasPassword") is True)
    assert secret not in json.dumps(body)


async def test_secret_check_binary_and_missing(jp_fetch, local_aws_endpoint):
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    sm.create_secret(Name="check/binary", SecretBinary=b"\x00\x01secret")
    _, body = await post(jp_fetch, "secrets", "check", body={"secretId": "check/binary"})
    assert body["readable"] and not body["json"] and "binary" in body["problem"]
    _, body = await post(jp_fetch, "secrets", "check", body={"secretId": "check/no-such-secret"})
    assert body["exists"] is False and "No secret" in body["problem"]


async def test_the_canary_secret_checks_out_without_its_password(jp_fetch):
    code, body = await post(jp_fetch, "secrets", "check", body={"secretId": "emr/users/analyst-1"})
    assert body["problem"] is None and body["hasUsername"] and body["hasPassword"]
    assert local_aws.CANARY_PASSWORD not in json.dumps(body)


async def test_create_secret_tags_and_returns_only_its_arn(jp_fetch, local_aws_endpoint):
    code, body = await post(
        jp_fetch,
        "secrets",
        body={
            "name": "emr/users/new-analyst",
            "description": "Created from the panel",
            "username": "new-analyst",
            "password": "pw-not-to-be-echoed",
            "userIdentity": "new-analyst",
        },
    )
    assert code == 201
    assert set(body) == {"name", "arn"}
    assert "pw-not-to-be-echoed" not in json.dumps(body)
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    meta = sm.describe_secret(SecretId=body["arn"])
    assert {"Key": "user-identity", "Value": "new-analyst"} in meta["Tags"]
    stored = json.loads(sm.get_secret_value(SecretId=body["arn"])["SecretString"])
    assert stored == {"username": "new-analyst", "password": "pw-not-to-be-echoed"}

    code, err = await error_of(
        jp_fetch(
            "emr-schedule",
            "secrets",
            method="POST",
            body=json.dumps({"name": "emr/users/new-analyst", "username": "x", "password": "y"}),
        )
    )
    assert code == 409 and "already exists" in err["message"]


@pytest.mark.parametrize(
    "body, field",
    [
        ("not json", "body"),
        ("[1, 2]", "body"),
        (json.dumps({"name": "has space", "username": "u", "password": "p"}), "name"),
        (json.dumps({"name": "ok", "username": "u"}), "password"),
        (json.dumps({"name": "ok", "username": 7, "password": "p"}), "username"),
        (json.dumps({"name": "ok", "username": "a\nb", "password": "p"}), "username"),
    ],
)
async def test_bad_create_bodies_name_the_field(jp_fetch, body, field):
    code, err = await error_of(jp_fetch("emr-schedule", "secrets", method="POST", body=body))
    assert code == 400 and err["field"] == field
    assert "Traceback" not in json.dumps(err)


async def test_post_without_token_or_xsrf_is_refused(jp_fetch, jp_serverapp):
    """A browser POST with a cookie but no XSRF token is refused, as every Jupyter POST."""
    jp_serverapp.web_app.settings["xsrf_cookies"] = True
    code, _ = await error_of(
        jp_fetch(
            "emr-schedule",
            "secrets",
            "check",
            method="POST",
            body=json.dumps({"secretId": "emr/users/analyst-1"}),
            headers={"Authorization": "", "Cookie": "_xsrf=abc"},
        )
    )
    assert code in (401, 403)


async def test_first_page_of_2000_clusters_makes_one_aws_call(jp_fetch, local_aws_endpoint, monkeypatch):
    """With thousands of clusters, the first page does not wait for the others."""
    local_aws.seed(local_aws_endpoint, extra_clusters=2000)
    from jupyterlab_emr_schedule import aws

    calls = []
    real_client = aws.client

    def counting_client(service):
        c = real_client(service)
        c.meta.events.register("before-call.emr.ListClusters", lambda **kw: calls.append(1))
        return c

    monkeypatch.setattr(aws, "client", counting_client)
    page = await get(jp_fetch, "clusters")
    assert len(calls) == 1
    assert len(page["clusters"]) == 50 and page["marker"]


async def test_no_route_answers_with_a_seeded_password(jp_fetch):
    passwords = [json.loads(s["SecretString"])["password"] for s in local_aws.SECRETS]
    bodies = [
        (await jp_fetch("emr-schedule", "identity")).body,
        (await jp_fetch("emr-schedule", "status")).body,
    ]
    for states in ("WAITING", "TERMINATED"):
        page = await jp_fetch("emr-schedule", "clusters", params={"states": states})
        bodies.append(page.body)
        for c in json.loads(page.body)["clusters"][:10]:
            bodies.append((await jp_fetch("emr-schedule", "clusters", c["id"])).body)
    secrets = await jp_fetch("emr-schedule", "secrets")
    bodies.append(secrets.body)
    for s in json.loads(secrets.body)["secrets"]:
        for secret_id in (s["name"], s["arn"]):
            response = await jp_fetch(
                "emr-schedule", "secrets", "check", method="POST", body=json.dumps({"secretId": secret_id})
            )
            bodies.append(response.body)
    text = b"\n".join(bodies).decode()
    for password in passwords + ["kdc-admin-demo"]:
        assert password not in text
