"""Every connect cell the TypeScript generator writes is accepted by the real ``%sm_analytics``.

The fixtures come from ``test/fixtures/generateConnectFixtures.ts`` (run by ``make``). Each cell
runs in a real IPython shell, so ``{os.getenv(...)}`` is expanded exactly as IPython expands it;
the ``sm_analytics`` line magic is the package's own argument parsing and validation
(``magic_contract.parse_like_the_magic``), stopping short of the network connection (there is no
cluster here).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from IPython.core.magic_arguments import parse_argstring
from ipython_shell import ipython_shell
from magic_contract import (  # noqa: F401  (magic is an autouse fixture)
    IPYTHON_KERNEL,
    LOAD_EXT,
    kernel_of,
    magic,
    magic_function,
    parse_like_the_magic,
    run_cells,
)

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "ConnectFixtures.json"
CASES = json.loads(FIXTURES.read_text())


@pytest.fixture
def shell():
    with ipython_shell() as sh:
        yield sh


def case_id(case):
    o = case["options"]
    return "-".join(
        [
            case["family"],
            case["authType"],
            "fallback" if o["useFallback"] else "nofallback",
            o["envNames"]["clusterId"],
            "verify" if case["state"]["verifyCertificate"] else "",
            "roles" if case["state"]["assumableRoleArn"] else "",
            o["language"] if case["family"] == "ipython" else "",
            "" if o["loadExtension"] else "noload",
        ]
    )


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_the_job_run_reads_the_environment(case, shell, monkeypatch):
    for name, value in case["env"].items():
        monkeypatch.setenv(name, value)
    args = run_cells(shell, case["cells"], kernel_of(case))
    assert args.command == ["emr", "connect"]
    assert args.cluster_id == case["state"]["clusterId"]
    assert args.auth_type == case["magicAuthType"]
    if case["magicAuthType"] == "None":
        assert args.secret is None
    else:
        # Headless runs of Kerberos and Basic_Access need --secret.
        assert args.secret == case["state"]["secretId"]
    assert args.assumable_role_arn == (case["state"]["assumableRoleArn"] or None)
    assert args.emr_execution_role_arn == (case["state"]["executionRoleArn"] or None)
    expected_language = case["options"]["language"] if case["family"] == "ipython" else None
    assert args.language == expected_language


@pytest.mark.parametrize("case", [c for c in CASES if c["options"]["useFallback"]], ids=lambda c: case_id(c))
def test_a_run_by_hand_uses_the_panel_values(case, shell, monkeypatch):
    for name in case["env"]:
        monkeypatch.delenv(name, raising=False)
    args = run_cells(shell, case["cells"], kernel_of(case))
    assert args.cluster_id == case["state"]["clusterId"]
    assert args.auth_type == case["magicAuthType"]


def test_the_magic_rejects_what_the_aws_page_writes():
    """The page's defects, as the real parser sees them: the reason the checks exist."""
    from IPython.core.error import UsageError

    with pytest.raises(UsageError, match="unrecognized arguments: --secrets"):
        parse_like_the_magic("emr connect --cluster-id j-1 --auth-type None --secrets x", IPYTHON_KERNEL)
    em_dash = parse_argstring(magic_function(), "emr connect \u2014cluster-id j-1 --auth-type None")
    assert em_dash.cluster_id is None and "\u2014cluster-id" in em_dash.command


def test_load_ext_succeeds(shell):
    result = shell.run_cell(LOAD_EXT, store_history=False)
    assert result.success
    assert "sm_analytics" in shell.magics_manager.magics["line"]


def test_fixtures_cover_every_auth_type_and_family():
    seen = {(c["family"], c["authType"]) for c in CASES}
    auth_types = ("None", "Kerberos", "LDAP", "HTTP_Basic")
    assert seen == {(f, a) for f in ("sparkmagic", "ipython") for a in auth_types}
    assert os.path.getsize(FIXTURES) > 0
