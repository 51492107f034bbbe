"""What the benchmarks share: the machine, figures, the local AWS and Jupyter servers they start."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEMO = ROOT / "demo"
sys.path.insert(0, str(DEMO))

import local_aws  # noqa: E402

#: Ports the benchmarks' servers start from; 8888 belongs to the UI tests.
FIRST_PORT = 8899
#: This extension's names: npm/labextension and Python module.
LABEXTENSION = "jupyterlab-emr-schedule"
SERVER_EXTENSION = "jupyterlab_emr_schedule"


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --- figures ------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


# --- the machine --------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _mem_total_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


@contextlib.contextmanager
def browser_apart():
    """Within the block, Chromium runs on the machine's first CPU and everything else this process
    starts (the servers, the local AWS, the Node driver) on the others; yields the CPUs, as
    ``{"browser": [...], "others": [...]}``, or None where the machine has one CPU or no ``taskset``.

    Sharing two CPUs with the servers, one page load's main-thread CPU time spread by 7 to 12% and a
    round's with / without ratio by 0.09 (standard deviation); with the browser on a CPU of its own,
    as when it runs on the user's machine and the server elsewhere, by 3 to 4% and 0.035.
    ``run_browser`` starts Chromium through ``bench/chromium-apart``, which pins it."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except AttributeError:
        cpus = []
    if len(cpus) < 2 or not shutil.which("taskset"):
        yield None
        return
    # Applies to this thread and what it starts from now on (threads and processes inherit it).
    os.sched_setaffinity(0, cpus[1:])
    try:
        yield {"browser": cpus[:1], "others": cpus[1:]}
    finally:
        os.sched_setaffinity(0, cpus)


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.splitlines()[0] if out else "unknown"


def machine() -> dict:
    """Where the figures come from, so two runs can be compared fairly."""
    import jupyter_scheduler
    import jupyterlab
    import moto

    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "memGiB": round(_mem_total_gib(), 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "node": _version(["node", "--version"]),
        "chromium": _version(["/usr/bin/chromium", "--version"]),
        "jupyterlab": jupyterlab.__version__,
        "jupyterScheduler": jupyter_scheduler.__version__,
        "moto": moto.__version__,
        "loadBefore": [round(x, 2) for x in load_average()],
    }


# --- processes ----------------------------------------------------------------------------------


def free_port(start: int = FIRST_PORT) -> int:
    """A free loopback port from ``start`` on; 8888 stays free for the UI tests."""
    return local_aws.free_port(start, avoid=(8888,))


def stop_process(proc: subprocess.Popen | None, timeout: float = 20) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


