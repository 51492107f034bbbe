"""Hostile and malformed input through every route: a clear 4xx in JSON, never a 500.

One table, run against one server: each row is a request a confused user, a broken client or an
attacker could send. Each must get a 4xx JSON answer with a plain ``message`` (and, for a 400,
the ``field`` at fault), no traceback in the body or in the server log; after the whole table
the server still answers.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import local_aws
import pytest
from tornado.iostream import StreamClosedError

MB = 1024 * 1024
#: Large, but inside the 64 KiB tornado allows for a request's headers, so it reaches a handler.
BIG_QUERY = 60_000


@dataclass
class Row:
    id: str
    method: str
    #: path below <base_url>emr-schedule/, already URL-encoded as it goes on the wire
    path: str
    query: dict | None = None
    body: bytes | str | None = None
    status: int = 400
    #: the field a 400 must name
    field: str | None = None


def cluster(raw: str, field="clusterId", status=400, id=None) -> Row:
    return Row(
        id or f"cluster id {raw[:30]!r}", "GET", "clusters/" + quote(raw, safe=""), None, None, status, field
    )


def cluster_raw(encoded: str, id: str, field="clusterId", status=400) -> Row:
    return Row(id, "GET", "clusters/" + encoded, None, None, status, field)


def application(raw: str, field="applicationId", status=400, id=None) -> Row:
    return Row(
        id or f"application id {raw[:30]!r}",
        "GET",
        "serverless/applications/" + quote(raw, safe=""),
        None,
        None,
        status,
        field,
    )


def listing(path: str, query: dict, field: str, id: str, status=400) -> Row:
    return Row(id, "GET", path, query, None, status, field)


def check(body, field: str, id: str, status=400) -> Row:
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    return Row(id, "POST", "secrets/check", None, body, status, field)


GOOD_SECRET = {"name": "bad-input/never-created", "username": "u", "password": "p"}


def create(changes: dict, field: str, id: str, drop=()) -> Row:
    body = {**GOOD_SECRET, **changes}
    for key in drop:
        body.pop(key)
    return Row(id, "POST", "secrets", None, json.dumps(body), 400, field)


def create_raw(body, field: str, id: str) -> Row:
    return Row(id, "POST", "secrets", None, body, 400, field)


TABLE: list[Row] = [
    # Cluster ids in the path.
    cluster("j-ABC DEF"),
    cluster("j-ABC'DEF"),
    cluster('j-ABC"DEF'),
    cluster("j-{ABC}"),
    cluster("j-ABC\nDEF", id="cluster id with a newline"),
    cluster("j-ABC\x00", id="cluster id with NUL"),
    cluster("j\u2010ABCDEF", id="cluster id with a Unicode hyphen"),
    cluster("j\u2014ABCDEF", id="cluster id with an em dash"),
    cluster("\u0458-ABCDEF", id="cluster id with a Cyrillic je"),
    cluster("j-\u0410BCDEF", id="cluster id with a Cyrillic A"),
    cluster("j-\uff21BCDEF", id="cluster id with a fullwidth A"),
    cluster("j-abcdef", id="cluster id in lowercase"),
    cluster("j-" + "A" * 65, id="cluster id too long"),
    cluster("j-", id="cluster id j- alone"),
    cluster("j-" + "A" * 30_000, id="cluster id of 30 KB"),
    cluster_raw("..%2f..%2fidentity", "path traversal with an encoded slash"),
    cluster_raw("..%2F..%2F..%2Fetc%2Fpasswd", "path traversal to /etc/passwd"),
    cluster_raw("j-ABC%2FDEF", "encoded slash inside a cluster id"),
    cluster_raw("%ff%fe", "cluster id that is not UTF-8"),
    cluster("j-DOESNOTEXIST9", field=None, status=404, id="unknown cluster"),
    # Cluster listing: state filter, search, marker.
    listing("clusters", {"states": "EXPLODED"}, "states", "unknown state"),
    listing("clusters", {"states": "running"}, "states", "state in lowercase"),
    listing("clusters", {"states": ",,,"}, "states", "states of commas only"),
    listing("clusters", {"states": "RUNNING;DROP TABLE clusters"}, "states", "state with SQL"),
    listing("clusters", {"states": "RUNNING\nWAITING"}, "states", "states split by a newline"),
    listing("clusters", {"search": "analy\ntics"}, "search", "search with a newline"),
    listing("clusters", {"search": "x" * 1000}, "search", "search of 1000 characters"),
    listing("clusters", {"search": "x" * BIG_QUERY}, "search", "search of 60 KB"),
    listing("clusters", {"marker": "garbage"}, "marker", "garbage marker"),
    listing("clusters", {"marker": "bm90LWE.bWFj"}, "marker", "marker with a short signature"),
    listing(
        "clusters", {"marker": "bm90LWE.AAAAAAAAAAAAAAAAAAAAAA"}, "marker", "marker with a forged signature"
    ),
    listing("clusters", {"marker": "m" * BIG_QUERY}, "marker", "marker of 60 KB"),
    listing("clusters", {"marker": '{"$ne": null}'}, "marker", "marker that is JSON"),
    # Secret listing filters.
    listing("secrets", {"name": "{braces}"}, "name", "secret name filter with braces"),
    listing("secrets", {"name": "caf\u00e9"}, "name", "secret name filter with an accent"),
    listing("secrets", {"name": "a\u200bb"}, "name", "secret name filter with a zero-width space"),
    listing("secrets", {"tagKey": "user\nidentity"}, "tagKey", "tag key with a newline"),
    listing("secrets", {"tagValue": "v" * 600}, "tagValue", "tag value of 600 characters"),
    listing("secrets", {"marker": "0"}, "marker", "secrets marker that is a bare AWS token"),
    # Secret check bodies.
    check("not json", "body", "check: body not JSON"),
    check("[1, 2]", "body", "check: body a JSON array"),
    check('"emr/users/analyst-1"', "body", "check: body a JSON string"),
    check("null", "body", "check: body null"),
    check("42", "body", "check: body a number"),
    check("[" * 100_000 + "]" * 100_000, "body", "check: JSON nested 100000 deep"),
    check(b'{"secretId": "\xff\xfe"}', "body", "check: body not UTF-8"),
    check('{"secretId": "emr\\ud800"}', "secretId", "check: lone surrogate in the id"),
    check("", "secretId", "check: empty body"),
    check({"secretId": 5}, "secretId", "check: id a number"),
    check({"secretId": ["emr/users/analyst-1"]}, "secretId", "check: id a list"),
    check({"secretId": None}, "secretId", "check: id null"),
    check({"secretId": {"$gt": ""}}, "secretId", "check: id an object"),
    check({"secretId": "has space"}, "secretId", "check: id with a space"),
    check({"secretId": "emr/users/analyst-1\n"}, "secretId", "check: id with a trailing newline"),
    check({"secretId": "emr/users/analyst-1'); import os; ('"}, "secretId", "check: id with code"),
    check({"secretId": "s" * 513}, "secretId", "check: id of 513 characters"),
    check({"secretId": "s" * MB}, "secretId", "check: id of 1 MB"),
    check(
        {
            "secretId": "arn:aws:secretsmanager:us-east-1:\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"
            "\u0669\u0660\u0661\u0662:secret:x"
        },
        "secretId",
        "check: ARN with Arabic-Indic digits",
    ),
    check(
        {"secretId": "arn:aws:secretsmanager:us-east-1:123:secret:x"}, "secretId", "check: ARN, short account"
    ),
    check({"secretId": "emr/users/analyst-1", "extra": 1}, "extra", "check: unknown field"),
    # Create-secret bodies.
    create({"name": "has space"}, "name", "create: name with a space"),
    create({"name": "emr/\u00fcnic\u00f6de"}, "name", "create: name with accents"),
    create({"name": "emr/users/x;rm -rf"}, "name", "create: name with a semicolon"),
    create({"name": "n" * 513}, "name", "create: name of 513 characters"),
    create({"name": "n" * MB}, "name", "create: name of 1 MB"),
    create({"name": 12}, "name", "create: name a number"),
    create({"username": "a\nb"}, "username", "create: user name with a newline"),
    create({"username": 7}, "username", "create: user name a number"),
    create({"username": ["u"]}, "username", "create: user name a list"),
    create({}, "password", "create: no password", drop=("password",)),
    create({"password": "p" * MB}, "password", "create: password of 1 MB"),
    create({"password": "pa\x00ss"}, "password", "create: password with NUL"),
    create({"password": {"value": "p"}}, "password", "create: password an object"),
    create({"userIdentity": "<script>alert(1)</script>"}, "userIdentity", "create: tag value with markup"),
    create({"description": "line\nbreak"}, "description", "create: description with a newline"),
    create({"pasword": "typo"}, "pasword", "create: misspelt field"),
    create({"Tags": [{"Key": "admin", "Value": "true"}]}, "Tags", "create: extra Tags field"),
    create_raw("{}", "name", "create: empty object"),
    create_raw("[]", "body", "create: JSON array"),
    create_raw("x" * MB, "body", "create: 1 MB of garbage"),
    create_raw('{"name": "a", "name": ', "body", "create: truncated JSON"),
    # EMR Serverless: application ids, listings, execution roles.
    application("j-1ABCDEFGHIJKL", id="application id that is a cluster id"),
    application("00FABC", id="application id in capitals"),
    application("a" * 65, id="application id too long"),
    application("00f'); import os; ('", id="application id with code"),
    application("00f\nabc", id="application id with a newline"),
    Row(
        "encoded slash inside an application id",
        "GET",
        "serverless/applications/00f%2Fabc",
        field="applicationId",
    ),
    Row("application id that is not UTF-8", "GET", "serverless/applications/%ff%fe", field="applicationId"),
    application("0000nosuchapp000", field=None, status=404, id="unknown application"),
    listing("serverless/applications", {"states": "RUNNING"}, "states", "application state of a cluster"),
    listing("serverless/applications", {"states": ",,"}, "states", "application states of commas only"),
    listing("serverless/applications", {"search": "x" * BIG_QUERY}, "search", "application search of 60 KB"),
    listing("serverless/applications", {"marker": "garbage"}, "marker", "garbage application marker"),
    listing("serverless/execution-roles", {"search": "a\tb"}, "search", "role search with a tab"),
    listing("serverless/execution-roles", {"marker": "0"}, "marker", "roles marker that is a bare AWS token"),
    Row("POST on applications", "POST", "serverless/applications", body="{}", status=405),
    # Methods the routes do not have.
    Row("DELETE on secrets", "DELETE", "secrets", status=405),
    Row("PUT on clusters", "PUT", "clusters", body="{}", status=405),
    Row("POST on identity", "POST", "identity", body="{}", status=405),
]


def test_the_table_is_large_and_its_ids_unique():
    assert len(TABLE) >= 40
    assert len({row.id for row in TABLE}) == len(TABLE)


@pytest.fixture
def call(http_server_client, jp_auth_header, jp_base_url):
    async def fetch(method: str, path: str, query: dict | None = None, body=None):
        url = f"{jp_base_url}emr-schedule/{path}"
        if query:
            url += "?" + urlencode(query)
        return await http_server_client.fetch(
            url,
            method=method,
            body=body,
            headers=dict(jp_auth_header),
            raise_error=False,
            allow_nonstandard_methods=True,
            request_timeout=60,
        )

    return fetch


def problems_with(row: Row, response) -> list[str]:
    """What is wrong with the answer to one row (nothing, for a good answer)."""
    text = response.body.decode("utf-8", "replace") if response.body else ""
    found = []
    if response.code != row.status:
        found.append(f"status {response.code}, expected {row.status}: {text[:300]}")
    if "Traceback" in text or 'File "' in text:
        found.append("a traceback in the body")
    try:
        body = json.loads(text)
    except ValueError:
        return [*found, f"not JSON: {text[:200]!r}"]
    if not isinstance(body, dict) or not isinstance(body.get("message"), str) or not body["message"]:
        return [*found, f"no message: {body!r}"[:300]]
    if row.field is not None and body.get("field") != row.field:
        found.append(f"field {body.get('field')!r}, expected {row.field!r}")
    if len(body["message"]) > 300:
        found.append("a message of more than 300 characters (does it echo the input?)")
    if local_aws.CANARY_PASSWORD in text:
        found.append("the canary password")
    return found


async def test_every_hostile_input_gets_a_clear_4xx(call, caplog, local_aws_endpoint):
    caplog.set_level(logging.DEBUG)
    failures = {}
    for row in TABLE:
        response = await call(row.method, row.path, row.query, row.body)
        problems = problems_with(row, response)
        if problems:
            failures[row.id] = problems
    assert not failures, json.dumps(failures, indent=1)

    # Nothing the table sent was created, and the server still answers.
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    assert not sm.list_secrets(Filters=[{"Key": "name", "Values": ["bad-input/"]}])["SecretList"]
    identity = await call("GET", "identity")
    assert identity.code == 200 and json.loads(identity.body)["account"] == local_aws.ACCOUNT

    tracebacks = [r.getMessage()[:300] for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert not tracebacks, tracebacks
    errors = [r.getMessage()[:300] for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors


async def test_a_1_mb_query_string_is_refused_before_any_handler(call, caplog):
    """tornado caps a request's headers at 64 KiB: a 1 MB query never reaches a handler."""
    caplog.set_level(logging.DEBUG)
    for path, name in (("clusters", "search"), ("secrets", "name"), ("clusters", "marker")):
        try:
            response = await call("GET", path, {name: "q" * MB})
        except (OSError, StreamClosedError):
            continue  # the server closed the connection: refused
        # Or it answered 4xx; never a server error.
        assert response.code == 599 or 400 <= response.code < 500, response.code
    assert (await call("GET", "identity")).code == 200
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_marker_only_works_for_the_listing_that_issued_it(call, local_aws_endpoint):
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    for i in range(55):
        try:
            sm.create_secret(Name=f"marker-binding/s-{i:02d}", SecretString="{}")
        except sm.exceptions.ResourceExistsException:
            pass
    first = json.loads((await call("GET", "secrets", {"name": "marker-binding/"})).body)
    assert first["marker"]
    # Handed back to the listing that issued it, it pages on.
    second = await call("GET", "secrets", {"name": "marker-binding/", "marker": first["marker"]})
    assert second.code == 200 and json.loads(second.body)["secrets"]
    # Handed to another listing, or altered by one character, it is refused.
    other = await call("GET", "clusters", {"marker": first["marker"]})
    assert other.code == 400 and json.loads(other.body)["field"] == "marker"
    body, mac = first["marker"].split(".")
    flipped = ("A" if body[0] != "A" else "B") + body[1:] + "." + mac
    altered = await call("GET", "secrets", {"name": "marker-binding/", "marker": flipped})
    assert altered.code == 400 and json.loads(altered.body)["field"] == "marker"
