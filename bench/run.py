"""Runs the benchmarks, prints their figures and records them in BENCHMARKS.md.

    python bench/run.py [--parts startup,code,panel,studio,trace,startuptrace,listing,checker,runs]
                        [--quick] [--no-record] [--rounds N] [--layouts launcher,notebook,cold]
                        [--trace-layout notebook|launcher|cold] [--trace-rounds N]
    python bench/run.py --render [--no-record]

``make bench`` runs all of them (90 to 110 minutes). The raw figures go to
``.stamps/bench/results.json``; the section between the markers in BENCHMARKS.md is rewritten.
``studio`` measures start-up, code and the panel on the Studio stack (``make studio-venv``);
``trace`` records Chromium performance traces of the panel's first open beside a 1,000-cell
notebook (kept in ``.stamps/bench/traces/``) and breaks them down (``bench/paneltrace.py``);
``startuptrace`` traces start-up page loads (a notebook restored) with and without this extension,
on JupyterLab 4.6 and, with ``studio``, on the Studio stack, and ``bench/startuptrace.py`` says how
much of the main thread ran this extension's code. Not in a full run: ``studiotrace`` (the first
open's trace on the Studio stack) and ``studiostartuptrace`` (the start-up traces on the Studio
stack alone). ``--rounds`` and ``--layouts`` narrow or lengthen the start-up part (on both
stacks), ``--trace-layout`` says which layout the start-up traces load (cold: a new
browser context for each load, as in the cold-cache rows) and ``--trace-rounds`` how many
loads of each configuration they trace (4); a run with any
of them is not recorded. ``--render`` measures nothing: it renders the last run's
``results.json`` with the report as it is now, and records it if that run was a full one.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import listing
import notebooks
import paneltrace
import report
import runs_at_scale
import startuptrace
from common import (
    BENCH,
    LABEXTENSION,
    ROOT,
    Jupyter,
    Moto,
    browser_apart,
    labextension_dirs,
    load_average,
    log,
    machine,
    wait_quiet,
    workdir,
)

PARTS = ["startup", "code", "panel", "studio", "trace", "startuptrace", "listing", "checker", "runs"]
#: Not in a full run: the trace of the first open on the Studio stack, and the start-up traces on
#: the Studio stack alone.
EXTRA_PARTS = ["studiotrace", "studiostartuptrace"]
OUT = ROOT / ".stamps" / "bench"
BENCH_VENV = ROOT / ".stamps" / "bench-venv"
SAGEMAKER = "@amzn/sagemaker-jupyterlab-emr-extension"
SAGEMAKER_COMMON = "@amzn/sagemaker-jupyterlab-extension-common"
SCHEDULER = "@jupyterlab/scheduler"
SAGEMAKER_SCHEDULER = "@amzn/sagemaker-jupyter-scheduler"
#: The Studio stack (``make studio-venv``): JupyterLab 4.5 with SageMaker's plugins.
STUDIO_VENV = ROOT / ".stamps" / "studio-venv"


def sagemaker_labextensions() -> tuple[dict[str, Path], dict]:
    """SageMaker's EMR extension (and the common one it needs, as installed with it) from the
    bench venv, and what the venv holds: an installed extension, or only its wheel."""
    info: dict = {"installed": False}
    wheels = sorted((BENCH_VENV / "wheels").glob("sagemaker_jupyterlab_emr_extension-*.whl"))
    if wheels:
        info["wheel"] = wheels[-1].name
        info["version"] = wheels[-1].name.split("-")[1]
    base = BENCH_VENV / "share" / "jupyter" / "labextensions"
    found = {
        name: base / name for name in (SAGEMAKER, SAGEMAKER_COMMON) if (base / name / "package.json").exists()
    }
    if SAGEMAKER in found:
        info["installed"] = True
        info["version"] = json.loads((found[SAGEMAKER] / "package.json").read_text()).get("version")
        lab = sorted((BENCH_VENV / "lib").glob("python*/site-packages/jupyterlab-*.dist-info"))
        if lab:
            info["installedWithJupyterLab"] = lab[-1].name.split("-")[1].removesuffix(".dist")
        return found, info
    return {}, info


def static_sizes(wheel: Path | None, labext: Path | None) -> dict:
    """Bytes and gzipped bytes of a labextension's static files (from its directory or wheel)."""
    import gzip
    import zipfile

    files: dict[str, bytes] = {}
    if labext is not None:
        for f in sorted((labext / "static").glob("*")):
            if f.is_file() and f.suffix in {".js", ".css"}:
                files[f.name] = f.read_bytes()
    elif wheel is not None:
        with zipfile.ZipFile(wheel) as z:
            for name in z.namelist():
                if "/labextensions/" in name and "/static/" in name and name.endswith((".js", ".css")):
                    files[name.rsplit("/", 1)[1]] = z.read(name)
    if not files:
        return {}
    return {
        "files": len(files),
        "bytes": sum(len(b) for b in files.values()),
        "gzip": sum(len(gzip.compress(b, 6)) for b in files.values()),
        "remoteEntryGzip": sum(
            len(gzip.compress(b, 6)) for n, b in files.items() if n.startswith("remoteEntry")
        ),
    }


