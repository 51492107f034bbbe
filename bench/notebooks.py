"""Realistic PySpark-on-EMR notebooks of any size, for the browser and checker benchmarks.

A title, then a mix that follows what such notebooks hold: prose (markdown), Spark code sent to
the cluster, ``%%local`` cells, ``%%sql`` cells, a parameters cell, this extension's connect
cells, Redshift connector cells, and about one defect in fifty cells of the kinds the checks
catch (em dash in a flag, ``--secrets``, a multi-line magic, a connector format with a trailing
space, a hard-coded password, ``PrincipleTag``). The same size always gives the same notebook.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

KERNELS = {
    "pyspark": {"display_name": "PySpark", "language": "python", "name": "pysparkkernel"},
    "python": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
}
META_KEY = "emr_schedule"

CONNECT = (
    "%load_ext sagemaker_studio_analytics_extension.magics\n"
    "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id', 'j-2AXXXXXXGAPLF')} "
    "--auth-type {os.getenv('auth_type', 'Basic_Access')} "
    "--secret {os.getenv('secret_id', 'emr/shared-analytics')}"
)

MARKDOWN = [
    "## Load the {table} table\n\nReads yesterday's partition of `{table}` from S3 and keeps "
    "the columns the roll-up needs.",
    "### Notes\n\n- Partitions are daily.\n- Late data arrives until 06:00 UTC.\n"
    "- The job re-runs idempotently.",
    "Aggregate by **{col}** and write the result back to `s3://analytics-{n}/rollups/{table}/`.",
    "> The cluster is shared: keep the number of partitions at or below 200.",
]

SPARK = [
    'df_{n} = spark.read.parquet("s3://analytics-{n}/raw/{table}/dt={{ds}}/")\n'
    'df_{n} = df_{n}.select("{col}", "amount", "region", "ts")\n'
    'df_{n}.createOrReplaceTempView("{table}_{n}")',
    "from pyspark.sql import functions as F\n\n"
    "rollup_{n} = (\n"
    '    df_{n}.where(F.col("amount") > 0)\n'
    '    .groupBy("{col}", "region")\n'
    '    .agg(F.sum("amount").alias("total"), F.countDistinct("ts").alias("events"))\n'
    ")\n"
    "rollup_{n}.cache()\n"
    "rollup_{n}.count()",
    'rollup_{n}.repartition(16).write.mode("overwrite").parquet(\n'
    '    "s3://analytics-{n}/rollups/{table}/"\n'
    ")",
    "def clean_{n}(frame):\n"
    '    """Drops test accounts and normalises region codes."""\n'
    '    frame = frame.where(~F.col("{col}").startswith("test-"))\n'
    '    return frame.withColumn("region", F.upper(F.col("region")))\n\n'
    "df_{n} = clean_{n}(df_{n})",
]

LOCAL = [
    "%%local\nimport pandas as pd\n\nsummary_{n} = pd.DataFrame({{'run': [{n}], 'ok': [True]}})\nsummary_{n}",
    "%%local\nimport os\nprint(os.getenv('cluster_id', 'j-2AXXXXXXGAPLF'))",
]

SQL = [
    "%%sql -o top_{n}\nSELECT {col}, SUM(amount) AS total FROM {table}_{n} GROUP BY {col} "
    "ORDER BY total DESC LIMIT 20",
]

REDSHIFT = (
    'df_{n}.write.format("io.github.spark_redshift_community.spark.redshift")\n'
    '    .option("url", "jdbc:redshift:iam://analytics.abc123.us-east-1.redshift.amazonaws.com:5439/dev")\n'
    '    .option("dbtable", "public.{table}_rollup")\n'
    '    .option("tempdir", "s3a://analytics-{n}/redshift-temp/")\n'
    '    .option("aws_iam_role", "arn:aws:iam::123456789012:role/redshift-copy")\n'
    '    .mode("append").save()'
)

DEFECTS = [
    # An em dash where the page meant "--".
    "%sm_analytics emr connect \u2014cluster-id j-2AXXXXXXGAPLF --auth-type Basic_Access "
    "--secret emr/shared-analytics",
    # "--secrets" is not a flag.
    "%sm_analytics emr connect --cluster-id j-2AXXXXXXGAPLF --auth-type Basic_Access "
    "--secrets emr/shared-analytics",
    # The multi-line magic without backslashes.
    "%sm_analytics emr connect --cluster-id j-2AXXXXXXGAPLF\n--auth-type Basic_Access\n"
    "--secret emr/shared-analytics",
    # The connector format with the page's trailing space.
    'df_{n}.write.format("io.github.spark_redshift_community.spark.redshift ")\n'
    '    .option("tempdir", "s3a://analytics-{n}/tmp/").mode("append").save()',
    # A password in code.
    '%%local\npassword = "hunter2-{n}"\nuser = "analyst"',
    # The page's "PrincipleTag".
    '%%local\npolicy = {{"Condition": {{"StringEquals": {{"aws:ResourceTag/user-identity": '
    '"${{aws:PrincipleTag/user-identity}}"}}}}}}',
]

TABLES = ["sales", "orders", "clicks", "sessions", "refunds", "inventory"]
COLUMNS = ["customer_id", "sku", "store_id", "campaign", "channel"]


def _cell(cell_type: str, source: str, metadata: dict | None = None, n: int = 0) -> dict:
    cell = {"cell_type": cell_type, "id": f"c{n:06d}", "metadata": metadata or {}, "source": source}
    if cell_type == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    return cell


def notebook(cells: int, kernel: str = "pyspark", connect: bool = True, seed: int = 7) -> dict:
    """A notebook of exactly ``cells`` cells."""
    rng = random.Random(seed * 1_000_003 + cells)
    out = [_cell("markdown", f"# Nightly roll-up ({cells} cells)\n\nRuns every night on EMR.", n=0)]
    if connect and cells >= 4:
        out.append(_cell("code", "%%local\nimport os", {META_KEY: {"part": "local-import"}}, n=1))
        out.append(_cell("code", CONNECT, {META_KEY: {"part": "connect"}}, n=2))
        out.append(_cell("code", 'run_date = "2024-01-01"', {"tags": ["parameters"]}, n=3))
    while len(out) < cells:
        n = len(out)
        fmt = {"n": n, "table": rng.choice(TABLES), "col": rng.choice(COLUMNS)}
        roll = rng.random()
        if roll < 0.02:
            out.append(_cell("code", rng.choice(DEFECTS).format(**fmt), n=n))
        elif roll < 0.27:
            out.append(_cell("markdown", rng.choice(MARKDOWN).format(**fmt), n=n))
        elif roll < 0.37:
            out.append(_cell("code", rng.choice(LOCAL).format(**fmt), n=n))
        elif roll < 0.42:
            out.append(_cell("code", rng.choice(SQL).format(**fmt), n=n))
        elif roll < 0.45:
            out.append(_cell("code", REDSHIFT.format(**fmt), n=n))
        else:
            out.append(_cell("code", rng.choice(SPARK).format(**fmt), n=n))
    return {
        "cells": out[:cells],
        "metadata": {"kernelspec": KERNELS[kernel], "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write(path: Path, cells: int, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook(cells, **kwargs), indent=1))
    return path
