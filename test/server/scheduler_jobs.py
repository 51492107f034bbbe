"""Running real jupyter-scheduler jobs against the local AWS, for the job matrix and the run
captures: helpers to create, await and read jobs. The fixtures (a recording proxy in front of
the local AWS, a server whose jobs and kernels reach it through the proxy) are in conftest.py."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

import local_aws
import nbformat

INSTALLED_CONFIG = Path(sys.prefix) / "etc/jupyter/jupyter_server_config.d/jupyterlab_emr_schedule.json"
KERNELS = {
    "pysparkkernel": ("PySpark", "sparkmagic"),
    "sparkkernel": ("Spark", "sparkmagic"),
    "python3": ("Python 3", "ipython"),
}
#: The cluster each auth type's job names. EMR records nothing that tells HTTP Basic (set up in
#: a proxy in front of Livy) from no auth, so the HTTP Basic job names the cluster without one.
CLUSTER_OF = {
    "None": "analytics-no-auth",
    "Kerberos": "analytics-kerberos",
    "LDAP": "analytics-ldap",
    "HTTP_Basic": "analytics-no-auth",
}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
KRB5_CONF = Path("/etc/krb5.conf")


def cluster_ids(endpoint: str) -> dict[str, str]:
    emr = local_aws.client("emr", endpoint)
    pages = emr.get_paginator("list_clusters").paginate(ClusterStates=["STARTING", "RUNNING", "WAITING"])
    return {c["Name"]: c["Id"] for page in pages for c in page["Clusters"]}


def job_notebook(kernel: str, cells: list[dict]) -> nbformat.NotebookNode:
    display, _ = KERNELS[kernel]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": display}
    nb.cells = [nbformat.v4.new_code_cell(c["source"]) for c in cells]
    return nb


def output_text(path: Path) -> str:
    """Everything the run's cells printed, with terminal colour codes removed."""
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif out.get("output_type") == "error":
                parts.append(
                    f"{out.get('ename')}: {out.get('evalue')}\n" + "\n".join(out.get("traceback", []))
                )
            else:
                parts.append(json.dumps(out.get("data", {})))
    return ANSI.sub("", "\n".join(parts))


async def kernel_started(jp_fetch, recorder, job_id: str, key: str, timeout: float = 120) -> None:
    """Waits until the job's kernel runs (its first AWS request: the magic's import), or the job
    ended. Each job process picks its kernel's ports on its own, and two kernels starting at the
    same moment can pick the same one ("Address already in use"), so kernels start one by one;
    their connects still run side by side."""
    deadline = asyncio.get_event_loop().time() + timeout
    while asyncio.get_event_loop().time() < deadline:
        if any(r.access_key == key for r in recorder.requests):
            return
        job = json.loads((await jp_fetch("scheduler", "jobs", job_id)).body)
        if job["status"] in ("COMPLETED", "FAILED"):
            return
        await asyncio.sleep(0.25)


async def wait_for(jp_fetch, job_ids: list[str], timeout: float = 420) -> dict[str, dict]:
    jobs: dict[str, dict] = {}
    deadline = asyncio.get_event_loop().time() + timeout
    while asyncio.get_event_loop().time() < deadline:
        for job_id in job_ids:
            if jobs.get(job_id, {}).get("status") not in ("COMPLETED", "FAILED"):
                jobs[job_id] = json.loads((await jp_fetch("scheduler", "jobs", job_id)).body)
        if all(j["status"] in ("COMPLETED", "FAILED") for j in jobs.values()):
            return jobs
        await asyncio.sleep(1)
    pending = {j: v["status"] for j, v in jobs.items() if v["status"] not in ("COMPLETED", "FAILED")}
    raise AssertionError(f"jobs still running after {timeout:.0f} s: {pending}")


async def create_job(
    jp_fetch, recorder, root_dir: Path, name: str, kernel: str, cells: list[dict], env: dict, key: str
) -> str:
    """Writes the notebook, creates a run-now job with ``env`` as its environment variables and
    ``key`` as the access key its AWS requests are signed with, and waits for its kernel."""
    nbformat.write(job_notebook(kernel, cells), root_dir / f"{name}.ipynb")
    body = {
        "name": name,
        "input_uri": f"{name}.ipynb",
        "runtime_environment_name": kernel,
        "output_formats": ["ipynb"],
        "runtime_environment_parameters": {**env, "AWS_ACCESS_KEY_ID": key},
    }
    response = await jp_fetch("scheduler", "jobs", method="POST", body=json.dumps(body))
    job_id = json.loads(response.body)["job_id"]
    await kernel_started(jp_fetch, recorder, job_id, key)
    return job_id


def output_notebook(staging: Path, job_id: str, name: str) -> Path | None:
    outputs = list((staging / job_id).glob(f"{name}-*.ipynb"))
    return outputs[0] if outputs else None
