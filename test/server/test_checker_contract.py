"""The readiness checker agrees with the real ``%sm_analytics`` about what fails.

The fixtures come from ``test/fixtures/generateCheckerFixtures.ts`` (run by ``make``): every
notebook of the checker's corpus and every notebook built from the product's own cells, as it is
and after ``applyAllFixes``, with the checker's findings. Each version is run here as its kernel
would run it: SparkMagic's own ``UserCodeParser`` decides which cells run in the local IPython (the
rest go to the Spark session, which does not exist here), a real IPython shell expands
``{os.getenv(...)}``, and the magic's own parser and validation read each ``%sm_analytics`` line
(``magic_contract``). A connect line *works* when it runs locally, is accepted, its
values were expanded and carry no quotes, and it does not need a password pop-up that a headless
job cannot answer.

The contract: a connect line works exactly when the checker reports no connect error for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ipython_shell import ipython_shell
from magic_contract import (  # noqa: F401  (magic is an autouse fixture)
    IPYTHON_KERNEL,
    assert_outcomes_match_the_checker,
    connect_outcomes,
    magic,
    parse_like_the_magic,
    record_magic,
    run_locally,
    value_problems,
)
from sagemaker_studio_analytics_extension.utils.exceptions import AnalyticsLibError

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "CheckerFixtures.json"
DATA = json.loads(FIXTURES.read_text())
CASES = DATA["notebooks"]
LINES = DATA["lines"]
CORPUS = {case["name"]: case for case in CASES if case["origin"] == "corpus"}
NEEDS_CREDENTIALS = ("Kerberos", "Basic_Access")
CLEAN = ("clean-pyspark.ipynb", "clean-ipython.ipynb", "clean-no-connect.ipynb")


def headless_refusal(args, kernel: str, monkeypatch) -> str | None:
    """What a scheduled job gets when the line needs credentials and names no secret.

    The branch mirrors ``_initiate_emr_connect``; the refusal is the package's own provider.
    """
    from sagemaker_studio_analytics_extension.magics.sagemaker_analytics import (
        IpythonWidgetBasedAuthProvider,
    )

    rbac = args.auth_type == "Basic_Access" and args.emr_execution_role_arn
    if args.auth_type not in NEEDS_CREDENTIALS or rbac or args.secret is not None:
        return None
    monkeypatch.setenv("SM_JOB_DEF_VERSION", "1")
    try:
        IpythonWidgetBasedAuthProvider().get_credentials_and_connect_to_cluster(
            context=None, emr_client=None, args=args, emr_cluster=None, kernel_name=kernel
        )
    except AnalyticsLibError as err:
        return str(err)
    finally:
        monkeypatch.delenv("SM_JOB_DEF_VERSION")
    raise AssertionError("a headless run without --secret was not refused")


def problems_of(args, kernel: str, monkeypatch) -> list[str]:
    """Why a line the parser accepted still fails in a job (none when it works)."""
    if [word.lower() for word in args.command] != ["emr", "connect"]:
        return []  # help: nothing to connect
    problems = []
    values = {
        "--cluster-id": args.cluster_id,
        "--secret": args.secret,
        "--assumable-role-arn": args.assumable_role_arn,
        "--emr-execution-role-arn": args.emr_execution_role_arn,
        # True and False are read case-insensitively; anything else is a certificate path.
        "--verify-certificate": args.verify_certificate.value
        if isinstance(args.verify_certificate.value, str)
        else None,
    }
    problems.extend(value_problems(values))
    refusal = headless_refusal(args, kernel, monkeypatch)
    if refusal:
        problems.append(refusal)
    return problems


def run_notebook(run, kernel, monkeypatch):
    """Runs the cells as the kernel would; per connect line, why it fails."""
    return connect_outcomes(run, kernel, monkeypatch, lambda args: problems_of(args, kernel, monkeypatch))


def case_id(case):
    return case["name"]


@pytest.mark.parametrize("version", ["original", "fixed"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_a_connect_line_works_exactly_when_the_checker_finds_no_error(case, version, monkeypatch):
    run = case[version]
    assert_outcomes_match_the_checker(run, run_notebook(run, case["kernel"], monkeypatch), version)


@pytest.mark.parametrize("case", [c for c in CASES if not c["remainingErrors"]], ids=case_id)
def test_fixed_notebooks_without_errors_connect(case, monkeypatch):
    outcome = run_notebook(case["fixed"], case["kernel"], monkeypatch)
    assert all(problems == [] for problems in outcome.values()), outcome
    for connect in case["fixed"]["connectLines"]:
        assert "\n" not in connect["text"] and connect["text"].lstrip().startswith(
            "%sm_analytics emr connect"
        )


def test_the_aws_page_examples_are_rejected_and_fixed(monkeypatch):
    """The page's two connect examples, as printed, fail; after the checker's fixes they connect."""
    em_dash = CORPUS["aws-page-em-dash.ipynb"]
    assert "\u2014cluster-id" in em_dash["original"]["connectLines"][0]["text"]
    (problems,) = run_notebook(em_dash["original"], em_dash["kernel"], monkeypatch).values()
    assert "Please provide service name and operation" in problems[0]

    for name in ("aws-page-multiline.ipynb", "aws-page-multiline-ipython.ipynb"):
        case = CORPUS[name]
        (problems,) = run_notebook(case["original"], case["kernel"], monkeypatch).values()
        assert "does not compile" in problems[0] and "IndentationError" in problems[0]

    for name in ("aws-page-em-dash.ipynb", "aws-page-multiline.ipynb", "aws-page-multiline-ipython.ipynb"):
        case = CORPUS[name]
        assert case["remainingErrors"] == []
        outcome = run_notebook(case["fixed"], case["kernel"], monkeypatch)
        assert list(outcome.values()) == [[]], name


def test_the_auth_abbreviation_works_so_it_is_only_a_warning():
    args = parse_like_the_magic("emr connect --cluster-id j-1 --auth Kerberos", "PySparkKernel")
    assert args.auth_type == "Kerberos"
    warnings = [f for f in CORPUS["aws-page-multiline.ipynb"]["findings"] if f["rule"] == "auth-abbrev"]
    assert [f["severity"] for f in warnings] == ["warning"]


def test_the_headless_refusal_is_the_one_the_checker_quotes(monkeypatch):
    args = parse_like_the_magic("emr connect --cluster-id j-1 --auth-type Kerberos", "PySparkKernel")
    refusal = headless_refusal(args, "PySparkKernel", monkeypatch)
    case = CORPUS["missing-secret.ipynb"]
    assert refusal and all(refusal in error["message"] for error in case["remainingErrors"])


JOB_CLUSTER = "j-2AXXXXXXGAPLF"


def connect_args(run, kernel, monkeypatch):
    """What each connect line gives the magic when the job sets ``cluster_id``."""
    per_cell = run_locally({**run, "env": {"cluster_id": JOB_CLUSTER}}, kernel, monkeypatch)
    parsed = []
    for connect in run["connectLines"]:
        result, calls = per_cell[connect["cell"]]
        assert result.error_before_exec is None and len(calls) == 1, connect
        assert not isinstance(calls[0], Exception), calls[0]
        parsed.append(calls[0])
    return parsed


def test_the_magic_lets_ipython_expand_its_line():
    """The stand-in magic above gets its line after IPython's expansion; so does the real one."""
    from IPython.core.magic import MAGIC_NO_VAR_EXPAND_ATTR
    from sagemaker_studio_analytics_extension.magics.sagemaker_analytics import SagemakerAnalytics

    assert not getattr(SagemakerAnalytics.sm_analytics, MAGIC_NO_VAR_EXPAND_ATTR, False)


