"""The admin command line (``emr-schedule-admin``) against the embedded local AWS.

Creates secrets through the compiled CLI, reads them back with boto3, compares its secret check
with the server's, and checks that bad input fails in one line and no password is ever printed.
"""

from __future__ import annotations

import functools
import json
import os
import pty
import re
import select
import socket
import subprocess
import time
import uuid
from pathlib import Path

import local_aws
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "bin" / "emr-schedule-admin.js"
BUILT = ROOT / "lib" / "cli" / "admin" / "cli.js"
CLI_SOURCES = [ROOT / "src" / "admin", ROOT / "src" / "core", ROOT / "tsconfig.admin.json"]

ROLE = f"arn:aws:iam::{local_aws.ACCOUNT}:role/emr-notebook-jobs"
PASSWORD = "Adm1n-CLI-pw-5b1d7e-never-printed"
KINDS = [
    "secret-shared",
    "secret-per-user",
    "execution-role-secret",
    "execution-role-user-secrets",
    "server-routes",
    "serverless-execution-trust",
    "serverless-job-role",
    "spark-redshift-provisioned",
    "spark-redshift-serverless",
    "redshift-copy-trust",
    "redshift-copy-s3",
]


@functools.lru_cache(maxsize=1)
def compiled_cli() -> Path:
    """The CLI's executable, compiled first (``tsc -p tsconfig.admin.json``) when its output is
    missing or older than any of its sources."""
    files = [p for src in CLI_SOURCES for p in ([src] if src.is_file() else src.rglob("*")) if p.is_file()]
    newest = max(p.stat().st_mtime for p in files)
    if not BUILT.exists() or BUILT.stat().st_mtime < newest:
        done = subprocess.run(
            ["npx", "tsc", "-p", "tsconfig.admin.json"], cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            pytest.fail(f"compiling the admin CLI failed:\n{done.stdout}\n{done.stderr}")
    return CLI


def run_cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["node", str(compiled_cli()), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


@pytest.fixture
def aws_env(local_aws_endpoint) -> dict[str, str]:
    return {**os.environ, **local_aws.aws_env(local_aws_endpoint)}


@pytest.fixture
def sm(local_aws_endpoint):
    return local_aws.client("secretsmanager", local_aws_endpoint)


def unique_name(label: str) -> str:
    return f"admin-cli/{uuid.uuid4().hex[:12]}/{label}"


def assert_one_line_failure(done: subprocess.CompletedProcess, code: int, message: str) -> None:
    assert done.returncode == code, done
    assert done.stdout == "" or code == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("emr-schedule-admin: ")
    assert re.search(message, lines[0]), lines[0]
    assert "    at " not in done.stderr


def assert_never_printed(done: subprocess.CompletedProcess, secret: str = PASSWORD) -> None:
    assert secret not in done.stdout
    assert secret not in done.stderr


def resource_policy(sm, secret_id: str) -> dict | None:
    text = sm.get_resource_policy(SecretId=secret_id).get("ResourcePolicy")
    return json.loads(text) if text else None


def cli_policy(kind: str, *args: str) -> dict:
    done = run_cli("policy", kind, *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- create-secret and check-secret --------------------------------------------------------------


def test_create_then_check_round_trip(aws_env, sm):
    """The SDK for JavaScript follows AWS_ENDPOINT_URL: boto3 finds the secret in the local AWS."""
    name = unique_name("analyst-9")
    created = run_cli(
        "create-secret",
        "--name",
        name,
        "--username",
        "analyst-9",
        "--user-identity",
        "analyst-9",
        "--description",
        "Credentials of analyst-9",
        "--role-arn",
        ROLE,
        stdin=PASSWORD,
        env=aws_env,
    )
    assert created.returncode == 0, created.stderr
    assert_never_printed(created)
    ref = json.loads(created.stdout)
    assert set(ref) == {"name", "arn"} and ref["name"] == name
    assert ref["arn"].startswith(
        f"arn:aws:secretsmanager:{local_aws.REGION}:{local_aws.ACCOUNT}:secret:{name}-"
    )
    assert "Created the secret" in created.stderr and "per-user" in created.stderr

    meta = sm.describe_secret(SecretId=name)
    assert meta["ARN"] == ref["arn"]
    assert meta["Description"] == "Credentials of analyst-9"
    assert {t["Key"]: t["Value"] for t in meta["Tags"]} == {"user-identity": "analyst-9"}
    assert json.loads(sm.get_secret_value(SecretId=name)["SecretString"]) == {
        "username": "analyst-9",
        "password": PASSWORD,
    }
    policy = resource_policy(sm, name)
    assert policy == cli_policy("secret-per-user", "--role-arn", ROLE)
    assert policy["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/user-identity": "${aws:PrincipalTag/user-identity}"}
    }

    checked = run_cli("check-secret", name, env=aws_env)
    assert checked.returncode == 0, checked.stderr
    assert_never_printed(checked)
    assert "Readable; has username and password; tagged user-identity=analyst-9" in checked.stdout
    assert ref["arn"] in checked.stdout

    as_json = run_cli("check-secret", "--json", ref["arn"], env=aws_env)
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == {
        "secretId": ref["arn"],
        "arn": ref["arn"],
        "exists": True,
        "readable": True,
        "json": True,
        "hasUsername": True,
        "hasPassword": True,
        "tags": {"user-identity": "analyst-9"},
        "problem": None,
    }


def test_update_of_an_existing_secret_keeps_its_arn(aws_env, sm):
    name = unique_name("rotated")
    first = run_cli("create-secret", "--name", name, "--username", "etl", stdin="first-pw-1", env=aws_env)
    assert first.returncode == 0, first.stderr
    assert "Created" in first.stderr
    assert resource_policy(sm, name) is None  # --policy defaults to none without a role or tag

    # `echo` adds a line break: it is not part of the password.
    second = run_cli(
        "create-secret",
        "--name",
        name,
        "--username",
        "etl-2",
        "--user-identity",
        "etl-team",
        "--description",
        "rotated",
        stdin=PASSWORD + "\n",
        env=aws_env,
    )
    assert second.returncode == 0, second.stderr
    assert_never_printed(second)
    assert "Updated the secret" in second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert json.loads(sm.get_secret_value(SecretId=name)["SecretString"]) == {
        "username": "etl-2",
        "password": PASSWORD,
    }
    meta = sm.describe_secret(SecretId=name)
    assert meta["Description"] == "rotated"
    assert {t["Key"]: t["Value"] for t in meta["Tags"]} == {"user-identity": "etl-team"}
    # per-user without a role: the account's identity policies decide.
    assert resource_policy(sm, name)["Statement"][0]["Principal"] == {
        "AWS": f"arn:aws:iam::{local_aws.ACCOUNT}:root"
    }


def test_shared_policy_names_the_execution_role(aws_env, sm):
    name = unique_name("shared")
    done = run_cli(
        "create-secret", "--name", name, "--username", "team", "--role-arn", ROLE, stdin=PASSWORD, env=aws_env
    )
    assert done.returncode == 0, done.stderr
    assert "shared resource policy" in done.stderr
    assert resource_policy(sm, name) == cli_policy("secret-shared", "--role-arn", ROLE)


@pytest.fixture
def problem_secrets(sm) -> dict[str, str]:
    """Secrets a scheduled job could not use, by what is wrong with them."""
    prefix = unique_name("check")
    made = {
        "not-json": {"SecretString": "username=a password=b"},
        "array": {"SecretString": json.dumps(["username", "password"])},
        "no-password": {"SecretString": json.dumps({"username": "a", "Password": "b"})},
        "binary": {"SecretBinary": b"\x00\x01"},
        "good": {"SecretString": json.dumps({"username": "a", "password": PASSWORD})},
    }
    for label, value in made.items():
        sm.create_secret(Name=f"{prefix}/{label}", **value)
    return {label: f"{prefix}/{label}" for label in [*made, "missing"]}


@pytest.mark.parametrize("label", ["not-json", "array", "no-password", "binary", "good", "missing"])
def test_check_secret_reports_what_the_server_reports(aws_env, problem_secrets, label):
    from jupyterlab_emr_schedule import aws as server_aws

    secret_id = problem_secrets[label]
    done = run_cli("check-secret", "--json", secret_id, env=aws_env)
    assert_never_printed(done)
    assert json.loads(done.stdout) == server_aws.check_secret(secret_id)
    if label == "good":
        assert done.returncode == 0 and done.stderr == ""
    else:
        assert_one_line_failure(done, 1, r"not JSON|not a JSON object|lacks the lowercase|binary|No secret")


def test_check_secret_of_an_unknown_secret(aws_env):
    name = unique_name("nobody")
    done = run_cli("check-secret", name, env=aws_env)
    assert_one_line_failure(done, 1, f"No secret {re.escape(name)} in this account and region")
    assert "Exists       no" in done.stdout


# --- Bad input ---------------------------------------------------------------------------------


def test_no_password_on_stdin(aws_env, sm):
    name = unique_name("empty")
    done = run_cli("create-secret", "--name", name, "--username", "u", stdin="", env=aws_env)
    assert_one_line_failure(done, 2, "no password on stdin")
    with pytest.raises(sm.exceptions.ResourceNotFoundException):
        sm.describe_secret(SecretId=name)


@pytest.mark.parametrize("flag", [["--password", PASSWORD], [f"--password={PASSWORD}"]])
def test_password_flag_is_refused_without_echoing_it(aws_env, flag):
    done = run_cli("create-secret", "--name", unique_name("x"), "--username", "u", *flag, env=aws_env)
    assert_one_line_failure(done, 2, "--password is not accepted")
    assert_never_printed(done)


def test_malformed_role_arn_changes_nothing(aws_env, sm):
    name = unique_name("bad-role")
    done = run_cli(
        "create-secret",
        "--name",
        name,
        "--username",
        "u",
        "--role-arn",
        "arn:aws:iam::12345:role/short-account",
        stdin=PASSWORD,
        env=aws_env,
    )
    assert_one_line_failure(done, 2, r"--role-arn: Not an IAM role ARN")
    assert_never_printed(done)
    with pytest.raises(sm.exceptions.ResourceNotFoundException):
        sm.describe_secret(SecretId=name)


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["rotate-secret"], 2, "unknown command rotate-secret"),
        (["check-secret", "emr/x", "--verbose"], 2, "unknown option --verbose"),
        (["check-secret"], 2, "one secret name or ARN"),
        (["policy", "secret-shared", "--role-arn", "role/x"], 2, "--role-arn: Not an IAM role ARN"),
        (
            ["policy", "spark-redshift-serverless", "--tempdir", "s3a://b-1/t/"],
            2,
            "--workgroup-arn: Required",
        ),
        (["policy", "redshift-copy-s3", "--tempdir", "s3n://KEY:SECRET@bucket/t/"], 2, "--tempdir: "),
        (["policy", "nonsense"], 2, "unknown policy kind"),
        ([], 2, "Usage"),
    ],
)
def test_bad_usage_fails_in_one_line(aws_env, argv, code, message):
    done = run_cli(*argv, env=aws_env)
    if argv:
        assert_one_line_failure(done, code, message)
    else:
        assert done.returncode == code and message in done.stderr


