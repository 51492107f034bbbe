"""Server configuration for the Studio UI tests: the 4.6 suite's (galata's defaults, never for
production), plus SageMaker's scheduler plugin's own configuration (its scheduler, environment
and job-files classes), which a ``--config`` file would otherwise replace.
"""

import sys
from pathlib import Path

load_subconfig(str(Path(__file__).resolve().parent.parent / "ui" / "jupyter_server_test_config.py"))  # noqa: F821
# Where amazon-sagemaker-jupyter-scheduler installs it: the Studio venv's etc/jupyter.
load_subconfig("jupyter_server_config.py", path=str(Path(sys.prefix) / "etc" / "jupyter"))  # noqa: F821
