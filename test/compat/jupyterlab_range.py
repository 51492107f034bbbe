"""Which JupyterLab versions the extension loads on, and the checks that prove it.

The browser loads our remote entry next to JupyterLab's own bundle. For every package our
code imports from JupyterLab (a shared module we do not bundle), the remote entry names the
versions it accepts (`requiredVersion`); JupyterLab registers the version it ships. When the
two do not match, the page logs "Unsatisfied version" and `jupyter labextension list` calls
the extension "not compatible" (it compares package.json's dependencies with the core's).

Used by test/server/test_jupyterlab_range.py, and from the command line:

  python test/compat/jupyterlab_range.py table WHEEL...
      Rewrite core_versions.json from JupyterLab wheels (`pip download --no-deps
      jupyterlab==4.2.0` etc.): the shared-module versions each release ships, and the
      core metadata `jupyter labextension list` compares with.
  python test/compat/jupyterlab_range.py check PREFIX [--page] [--smoke]
      On the JupyterLab installed in the environment PREFIX (with this extension
      installed): `jupyter labextension list` says OK, every requiredVersion of ours is
      satisfied by what that JupyterLab ships and, with --page, JupyterLab's page loads in
      Chromium with our plugin and no "Unsatisfied version" from our remote entry. With
      --smoke, the page is a demo notebook's, with the local AWS (demo/local_aws.py) behind
      the server: the notebook's toolbar button opens the panel, the cluster and secret
      pickers fill the form, and the connect cell is inserted into the notebook (its text is
      read back from the notebook's model); the Runs section's word on a server without a
      scheduler is read too.
  python test/compat/jupyterlab_range.py typecheck [VERSION]
      Compile src/ against the packages of JupyterLab VERSION (default: the lowest we
      support) in a temporary npm project, to find APIs newer than that release.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TABLE = HERE / "core_versions.json"
EXTENSION = "jupyterlab-emr-schedule"
#: The lowest JupyterLab we support; the ranges in package.json start at what it ships.
LOWEST = "4.2.0"
#: The demo notebook the smoke steps open (an IPython kernel: the lowest venv has no SparkMagic).
SMOKE_NOTEBOOK = "python-emr.ipynb"
#: What the Runs section says on a server without a scheduler (the lowest venv has none).
NO_SCHEDULER = "No notebook scheduler is installed on this server"

# Two ways a core bundle registers a shared module with its version:
# webpack (JupyterLab <= 4.5): r("@jupyterlab/application","4.2.0",(()=>...
# rspack (JupyterLab >= 4.6):  {name:"@jupyterlab/application",version:"4.6.6",factory:...
_NAME = r"(?:@[\w.-]+/)?[\w.-]+"
_VERSION = r"\d+\.\d+\.\d+(?:-[\w.]+)?"
_REGISTER_WEBPACK = re.compile(rf'[\w$]\("({_NAME})","({_VERSION})",\(')
_REGISTER_RSPACK = re.compile(rf'\{{name:"({_NAME})",version:"({_VERSION})",factory:')
# What our remote entry (built by @jupyter/builder, i.e. rspack) consumes:
# {shareScope:"default",shareKey:"react",import:null,requiredVersion:"^18.2.0",...}
_CONSUME = re.compile(r'shareKey:"(' + _NAME + r')",import:([^,]+),requiredVersion:([^,]+),')


def semver():
    """JupyterLab's own port of node-semver (it moved to jupyter_builder in 4.6)."""
    try:
        from jupyter_builder import jupyterlab_semver
    except ImportError:
        from jupyterlab import semver as jupyterlab_semver
    return jupyterlab_semver


def satisfies(version: str, spec: str) -> bool:
    return bool(semver().satisfies(version, spec))


def shared_versions_in_bundle(main_js: str) -> dict[str, str]:
    """The shared modules a core bundle (`static/main.*.js`) registers, with their versions."""
    found = _REGISTER_WEBPACK.findall(main_js) + _REGISTER_RSPACK.findall(main_js)
    return dict(sorted(found))


def consumed_shared_modules(remote_entry_js: str) -> dict[str, dict]:
    """The shared modules a remote entry consumes: name -> requiredVersion and bundled.

    `requiredVersion` is the range string, or None when the entry accepts any version;
    `bundled` is False when the entry has no copy of its own to fall back on (then the
    host must provide a satisfying version).
    """
    consumed: dict[str, dict] = {}
    for name, imported, required in _CONSUME.findall(remote_entry_js):
        consumed[name] = {
            "requiredVersion": json.loads(required) if required.startswith('"') else None,
            "bundled": imported not in ("null", "!1", "false", "void 0"),
        }
    return consumed


