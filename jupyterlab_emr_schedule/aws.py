"""AWS access with the server's own credentials, and errors a user can act on.

One boto3 session per server; ``AWS_ENDPOINT_URL`` (honoured by botocore itself) points every
client at the embedded local AWS in the demo and the tests.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ReadTimeoutError,
)
from botocore.utils import parse_timestamp

#: AWS calls block, so they run on threads of their own: at most this many at once, each with a
#: pooled connection of its own (no call waits for a connection or discards one), and a slow AWS
#: never ties up the threads the rest of the Jupyter server shares.
WORKERS = 16

#: Throttling, 5xx, timeouts and dropped connections are retried with jittered exponential
#: backoff (botocore standard mode), four attempts in all. The panel waits on these calls, so the
#: timeouts are short: a call AWS does not answer fails with "AWS did not answer in time" (504)
#: after at most about 4 x 10 s, rather than hanging.
CLIENT_CONFIG = Config(
    retries={"total_max_attempts": 4, "mode": "standard"},
    connect_timeout=5,
    read_timeout=10,
    max_pool_connections=WORKERS,
)

_executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="emr-schedule-aws")


async def run(fn, *args):
    """Runs a blocking AWS function on the AWS threads, from the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_executor, fn, *args)


class _WholeAnswers:
    """A client's HTTP session that refuses answers cut short.

    botocore does not compare a body with its Content-Length (it turns that check off in
    urllib3), so an answer whose connection closed mid-body is parsed as a shorter, valid-looking
    one: a list of clusters or secrets that is silently empty. Raising ConnectionClosedError
    instead makes botocore retry it as the dropped connection it is.
    """

    def __init__(self, inner):
        self._inner = inner

    def send(self, request):
        response = self._inner.send(request)
        expected = response.headers.get("Content-Length", "")
        if expected.isdigit() and len(response.content) != int(expected):
            raise ConnectionClosedError(endpoint_url=request.url)
        return response

    def __getattr__(self, name):
        return getattr(self._inner, name)


class _NoSecretValues(logging.Filter):
    """Keeps secret values out of botocore's debug log.

    At DEBUG, botocore logs every request's parameters and every response's body: the
    ``SecretString`` a create sends and a check reads. Whoever turns debug logging on (to chase
    an AWS problem) must not find passwords in the log, so a record that holds a secret value is
    kept, cut short before it.
    """

    MARKERS = ("SecretString", "SecretBinary")

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is not ours to fix
            return True
        cut = min((i for i in (message.find(m) for m in self.MARKERS) if i >= 0), default=-1)
        if cut >= 0:
            record.msg = message[:cut] + "<secret value not logged>"
            record.args = ()
        return True


#: The botocore loggers that write request parameters or response bodies.
for _name in ("botocore.endpoint", "botocore.parsers", "botocore.awsrequest", "botocore.httpsession"):
    _logger = logging.getLogger(_name)
    if not any(isinstance(f, _NoSecretValues) for f in _logger.filters):
        _logger.addFilter(_NoSecretValues())

_lock = threading.Lock()
#: Clients are thread-safe and keep their connection pool, so each service's client is reused
#: for as long as the session and CLIENT_CONFIG it was made from are the current ones.
_clients: dict[str, tuple[boto3.session.Session, Config, object]] = {}


