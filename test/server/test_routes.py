import json

import pytest
from local_aws import ACCOUNT
from tornado.httpclient import HTTPClientError


async def test_identity_answers_from_local_aws(jp_fetch):
    response = await jp_fetch("emr-schedule", "identity")
    assert response.code == 200
    body = json.loads(response.body)
    assert body["account"] == ACCOUNT
    assert body["arn"].startswith(f"arn:aws:sts::{ACCOUNT}:")


async def test_identity_refuses_an_unauthenticated_request(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("emr-schedule", "identity", headers={"Authorization": ""})
    assert err.value.code in (401, 403)


async def test_status_reports_the_scheduler(jp_fetch):
    response = await jp_fetch("emr-schedule", "status")
    body = json.loads(response.body)
    assert body["version"]
    assert set(body["scheduler"]) >= {"installed", "exportsEnvironment"}


def test_role_arn_of_an_assumed_role_session():
    from jupyterlab_emr_schedule.aws import role_arn

    assert (
        role_arn("arn:aws:sts::123456789012:assumed-role/SageMakerExecution/SageMaker")
        == "arn:aws:iam::123456789012:role/SageMakerExecution"
    )
    assert role_arn("arn:aws:sts::123456789012:user/moto") is None
