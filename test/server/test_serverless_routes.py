"""The EMR Serverless routes (applications, one application, execution roles) against the local AWS."""

from __future__ import annotations

import json

import local_aws
import pytest
from fault_proxy import FaultProxy
from tornado.httpclient import HTTPClientError

STARTED, STOPPED = (a["name"] for a in local_aws.SERVERLESS_APPLICATIONS)


async def get(jp_fetch, *parts, **params):
    response = await jp_fetch("emr-schedule", "serverless", *parts, params=params)
    return json.loads(response.body)


async def error_of(call) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as err:
        await call
    return err.value.code, json.loads(err.value.response.body)


async def all_pages(jp_fetch, route, key, **params):
    found, marker = [], None
    while True:
        page = await get(jp_fetch, route, **params, **({"marker": marker} if marker else {}))
        found += page[key]
        marker = page["marker"]
        if not marker:
            return found


@pytest.fixture(scope="module")
def hive_application(local_aws_endpoint):
    """A Hive application: %sm_analytics cannot use it, so the picker never shows it."""
    emrs = local_aws.client("emr-serverless", local_aws_endpoint)
    return emrs.create_application(name="hive-reports", releaseLabel="emr-7.1.0", type="HIVE")[
        "applicationId"
    ]


async def test_applications_list_spark_applications_with_their_state(jp_fetch, hive_application):
    apps = await all_pages(jp_fetch, "applications", "applications")
    by_name = {a["name"]: a for a in apps}
    assert {STARTED, STOPPED} <= set(by_name)
    assert "hive-reports" not in by_name
    assert by_name[STARTED]["state"] == "STARTED"
    assert by_name[STOPPED]["state"] == "STOPPED"
    for a in (by_name[STARTED], by_name[STOPPED]):
        assert a["releaseLabel"] == local_aws.SERVERLESS_RELEASE_LABEL
        assert a["type"].lower() == "spark"
        assert a["architecture"] in ("X86_64", "ARM64")
        assert a["id"].isalnum() and a["id"] == a["id"].lower()
        assert a["created"]


async def test_state_filter_and_search(jp_fetch):
    started = await all_pages(jp_fetch, "applications", "applications", states="STARTED")
    assert STOPPED not in {a["name"] for a in started}
    assert {a["state"] for a in started} == {"STARTED"}
    by_name = await get(jp_fetch, "applications", search="NIGHTLY")
    assert [a["name"] for a in by_name["applications"]] == [STOPPED]
    app_id = by_name["applications"][0]["id"]
    by_id = await get(jp_fetch, "applications", search=app_id)
    assert [a["id"] for a in by_id["applications"]] == [app_id]
    nothing = await get(jp_fetch, "applications", search="no-such-application")
    assert nothing == {"applications": [], "marker": None}


async def application_named(jp_fetch, name):
    page = await get(jp_fetch, "applications", search=name)
    return await get(jp_fetch, "applications", page["applications"][0]["id"])


async def test_detail_says_whether_it_starts_by_itself(jp_fetch):
    started = await application_named(jp_fetch, STARTED)
    assert (started["state"], started["autoStart"], started["warnings"]) == ("STARTED", True, [])
    assert started["autoStop"] is True and started["idleTimeoutMinutes"] == 15
    stopped = await application_named(jp_fetch, STOPPED)
    assert (stopped["state"], stopped["autoStart"]) == ("STOPPED", False)
    assert any("StartApplication" in w for w in stopped["warnings"])


async def test_detail_of_a_hive_application_warns(jp_fetch, hive_application):
    detail = await get(jp_fetch, "applications", hive_application)
    assert any("Spark applications only" in w for w in detail["warnings"])


async def test_unknown_application_is_a_404_with_a_plain_message(jp_fetch):
    code, body = await error_of(get(jp_fetch, "applications", "0000nosuchapp000"))
    assert code == 404
    assert body["code"] == "ApplicationNotFound"
    assert "0000nosuchapp000" in body["message"]


@pytest.mark.parametrize(
    "raw", ["j-1ABCDEFGHIJKL", "00FABC", "a" * 65, "00f%27%29%3B", "%00", "00f abc", "%C3%A9t%C3%A9"]
)
async def test_bad_application_ids_are_refused_before_aws(jp_fetch, raw):
    code, body = await error_of(jp_fetch("emr-schedule", "serverless", "applications", raw))
    assert code == 400 and body["field"] == "applicationId", body


