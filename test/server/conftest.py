"""Server tests run a real Jupyter server (pytest-jupyter) against the embedded local AWS."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "demo"))

import local_aws  # noqa: E402
import local_kdc  # noqa: E402
import scheduler_jobs  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture(scope="session")
def local_aws_endpoint():
    """One seeded moto server for the session, reached through AWS_ENDPOINT_URL."""
    with local_aws.LocalAws() as aws:
        local_aws.seed(aws.endpoint)
        saved = {k: os.environ.get(k) for k in local_aws.aws_env(aws.endpoint)}
        os.environ.update(local_aws.aws_env(aws.endpoint))
        from jupyterlab_emr_schedule import aws as server_aws

        server_aws.session.cache_clear()
        try:
            yield aws.endpoint
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            server_aws.session.cache_clear()


@pytest.fixture(scope="session")
def kdc():
    """A real MIT KDC (demo/local_kdc.py) for the Kerberos cluster's realm, on this machine's
    loopback, for the session: the local AWS names the Kerberos cluster's primary node after it,
    so the krb5.conf %sm_analytics writes sends kinit there. Each user of the seeded secrets is a
    principal with the secret's password."""
    with local_kdc.LocalKdc(local_aws.KERBEROS_REALM, local_kdc.principals_of(local_aws.SECRETS)) as server:
        before = local_aws.kerberos_primary_at(server.host)
        try:
            yield server
        finally:
            local_aws.kerberos_primary_at(before)


@pytest.fixture
def jp_server_config(local_aws_endpoint):
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_emr_schedule": True}}}


@pytest.fixture(scope="module")
def recorder(local_aws_endpoint):
    with FaultProxy(local_aws_endpoint) as proxy:
        yield proxy


@pytest.fixture
def scheduler_server_config(recorder, kdc, tmp_path, monkeypatch, jp_environ):
    """A server with jupyter-scheduler whose jobs reach the local AWS through ``recorder`` and
    the Kerberos cluster's KDC (``kdc``); a module that runs jobs makes it its
    ``jp_server_config``."""
    # Jobs and their kernels inherit the server's environment: send them through the recorder.
    # (jp_environ sets PYTHONPATH to pytest's path, so the redirect is put back in front.)
    for name, value in local_aws.aws_env(recorder.endpoint).items():
        monkeypatch.setenv(name, value)
    # kinit keeps the jobs' tickets here, not in this machine's own credential cache.
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{tmp_path / 'krb5cc'}")
    config = json.loads(scheduler_jobs.INSTALLED_CONFIG.read_text())
    config["ServerApp"]["jpserver_extensions"]["jupyter_scheduler"] = True
    config["SchedulerApp"] = {"db_url": f"sqlite:///{tmp_path}/scheduler.sqlite"}
    config["Scheduler"] = {"staging_path": str(tmp_path / "staging")}
    return config


@pytest.fixture
def machine_krb5_conf():
    """%sm_analytics writes the cluster's krb5.conf to /etc/krb5.conf before kinit (the
    containers it is made for are its own); put this machine's file back afterwards."""
    saved = scheduler_jobs.KRB5_CONF.read_bytes() if scheduler_jobs.KRB5_CONF.exists() else None
    yield
    if saved is None:
        scheduler_jobs.KRB5_CONF.unlink(missing_ok=True)
    else:
        scheduler_jobs.KRB5_CONF.write_bytes(saved)


def pytest_sessionfinish(session, exitstatus):
    """Drops the exit hooks of the IPython shells the contract tests created.

    Every shell registers an atexit reset that runs ``gc.collect()``; with hundreds of shells
    on a large heap, the interpreter's exit took minutes after the tests had passed.
    """
    import atexit
    import gc
    import sys

    if "IPython" not in sys.modules:
        return
    from IPython.core.interactiveshell import InteractiveShell

    for obj in gc.get_objects():
        if isinstance(obj, InteractiveShell):
            atexit.unregister(obj.atexit_operations)
