"""Captures how real runs fail, for the run diagnosis's tests (test/fixtures/runs/).

Not part of `make test` (its name does not start with ``test_``): `make capture-runs` runs it and
rewrites the fixtures. Each scenario is a real run-now job of jupyter-scheduler, with a real
kernel and the real, unmodified %sm_analytics against the local AWS, made to fail one way: a
secret that does not exist or is not JSON, AccessDenied or expired credentials answered by the
recording proxy in front of the local AWS, an unknown cluster, a headless run without --secret,
an unreachable endpoint, and so on. The fixture keeps what jupyter-scheduler stores and shows
for the run (the status message) and the output notebook's outputs, unchanged, with the scenario
that produced them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import local_aws
import nbformat
import pytest
from fault_proxy import Fault
from scheduler_jobs import cluster_ids, create_job, output_notebook, wait_for

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "runs"
LOAD = "%load_ext sagemaker_studio_analytics_extension.magics"


def connect(cluster: str, auth: str, secret: str | None = None, *, extra: str = "") -> str:
    line = f"%sm_analytics emr connect --cluster-id {cluster} --auth-type {auth}"
    if secret:
        line += f" --secret {secret}"
    return f"{LOAD}\n{line}{extra}"


def ipython_cell(line: str) -> list[dict]:
    return [{"source": f"import os\n{line} --language python"}]


def sparkmagic_cells(line: str) -> list[dict]:
    return [{"source": "%%local\nimport os"}, {"source": line}]


@pytest.fixture
def jp_server_config(scheduler_server_config):
    return scheduler_server_config


def scenarios(ids: dict[str, str], endpoint: str) -> list[dict]:
    sm = local_aws.client("secretsmanager", endpoint)
    for name, value in (("emr/capture/not-json", "analytics:pw"), ("emr/capture/no-keys", '{"user": "a"}')):
        try:
            sm.create_secret(Name=name, SecretString=value)
        except sm.exceptions.ResourceExistsException:
            pass
    emr = local_aws.client("emr", endpoint)
    terminated = emr.list_clusters(ClusterStates=["TERMINATED"])["Clusters"][0]["Id"]
    ldap, none = ids["analytics-ldap"], ids["analytics-no-auth"]
    return [
        {
            "cause": "livy-unreachable",
            "how": "LDAP cluster, readable secret; Livy on the primary node cannot be reached",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(ldap, "Basic_Access", "emr/users/analyst-1")),
        },
        # Kerberos failures (kerberos-kinit and others) are captured against the real KDC by
        # capture_kerberos_runs.py.
        {
            "cause": "secret-missing",
            "how": "a --secret that does not exist in Secrets Manager",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(ldap, "Basic_Access", "emr/users/nobody")),
        },
        {
            "cause": "secret-access-denied",
            "how": "GetSecretValue answered AccessDeniedException (by the recording proxy)",
            "kernel": "python3",
            "cells": ipython_cell(connect(ldap, "Basic_Access", "emr/users/analyst-1")),
            "faults": {"GetSecretValue": Fault(400, "AccessDeniedException")},
        },
        {
            "cause": "secret-not-json",
            "how": "a secret whose value is not JSON",
            "kernel": "python3",
            "cells": ipython_cell(connect(ldap, "Basic_Access", "emr/capture/not-json")),
        },
        {
            "cause": "secret-without-keys",
            "how": "a JSON secret without username and password",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(ldap, "Basic_Access", "emr/capture/no-keys")),
        },
        {
            "cause": "cluster-unknown",
            "how": "a cluster id that does not exist",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect("j-0NOSUCHCLUSTER1", "None")),
        },
        {
            "cause": "primary-node-not-found",
            "how": "a terminated cluster: no instances, so no primary node",
            "kernel": "python3",
            "cells": ipython_cell(connect(terminated, "None")),
        },
        {
            "cause": "headless-without-secret",
            "how": "LDAP cluster, Basic_Access without --secret, in a SageMaker-style headless run",
            "kernel": "python3",
            "cells": ipython_cell(connect(ldap, "Basic_Access")),
            "env": {"SM_JOB_DEF_VERSION": "1.0"},
        },
        {
            "cause": "credentials-expired",
            "how": "every STS call answered ExpiredTokenException (by the recording proxy)",
            "kernel": "python3",
            "cells": ipython_cell(connect(none, "None")),
            "faults": {"GetCallerIdentity": Fault(403, "ExpiredTokenException")},
        },
        {
            "cause": "aws-unreachable",
            "how": "the job's AWS endpoint is a closed port",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(none, "None")),
            "env": {"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "LOCAL_AWS_ENDPOINT_URL": "http://127.0.0.1:9"},
        },
        {
            "cause": "magic-arguments",
            "how": "the AWS page's --secrets instead of --secret",
            "kernel": "python3",
            "cells": ipython_cell(connect(ldap, "Basic_Access") + " --secrets emr/users/analyst-1"),
        },
        {
            "cause": "auth-type-mismatch",
            "how": "auth type None on the LDAP cluster",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(ldap, "None")),
        },
        {
            "cause": "user-code",
            "how": "the user's own cell fails after the imports (a ZeroDivisionError in cell 2)",
            "kernel": "python3",
            "cells": [{"source": "import os\nrate = 0"}, {"source": "total = 100\nper_day = total / rate"}],
        },
    ]


async def test_capture(jp_fetch, jp_root_dir, tmp_path, recorder, local_aws_endpoint, machine_krb5_conf):
    ids = cluster_ids(local_aws_endpoint)
    OUT.mkdir(parents=True, exist_ok=True)
    for i, scenario in enumerate(scenarios(ids, local_aws_endpoint)):
        # One at a time: faults apply to every job's requests.
        recorder.faults = scenario.get("faults", {})
        name = f"capture-{scenario['cause']}"
        key = f"CAPTURE{i:02d}"
        job_id = await create_job(
            jp_fetch,
            recorder,
            jp_root_dir,
            name,
            scenario["kernel"],
            scenario["cells"],
            scenario.get("env", {}),
            key,
        )
        job = (await wait_for(jp_fetch, [job_id]))[job_id]
        recorder.faults = {}
        output = output_notebook(tmp_path / "staging", job_id, name)
        cells = nbformat.read(output, as_version=4).cells if output else []
        fixture = {
            "cause": scenario["cause"],
            "source": (
                f"Captured {date.today().isoformat()} by test/server/capture_runs.py from a run-now job of "
                f"jupyter-scheduler (kernel {scenario['kernel']}, the real %sm_analytics against the "
                f"local AWS): "
                f"{scenario['how']}."
            ),
            "kernel": scenario["kernel"],
            "status": job["status"],
            "statusMessage": job.get("status_message") or "",
            "cells": [{"source": c.source, "outputs": c.get("outputs", [])} for c in cells],
        }
        (OUT / f"{scenario['cause']}.json").write_text(json.dumps(fixture, indent=1) + "\n")
        assert job["status"] == "FAILED", f"{scenario['cause']}: the run did not fail"
