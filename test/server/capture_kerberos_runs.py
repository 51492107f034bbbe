"""Captures how real Kerberos runs fail against a real KDC, for the run diagnosis's tests
(test/fixtures/runs/).

Not part of `make test` (its name does not start with ``test_``): `make capture-runs` runs it
with capture_runs.py. Each scenario is a run-now job of jupyter-scheduler with a real kernel and
the real, unmodified %sm_analytics connecting to the local AWS's Kerberos cluster, whose KDC is a
real MIT krb5kdc on this machine's loopback (demo/local_kdc.py, the ``kdc`` fixture): the job's
secret holds a password that is not the principal's, or a user the KDC does not know, or the KDC
does not answer (it is stopped and port 88 on its address swallows every request, as a security
group that drops port 88 does). Each capture checks in the KDC's own log that the KDC saw (or
did not see) the request as the scenario says, and keeps what jupyter-scheduler stores and shows
for the run (the status message) and the output notebook's outputs, unchanged, in the format of
capture_runs.py's fixtures.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from datetime import date
from pathlib import Path

import local_aws
import local_kdc
import nbformat
import pytest
from scheduler_jobs import cluster_ids, create_job, output_notebook, wait_for

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "runs"
LOAD = "%load_ext sagemaker_studio_analytics_extension.magics"

#: Secrets made for these captures only (the seeded ones hold the principals' passwords).
WRONG_PASSWORD_SECRET = "emr/capture/kerberos-wrong-password"
UNKNOWN_USER_SECRET = "emr/capture/kerberos-unknown-user"
UNKNOWN_USER = "analyst-9"


@pytest.fixture
def jp_server_config(scheduler_server_config):
    return scheduler_server_config


def connect(cluster: str, secret: str) -> str:
    return f"{LOAD}\n%sm_analytics emr connect --cluster-id {cluster} --auth-type Kerberos --secret {secret}"


def _seed_capture_secrets(endpoint: str) -> None:
    users = local_kdc.principals_of(local_aws.SECRETS)
    assert "analyst-2" in users and UNKNOWN_USER not in users
    sm = local_aws.client("secretsmanager", endpoint)
    for name, value in (
        (WRONG_PASSWORD_SECRET, {"username": "analyst-2", "password": "not-the-kerberos-password"}),
        (UNKNOWN_USER_SECRET, {"username": UNKNOWN_USER, "password": "analyst-9-pw"}),
    ):
        try:
            sm.create_secret(Name=name, SecretString=json.dumps(value))
        except sm.exceptions.ResourceExistsException:
            sm.put_secret_value(SecretId=name, SecretString=json.dumps(value))


@contextlib.contextmanager
def kdc_not_answering(kdc: local_kdc.LocalKdc):
    """Stops the KDC and holds port 88 on its address without ever answering (UDP datagrams are
    read and dropped; TCP connections are accepted and left silent). Yields a count of what
    arrived; the KDC serves again afterwards."""
    kdc.halt()
    arrived = {"udp": 0, "tcp": 0}
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    udp.bind((kdc.address, local_kdc.KDC_PORT))
    tcp.bind((kdc.address, local_kdc.KDC_PORT))
    tcp.listen(16)
    udp.settimeout(0.2)
    tcp.settimeout(0.2)
    held, stop = [], threading.Event()

    def swallow() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                udp.recv(65535)
                arrived["udp"] += 1
            with contextlib.suppress(TimeoutError, OSError):
                held.append(tcp.accept()[0])
                arrived["tcp"] += 1

    thread = threading.Thread(target=swallow, daemon=True)
    thread.start()
    try:
        yield arrived
    finally:
        stop.set()
        thread.join()
        for s in (*held, udp, tcp):
            s.close()
        kdc.serve()


def scenarios(kerberos_cluster: str, realm: str) -> list[dict]:
    return [
        {
            "cause": "kerberos-password-wrong",
            "how": (
                "Kerberos cluster with a real MIT KDC; the job's secret names analyst-2, a principal "
                "of the realm, with a password that is not analyst-2's Kerberos password (the KDC "
                "logged PREAUTH_FAILED for analyst-2)"
            ),
            "kernel": "pysparkkernel",
            "cells": [
                {"source": "%%local\nimport os"},
                {"source": connect(kerberos_cluster, WRONG_PASSWORD_SECRET)},
            ],
            "kdc_saw": ("PREAUTH_FAILED", f"analyst-2@{realm}"),
        },
        {
            "cause": "kerberos-principal-unknown",
            "how": (
                f"Kerberos cluster with a real MIT KDC; the job's secret names {UNKNOWN_USER}, a user "
                f"the KDC does not know (the KDC logged CLIENT_NOT_FOUND for {UNKNOWN_USER})"
            ),
            "kernel": "python3",
            "cells": [
                {"source": f"import os\n{connect(kerberos_cluster, UNKNOWN_USER_SECRET)} --language python"}
            ],
            "kdc_saw": ("CLIENT_NOT_FOUND", f"{UNKNOWN_USER}@{realm}"),
        },
        {
            "cause": "kerberos-kinit",
            "how": (
                "Kerberos cluster whose KDC does not answer: the KDC stopped and port 88 on the "
                "primary node's address swallowing every request, as a security group that drops "
                "port 88 does; the job's secret is readable and right (kinit gave up after its "
                "retries)"
            ),
            "kernel": "sparkkernel",
            "cells": [
                {"source": "%%local\nimport os"},
                {"source": connect(kerberos_cluster, "emr/users/analyst-2")},
            ],
            "kdc_saw": None,
        },
    ]


async def test_capture_kerberos(
    jp_fetch, jp_root_dir, tmp_path, recorder, local_aws_endpoint, kdc, machine_krb5_conf
):
    _seed_capture_secrets(local_aws_endpoint)
    OUT.mkdir(parents=True, exist_ok=True)
    problems = []
    for i, scenario in enumerate(scenarios(cluster_ids(local_aws_endpoint)["analytics-kerberos"], kdc.realm)):
        name = f"capture-{scenario['cause']}"
        seen = len(kdc.as_requests())
        with contextlib.ExitStack() as stack:
            arrived = stack.enter_context(kdc_not_answering(kdc)) if scenario["kdc_saw"] is None else None
            job_id = await create_job(
                jp_fetch,
                recorder,
                jp_root_dir,
                name,
                scenario["kernel"],
                scenario["cells"],
                {},
                f"KRBCAPTURE{i:02d}",
            )
            job = (await wait_for(jp_fetch, [job_id]))[job_id]
        logged = [(r.outcome, r.client) for r in kdc.as_requests()[seen:]]
        if scenario["kdc_saw"] is None:
            if logged or not arrived or not arrived["udp"] + arrived["tcp"]:
                problems.append(f"{scenario['cause']}: the silent KDC got {arrived}, the KDC logged {logged}")
        elif scenario["kdc_saw"] not in logged or ("ISSUE", scenario["kdc_saw"][1]) in logged:
            problems.append(f"{scenario['cause']}: the KDC logged {logged}, expected {scenario['kdc_saw']}")
        output = output_notebook(tmp_path / "staging", job_id, name)
        cells = nbformat.read(output, as_version=4).cells if output else []
        fixture = {
            "cause": scenario["cause"],
            "source": (
                f"Captured {date.today().isoformat()} by test/server/capture_kerberos_runs.py from a "
                f"run-now job of jupyter-scheduler (kernel {scenario['kernel']}, the real %sm_analytics "
                f"against the local AWS): {scenario['how']}."
            ),
            "kernel": scenario["kernel"],
            "status": job["status"],
            "statusMessage": job.get("status_message") or "",
            "cells": [{"source": c.source, "outputs": c.get("outputs", [])} for c in cells],
        }
        if job["status"] != "FAILED":
            problems.append(f"{scenario['cause']}: the run did not fail")
        else:
            (OUT / f"{scenario['cause']}.json").write_text(json.dumps(fixture, indent=1) + "\n")
    assert not problems, "\n".join(problems)