def _timestamp(value):
    """botocore's timestamp parsing, without its cost on the lists.

    For every timestamp in an answer botocore makes a new local time zone (dateutil's
    ``tzlocal``), and the routes format each one back to text: about 1 ms of a page of 50
    clusters. The services listed here (EMR, EMR Serverless, Secrets Manager) answer epoch
    seconds, which become an aware UTC datetime directly, the same instant; any other form
    goes to botocore's own parser.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    return parse_timestamp(value)


@functools.lru_cache(maxsize=1)
def session() -> boto3.session.Session:
    core = botocore.session.get_session()
    core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=_timestamp)
    return boto3.session.Session(botocore_session=core)


def client(service: str):
    with _lock:
        sess = session()
        cached = _clients.get(service)
        if cached is not None and cached[0] is sess and cached[1] is CLIENT_CONFIG:
            return cached[2]
        region = sess.region_name or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        made = sess.client(service, region_name=region, config=CLIENT_CONFIG)
        # The services used here answer small JSON or XML documents, never a stream.
        endpoint = getattr(made, "_endpoint", None)
        if endpoint is not None and hasattr(endpoint, "http_session"):
            endpoint.http_session = _WholeAnswers(endpoint.http_session)
        _clients[service] = (sess, CLIENT_CONFIG, made)
        return made


def reset() -> None:
    """Forgets the session and its clients, so the next call reads the credentials afresh."""
    with _lock:
        session.cache_clear()
        _clients.clear()


@dataclass
class AwsError(Exception):
    """An AWS failure translated for the panel: status, code, plain message, and a fix."""

    status: int
    code: str
    message: str
    action: str | None = None
    policy: dict | None = field(default=None)
    #: The request field at fault, when AWS refused something the request carried.
    field: str | None = None

    def to_json(self) -> dict:
        body: dict = {"code": self.code, "message": self.message}
        if self.action:
            body["action"] = self.action
        if self.policy:
            body["policy"] = self.policy
        if self.field:
            body["field"] = self.field
        return body


ACCESS_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
}
THROTTLED = {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}
NOT_FOUND = {"ResourceNotFoundException", "NoSuchEntity", "ClusterNotFound"}
EXPIRED = {"ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "RequestExpired"}
BAD_MARKER = {"InvalidToken", "InvalidNextTokenException"}


def _plain(text: str) -> str:
    """AWS's own message when it is one short line of text (never an HTML error page)."""
    text = " ".join((text or "").split())
    return "" if len(text) > 300 or "<" in text else text


def translate(exc: Exception, action: str) -> AwsError:
    """Turns a botocore exception raised while calling ``action`` (e.g. ``sts:GetCallerIdentity``)."""
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return AwsError(
            401,
            "NoCredentials",
            "The Jupyter server has no AWS credentials. Configure them for the server "
            "(an instance or execution role, `aws configure`, or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY) and try again.",
        )
    if isinstance(exc, NoRegionError):
        return AwsError(
            400, "NoRegion", "No AWS region is set for the Jupyter server. Set AWS_REGION and restart it."
        )
    if isinstance(exc, (ReadTimeoutError, ConnectTimeoutError)):
        return AwsError(
            504,
            "AwsTimeout",
            f"AWS did not answer {action} in time, even after retrying. Try again in a moment; "
            "if it persists, check the network between the Jupyter server and AWS.",
        )
    if isinstance(exc, EndpointConnectionError):
        return AwsError(
            502,
            "EndpointUnreachable",
            f"AWS could not be reached ({exc}). Check the network and AWS_ENDPOINT_URL.",
        )
    if isinstance(exc, ConnectionClosedError):
        return AwsError(
            502,
            "AwsConnectionClosed",
            f"The connection to AWS closed before {action} answered, even after retrying. "
            "Try again in a moment.",
        )
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code") or "Unknown")
        text = _plain(str(err.get("Message") or ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 502)
        if code in ACCESS_DENIED:
            return AwsError(
                403,
                code,
                f"The server's AWS role is not allowed to call {action}. Add it to the role's policy.",
                action=action,
                policy={
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}],
                },
            )
        if code in THROTTLED:
            return AwsError(429, code, f"AWS is throttling {action}; wait a moment and try again.")
        if code in NOT_FOUND:
            return AwsError(404, code, text or "Not found.")
        if code in EXPIRED:
            return AwsError(
                401,
                code,
                "The server's AWS credentials have expired or are invalid; refresh them and try again.",
            )
        if code in BAD_MARKER:
            return AwsError(400, code, "AWS did not accept the page marker; reload the list.", field="marker")
        if not isinstance(status, int) or status >= 500 or status < 400:
            # AWS (or something in front of it) failed: that is a bad gateway, not a server bug.
            return AwsError(
                502,
                code if code.isidentifier() else "AwsServiceError",
                f"AWS could not complete {action} ({text or code}), even after retrying. "
                "Try again in a moment.",
            )
        return AwsError(status, code, text or f"AWS refused {action} ({code}).")
    if isinstance(exc, BotoCoreError):
        return AwsError(502, type(exc).__name__, f"{action} failed: {exc}")
    raise exc


def _call(service: str, action: str, method: str, **kwargs):
    """One AWS call, its failures translated; credential failures forget the session, so
    refreshed credentials (a new role session, an updated credentials file) apply at once."""
    try:
        return getattr(client(service), method)(**kwargs)
    except Exception as exc:  # noqa: BLE001 - translated or re-raised
        err = translate(exc, action)
        if err.status == 401:
            reset()
        raise err from exc