@pytest.mark.parametrize("name", ["sparkmagic-remote-name.ipynb", "sparkmagic-remote-name-scala.ipynb"])
def test_a_name_assigned_only_in_the_spark_session_never_reaches_the_magic(name, monkeypatch):
    """PySpark and Spark (Scala): ``cid`` is assigned in a cell sent to the Spark session.

    The local IPython has no ``cid``: it raises nothing, leaves the whole line as written, and
    the real parser takes the text ``{cid}`` as the cluster id (and ``$secretId`` as the secret).
    After the checker's fix, the assignment runs locally and the job's cluster id arrives.
    """
    case = CORPUS[name]
    assert [f["rule"] for f in case["findings"]] == ["sparkmagic-remote-name"]
    (before,) = connect_args(case["original"], case["kernel"], monkeypatch)
    assert before.cluster_id == "{cid}"
    assert case["remainingErrors"] == []
    (after,) = connect_args(case["fixed"], case["kernel"], monkeypatch)
    assert after.cluster_id == JOB_CLUSTER
    if name.endswith("-scala.ipynb"):
        assert (before.secret, after.secret) == ("$secretId", "emr/analyst-1")


def test_a_value_only_spark_can_compute_is_left_to_the_panel(monkeypatch):
    """``cluster = spark.conf.get(...)`` has no local equivalent: no edit, the panel's form.

    The line is left unexpanded as a whole, so its ``{os.getenv('auth_type', 'None')}`` is split
    into words (at the space and after the quotes) and the parser stops on the last ones.
    """
    case = CORPUS["sparkmagic-remote-name-from-spark.ipynb"]
    assert [e["rule"] for e in case["remainingErrors"]] == ["sparkmagic-remote-name"]
    assert case["fixed"]["cells"] == case["original"]["cells"]
    (problems,) = run_notebook(case["original"], case["kernel"], monkeypatch).values()
    assert problems == ["the magic refused it: unrecognized arguments: 'None' )}"]


