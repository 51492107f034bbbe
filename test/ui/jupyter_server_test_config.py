"""Server configuration for the UI tests (galata's defaults: no token, app exposed).

Never use it in production: it opens the server and exposes JupyterLab's objects to the page.
"""

import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821 - CI runs as root

# jupyter-scheduler copies a job's output files to "jobs/" relative to the server's working
# directory rather than its root_dir; run from the root so they appear in the file browser.
os.chdir(c.ServerApp.root_dir)  # noqa: F821
