"""Every EMR Serverless connect cell the TypeScript generator writes is accepted by the real magic.

The fixtures come from ``test/fixtures/generateServerlessFixtures.ts`` (run by ``make``). Each cell
runs in a real IPython shell, so ``{os.getenv(...)}`` is expanded as IPython expands it; the line
then goes through the package's own parser and its ``EMRServerlessValidator``
(``magic_contract.parse_like_the_magic``), stopping short of the connection (the job tests in
``test_serverless_job`` go further, against the local AWS).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ipython_shell import ipython_shell
from magic_contract import (  # noqa: F401  (magic is an autouse fixture)
    IPYTHON_KERNEL,
    PYSPARK_KERNEL,
    kernel_of,
    magic,
    parse_like_the_magic,
)
from magic_contract import run_cells as run_connect_cells

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "ServerlessFixtures.json"
DATA = json.loads(FIXTURES.read_text())
CASES = DATA["connect"]


def run_cells(cells, kernel_name):
    with ipython_shell() as shell:
        return run_connect_cells(shell, cells, kernel_name)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_job_run_reads_the_environment(case, monkeypatch):
    env = case["env"]
    # The job's values differ from the cell's fallbacks, so the job's are seen to win.
    job_app = "00jobapplication"
    job_role = "arn:aws:iam::123456789012:role/job-execution-role"
    names = case["options"]["envNames"]
    assert set(env) == {names["applicationId"], names["executionRoleArn"]}
    monkeypatch.setenv(names["applicationId"], job_app)
    monkeypatch.setenv(names["executionRoleArn"], job_role)
    args = run_cells(case["cells"], kernel_of(case))
    assert args.command == ["emr-serverless", "connect"]
    assert args.application_id == job_app
    assert args.emr_execution_role_arn == job_role
    assert args.assumable_role_arn == (case["state"]["assumableRoleArn"] or None)
    assert (args.cluster_id, args.auth_type, args.secret) == (None, None, None)
    expected_language = case["options"]["language"] if case["family"] == "ipython" else None
    assert args.language == expected_language


@pytest.mark.parametrize("case", [c for c in CASES if c["options"]["useFallback"]], ids=lambda c: c["name"])
def test_a_run_by_hand_uses_the_panel_values(case, monkeypatch):
    for name in case["env"]:
        monkeypatch.delenv(name, raising=False)
    args = run_cells(case["cells"], kernel_of(case))
    assert args.application_id == case["state"]["applicationId"]
    assert args.emr_execution_role_arn == case["state"]["executionRoleArn"]


def test_the_env_vars_are_the_panel_values():
    for case in CASES:
        names = case["options"]["envNames"]
        assert case["env"] == {
            names["applicationId"]: case["state"]["applicationId"],
            names["executionRoleArn"]: case["state"]["executionRoleArn"],
        }


def test_fixtures_cover_both_families_and_the_leftover_cluster_fields():
    assert {c["family"] for c in CASES} == {"sparkmagic", "ipython"}
    assert any(c["state"]["clusterId"] and c["state"]["verifyCertificate"] for c in CASES)


@pytest.mark.parametrize(
    ("line", "kernel", "message"),
    [
        (
            "emr-serverless connect --emr-execution-role-arn arn:aws:iam::1:role/r",
            PYSPARK_KERNEL,
            "--application-id",
        ),
        ("emr-serverless connect --application-id a", PYSPARK_KERNEL, "--emr-execution-role-arn"),
        (
            "emr-serverless connect --application-id a --emr-execution-role-arn arn:aws:iam::1:role/r",
            IPYTHON_KERNEL,
            "--language",
        ),
        (
            "emr-serverless connect --application-id a --emr-execution-role-arn arn:aws:iam::1:role/r "
            "--auth-type None",
            PYSPARK_KERNEL,
            "not supported",
        ),
    ],
)
def test_the_magic_refuses_what_the_generator_never_writes(line, kernel, message):
    """The refusals the checker's serverless rules quote (see test_serverless_checker)."""
    from sagemaker_studio_analytics_extension.utils.exceptions import AnalyticsLibError

    with pytest.raises(AnalyticsLibError, match=message):
        parse_like_the_magic(line, kernel)


@pytest.mark.parametrize("value", ["True", "False", "true"])
def test_verify_certificate_gets_through_the_validator(value):
    """The validator means to refuse ``--verify-certificate True`` (``args.verify_certificate is True``),
    but by then the value is a ``VerifyCertificateArgument``, never ``True``: the option passes and is
    ignored. So the checker only warns about it, and the generator never writes it."""
    args = parse_like_the_magic(
        "emr-serverless connect --application-id a --emr-execution-role-arn arn:aws:iam::1:role/r "
        f"--verify-certificate {value}",
        PYSPARK_KERNEL,
    )
    assert args.application_id == "a"