def identity() -> dict:
    who = _call("sts", "sts:GetCallerIdentity", "get_caller_identity")
    return {"account": who["Account"], "arn": who["Arn"], "roleArn": role_arn(who["Arn"])}


def role_arn(caller_arn: str) -> str | None:
    """The IAM role ARN behind an assumed-role session ARN, which is what policies name."""
    parts = caller_arn.split(":", 5)
    if len(parts) != 6 or parts[2] not in {"sts", "iam"}:
        return None
    resource = parts[5]
    if resource.startswith("assumed-role/"):
        role_name = resource.split("/")[1]
        return f"arn:{parts[1]}:iam::{parts[4]}:role/{role_name}"
    if resource.startswith("role/"):
        return caller_arn
    return None


# --- Paged listings -----------------------------------------------------------------------------

#: Most AWS pages one request reads, looking for items to show, before it answers with what it
#: found and a marker.
SEARCH_PAGE_LIMIT = 10


@dataclass(frozen=True)
class ListCall:
    """An AWS list call: the boto3 service, the IAM action (whose operation names the boto3
    method), the field of a page that holds the items, the paging token's name (the same in the
    request and in the page), the request's fixed parameters (a page size), and the page's flag
    that more pages follow, where AWS has one."""

    service: str
    action: str
    items: str
    token: str
    fixed: dict = field(default_factory=dict)
    more: str | None = None

    @property
    def method(self) -> str:
        return botocore.xform_name(self.action.split(":", 1)[1])

    def next_token(self, page: dict) -> str | None:
        if self.more is not None and not page.get(self.more):
            return None
        return page.get(self.token)


@dataclass(frozen=True)
class Listing:
    """A listing as a route pages it: its AWS call, the fields the panel gets for an item, the
    fields a search looks in, and which items it keeps. ``list_page`` reads one; a route in
    ``handlers`` names one."""

    #: What the page markers are signed for (a marker pages only the listing that issued it),
    #: and the answer's list field unless ``key`` names another.
    name: str
    call: ListCall
    summary: Callable[[dict], dict]
    #: The item fields a search looks in (case ignored); none: the listing takes no search.
    search: tuple[str, ...] = ()
    #: The listing's own filter (items the panel can never use); None keeps every item.
    keep: Callable[[dict], bool] | None = None
    key: str | None = None
    #: Fields every answer carries besides the list and the marker.
    extra: dict = field(default_factory=dict)
    #: The answer when the server's role may not list (a 403); None: the 403 goes to the panel.
    when_denied: Callable[[AwsError], dict] | None = None


def list_page(listing: Listing, params: dict, marker: str | None = None, search: str = "") -> dict:
    """One page of ``listing`` (AWS's own page), with the request ``params`` the route read.

    When items are left out (by the listing's own filter, or for not holding ``search``), further
    AWS pages are read only until some are found or SEARCH_PAGE_LIMIT pages were read; the
    answer always carries AWS's marker, so the panel can ask for more.
    """
    call = listing.call
    needle = search.strip().lower()
    filtered = bool(needle) or listing.keep is not None
    found: list[dict] = []
    pages = 0
    while True:
        kwargs = {**params, **call.fixed}
        if marker:
            kwargs[call.token] = marker
        try:
            page = _call(call.service, call.action, call.method, **kwargs)
        except AwsError as err:
            if err.status == 403 and listing.when_denied is not None:
                return listing.when_denied(err)
            raise
        pages += 1
        for item in page.get(call.items, []):
            if listing.keep is not None and not listing.keep(item):
                continue
            if needle and not any(needle in item.get(name, "").lower() for name in listing.search):
                continue
            found.append(listing.summary(item))
        marker = call.next_token(page)
        if not filtered or found or not marker or pages >= SEARCH_PAGE_LIMIT:
            return {listing.key or listing.name: found, "marker": marker, **listing.extra}


# --- EMR clusters -------------------------------------------------------------------------------

ACTIVE_STATES = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
ALL_STATES = [*ACTIVE_STATES, "TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"]


def _cluster_summary(c: dict) -> dict:
    return {
        "id": c["Id"],
        "name": c.get("Name", ""),
        "state": c.get("Status", {}).get("State", ""),
        "releaseLabel": c.get("ReleaseLabel"),
        "created": _iso(c.get("Status", {}).get("Timeline", {}).get("CreationDateTime")),
    }


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


