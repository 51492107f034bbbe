"""Open-source jupyter-scheduler: make a job's environment variables reach its kernel.

jupyter-scheduler stores ``runtime_environment_parameters`` with every job (and copies them
from a job definition to each of its runs), but its default execution manager ignores them.
``EnvExecutionManager`` exports them before the kernel starts. Each job runs in its own spawned
process, so the variables never reach the server or other jobs.

When the server extension loads, it switches a scheduler still on the stock
``DefaultExecutionManager`` to ``EnvExecutionManager``. jupyter-scheduler does not read a
``Scheduler`` section from ``jupyter_server_config.d``, so a shipped config file cannot do it.
A manager the user configured (``c.Scheduler.execution_manager_class``) is left alone, with a
warning when it does not export the variables.
"""

from __future__ import annotations

import logging
import os
import re

#: The panel's rule (src/core/validate.ts), used with fullmatch: ``$`` would also match before a
#: final newline, and "name\n" is not a name.
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")

log = logging.getLogger(__name__)


def environment_from_parameters(parameters: dict | None) -> dict[str, str]:
    """The valid environment variables among a job's runtime environment parameters."""
    env: dict[str, str] = {}
    for name, value in (parameters or {}).items():
        if not isinstance(name, str) or not ENV_NAME.fullmatch(name):
            log.warning("Skipping job environment variable with an invalid name: %r", name)
            continue
        if value is None:
            continue
        text = (
            value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
        )
        if "\x00" in text:
            log.warning("Skipping job environment variable %s: its value holds a NUL byte", name)
            continue
        env[name] = text
    return env


try:
    from jupyter_scheduler.executors import DefaultExecutionManager
except ImportError:  # jupyter-scheduler is optional
    DefaultExecutionManager = None  # type: ignore[assignment,misc]


if DefaultExecutionManager is not None:

    class EnvExecutionManager(DefaultExecutionManager):
        """The default execution manager, with the job's environment variables exported."""

        def execute(self):
            os.environ.update(environment_from_parameters(self.model.runtime_environment_parameters))
            return super().execute()


#: SageMaker Studio's scheduler plugin. It runs each job as a SageMaker training job (run now) or
#: pipeline (schedule) and sends the job's environment variables, the keys of
#: ``runtime_environment_parameters`` that are not its own, as that job's ``Environment``, where
#: the kernel runs. It never uses an execution manager, so there is nothing to switch there.
SAGEMAKER_SCHEDULER_MODULE = "amazon_sagemaker_jupyter_scheduler"


def _runs_jobs_here(scheduler) -> bool:
    """Whether jobs run in this server's machine through ``execution_manager_class``, as with
    open-source jupyter-scheduler's own ``Scheduler`` (and subclasses)."""
    try:
        from jupyter_scheduler.scheduler import Scheduler
    except ImportError:
        return False
    return isinstance(scheduler, Scheduler)


def scheduler_status(settings: dict) -> dict:
    """Which scheduler this server runs and how a job's environment variables reach its kernel."""
    scheduler = settings.get("scheduler")
    if scheduler is None:
        return {"installed": False, "exportsEnvironment": False}
    kind = type(scheduler).__name__
    if type(scheduler).__module__.split(".")[0] == SAGEMAKER_SCHEDULER_MODULE:
        return {
            "installed": True,
            "kind": kind,
            "exportsEnvironment": True,
            "how": "sagemaker-job-environment",
        }
    if not _runs_jobs_here(scheduler):
        exports = bool(getattr(scheduler, "exports_runtime_environment", False))
        return {"installed": True, "kind": kind, "exportsEnvironment": exports, "how": "scheduler"}
    manager = getattr(scheduler, "execution_manager_class", None)
    exports = bool(manager) and (
        (DefaultExecutionManager is not None and issubclass(manager, EnvExecutionManager))
        or getattr(manager, "exports_runtime_environment", False)
    )
    return {"installed": True, "kind": kind, "exportsEnvironment": exports, "how": "execution-manager"}


def configure_scheduler(server_app) -> None:
    """Makes open-source jupyter-scheduler export job environment variables, unless configured
    otherwise. Schedulers that run jobs elsewhere (SageMaker's) are left as they are."""
    scheduler = server_app.web_app.settings.get("scheduler")
    if scheduler is None or DefaultExecutionManager is None or not _runs_jobs_here(scheduler):
        return
    if getattr(scheduler, "execution_manager_class", None) is DefaultExecutionManager:
        scheduler.execution_manager_class = EnvExecutionManager
        server_app.log.info("jupyterlab_emr_schedule: scheduler jobs now receive their environment variables")
    if not scheduler_status(server_app.web_app.settings)["exportsEnvironment"]:
        server_app.log.warning(
            "jupyterlab_emr_schedule: Scheduler.execution_manager_class is %s, which does not pass "
            "job environment variables to the kernel; set it to "
            "jupyterlab_emr_schedule.scheduler.EnvExecutionManager.",
            getattr(scheduler, "execution_manager_class", None),
        )