@pytest.mark.parametrize("name", ["sparkmagic-local-names.ipynb", "ipython-names.ipynb"])
def test_names_the_local_kernel_has_reach_the_magic(name, monkeypatch):
    """Assigned in a %%local cell (also in the Spark session), or in any cell of an IPython kernel."""
    case = CORPUS[name]
    assert case["findings"] == []
    assert [args.cluster_id for args in connect_args(case["original"], case["kernel"], monkeypatch)] == [
        JOB_CLUSTER
    ]


@pytest.mark.parametrize("kernel", [IPYTHON_KERNEL, "PySparkKernel"])
def test_random_lines_work_exactly_when_the_checker_finds_no_error(kernel, monkeypatch):
    """Working lines with up to two typical mistakes, all in one IPython where os is imported."""
    monkeypatch.setenv("cluster_id", "j-2AXXXXXXGAPLF")
    monkeypatch.setenv("secret_id", "emr/users/analyst-1")
    disagreements = []
    with ipython_shell() as shell:
        calls = record_magic(shell, kernel)
        assert shell.run_cell("import os", store_history=False).success
        for line in LINES:
            calls.clear()
            shell.run_cell(line["text"], store_history=False)
            if len(calls) != 1:
                problems = ["the line never ran"]
            elif isinstance(calls[0], Exception):
                problems = [f"the magic refused it: {calls[0]}"]
            else:
                problems = problems_of(calls[0], kernel, monkeypatch)
            verdict = line[kernel]
            if bool(problems) != verdict["checkerError"]:
                disagreements.append((line["text"], verdict["rules"], problems))
    assert disagreements == [], "\n".join(map(str, disagreements))
    assert 0.2 < sum(not line[kernel]["checkerError"] for line in LINES) / len(LINES) < 0.8 or (
        kernel == IPYTHON_KERNEL
    )


def test_the_corpus_and_the_generated_notebooks_are_all_here():
    origins = {case["origin"] for case in CASES}
    assert origins == {"corpus", "generated"}
    assert set(CLEAN) <= set(CORPUS)
    for name in CLEAN:
        assert CORPUS[name]["findings"] == []
    generated = [case for case in CASES if case["origin"] == "generated"]
    assert generated and all(case["findings"] == [] for case in generated)
    assert {case["family"] for case in generated} == {"sparkmagic", "ipython"}
