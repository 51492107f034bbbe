"""The readiness checker agrees with the real ``%sm_analytics`` about EMR Serverless lines.

The fixtures come from ``test/fixtures/generateServerlessFixtures.ts`` (run by ``make``): a
hand-written ``emr-serverless connect`` line per checker rule, in a PySpark and an IPython
notebook, and the product's own serverless cells, each as it is and after ``applyAllFixes``. They
run as in ``test_checker_contract`` (``magic_contract``): SparkMagic's parser decides what runs
locally, a real IPython expands the line, and the magic's own parser and ``EMRServerlessValidator``
read it. The contract: a serverless connect line works exactly when the checker reports no connect
error for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from magic_contract import (  # noqa: F401  (magic is an autouse fixture)
    assert_outcomes_match_the_checker,
    connect_outcomes,
    magic,
    value_problems,
)

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "ServerlessFixtures.json"
CASES = json.loads(FIXTURES.read_text())["checker"]


def problems_of(args) -> list[str]:
    """Why a serverless line the validator accepted still fails in a job (none when it works)."""
    return value_problems(
        {
            "--application-id": args.application_id,
            "--emr-execution-role-arn": args.emr_execution_role_arn,
            "--assumable-role-arn": args.assumable_role_arn,
        }
    )


def outcome_of(run, kernel, monkeypatch):
    return connect_outcomes(run, kernel, monkeypatch, problems_of)


@pytest.mark.parametrize("version", ["original", "fixed"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_a_serverless_line_works_exactly_when_the_checker_finds_no_error(case, version, monkeypatch):
    run = case[version]
    assert run["connectLines"], "every notebook here has a connect line"
    assert_outcomes_match_the_checker(run, outcome_of(run, case["kernel"], monkeypatch), version)


def test_the_corpus_covers_every_serverless_rule():
    rules = {f["rule"] for case in CASES for f in case["findings"]}
    assert {
        "serverless-refused-option",
        "serverless-verify-certificate",
        "serverless-missing-required-option",
        "role-arn-format",
        "ipython-language",
        "literal-connect-value",
        "quoted-value",
    } <= rules


@pytest.mark.parametrize("name", ["auth-and-secret", "cluster-id"])
def test_the_refusal_is_the_one_the_checker_quotes(name, monkeypatch):
    case = next(c for c in CASES if c["name"] == f"serverless-sparkmagic-{name}")
    (problems,) = outcome_of(case["original"], case["kernel"], monkeypatch).values()
    assert "not supported when connecting to EMR Serverless Applications" in problems[0]
    assert case["remainingErrors"] == []
