"""Breaks down Chromium performance traces of a sidebar's first open (``bench/browser.js``'s
``trace`` part): where the main thread's time goes between the command and the first paint.

    python bench/paneltrace.py <trace.json> [...]   # prints the breakdown of saved traces

Each trace holds the page's user timing marks ``bench:<which>:start``, ``:form`` and ``:painted``
(``timeOpen`` in browser.js), the timeline's events and V8's sampling profiler. The window is
start to painted. On the page's main thread, time inside the rendering events (style
recalculation, layout, paint and its pre-/post-steps, HTML parsing) is counted as such; script
time is split by where the profiler's samples fall outside those events, by the script of the
innermost frame that has one: this extension's files, React (the JupyterLab chunk that holds
react-dom), or the rest of JupyterLab and Lumino. The rest of the window is the main thread
waiting (for the network, for the next frame).
"""

from __future__ import annotations

import json
import statistics
import sys
from bisect import bisect_right
from pathlib import Path

OURS = "/lab/extensions/jupyterlab-emr-schedule/"

#: Main-thread rendering events, by what the breakdown calls them.
RENDERING = {
    "UpdateLayoutTree": "style",
    "RecalculateStyles": "style",
    "ParseAuthorStyleSheet": "style",
    "Layout": "layout",
    "PrePaint": "paint",
    "Paint": "paint",
    "PaintImage": "paint",
    "Layerize": "paint",
    "UpdateLayerTree": "paint",
    "UpdateLayer": "paint",
    "CompositeLayers": "paint",
    "Commit": "paint",
    "ParseHTML": "parse",
    "HitTest": "paint",
    "IntersectionObserverController::computeIntersections": "intersections",
}
GC = {"MinorGC", "MajorGC", "V8.GC_SCAVENGER", "V8.GC_MARK_COMPACTOR", "BlinkGC.AtomicPhase"}

#: Rows of the table, in order: (key, label).
ROWS = [
    ("fetchOurs", "Fetch of this extension's chunks (wall clock, main thread free meanwhile)"),
    ("compileOurs", "Script compile and evaluation of this extension's chunks"),
    ("scriptOurs", "Script: this extension's code (model, actions, sections)"),
    ("scriptReact", "Script: React (render and commit, react-dom)"),
    ("scriptOther", "Script: JupyterLab, Lumino and the rest"),
    ("selection", "`selectionchange` events: CodeMirror's handler in each of the notebook's editors"),
    ("style", "Style recalculation"),
    ("layout", "Layout"),
    ("paint", "Pre-paint, paint, hit tests, layerize, commit"),
    ("intersections", "Intersection observers (the notebook's windowing, the editors)"),
    ("gc", "Garbage collection"),
    ("other", "Other main-thread work (native, unattributed)"),
    ("busy", "Main thread busy, total"),
    ("wait", "Main thread waiting (network, next frame)"),
    ("form", "Start to form usable (wall clock)"),
    ("painted", "Start to painted (wall clock)"),
]


def _react_files(prefix: Path | None = None) -> set[str]:
    """Names of JupyterLab's static chunks that hold react-dom (its reconciler and scheduler), in
    the environment at ``prefix`` (this interpreter's by default: the one the traces ran)."""
    names = set()
    static = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "static"
    for f in static.glob("*.js"):
        text = f.read_text(errors="ignore")
        if "hydrateRoot" in text and "unstable_scheduleCallback" in text:
            names.add(f.name)
    return names


def _events(path: Path) -> list[dict]:
    data = json.loads(Path(path).read_text())
    return data["traceEvents"] if isinstance(data, dict) else data


def _main_thread(events: list[dict], which: str) -> tuple[int, int, float, float, float | None]:
    """(pid, tid, start, painted, form) in trace microseconds, from the user timing marks."""
    marks = {}
    for e in events:
        name = e.get("name", "")
        if name.startswith(f"bench:{which}:") and "blink.user_timing" in e.get("cat", ""):
            marks[name.rsplit(":", 1)[1]] = e
    start = marks["start"]
    pid = start["pid"]
    tid = None
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e.get("pid") == pid:
            if e["args"].get("name") == "CrRendererMain":
                tid = e["tid"]
    tid = tid if tid is not None else start["tid"]
    form = marks.get("form", {}).get("ts")
    return pid, tid, start["ts"], marks["painted"]["ts"], form


def _complete(events: list[dict], pid: int, tid: int, t0: float, t1: float) -> list[tuple]:
    """The thread's complete events overlapping [t0, t1]: (start, end, name, args), clipped."""
    out = []
    stack: dict[str, list] = {}
    for e in events:
        if e.get("pid") != pid or e.get("tid") != tid:
            continue
        ph = e.get("ph")
        if ph == "X":
            s, d = e["ts"], e.get("dur", 0)
            out.append((s, s + d, e["name"], e.get("args", {})))
        elif ph == "B":
            stack.setdefault(e["name"], []).append(e)
        elif ph == "E" and stack.get(e.get("name")):
            b = stack[e["name"]].pop()
            out.append((b["ts"], e["ts"], b["name"], {**b.get("args", {}), **e.get("args", {})}))
    return [(max(s, t0), min(en, t1), n, a) for s, en, n, a in out if en > t0 and s < t1]


