"""A run-now job runs the serverless connect cell the panel writes through the real %sm_analytics.

As in ``test_job_matrix``: for a PySpark and a Python kernel, a run-now job is created through
jupyter-scheduler's REST API with the variables the panel gives a job; the cells' fallbacks name
an application and a role that do not exist, the job's variables name the local AWS's started
application and its execution role. The magic's EMR Serverless client reaches the local AWS
through the recording proxy, so the test sees that StartApplication and GetApplication (the
magic's first calls, in that order) got the job's own application id. The run then stops where
the local AWS ends: sparkmagic cannot reach the application's Livy endpoint (a host under
amazonaws.com) to start the Spark session, and nothing stands in for it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import local_aws
import pytest

pytest.importorskip("jupyter_scheduler", reason="jupyter-scheduler is an optional dependency")

from scheduler_jobs import ANSI, create_job, output_notebook, output_text, wait_for  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "ServerlessFixtures.json"
JOBS = json.loads(FIXTURES.read_text())["jobs"]
KERNEL_OF = {"sparkmagic": "pysparkkernel", "ipython": "python3"}
APPLICATION = local_aws.SERVERLESS_APPLICATIONS[0]["name"]
#: Where the run stops: sparkmagic cannot reach the application's Livy endpoint to start a session.
LIVY_UNREACHABLE = re.compile(
    r"SparkSessionStartFailedFault: .*\n?.*Error sending http request and maximum retry"
)


@pytest.fixture
def jp_server_config(scheduler_server_config):
    return scheduler_server_config


async def test_the_job_connects_to_its_own_application(
    jp_fetch, jp_root_dir, tmp_path, recorder, local_aws_endpoint
):
    app_id = local_aws.serverless_application_id(local_aws_endpoint, APPLICATION)
    role = f"arn:aws:iam::{local_aws.ACCOUNT}:role/service-role/{local_aws.SERVERLESS_EXECUTION_ROLE}"
    runs = []
    for case in JOBS:
        kernel = KERNEL_OF[case["family"]]
        names = case["envNames"]
        env = {names["applicationId"]: app_id, names["executionRoleArn"]: role}
        key = f"JOBSERVERLESS{kernel}".upper()
        name = f"serverless-{kernel}"
        job_id = await create_job(jp_fetch, recorder, jp_root_dir, name, kernel, case["cells"], env, key)
        runs.append({"case": case, "kernel": kernel, "key": key, "name": name, "job_id": job_id})

    jobs = await wait_for(jp_fetch, [r["job_id"] for r in runs])

    failures = []
    for run in runs:
        mine = [r.operation for r in recorder.requests if r.access_key == run["key"]]
        calls = [op for op in mine if "/applications/" in op]
        fallback = run["case"]["cellFallbacks"]["applicationId"]
        output = output_notebook(tmp_path / "staging", run["job_id"], run["name"])
        text = output_text(output) if output else ""
        text += "\n" + ANSI.sub("", jobs[run["job_id"]].get("status_message") or "")
        problems = []
        if not calls or calls[0] != f"POST /applications/{app_id}/start":
            problems.append(f"the first EMR Serverless call was not StartApplication of {app_id}: {calls}")
        if f"GET /applications/{app_id}" not in calls:
            problems.append(f"GetApplication of {app_id} was not called: {calls}")
        if any(fallback in op for op in mine):
            problems.append("the cell's fallback application id was used")
        if not LIVY_UNREACHABLE.search(text):
            problems.append(
                f"the run did not stop at the application's Livy endpoint; output:\n{text[-1500:]}"
            )
        if problems:
            failures.append(f"{run['name']}: " + "; ".join(problems))
        print(f"\n{run['name']}: {jobs[run['job_id']]['status']}; EMR Serverless calls: {calls}")
    assert not failures, "\n".join(failures)
