"""Markdown tables of a benchmark run, and their place in BENCHMARKS.md."""

from __future__ import annotations

import json
import math
import random
import statistics
from pathlib import Path

from startuptrace import ours_ms

#: Each full run's paired start-up medians, so a run's ratios are printed beside earlier runs'.
HISTORY = Path(__file__).with_name("history.json")

START = "<!-- bench:results:start (written by `make bench`) -->"
END = "<!-- bench:results:end -->"

OURS = "jupyterlab-emr-schedule"
SCHEDULER = "@jupyterlab/scheduler"
SAGEMAKER = "@amzn/sagemaker-jupyterlab-emr-extension"
SAGEMAKER_COMMON = "@amzn/sagemaker-jupyterlab-extension-common"
SAGEMAKER_SCHEDULER = "@amzn/sagemaker-jupyter-scheduler"
STACK = "JupyterLab 4.6"
STUDIO = "Studio (JupyterLab 4.5)"

#: Budgets. The panel's and the insert's are relative to what JupyterLab itself costs in the same
#: page (a built-in sidebar, cells put straight into the model); start-up is judged on the paired
#: median ratio, by time and by main-thread CPU time.
BUDGETS = {
    "startup": 1.03,
    "startupOursShare": 0.03,
    "startupKB": 25.0,
    "panelExtraMs": 50.0,
    "insertRatio": 1.1,
    "firstPageMs": 300.0,
    "overhead": 1.1,
    "checkMs": 50.0,
    "editMs": 2.0,
}