def test_unreachable_endpoint_is_one_line(aws_env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    done = run_cli("check-secret", "emr/x", env={**aws_env, "AWS_ENDPOINT_URL": closed})
    assert_one_line_failure(done, 1, r"could not be reached for secretsmanager:DescribeSecret")


def test_no_region_is_one_line(aws_env):
    env = {k: v for k, v in aws_env.items() if k not in {"AWS_REGION", "AWS_DEFAULT_REGION"}}
    env["AWS_CONFIG_FILE"] = os.devnull
    done = run_cli("check-secret", "emr/x", env=env)
    assert_one_line_failure(done, 1, "No AWS region")


# --- Help --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["policy", "--help"],
        ["create-secret", "--help"],
        ["check-secret", "--help"],
        ["network-check", "--help"],
        *[["policy", kind, "--help"] for kind in KINDS],
    ],
)
def test_help_everywhere(argv):
    done = run_cli(*argv)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: emr-schedule-admin")
    assert done.stderr == ""


def test_policy_help_lists_every_kind():
    text = run_cli("policy", "--help").stdout
    for kind in KINDS:
        assert f"\n  {kind}\n" in text


# --- The password prompt on a terminal ---------------------------------------------------------


def _read_until(fd: int, needle: bytes, timeout: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_password_typed_at_a_terminal_is_not_echoed(aws_env, sm):
    name = unique_name("typed")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        ["node", str(compiled_cli()), "create-secret", "--name", name, "--username", "typist"],
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=aws_env,
        cwd=ROOT,
    )
    os.close(secondary)
    try:
        prompt = _read_until(proc.stderr.fileno(), b"(not shown): ")
        assert b"Password for typist (not shown): " in prompt
        os.write(primary, PASSWORD.encode() + b"\r")
        out, err = proc.communicate(timeout=60)
        echoed = _read_until(primary, PASSWORD.encode(), timeout=0.5)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(primary)
    assert proc.returncode == 0, err
    assert PASSWORD.encode() not in echoed + out + err + prompt
    assert json.loads(out)["name"] == name
    assert json.loads(sm.get_secret_value(SecretId=name)["SecretString"])["password"] == PASSWORD
