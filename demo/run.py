"""Starts the embedded local AWS and JupyterLab with jupyter-scheduler and this extension.

``python demo/run.py`` serves copies of the demo notebooks (in a state directory of its own, so
saving in the demo never changes the repository) and prints the URL; Ctrl-C stops both servers.
The local AWS's request log goes to ``local-aws.log`` in that directory, not to the terminal.
Kernels and scheduled jobs reach the local AWS for every client, also those of libraries that
build their own endpoint URLs (see ``local_aws_redirect/sitecustomize.py``).
``--galata`` starts the same stack for the UI tests (galata's server configuration, port 8888),
with the tests' fault-injecting proxy between JupyterLab and the local AWS; its address is
written to ``.demo/galata/fault-proxy`` so a test can slow or fail AWS operations.

``--studio`` runs JupyterLab on the Studio stack instead (JupyterLab 4.5 with SageMaker's
scheduler plugin, from the venv ``make studio-venv`` builds; see ``studio.py``): the Create Job
form is SageMaker's, in its SageMaker JupyterLab mode (as in a JupyterLab space in Studio: the
VpcOnly domain of ``local_aws_network``, its space and user profile). The local AWS stays in
this process. With ``--galata`` too it is the
Studio UI tests' server (port 8890, state in ``.demo/galata-studio``, where the proxy, which
then stands in front of every AWS call of the server, S3 included, and the local AWS write
their addresses to ``fault-proxy`` and ``local-aws``). While the Studio server runs, Studio's
app metadata is at ``/opt/ml/metadata/resource-metadata.json`` and its internal metadata at
``/opt/.sagemakerinternal/internal-metadata.json`` (SageMaker's plugin reads those fixed
paths); what was there before is put back when it stops.

``--no-scheduler`` starts JupyterLab with jupyter-scheduler switched off, as an administrator
does with ``jupyter server extension disable jupyter_scheduler`` and ``jupyter labextension
disable @jupyterlab/scheduler`` (in a configuration directory of the run's own): a server with no
scheduler to answer. With ``--galata`` its state is in ``.demo/galata-no-scheduler``, and the UI
tests use it for what the panel says there.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import local_aws  # noqa: E402
import local_kdc  # noqa: E402
import studio  # noqa: E402

#: The UI tests' ports: the 4.6 suite's, and the Studio suite's (both may run at once).
GALATA_PORT = 8888
GALATA_STUDIO_PORT = 8890


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"JupyterLab exited with code {proc.returncode}; see the log above.")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"JupyterLab did not answer at {url} within {timeout:.0f} s.")


def tee(stream, path: Path) -> None:
    """Copies the server's output to the console and to ``path``."""
    with path.open("wb") as log:
        for line in iter(stream.readline, b""):
            sys.stdout.buffer.write(line)
            sys.stdout.flush()
            log.write(line)
            log.flush()


#: SageMaker's common labextension, which sagemaker-studio-analytics-extension installs: Studio's
#: front end (its banner, navigation and telemetry). Outside Studio nothing shares the
#: `@jupyter/chat` it needs, and the page would report "Shared module @jupyter/chat doesn't exist
#: in shared scope default". The Studio stack has it (`jupyterlab-chat`), and keeps it.
SAGEMAKER_COMMON = "@amzn/sagemaker-jupyterlab-extension-common"

#: Leaves the labextensions in `HIDDEN` out of the page JupyterLab serves (disabling one in the
#: page config is not enough: the page still loads its code, only not its plugins).
WITHOUT_LABEXTENSIONS = """\
HIDDEN = {hidden!r}


def _without_hidden(handler, page_config):
    page_config["federated_extensions"] = [
        e for e in page_config.get("federated_extensions", []) if e.get("name") not in HIDDEN
    ]
    return page_config


c.ServerApp.tornado_settings.update({{"page_config_hook": _without_hidden}})  # noqa: F821
"""


