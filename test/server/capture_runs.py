"""Captures how real runs fail, for the run diagnosis's tests (test/fixtures/runs/).

Not part of `make test` (its name does not start with ``test_``): `make capture-runs` runs it and
rewrites the fixtures. Each scenario is a real run-now job of jupyter-scheduler, with a real
kernel and the real, unmodified %sm_analytics against the local AWS, made to fail one way: a
secret that does not exist or is not JSON, AccessDenied or expired credentials answered by the
recording proxy in front of the local AWS, an unknown cluster, a headless run without --secret,
an unreachable endpoint; AWS errors on each call the magic and its libraries make (DescribeCluster,
ListInstances, GetSecretValue, AssumeRole, GetCallerIdentity, EMR Serverless StartApplication and
GetApplication: denied, throttled, not found, undecryptable) and the argument errors of its EMR and
EMR Serverless validators. ``CAPTURE_ONLY=name,name`` captures only those scenarios. The fixture
keeps what jupyter-scheduler stores and shows for the run (the status message) and the output
notebook's outputs, unchanged, with the scenario that produced them.
"""

from __future__ import annotations

import json
import os
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


def ipython_cell(line: str, language: str | None = "python") -> list[dict]:
    return [{"source": f"import os\n{line}" + (f" --language {language}" if language else "")}]


