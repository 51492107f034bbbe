"""Server configuration for the UI tests (galata's defaults: no token, app exposed).

Never use it in production: it opens the server and exposes JupyterLab's objects to the page.
"""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821 - CI runs as root
