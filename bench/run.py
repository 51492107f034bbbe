"""Runs the benchmarks, prints their figures and records them in BENCHMARKS.md.

    python bench/run.py [--parts startup,code,panel,listing,checker,runs] [--quick] [--no-record]

``make bench`` runs all of them (about 10 to 15 minutes). The raw figures go to
``.stamps/bench/results.json``; the section between the markers in BENCHMARKS.md is rewritten.
"""

from __future__ import annotations

import argparse
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
import report
import runs_at_scale
from common import (
    BENCH,
    LABEXTENSION,
    ROOT,
    Jupyter,
    Moto,
    labextension_dirs,
    load_average,
    log,
    machine,
    wait_quiet,
    workdir,
)

PARTS = ["startup", "code", "panel", "listing", "checker", "runs"]
OUT = ROOT / ".stamps" / "bench"
BENCH_VENV = ROOT / ".stamps" / "bench-venv"
SAGEMAKER = "@amzn/sagemaker-jupyterlab-emr-extension"
SAGEMAKER_COMMON = "@amzn/sagemaker-jupyterlab-extension-common"
SCHEDULER = "@jupyterlab/scheduler"


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


def browser_parts(work: Path, parts: list[str], quick: bool) -> dict:
    root = work / "root"
    root.mkdir()
    panel_sizes = [10, 1000] if quick else [10, 100, 1000]
    for n in panel_sizes:
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
        layouts = [
            {"name": "launcher", "workspace": "bench-launcher"},
            {"name": "notebook (200 cells) restored", "workspace": "bench-notebook"},
            {"name": "launcher, cold cache", "workspace": "bench-launcher", "cold": True},
        ]
        for server in (servers["with"], servers["without"]):
            server.put_workspace("bench-notebook", notebook_layout(["startup-200.ipynb"]))
        wait_quiet(1.0, 20)
        plan = {
            "parts": [p for p in ("startup", "code", "panel") if p in parts],
            "servers": {name: s.describe() for name, s in servers.items()},
            "startup": {
                "configs": ["with", "without"],
                "layouts": layouts,
                "warmup": 1,
                "samples": 3 if quick else 7,
            },
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
            "panel": {
                "server": "with",
                "sizes": [
                    {"cells": n, "path": f"panel-{n}.ipynb", **({"samples": 3} if n >= 1000 else {})}
                    for n in panel_sizes
                ],
                "samples": 3 if quick else 5,
                "warm": 3,
                "inserts": 5,
                "settleMs": 800,
            },
        }
        plan_path, out_path = work / "plan.json", work / "browser.json"
        plan_path.write_text(json.dumps(plan, indent=1))
        env = {**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
        subprocess.run(
            ["node", str(BENCH / "browser.js"), str(plan_path), str(out_path)], env=env, check=True
        )
        results = json.loads(out_path.read_text())
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated: " + ",".join(PARTS))
    parser.add_argument("--quick", action="store_true", help="fewer samples and sizes (a smoke run)")
    parser.add_argument("--no-record", action="store_true", help="do not rewrite BENCHMARKS.md")
    args = parser.parse_args()
    parts = [p for p in args.parts.split(",") if p]
    unknown = set(parts) - set(PARTS)
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
    }
    log(f"benchmarks in {work}; load average {results['machine']['loadBefore']}")
    try:
        if {"startup", "code", "panel"} & set(parts):
            results["browser"] = browser_parts(work, parts, args.quick)
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

    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    text = report.render(results)
    if "runs" in results:
        text += "\n" + runs_at_scale.render(results["runs"])
    print(text)
    if not args.no_record and not args.quick and set(parts) == set(PARTS):
        report.record(ROOT / "BENCHMARKS.md", text)
        log("recorded in BENCHMARKS.md")
    log(f"done in {results['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
