"""The Redshift connector cells the TypeScript generator writes, run the way a PySpark notebook runs them.

Fixtures come from ``test/fixtures/generateRedshiftFixtures.ts`` (run by ``make``). The local cell
runs in a real IPython shell; the ``%%send_to_spark`` line goes through sparkmagic's own argument
parsing and its own code generation for PySpark. The Spark side is compiled for real; it runs
against a recording stand-in for the ``spark`` session, because no Spark runs here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.core.magic_arguments import parse_argstring
from ipython_shell import ipython_shell
from sparkmagic.kernels.kernelmagics import KernelMagics
from sparkmagic.livyclientlib.sendstringtosparkcommand import SendStringToSparkCommand

FIXTURES = Path(__file__).parent / "fixtures" / "generated" / "RedshiftFixtures.json"
CASES = json.loads(FIXTURES.read_text())
FORMAT = "io.github.spark_redshift_community.spark.redshift"


class RecordingReader:
    """Records the connector calls of ``spark.read`` / ``df.write`` chains."""

    def __init__(self):
        self.format_name = None
        self.options: dict[str, str] = {}
        self.mode_name = None
        self.finished = False

    def format(self, name):
        self.format_name = name
        return self

    def option(self, key, value):
        assert key not in self.options, f"option {key} given twice"
        self.options[key] = value
        return self

    def mode(self, name):
        self.mode_name = name
        return self

    def load(self):
        self.finished = True
        return self

    def save(self):
        self.finished = True

    def show(self, n):
        pass


class Session:
    def __init__(self):
        self.read = RecordingReader()


class Frame:
    def __init__(self):
        self.write = RecordingReader()


def cell_body(source: str, magic: str) -> str:
    first, _, rest = source.partition("\n")
    assert first == magic
    return rest


@pytest.fixture
def shell():
    with ipython_shell() as sh:
        yield sh


def run(case, shell, monkeypatch, environ):
    local, send, spark_cell = (c["source"] for c in case["cells"])
    for name in case["env"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    result = shell.run_cell(cell_body(local, "%%local"))
    result.raise_error()

    args = parse_argstring(KernelMagics.send_to_spark, send.removeprefix("%%send_to_spark "))
    assert args.vartype == "str"
    value = shell.user_ns[args.input]
    command = SendStringToSparkCommand(args.input, value, args.varname)._pyspark_command(
        args.input, value, args.varname
    )
    remote: dict = {"spark": Session(), "df": Frame()}
    exec(compile(command.code, "<send_to_spark>", "exec"), remote)
    exec(compile(spark_cell, "<spark>", "exec"), remote)
    chain = remote["spark"].read if case["state"]["direction"] == "read" else remote["df"].write
    return chain


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['state']['kind']}-{c['state']['direction']}")
def test_by_hand_the_connector_gets_the_form_values(case, shell, monkeypatch):
    chain = run(case, shell, monkeypatch, {})
    env = case["env"]
    assert chain.finished
    assert chain.format_name == FORMAT
    assert chain.options == {
        "url": env["redshift_url"],
        "dbtable": env["redshift_table"],
        "tempdir": env["redshift_tempdir"],
        "aws_iam_role": env["redshift_iam_role"],
    }
    assert chain.options["url"].startswith("jdbc:redshift:iam://")
    assert chain.options["tempdir"].startswith("s3a://")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['state']['kind']}-{c['state']['direction']}")
def test_a_job_repoints_the_connector_with_its_variables(case, shell, monkeypatch):
    environ = {
        "redshift_url": "jdbc:redshift:iam://other.abc.us-east-1.redshift.amazonaws.com:5439/prod",
        "redshift_table": "staging.orders",
        "redshift_tempdir": "s3a://other-bucket/tmp/",
        "redshift_iam_role": "arn:aws:iam::999999999999:role/other",
    }
    chain = run(case, shell, monkeypatch, environ)
    assert chain.options == {
        "url": environ["redshift_url"],
        "dbtable": environ["redshift_table"],
        "tempdir": environ["redshift_tempdir"],
        "aws_iam_role": environ["redshift_iam_role"],
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['state']['kind']}-{c['state']['direction']}")
def test_every_cell_compiles_as_python(case):
    local, send, spark_cell = (c["source"] for c in case["cells"])
    compile(cell_body(local, "%%local"), "<local>", "exec")
    compile(spark_cell, "<spark>", "exec")
    assert send.startswith("%%send_to_spark ") and "\n" not in send


def test_a_write_appends_and_a_read_loads():
    directions = {c["state"]["direction"]: c["cells"][2]["source"] for c in CASES}
    assert ".save()" in directions["write"] and '.mode("append")' in directions["write"]
    assert ".load()" in directions["read"] and ".save()" not in directions["read"]