def unsatisfied(consumed: dict[str, dict], shipped: dict[str, str]) -> list[str]:
    """Our requirements on core modules that a JupyterLab shipping `shipped` fails."""
    problems = []
    for name, info in sorted(consumed.items()):
        required = info["requiredVersion"]
        if info["bundled"] or required is None or name not in shipped:
            continue
        if not satisfies(shipped[name], required):
            problems.append(f"{name}: ships {shipped[name]}, we require {required}")
    return problems


def compatibility_errors(dependencies: dict[str, str], core: dict) -> list:
    """What `jupyter labextension list` finds wrong with our dependencies on this core.

    The same comparison JupyterLab makes (jupyterlab.commands._validate_compatibility):
    each singleton package we depend on must overlap the range the core resolves it to.
    """
    from jupyterlab.commands import _validate_compatibility

    core_data = {
        "resolutions": core["resolutions"],
        "jupyterlab": {"singletonPackages": core["singletonPackages"]},
    }
    return _validate_compatibility(EXTENSION, dependencies, core_data)


# --- An installed JupyterLab and extension ------------------------------------------------


def lab_static_dir(prefix: Path) -> Path:
    return prefix / "share" / "jupyter" / "lab" / "static"


def core_of_static_dir(static: Path) -> dict:
    """The table entry for a JupyterLab static directory (or the same files read from a wheel)."""
    return _core_entry(
        json.loads((static / "package.json").read_text()),
        (next(static.glob("main.*.js"))).read_text(),
    )


def _core_entry(package: dict, main_js: str) -> dict:
    singletons = sorted(package["jupyterlab"]["singletonPackages"])
    return {
        "version": package["version"],
        "shared": shared_versions_in_bundle(main_js),
        "singletonPackages": singletons,
        "resolutions": {k: package["resolutions"][k] for k in singletons if k in package["resolutions"]},
    }


def labextension_dir(prefix: Path) -> Path:
    return prefix / "share" / "jupyter" / "labextensions" / EXTENSION


def installed_extension(directory: Path) -> tuple[dict, dict[str, dict]]:
    """The installed labextension's package.json and what its remote entry consumes."""
    package = json.loads((directory / "package.json").read_text())
    entry = directory / package["jupyterlab"]["_build"]["load"]
    return package, consumed_shared_modules(entry.read_text())


