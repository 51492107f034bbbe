"""Server tests run a real Jupyter server (pytest-jupyter) against the embedded local AWS."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "demo"))

import local_aws  # noqa: E402

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


@pytest.fixture
def jp_server_config(local_aws_endpoint):
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_emr_schedule": True}}}


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
