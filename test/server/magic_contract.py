"""Reading a line like the real ``%sm_analytics``, for the contract tests of both services.

The connect-cell contracts (``test_connect_contract``, ``test_serverless_connect``,
``test_connect_properties``) and the checker contracts (``test_checker_contract``,
``test_serverless_checker``) all run cells as a kernel would and hand each ``%sm_analytics``
line to ``parse_like_the_magic``: the package's own argument parser and checks, then the
validator of the line's service (``EMRValidator`` for ``emr connect``, ``EMRServerlessValidator``
for ``emr-serverless connect``), in the order ``SagemakerAnalytics.sm_analytics`` runs them,
stopping short of the connection (there is no cluster or application here).

A module that uses the magic imports the ``magic`` fixture from here (it is autouse).
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from IPython.core.magic_arguments import parse_argstring
from ipython_shell import ipython_shell
from sagemaker_studio_analytics_extension.utils.exceptions import AnalyticsLibError
from sparkmagic.kernels.wrapperkernel.usercodeparser import UserCodeParser

LOAD_EXT = "%load_ext sagemaker_studio_analytics_extension.magics"
IPYTHON_KERNEL = "IPythonKernel"
PYSPARK_KERNEL = "PySparkKernel"
#: The usage text the magic appends to its refusals (its own is long; the tests match the rest).
USAGE = "usage"


@pytest.fixture(scope="module", autouse=True)
def magic(local_aws_endpoint):
    """The package calls STS when imported, so it is imported against the local AWS.

    It builds its STS endpoint URL itself (ignoring AWS_ENDPOINT_URL); that one function is
    pointed at the local AWS, the only stand-in here: no real AWS is reachable.
    """
    from sagemaker_studio_analytics_extension.utils import client_factory

    client_factory.get_regional_service_endpoint_url = lambda *args, **kwargs: local_aws_endpoint
    from sagemaker_studio_analytics_extension.magics import sagemaker_analytics
    from sagemaker_studio_analytics_extension.utils import emr_constants

    assert (emr_constants.IPYTHON_KERNEL, emr_constants.PYSPARK_KERNEL) == (IPYTHON_KERNEL, PYSPARK_KERNEL)
    return sagemaker_analytics


def magic_function():
    """The real ``%sm_analytics`` (its argument declarations are the parser's)."""
    from sagemaker_studio_analytics_extension.magics.sagemaker_analytics import SagemakerAnalytics

    return SagemakerAnalytics.sm_analytics


def parse_like_the_magic(line: str, kernel_name: str):
    """What ``SagemakerAnalytics.sm_analytics`` does with its line before it connects, for either
    service: the parsed arguments, or the magic's own refusal (``UsageError`` from the parser,
    ``AnalyticsLibError`` from its checks and validators). ``help`` only prints."""
    from sagemaker_studio_analytics_extension.magics.sagemaker_analytics import _check_required_args
    from sagemaker_studio_analytics_extension.utils.arg_validators.emr_serverless_validator import (
        EMRServerlessValidator,
    )
    from sagemaker_studio_analytics_extension.utils.arg_validators.emr_validator import EMRValidator
    from sagemaker_studio_analytics_extension.utils.constants import (
        OPERATION,
        SERVICE,
        VerifyCertificateArgument,
    )
    from sagemaker_studio_analytics_extension.utils.exceptions import InvalidParameterError
    from sagemaker_studio_analytics_extension.utils.string_utils import unquote_ends

    args = parse_argstring(magic_function(), line)
    _check_required_args(args, USAGE)
    service, operation = args.command[0].lower(), args.command[1].lower()
    args.verify_certificate = VerifyCertificateArgument(unquote_ends(args.verify_certificate))
    if service not in (SERVICE.EMR, SERVICE.EMR_SERVERLESS):
        raise InvalidParameterError(f"Service '{service}' not found. {USAGE}")
    if operation == OPERATION.CONNECT and service == SERVICE.EMR:
        EMRValidator.validate_emr_args(args=args, usage=USAGE, kernel_name=kernel_name)
    elif operation == OPERATION.CONNECT:
        EMRServerlessValidator.validate_args_for_emr_serverless(args, USAGE, kernel_name)
    elif operation != OPERATION.HELP:
        raise InvalidParameterError(f"Operation '{operation}' not found. {USAGE}")
    return args


def kernel_of(case) -> str:
    """The kernel a generated case's cells are written for."""
    return IPYTHON_KERNEL if case["family"] == "ipython" else PYSPARK_KERNEL


def local_code(source: str, kernel: str) -> str | None:
    """The code the local IPython runs for a cell, or None when the cell is not run there.

    SparkMagic's own ``UserCodeParser`` decides, for its kernels, what runs locally (a
    ``%%local`` cell's body, line magics) and what goes to the Spark session. The extension
    itself is loaded by ``test_connect_contract.test_load_ext_succeeds``; here
    ``record_magic``'s stand-in serves for it, so the ``%load_ext`` line is left out.
    """
    if kernel != IPYTHON_KERNEL:
        source = UserCodeParser().get_code_to_run(source)
    # %%spark and SparkMagic's other cell magics (%%configure, %%send_to_spark, ...) are not
    # local Python; these tests check the connection, not the Spark session.
    if source.startswith("%%"):
        return None
    return "\n".join(line for line in source.split("\n") if line.strip() != LOAD_EXT)


def record_magic(shell, kernel: str) -> list:
    """Registers ``%sm_analytics`` on ``shell`` as a stand-in that reads its line (after
    IPython's expansion, as the real magic gets it) with ``parse_like_the_magic``; returns the
    list each call appends to: the parsed arguments, or the magic's refusal."""
    calls: list = []

    def sm_analytics(line):
        try:
            calls.append(parse_like_the_magic(line, kernel))
        except (UsageError, AnalyticsLibError) as err:
            calls.append(err)

    shell.register_magic_function(sm_analytics, "line", "sm_analytics")
    return calls


def run_cells(shell, cells, kernel_name):
    """Runs the cells as the kernel would; every cell that runs locally must succeed, and the
    one ``%sm_analytics`` line among them be accepted: returns its arguments."""
    calls = record_magic(shell, kernel_name)
    for cell in cells:
        code = local_code(cell["source"], kernel_name)
        if code is None:
            continue
        result = shell.run_cell(code, store_history=False)
        assert result.success, result.error_in_exec or result.error_before_exec
    assert len(calls) == 1, "exactly one %sm_analytics line per connect cell"
    if isinstance(calls[0], Exception):
        raise calls[0]
    return calls[0]


def run_locally(run, kernel, monkeypatch):
    """Runs a notebook's cells that the kernel runs locally, in a fresh IPython, with the job's
    environment (``run["env"]``).

    Per cell index: the IPython result and what each ``%sm_analytics`` line of the cell gave the
    magic (its parsed arguments, or the error that stopped it).
    """
    for name, value in run["env"].items():
        monkeypatch.setenv(name, value)
    try:
        with ipython_shell() as shell:
            calls = record_magic(shell, kernel)
            per_cell = {}
            for index, cell in enumerate(run["cells"]):
                code = local_code(cell["source"], kernel) if cell["cell_type"] == "code" else None
                if code is None:
                    continue
                calls.clear()
                result = shell.run_cell(code, store_history=False)
                per_cell[index] = (result, list(calls))
    finally:
        for name in run["env"]:
            monkeypatch.delenv(name)
    return per_cell


def connect_outcomes(run, kernel, monkeypatch, problems_of) -> dict:
    """Runs a notebook as its kernel would; per connect line (cell, line), why it fails: where
    it never reaches the magic, the magic's refusal, or ``problems_of(args)`` for the arguments
    the magic accepted (none when the line works)."""
    if not run["connectLines"]:
        return {}  # nothing to connect (and nothing else here needs running)
    per_cell = run_locally(run, kernel, monkeypatch)
    outcome = {}
    taken: dict[int, int] = {}
    for connect in run["connectLines"]:
        key = (connect["cell"], connect["line"])
        if connect["cell"] not in per_cell:
            outcome[key] = ["the cell is sent to the Spark session, where the magic does not exist"]
            continue
        result, cell_calls = per_cell[connect["cell"]]
        k = taken.get(connect["cell"], 0)
        taken[connect["cell"]] = k + 1
        if result.error_before_exec is not None:
            outcome[key] = [f"the cell does not compile: {result.error_before_exec!r}"]
        elif k >= len(cell_calls):
            outcome[key] = ["the line never ran"]
        elif isinstance(cell_calls[k], Exception):
            outcome[key] = [f"the magic refused it: {cell_calls[k]}"]
        else:
            outcome[key] = problems_of(cell_calls[k])
    return outcome


def value_problems(values: dict) -> list[str]:
    """Option values the validator let through that still fail in a job."""
    problems = []
    for option, value in values.items():
        if value == "":
            problems.append(f"{option} is empty")
        if value and any(ch.isspace() or not ch.isprintable() for ch in value):
            problems.append(f"{option} {value!r} holds a space or an invisible character")
        if value and ("{" in value or "$" in value):
            problems.append(f"{option} {value} was not expanded")
        if value and value[0] in "'\"":
            problems.append(f"{option} {value} keeps its quotes")
    return problems


def assert_outcomes_match_the_checker(run, outcome, version: str):
    """The contract: a connect line works exactly when the checker reports no connect error."""
    for connect in run["connectLines"]:
        problems = outcome[(connect["cell"], connect["line"])]
        where = f"{version} cell {connect['cell']}: {connect['text']}"
        if connect["checkerError"]:
            assert problems, f"the checker reports an error but the line works: {where}"
        else:
            assert not problems, f"the checker is silent but the line fails: {where}: {problems}"