#: Clusters in the given states, AWS's page of up to 50; a search by id or name.
CLUSTERS = Listing(
    "clusters",
    ListCall("emr", "elasticmapreduce:ListClusters", "Clusters", "Marker"),
    _cluster_summary,
    search=("Id", "Name"),
)


def _configurations_say_ldap(configurations) -> bool:
    for conf in configurations or []:
        if conf.get("Classification") == "livy-conf":
            if str(conf.get("Properties", {}).get("livy.server.auth.type", "")).lower() == "ldap":
                return True
        if _configurations_say_ldap(conf.get("Configurations")):
            return True
    return False


def _security_configuration_has_kerberos(name: str) -> bool:
    try:
        body = _call(
            "emr",
            "elasticmapreduce:DescribeSecurityConfiguration",
            "describe_security_configuration",
            Name=name,
        ).get("SecurityConfiguration", "{}")
    except AwsError:
        return False
    try:
        conf = json.loads(body)
    except ValueError:
        return False
    return bool(conf.get("AuthenticationConfiguration", {}).get("KerberosConfiguration"))


def describe_cluster(cluster_id: str) -> dict:
    """Id, name, state, applications, master address and the detected auth type.

    Never returns KerberosAttributes: they hold the KDC admin password.
    """
    try:
        c = _call("emr", "elasticmapreduce:DescribeCluster", "describe_cluster", ClusterId=cluster_id)[
            "Cluster"
        ]
    except AwsError as err:
        if err.status == 400 and "not found" in err.message.lower() or err.code == "InvalidRequestException":
            raise AwsError(
                404, "ClusterNotFound", f"No EMR cluster {cluster_id} in this account and region."
            ) from err
        raise

    auth, reason = "None", "Livy has no authentication configured."
    if c.get("KerberosAttributes", {}).get("Realm") or (
        c.get("SecurityConfiguration") and _security_configuration_has_kerberos(c["SecurityConfiguration"])
    ):
        auth, reason = "Kerberos", "The cluster uses Kerberos."
    else:
        ldap = _configurations_say_ldap(c.get("Configurations"))
        if not ldap:
            groups = _call(
                "emr", "elasticmapreduce:ListInstanceGroups", "list_instance_groups", ClusterId=cluster_id
            )
            ldap = any(
                _configurations_say_ldap(g.get("Configurations")) for g in groups.get("InstanceGroups", [])
            )
        if ldap:
            auth, reason = "LDAP", "Livy is configured with livy.server.auth.type = ldap."

    apps = [a.get("Name", "") for a in c.get("Applications", [])]
    warnings = []
    for needed in ("Spark", "Livy"):
        if needed.lower() not in {a.lower() for a in apps}:
            warnings.append(f"{needed} is not installed on this cluster; %sm_analytics needs Spark and Livy.")
    return {
        **_cluster_summary(c),
        "applications": apps,
        "masterAddress": c.get("MasterPublicDnsName"),
        "authType": auth,
        "authReason": reason,
        "warnings": warnings,
    }


# --- Secrets Manager ----------------------------------------------------------------------------


def _tags(tags) -> dict:
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def _secret_summary(s: dict) -> dict:
    """Names, ARN, description, tags, last changed: never a value."""
    return {
        "name": s["Name"],
        "arn": s["ARN"],
        "description": s.get("Description", ""),
        "tags": _tags(s.get("Tags")),
        "lastChanged": _iso(s.get("LastChangedDate")),
    }


#: Secrets, filtered by AWS itself (by name and tag: see ``secret_filters``).
SECRETS = Listing(
    "secrets",
    ListCall("secretsmanager", "secretsmanager:ListSecrets", "SecretList", "NextToken", {"MaxResults": 50}),
    _secret_summary,
)


def secret_filters(name: str = "", tag_key: str = "", tag_value: str = "") -> dict:
    """ListSecrets' filters for a name prefix, a tag key and a tag value (each left out if empty)."""
    given = (("name", name), ("tag-key", tag_key), ("tag-value", tag_value))
    filters = [{"Key": key, "Values": [value]} for key, value in given if value]
    return {"Filters": filters} if filters else {}


