"""Authenticated JSON routes under ``<base_url>emr-schedule/``."""

from __future__ import annotations

import json
import re

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

    def bad_request(self, field: str, message: str) -> None:
        self.set_status(400)
        self.finish(json.dumps({"code": "BadRequest", "field": field, "message": message}))

    def json_body(self) -> dict | None:
        """The request's JSON object, or None after answering 400."""
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            self.bad_request("body", "The request body is not valid JSON.")
            return None
        if not isinstance(body, dict):
            self.bad_request("body", "The request body must be a JSON object.")
            return None
        return body

    def string_field(self, body: dict, field: str, pattern: re.Pattern, message: str, required=True):
        value = body.get(field, "")
        if not isinstance(value, str):
            self.bad_request(field, f"{field} must be a string.")
            return None
        if not value and not required:
            return ""
        if not pattern.fullmatch(value):
            self.bad_request(field, message)
            return None
        return value


CLUSTER_ID = re.compile(r"j-[A-Z0-9]{1,64}")
SECRET_ID = re.compile(
    r"[A-Za-z0-9/_+=.@-]{1,512}"
    r"|arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}"
)
SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
USER_IDENTITY = re.compile(r"[\w .:/=+@-]{1,256}")
DESCRIPTION = re.compile(r"[^\x00-\x1f]{0,2048}")
USERNAME = re.compile(r"[^\x00-\x1f]{1,512}")
PASSWORD = re.compile(r"[^\x00]{1,4096}")
SEARCH = re.compile(r"[^\x00-\x1f]{0,256}")


class ClustersHandler(BaseHandler):
    @tornado.web.authenticated
    async def get(self):
        states = [s for s in self.get_query_argument("states", ",".join(aws.ACTIVE_STATES)).split(",") if s]
        unknown = [s for s in states if s not in aws.ALL_STATES]
        if unknown or not states:
            return self.bad_request("states", f"Cluster states are among {', '.join(aws.ALL_STATES)}.")
        search = self.get_query_argument("search", "")
        if not SEARCH.fullmatch(search):
            return self.bad_request("search", "The search text is too long or holds control characters.")
        marker = self.get_query_argument("marker", None) or None
        result = await self.run_aws(aws.list_clusters, states, marker, search)
        if result is not None:
            self.finish(json.dumps(result))


class ClusterHandler(BaseHandler):
    @tornado.web.authenticated
    async def get(self, cluster_id: str):
        if not CLUSTER_ID.fullmatch(cluster_id):
            return self.bad_request("clusterId", "A cluster id is j- followed by capital letters and digits.")
        result = await self.run_aws(aws.describe_cluster, cluster_id)
        if result is not None:
            self.finish(json.dumps(result))


class SecretsHandler(BaseHandler):
    @tornado.web.authenticated
    async def get(self):
        args = {k: self.get_query_argument(k, "") for k in ("name", "tagKey", "tagValue")}
        for key, value in args.items():
            if not SEARCH.fullmatch(value):
                return self.bad_request(key, f"{key} is too long or holds control characters.")
        marker = self.get_query_argument("marker", None) or None
        result = await self.run_aws(aws.list_secrets, marker, args["name"], args["tagKey"], args["tagValue"])
        if result is not None:
            self.finish(json.dumps(result))

    @tornado.web.authenticated
    async def post(self):
        """Creates a secret from the user's credentials. The password is never logged or echoed."""
        body = self.json_body()
        if body is None:
            return
        name = self.string_field(
            body, "name", SECRET_NAME, "A secret name uses letters, digits and / _ + = . @ -."
        )
        if name is None:
            return
        description = self.string_field(
            body, "description", DESCRIPTION, "The description is too long.", required=False
        )
        if description is None:
            return
        user_identity = self.string_field(
            body, "userIdentity", USER_IDENTITY, "The user-identity tag value is not valid.", required=False
        )
        if user_identity is None:
            return
        username = self.string_field(body, "username", USERNAME, "Enter the user name (one line).")
        if username is None:
            return
        password = self.string_field(body, "password", PASSWORD, "Enter the password.")
        if password is None:
            return
        body.clear()
        result = await self.run_aws(aws.create_secret, name, username, password, description, user_identity)
        if result is not None:
            self.set_status(201)
            self.finish(json.dumps(result))


class SecretCheckHandler(BaseHandler):
    @tornado.web.authenticated
    async def post(self):
        body = self.json_body()
        if body is None:
            return
        secret_id = self.string_field(body, "secretId", SECRET_ID, "This is not a secret name or ARN.")
        if secret_id is None:
            return
        result = await self.run_aws(aws.check_secret, secret_id)
        if result is not None:
            self.finish(json.dumps(result))


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
    ("clusters", ClustersHandler),
    (r"clusters/([^/]+)", ClusterHandler),
    ("secrets", SecretsHandler),
    ("secrets/check", SecretCheckHandler),
]


def setup_handlers(web_app):
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$", [(url_path_join(base_url, NAMESPACE, path), handler) for path, handler in ROUTES]
    )
