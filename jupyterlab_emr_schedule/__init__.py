"""JupyterLab extension that makes EMR notebooks schedulable as unattended jobs."""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    import warnings

    warnings.warn("Importing 'jupyterlab_emr_schedule' outside a proper installation.", stacklevel=2)
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-emr-schedule"}]


def _jupyter_server_extension_points():
    return [{"module": "jupyterlab_emr_schedule"}]


def _load_jupyter_server_extension(server_app):
    from .handlers import setup_handlers
    from .scheduler import configure_scheduler

    setup_handlers(server_app.web_app)
    configure_scheduler(server_app)
    server_app.log.info("Registered jupyterlab_emr_schedule server extension")