@pytest.mark.parametrize(
    "params, field",
    [
        ({"states": "RUNNING"}, "states"),
        ({"states": "started"}, "states"),
        ({"states": ",,"}, "states"),
        ({"search": "a\nb"}, "search"),
        ({"search": "x" * 1000}, "search"),
        ({"marker": "garbage"}, "marker"),
    ],
)
async def test_bad_listing_input_is_a_400_naming_the_field(jp_fetch, params, field):
    code, body = await error_of(get(jp_fetch, "applications", **params))
    assert code == 400 and body["field"] == field, body


async def test_a_clusters_marker_does_not_page_applications(jp_fetch):
    from jupyterlab_emr_schedule.handlers import wrap_marker

    code, body = await error_of(get(jp_fetch, "applications", marker=wrap_marker("clusters", "x")))
    assert code == 400 and body["field"] == "marker"


@pytest.fixture(scope="module")
def decoy_role(local_aws_endpoint):
    """A role EMR Serverless cannot assume (it trusts EC2): never offered as an execution role."""
    iam = local_aws.client("iam", local_aws_endpoint)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    try:
        iam.create_role(RoleName="serverless-decoy-ec2", AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    return "serverless-decoy-ec2"


async def test_execution_roles_are_the_roles_emr_serverless_may_assume(jp_fetch, decoy_role):
    roles = await all_pages(jp_fetch, "execution-roles", "roles")
    names = {r["name"] for r in roles}
    assert local_aws.SERVERLESS_EXECUTION_ROLE in names
    assert decoy_role not in names
    role = next(r for r in roles if r["name"] == local_aws.SERVERLESS_EXECUTION_ROLE)
    assert role["arn"] == (
        f"arn:aws:iam::{local_aws.ACCOUNT}:role/service-role/{local_aws.SERVERLESS_EXECUTION_ROLE}"
    )
    page = await get(jp_fetch, "execution-roles", search="DEMO-SERVERLESS")
    assert page["canList"] is True
    assert [r["name"] for r in page["roles"]] == [local_aws.SERVERLESS_EXECUTION_ROLE]


@pytest.fixture
def proxy(local_aws_endpoint, monkeypatch):
    from jupyterlab_emr_schedule import aws

    with FaultProxy(local_aws_endpoint) as p:
        monkeypatch.setenv("AWS_ENDPOINT_URL", p.endpoint)
        aws.reset()
        yield p
    aws.reset()


async def test_without_iam_list_roles_the_panel_gets_a_plain_field(jp_fetch, proxy):
    proxy.faults["ListRoles"] = (400, "AccessDenied")
    page = await get(jp_fetch, "execution-roles")
    assert page["canList"] is False and page["roles"] == []
    assert page["action"] == "iam:ListRoles"
    assert "iam:ListRoles" in page["message"]


def test_trust_policies_that_admit_emr_serverless():
    from jupyterlab_emr_schedule.aws import SERVERLESS_PRINCIPAL, _admits

    def doc(**statement):
        return {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", **statement}]}

    assert _admits(doc(Principal={"Service": SERVERLESS_PRINCIPAL}), SERVERLESS_PRINCIPAL)
    assert _admits(
        doc(Principal={"Service": ["ec2.amazonaws.com", SERVERLESS_PRINCIPAL]}), SERVERLESS_PRINCIPAL
    )
    assert _admits(json.dumps(doc(Principal={"Service": SERVERLESS_PRINCIPAL})), SERVERLESS_PRINCIPAL)
    assert not _admits(doc(Principal={"Service": "ec2.amazonaws.com"}), SERVERLESS_PRINCIPAL)
    assert not _admits(doc(Principal={"AWS": "arn:aws:iam::123456789012:root"}), SERVERLESS_PRINCIPAL)
    assert not _admits(
        {
            "Statement": [
                {"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": {"Service": SERVERLESS_PRINCIPAL}}
            ]
        },
        SERVERLESS_PRINCIPAL,
    )
    assert not _admits("not json", SERVERLESS_PRINCIPAL)
