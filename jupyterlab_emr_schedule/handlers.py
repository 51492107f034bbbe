"""Authenticated JSON routes under ``<base_url>emr-schedule/``.

Every method is ``@tornado.web.authenticated`` (no Jupyter token or login cookie: 403) and
``@authorized`` on the ``emr-schedule`` resource, so a server's authorizer decides who may call
AWS with the server's credentials; POSTs also need the XSRF token, as every Jupyter POST does.
Input is checked against closed character sets before it reaches AWS, and every answer, errors
included, is JSON with a plain ``message`` (and the ``field`` at fault for a 400), never a
traceback.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable

import tornado
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from . import aws
from ._version import __version__

NAMESPACE = "emr-schedule"
#: The resource name a jupyter_server Authorizer sees for these routes (actions: read, write).
AUTH_RESOURCE = "emr-schedule"


class BadRequest(tornado.web.HTTPError):
    """A 400 naming the request field at fault. Its message goes to the client only: it may
    quote what the client sent, so it is never used as a log format string."""

    def __init__(self, field: str, message: str):
        super().__init__(400, reason="Bad Request")
        self.field = field
        self.message = message


class BaseHandler(APIHandler):
    """Runs blocking AWS calls off the event loop and answers errors as JSON, never a traceback."""

    auth_resource = AUTH_RESOURCE
    #: The field a path argument fills, for errors about it.
    path_field = "path"

    async def run_aws(self, fn, *args):
        try:
            return await aws.run(fn, *args)
        except aws.AwsError as err:
            self.set_status(err.status)
            self.finish(json.dumps(err.to_json()))
            return None

    async def answer(self, fn, *args, status: int = 200):
        """Answers with what ``fn(*args)`` returns, or with the AWS error it raised."""
        result = await self.run_aws(fn, *args)
        if result is not None:
            self.set_status(status)
            self.finish(json.dumps(result))

    def search_text(self) -> str:
        return self.query_field("search", SEARCH, "The search text is too long or holds control characters.")

    def write_error(self, status_code, **kwargs):
        self.set_header("Content-Type", "application/json")
        reason = self._reason or "Error"
        exc = kwargs.get("exc_info", (None, None, None))[1]
        body = {"code": reason.replace(" ", ""), "message": reason}
        if isinstance(exc, BadRequest):
            body.update(code="BadRequest", field=exc.field, message=exc.message)
        elif isinstance(exc, tornado.web.HTTPError):
            if exc.log_message:
                body["message"] = exc.log_message % exc.args if exc.args else exc.log_message
        else:
            body["message"] = "The server met an unexpected error; its log has the details."
        self.finish(json.dumps(body))

    def decode_argument(self, value: bytes, name: str | None = None) -> str:
        """Query and path arguments as text; bytes that are not UTF-8 are a 400 for that field."""
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(name or self.path_field, "The value is not valid UTF-8 text.") from None

    def json_body(self, fields: tuple[str, ...]) -> dict:
        """The request's JSON object, holding no field but ``fields``."""
        try:
            body = json.loads(self.request.body or b"{}")
        except (ValueError, RecursionError):
            # ValueError covers bad JSON and bytes that are not UTF-8; RecursionError, arrays
            # or objects nested deeper than the parser goes.
            raise BadRequest("body", "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise BadRequest("body", "The request body must be a JSON object.")
        unknown = sorted(set(body) - set(fields))
        if unknown:
            name = unknown[0] if len(unknown[0]) <= 64 else unknown[0][:64] + "..."
            raise BadRequest(name, f"Unknown field {json.dumps(name)}; expected {', '.join(fields)}.")
        return body

    @staticmethod
    def string_field(body: dict, field: str, pattern: re.Pattern, message: str, required=True) -> str:
        value = body.get(field, "")
        if not isinstance(value, str):
            raise BadRequest(field, f"{field} must be a string.")
        if not value and not required:
            return ""
        if not pattern.fullmatch(value):
            raise BadRequest(field, message)
        return value

    def query_field(self, name: str, pattern: re.Pattern, message: str, default: str = "") -> str:
        value = self.get_query_argument(name, default)
        if not pattern.fullmatch(value):
            raise BadRequest(name, message)
        return value


# Python's \d and \w match any Unicode digit or letter, and $ matches before a final newline;
# the TypeScript validators (src/core/validate.ts) mean ASCII and the end of the text. Hence
# explicit ASCII classes and fullmatch everywhere (USER_IDENTITY alone allows any script, as
# AWS tag values do).
CLUSTER_ID = re.compile(r"j-[A-Z0-9]{1,64}")
#: EMR Serverless's own pattern for an application id (botocore's model).
APPLICATION_ID = re.compile(r"[0-9a-z]{1,64}")
SECRET_NAME = re.compile(r"(?!-)[A-Za-z0-9/_+=.@-]{1,512}")
SECRET_ARN = re.compile(
    r"arn:(?:aws|aws-cn|aws-us-gov):secretsmanager:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}"
)
SECRET_ID = re.compile(f"{SECRET_NAME.pattern}|{SECRET_ARN.pattern}")
#: AWS tag values: letters (any script), digits, spaces and + - = . _ : / @.
USER_IDENTITY = re.compile(r"[\w .:/=+@-]{1,256}")
DESCRIPTION = re.compile(r"[^\x00-\x1f\x7f]{0,2048}")
USERNAME = re.compile(r"[^\x00-\x1f\x7f]{1,512}")
PASSWORD = re.compile(r"[^\x00]{1,4096}")
SEARCH = re.compile(r"[^\x00-\x1f\x7f]{0,256}")
#: What Secrets Manager accepts in a ListSecrets filter value.
SECRET_FILTER = re.compile(r"[A-Za-z0-9 :_@/+=.!-]{0,512}")
#: A page marker as this server hands it out: base64url(AWS marker) "." base64url(MAC).
MARKER = re.compile(r"[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{22}")

#: Page markers are signed, so only markers this server handed out reach AWS. The key lives as
#: long as the process; after a restart an old marker asks the user to reload the list.
_MARKER_KEY = secrets.token_bytes(32)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _marker_mac(kind: str, raw: bytes) -> bytes:
    return hmac.new(_MARKER_KEY, kind.encode() + b"\0" + raw, hashlib.sha256).digest()[:16]


def wrap_marker(kind: str, marker: str | None) -> str | None:
    """AWS's page marker for listing ``kind``, signed for the panel to hand back."""
    if not marker:
        return None
    raw = marker.encode()
    return f"{_b64(raw)}.{_b64(_marker_mac(kind, raw))}"


def unwrap_marker(kind: str, text: str) -> str | None:
    """The AWS marker inside a marker from ``wrap_marker``; a 400 for anything else."""
    if not text:
        return None
    bad = BadRequest(
        "marker", "This page marker was not issued by this server (or it restarted); reload the list."
    )
    if not MARKER.fullmatch(text):
        raise bad
    body, mac = text.split(".")
    try:
        raw, given = _unb64(body), _unb64(mac)
        if not hmac.compare_digest(given, _marker_mac(kind, raw)):
            raise bad
        return raw.decode()
    except (binascii.Error, ValueError):
        raise bad from None


class ListHandler(BaseHandler):
    """One page of an AWS listing, as its route configures it (see ROUTES).

    ``listing`` (an ``aws.Listing``) is the AWS call, its paging token, its filter and the fields
    each item answers with; ``query`` reads the route's own query parameters into the AWS
    request's (a 400 naming the parameter for a bad one). A listing that can search takes
    ``search``; every one takes ``marker``, the one this server handed out with the page before
    (signed for this listing, so only markers it issued reach AWS). The answer is the listing's
    list, the next page's ``marker`` (null on the last page) and the listing's extra fields.
    """

    def initialize(self, listing: aws.Listing, query: Callable[[BaseHandler], dict] | None = None):
        self.listing = listing
        self.query = query

    @tornado.web.authenticated
    @authorized
    async def get(self):
        listing = self.listing
        params = self.query(self) if self.query else {}
        search = self.search_text() if listing.search else ""
        marker = unwrap_marker(listing.name, self.get_query_argument("marker", ""))
        result = await self.run_aws(aws.list_page, listing, params, marker, search)
        if result is not None:
            result["marker"] = wrap_marker(listing.name, result["marker"])
            self.finish(json.dumps(result))


def states_query(param: str, noun: str, states: list[str], default: list[str]):
    """A route's ``states`` query parameter: comma-separated, among ``states`` (``default`` when
    it is absent), sent to AWS as ``param``."""
    message = f"{noun} states are among {', '.join(states)}."

    def read(handler: BaseHandler) -> dict:
        chosen = [s for s in handler.get_query_argument("states", ",".join(default)).split(",") if s]
        if not chosen or any(s not in states for s in chosen):
            raise BadRequest("states", message)
        return {param: chosen}

    return read


def secret_filters_query(handler: BaseHandler) -> dict:
    """The secrets route's ``name``, ``tagKey`` and ``tagValue``, as ListSecrets' filters."""
    message = "{} holds at most 512 letters, digits, spaces and : _ @ / + = . - !"
    name, tag_key, tag_value = (
        handler.query_field(k, SECRET_FILTER, message.format(k)) for k in ("name", "tagKey", "tagValue")
    )
    return aws.secret_filters(name, tag_key, tag_value)


class DetailHandler(BaseHandler):
    """One item by the id in its path, as its route configures it: ``field`` names the id (in a
    400), ``pattern`` is what an id must match (else ``message``), ``describe`` the AWS call."""

    def initialize(self, describe: Callable[[str], dict], field: str, pattern: re.Pattern, message: str):
        self.describe = describe
        self.path_field = field
        self.pattern = pattern
        self.message = message

    @tornado.web.authenticated
    @authorized
    async def get(self, item_id: str):
        if not self.pattern.fullmatch(item_id):
            raise BadRequest(self.path_field, self.message)
        await self.answer(self.describe, item_id)


class SecretsHandler(ListHandler):
    """The secrets listing (GET) and a new secret (POST)."""

    @tornado.web.authenticated
    @authorized
    async def post(self):
        """Creates a secret from the user's credentials. The password is never logged or echoed."""
        body = self.json_body(("name", "description", "userIdentity", "username", "password"))
        try:
            name = self.string_field(
                body, "name", SECRET_NAME, "A secret name uses letters, digits and / _ + = . @ -."
            )
            description = self.string_field(
                body, "description", DESCRIPTION, "The description is too long.", required=False
            )
            user_identity = self.string_field(
                body,
                "userIdentity",
                USER_IDENTITY,
                "The user-identity tag value holds at most 256 letters, digits, spaces and + - = . _ : / @.",
                required=False,
            )
            username = self.string_field(body, "username", USERNAME, "Enter the user name (one line).")
            password = self.string_field(body, "password", PASSWORD, "Enter the password.")
        finally:
            body.clear()
        await self.answer(aws.create_secret, name, username, password, description, user_identity, status=201)


class SecretCheckHandler(BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self):
        body = self.json_body(("secretId",))
        secret_id = self.string_field(body, "secretId", SECRET_ID, "This is not a secret name or ARN.")
        await self.answer(aws.check_secret, secret_id)


class IdentityHandler(BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self):
        await self.answer(aws.identity)


class StatusHandler(BaseHandler):
    """What the panel needs to know about this server before it calls AWS."""

    @tornado.web.authenticated
    @authorized
    def get(self):
        from .scheduler import scheduler_status

        self.finish(json.dumps({"version": __version__, "scheduler": scheduler_status(self.settings)}))


#: The routes below ``<base_url>emr-schedule/``: (path, handler) or (path, handler, its settings).
#: A listing is a ListHandler with its ``aws.Listing``; one item by id, a DetailHandler.
ROUTES = [
    ("identity", IdentityHandler),
    ("status", StatusHandler),
    (
        "clusters",
        ListHandler,
        {
            "listing": aws.CLUSTERS,
            "query": states_query("ClusterStates", "Cluster", aws.ALL_STATES, aws.ACTIVE_STATES),
        },
    ),
    (
        r"clusters/([^/]+)",
        DetailHandler,
        {
            "describe": aws.describe_cluster,
            "field": "clusterId",
            "pattern": CLUSTER_ID,
            "message": "A cluster id is j- followed by capital letters and digits.",
        },
    ),
    ("secrets", SecretsHandler, {"listing": aws.SECRETS, "query": secret_filters_query}),
    ("secrets/check", SecretCheckHandler),
    (
        "serverless/applications",
        ListHandler,
        {
            "listing": aws.APPLICATIONS,
            "query": states_query(
                "states", "Application", aws.APPLICATION_STATES, aws.USABLE_APPLICATION_STATES
            ),
        },
    ),
    (
        r"serverless/applications/([^/]+)",
        DetailHandler,
        {
            "describe": aws.describe_application,
            "field": "applicationId",
            "pattern": APPLICATION_ID,
            "message": "An application id holds 1 to 64 lowercase letters and digits.",
        },
    ),
    ("serverless/execution-roles", ListHandler, {"listing": aws.EXECUTION_ROLES}),
]


def setup_handlers(web_app):
    # network.py builds on BaseHandler, so it is imported once this module is complete.
    from .network import NetworkHandler, NetworkProbeHandler
    from .testruns import TestRunFilesHandler

    base_url = web_app.settings["base_url"]
    routes = [
        *ROUTES,
        ("network", NetworkHandler),
        ("network/probe", NetworkProbeHandler),
        (r"test-runs/sagemaker/([^/]+)", TestRunFilesHandler),
    ]
    web_app.add_handlers(
        ".*$", [(url_path_join(base_url, NAMESPACE, path), *handler) for path, *handler in routes]
    )