def labextension_list(prefix: Path) -> tuple[str, list[str]]:
    """`jupyter labextension list` in the environment `prefix`: our line, and any other
    line that names us (a "not compatible" or "outdated" report does)."""
    out = subprocess.run(
        [str(prefix / "bin" / "jupyter"), "labextension", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        env=_isolated_env(),
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)
    ours = [line for line in text.splitlines() if EXTENSION in line]
    lines = [line for line in ours if line.strip().startswith(EXTENSION + " v")]
    if len(lines) != 1:
        raise AssertionError(f"{EXTENSION} is not listed once by `jupyter labextension list`:\n{text}")
    return lines[0].strip(), [line for line in ours if line is not lines[0]]


def says_ok(line: str, others: list[str]) -> bool:
    """Our line is marked OK (not X) and nothing else in the listing names us."""
    return re.search(r"\sOK\b", line) is not None and not others


def _isolated_env() -> dict[str, str]:
    """No user-level Jupyter files: only what the environment itself has installed."""
    env = dict(os.environ)
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    env.pop("JUPYTERLAB_DIR", None)
    return env


# --- Loading the page ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_report(
    prefix: Path, chromium: str = "/usr/bin/chromium", timeout: float = 120, smoke: bool = False
) -> dict:
    """Start JupyterLab from `prefix`, open /lab in headless Chromium and report the console.

    Returns the page script's report: console messages (text, type and the script that
    logged them), whether our sidebar tab appeared, and page errors. With `smoke`, the local
    AWS runs behind the server and the report also has what the smoke steps saw (`smoke`).
    """
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="jl-range-") as tmp, contextlib.ExitStack() as stack:
        tmp_path = Path(tmp)
        (tmp_path / "root").mkdir()
        env = _isolated_env()
        env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "config")
        env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
        page_args = []
        if smoke:
            sys.path.insert(0, str(ROOT / "demo"))
            import local_aws

            aws = stack.enter_context(local_aws.LocalAws(log=tmp_path / "local-aws.log"))
            local_aws.seed(aws.endpoint)
            env.update(local_aws.aws_env(aws.endpoint))
            shutil.copy(ROOT / "demo" / "notebooks" / SMOKE_NOTEBOOK, tmp_path / "root" / SMOKE_NOTEBOOK)
            page_args = [SMOKE_NOTEBOOK]
        command = [
            str(prefix / "bin" / "jupyter"),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={tmp_path / 'root'}",
            f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
            f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
            # The smoke steps read the notebook's cells from the app's model.
            "--LabApp.expose_app_in_browser=True",
        ]
        log_path = tmp_path / "server.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env)
            try:
                url = f"http://127.0.0.1:{port}/lab"
                _wait_for(url, server, log_path, timeout)
                out = subprocess.run(
                    ["node", str(HERE / "page_console.mjs"), url, chromium, EXTENSION, *page_args],
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    cwd=ROOT,
                    env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"},
                )
                if out.returncode != 0:
                    raise AssertionError(f"page_console.mjs failed:\n{out.stdout}\n{out.stderr}")
                return json.loads(out.stdout)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def _wait_for(url: str, server: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log = log_path.read_text()
                raise AssertionError(f"JupyterLab did not start:\n{log[-3000:]}") from None
            time.sleep(0.5)


def unsatisfied_messages(report: dict) -> list[str]:
    """The "Unsatisfied version" warnings our remote entry logged (it names the script)."""
    return [
        m["text"]
        for m in report["console"]
        if "Unsatisfied version" in m["text"] and f"/{EXTENSION}/" in m.get("url", "")
    ]


def smoke_failures(smoke: dict) -> list[str]:
    """What the smoke steps (page_console.mjs with a notebook) did not see."""
    print(f"smoke: {json.dumps({k: v for k, v in smoke.items() if k != 'cells'})}")
    failures = [f"smoke: {e}" for e in smoke.get("errors", [])]
    if not smoke.get("form"):
        failures.append("smoke: the panel's form did not show after the toolbar button")
    if smoke.get("auth") != "LDAP":
        failures.append(f"smoke: picking the LDAP cluster set the authentication to {smoke.get('auth')!r}")
    connect = [c for c in smoke.get("cells", []) if "%sm_analytics emr connect" in c]
    if len(connect) != 1:
        failures.append(f"smoke: no connect cell with `%sm_analytics emr connect` in {smoke.get('cells')}")
    elif not smoke.get("secret") or smoke["secret"] not in connect[0]:
        failures.append(f"smoke: the connect cell does not hold the picked secret: {connect[0]}")
    if NO_SCHEDULER not in smoke.get("runsMessage", ""):
        failures.append(f"smoke: the Runs section said {smoke.get('runsMessage')!r}")
    return failures


# --- Command line ------------------------------------------------------------------------


def _table_from_wheels(wheels: list[str]) -> dict:
    table = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()
            main = next(n for n in names if re.fullmatch(r"jupyterlab/static/main\.[\w]+\.js", n))
            entry = _core_entry(json.loads(z.read("jupyterlab/static/package.json")), z.read(main).decode())
        table[entry["version"]] = entry
    return dict(sorted(table.items(), key=lambda kv: [int(p) for p in re.findall(r"\d+", kv[0])]))


def _check(prefix: Path, page: bool, smoke: bool = False) -> int:
    failures = []
    line, others = labextension_list(prefix)
    print(line, *others, sep="\n")
    if not says_ok(line, others):
        failures.append("`jupyter labextension list` does not say OK")
    core = core_of_static_dir(lab_static_dir(prefix))
    package, consumed = installed_extension(labextension_dir(prefix))
    print(f"JupyterLab {core['version']}; our remote entry requires:")
    for name, info in sorted(consumed.items()):
        shipped = core["shared"].get(name, "(not shipped by the core)")
        print(f"  {name} {info['requiredVersion']} <- {shipped}")
    failures += unsatisfied(consumed, core["shared"])
    failures += [f"labextension list: {e}" for e in compatibility_errors(package["dependencies"], core)]
    if page or smoke:
        report = page_report(prefix, smoke=smoke)
        print(f"page: our sidebar tab shown: {report['sidebarTab']}")
        for message in report["console"]:
            if message["type"] in ("warning", "error"):
                print(f"  console {message['type']}: {message['text'][:300]} ({message.get('url', '')})")
        failures += [f"page: {m}" for m in unsatisfied_messages(report)]
        failures += [f"page error: {e}" for e in report["pageErrors"] if EXTENSION in e]
        if not report["sidebarTab"]:
            failures.append("page: our sidebar tab did not appear (the plugin did not activate)")
        if smoke:
            failures += smoke_failures(report.get("smoke") or {})
    for failure in failures:
        print("FAIL", failure)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


def _typecheck(version: str) -> int:
    """Compile src/ against JupyterLab `version`'s packages (the versions its bundle ships)."""
    table = json.loads(TABLE.read_text())
    shipped = table[version]["shared"]
    package = json.loads((ROOT / "package.json").read_text())
    # Every package src/ imports (types too): the core's at that release's versions, the
    # others (e.g. the AWS SDK) at package.json's.
    imported = set()
    for source in (ROOT / "src").rglob("*.ts*"):
        imported.update(re.findall(r"""from '((?:@[\w.-]+/)?[\w.-]+)""", source.read_text()))
    dependencies = {n: shipped[n] for n in sorted(imported) if n in shipped}
    dependencies.update({n: v for n, v in package["dependencies"].items() if n not in shipped})
    dependencies["@types/react"] = "~" + ".".join(shipped["react"].split(".")[:2]) + ".0"
    dependencies["typescript"] = package["devDependencies"]["typescript"]
    # Every core package, also the ones our dependencies pull in, at the release's own version.
    overrides = {
        n: f"~{v}" for n, v in shipped.items() if n.startswith(("@jupyterlab/", "@lumino/", "@jupyter/"))
    }
    overrides.update({n: f"${n}" for n in dependencies if n in overrides or n == "react"})
    with tempfile.TemporaryDirectory(prefix="jl-types-") as tmp:
        work = Path(tmp)
        npm = ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
        for exact in (True, False):
            deps = dict(dependencies)
            if not exact:
                # A registry mirror may lack a release's exact version: its newest patch then.
                print("some exact versions are missing: trying the newest patch of each", file=sys.stderr)
                deps.update({n: f"~{v}" for n, v in deps.items() if n in shipped})
            (work / "package.json").write_text(
                json.dumps({"private": True, "dependencies": deps, "overrides": overrides}, indent=1)
            )
            if subprocess.run(npm, cwd=work).returncode == 0:
                break
        else:
            raise SystemExit("npm install failed")
        shutil.copytree(ROOT / "src", work / "src")
        shutil.copy(ROOT / "tsconfig.json", work / "tsconfig.json")
        for name in sorted(n for n in dependencies if n in shipped):
            got = json.loads((work / "node_modules" / name / "package.json").read_text())["version"]
            print(f"{name} {got}")
        result = subprocess.run(
            [
                str(work / "node_modules" / ".bin" / "tsc"),
                "--noEmit",
                "--incremental",
                "false",
                "--composite",
                "false",
            ],
            cwd=work,
        )
    print("OK" if result.returncode == 0 else f"src/ does not compile against JupyterLab {version}")
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    table = sub.add_parser("table", help="rewrite core_versions.json from JupyterLab wheels")
    table.add_argument("wheels", nargs="+")
    check = sub.add_parser("check", help="check the JupyterLab installed in an environment")
    check.add_argument("prefix", type=Path)
    check.add_argument("--page", action="store_true", help="also load the page in Chromium")
    check.add_argument(
        "--smoke", action="store_true", help="open a notebook and the panel; insert the connect cell"
    )
    typecheck = sub.add_parser("typecheck", help="compile src/ against a JupyterLab release's packages")
    typecheck.add_argument("version", nargs="?", default=LOWEST)
    args = parser.parse_args(argv)
    if args.command == "table":
        TABLE.write_text(json.dumps(_table_from_wheels(args.wheels), indent=2, sort_keys=True) + "\n")
        print(f"wrote {TABLE.relative_to(ROOT)}")
        return 0
    if args.command == "check":
        return _check(args.prefix.resolve(), args.page, args.smoke)
    return _typecheck(args.version)


if __name__ == "__main__":
    sys.exit(main())
