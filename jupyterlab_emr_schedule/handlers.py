"""Authenticated JSON routes under ``<base_url>emr-schedule/``."""

from __future__ import annotations

import json

import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop

from . import aws
from ._version import __version__

NAMESPACE = "emr-schedule"


class BaseHandler(APIHandler):
    """Runs blocking AWS calls off the event loop and answers errors as JSON, never a traceback."""

    async def run_aws(self, fn, *args):
        try:
            return await IOLoop.current().run_in_executor(None, fn, *args)
        except aws.AwsError as err:
            self.set_status(err.status)
            self.finish(json.dumps(err.to_json()))
            return None

    def write_error(self, status_code, **kwargs):
        self.set_header("Content-Type", "application/json")
        reason = self._reason or "Error"
        message = reason
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, tornado.web.HTTPError) and exc.log_message:
            message = exc.log_message % exc.args if exc.args else exc.log_message
        self.finish(json.dumps({"code": reason.replace(" ", ""), "message": message}))


class IdentityHandler(BaseHandler):
    @tornado.web.authenticated
    async def get(self):
        result = await self.run_aws(aws.identity)
        if result is not None:
            self.finish(json.dumps(result))


class StatusHandler(BaseHandler):
    """What the panel needs to know about this server before it calls AWS."""

    @tornado.web.authenticated
    def get(self):
        from .scheduler import scheduler_status

        self.finish(json.dumps({"version": __version__, "scheduler": scheduler_status(self.settings)}))


ROUTES = [
    ("identity", IdentityHandler),
    ("status", StatusHandler),
]


def setup_handlers(web_app):
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$", [(url_path_join(base_url, NAMESPACE, path), handler) for path, handler in ROUTES]
    )
