"""The grammar the product reads ``%sm_analytics`` lines with is the real magic's.

The fixtures come from ``test/fixtures/generateGrammarFixtures.ts`` (run by ``make``): the
grammar's option table (what the parser accepts, what each service's validator requires, refuses
and checks) and its reading of a set of connect lines. Here the magic's own parser
(``SagemakerAnalytics.sm_analytics`` through IPython's ``parse_argstring``) and its validators
read the same lines: a line the grammar takes is accepted with exactly the values it read, and a
line it refuses is refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.core.magic_arguments import parse_argstring
from magic_contract import PYSPARK_KERNEL, magic  # noqa: F401  (magic is an autouse fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "GrammarFixtures.json"
DATA = json.loads(FIXTURES.read_text())
OPTIONS = DATA["options"]
SERVICES = DATA["services"]


def magic_function():
    from sagemaker_studio_analytics_extension.magics.sagemaker_analytics import SagemakerAnalytics

    return SagemakerAnalytics.sm_analytics


def read_connect(line: str):
    """The magic's parser and the service's validator, for a kernel that needs no --language."""
    from sagemaker_studio_analytics_extension.magics.sagemaker_analytics import _check_required_args
    from sagemaker_studio_analytics_extension.utils.arg_validators.emr_serverless_validator import (
        EMRServerlessValidator,
    )
    from sagemaker_studio_analytics_extension.utils.arg_validators.emr_validator import EMRValidator

    args = parse_argstring(magic_function(), line)
    _check_required_args(args, "usage")
    service, operation = (word.lower() for word in args.command)
    assert operation == "connect"
    if service == "emr":
        EMRValidator.validate_emr_args(args=args, usage="usage", kernel_name=PYSPARK_KERNEL)
    else:
        assert service == "emr-serverless"
        EMRServerlessValidator.validate_args_for_emr_serverless(args, "usage", PYSPARK_KERNEL)
    return args


def refused():
    from sagemaker_studio_analytics_extension.utils.exceptions import AnalyticsLibError

    return pytest.raises((UsageError, AnalyticsLibError))


def test_the_option_table_is_the_magic_parser():
    parser = magic_function().parser
    actions = [a for a in parser._actions if a.option_strings and a.dest != "help"]
    table = [(o["name"], o["takesValue"]) for o in OPTIONS]
    real = [(s.removeprefix("--"), action.nargs is None) for action in actions for s in action.option_strings]
    assert table == real
    # Unique prefixes are accepted: the grammar reads abbreviations as the parser does.
    assert parser.allow_abbrev and parser.prefix_chars == "-"


def test_the_required_options_are_the_validators():
    from sagemaker_studio_analytics_extension.utils.arg_validators.emr_serverless_validator import (
        EMRServerlessValidator,
    )
    from sagemaker_studio_analytics_extension.utils.arg_validators.emr_validator import EMRValidator

    def dests(service):
        return [name.replace("-", "_") for name in SERVICES[service]["required"]]

    assert dests("emr") == EMRValidator.REQUIRED_ARGS
    assert dests("emr-serverless") == EMRServerlessValidator.REQUIRED_ARGS


BASE = {
    "emr": "emr connect --cluster-id j-1ABC --auth-type None",
    "emr-serverless": "emr-serverless connect --application-id 00fabc "
    "--emr-execution-role-arn arn:aws:iam::123456789012:role/x",
}
SAMPLE = {"verify-certificate": "True", "auth-type": "None", "language": "python"}


def with_option(service: str, name: str) -> str:
    option = next(o for o in OPTIONS if o["name"] == name)
    value = SAMPLE.get(name, "arn:aws:iam::123456789012:role/y" if name.endswith("arn") else "v")
    return f"{BASE[service]} --{name}" + (f" {value}" if option["takesValue"] else "")


@pytest.mark.parametrize(
    "service,name",
    [(s, n) for s, grammar in SERVICES.items() for n in grammar["refused"] + grammar["ignored"]],
)
def test_refused_and_ignored_options_are_the_validators(service, name):
    line = with_option(service, name)
    if name in SERVICES[service]["refused"]:
        with refused():
            read_connect(line)
    else:
        read_connect(line)


@pytest.mark.parametrize("case", DATA["lines"], ids=[c["line"] for c in DATA["lines"]])
def test_a_line_reads_as_the_magic_reads_it(case):
    reading = case["reading"]
    if reading is None:
        with refused():
            read_connect(case["line"])
        return
    args = read_connect(case["line"])
    assert args.command[0].lower() == reading["service"]
    values = {}
    for name, value in reading["options"].items():
        if value is True:
            values["override_krb5_conf"] = name == "override-krb5-conf"
        else:
            values[name.replace("-", "_")] = value
    defaults = {o["name"].replace("-", "_"): None for o in OPTIONS if o["takesValue"]}
    defaults.update(verify_certificate="False", override_krb5_conf=True)
    expected = {**defaults, **values}
    assert {dest: getattr(args, dest) for dest in expected} == expected
