"""Breaks down Chromium performance traces of JupyterLab's start-up (``bench/browser.js``'s
``startupTrace`` part): how much of the page's main thread, from navigation to ``app.started``
and to ``app.restored``, ran this extension's code, against the whole.

    python bench/startuptrace.py <trace.json> [...]   # prints the breakdown of saved traces

The window starts at the page's ``navigationStart`` and ends at the marks the readiness hook sets
(``bench:startup:started``, ``bench:startup:restored``). *Busy* is the main thread's tasks;
*render* its style, layout and paint events; *script* is V8's samples outside rendering events
(``paneltrace``'s rule), split into this extension's files (the innermost frame with a script is
ours), other code called from ours (a frame of ours further down the stack), shared modules ours
asked for first (the frame ours called is another extension's container, ``remoteEntry``: it loads
a module that extension shares, which its own plugins load too) and the rest; *compile* is the
compile and evaluation events of this extension's files. Each load also counts the script of every
extension's files (the innermost frame), so a shared module's extension is compared with and
without this one: a module only ours needed would show as more script there with this extension. A
page without the extension has no samples in its files, so its row says how much of the spread
between page loads is the page's own. ``analyze`` also gives each configuration's restore phase,
from ``app.started`` to ``app.restored``: the median of each load's own difference.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from bisect import bisect_right
from collections import Counter
from pathlib import Path

from paneltrace import OURS, RENDERING, _complete, _events, _merge, _samples, _self_times

MARKS = ("started", "restored")

#: A federated extension's file, and the name of the extension it belongs to.
EXTENSION_FILE = re.compile(r"/lab/extensions/((?:@[^/]+/)?[^/]+)/static/([^/?]+)")


def _extension(url: str) -> tuple[str, str] | None:
    """(extension, file name) of a federated extension's static file, or None."""
    match = EXTENSION_FILE.search(url or "")
    return (match[1], match[2]) if match else None


def _window(events: list[dict]) -> tuple[int, int, float, dict[str, float]]:
    """(pid, tid, navigationStart, {mark: ts}) of the page that set the start-up marks."""
    marks: dict[str, dict] = {}
    for e in events:
        name = e.get("name", "")
        if name.startswith("bench:startup:") and "blink.user_timing" in e.get("cat", ""):
            marks[name.rsplit(":", 1)[1]] = e
    end = marks["restored"]
    pid = end["pid"]
    tid = end["tid"]
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e.get("pid") == pid:
            if e["args"].get("name") == "CrRendererMain":
                tid = e["tid"]
    starts = [
        e["ts"]
        for e in events
        if e.get("name") == "navigationStart" and e.get("pid") == pid and e["ts"] <= end["ts"]
    ]
    t0 = max(starts) if starts else min(e["ts"] for e in events if e.get("pid") == pid and e.get("ts"))
    return pid, tid, t0, {k: marks[k]["ts"] for k in MARKS if k in marks}


