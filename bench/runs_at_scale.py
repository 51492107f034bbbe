"""Runs at scale: a notebook with 500 runs in a real jupyter-scheduler, its panel's Runs section
opened and paged in Chromium.

JupyterLab with this extension and jupyter-scheduler (the stack of ``make demo``, against the
local AWS) on a loopback port from 8899 up. The notebook's 500 runs, and 100 runs of another
notebook between them, are rows written into that server's scheduler database through
jupyter-scheduler's own ORM (``test/fixtures/seed_runs.py``: 500 real runs would take hours);
the failed ones carry the whole tracebacks captured from real failing runs, as the scheduler
stores them. ``bench/runs.js`` does the browser part; ``render`` prints its table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import notebooks
from common import BENCH, ROOT, Jupyter, Moto, labextension_dirs, log, timed

sys.path.insert(0, str(ROOT / "test" / "fixtures"))

from seed_runs import failure_messages, seed_runs  # noqa: E402

NOTEBOOK = "nightly-rollup.ipynb"
RUNS = 500
OTHERS = 100


def run(work: Path, quick: bool) -> dict:
    root = work / "runs-root"
    notebooks.write(root / NOTEBOOK, 10, kernel="python", connect=False)
    moto = Moto(work).start()
    server = Jupyter("runs", work, root, moto.env(), labextensions=labextension_dirs())
    try:
        server.start()
        database = server.dir / "data" / "scheduler.sqlite"
        seconds, seeded = timed(seed_runs, str(database), NOTEBOOK, RUNS, others=OTHERS)
        log(f"  seeded {RUNS} runs of {NOTEBOOK} and {OTHERS} of another notebook in {seconds:.1f} s")
        plan = {
            "server": server.describe(),
            "notebook": NOTEBOOK,
            "runs": RUNS,
            "others": OTHERS,
            "ids": seeded["ids"],
            "samples": 1 if quick else 3,
        }
        plan_path, out_path = work / "runs-plan.json", work / "runs.json"
        plan_path.write_text(json.dumps(plan, indent=1))
        env = {**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
        subprocess.run(["node", str(BENCH / "runs.js"), str(plan_path), str(out_path)], env=env, check=True)
        results = json.loads(out_path.read_text())
    finally:
        server.stop()
        moto.stop()
    results["seedSeconds"] = round(seconds, 2)
    messages = [len(m["statusMessage"]) for m in failure_messages()]
    results["statusMessageKB"] = round(sum(messages) / len(messages) / 1024, 1)
    return results


def _ms(summary: dict | None) -> str:
    if not summary or summary.get("median") is None:
        return "n/a"
    if summary["min"] == summary["max"]:
        return f"{summary['median']:,.0f}"
    return f"{summary['median']:,.0f} ({summary['min']:,.0f} to {summary['max']:,.0f})"


def render(runs: dict) -> str:
    """The Runs at scale table (markdown)."""
    phases = runs["phases"]
    lines = [
        "### 6. Runs at scale",
        "",
        f"A notebook with {runs['plan']['runs']} runs ({runs['plan']['others']} runs of another notebook "
        f"between them; failed runs' status messages average {runs['statusMessageKB']} KB) in "
        f"jupyter-scheduler's database; {runs['plan']['samples']} page loads, each opening the Runs "
        "section, paging to the oldest run, back to the newest and forward again; medians in milliseconds "
        "(min to max) from the click until the page's label and first run show; *its answers*: until the "
        "last scheduler response that step waited for; long tasks: the page's main-thread tasks over "
        "50 ms meanwhile (PerformanceObserver).",
        "",
        "| Step | until shown (ms) | steps that asked the scheduler | its answers (ms) "
        "| longest task (ms) | tasks > 50 ms | run rows in the DOM |",
        "|---|---|---|---|---|---|---|",
    ]
    for phase in phases:
        asked = (phase.get("serverMs") or {}).get("count", 0)
        lines.append(
            f"| {phase['label']} | {_ms(phase['ms'])} | {asked} of {phase['ms']['count']} | "
            f"{_ms(phase.get('serverMs'))} | {phase['longestTaskMs']:,.0f} | {phase['longTasks']} | "
            f"{phase['rowsMax']} |"
        )
    traced = runs.get("traced")
    if traced:
        split = ", ".join(f"{k} {v:,.0f} ms" for k, v in traced["longTaskSplit"].items()) or "none"
        lines += [
            "",
            f"One more pass, traced and profiled: {traced['longTasks']} of {traced['tasks']:,} main-thread "
            f"tasks over 50 ms, the longest {traced['longestMs']:,.0f} ms; their time by what ran: {split}. "
            f"This extension's code: {traced['oursTotalMs']:,.0f} ms in all, at most "
            f"{traced['oursLongestInOneTaskMs']:,.1f} ms in one task.",
        ]
    return "\n".join(lines) + "\n"
