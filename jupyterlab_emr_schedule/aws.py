"""AWS access with the server's own credentials, and errors a user can act on.

One boto3 session per server; ``AWS_ENDPOINT_URL`` (honoured by botocore itself) points every
client at the embedded local AWS in the demo and the tests.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from dataclasses import dataclass, field

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)

#: Throttling and 5xx are retried with jittered exponential backoff (botocore standard mode).
CLIENT_CONFIG = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30)

_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def session() -> boto3.session.Session:
    return boto3.session.Session()


def client(service: str):
    with _lock:
        sess = session()
        region = sess.region_name or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        return sess.client(service, region_name=region, config=CLIENT_CONFIG)


@dataclass
class AwsError(Exception):
    """An AWS failure translated for the panel: status, code, plain message, and a fix."""

    status: int
    code: str
    message: str
    action: str | None = None
    policy: dict | None = field(default=None)

    def to_json(self) -> dict:
        body: dict = {"code": self.code, "message": self.message}
        if self.action:
            body["action"] = self.action
        if self.policy:
            body["policy"] = self.policy
        return body


ACCESS_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
}
THROTTLED = {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}
NOT_FOUND = {"ResourceNotFoundException", "NoSuchEntity", "ClusterNotFound"}


def translate(exc: Exception, action: str) -> AwsError:
    """Turns a botocore exception raised while calling ``action`` (e.g. ``sts:GetCallerIdentity``)."""
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return AwsError(
            401,
            "NoCredentials",
            "The Jupyter server has no AWS credentials. Configure them for the server "
            "(an instance or execution role, `aws configure`, or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY) and restart it.",
        )
    if isinstance(exc, NoRegionError):
        return AwsError(
            400, "NoRegion", "No AWS region is set for the Jupyter server. Set AWS_REGION and restart it."
        )
    if isinstance(exc, EndpointConnectionError):
        return AwsError(
            502,
            "EndpointUnreachable",
            f"AWS could not be reached ({exc}). Check the network and AWS_ENDPOINT_URL.",
        )
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = err.get("Code", "Unknown")
        text = err.get("Message", "")
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
        if code in {"ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId"}:
            return AwsError(
                401, code, "The server's AWS credentials have expired or are invalid; refresh them."
            )
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 502)
        return AwsError(status if 400 <= status < 600 else 502, code, text or f"{action} failed.")
    if isinstance(exc, BotoCoreError):
        return AwsError(502, type(exc).__name__, f"{action} failed: {exc}")
    raise exc


def identity() -> dict:
    try:
        who = client("sts").get_caller_identity()
    except Exception as exc:  # noqa: BLE001 - translated or re-raised
        raise translate(exc, "sts:GetCallerIdentity") from exc
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


# --- EMR clusters -------------------------------------------------------------------------------

ACTIVE_STATES = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
ALL_STATES = [*ACTIVE_STATES, "TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"]
#: Most AWS pages a search may read before it answers with what it found and a marker.
SEARCH_PAGE_LIMIT = 10


def _call(service: str, action: str, method: str, **kwargs):
    try:
        return getattr(client(service), method)(**kwargs)
    except Exception as exc:  # noqa: BLE001 - translated or re-raised
        raise translate(exc, action) from exc


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


def list_clusters(states: list[str], marker: str | None = None, search: str = "") -> dict:
    """One page of clusters (AWS's own page of up to 50); with ``search``, only matching ones.

    A search reads further pages only until it has matches or reaches SEARCH_PAGE_LIMIT pages,
    and always hands back AWS's marker so the panel can ask for more.
    """
    needle = search.strip().lower()
    found: list[dict] = []
    pages = 0
    while True:
        kwargs = {"ClusterStates": states}
        if marker:
            kwargs["Marker"] = marker
        page = _call("emr", "elasticmapreduce:ListClusters", "list_clusters", **kwargs)
        pages += 1
        for c in page.get("Clusters", []):
            if not needle or needle in c["Id"].lower() or needle in c.get("Name", "").lower():
                found.append(_cluster_summary(c))
        marker = page.get("Marker")
        if not needle or found or not marker or pages >= SEARCH_PAGE_LIMIT:
            return {"clusters": found, "marker": marker}


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
        c = client("emr").describe_cluster(ClusterId=cluster_id)["Cluster"]
    except Exception as exc:  # noqa: BLE001 - translated or re-raised
        err = translate(exc, "elasticmapreduce:DescribeCluster")
        if err.status == 400 and "not found" in err.message.lower() or err.code == "InvalidRequestException":
            raise AwsError(
                404, "ClusterNotFound", f"No EMR cluster {cluster_id} in this account and region."
            ) from exc
        raise err from exc

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


def list_secrets(marker: str | None = None, name: str = "", tag_key: str = "", tag_value: str = "") -> dict:
    """One page of secrets: names, ARNs, descriptions, tags, last changed. Never a value."""
    filters = []
    if name:
        filters.append({"Key": "name", "Values": [name]})
    if tag_key:
        filters.append({"Key": "tag-key", "Values": [tag_key]})
    if tag_value:
        filters.append({"Key": "tag-value", "Values": [tag_value]})
    kwargs: dict = {"MaxResults": 50}
    if filters:
        kwargs["Filters"] = filters
    if marker:
        kwargs["NextToken"] = marker
    page = _call("secretsmanager", "secretsmanager:ListSecrets", "list_secrets", **kwargs)
    return {
        "secrets": [
            {
                "name": s["Name"],
                "arn": s["ARN"],
                "description": s.get("Description", ""),
                "tags": _tags(s.get("Tags")),
                "lastChanged": _iso(s.get("LastChangedDate")),
            }
            for s in page.get("SecretList", [])
        ],
        "marker": page.get("NextToken"),
    }


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
        meta = client("secretsmanager").describe_secret(SecretId=secret_id)
    except Exception as exc:  # noqa: BLE001 - translated or re-raised
        err = translate(exc, "secretsmanager:DescribeSecret")
        if err.status == 404:
            return {**result, "problem": f"No secret {secret_id} in this account and region."}
        raise err from exc
    result.update(exists=True, arn=meta.get("ARN"), tags=_tags(meta.get("Tags")))
    try:
        value = client("secretsmanager").get_secret_value(SecretId=secret_id)
    except Exception as exc:  # noqa: BLE001 - translated or re-raised
        err = translate(exc, "secretsmanager:GetSecretValue")
        if err.status == 403:
            return {**result, "problem": err.message, "action": err.action}
        raise err from exc
    result["readable"] = True
    text = value.get("SecretString")
    if text is None:
        return {**result, "problem": "The secret is binary; %sm_analytics needs a JSON text secret."}
    try:
        data = json.loads(text)
    except ValueError:
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


def create_secret(
    name: str, username: str, password: str, description: str = "", user_identity: str = ""
) -> dict:
    """Stores the user's credentials as a JSON secret; returns its name and ARN only."""
    kwargs: dict = {
        "Name": name,
        "SecretString": json.dumps({"username": username, "password": password}),
    }
    if description:
        kwargs["Description"] = description
    if user_identity:
        kwargs["Tags"] = [{"Key": "user-identity", "Value": user_identity}]
    try:
        created = client("secretsmanager").create_secret(**kwargs)
    except Exception as exc:  # noqa: BLE001 - translated or re-raised
        err = translate(exc, "secretsmanager:CreateSecret")
        if err.code == "ResourceExistsException":
            raise AwsError(
                409, err.code, f"A secret named {name} already exists; choose another name."
            ) from exc
        raise err from exc
    finally:
        kwargs.clear()
    return {"name": created["Name"], "arn": created["ARN"]}
