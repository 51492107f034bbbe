"""Properties over arbitrary input (hypothesis): no route answers 500 or gives away a password,
and the server's validators accept exactly what the panel's TypeScript validators accept.

The routes here talk to a local AWS of their own (seeded like the shared one), so the secrets
the generated bodies create stay out of the other tests' way. The TypeScript validators run in
Node, compiled as ``make`` compiles them for the fixtures (``.stamps/fixtures``).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

import local_aws
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
VALIDATE_JS = ROOT / ".stamps" / "fixtures" / "src" / "core" / "validate.js"
CANARY = local_aws.CANARY_PASSWORD

ROUTE_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
VALIDATOR_SETTINGS = settings(max_examples=400, deadline=None, database=None)


# --- the routes ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_aws(local_aws_endpoint):
    with local_aws.LocalAws() as aws:
        local_aws.seed(aws.endpoint)
        yield aws.endpoint


@pytest.fixture
def call(own_aws, monkeypatch, http_server_client, jp_auth_header, jp_base_url, jp_asyncio_loop):
    """A synchronous request (hypothesis drives plain functions); answers (status, body text)."""
    from jupyterlab_emr_schedule import aws

    monkeypatch.setenv("AWS_ENDPOINT_URL", own_aws)
    aws.reset()

    def fetch(method: str, path: str, query: dict | None = None, body: bytes | str | None = None):
        url = f"{jp_base_url}emr-schedule/{path}"
        if query:
            url += "?" + urlencode(query)
        response = jp_asyncio_loop.run_until_complete(
            http_server_client.fetch(
                url,
                method=method,
                body=body,
                headers=dict(jp_auth_header),
                raise_error=False,
                request_timeout=60,
            )
        )
        return response.code, response.body.decode("utf-8", "replace")

    yield fetch
    aws.reset()


def assert_safe(code: int, text: str, allowed: set[int]):
    assert code in allowed, (code, text[:300])
    assert CANARY not in text
    body = json.loads(text)
    assert isinstance(body, dict)
    if code >= 400:
        assert isinstance(body.get("message"), str) and body["message"]
        assert "Traceback" not in text


JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
#: Secret ids near the real ones, the canary's among them.
SECRET_IDS = st.one_of(
    st.sampled_from([s["Name"] for s in local_aws.SECRETS]),
    st.from_regex(r"emr/users/analyst-[0-9]{1,2}", fullmatch=True),
    st.text(max_size=80),
)


@ROUTE_SETTINGS
@given(
    cluster_id=st.one_of(st.text(min_size=1, max_size=80), st.from_regex(r"j-[A-Z0-9]{1,70}", fullmatch=True))
)
def test_any_cluster_id(call, cluster_id):
    code, text = call("GET", "clusters/" + quote(cluster_id, safe=""))
    assert_safe(code, text, {200, 400, 404})


@ROUTE_SETTINGS
@given(
    query=st.dictionaries(
        st.sampled_from(["states", "search", "marker", "other"]),
        st.one_of(st.text(max_size=80), st.sampled_from(["RUNNING", "WAITING,TERMINATED", ""])),
    ),
    path=st.sampled_from(["clusters", "secrets"]),
)
def test_any_listing_query(call, path, query):
    if path == "secrets":
        query = {({"states": "name", "search": "tagValue"}.get(k, k)): v for k, v in query.items()}
    code, text = call("GET", path, query)
    assert_safe(code, text, {200, 400})


@ROUTE_SETTINGS
@given(
    body=st.one_of(
        st.fixed_dictionaries({"secretId": SECRET_IDS}),
        st.dictionaries(st.sampled_from(["secretId", "SecretId", "x"]), JSON_VALUES, max_size=3),
        JSON_VALUES,
    )
)
def test_any_secret_check(call, body):
    code, text = call("POST", "secrets/check", body=json.dumps(body))
    assert_safe(code, text, {200, 400})


@ROUTE_SETTINGS
@given(raw=st.binary(max_size=200))
def test_any_bytes_as_a_body(call, raw):
    for path in ("secrets/check", "secrets"):
        code, text = call("POST", path, body=raw)
        assert_safe(code, text, {200, 201, 400, 409})


@ROUTE_SETTINGS
@given(
    body=st.dictionaries(
        st.sampled_from(["name", "description", "userIdentity", "username", "password", "extra"]),
        st.one_of(JSON_VALUES, st.from_regex(r"props/[a-z0-9]{1,12}", fullmatch=True)),
    ),
)
def test_any_create_body_never_echoes_the_password(call, body):
    # Whatever the password, the canary is in it: no answer may ever contain it.
    if isinstance(body.get("password"), str):
        body["password"] = CANARY + body["password"]
    code, text = call("POST", "secrets", body=json.dumps(body))
    assert_safe(code, text, {201, 400, 409})
    if code == 201:
        assert set(json.loads(text)) == {"name", "arn"}


# --- the validators against the TypeScript ones -----------------------------------------------

NODE_WORKER = r"""
const validate = require(process.argv[1]);
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', line => {
  const { fn, value } = JSON.parse(line);
  process.stdout.write(JSON.stringify(validate[fn](value)) + '\n');
});
"""


class TypeScriptValidators:
    """validate.ts, compiled, in one Node process answering one JSON line per question."""

    def __init__(self):
        if not VALIDATE_JS.exists():
            pytest.fail(f"{VALIDATE_JS} is missing: run `make .stamps/fixtures.done` first")
        self.node = subprocess.Popen(
            ["node", "-e", NODE_WORKER, str(VALIDATE_JS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="surrogatepass",
            env={**os.environ, "NODE_OPTIONS": ""},
        )

    def accepts(self, fn: str, value: str) -> bool:
        assert self.node.stdin and self.node.stdout
        # ensure_ascii: lone surrogates and every other code point reach Node intact.
        self.node.stdin.write(json.dumps({"fn": fn, "value": value}) + "\n")
        self.node.stdin.flush()
        return json.loads(self.node.stdout.readline()) is None

    def close(self):
        self.node.kill()
        self.node.wait()


@pytest.fixture(scope="module")
def ts():
    validators = TypeScriptValidators()
    yield validators
    validators.close()


def near(pattern: str, extra: str = "") -> st.SearchStrategy[str]:
    """Strings at and around a pattern's edge: valid ones, and valid ones with one character
    inserted or replaced (by any character, or by a look-alike: a Unicode digit for a digit, a
    letter of any script for a letter, a Unicode dash for "-"), or a newline appended."""
    valid = st.from_regex(pattern, fullmatch=True)
    tricky = st.one_of(
        st.characters(),
        st.characters(categories=["Nd", "Pd", "Zs", "Cc"]),
        st.sampled_from(list("\n\r\t '\"{}$\\`;:/" + extra)),
    )

    def look_alike(ch: str) -> st.SearchStrategy[str]:
        if ch.isdigit():
            return st.characters(categories=["Nd"])
        if ch.isalpha():
            return st.characters(categories=["Lu", "Ll", "Lo"])
        if ch == "-":
            return st.characters(categories=["Pd"])
        return tricky

    @st.composite
    def mutated(draw):
        text = draw(valid)
        i = draw(st.integers(0, len(text) - 1))
        how = draw(st.sampled_from(["insert", "replace", "look-alike", "look-alike", "newline"]))
        if how == "newline":
            return text + "\n"
        if how == "look-alike":
            return text[:i] + draw(look_alike(text[i])) + text[i + 1 :]
        return text[:i] + draw(tricky) + text[i + (how == "replace") :]

    return st.one_of(valid, mutated(), mutated(), mutated(), st.text(max_size=40))


def agree(ts, fn: str, python_accepts: bool, value: str):
    assert python_accepts == ts.accepts(fn, value), (
        f"{fn}({value!r}): Python {'accepts' if python_accepts else 'refuses'}, TypeScript does not"
    )


@VALIDATOR_SETTINGS
@given(value=near(r"j-[A-Z0-9]{1,64}", "\u0458\u2010"))
def test_cluster_id_validators_agree(ts, value):
    from jupyterlab_emr_schedule.handlers import CLUSTER_ID

    agree(ts, "validateClusterId", bool(CLUSTER_ID.fullmatch(value)), value)


@VALIDATOR_SETTINGS
@given(
    value=st.one_of(
        near(r"[A-Za-z0-9/_+=.@-]{1,40}"),
        near(r"arn:aws:secretsmanager:us-east-1:[0-9]{12}:secret:emr/[a-z]{1,8}-[A-Za-z0-9]{6}"),
        near(r"arn:aws-us-gov:secretsmanager:us-gov-west-1:[0-9]{12}:secret:[a-z]{1,8}"),
    )
)
def test_secret_id_validators_agree(ts, value):
    from jupyterlab_emr_schedule.handlers import SECRET_ID, SECRET_NAME

    agree(ts, "validateSecretId", bool(SECRET_ID.fullmatch(value)), value)
    if not value.startswith("arn:"):
        # The create route names secrets with the same rule the panel checks.
        agree(ts, "validateSecretId", bool(SECRET_NAME.fullmatch(value)), value)


@VALIDATOR_SETTINGS
@given(value=near(r"[A-Za-z_][A-Za-z0-9_]{0,20}"))
def test_env_var_name_validators_agree(ts, value):
    """The scheduler exports exactly the job variables whose names the panel accepts."""
    from jupyterlab_emr_schedule.scheduler import environment_from_parameters

    exported = value in environment_from_parameters({value: "v"})
    agree(ts, "validateEnvVarName", exported, value)


def test_the_worker_tells_valid_from_invalid(ts):
    """The comparison above is only as good as this: the TypeScript side really answers."""
    assert ts.accepts("validateClusterId", "j-2AXXXXXXGAPLF")
    assert not ts.accepts("validateClusterId", "j-2AXXXXXXGAPLF\n")
    arabic_account = "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662"
    assert ts.accepts("validateSecretId", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x")
    assert not ts.accepts("validateSecretId", f"arn:aws:secretsmanager:us-east-1:{arabic_account}:secret:x")
    assert ts.accepts("validateEnvVarName", "cluster_id")
    assert not ts.accepts("validateEnvVarName", "cluster_id\n")


# --- the log ------------------------------------------------------------------------------------


async def test_no_log_record_holds_a_password_even_at_debug(jp_fetch, caplog, local_aws_endpoint):
    """With every logger at DEBUG (botocore's included, which logs request parameters and
    response bodies), checking the canary's secret and creating one leave no password behind."""
    caplog.set_level(logging.DEBUG)
    check = await jp_fetch(
        "emr-schedule",
        "secrets",
        "check",
        method="POST",
        body=json.dumps({"secretId": "emr/users/analyst-1"}),
    )
    assert json.loads(check.body)["hasPassword"]
    name = f"properties/log-{uuid.uuid4().hex[:8]}"
    created = await jp_fetch(
        "emr-schedule",
        "secrets",
        method="POST",
        body=json.dumps({"name": name, "username": "u", "password": CANARY}),
    )
    assert created.code == 201
    records = list(caplog.records)
    stored = local_aws.client("secretsmanager", local_aws_endpoint).get_secret_value(SecretId=name)
    assert CANARY in stored["SecretString"], "the secret holds the password: only the log must not"
    assert any(r.name.startswith("botocore") and r.levelno == logging.DEBUG for r in records)
    leaks = [(r.name, r.getMessage()[:120]) for r in records if CANARY in r.getMessage()]
    assert not leaks, leaks
