"""Server configuration for the Studio UI tests: the 4.6 suite's (galata's defaults, never for
production), plus SageMaker's scheduler plugin's own configuration (its scheduler, environment
and job-files classes), which a ``--config`` file would otherwise replace.
"""

import sys
from pathlib import Path

load_subconfig(str(Path(__file__).resolve().parent.parent / "ui" / "jupyter_server_test_config.py"))  # noqa: F821
# Where amazon-sagemaker-jupyter-scheduler installs it: the Studio venv's etc/jupyter.
load_subconfig("jupyter_server_config.py", path=str(Path(sys.prefix) / "etc" / "jupyter"))  # noqa: F821


def _parse_botocore_data_once() -> None:
    """SageMaker's plugin creates a new botocore session, so a new data loader, for every AWS call
    it makes, and each loader reads and parses botocore's JSON data again (its endpoints, the
    service's model: EC2's alone is megabytes). In its SageMaker JupyterLab mode its form's job
    settings take about ten such calls, which it must finish within 8 s (its own limit, after
    which the form shows "Internal Server Error"); on a test machine that runs several suites at
    once the parsing alone took longer. Here one loader serves every session of the server
    process, as one session's loader serves all its clients: the same data, the same calls to
    AWS, read once."""
    import functools

    import botocore.session

    create_loader = botocore.session.create_loader
    shared = functools.lru_cache(maxsize=None)(create_loader)
    botocore.session.create_loader = lambda search_path_string=None: shared(search_path_string)
    # Read before the server answers: the endpoints and the models of the services the plugin
    # calls for its job settings and its jobs.
    session = botocore.session.get_session()
    session.get_component("endpoint_resolver")
    for service in ("sagemaker", "ec2", "s3", "sts", "iam"):
        session.get_service_model(service)


_parse_botocore_data_once()