def _self_times(spans: list[tuple]) -> list[tuple]:
    """Each span's self time (minus its children), with its name and args: (self, s, e, name, args)."""
    spans = sorted(spans, key=lambda x: (x[0], -x[1]))
    result = []
    stack: list[list] = []
    for s, e, name, args in spans:
        while stack and stack[-1][1] <= s:
            result.append(tuple(stack.pop()))
        node = [s, e, name, args, e - s]
        if stack:
            parent = stack[-1]
            parent[4] -= min(e, parent[1]) - s
        stack.append(node)
    result += [tuple(n) for n in stack]
    return [(max(0.0, r[4]), r[0], r[1], r[2], r[3]) for r in result]


def _samples(events: list[dict], pid: int, tid: int, t0: float, t1: float) -> list[tuple[float, list[dict]]]:
    """V8's samples in [t0, t1] on the thread: (timestamp, stack of call frames, innermost first)."""
    # The profile starts on the thread it samples; its chunks come from V8's profiler thread,
    # tied to it by the event's id.
    start = None
    profile = None
    for e in events:
        if e.get("pid") == pid and e.get("tid") == tid and e.get("name") == "Profile":
            start = e["args"]["data"].get("startTime")
            profile = e.get("id")
    nodes: dict[int, dict] = {}
    times: list[float] = []
    ids: list[int] = []
    for e in events:
        if e.get("pid") != pid or e.get("id") != profile:
            continue
        if e.get("name") == "ProfileChunk":
            data = e["args"]["data"]
            for n in data.get("cpuProfile", {}).get("nodes", []):
                nodes[n["id"]] = n
            ids += data.get("cpuProfile", {}).get("samples", [])
            times += data.get("timeDeltas", [])
    if start is None:
        return []
    out = []
    t = start
    for node_id, delta in zip(ids, times):
        t += delta
        if t0 <= t <= t1:
            frames = []
            n = nodes.get(node_id)
            while n is not None:
                frames.append(n.get("callFrame", {}))
                n = nodes.get(n.get("parent"))
            out.append((t, frames))
    return out


def _classify(frames: list[dict], react: set[str]) -> str | None:
    if not frames:
        return None
    name = frames[0].get("functionName", "")
    if name in {"(idle)", "(program)", "(root)"}:
        return None
    if name == "(garbage collector)":
        return "gc"
    for f in frames:
        url = f.get("url") or ""
        if not url:
            continue
        if OURS in url:
            return "scriptOurs"
        if url.rsplit("/", 1)[-1].split("?")[0] in react:
            return "scriptReact"
        return "scriptOther"
    return "scriptOther"


def breakdown(path: Path, which: str, react: set[str]) -> dict:
    """Milliseconds by row of ``ROWS`` for one trace."""
    events = _events(path)
    pid, tid, t0, t1, form = _main_thread(events, which)
    spans = _complete(events, pid, tid, t0, t1)
    # The outermost tasks: what the main thread was busy with.
    tops = [s for s in spans if s[2] in {"RunTask", "ThreadControllerImpl::RunTask"}]
    busy_intervals = _merge([(s, e) for s, e, _, _ in tops]) or _merge([(s, e) for s, e, _, _ in spans])
    busy = sum(e - s for s, e in busy_intervals)
    out = {k: 0.0 for k, _ in ROWS}
    out["parse"] = 0.0
    render_intervals = []
    compile_ours = 0.0
    for self_t, s, e, name, args in _self_times(spans):
        kind = RENDERING.get(name)
        if kind:
            out[kind] += self_t
            render_intervals.append((s, e))
        elif name in GC:
            out["gc"] += self_t
            render_intervals.append((s, e))
        elif name in {"EvaluateScript", "v8.compile", "v8.compileModule", "CompileScript"}:
            url = (args.get("data") or {}).get("url") or args.get("fileName") or ""
            if OURS in url:
                compile_ours += self_t
    out["compileOurs"] = compile_ours
    # A `selectionchange` reaches every editor's listener on the document: with 1,000 cells, a
    # few tens of milliseconds each. Counted whole (script and native), apart from the rest.
    for s, e, name, args in spans:
        if name == "EventDispatch" and (args.get("data") or {}).get("type") == "selectionchange":
            out["selection"] += e - s
            render_intervals.append((s, e))
    # Script: samples outside the rendering events, each worth the interval to the next one.
    render = _merge(render_intervals)
    starts = [s for s, _ in render]
    samples = _samples(events, pid, tid, t0, t1)
    for i, (t, frames) in enumerate(samples):
        k = bisect_right(starts, t) - 1
        if k >= 0 and render[k][0] <= t < render[k][1]:
            continue
        kind = _classify(frames, react)
        if kind is None:
            continue
        nxt = samples[i + 1][0] if i + 1 < len(samples) else t1
        weight = min(nxt - t, 2000.0)  # a gap in sampling is not script time
        if kind == "gc":
            out["gc"] += weight
        else:
            out[kind] += weight
    # Script compile of ours is inside the samples' "ours" share; show it apart.
    out["scriptOurs"] = max(0.0, out["scriptOurs"] - compile_ours)
    script = ("compileOurs", "scriptOurs", "scriptReact", "scriptOther")
    native = ("selection", "style", "layout", "paint", "intersections", "gc", "parse")
    accounted = sum(out[k] for k in script + native)
    out["other"] = max(0.0, busy - accounted)
    out["busy"] = busy
    out["wait"] = max(0.0, (t1 - t0) - busy)
    out["fetchOurs"] = _fetch(events, OURS, t0, t1)
    out["form"] = (form - t0) if form else 0.0
    out["painted"] = t1 - t0
    ms = {k: round(v / 1000, 1) for k, v in out.items()}
    ms["styleElements"] = sum(
        (a.get("elementCount") or 0) for s, e, n, a in spans if n in {"UpdateLayoutTree", "RecalculateStyles"}
    )
    ms["framesBeforeForm"] = sum(1 for s, e, n, a in spans if n == "Commit" and form and s < form)
    layouts = [(a.get("beginData") or {}).get("totalObjects") or 0 for s, e, n, a in spans if n == "Layout"]
    ms["layoutObjects"] = max(layouts or [0])
    return ms


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _fetch(events: list[dict], prefix: str, t0: float, t1: float) -> float:
    """Wall-clock time from the first request for a URL under ``prefix`` in the window to the
    last one's finish (microseconds)."""
    sent: dict[str, float] = {}
    done: dict[str, float] = {}
    for e in events:
        data = (e.get("args") or {}).get("data") or {}
        rid = data.get("requestId")
        if e.get("name") == "ResourceSendRequest" and prefix in (data.get("url") or ""):
            if t0 <= e["ts"] <= t1:
                sent[rid] = e["ts"]
        elif e.get("name") == "ResourceFinish" and rid:
            done[rid] = e["ts"]
    ends = [done[r] for r in sent if r in done]
    if not sent or not ends:
        return 0.0
    return max(ends) - min(sent.values())