def demo_config(config: Path, *, studio: bool, no_scheduler: bool) -> Path:
    """The run's own Jupyter configuration directory (first on JUPYTER_CONFIG_PATH): no "official
    Jupyter news?" question at start; outside Studio, SageMaker's common front end left out; with
    `no_scheduler`, jupyter-scheduler switched off (what `jupyter server extension disable` and
    `jupyter labextension disable` write)."""
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "default_setting_overrides.json").write_text(
        json.dumps({"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}})
    )
    if not studio:
        # jupyter_config.py: read by every Jupyter application, also beside the UI tests' --config.
        (config / "jupyter_config.py").write_text(WITHOUT_LABEXTENSIONS.format(hidden={SAGEMAKER_COMMON}))
    if no_scheduler:
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {"@jupyterlab/scheduler": True}})
        )
        (config / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {"jupyter_scheduler": False}}})
        )
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--galata", action="store_true", help="run the UI tests' server")
    parser.add_argument(
        "--studio", action="store_true", help="JupyterLab 4.5 with SageMaker's scheduler (make studio-venv)"
    )
    parser.add_argument("--no-scheduler", action="store_true", help="jupyter-scheduler switched off")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    if args.studio and args.no_scheduler:
        parser.error("--no-scheduler is for the JupyterLab 4.6 stack")
    if args.studio:
        studio.check_venv()

    if args.galata:
        # A known place, so the UI tests can search the scheduler's database and the
        # server's log for anything that must never be written (the canary password).
        state = (
            HERE.parent
            / ".demo"
            / ("galata-studio" if args.studio else "galata-no-scheduler" if args.no_scheduler else "galata")
        )
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True)
    else:
        state = Path(tempfile.mkdtemp(prefix="emr-schedule-demo-"))
    aws = local_aws.LocalAws(log=state / "local-aws.log").start()
    local_aws.seed(aws.endpoint)
    # The Kerberos cluster's KDC (a real krb5kdc on loopback port 88; see local_kdc.py).
    kdc = local_kdc.LocalKdc(local_aws.KERBEROS_REALM, local_kdc.principals_of(local_aws.SECRETS))
    try:
        local_aws.kerberos_primary_at(kdc.start().host)
    except local_kdc.KdcUnavailable as e:
        kdc = None
        print(f"  No KDC for the Kerberos cluster ({e}): its runs stop at kinit.", flush=True)
    domain_id = studio.seed(aws.endpoint) if args.studio else ""
    endpoint = aws.endpoint
    proxy = None
    if args.galata:
        sys.path.insert(0, str(HERE.parent / "test" / "server"))
        from fault_proxy import FaultProxy

        proxy = FaultProxy(aws.endpoint).__enter__()
        endpoint = proxy.endpoint
        (state / "fault-proxy").write_text(proxy.endpoint)
        (state / "local-aws").write_text(aws.endpoint)
    env = {**os.environ, **local_aws.aws_env(endpoint)}
    # Keep the demo's scheduler database and job files apart from the user's own.
    env["JUPYTER_DATA_DIR"] = str(state / "data")
    env["JUPYTER_RUNTIME_DIR"] = str(state / "runtime")
    # ... and its settings and workspaces: the demo starts as a newcomer's JupyterLab does.
    env["JUPYTERLAB_SETTINGS_DIR"] = str(state / "user-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(state / "workspaces")
    config = demo_config(state / "config", studio=args.studio, no_scheduler=args.no_scheduler)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(config), env.get("JUPYTER_CONFIG_PATH")]))
    python = sys.executable
    if args.studio:
        # As in a JupyterLab space in Studio: SageMaker's plugin in its SageMaker JupyterLab mode.
        env = {**studio.env(env), **studio.app_env()}
        python = str(studio.PYTHON)

    cmd = [python, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    if args.galata:
        suite = "ui-studio" if args.studio else "ui"
        cmd += [f"--config={HERE.parent / 'test' / suite / 'jupyter_server_test_config.py'}"]
        port = args.port or (GALATA_STUDIO_PORT if args.studio else GALATA_PORT)
        token = ""
    else:
        port = local_aws.free_port(args.port or 8888)
        token = secrets.token_hex(24)
        notebooks = state / "notebooks"
        shutil.copytree(HERE / "notebooks", notebooks)
        cmd += [f"--ServerApp.root_dir={notebooks}", f"--IdentityProvider.token={token}"]
    cmd += [f"--port={port}", "--ServerApp.port_retries=0"]
    if args.studio:
        # SageMaker's common extension opens a default chat on a Studio user's first visit and
        # marks it done in the home's .jupyter/, which Studio's server lets it read and write:
        # the page opens as it does for a Studio user who has had that visit (without it, the
        # page reports "Cannot create file or directory '/.jupyter/.default-chat-opened'").
        root = state / "root" if args.galata else notebooks
        if args.galata:
            env["JUPYTERLAB_GALATA_ROOT_DIR"] = str(root)
        (root / ".jupyter").mkdir(parents=True, exist_ok=True)
        (root / ".jupyter" / ".default-chat-opened").touch()
        cmd.append("--ContentsManager.allow_hidden=True")

    # jupyter-scheduler downloads job outputs relative to the working directory, so run from
    # the root the file browser shows.
    cwd = None if args.galata else notebooks

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    metadata = contextlib.ExitStack()
    proc = None
    try:
        if args.studio:
            access_type = studio.network_access_type(aws.endpoint, domain_id)
            metadata.enter_context(studio.resource_metadata(domain_id, access_type=access_type))
        if args.galata:
            proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            threading.Thread(target=tee, args=(proc.stdout, state / "server.log"), daemon=True).start()
        else:
            proc = subprocess.Popen(cmd, env=env, cwd=cwd)
        wait_for(f"http://127.0.0.1:{port}/api/status?token={token}", proc)
        url = f"http://127.0.0.1:{port}/lab" + (f"?token={token}" if token else "")
        print(
            "\n  Local AWS (moto): "
            + aws.endpoint
            + f"  (request log: {state / 'local-aws.log'})"
            + "\n  JupyterLab with Schedule with EMR: "
            + url
            + (" (Studio stack: JupyterLab 4.5, SageMaker's scheduler)" if args.studio else "")
            + ("" if args.galata else f"\n  Notebooks (copies; the repository's stay unchanged): {notebooks}")
            + (f"\n  KDC for {kdc.realm}: {kdc.host}:88  (log: {kdc.log})" if kdc else "")
            + "\n  The local AWS has no cluster behind it: a connect cell gets as far as the cluster's"
            + "\n  primary node and the secret (Kerberos: a ticket from the KDC), then stops at 'Cannot"
            + "\n  connect to livy service at ...:8998'. See the README's demo section."
            + "\n  Press Ctrl-C to stop both.\n",
            flush=True,
        )
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        metadata.close()
        if proxy is not None:
            proxy.__exit__(None, None, None)
        if kdc is not None:
            kdc.stop()
        aws.stop()


if __name__ == "__main__":
    sys.exit(main())