def _num(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def _kb(nbytes) -> str:
    return "n/a" if nbytes is None else f"{nbytes / 1024:,.1f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def _ratio(a, b):
    return a / b if a is not None and b else None


def _quartiles(values) -> tuple[float, float] | None:
    """First and third quartiles (inclusive method): the spread printed beside a paired figure."""
    values = [v for v in values or [] if v is not None]
    if len(values) < 2:
        return None
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def _spread(values, fmt=None) -> str:
    fmt = fmt or (lambda v: _num(v, 3))
    q = _quartiles(values)
    if q is None:
        return ""
    return f"IQR {fmt(q[0])} to {fmt(q[1])}, n={len([v for v in values if v is not None])}"


def _median_interval(
    groups: list[list[float]], level: float = 0.9, resamples: int = 2000
) -> tuple[float, float] | None:
    """A bootstrap interval of the median of the values in ``groups`` (seeded: the same figures give
    the same interval): how precisely a run of this many rounds knows its median. Whole groups are
    resampled (rounds that shared something, such as browser contexts, are one group; a round that
    shared nothing is a group of one), so what a group shares counts in the interval as much as what
    differs from round to round."""
    groups = [[v for v in g if v is not None] for g in groups]
    groups = [g for g in groups if g]
    if sum(map(len, groups)) < 3:
        return None
    rng = random.Random(0)
    medians = sorted(
        statistics.median([v for g in rng.choices(groups, k=len(groups)) for v in g])
        for _ in range(resamples)
    )
    tail = (1 - level) / 2
    return medians[int(tail * resamples)], medians[int((1 - tail) * resamples) - 1]


def _interval_verdict(value, interval, budget: float) -> str:
    """Met or missed when the median's interval lies on one side of the budget; otherwise the run
    cannot tell, and says so."""
    if value is None:
        return "n/a"
    if interval is None:
        return _verdict(value <= budget)
    low, high = interval
    if high <= budget:
        return "met"
    if low > budget:
        return "**missed**"
    return "not resolved (its interval holds the budget)"


#: The start-up figures the budget judges: (key in a row's paired ratios, what the budgets call it).
MARKS = (("started", "time"), ("cpu", "main-thread CPU"))


def _spread_interval(ratios, interval) -> str:
    """The spread of per-round ratios and how precisely the run knows their median."""
    spread = _spread(ratios)
    if interval:
        spread += f"; 90% interval of the median {_num(interval[0], 3)} to {_num(interval[1], 3)}"
    return spread


def _groups(row: dict, mark: str) -> list[list[float]]:
    """A start-up row's per-round ratios grouped by what they shared: the rounds of a block shared
    its browser contexts (``bench/browser.js``); a cold-cache load, or a row written before blocks,
    shares nothing with the next."""
    blocks, ratios = row.get("blocks") or [], row.get("pairedRatios", {}).get(mark) or []
    if row.get("cold") or len(blocks) < 2 or sum(blocks) != len(ratios):
        return [[r] for r in ratios]
    groups, start = [], 0
    for size in blocks:
        groups.append(ratios[start : start + size])
        start += size
    return groups


def _block_range(groups: list[list[float]]) -> str:
    """How far apart the medians of a layout's blocks are: each block of rounds had browser contexts
    of its own, so this is the offset one context would have given the run."""
    if len(groups) < 2 or all(len(g) == 1 for g in groups):
        return ""
    medians = [statistics.median(g) for g in groups]
    return f"; {len(groups)} blocks' medians {_num(min(medians), 3)} to {_num(max(medians), 3)}"


def _startup_figure(value, ratios, interval) -> str:
    """A paired median with its spread and how precisely the run knows it."""
    spread = _spread_interval(ratios, interval)
    return _num(value, 3) + (f" ({spread})" if spread else "")


def _extra_ms(value) -> str:
    """A paired difference in milliseconds: the panel's first open over the built-in sidebar's."""
    return f"{_signed(value)} ms"


def _times(digits: int):
    """A ratio printed as a multiple (the insert's, the route's overhead)."""
    return lambda value: f"x{_num(value, digits)}"


def _apart(apart: dict | None) -> list[str]:
    """Where the browser ran, beside the servers (``common.browser_apart``)."""
    if not apart:
        return []
    browser, others = (", ".join(map(str, apart[k])) for k in ("browser", "others"))
    return [
        f"In the parts that drive Chromium, Chromium ran on CPU {browser} alone and the servers, the",
        f"local AWS and the bench's own processes on CPU {others}.",
    ]


def _signed(value, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    return ("+" if value >= 0 else "") + _num(value, digits)


# The layout the start-up traces load unless ``bench/run.py --trace-layout`` says otherwise (its
# name in ``bench/run.py``'s ``LAYOUTS``).
TRACED_LAYOUT = "notebook (200 cells) restored"


def _startup_share(stack: str, traced: dict | None, budgets: list) -> list[str] | None:
    """The traced start-up's row of the budgets, and its table row: this extension's own script on
    the main thread until ``app.started``, against all the main thread's work then."""
    medians = (traced or {}).get("medians", {})
    w, wo = medians.get("with", {}).get("started"), medians.get("without", {}).get("started")
    if not w or not wo:
        return None
    # Shared modules ours asked for first are not counted: the extension that shares them loads
    # them without this one too (its script is compared with and without, in the table row).
    ours = ours_ms(w)
    share = ours / w["busy"] if w["busy"] else None
    lenders = w.get("sharedFrom", [])
    lent = "; ".join(
        f"{name} {_num(w.get('byExtension', {}).get(name))} / {_num(wo.get('byExtension', {}).get(name))}"
        for name in lenders
    )
    loads = traced["loads"].get("with", 0)
    layout = traced.get("layout", TRACED_LAYOUT)
    budgets.append(
        (
            f"Start-up, {stack}, {layout}: script of this extension and what it"
            " calls until `app.started`, share of the main thread's work (traced)",
            f"{_num(ours)} of {_num(w['busy'], 0)} ms"
            f" ({_num(share * 100 if share else None, 2)}%, median of {loads} loads)",
            f"<= {BUDGETS['startupOursShare'] * 100:.0f}%",
            _verdict(share <= BUDGETS["startupOursShare"] if share is not None else None),
        )
    )
    return [
        stack if layout == TRACED_LAYOUT else f"{stack} ({layout})",
        _num(w["wall"], 0),
        _num(wo["wall"], 0),
        _num(w["busy"], 0),
        _num(wo["busy"], 0),
        _num(w["scriptOurs"]),
        _num(w.get("scriptCalledFromOurs")),
        _num(w["compileOurs"]),
        _num(w.get("scriptSharedFirst")),
        lent or "-",
        _num(w["scriptOther"], 0),
        _num(wo["scriptOther"], 0),
    ]


def _startup(stacks: list, budgets: list, runs: list[dict]) -> list[str]:
    rows = []
    shares: list[list[str]] = []
    counts: set[int] = set()
    for stack, browser in stacks:
        pooled: dict[str, list[list[float]]] = {}
        layouts: list[tuple[tuple[float, float], str, float]] = []
        for row in browser.get("startup", []):
            w, wo = row["configs"]["with"], row["configs"]["without"]
            counts.add(len(w["started"]["samples"]))
            rs = _ratio(w["started"]["median"], wo["started"]["median"])
            rr = _ratio(w["restored"]["median"], wo["restored"]["median"])
            rc = _ratio(_dig(w, "cpu", "median"), _dig(wo, "cpu", "median"))
            paired = row.get("pairedRatio", {})
            ratios = row.get("pairedRatios", {})
            groups = {mark: _groups(row, mark) for mark, _ in MARKS}
            intervals = {mark: _median_interval(groups[mark]) for mark, _ in MARKS}
            spreads = {
                mark: _spread_interval(ratios.get(mark), intervals[mark]) + _block_range(groups[mark])
                for mark, _ in MARKS
            }
            rows.append(
                [
                    stack,
                    row["layout"],
                    _num(w["started"]["median"], 0),
                    _num(wo["started"]["median"], 0),
                    _num(rs, 3),
                    _num(paired.get("started"), 3),
                    spreads["started"],
                    _num(w["restored"]["median"], 0),
                    _num(wo["restored"]["median"], 0),
                    _num(rr, 3),
                    _num(_dig(w, "cpu", "median"), 0),
                    _num(_dig(wo, "cpu", "median"), 0),
                    _num(rc, 3),
                    _num(paired.get("cpu"), 3),
                    spreads["cpu"],
                    str(wo["ourRequests"]),
                ]
            )
            for mark, what in MARKS:
                interval = intervals[mark]
                if interval and paired.get(mark) is not None:
                    layouts.append((interval, f"{row['layout']}: {what}", paired[mark]))
                pooled.setdefault(mark, []).extend(groups[mark])
        if layouts:
            interval, name, value = max(layouts)
            budgets.append(
                (
                    f"Start-up with / without, {stack}, each layout alone (the one the run knows highest)",
                    f"{name}: {_num(value, 3)} (90% interval of the median"
                    f" {_num(interval[0], 3)} to {_num(interval[1], 3)})",
                    f"no layout's 90% interval wholly over {BUDGETS['startup']}",
                    _verdict(not any(i[0] > BUDGETS["startup"] for i, _, _ in layouts)),
                )
            )
        for mark, what in MARKS:
            values = [v for g in pooled.get(mark) or [] for v in g if v is not None]
            if len(values) < 3:
                continue
            value, interval = statistics.median(values), _median_interval(pooled[mark])
            budgets.append(
                (
                    f"Start-up with / without, {stack}, every layout's rounds together: {what}",
                    _startup_figure(value, values, interval) + _run_range(runs, stack),
                    f"<= {BUDGETS['startup']} (paired median, its whole 90% interval)",
                    _interval_verdict(value, interval, BUDGETS["startup"]),
                )
            )
        traced = _startup_share(stack, browser.get("startupTrace"), budgets)
        if traced:
            shares.append(traced)
    if not rows and not shares:
        return []
    return [
        "### 1. Start-up: page load until the app is ready",
        "",
        f"Median of {' or '.join(map(str, sorted(counts)))} page loads each"
        + (" (*spread* says which)," if len(counts) > 1 else ",")
        + " alternating with and without the extension, after one warm-up",
        "load each. The browser's cache is warm (one context per configuration, as on every visit after the",
        "first) except in the *cold cache* rows (a new context per load); where *spread* names blocks, both",
        "contexts were replaced, with a warm-up load each, after every block of rounds, and the blocks'",
        "medians say how far one context's offset would have moved the run. Milliseconds from navigation",
        "start until `app.started` (plugins activated: galata's criterion) and `app.restored` (layout",
        "restored); *ratio*: with / without, of the medians; *paired*: the median of each round's ratio",
        "(what the budget judges, below the table); *spread*: the interquartile range of those per-round",
        "ratios, the number of rounds and the median's interval; *main-thread CPU*: the page's main",
        "thread's CPU time until `app.restored` (Chrome's `ThreadTime`), less sensitive to what else runs",
        "on the machine, read as the layout is restored. Chromium has a CPU of its own (see *Machine*), so",
        "the servers' work does not move a load's figures. *Without* serves the same labextensions minus",
        "this one and leaves its server extension off; the last column counts requests for its files there.",
        "*Stack*: JupyterLab 4.6 with jupyter-scheduler, or the Studio stack (`.stamps/studio-venv`:",
        "JupyterLab 4.5 with SageMaker's scheduler, EMR and common extensions and jupyter-collaboration,",
        "its server seeded as `demo/run.py --studio` does).",
        "",
        *_table(
            [
                "Stack",
                "Layout",
                "started: with",
                "without",
                "ratio",
                "paired",
                "spread",
                "restored: with",
                "without",
                "ratio",
                "main-thread CPU: with",
                "without",
                "ratio",
                "paired",
                "spread",
                "requests to ours, without",
            ],
            rows,
        ),
        *(
            [
                "",
                "*Spread* ends with a bootstrap interval of the paired median (90%, 2,000 resamples): how",
                "well a run this long knows that median. Where rounds ran in blocks, whole blocks are",
                "resampled: the rounds of a block share their browser contexts, and a context sets an offset",
                "of its own (the blocks' medians), which the interval must hold. At 71 rounds a layout's",
                "interval is about 0.03 either side, as wide as the budget's whole margin, so a layout's",
                "median alone would meet or miss 1.03 by the luck of the run. The budget therefore takes",
                "every layout's rounds of a stack together (a ratio is a ratio whatever the layout): met",
                "only when the whole interval of that paired median is under 1.03, missed when it is wholly",
                "over, otherwise the run cannot tell. A second row per stack is missed if any one layout's",
                "interval lies wholly over 1.03, so a cost that only one layout pays is not averaged away.",
                "How far a layout's median moves between runs is in the table after the next.",
                "What this extension itself costs is measured directly below:",
                "start-up page loads of the 200-cell notebook layout (unless a row names another) traced in",
                "Chromium (timeline and V8's sampling profiler), with and without the extension in turn,",
                "broken down by `bench/startuptrace.py` from navigation to `app.started`: the main thread's",
                "busy time, and script time by file (the profiler's overhead included); the budget counts",
                "this extension's files and the code they call. When this extension's container asks for a",
                "module another extension shares before that extension's own plugins do, the loading runs",
                "under our frames; it is shown apart and not counted, because that extension's own script",
                "(its files, with / without this extension, beside it) is the same without this one.",
                "Medians over the traced loads (with the extension), ms.",
                "",
                *_table(
                    [
                        "Stack",
                        "to started: with",
                        "without",
                        "main thread busy: with",
                        "without",
                        "script in this extension's files",
                        "other code called from it",
                        "compile of its files",
                        "shared modules it asked for first",
                        "that extension's script: with / without",
                        "other script: with",
                        "without",
                    ],
                    shares,
                ),
            ]
            if shares
            else []
        ),
    ]


def _phase(code: dict, config: str, phase: str, ext: str):
    entry = code.get(config, {}).get("phases", {}).get(phase, {}).get(ext)
    return entry["gzip"] if entry else None


def _code_budgets(stack: str, code: dict, budgets: list) -> None:
    at_start = _phase(code, "with", "startup", OURS)
    opened = _phase(code, "with", "notebookOpened", OURS)
    before_panel = at_start + opened if at_start is not None and opened is not None else None
    budgets.append(
        (
            f"This extension's code at start-up (gzip), {stack}",
            f"{_kb(at_start)} KB",
            f"<= {BUDGETS['startupKB']:.0f} KB",
            _verdict(at_start / 1024 <= BUDGETS["startupKB"] if at_start is not None else None),
        )
    )
    # Once a notebook's toolbar is idle, the panel's code is fetched ahead of its first open
    # (issue 17): what is loaded by then is printed, with no budget of its own.
    budgets.append(
        (
            f"... and once a notebook is open and idle (the panel's code prefetched), {stack}",
            f"{_kb(before_panel)} KB",
            "(none)",
            "n/a",
        )
    )


def _studio_code_rows(studio: dict) -> list[list[str]]:
    code = studio.get("code", {})
    static = studio.get("static", {})
    rows = []
    for label, ext in (
        ("this extension, Studio stack", OURS),
        ("SageMaker's scheduler, Studio stack", SAGEMAKER_SCHEDULER),
        ("SageMaker EMR extension, Studio stack (as installed there)", SAGEMAKER),
        ("SageMaker common extension, Studio stack", SAGEMAKER_COMMON),
    ):
        rows.append(
            [
                label,
                _kb(_phase(code, "with", "startup", ext)),
                _kb(_phase(code, "with", "notebookOpened", ext)),
                _kb(_phase(code, "with", "panelOpened", ext)),
                _kb(static.get(ext, {}).get("gzip")),
            ]
        )
    rows.append(
        [
            "SageMaker's scheduler, Studio stack, without this extension",
            _kb(_phase(code, "without", "startup", SAGEMAKER_SCHEDULER)),
            _kb(_phase(code, "without", "notebookOpened", SAGEMAKER_SCHEDULER)),
            "",
            "",
        ]
    )
    return rows


def _code(browser: dict, budgets: list, studio: dict | None = None) -> list[str]:
    code = browser.get("code", {})
    static = browser.get("static", {})
    if not code:
        return []
    at_start = _phase(code, "with", "startup", OURS)
    rows = [
        [
            "this extension",
            _kb(at_start),
            _kb(_phase(code, "with", "notebookOpened", OURS)),
            _kb(_phase(code, "with", "panelOpened", OURS)),
            _kb(static.get(OURS, {}).get("gzip")),
        ],
        [
            "this extension, listed in `disabledExtensions`",
            _kb(_phase(code, "disabled", "startup", OURS)),
            "",
            "",
            "",
        ],
        [
            "jupyter-scheduler, beside this extension",
            _kb(_phase(code, "with", "startup", SCHEDULER)),
            _kb(_phase(code, "with", "notebookOpened", SCHEDULER)),
            _kb(_phase(code, "with", "panelOpened", SCHEDULER)),
            _kb(static.get(SCHEDULER, {}).get("gzip")),
        ],
        [
            "jupyter-scheduler, without this extension",
            _kb(_phase(code, "without", "startup", SCHEDULER)),
            _kb(_phase(code, "without", "notebookOpened", SCHEDULER)),
            "",
            "",
        ],
    ]
    sm = static.get(SAGEMAKER, {})
    if "sagemaker" in code:
        rows += [
            [
                f"SageMaker EMR extension {sm.get('version', '')}",
                _kb(_phase(code, "sagemaker", "startup", SAGEMAKER)),
                _kb(_phase(code, "sagemaker", "notebookOpened", SAGEMAKER)),
                "",
                _kb(sm.get("gzip")),
            ],
            [
                "SageMaker common extension, the version it needs",
                _kb(_phase(code, "sagemaker", "startup", SAGEMAKER_COMMON)),
                _kb(_phase(code, "sagemaker", "notebookOpened", SAGEMAKER_COMMON)),
                "",
                "",
            ],
            [
                "SageMaker common extension, as in `.venv` (every other column)",
                _kb(_phase(code, "with", "startup", SAGEMAKER_COMMON)),
                "",
                "",
                "",
            ],
            [
                "jupyter-scheduler, beside SageMaker's EMR extension",
                _kb(_phase(code, "sagemaker", "startup", SCHEDULER)),
                "",
                "",
                "",
            ],
        ]
    elif sm.get("gzip"):
        rows.append(
            [
                f"SageMaker EMR extension {sm.get('version', '')} (static files of the wheel)",
                "not loaded",
                "",
                "",
                _kb(sm.get("gzip")),
            ]
        )
    _code_budgets(STACK, code, budgets)
    studio_code = (studio or {}).get("code")
    if studio_code:
        rows += _studio_code_rows(studio)
        _code_budgets(STUDIO, studio_code, budgets)
    lines = [
        "### 2. Code fetched",
        "",
        "KB gzipped (level 6) of the files each extension's URL prefix served in one cold load, by when",
        "they were fetched: JupyterLab's start (launcher open, network quiet), opening a 10-cell notebook",
        "(until the network is quiet: this extension's checker, and the panel's code, which the toolbar",
        "button prefetches once the notebook is idle), opening the panel. The last column is all the",
        "extension's static JS and CSS. The *Studio stack* rows are the same load on the Studio venv's",
        "JupyterLab 4.5, beside SageMaker's extensions as installed there.",
        "",
        *_table(
            ["Extension", "at start-up", "opening a notebook", "opening the panel", "all static files"], rows
        ),
    ]
    files = code.get("with", {}).get("phases", {}).get("startup", {}).get(OURS, {}).get("files", [])
    if files:
        lines += [
            "",
            "This extension at start-up: "
            + ", ".join(f"`{f['file']}` {_kb(f['gzip'])} KB" for f in files)
            + ".",
        ]
    plugins = code.get("sagemaker", {}).get("plugins")
    if plugins is not None:
        active = sum(p["activated"] for p in plugins)
        pinned = sm.get("installedWithJupyterLab")
        lines += [
            "",
            f"SageMaker's EMR extension {sm.get('version', '')}"
            + (
                f" (pip installs it with JupyterLab {pinned}, as its `jupyterlab<4.6` pin asks)"
                if pinned
                else ""
            )
            + f", its labextension served by JupyterLab {browser.get('jupyterlab', '')} beside the others:"
            f" {active} of {len(plugins)} plugins activated; its server extension is not loaded."
            " The shared modules an extension ends up loading depend on which extensions are present,"
            " hence jupyter-scheduler's different figure beside it.",
        ]
    elif sm:
        lines += ["", f"SageMaker's EMR extension: {sm}."]
    return lines


def _panel(stacks: list, budgets: list, runs: list[dict]) -> list[str]:
    rows: list = []
    for stack, browser in stacks:
        _panel_rows(stack, browser, rows, budgets, runs)
    return _panel_text(rows) + _panel_history(runs) if rows else []


def _panel_rows(stack: str, browser: dict, rows: list, budgets: list, runs: list[dict]) -> None:
    for row in browser.get("panel", []):

        def med(*keys, row=row):
            return _dig(row, *keys, "median")

        extra = row.get("extraFormMs")
        ratio = row.get("insertRatio")
        rows.append(
            [
                stack,
                f"{row['cells']:,}",
                _num(med("firstOpen", "form")),
                _num(med("firstOpen", "painted")),
                _num(med("builtInFirstOpen", "form")),
                _num(med("builtInFirstOpen", "painted")),
                _signed(med("extraFormMs")),
                _spread((extra or {}).get("samples"), _signed),
                _signed(med("extraPaintedMs")),
                _num(med("reopen", "form")),
                _num(med("insert", "model")),
                _num(med("insert", "dom")),
                _num(med("insert", "painted")),
                _num(med("insert", "command")),
                _num(med("bareInsert", "dom")),
                _num(med("bareInsert", "painted")),
                _num(med("insertRatio"), 3),
                _spread((ratio or {}).get("samples")),
                _num(med("checksSnapshotMs"), 2),
                _num(med("openAndRenderSeconds")),
            ]
        )
        at = ("panel", stack, str(row["cells"]))
        if extra:
            budgets.append(
                (
                    f"Panel first open, {stack}, {row['cells']:,} cells: ours - built-in sidebar",
                    f"{_extra_ms(extra['median'])} ({_spread(extra.get('samples'), _signed)})"
                    + _run_span(runs, (*at, "extraFormMs"), _extra_ms),
                    f"<= +{BUDGETS['panelExtraMs']:.0f} ms (paired median)",
                    _verdict(extra["median"] <= BUDGETS["panelExtraMs"]),
                )
            )
        if ratio:
            budgets.append(
                (
                    f"Insert connect cell, {stack}, {row['cells']:,} cells: ours / bare insert",
                    f"{_times(3)(ratio['median'])} ({_spread(ratio.get('samples'))})"
                    + _run_span(runs, (*at, "insertRatio"), _times(3)),
                    f"<= {BUDGETS['insertRatio']}x (paired median)",
                    _verdict(ratio["median"] <= BUDGETS["insertRatio"]),
                )
            )


def _panel_text(rows: list) -> list[str]:
    return [
        "### 3. Panel latency",
        "",
        "Milliseconds measured in the page (`performance.now()`), medians, PySpark notebooks of N cells.",
        "Timing starts once the notebook's kernel is idle and JupyterLab has put every cell on the page",
        "(last column: JupyterLab attaches a big notebook's cells a few at a time while the page is idle).",
        "",
        "- *First open*: `emr-schedule:open-panel` (what the toolbar button runs) in a fresh page, without",
        "  hovering the toolbar button first, until the form's first field is on the page, laid out, visible",
        "  and enabled (*form*); *painted*: until the frame after that. The panel's code has been fetched",
        "  by then, when the notebook's toolbar was first idle, and the panel built, hidden, in an idle",
        "  period after that (as in use): the first open shows it and renders what it holds.",
        "- *Built-in sidebar*: JupyterLab's Property Inspector opened the same way in the same page (the",
        "  two take turns going first), until its content is laid out (*shown*) and painted: what opening",
        "  any sidebar beside that notebook costs, since the notebook is laid out again narrower.",
        "- *Extra*: ours minus the built-in sidebar in the same page, paired: form against shown (what the",
        "  budget judges, with the interquartile range of the per-page differences and their number), and",
        "  painted against painted.",
        "- *Re-open*: the sidebar collapsed and opened again (code loaded, panel built).",
        "- *Insert*: `emr-schedule:insert-connect-cell` until the connect cell is in the notebook's model,",
        "  then rendered with its text, then painted, and until the command's promise settles (what runs",
        "  synchronously after the edit: the panel's update, JupyterLab's reaction to the new cells).",
        "  *Bare insert*: the very cells the command wrote in that page (read back after an untimed insert",
        "  of ours) put straight into the shared model in one transaction,",
        "  until rendered and painted: what any insert costs there (JupyterLab renders that batch of",
        "  two more slowly than the two single inserts of `upsertCells`, hence ratios far under 1 beside",
        "  big notebooks). *Ours / bare*: the median of each pair's ratio (rendered; the two alternate),",
        "  what the budget judges, with its spread.",
        "- *Snapshot*: a plain copy of every cell, read afresh: what each check would pay without",
        "  the checks' per-cell cache (they now read again only the cells that changed).",
        "",
        *_table(
            [
                "Stack",
                "Cells",
                "first open: form",
                "painted",
                "built-in sidebar: shown",
                "painted",
                "extra: form - shown",
                "spread",
                "extra, painted",
                "re-open",
                "insert: model",
                "rendered",
                "painted",
                "command returns",
                "bare insert: rendered",
                "painted",
                "ours / bare",
                "spread",
                "snapshot",
                "notebook open + rendered (s)",
            ],
            rows,
        ),
    ]


def _dig(data: dict, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _listing(listing: dict, budgets: list, runs: list[dict]) -> list[str]:
    lines = [
        "### 4. Listing at scale",
        "",
        "A plain Jupyter server with this extension, against the local AWS (moto, own process);",
        "route = `GET <base_url>emr-schedule/<kind>` with the token, over one kept-alive connection",
        "(Python's `http.client`, as a browser reuses its connection), boto3 = the same call on the same",
        "moto with the server's client configuration, as any boto3 caller gets it (the server's own",
        "session parses AWS's epoch timestamps itself, about 1 ms a page of clusters faster than",
        "boto3's parser). First page: median of 9 alternating pairs;",
        "complete list: every page following the markers, route and boto3 alternating page by page.",
        "A route that calls no AWS (`emr-schedule/status`) answers in",
        f"{_num(listing.get('statusRouteMs'))} ms: what any request costs (HTTP, Tornado, authentication).",
        "A page adds to that the hop to the AWS threads and its JSON (the tables' last column).",
        "",
    ]
    seed_rows = []
    for row in listing["sizes"]:
        seed_rows.append([f"{row['size']:,}", _num(row["seedS"]["clusters"]), _num(row["seedS"]["secrets"])])
    lines += [
        f"Seeding (boto3, {listing.get('seedThreads', '?')} threads; seconds to reach the size):",
        "",
        *_table(["Bulk items", "clusters", "secrets"], seed_rows),
    ]
    biggest = listing["sizes"][-1]
    for kind in ("clusters", "secrets"):
        rows = []
        for row in listing["sizes"]:
            first, full = row[kind]["firstPage"], row[kind]["fullList"]
            rows.append(
                [
                    f"{full['items']:,}",
                    _num(first["routeMs"]),
                    _num(first["directMs"]),
                    _num(first["ratio"], 2),
                    f"{full['pages']:,}",
                    _num(full["routeS"], 2),
                    _num(full["directS"], 2),
                    _num(full["ratio"], 2),
                    _num(full["pageRouteMs"] - full["pageDirectMs"]),
                ]
            )
        lines += [
            "",
            f"{kind.capitalize()}:",
            "",
            *_table(
                [
                    "Items",
                    "first page, route (ms)",
                    "boto3",
                    "ratio",
                    "pages",
                    "complete list, route (s)",
                    "boto3",
                    "ratio",
                    "route's extra ms per page",
                ],
                rows,
            ),
        ]
        first, full = biggest[kind]["firstPage"], biggest[kind]["fullList"]
        budgets.append(
            (
                f"First page of {kind} at {full['items']:,}",
                f"{_num(first['routeMs'])} ms",
                f"<= {BUDGETS['firstPageMs']:.0f} ms",
                _verdict(first["routeMs"] <= BUDGETS["firstPageMs"]),
            )
        )
        budgets.append(
            (
                f"Route overhead, {kind} complete list at {full['items']:,}",
                _times(2)(full["ratio"]) + _run_span(runs, ("listing", kind), _times(2)),
                f"<= {BUDGETS['overhead']}x",
                _verdict(full["ratio"] <= BUDGETS["overhead"]),
            )
        )
    return lines + _history_table(
        runs,
        "Route overhead from run to run",
        [
            "The complete list's route / boto3 ratio at the biggest size in every full run recorded in",
            "`bench/history.json`, this one last (*n/a*: the run of 2026-12-03 06:49 UTC measured a",
            "server that parsed AWS's timestamps with boto3's parser, as it no longer does).",
        ],
        ["List"],
        [([kind], ("listing", kind), _times(2)) for kind in ("clusters", "secrets")],
    )


def _checker(checker: dict, budgets: list) -> list[str]:
    sizes = checker.get("sizes", [])
    if not sizes:
        return []
    edit_names = list(sizes[0]["edits"])
    rows = []
    for row in sizes:
        rows.append(
            [
                f"{row['cells']:,}",
                str(row["findings"]),
                _num(row["full"]["median"], 2),
                _num(1000 * row["full"]["median"] / row["cells"], 1),
                _num(row["incrementalFirst"]["median"], 2),
                *[_num(row["edits"][e]["median"], 3) for e in edit_names],
            ]
        )
    biggest = sizes[-1]
    budgets.append(
        (
            f"Check a notebook of {biggest['cells']:,} cells",
            f"{_num(biggest['full']['median'], 2)} ms",
            f"<= {BUDGETS['checkMs']:.0f} ms",
            _verdict(biggest["full"]["median"] <= BUDGETS["checkMs"]),
        )
    )
    worst = max(edit_names, key=lambda e: biggest["edits"][e]["median"])
    typing = edit_names[0]
    for name in dict.fromkeys([typing, worst]):
        budgets.append(
            (
                f"Re-check after one edit ({name}), {biggest['cells']:,} cells",
                f"{_num(biggest['edits'][name]['median'], 3)} ms",
                f"<= {BUDGETS['editMs']:.0f} ms",
                _verdict(biggest["edits"][name]["median"] <= BUDGETS["editMs"]),
            )
        )
    return [
        "### 5. Checks on big notebooks",
        "",
        f"`src/core/checker` in Node {checker.get('node', '')}, medians in milliseconds. Generated",
        "PySpark notebooks (`bench/notebooks.py`): markdown, Spark code, `%%local`, `%%sql`, Redshift",
        "cells, the connect cells and about one defect in fifty cells. *Incremental, first*: a new",
        "incremental checker's first check. Edits re-check with an incremental checker that has seen",
        "the notebook before the edit.",
        "",
        *_table(
            ["Cells", "findings", "full check", "µs per cell", "incremental, first", *edit_names],
            rows,
        ),
    ]


def _this_run(results: dict, commit: str | None = None) -> dict | None:
    """This run's relative figures (start-up, panel and insert medians, route overheads), as
    ``history.json`` keeps a run."""
    stacks = {STACK: results.get("browser") or {}, STUDIO: results.get("studio") or {}}
    startup: dict = {}
    rounds: dict = {}
    panel: dict = {}
    for stack, browser in stacks.items():
        for row in browser.get("startup", []):
            paired = row.get("pairedRatio", {})
            startup.setdefault(stack, {})[row["layout"]] = {m: paired.get(m) for m, _ in MARKS}
            rounds[stack] = len(row.get("pairedRatios", {}).get("started") or [])
        for row in browser.get("panel", []):
            panel.setdefault(stack, {})[str(row["cells"])] = {
                key: _dig(row, key, "median") for key in ("extraFormMs", "insertRatio")
            }
    biggest = (_dig(results, "listing", "sizes") or [{}])[-1]
    listing = {kind: _dig(biggest, kind, "fullList", "ratio") for kind in ("clusters", "secrets")}
    listing = {kind: None if v is None else round(v, 4) for kind, v in listing.items()}
    if not startup and not panel and not any(listing.values()):
        return None
    return {
        "date": results["date"],
        "commit": commit,
        "rounds": rounds,
        "startup": startup,
        "panel": panel,
        "listing": listing,
    }


def _history(path: Path = HISTORY) -> dict:
    return json.loads(path.read_text()) if path.exists() else {"runs": []}


def runs_to_date(results: dict, path: Path = HISTORY) -> list[dict]:
    """The recorded runs, this one last (added here if it is not recorded yet)."""
    recorded = _history(path)["runs"]
    runs = [r for r in recorded if r["date"] != results.get("date")]
    this = next((r for r in recorded if r["date"] == results.get("date")), None)
    this = this or _this_run(results, results.get("commit"))
    return runs + ([this] if this and not results.get("quick") else [])


def record_history(results: dict, commit: str | None, path: Path = HISTORY) -> None:
    """Adds (or replaces) this run's relative figures in ``history.json``."""
    this = _this_run(results, commit)
    if this is None:
        return
    history = _history(path)
    before = next((r for r in history["runs"] if r["date"] == this["date"]), {})
    this["commit"] = this["commit"] or before.get("commit")
    history["runs"] = [r for r in history["runs"] if r["date"] != this["date"]] + [this]
    path.write_text(json.dumps(history, indent=2) + "\n")


def _low_high(values: list, fmt) -> str:
    known = [v for v in values if v is not None]
    return f"{fmt(min(known))} to {fmt(max(known))}" if known else "n/a"


def _run_range(runs: list[dict], stack: str) -> str:
    """The lowest and highest of a stack's layout medians over the recorded runs."""
    values = [
        v for run in runs for layout in (_dig(run, "startup", stack) or {}).values() for v in layout.values()
    ]
    if len(runs) < 2 or all(v is None for v in values):
        return ""
    return (
        f"; run to run, its layouts' medians {_low_high(values, lambda v: _num(v, 3))} over {len(runs)} runs"
    )


def _run_span(runs: list[dict], keys: tuple, fmt) -> str:
    """The lowest and highest of one figure over the recorded runs that have it."""
    values = [v for v in (_dig(run, *keys) for run in runs) if v is not None]
    if len(values) < 2:
        return ""
    return f"; run to run {_low_high(values, fmt)} over {len(values)} runs"


def _run_columns(runs: list[dict]) -> list[str]:
    return [r["date"].removesuffix(" UTC") + (f" (`{r['commit']}`)" if r.get("commit") else "") for r in runs]


def _history_table(runs: list[dict], title: str, intro: list[str], columns: list[str], figures) -> list[str]:
    """A row per figure, ``(labels, keys into a recorded run, format)``: its value in every recorded
    run, this one last, and the lowest and highest of them."""
    if len(runs) < 2:
        return []
    rows = []
    for labels, keys, fmt in figures:
        values = [_dig(run, *keys) for run in runs]
        rows.append(
            [*labels] + [fmt(v) if v is not None else "n/a" for v in values] + [_low_high(values, fmt)]
        )
    return ["", f"#### {title}", "", *intro, "", *_table(columns + _run_columns(runs) + ["range"], rows)]


def _keys(runs: list[dict], part: str) -> list[tuple[str, str]]:
    """The (stack, row) pairs a part of the recorded runs holds, in the order first met."""
    return list(
        dict.fromkeys((stack, key) for run in runs for stack, ks in run.get(part, {}).items() for key in ks)
    )


def _run_to_run(runs: list[dict]) -> list[str]:
    """Each layout's paired median in every recorded run: the spread from run to run, which a
    run's own interval does not show."""
    return _history_table(
        runs,
        "Start-up ratios from run to run",
        [
            "Each layout's paired median in every full run recorded in `bench/history.json`, this one",
            "last; *range*: the lowest and the highest. A run's interval says how well it knows its own",
            "median; this says how far the medians of runs of the same code and method move apart.",
        ],
        ["Stack", "Layout", "by"],
        [
            ([stack, layout, what], ("startup", stack, layout, mark), lambda v: _num(v, 3))
            for stack, layout in _keys(runs, "startup")
            for mark, what in MARKS
        ],
    )


def _panel_history(runs: list[dict]) -> list[str]:
    """The panel's two relative figures, paired medians, in every recorded run."""
    return _history_table(
        runs,
        "Panel and insert from run to run",
        [
            "The paired medians the budgets judge, in every full run recorded in `bench/history.json`,",
            "this one last: the first open's extra over the built-in sidebar (ms) and the insert's ratio",
            "to the bare insert.",
        ],
        ["Stack", "Cells", "figure"],
        [
            ([stack, f"{int(cells):,}", what], ("panel", stack, cells, key), fmt)
            for stack, cells in _keys(runs, "panel")
            for key, what, fmt in (
                ("extraFormMs", "first open: ours - built-in sidebar", _extra_ms),
                ("insertRatio", "insert: ours / bare", _times(3)),
            )
        ],
    )


def render(results: dict) -> str:
    m = results["machine"]
    budgets: list = []
    sections: list[list[str]] = []
    browser = results.get("browser", {})
    studio = results.get("studio") or {}
    runs = runs_to_date(results)
    if browser or studio:
        browser.setdefault("jupyterlab", m.get("jupyterlab", ""))
        stacks = ([(STACK, browser)] if browser else []) + ([(STUDIO, studio)] if studio else [])
        sections += [
            _startup(stacks, budgets, runs) + _run_to_run(runs),
            _code(browser, budgets, studio),
            _panel(stacks, budgets, runs),
        ]
    import paneltrace

    for trace in (results.get("trace"), studio.get("trace")):
        if trace:
            sections.append(paneltrace.table(trace))
    if "listing" in results:
        sections.append(_listing(results["listing"], budgets, runs))
    if "checker" in results:
        sections.append(_checker(results["checker"], budgets))
    head = [
        f"Run of {results['date']} ({results['seconds']} s"
        + (", quick" if results.get("quick") else "")
        + ").",
        "",
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memGiB']} GiB RAM; {m['os']}; Python {m['python']},",
        f"Node {m['node']}, {m['chromium']}, JupyterLab {m['jupyterlab']}, jupyter-scheduler",
        f"{m['jupyterScheduler']}, moto {m['moto']}. Load average (1, 5, 15 min) before the run",
        f"{', '.join(map(str, m['loadBefore']))}, after {', '.join(map(str, m.get('loadAfter', [])))}.",
        *_apart(m.get("browserApart")),
        "",
        "### Budgets",
        "",
        *_table(["Figure", "this run", "budget", ""], [list(b) for b in budgets]),
    ]
    out = head
    for section in sections:
        if section:
            out += ["", *section]
    return "\n".join(out) + "\n"


def record(path: Path, text: str) -> None:
    """Replaces the generated section of ``path`` (appends one if there is none)."""
    block = f"{START}\n\n{text}\n{END}"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in current and END in current:
        before = current.split(START, 1)[0]
        after = current.split(END, 1)[1]
        path.write_text(before + block + after)
    else:
        path.write_text(current.rstrip("\n") + "\n\n" + block + "\n")