def check_secret(secret_id: str) -> dict:
    """Facts about a secret, never its value: exists, readable, JSON, has the two keys, tags."""
    result = {
        "secretId": secret_id,
        "exists": False,
        "readable": False,
        "json": False,
        "hasUsername": False,
        "hasPassword": False,
        "tags": {},
        "arn": None,
    }
    try:
        meta = _call("secretsmanager", "secretsmanager:DescribeSecret", "describe_secret", SecretId=secret_id)
    except AwsError as err:
        if err.status == 404:
            return {**result, "problem": f"No secret {secret_id} in this account and region."}
        raise
    result.update(exists=True, arn=meta.get("ARN"), tags=_tags(meta.get("Tags")))
    try:
        value = _call(
            "secretsmanager", "secretsmanager:GetSecretValue", "get_secret_value", SecretId=secret_id
        )
    except AwsError as err:
        if err.status == 403:
            return {**result, "problem": err.message, "action": err.action}
        raise
    result["readable"] = True
    text = value.pop("SecretString", None)
    value.clear()
    if text is None:
        return {**result, "problem": "The secret is binary; %sm_analytics needs a JSON text secret."}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        # RecursionError: JSON nested too deeply for the parser is not a credentials object either.
        return {**result, "problem": 'The secret is not JSON; store {"username": ..., "password": ...}.'}
    finally:
        del text
    if not isinstance(data, dict):
        return {
            **result,
            "problem": 'The secret is not a JSON object; store {"username": ..., "password": ...}.',
        }
    result.update(json=True, hasUsername="username" in data, hasPassword="password" in data)
    del data
    if not (result["hasUsername"] and result["hasPassword"]):
        missing = [k for k in ("username", "password") if not result["has" + k.capitalize()]]
        return {**result, "problem": "The secret lacks the lowercase key(s): " + ", ".join(missing) + "."}
    return {**result, "problem": None}


def _created_with_token(name: str, token: str) -> dict | None:
    """The secret ``name`` if it has the version ``token``, i.e. this very request created it;
    None if it does not exist or is someone else's. Raises AwsError when AWS cannot tell."""
    try:
        meta = _call("secretsmanager", "secretsmanager:DescribeSecret", "describe_secret", SecretId=name)
    except AwsError as err:
        if err.status == 404:
            return None
        raise
    if token in (meta.get("VersionIdsToStages") or {}):
        return {"name": meta["Name"], "arn": meta["ARN"]}
    return None


def create_secret(
    name: str, username: str, password: str, description: str = "", user_identity: str = ""
) -> dict:
    """Stores the user's credentials as a JSON secret; returns its name and ARN only.

    Safe to retry: every attempt of one request carries the same ``ClientRequestToken``, which
    becomes the secret's first version id, so AWS takes a retry for the same request. When an
    attempt's answer was lost (a dropped connection, a timeout) or AWS answers "already exists",
    the secret is looked up: if it bears this request's token, this request created it.
    """
    token = str(uuid.uuid4())
    kwargs: dict = {
        "Name": name,
        "ClientRequestToken": token,
        "SecretString": json.dumps({"username": username, "password": password}),
    }
    if description:
        kwargs["Description"] = description
    if user_identity:
        kwargs["Tags"] = [{"Key": "user-identity", "Value": user_identity}]
    try:
        created = _call("secretsmanager", "secretsmanager:CreateSecret", "create_secret", **kwargs)
    except AwsError as err:
        exists = err.code == "ResourceExistsException"
        answer_lost = err.status in (502, 504)
        if not (exists or answer_lost):
            raise
        try:
            ours = _created_with_token(name, token)
        except AwsError:
            if not answer_lost:
                raise err from None
            raise AwsError(
                err.status,
                err.code,
                f"{err.message} The secret {name} may have been created all the same: look for it "
                "in the list before creating it again.",
            ) from err
        if ours:
            return ours
        if exists:
            raise AwsError(
                409, err.code, f"A secret named {name} already exists; choose another name."
            ) from err
        raise
    finally:
        kwargs.clear()
    return {"name": created["Name"], "arn": created["ARN"]}


# --- EMR Serverless -----------------------------------------------------------------------------

APPLICATION_STATES = ["CREATING", "CREATED", "STARTING", "STARTED", "STOPPING", "STOPPED", "TERMINATED"]
#: Every state an application can be connected to from: the magic starts a created or stopped one.
USABLE_APPLICATION_STATES = ["CREATED", "STARTING", "STARTED", "STOPPING", "STOPPED"]
#: The service principal an execution role's trust policy must admit.
SERVERLESS_PRINCIPAL = "emr-serverless.amazonaws.com"