def our_static_sizes() -> dict:
    return static_sizes(None, labextension_dirs().get(LABEXTENSION))


def scheduler_static_sizes() -> dict:
    return static_sizes(None, labextension_dirs().get(SCHEDULER))


def notebook_layout(paths: list[str]) -> dict:
    """A workspace that restores ``paths`` as open notebooks (the first one current)."""
    widgets = [f"notebook:{p}" for p in paths]
    data: dict = {
        "layout-restorer:data": {
            "main": {
                "dock": {"type": "tab-area", "currentIndex": 0, "widgets": widgets},
                "current": widgets[0],
            },
            "left": {"collapsed": True, "visible": True, "widgets": []},
            "right": {"collapsed": True, "visible": True, "widgets": []},
        }
    }
    for p in paths:
        data[f"notebook:{p}"] = {"data": {"path": p, "factory": "Notebook"}}
    return data


def start_all(servers: list[Jupyter]) -> None:
    """Starts the servers side by side (each one waits for its own answer)."""
    errors: list[BaseException] = []

    def one(server: Jupyter, port_from: int) -> None:
        try:
            server.start(port_from)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(s, 8899 + 10 * i)) for i, s in enumerate(servers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def run_browser(work: Path, name: str, plan: dict, apart: dict | None = None) -> dict:
    """Runs bench/browser.js on ``plan`` and returns its figures; with ``apart`` (from
    ``common.browser_apart``), Chromium on the CPUs it names for the browser."""
    plan_path, out_path = work / f"plan-{name}.json", work / f"browser-{name}.json"
    plan_path.write_text(json.dumps(plan, indent=1))
    env = {**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
    if apart:
        env["BENCH_CHROMIUM"] = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
        env["BENCH_BROWSER_CPUS"] = ",".join(map(str, apart["browser"]))
        env["CHROMIUM_PATH"] = str(BENCH / "chromium-apart")
    subprocess.run(["node", str(BENCH / "browser.js"), str(plan_path), str(out_path)], env=env, check=True)
    return json.loads(out_path.read_text())


# The start-up layouts, by the name ``--layouts`` and ``--trace-layout`` use.
LAYOUTS = {
    "launcher": {"name": "launcher", "workspace": "bench-launcher"},
    "notebook": {"name": report.TRACED_LAYOUT, "workspace": "bench-notebook"},
    "cold": {"name": "launcher, cold cache", "workspace": "bench-launcher", "cold": True},
}
# Start-up rounds per layout. With Chromium on a CPU of its own (common.browser_apart), one round's
# with / without ratio spreads by 0.035 to 0.055 (standard deviation) on a quiet machine, and by
# 0.08 to 0.12 on a busier one (the run of 06:49 on 2026-12-03): 71 rounds narrow the 90% interval
# of the paired median to about +-0.02 then, enough to tell a median near 1.007 from 1.03.
ROUNDS = 71
# The Studio stack's rounds: its server's work (collaboration, SageMaker's plugins) spreads a
# round's ratio by time by 0.07 to 0.08 even with its heap frozen (bench/lab.py), and 71 rounds
# narrow the interval to about +-0.02.
STUDIO_ROUNDS = 71
# Kept rounds per pair of browser contexts in a warm layout: 71 rounds in nine blocks.
RENEW_EVERY = 8
# Traced start-up page loads per configuration (after one warm-up load each).
TRACE_ROUNDS = 4


def startup_plan(layouts: list[dict], quick: bool, samples: int = ROUNDS) -> dict:
    return {
        "configs": ["with", "without"],
        "layouts": layouts,
        "warmup": 1,
        "samples": 3 if quick else samples,
        # Warm layouts get new browser contexts (and a warm-up load) every this many kept rounds:
        # one context for all of a layout's rounds set an offset for the whole run (bench/browser.js).
        "renewEvery": 2 if quick else RENEW_EVERY,
    }


def panel_plan(sizes: list[int], quick: bool) -> dict:
    return {
        "server": "with",
        "sizes": [
            {
                "cells": n,
                "path": f"panel-{n}.ipynb",
                # Beside 1,000 cells ours is a few percent of the bare insert.
                # Beside 10 or 100, the two differ by a millisecond or two in
                # 15 to 30 ms while single pairs spread by +-25% (a cell renders
                # in one of two times), so the median needs more pairs there.
                # A first open is one figure per page, and pages differ by tens of
                # milliseconds on this machine: enough pages that the median holds.
                **({"samples": 3 if quick else 6} if n >= 1000 else {"inserts": 5 if quick else 15}),
            }
            for n in sizes
        ],
        "samples": 3 if quick else 7,
        "warm": 3,
        "inserts": 5,
        "settleMs": 800,
    }


def trace_plan(cells: int, quick: bool) -> dict:
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    return {
        "server": "with",
        "path": f"panel-{cells}.ipynb",
        "cells": cells,
        "pages": 2 if quick else 4,
        "dir": str(OUT / "traces" / stamp),
        "settleMs": 800,
    }


def startup_trace_plan(layout: dict, quick: bool, rounds: int | None, suffix: str = "") -> dict:
    """Start-up page loads of ``layout`` traced, with and without this extension in turn."""
    return {
        "layout": layout,
        "rounds": rounds or (2 if quick else TRACE_ROUNDS),
        "dir": trace_plan(1000, quick)["dir"] + suffix + "-startup",
    }


@contextlib.contextmanager
def studio_metadata(studio, domain_id: str):
    """Studio's app metadata where SageMaker's plugin reads it, while the Studio servers run, as
    ``demo/run.py --studio`` writes it. A file already there (a Studio demo or UI test running
    meanwhile) is left alone; the one written here is removed only if it is still the same."""
    path = studio.METADATA
    if path.exists():
        yield
        return
    text = json.dumps(studio.resource_metadata_of(domain_id), indent=2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    except OSError as err:
        log(f"  could not write {path} ({err}); SageMaker's plugin runs without it")
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if path.read_text() == text:
                path.unlink()
                for folder in (path.parent, path.parent.parent):
                    with contextlib.suppress(OSError):
                        folder.rmdir()  # only when empty


def studio_parts(work: Path, quick: bool, parts: list[str], opts: argparse.Namespace) -> dict:
    """Start-up, code and the panel on the Studio stack: the Studio venv's JupyterLab 4.5 with
    everything ``make studio-venv`` installs (SageMaker's scheduler, EMR and common extensions,
    jupyter-collaboration), with and without this extension, against the local AWS seeded as
    ``demo/run.py --studio`` seeds it."""
    import studio

    python = studio.PYTHON
    if not python.exists():
        log(f"  {python} is missing (make studio-venv): the Studio stack is not measured")
        return {"skipped": "no studio venv"}
    work = work / "studio"
    root = work / "root"
    root.mkdir(parents=True)
    panel_sizes = [1000] if quick else [10, 1000]
    for n in panel_sizes:
        notebooks.write(root / f"panel-{n}.ipynb", n, connect=False)
    if 10 not in panel_sizes:
        notebooks.write(root / "panel-10.ipynb", 10, connect=False)
    notebooks.write(root / "startup-200.ipynb", 200)
    found = labextension_dirs(str(python))
    without = {k: v for k, v in found.items() if k != LABEXTENSION}
    moto = Moto(work / "aws").start()
    servers: dict[str, Jupyter] = {}
    try:
        domain_id = studio.seed(moto.endpoint)
        env = studio.env({**moto.env(), "PATH": os.environ.get("PATH", "")})
        servers = {
            "with": Jupyter("with", work, root, env, labextensions=found, python=str(python)),
            "without": Jupyter(
                "without", work, root, env, labextensions=without, server_extension=False, python=str(python)
            ),
        }
        with studio_metadata(studio, domain_id):
            log("starting 2 JupyterLab servers on the Studio stack")
            start_all(list(servers.values()))
            for server in servers.values():
                server.put_workspace("bench-notebook", notebook_layout(["startup-200.ipynb"]))
            wait_quiet(1.0, 20)
            plan = {
                "parts": (["startup", "code", "panel"] if "studio" in parts else [])
                + (["trace"] if "studiotrace" in parts else [])
                + (["startupTrace"] if {"startuptrace", "studiostartuptrace"} & set(parts) else []),
                "servers": {name: s.describe() for name, s in servers.items()},
                # The cold-cache layout too, as on JupyterLab 4.6: pooled, two layouts' 142 rounds left
                # the interval's top at 1.031 and 1.032 around medians of 1.008 and 1.016 (the run
                # of 2026-12-04 06:06); 213 narrow it by about a fifth.
                "startup": startup_plan(
                    [LAYOUTS[k] for k in opts.layouts], quick, opts.rounds or STUDIO_ROUNDS
                ),
                "code": {
                    "extensions": [LABEXTENSION, SAGEMAKER_SCHEDULER, SAGEMAKER, SAGEMAKER_COMMON],
                    "notebook": "panel-10.ipynb",
                    "configs": {
                        "with": {"workspace": "code-with", "panel": True},
                        "without": {"workspace": "code-without"},
                    },
                },
                "panel": panel_plan(panel_sizes, quick),
            }
            plan["trace"] = {**trace_plan(1000, quick), "dir": trace_plan(1000, quick)["dir"] + "-studio"}
            plan["startupTrace"] = startup_trace_plan(
                LAYOUTS[opts.trace_layout], quick, opts.trace_rounds, "-studio"
            )
            results = run_browser(work, "studio", plan, opts.apart)
    finally:
        for server in servers.values():
            server.stop()
        moto.stop()
    if "startupTrace" in results:
        results["startupTrace"] = startuptrace.analyze(
            results["startupTrace"], LAYOUTS[opts.trace_layout]["name"]
        )
    if "trace" in results:
        results["trace"] = paneltrace.analyze(results["trace"], python.parent.parent)
        results["trace"]["stack"] = "Studio stack"
    results["static"] = {
        ext: static_sizes(None, found.get(ext))
        for ext in (LABEXTENSION, SAGEMAKER_SCHEDULER, SAGEMAKER, SAGEMAKER_COMMON)
    }
    versions = subprocess.run(
        [
            str(python),
            "-c",
            "import json, importlib.metadata as m; print(json.dumps({p: m.version(p) for p in"
            " ('jupyterlab', 'amazon-sagemaker-jupyter-scheduler', 'sagemaker-jupyterlab-emr-extension')}))",
        ],
        capture_output=True,
        text=True,
    )
    with contextlib.suppress(ValueError):
        results["versions"] = json.loads(versions.stdout)
    return results


def browser_parts(work: Path, parts: list[str], quick: bool, opts: argparse.Namespace) -> dict:
    root = work / "root"
    root.mkdir()
    panel_sizes = [10, 1000] if quick else [10, 100, 1000]
    for n in sorted({*panel_sizes, 1000}):
        notebooks.write(root / f"panel-{n}.ipynb", n, connect=False)
    notebooks.write(root / "startup-200.ipynb", 200)

    found = labextension_dirs()
    without = {k: v for k, v in found.items() if k != LABEXTENSION}
    sagemaker_dirs, sagemaker_info = sagemaker_labextensions()

    moto = Moto(work).start()
    servers = {
        "with": Jupyter("with", work, root, moto.env(), labextensions=found),
        "without": Jupyter("without", work, root, moto.env(), labextensions=without, server_extension=False),
    }
    if "code" in parts:
        servers["disabled"] = Jupyter(
            "disabled", work, root, moto.env(), labextensions=found, disabled=[LABEXTENSION]
        )
        if sagemaker_dirs:
            servers["sagemaker"] = Jupyter(
                "sagemaker",
                work,
                root,
                moto.env(),
                labextensions={**without, **sagemaker_dirs},
                server_extension=False,
            )
    try:
        log(f"starting {len(servers)} JupyterLab servers")
        start_all(list(servers.values()))
        layouts = [LAYOUTS[k] for k in opts.layouts]
        for server in (servers["with"], servers["without"]):
            server.put_workspace("bench-notebook", notebook_layout(["startup-200.ipynb"]))
        wait_quiet(1.0, 20)
        plan = {
            "parts": [p for p in ("startup", "code", "panel", "trace") if p in parts]
            + (["startupTrace"] if "startuptrace" in parts else []),
            "servers": {name: s.describe() for name, s in servers.items()},
            "startup": startup_plan(layouts, quick, opts.rounds or ROUNDS),
            "code": {
                "extensions": [LABEXTENSION, SCHEDULER, SAGEMAKER, SAGEMAKER_COMMON],
                "notebook": "panel-10.ipynb",
                "configs": {
                    "with": {"workspace": "code-with", "panel": True},
                    "without": {"workspace": "code-without"},
                    "disabled": {"workspace": "code-disabled", "notebook": False},
                    **({"sagemaker": {"workspace": "code-sagemaker"}} if "sagemaker" in servers else {}),
                },
            },
            "panel": panel_plan(panel_sizes, quick),
            "trace": trace_plan(1000, quick),
            "startupTrace": startup_trace_plan(LAYOUTS[opts.trace_layout], quick, opts.trace_rounds),
        }
        results = run_browser(work, "jupyterlab", plan, opts.apart)
    finally:
        for server in servers.values():
            server.stop()
        moto.stop()
    results["static"] = {
        LABEXTENSION: our_static_sizes(),
        SCHEDULER: scheduler_static_sizes(),
        SAGEMAKER: {
            **sagemaker_info,
            **static_sizes(
                (BENCH_VENV / "wheels" / sagemaker_info["wheel"]) if "wheel" in sagemaker_info else None,
                sagemaker_dirs.get(SAGEMAKER),
            ),
        },
    }
    return results


def checker_part(work: Path, quick: bool) -> dict:
    sizes = [100, 1000] if quick else [100, 1000, 10000]
    paths = [str(notebooks.write(work / "checker" / f"nb-{n}.ipynb", n)) for n in sizes]
    npx = shutil.which("npx") or "npx"
    subprocess.run([npx, "tsc", "-p", str(BENCH / "tsconfig.json")], cwd=ROOT, check=True)
    out = work / "checker.json"
    script = OUT / "build" / "bench" / "checker.js"
    subprocess.run(["node", str(script), str(out), *paths], cwd=ROOT, check=True)
    return json.loads(out.read_text())


def head_commit() -> str | None:
    """The measured checkout's commit (abbreviated), if it is a git checkout."""
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or None


def tables(results: dict) -> str:
    text = report.render(results)
    if "runs" in results:
        text += "\n" + runs_at_scale.render(results["runs"])
    return text


def full_run(results: dict) -> bool:
    """Whether ``results`` come from a run BENCHMARKS.md records: every part, the default plan."""
    return (
        not results.get("quick")
        and set(results.get("parts", [])) == set(PARTS)
        and results.get("defaults", True)
    )


def record(results: dict, text: str) -> None:
    report.record(ROOT / "BENCHMARKS.md", text)
    report.record_history(results, results.get("commit"))


def render_again(no_record: bool) -> int:
    """The tables of the last run, rendered by the report as it is now; recorded when that run was
    a full one (``results.json`` keeps its own date, machine and figures)."""
    path = OUT / "results.json"
    if not path.exists():
        log(f"no {path}: run the benchmarks first")
        return 1
    results = json.loads(path.read_text())
    text = tables(results)
    print(text)
    if not no_record and full_run(results):
        record(results, text)
        log(f"the run of {results['date']} recorded in BENCHMARKS.md again")
    elif not no_record:
        log("not recorded in BENCHMARKS.md: that run was not a full one")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated: " + ",".join(PARTS))
    parser.add_argument("--quick", action="store_true", help="fewer samples and sizes (a smoke run)")
    parser.add_argument("--no-record", action="store_true", help="do not rewrite BENCHMARKS.md")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help=f"start-up rounds per layout ({ROUNDS}; {STUDIO_ROUNDS} on the Studio stack)",
    )
    parser.add_argument(
        "--layouts",
        type=lambda v: [k for k in v.split(",") if k],
        default=list(LAYOUTS),
        help="start-up layouts, comma-separated: " + ",".join(LAYOUTS),
    )
    parser.add_argument(
        "--trace-layout",
        choices=list(LAYOUTS),
        default="notebook",
        help="the start-up traces' layout",
    )
    parser.add_argument(
        "--trace-rounds",
        type=int,
        default=None,
        help=f"start-up page loads traced per configuration ({TRACE_ROUNDS})",
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: render the last run's results.json again (after a change to the report)",
    )
    args = parser.parse_args()
    if args.render:
        return render_again(args.no_record)
    if set(args.layouts) - set(LAYOUTS) or not args.layouts:
        parser.error(f"--layouts takes one or more of {', '.join(LAYOUTS)}")
    for name in ("rounds", "trace_rounds"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    defaults = all(
        getattr(args, k) == parser.get_default(k)
        for k in ("rounds", "layouts", "trace_layout", "trace_rounds")
    )
    parts = [p for p in args.parts.split(",") if p]
    unknown = set(parts) - set(PARTS) - set(EXTRA_PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    # On SIGTERM too, stop every server this run started (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    work = workdir()
    started = time.monotonic()
    results: dict = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "quick": args.quick,
        "parts": parts,
        "commit": head_commit(),
    }
    log(f"benchmarks in {work}; load average {results['machine']['loadBefore']}")
    try:
        if {"startup", "code", "panel", "trace", "startuptrace"} & set(parts):
            with browser_apart() as args.apart:
                results["machine"]["browserApart"] = args.apart
                results["browser"] = browser_parts(work, parts, args.quick, args)
            if "startupTrace" in results["browser"]:
                log("breaking the start-up traces down")
                results["browser"]["startupTrace"] = startuptrace.analyze(
                    results["browser"]["startupTrace"], LAYOUTS[args.trace_layout]["name"]
                )
            if "trace" in results["browser"]:
                log("breaking the traces down")
                results["trace"] = paneltrace.analyze(results["browser"].pop("trace"))
        if {"studio", "studiotrace", "studiostartuptrace"} & set(parts):
            log("the Studio stack")
            with browser_apart() as args.apart:
                results["machine"]["browserApart"] = args.apart
                results["studio"] = studio_parts(work, args.quick, parts, args)
        if "listing" in parts:
            log("listing at scale")
            sizes = [0, 500, 2000] if args.quick else [0, 2000, 10000]
            results["listing"] = listing.run(work, sizes)
        if "checker" in parts:
            log("checks on big notebooks")
            results["checker"] = checker_part(work, args.quick)
        if "runs" in parts:
            log("runs at scale")
            results["runs"] = runs_at_scale.run(work, args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["loadAfter"] = [round(x, 2) for x in load_average()]
    results["seconds"] = round(time.monotonic() - started)

    results["defaults"] = defaults
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    text = tables(results)
    print(text)
    if not args.no_record and full_run(results):
        record(results, text)
        log("recorded in BENCHMARKS.md")
    elif not args.no_record and not defaults:
        log("not recorded in BENCHMARKS.md: --rounds, --layouts or a --trace- option changed the plan")
    log(f"done in {results['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