class Moto:
    """The embedded local AWS (demo/local_aws.py: LocalAws on port 0, demo resources seeded).

    It runs in a process of its own, so what the benchmarks time on the client side never
    competes with the server for one interpreter.
    """

    def __init__(self, workdir: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        self._log = (workdir / "moto.log").open("wb")
        self.proc: subprocess.Popen | None = None
        self.endpoint = ""

    def start(self) -> Moto:
        self.proc = subprocess.Popen(
            [sys.executable, str(DEMO / "local_aws.py"), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http"):
            stop_process(self.proc)
            raise RuntimeError(f"the local AWS did not start (see {self._log.name})")
        self.endpoint = line
        return self

    def env(self) -> dict[str, str]:
        return local_aws.aws_env(self.endpoint)

    def client(self, service: str):
        return local_aws.client(service, self.endpoint)

    def stop(self) -> None:
        stop_process(self.proc)
        self._log.close()


def labextension_dirs(python: str | None = None) -> dict[str, Path]:
    """Every federated extension JupyterLab would find, by package name (first one found wins);
    with ``python``, the ones the JupyterLab of that interpreter's environment would find."""
    if python is None:
        from jupyter_core.paths import jupyter_path

        bases = jupyter_path("labextensions")
    else:
        code = (
            "import json; from jupyter_core.paths import jupyter_path;"
            " print(json.dumps(jupyter_path('labextensions')))"
        )
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout
        bases = json.loads(out)
    found: dict[str, Path] = {}
    for base in map(Path, bases):
        if not base.is_dir():
            continue
        for pkg in sorted(base.glob("*/package.json")) + sorted(base.glob("@*/*/package.json")):
            try:
                name = json.loads(pkg.read_text())["name"]
            except (OSError, ValueError, KeyError):
                continue
            found.setdefault(name, pkg.parent)
    return found


def link_labextensions(target: Path, dirs: dict[str, Path]) -> Path:
    """A labextensions directory holding exactly ``dirs`` (symbolic links)."""
    for name, src in dirs.items():
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.symlink_to(src, target_is_directory=True)
    target.mkdir(parents=True, exist_ok=True)
    return target


class Jupyter:
    """A Jupyter server (JupyterLab, or the plain server) on a loopback port, with its own
    configuration, data, runtime and workspace directories so no user setting leaks in.

    ``labextensions`` is the exact set of federated extensions the page gets; ``server_extension``
    says whether this extension's routes are loaded; ``disabled`` lands in page_config.json's
    ``disabledExtensions``.
    """

    def __init__(
        self,
        name: str,
        workdir: Path,
        root_dir: Path,
        env: dict[str, str],
        *,
        lab: bool = True,
        labextensions: dict[str, Path] | None = None,
        server_extension: bool = True,
        disabled: list[str] | None = None,
        python: str | None = None,
    ):
        self.name = name
        self.python = python or sys.executable
        self.dir = workdir / name
        self.root_dir = root_dir
        self.lab = lab
        self.token = secrets.token_hex(16)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._env = env
        self._labextensions = labextensions
        self._server_extension = server_extension
        self._disabled = disabled or []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _write_config(self) -> None:
        config = self.dir / "config"
        (config / "labconfig").mkdir(parents=True, exist_ok=True)
        server: dict = {"ServerApp": {"jpserver_extensions": {SERVER_EXTENSION: self._server_extension}}}
        (config / "jupyter_server_config.json").write_text(json.dumps(server))
        if self._disabled:
            page = {"disabledExtensions": {name: True for name in self._disabled}}
            (config / "labconfig" / "page_config.json").write_text(json.dumps(page))

    def start(self, port_from: int = FIRST_PORT) -> Jupyter:
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self._write_config()
        self.port = free_port(port_from)
        env = {
            **os.environ,
            **self._env,
            "JUPYTER_CONFIG_DIR": str(self.dir / "config"),
            "JUPYTER_DATA_DIR": str(self.dir / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.dir / "runtime"),
        }
        # JupyterLab through bench/lab.py, which freezes the server's heap on SIGUSR2.
        entry = [str(BENCH / "lab.py")] if self.lab else ["-m", "jupyter_server"]
        cmd = [
            self.python,
            *entry,
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
        ]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        if self.lab:
            cmd += [
                "--LabApp.expose_app_in_browser=True",
                f"--LabApp.workspaces_dir={self.dir / 'workspaces'}",
                f"--LabApp.user_settings_dir={self.dir / 'settings'}",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ]
            if self._labextensions is not None:
                linked = link_labextensions(self.dir / "labextensions", self._labextensions)
                cmd.append(f"--LabApp.labextensions_path={linked}")
        self._logfile = (self.dir / "server.log").open("wb")
        # Jobs' outputs land relative to the working directory (jupyter-scheduler).
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=self.root_dir, stdout=self._logfile, stderr=subprocess.STDOUT
        )
        self._wait()
        return self

    def _wait(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.url}/api/status?token={self.token}"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name}: the server exited; see {self.dir / 'server.log'}")
            try:
                urllib.request.urlopen(url, timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name}: the server did not answer within {timeout:.0f} s")

    def session(self) -> requests.Session:
        s = requests.Session()
        s.headers["Authorization"] = f"token {self.token}"
        return s

    def put_workspace(self, workspace: str, data: dict) -> None:
        body = {"data": data, "metadata": {"id": workspace}}
        with self.session() as s:
            s.put(f"{self.url}/lab/api/workspaces/{workspace}", json=body, timeout=30).raise_for_status()

    def describe(self) -> dict:
        pid = self.proc.pid if self.proc else None
        return {"name": self.name, "url": self.url, "token": self.token, "pid": pid}

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            # Shut kernels down cleanly, then the server.
            try:
                with self.session() as s:
                    s.post(f"{self.url}/api/shutdown", timeout=10)
                self.proc.wait(timeout=20)
            except (requests.RequestException, subprocess.TimeoutExpired):
                pass
        stop_process(self.proc)
        if getattr(self, "_logfile", None):
            self._logfile.close()


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="emr-schedule-bench-"))


def wait_quiet(load_below: float, timeout: float) -> float:
    """Waits (up to ``timeout`` s) for the 1-minute load average to drop below ``load_below``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and load_average()[0] >= load_below:
        time.sleep(2)
    return load_average()[0]