def _application_summary(a: dict) -> dict:
    return {
        "id": a.get("id") or a.get("applicationId"),
        "name": a.get("name", ""),
        "state": a.get("state", ""),
        "stateDetails": a.get("stateDetails") or "",
        "releaseLabel": a.get("releaseLabel"),
        "type": a.get("type", ""),
        "architecture": a.get("architecture") or "X86_64",
        "created": _iso(a.get("createdAt")),
    }


def _is_spark(a: dict) -> bool:
    return str(a.get("type", "")).lower() == "spark"


#: Spark applications (Hive ones cannot run %sm_analytics) in the given states; a search by id or
#: name.
APPLICATIONS = Listing(
    "applications",
    ListCall(
        "emr-serverless", "emr-serverless:ListApplications", "applications", "nextToken", {"maxResults": 50}
    ),
    _application_summary,
    search=("id", "name"),
    keep=_is_spark,
)


def describe_application(application_id: str) -> dict:
    """The application's summary, whether it starts and stops by itself, and what a scheduled
    run would meet: a stopped application is started by the magic (StartApplication), which
    then waits at most 150 s for it."""
    try:
        a = _call(
            "emr-serverless", "emr-serverless:GetApplication", "get_application", applicationId=application_id
        )["application"]
    except AwsError as err:
        if err.status == 404 or err.code == "ValidationException":
            raise AwsError(
                404,
                "ApplicationNotFound",
                f"No EMR Serverless application {application_id} in this account and region.",
            ) from err
        raise
    auto_start = bool((a.get("autoStartConfiguration") or {}).get("enabled", True))
    auto_stop = a.get("autoStopConfiguration") or {}
    summary = _application_summary(a)
    warnings = []
    if not _is_spark(a):
        warnings.append(
            f"This is a {summary['type'] or 'non-Spark'} application; %sm_analytics connects to "
            "Spark applications only."
        )
    if summary["state"] == "TERMINATED":
        warnings.append("The application is terminated; no run can use it. Choose another.")
    elif summary["state"] != "STARTED":
        warnings.append(
            f"The application is {summary['state']}. The connect cell starts it "
            "(emr-serverless:StartApplication) and waits up to 150 s; a job's role needs that "
            "permission, and a start that takes longer fails the run."
        )
    return {
        **summary,
        "autoStart": auto_start,
        "autoStop": bool(auto_stop.get("enabled", True)),
        "idleTimeoutMinutes": auto_stop.get("idleTimeoutMinutes"),
        "warnings": warnings,
    }


def _admits(document, principal: str) -> bool:
    """Whether a trust policy lets ``principal`` (a service) assume the role."""
    if isinstance(document, str):
        try:
            document = json.loads(unquote(document))
        except ValueError:
            return False
    statements = (document or {}).get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    for s in statements:
        if not isinstance(s, dict) or s.get("Effect") != "Allow":
            continue
        actions = s.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        services = (
            (s.get("Principal") or {}).get("Service", []) if isinstance(s.get("Principal"), dict) else []
        )
        services = [services] if isinstance(services, str) else services
        if principal in services:
            return True
    return False


def _role_summary(r: dict) -> dict:
    return {
        "name": r["RoleName"],
        "arn": r["Arn"],
        "path": r.get("Path", "/"),
        "description": r.get("Description", ""),
    }


def _roles_not_listable(err: AwsError) -> dict:
    """The answer when the server's role may not list roles: the panel then offers a plain
    field, which is validated like any role ARN."""
    return {"roles": [], "marker": None, "canList": False, "action": err.action, "message": err.message}


#: IAM roles whose trust policy admits EMR Serverless, as execution roles; a search by name or
#: ARN. ``canList`` is False (with the action to add) when the server's role may not list roles.
EXECUTION_ROLES = Listing(
    "execution-roles",
    ListCall("iam", "iam:ListRoles", "Roles", "Marker", {"MaxItems": 100}, more="IsTruncated"),
    _role_summary,
    search=("RoleName", "Arn"),
    keep=lambda r: _admits(r.get("AssumeRolePolicyDocument"), SERVERLESS_PRINCIPAL),
    key="roles",
    extra={"canList": True},
    when_denied=_roles_not_listable,
)
