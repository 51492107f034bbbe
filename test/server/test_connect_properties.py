"""Random valid connect states, through the real ``%sm_analytics`` argument parsing.

``test/fixtures/generatePropertyFixtures.ts`` samples ~200 states the panel accepts (fast-check,
fixed seed: the same arbitraries as the jest property) and prints the cells the generator writes
for them. Each cell runs in a real IPython shell, so ``{os.getenv(...)}`` is expanded as IPython
expands it, and the magic's own parser and validator must accept the line and read back exactly
the state's values: from the job's environment variables, and from the fallbacks when the
notebook is run by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ipython_shell import ipython_shell
from magic_contract import kernel_of, magic, run_cells  # noqa: F401  (magic is an autouse fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "PropertyFixtures.json"
CASES = json.loads(FIXTURES.read_text())


@pytest.fixture(scope="module")
def shell():
    """One IPython shell for all the cases: each case's cells import what they use."""
    with ipython_shell() as sh:
        yield sh


def assert_reads_the_state(args, case):
    state, options = case["state"], case["options"]
    assert args.command == ["emr", "connect"]
    assert args.cluster_id == state["clusterId"]
    assert args.auth_type == case["magicAuthType"]
    assert args.secret == (state["secretId"] if case["needsSecret"] else None)
    assert args.assumable_role_arn == (state["assumableRoleArn"] or None)
    assert args.emr_execution_role_arn == (state["executionRoleArn"] or None)
    assert args.language == (options["language"] if case["family"] == "ipython" else None)
    assert args.verify_certificate.value is state["verifyCertificate"]


def case_id(case) -> str:
    s = case["state"]
    return f"{case['family']}-{case['authType']}-{s['clusterId'][:12]}-{len(s['secretId'])}"


#: The partitions the magic's ARN parser accepts in a role ARN
#: (sagemaker_studio_analytics_extension.utils.arn_util.Partition; checked below).
MAGIC_PARTITIONS = {"aws", "aws-cn", "aws-us-gov"}


def test_the_sample_is_varied():
    assert len(CASES) >= 150
    assert {c["family"] for c in CASES} == {"sparkmagic", "ipython"}
    assert {c["authType"] for c in CASES} == {"None", "Kerberos", "LDAP", "HTTP_Basic"}
    assert any(c["state"]["secretId"].startswith("arn:") for c in CASES)
    assert any(c["state"]["assumableRoleArn"] for c in CASES)
    assert any(not c["options"]["useFallback"] for c in CASES)


def test_the_magic_accepts_exactly_these_partitions():
    from sagemaker_studio_analytics_extension.utils.arn_util import Partition

    assert {p.value for p in Partition} == MAGIC_PARTITIONS


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_a_job_run_reads_the_state_from_its_environment(case, shell, monkeypatch):
    for name, value in case["env"].items():
        monkeypatch.setenv(name, value)
    assert_reads_the_state(run_cells(shell, case["cells"], kernel_of(case)), case)


FALLBACK_CASES = [c for c in CASES if c["options"]["useFallback"]]


@pytest.mark.parametrize("case", FALLBACK_CASES, ids=case_id)
def test_a_run_by_hand_reads_the_state_from_the_cell(case, shell, monkeypatch):
    for name in case["env"]:
        monkeypatch.delenv(name, raising=False)
    assert_reads_the_state(run_cells(shell, case["cells"], kernel_of(case)), case)
