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
auth types that need credentials, that GetSecretValue got the job's secret id. For Kerberos, the
magic writes /etc/krb5.conf naming the primary node's private DNS name as the realm's KDC; the
local AWS names it after a real MIT KDC on this machine's loopback (demo/local_kdc.py), and
kinit gets a ticket there with the password read from the job's secret: the KDC's own log must
show it issued one to the secret's user for every Kerberos run (it asks for pre-authentication,
so it issues none for a wrong password), and the job's credential cache must hold it. Each run
then stops where the local AWS ends, and the output says why: Livy on the primary node cannot
be reached (there is no EMR cluster here). No stand-in replaces the magic, Livy or Kerberos:
they fail as they would against a cluster whose Livy cannot be reached.

The matrix of how far each run got is printed with the test run's output.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("jupyter_scheduler", reason="jupyter-scheduler is an optional dependency")

import local_aws  # noqa: E402
from scheduler_jobs import (  # noqa: E402
    ANSI,
    CLUSTER_OF,
    KERNELS,
    cluster_ids,
    create_job,
    output_notebook,
    output_text,
    wait_for,
)

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "JobFixtures.json"
CASES = json.loads(FIXTURES.read_text())


@pytest.fixture
def jp_server_config(scheduler_server_config):
    return scheduler_server_config


#: How far a run got, judged from its output, latest step first.
STEPS = [
    ("Livy unreachable", re.compile(r"LivyConnectionError: Cannot connect to livy service at \S+:8998")),
    ("kinit failed", re.compile(r"kinit: .*")),
]


async def test_every_auth_type_and_kernel_connects_with_the_jobs_own_values(
    jp_fetch, jp_root_dir, tmp_path, recorder, local_aws_endpoint, kdc, machine_krb5_conf, capsys
):
    ids = cluster_ids(local_aws_endpoint)
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    seen_by_kdc = len(kdc.as_requests())
    runs = []
    for kernel, (_, family) in KERNELS.items():
        for case in (c for c in CASES if c["family"] == family):
            key = f"JOB{kernel}{case['authType']}".upper().replace("_", "")
            env = {**case["env"], case["envNames"]["clusterId"]: ids[CLUSTER_OF[case["authType"]]]}
            name = f"{kernel}-{case['authType']}"
            job_id = await create_job(jp_fetch, recorder, jp_root_dir, name, kernel, case["cells"], env, key)
            runs.append(
                {"case": case, "kernel": kernel, "key": key, "env": env, "name": name, "job_id": job_id}
            )

    jobs = await wait_for(jp_fetch, [r["job_id"] for r in runs])
    # Initial tickets the KDC issued during the runs, by principal.
    issued = Counter(r.client for r in kdc.as_requests()[seen_by_kdc:] if r.outcome == "ISSUE")
    kerberos_runs = Counter()

    rows, failures = [], []
    for run in runs:
        case, env = run["case"], run["env"]
        mine = [r for r in recorder.requests if r.access_key == run["key"]]
        described = [r.body.get("ClusterId") for r in mine if r.operation == "DescribeCluster"]
        instances = [r.body.get("ClusterId") for r in mine if r.operation == "ListInstances"]
        secrets = [r.body.get("SecretId") for r in mine if r.operation == "GetSecretValue"]
        job = jobs[run["job_id"]]
        output = output_notebook(tmp_path / "staging", run["job_id"], run["name"])
        text = output_text(output) if output else ""
        text += "\n" + ANSI.sub("", job.get("status_message") or "")
        reached = "DescribeCluster" if described else "nothing"
        if instances:
            reached = "primary node found"
        if secrets:
            reached = "GetSecretValue"
        cluster, secret = env[case["envNames"]["clusterId"]], env.get(case["envNames"]["secretId"])
        principal = None
        if case["authType"] == "Kerberos":
            user = json.loads(sm.get_secret_value(SecretId=secret)["SecretString"])["username"]
            principal = f"{user}@{kdc.realm}"
            kerberos_runs[principal] += 1
            if issued[principal]:
                reached += f" -> ticket for {principal}"
        for step, pattern in STEPS:
            if m := pattern.search(text):
                reached += f" -> {step if step != 'kinit failed' else m[0]}"
                break
        rows.append((run["kernel"], case["authType"], job["status"], reached))

        problems = []
        if described != [cluster] * len(described) or not described:
            problems.append(f"DescribeCluster got {described}, expected the job's {cluster}")
        if case["cellFallbacks"]["clusterId"] in described:
            problems.append("the cell's fallback cluster id was used")
        if case["needsSecret"] and secrets != [secret]:
            problems.append(f"GetSecretValue got {secrets}, expected the job's {secret}")
        if not case["needsSecret"] and secrets:
            problems.append(f"GetSecretValue was called for auth type None: {secrets}")
        if principal and not issued[principal]:
            problems.append(f"the KDC issued no ticket to {principal}, the job's secret's user")
        if "Livy unreachable" not in reached:
            problems.append(f"the run did not stop at 'Livy unreachable'; its output ends:\n{text[-1500:]}")
        if problems:
            failures.append(f"{run['name']}: " + "; ".join(problems))

    # Every Kerberos run asked for its own ticket (the KDC cannot tell which job asked; the
    # count can): one initial ticket per run, for the principal of the job's secret.
    for principal, count in kerberos_runs.items():
        if issued[principal] < count:
            failures.append(
                f"the KDC issued {issued[principal]} initial tickets to {principal} for {count} Kerberos runs"
            )
    if kerberos_runs:
        cache = subprocess.run(["klist", "-c", f"FILE:{tmp_path / 'krb5cc'}"], capture_output=True, text=True)
        held = re.search(r"Default principal: (\S+)", cache.stdout)
        if cache.returncode != 0 or not held or held[1] not in kerberos_runs:
            held_text = cache.stdout + cache.stderr
            failures.append(f"the jobs' credential cache holds no ticket of theirs: {held_text}")
        elif f"krbtgt/{kdc.realm}@{kdc.realm}" not in cache.stdout:
            failures.append(f"the jobs' credential cache has no ticket-granting ticket: {cache.stdout}")

    width = max(len(f"{k} / {a}") for k, a, _, _ in rows)
    with capsys.disabled():  # the matrix is part of the test run's output
        print("\nJob matrix (kernel / auth type: job status, how far the real %sm_analytics got)")
        for kernel, auth, status, reached in rows:
            print(f"  {f'{kernel} / {auth}':<{width}}  {status:<9}  {reached}")
    assert not failures, "\n".join(failures)
