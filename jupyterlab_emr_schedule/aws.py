"""AWS access with the server's own credentials, and errors a user can act on.

One boto3 session per server; ``AWS_ENDPOINT_URL`` (honoured by botocore itself) points every
client at the embedded local AWS in the demo and the tests.
"""

from __future__ import annotations

import functools
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

#: Throttling is retried with backoff by botocore's adaptive mode.
CLIENT_CONFIG = Config(retries={"max_attempts": 5, "mode": "adaptive"}, connect_timeout=5, read_timeout=30)

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