def breakdown(path: Path) -> dict:
    """Milliseconds of main-thread work until each mark, and this extension's share."""
    events = _events(path)
    pid, tid, t0, marks = _window(events)
    out: dict = {}
    for mark, t1 in marks.items():
        spans = _complete(events, pid, tid, t0, t1)
        tops = [s for s in spans if s[2] in {"RunTask", "ThreadControllerImpl::RunTask"}]
        busy = sum(e - s for s, e in _merge([(s, e) for s, e, _, _ in tops]))
        self_times = _self_times(spans)
        render = _merge([(s, e) for _, s, e, name, _ in self_times if name in RENDERING])
        starts = [s for s, _ in render]
        compile_ours = 0.0
        for self_t, _, _, name, args in self_times:
            if name in {"EvaluateScript", "v8.compile", "v8.compileModule", "CompileScript"}:
                url = (args.get("data") or {}).get("url") or args.get("fileName") or ""
                if OURS in url:
                    compile_ours += self_t
        ours = called = shared = other = 0.0
        by_extension: Counter = Counter()
        shared_from: set[str] = set()
        samples = _samples(events, pid, tid, t0, t1)
        for i, (t, frames) in enumerate(samples):
            k = bisect_right(starts, t) - 1
            if k >= 0 and render[k][0] <= t < render[k][1]:
                continue
            name = frames[0].get("functionName", "") if frames else ""
            if not frames or name in {"(idle)", "(program)", "(root)"}:
                continue
            nxt = samples[i + 1][0] if i + 1 < len(samples) else t1
            weight = min(nxt - t, 2000.0)
            urls = [f.get("url") or "" for f in frames]
            innermost = next((u for u in urls if u), "")
            owner = _extension(innermost)
            if owner:
                by_extension[owner[0]] += weight
            if OURS in innermost:
                ours += weight
                continue
            # The innermost frame of ours, and the frame it called (frames run innermost first).
            k = next((i for i, u in enumerate(urls) if OURS in u), None)
            if k is None:
                other += weight
                continue
            callee = next((u for u in reversed(urls[:k]) if u), "")
            container = _extension(callee)
            if container and OURS not in callee and container[1].startswith("remoteEntry."):
                shared += weight
                shared_from.add(container[0])
            else:
                called += weight
        out[mark] = {
            "wall": round((t1 - t0) / 1000, 1),
            "busy": round(busy / 1000, 1),
            "render": round(sum(e - s for s, e in render) / 1000, 1),
            "scriptOurs": round(ours / 1000, 1),
            "scriptCalledFromOurs": round(called / 1000, 1),
            "scriptSharedFirst": round(shared / 1000, 1),
            "scriptOther": round(other / 1000, 1),
            "compileOurs": round(compile_ours / 1000, 1),
            "sharedFrom": sorted(shared_from),
            "byExtension": {k: round(v / 1000, 1) for k, v in sorted(by_extension.items())},
        }
    return out


def ours_ms(at: dict) -> float:
    """This extension's script, the code it calls and the compile of its files, at one mark (the
    budget's count; results of runs before the called code was counted apart lack it)."""
    return at["scriptOurs"] + at.get("scriptCalledFromOurs", 0.0) + at["compileOurs"]


def _restore(rows: list[dict]) -> dict:
    """Medians over the loads of the work from ``app.started`` to ``app.restored`` (the layout's
    restore: a notebook's model, its toolbar and its first cells), each load's own difference."""
    rows = [r for r in rows if all(m in r for m in MARKS)]
    if not rows:
        return {}
    phase = {
        "busy": lambda at: at["busy"],
        "render": lambda at: at["render"],
        "ours": ours_ms,
        "scriptOther": lambda at: at["scriptOther"],
    }
    return {
        key: round(statistics.median(f(r["restored"]) - f(r["started"]) for r in rows), 1)
        for key, f in phase.items()
    }


def analyze(traces: list[dict], layout: str | None = None) -> dict:
    """Medians by configuration (``with`` / ``without``) over the traced page loads."""
    per: dict[str, list[dict]] = {}
    for t in traces:
        try:
            per.setdefault(t["config"], []).append(breakdown(Path(t["file"])))
        except (KeyError, ValueError, OSError) as err:
            print(f"  {t['file']}: not broken down ({err})", file=sys.stderr)
    medians: dict = {}
    for config, rows in per.items():
        medians[config] = {}
        for mark in MARKS:
            if not all(mark in r for r in rows):
                continue
            at = [r[mark] for r in rows]
            numbers = [k for k, v in at[0].items() if isinstance(v, (int, float))]
            medians[config][mark] = {k: round(statistics.median(a[k] for a in at), 1) for k in numbers}
            if "byExtension" in at[0]:
                names = sorted({n for a in at for n in a["byExtension"]})
                medians[config][mark]["byExtension"] = {
                    n: round(statistics.median(a["byExtension"].get(n, 0.0) for a in at), 1) for n in names
                }
                medians[config][mark]["sharedFrom"] = sorted({n for a in at for n in a["sharedFrom"]})
    return {
        "loads": {c: len(r) for c, r in per.items()},
        "medians": medians,
        "restore": {config: _restore(rows) for config, rows in per.items()},
        "samples": per,
        **({"layout": layout} if layout else {}),
    }


def main() -> int:
    for path in sys.argv[1:]:
        print(path, json.dumps(breakdown(Path(path))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
