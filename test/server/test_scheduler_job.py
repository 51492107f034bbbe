"""A job run through jupyter-scheduler's own API sees its environment variables in the kernel.

The server runs with the configuration file this package installs and nothing else of ours, so
the test also proves that installing the package is all it takes.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("jupyter_scheduler", reason="jupyter-scheduler is an optional dependency")

INSTALLED_CONFIG = Path(sys.prefix) / "etc/jupyter/jupyter_server_config.d/jupyterlab_emr_schedule.json"


@pytest.fixture
def jp_server_config(local_aws_endpoint, tmp_path):
    config = json.loads(INSTALLED_CONFIG.read_text())
    config["ServerApp"]["jpserver_extensions"]["jupyter_scheduler"] = True
    config["SchedulerApp"] = {"db_url": f"sqlite:///{tmp_path}/scheduler.sqlite"}
    config["Scheduler"] = {"staging_path": str(tmp_path / "staging")}
    return config


def notebook_printing(names):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    prints = "\n".join(f"print({n!r}, '=', os.getenv({n!r}))" for n in names)
    nb.cells.append(nbformat.v4.new_code_cell("import os\n" + prints))
    return nb


async def test_a_run_now_job_exports_its_variables_to_the_kernel(jp_fetch, jp_root_dir, tmp_path):
    env = {
        "cluster_id": "j-2AXXXXXXGAPLF",
        "auth_type": "Basic_Access",
        "secret_id": "emr/users/analyst-1",
    }
    nbformat.write(notebook_printing(env), jp_root_dir / "emr-job.ipynb")
    response = await jp_fetch(
        "scheduler",
        "jobs",
        method="POST",
        body=json.dumps(
            {
                "name": "emr-job",
                "input_uri": "emr-job.ipynb",
                "runtime_environment_name": "python3",
                "output_formats": ["ipynb"],
                "runtime_environment_parameters": env,
            }
        ),
    )
    job_id = json.loads(response.body)["job_id"]

    status = None
    for _ in range(240):
        job = json.loads((await jp_fetch("scheduler", "jobs", job_id)).body)
        status = job["status"]
        if status in ("COMPLETED", "FAILED"):
            break
        await asyncio.sleep(0.5)
    assert status == "COMPLETED", job.get("status_message")

    outputs = list((tmp_path / "staging" / job_id).glob("emr-job-*.ipynb"))
    assert outputs, "the job wrote no output notebook"
    text = "".join(o.get("text", "") for o in nbformat.read(outputs[0], as_version=4).cells[0].outputs)
    for name, value in env.items():
        assert f"{name} = {value}" in text


async def test_status_says_the_scheduler_exports_the_environment(jp_fetch):
    body = json.loads((await jp_fetch("emr-schedule", "status")).body)
    assert body["scheduler"]["installed"] is True
    assert body["scheduler"]["exportsEnvironment"] is True
    assert body["scheduler"]["how"] == "execution-manager"
