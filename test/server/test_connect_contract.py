"""Every connect cell the TypeScript generator writes is accepted by the real ``%sm_analytics``.

The fixtures come from ``test/fixtures/generateConnectFixtures.ts`` (run by ``make``). Each cell
runs in a real IPython shell, so ``{os.getenv(...)}`` is expanded exactly as IPython expands it;
the ``sm_analytics`` line magic is the package's own argument parsing and validation, stopping
short of the network connection (there is no cluster here).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from IPython.core.magic_arguments import parse_argstring
from ipython_shell import ipython_shell

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "ConnectFixtures.json"
CASES = json.loads(FIXTURES.read_text())
LOAD_EXT = "%load_ext sagemaker_studio_analytics_extension.magics"
IPYTHON_KERNEL = "IPythonKernel"
PYSPARK_KERNEL = "PySparkKernel"


@pytest.fixture(scope="module", autouse=True)
def magic(local_aws_endpoint):
    """The package calls STS when imported, so it is imported against the local AWS.

    It builds its STS endpoint URL itself (ignoring AWS_ENDPOINT_URL); that one function is
    pointed at the local AWS, the only stand-in in this module: no real AWS is reachable here.
    """
    from sagemaker_studio_analytics_extension.utils import client_factory

    client_factory.get_regional_service_endpoint_url = lambda *args, **kwargs: local_aws_endpoint
    from sagemaker_studio_analytics_extension.magics import sagemaker_analytics
    from sagemaker_studio_analytics_extension.utils import emr_constants

    assert (emr_constants.IPYTHON_KERNEL, emr_constants.PYSPARK_KERNEL) == (IPYTHON_KERNEL, PYSPARK_KERNEL)
    return sagemaker_analytics


def parse_like_the_magic(line: str, kernel_name: str):
    """What ``SagemakerAnalytics.sm_analytics`` does with its line before it connects."""
    from sagemaker_studio_analytics_extension.magics.sagemaker_analytics import (
        SagemakerAnalytics,
        _check_required_args,
    )
    from sagemaker_studio_analytics_extension.utils.arg_validators.emr_validator import EMRValidator
    from sagemaker_studio_analytics_extension.utils.constants import VerifyCertificateArgument
    from sagemaker_studio_analytics_extension.utils.string_utils import unquote_ends

    args = parse_argstring(SagemakerAnalytics.sm_analytics, line)
    _check_required_args(args, "usage")
    args.verify_certificate = VerifyCertificateArgument(unquote_ends(args.verify_certificate))
    EMRValidator.validate_emr_args(args=args, usage="usage", kernel_name=kernel_name)
    return args


@pytest.fixture
def shell():
    with ipython_shell() as sh:
        yield sh


def run_cells(shell, cells, kernel_name, parse=None):
    """Runs the cells as the kernel would; returns the magic's arguments as ``parse`` (by default
    the cluster line's parser) reads them."""
    parse = parse or parse_like_the_magic
    seen = []

    def sm_analytics(line):
        seen.append(parse(line, kernel_name))

    shell.register_magic_function(sm_analytics, "line", "sm_analytics")
    for cell in cells:
        source = cell["source"]
        # SparkMagic runs a %%local cell's body in the local IPython.
        if source.startswith("%%local\n"):
            source = source[len("%%local\n") :]
        # The extension itself is loaded by test_load_ext_succeeds; here our stub stands in.
        source = "\n".join(line for line in source.splitlines() if line != LOAD_EXT)
        result = shell.run_cell(source, store_history=False)
        assert result.success, result.error_in_exec or result.error_before_exec
    assert len(seen) == 1, "exactly one %sm_analytics line per connect cell"
    return seen[0]


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
    kernel = IPYTHON_KERNEL if case["family"] == "ipython" else PYSPARK_KERNEL
    for name, value in case["env"].items():
        monkeypatch.setenv(name, value)
    args = run_cells(shell, case["cells"], kernel)
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
    kernel = IPYTHON_KERNEL if case["family"] == "ipython" else PYSPARK_KERNEL
    for name in case["env"]:
        monkeypatch.delenv(name, raising=False)
    args = run_cells(shell, case["cells"], kernel)
    assert args.cluster_id == case["state"]["clusterId"]
    assert args.auth_type == case["magicAuthType"]


def test_the_magic_rejects_what_the_aws_page_writes():
    """The page's defects, as the real parser sees them: the reason the checks exist."""
    from IPython.core.error import UsageError

    with pytest.raises(UsageError, match="unrecognized arguments: --secrets"):
        parse_like_the_magic("emr connect --cluster-id j-1 --auth-type None --secrets x", IPYTHON_KERNEL)
    em_dash = parse_argstring(magic_function(), "emr connect \u2014cluster-id j-1 --auth-type None")
    assert em_dash.cluster_id is None and "\u2014cluster-id" in em_dash.command


def magic_function():
    from sagemaker_studio_analytics_extension.magics.sagemaker_analytics import SagemakerAnalytics

    return SagemakerAnalytics.sm_analytics


def test_load_ext_succeeds(shell):
    result = shell.run_cell(LOAD_EXT, store_history=False)
    assert result.success
    assert "sm_analytics" in shell.magics_manager.magics["line"]


def test_fixtures_cover_every_auth_type_and_family():
    seen = {(c["family"], c["authType"]) for c in CASES}
    auth_types = ("None", "Kerberos", "LDAP", "HTTP_Basic")
    assert seen == {(f, a) for f in ("sparkmagic", "ipython") for a in auth_types}
    assert os.path.getsize(FIXTURES) > 0