def analyze(traces: list[dict], prefix: Path | None = None) -> dict:
    """Medians by row over the pages, for our panel and the built-in sidebar (``prefix``: the
    environment whose JupyterLab served the page)."""
    react = _react_files(prefix)
    per: dict[str, list[dict]] = {"ours": [], "builtIn": []}
    for t in traces:
        try:
            per[t["which"]].append(breakdown(Path(t["file"]), t["which"], react))
        except (KeyError, ValueError, OSError) as err:
            print(f"  {t['file']}: not broken down ({err})", file=sys.stderr)
    keys = [k for k, _ in ROWS] + ["styleElements", "layoutObjects", "framesBeforeForm"]
    return {
        "pages": len(per["ours"]),
        "files": sorted({str(Path(t["file"]).parent) for t in traces}),
        "ours": {k: _median([b[k] for b in per["ours"]]) for k in keys},
        "builtIn": {k: _median([b[k] for b in per["builtIn"]]) for k in keys},
        "samples": per,
    }


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def table(result: dict) -> list[str]:
    """The breakdown as a Markdown table (milliseconds, medians over the pages)."""
    ours, base = result["ours"], result["builtIn"]

    def num(v):
        return "n/a" if v is None else f"{v:,.1f}"

    def diff(a, b):
        return "n/a" if a is None or b is None else f"{a - b:+,.1f}"

    rows = [f"| {label} | {num(ours[k])} | {num(base[k])} | {diff(ours[k], base[k])} |" for k, label in ROWS]
    rows.append(
        f"| Elements restyled (sum over recalculations) | {ours['styleElements']:,.0f} |"
        f" {base['styleElements']:,.0f} | {ours['styleElements'] - base['styleElements']:+,.0f} |"
    )
    rows.append(
        f"| Frames committed before the form is usable | {ours['framesBeforeForm']:,.0f} |"
        f" {base['framesBeforeForm']:,.0f} | {ours['framesBeforeForm'] - base['framesBeforeForm']:+,.0f} |"
    )
    stack = f" ({result['stack']})" if result.get("stack") else ""
    return [
        f"### Trace of the first open beside 1,000 cells{stack}",
        "",
        "Chromium performance traces of `emr-schedule:open-panel` and of the built-in Property Inspector,",
        "each opened for the first time in a page beside a 1,000-cell notebook (no hover preload), medians",
        f"over {result['pages']} pages, milliseconds from the command to the first paint after the form is",
        "usable (`bench/paneltrace.py` says how each row is counted; the traces are kept in",
        "`.stamps/bench/traces/`).",
        "",
        "| Main thread, start to painted | our panel | built-in sidebar | ours - built-in |",
        "|---|---|---|---|",
        *rows,
    ]


def main() -> int:
    react = _react_files()
    for path in sys.argv[1:]:
        which = "ours" if path.endswith("-ours.json") else "builtIn"
        print(path, json.dumps(breakdown(Path(path), which, react)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