def serverless(application: str, role: str | None, *, extra: str = "") -> str:
    line = f"%sm_analytics emr-serverless connect --application-id {application}"
    if role:
        line += f" --emr-execution-role-arn {role}"
    return f"{LOAD}\n{line}{extra}"


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
    app = local_aws.serverless_application_id(endpoint, "analytics-interactive")
    account = local_aws.client("sts", endpoint).get_caller_identity()["Account"]
    role = f"arn:aws:iam::{account}:role/service-role/{local_aws.SERVERLESS_EXECUTION_ROLE}"
    other_account_role = "arn:aws:iam::210987654321:role/emr-cross-account-access"
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
        # Failures a list of patterns got wrong (an AccessDenied read as an unknown cluster, usage
        # text read as the user's code), and more AWS errors on the calls the magic and its
        # libraries make (each wraps the error its own way).
        {
            "name": "describe-cluster-denied",
            "cause": "aws-access-denied",
            "how": "DescribeCluster answered AccessDeniedException (by the recording proxy); the library "
            "wraps it as a ValueError with the error dict",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(none, "None")),
            "faults": {"DescribeCluster": Fault(400, "AccessDeniedException")},
        },
        {
            "name": "list-instances-denied",
            "cause": "aws-access-denied",
            "how": "ListInstances answered AccessDeniedException (by the recording proxy)",
            "kernel": "python3",
            "cells": ipython_cell(connect(none, "None")),
            "faults": {"ListInstances": Fault(400, "AccessDeniedException")},
        },
        {
            "name": "list-instances-throttled",
            "cause": "aws-throttled",
            "how": "every ListInstances answered ThrottlingException (by the recording proxy), so "
            "botocore's retries ran out",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(none, "None")),
            "faults": {"ListInstances": Fault(400, "ThrottlingException")},
        },
        {
            "name": "secret-throttled",
            "cause": "aws-throttled",
            "how": "every GetSecretValue answered ThrottlingException (by the recording proxy)",
            "kernel": "python3",
            "cells": ipython_cell(connect(ldap, "Basic_Access", "emr/users/analyst-1")),
            "faults": {"GetSecretValue": Fault(400, "ThrottlingException")},
        },
        {
            "name": "secret-kms-decrypt",
            "cause": "secret-access-denied",
            "how": "GetSecretValue answered DecryptionFailure (by the recording proxy), as Secrets "
            "Manager does when the role may not use the secret's KMS key",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(ldap, "Basic_Access", "emr/users/analyst-1")),
            "faults": {"GetSecretValue": Fault(400, "DecryptionFailure")},
        },
        {
            "name": "assume-role-denied",
            "cause": "aws-access-denied",
            "how": "an --assumable-role-arn whose AssumeRole was answered AccessDenied (by the "
            "recording proxy); the magic wraps it as a ValueError with the error dict",
            "kernel": "python3",
            "cells": ipython_cell(connect(none, "None", extra=f" --assumable-role-arn {other_account_role}")),
            "faults": {"AssumeRole": Fault(403, "AccessDenied")},
        },
        {
            "name": "caller-identity-invalid-token",
            "cause": "credentials-invalid",
            "how": "every STS GetCallerIdentity answered InvalidClientTokenId (by the recording proxy)",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(none, "None")),
            "faults": {"GetCallerIdentity": Fault(403, "InvalidClientTokenId")},
        },
        {
            "name": "serverless-start-denied",
            "cause": "aws-access-denied",
            "how": "EMR Serverless StartApplication answered AccessDeniedException (by the recording "
            "proxy); the magic raises EMRServerlessFault from it",
            "kernel": "python3",
            "cells": ipython_cell(serverless(app, role)),
            "faults": {f"POST /applications/{app}/start": Fault(403, "AccessDeniedException")},
        },
        {
            "name": "serverless-get-denied",
            "cause": "aws-access-denied",
            "how": "EMR Serverless GetApplication answered 403 AccessDeniedException (by the "
            "recording proxy); the magic raises EMRServerlessFault from it",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(serverless(app, role)),
            "faults": {f"GET /applications/{app}": Fault(403, "AccessDeniedException")},
        },
        {
            "name": "serverless-application-unknown",
            "cause": "aws-resource-not-found",
            "how": "an EMR Serverless --application-id that does not exist; the magic raises "
            "EMRServerlessError with the message alone",
            "kernel": "python3",
            "cells": ipython_cell(serverless("00fnosuchapp0001", role)),
        },
        {
            "name": "invalid-auth-type",
            "cause": "magic-arguments",
            "how": "--auth-type LDAP, not one of the magic's auth types (MissingParametersError "
            "with the usage text)",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(connect(ldap, "LDAP", "emr/users/analyst-1")),
        },
        {
            "name": "missing-language",
            "cause": "magic-arguments",
            "how": "an EMR Serverless connect line without --language in an IPython kernel "
            "(MissingParametersError with the usage text)",
            "kernel": "python3",
            "cells": ipython_cell(serverless(app, role), language=None),
        },
        {
            "name": "missing-language-emr",
            "cause": "magic-arguments",
            "how": "an EMR connect line without --language in an IPython kernel",
            "kernel": "python3",
            "cells": ipython_cell(connect(none, "None"), language=None),
        },
        {
            "name": "serverless-missing-role",
            "cause": "magic-arguments",
            "how": "an EMR Serverless connect line without --emr-execution-role-arn",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(serverless(app, None)),
        },
        {
            "name": "bad-role-arn",
            "cause": "magic-arguments",
            "how": "an --emr-execution-role-arn that names a user, not a role (InvalidArnException)",
            "kernel": "python3",
            "cells": ipython_cell(serverless(app, f"arn:aws:iam::{account}:user/analyst-1")),
        },
        {
            "name": "serverless-with-cluster-flags",
            "cause": "magic-arguments",
            "how": "an EMR Serverless connect line that also gives --auth-type",
            "kernel": "pysparkkernel",
            "cells": sparkmagic_cells(serverless(app, role, extra=" --auth-type None")),
        },
        {
            "name": "unknown-operation",
            "cause": "magic-arguments",
            "how": "%sm_analytics emr conect (a misspelt operation)",
            "kernel": "python3",
            "cells": [{"source": f"{LOAD}\n%sm_analytics emr conect --cluster-id {none} --auth-type None"}],
        },
    ]


async def test_capture(jp_fetch, jp_root_dir, tmp_path, recorder, local_aws_endpoint, machine_krb5_conf):
    ids = cluster_ids(local_aws_endpoint)
    OUT.mkdir(parents=True, exist_ok=True)
    # CAPTURE_ONLY=name,name captures only those scenarios (named by "name", else by cause).
    only = {n for n in os.environ.get("CAPTURE_ONLY", "").split(",") if n}
    for i, scenario in enumerate(scenarios(ids, local_aws_endpoint)):
        fixture_name = scenario.get("name", scenario["cause"])
        if only and fixture_name not in only:
            continue
        # One at a time: faults apply to every job's requests.
        recorder.faults = scenario.get("faults", {})
        name = f"capture-{fixture_name}"
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
        (OUT / f"{fixture_name}.json").write_text(json.dumps(fixture, indent=1) + "\n")
        assert job["status"] == "FAILED", f"{scenario['cause']}: the run did not fail"
