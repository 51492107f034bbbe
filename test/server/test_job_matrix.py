"""Scheduled jobs run the connect cell the panel writes through the real, unmodified %sm_analytics.

For each kernel (PySpark and Spark through sparkmagic's kernels, Python through ipykernel) and
each auth type the panel offers, a run-now job is created through jupyter-scheduler's REST API
with the variables the panel gives a job. The cells' fallbacks name a cluster and a secret that
do not exist; the job's variables name real ones in the local AWS. The scheduler runs the job in
its own process with a real kernel, and the magic talks to the local AWS (its clients reach it
through demo/local_aws_redirect, which exists only for the local AWS).

From the local AWS's record of requests (a recording proxy in front of it; each job signs with
an access key of its own, set in the job's environment only so that concurrent jobs' requests
can be told apart) the test checks that DescribeCluster got the job's cluster id and, for the
auth types that need credentials, that GetSecretValue got the job's secret id. Each run then
stops where the local AWS ends, and the output says why: Livy on the primary node cannot be
reached (there is no EMR cluster here), or for Kerberos, kinit finds no KDC for the realm.
No stand-in replaces the magic, Livy or Kerberos: they fail as they would against a cluster
that cannot be reached.

The matrix of how far each run got is printed (run pytest with -s to see it).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from fault_proxy import FaultProxy

pytest.importorskip("jupyter_scheduler", reason="jupyter-scheduler is an optional dependency")

import local_aws  # noqa: E402

INSTALLED_CONFIG = Path(sys.prefix) / "etc/jupyter/jupyter_server_config.d/jupyterlab_emr_schedule.json"
FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "JobFixtures.json"
CASES = json.loads(FIXTURES.read_text())
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


@pytest.fixture(scope="module")
def recorder(local_aws_endpoint):
    with FaultProxy(local_aws_endpoint) as proxy:
        yield proxy


@pytest.fixture
def jp_server_config(recorder, tmp_path, monkeypatch, jp_environ):
    # Jobs and their kernels inherit the server's environment: send them through the recorder.
    # (jp_environ sets PYTHONPATH to pytest's path, so the redirect is put back in front.)
    for name, value in local_aws.aws_env(recorder.endpoint).items():
        monkeypatch.setenv(name, value)
    config = json.loads(INSTALLED_CONFIG.read_text())
    config["ServerApp"]["jpserver_extensions"]["jupyter_scheduler"] = True
    config["SchedulerApp"] = {"db_url": f"sqlite:///{tmp_path}/scheduler.sqlite"}
    config["Scheduler"] = {"staging_path": str(tmp_path / "staging")}
    return config


@pytest.fixture
def machine_krb5_conf():
    """%sm_analytics writes the cluster's krb5.conf to /etc/krb5.conf before kinit (the
    containers it is made for are its own); put this machine's file back afterwards."""
    saved = KRB5_CONF.read_bytes() if KRB5_CONF.exists() else None
    yield
    if saved is None:
        KRB5_CONF.unlink(missing_ok=True)
    else:
        KRB5_CONF.write_bytes(saved)


def cluster_ids(endpoint: str) -> dict[str, str]:
    emr = local_aws.client("emr", endpoint)
    clusters = emr.list_clusters(ClusterStates=["STARTING", "RUNNING", "WAITING"])["Clusters"]
    return {c["Name"]: c["Id"] for c in clusters}


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


#: How far a run got, judged from its requests and its output, latest step first.
STEPS = [
    ("kinit: no KDC", re.compile(r"kinit: Cannot contact any KDC for realm")),
    ("Livy unreachable", re.compile(r"LivyConnectionError: Cannot connect to livy service at \S+:8998")),
]


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


async def test_every_auth_type_and_kernel_connects_with_the_jobs_own_values(
    jp_fetch, jp_root_dir, tmp_path, recorder, local_aws_endpoint, machine_krb5_conf
):
    ids = cluster_ids(local_aws_endpoint)
    runs = []
    for kernel, (_, family) in KERNELS.items():
        for case in (c for c in CASES if c["family"] == family):
            key = f"JOB{kernel}{case['authType']}".upper().replace("_", "")
            env = {**case["env"], case["envNames"]["clusterId"]: ids[CLUSTER_OF[case["authType"]]]}
            name = f"{kernel}-{case['authType']}"
            nbformat.write(job_notebook(kernel, case["cells"]), jp_root_dir / f"{name}.ipynb")
            body = {
                "name": name,
                "input_uri": f"{name}.ipynb",
                "runtime_environment_name": kernel,
                "output_formats": ["ipynb"],
                "runtime_environment_parameters": {**env, "AWS_ACCESS_KEY_ID": key},
            }
            response = await jp_fetch("scheduler", "jobs", method="POST", body=json.dumps(body))
            job_id = json.loads(response.body)["job_id"]
            runs.append(
                {"case": case, "kernel": kernel, "key": key, "env": env, "name": name, "job_id": job_id}
            )
            await kernel_started(jp_fetch, recorder, job_id, key)

    jobs = await wait_for(jp_fetch, [r["job_id"] for r in runs])

    rows, failures = [], []
    for run in runs:
        case, env = run["case"], run["env"]
        mine = [r for r in recorder.requests if r.access_key == run["key"]]
        described = [r.body.get("ClusterId") for r in mine if r.operation == "DescribeCluster"]
        instances = [r.body.get("ClusterId") for r in mine if r.operation == "ListInstances"]
        secrets = [r.body.get("SecretId") for r in mine if r.operation == "GetSecretValue"]
        job = jobs[run["job_id"]]
        outputs = list((tmp_path / "staging" / run["job_id"]).glob(f"{run['name']}-*.ipynb"))
        text = output_text(outputs[0]) if outputs else ""
        text += "\n" + ANSI.sub("", job.get("status_message") or "")
        reached = "DescribeCluster" if described else "nothing"
        if instances:
            reached = "primary node found"
        if secrets:
            reached = "GetSecretValue"
        for step, pattern in STEPS:
            if pattern.search(text):
                reached += f" -> {step}"
                break
        rows.append((run["kernel"], case["authType"], job["status"], reached))

        cluster, secret = env[case["envNames"]["clusterId"]], env.get(case["envNames"]["secretId"])
        problems = []
        if described != [cluster] * len(described) or not described:
            problems.append(f"DescribeCluster got {described}, expected the job's {cluster}")
        if case["cellFallbacks"]["clusterId"] in described:
            problems.append("the cell's fallback cluster id was used")
        if case["needsSecret"] and secrets != [secret]:
            problems.append(f"GetSecretValue got {secrets}, expected the job's {secret}")
        if not case["needsSecret"] and secrets:
            problems.append(f"GetSecretValue was called for auth type None: {secrets}")
        expected = "kinit: no KDC" if case["authType"] == "Kerberos" else "Livy unreachable"
        if expected not in reached:
            problems.append(f"the run did not stop at '{expected}'; its output ends:\n{text[-1500:]}")
        if problems:
            failures.append(f"{run['name']}: " + "; ".join(problems))

    width = max(len(f"{k} / {a}") for k, a, _, _ in rows)
    print("\nJob matrix (kernel / auth type: job status, how far the real %sm_analytics got)")
    for kernel, auth, status, reached in rows:
        print(f"  {f'{kernel} / {auth}':<{width}}  {status:<9}  {reached}")
    assert not failures, "\n".join(failures)
