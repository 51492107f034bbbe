"""Who may call the extension's routes: every route, found from the running server itself.

The routes are discovered from the server's routers (every rule whose handler class lives in
``jupyterlab_emr_schedule``), so a route added later is covered without editing this file. Each
is called with a raw HTTP client that adds nothing on its own: no token, then a login cookie
without the XSRF token, then the same request done right (which must succeed, so a refusal is
the server's doing and not a broken request).
"""

from __future__ import annotations

import json
import re
import uuid
import warnings
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import local_aws
import pytest
from jupyter_server.auth import Authorizer
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import JupyterServerAuthWarning
from tornado.httpclient import AsyncHTTPClient
from tornado.routing import PathMatches
from tornado.web import RequestHandler

PACKAGE = "jupyterlab_emr_schedule"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
#: What each known route path (below <base_url>emr-schedule/) answers when asked correctly.
KNOWN = {
    "identity",
    "status",
    "clusters",
    "clusters/([^/]+)",
    "secrets",
    "secrets/check",
    "serverless/applications",
    "serverless/applications/([^/]+)",
    "serverless/execution-roles",
    "network",
    "network/probe",
    "test-runs/sagemaker/([^/]+)",
}


def our_routes(web_app) -> list[tuple[PathMatches, type[RequestHandler]]]:
    """Every (path matcher, handler class) of this extension in the server's routers."""
    found: dict[str, tuple[PathMatches, type[RequestHandler]]] = {}

    def walk(router):
        for rule in getattr(router, "rules", []):
            target = rule.target
            if isinstance(target, type) and issubclass(target, RequestHandler):
                if target.__module__.split(".")[0] == PACKAGE:
                    found[rule.matcher.regex.pattern] = (rule.matcher, target)
            elif hasattr(target, "rules"):
                walk(target)

    walk(web_app.wildcard_router)
    walk(web_app.default_router)
    return list(found.values())


def implemented_methods(handler: type[RequestHandler]) -> list[str]:
    return [
        m
        for m in handler.SUPPORTED_METHODS
        if getattr(handler, m.lower()) is not RequestHandler._unimplemented_method
    ]


def relative_path(matcher: PathMatches, base_url: str) -> str:
    return matcher.regex.pattern.rstrip("$").split(f"{base_url}emr-schedule/".replace("//", "/"), 1)[-1]


def sample_url(matcher: PathMatches) -> str:
    """A concrete path for a route: its groups filled with a valid cluster id."""
    groups = matcher.regex.groups
    path = matcher.regex.pattern.rstrip("$")
    for _ in range(groups):
        path = re.sub(r"\([^)]*\)", "j-ACCESSCHECK1", path, count=1)
    assert matcher.regex.fullmatch(path), path
    return path


def valid_body(path: str) -> str:
    """A body each POST route accepts, so only authentication can make it fail."""
    if path.endswith("secrets/check"):
        return json.dumps({"secretId": "emr/users/analyst-1"})
    if path.endswith("secrets"):
        return json.dumps(
            {"name": f"access/{uuid.uuid4().hex}", "username": "access-check", "password": "pw-access"}
        )
    return "{}"


class Client:
    """A raw HTTP client on the test server: only the headers and cookies given are sent."""

    def __init__(self, serverapp):
        self.root = f"http://127.0.0.1:{serverapp.port}"
        self.base_url = serverapp.base_url
        self.http = AsyncHTTPClient(force_instance=True)

    async def fetch(self, path: str, method: str = "GET", body=None, headers=None):
        if method in STATE_CHANGING and body is None:
            body = ""
        return await self.http.fetch(
            self.root + path,
            method=method,
            body=body,
            headers=headers or {},
            raise_error=False,
            follow_redirects=False,
            allow_nonstandard_methods=True,
            request_timeout=20,
        )

    async def login(self, token: str) -> dict[str, str]:
        """Logs in through the login form, as a browser does; returns the cookies it set."""
        page = await self.fetch(f"{self.base_url}login")
        cookies = cookies_of(page)
        assert "_xsrf" in cookies, "the login page sets the XSRF cookie"
        answer = await self.fetch(
            f"{self.base_url}login",
            method="POST",
            body=urlencode({"password": token, "_xsrf": cookies["_xsrf"]}),
            headers={"Cookie": cookie_header(cookies)},
        )
        assert answer.code == 302, answer.code
        cookies.update(cookies_of(answer))
        assert any(name.startswith("username-") for name in cookies), cookies
        return cookies


def cookies_of(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_list("Set-Cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def assert_refused(response, what: str):
    assert response.code in (401, 403), f"{what}: answered {response.code}"
    text = response.body.decode()
    if text:
        body = json.loads(text)
        assert set(body) <= {"code", "message", "reason"}, f"{what}: the refusal carries data: {body}"
    assert local_aws.ACCOUNT not in text and "arn:aws" not in text, f"{what}: {text}"


@pytest.fixture
def client(jp_serverapp, http_server_client):
    c = Client(jp_serverapp)
    yield c
    c.http.close()


async def test_the_routes_are_found_from_the_running_server(jp_serverapp, jp_base_url):
    routes = our_routes(jp_serverapp.web_app)
    assert routes, "the extension registered no route"
    paths = {relative_path(m, jp_base_url) for m, _ in routes}
    assert paths >= KNOWN, paths
    assert all(p.startswith(f"{jp_base_url}emr-schedule/") for p in (m.regex.pattern for m, _ in routes))


async def test_without_the_token_every_method_of_every_route_is_refused(jp_serverapp, jp_auth_header, client):
    checked = []
    for matcher, handler in our_routes(jp_serverapp.web_app):
        url = sample_url(matcher)
        for method in implemented_methods(handler):
            function = getattr(handler, method.lower())
            if hasattr(function, "__allow_unauthenticated"):
                # Only jupyter_server's own CORS preflight (OPTIONS) may be open, and it says nothing.
                assert function.__module__.split(".")[0] != PACKAGE, f"{method} {url} is open"
                response = await client.fetch(url, method)
                assert response.code < 300 and not response.body, (method, url, response.body)
                continue
            body = valid_body(url) if method in STATE_CHANGING else None
            # The same request with the token is served (so the refusal below is about auth):
            served = await client.fetch(url, method, body=body, headers=dict(jp_auth_header))
            assert served.code not in (401, 403), (method, url, served.code, served.body)
            for headers in ({}, {"Authorization": "token wrong-token"}, {"Authorization": "bearer"}):
                response = await client.fetch(url, method, body=body, headers=headers)
                assert_refused(response, f"{method} {url} with {headers or 'no credentials'}")
            checked.append((method, url))
    assert {m for m, _ in checked} >= {"GET", "POST"}
    assert len(checked) >= len(KNOWN) + 1, checked


async def test_a_login_cookie_without_the_xsrf_token_cannot_change_anything(
    jp_serverapp, jp_auth_header, client, local_aws_endpoint
):
    token = jp_auth_header["Authorization"].split()[-1]
    cookies = await client.login(token)
    login_only = {k: v for k, v in cookies.items() if k != "_xsrf"}
    sm = local_aws.client("secretsmanager", local_aws_endpoint)
    # A SageMaker test run's job, under the name sample_url gives every route's id.
    from test_test_run_files import create_job

    create_job(local_aws_endpoint, "access-test-20261207T120000Z.ipynb", name="j-ACCESSCHECK1")
    checked = 0
    for matcher, handler in our_routes(jp_serverapp.web_app):
        url = sample_url(matcher)
        for method in STATE_CHANGING & set(implemented_methods(handler)):
            body = valid_body(url)
            attempts = {
                "login cookie alone": {"Cookie": cookie_header(login_only)},
                "both cookies, no XSRF header": {"Cookie": cookie_header(cookies)},
                "a forged XSRF header": {"Cookie": cookie_header(cookies), "X-XSRFToken": "2|00|00|1"},
                "the XSRF header without its cookie": {
                    "Cookie": cookie_header(login_only),
                    "X-XSRFToken": cookies["_xsrf"],
                },
            }
            for what, headers in attempts.items():
                response = await client.fetch(url, method, body=body, headers=headers)
                assert_refused(response, f"{method} {url} with {what}")
            if url.endswith("/secrets"):
                name = json.loads(body)["name"]
                assert not sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]
            # The same cookie session with its XSRF token is served: the refusals were the XSRF check.
            done = await client.fetch(
                url,
                method,
                body=body,
                headers={"Cookie": cookie_header(cookies), "X-XSRFToken": cookies["_xsrf"]},
            )
            assert done.code in (200, 201), (method, url, done.code, done.body)
            checked += 1
    assert checked >= 2
    # Reading needs no XSRF token, only the session.
    identity = await client.fetch(
        f"{jp_serverapp.base_url}emr-schedule/identity", headers={"Cookie": cookie_header(login_only)}
    )
    assert identity.code == 200 and json.loads(identity.body)["account"] == local_aws.ACCOUNT


def test_every_handler_method_is_authenticated_and_authorized(jp_serverapp):
    web_app = jp_serverapp.web_app
    for matcher, handler in our_routes(web_app):
        # jupyter_server's own check, the one behind its "without @allow_unauthenticated" warning.
        assert web_app._check_handler_auth(matcher.regex.pattern, handler) == []
        for method in implemented_methods(handler):
            function = getattr(handler, method.lower())
            if function.__module__.split(".")[0] != PACKAGE:
                continue
            assert function.__code__.co_qualname.startswith("authenticated"), (handler, method)
            inner = function.__wrapped__
            assert inner.__code__.co_qualname.startswith("authorized"), (handler, method)
            assert handler.auth_resource == "emr-schedule"


async def test_a_strict_server_warns_about_none_of_our_handlers(
    local_aws_endpoint, jp_configurable_serverapp, caplog
):
    """With allow_unauthenticated_access off, jupyter_server names every handler method that
    has no auth decorator; ours are not among them (and the check does fire for one that has
    none, so silence means something)."""

    class Undecorated(APIHandler):
        def get(self):
            self.finish("{}")

    config = {
        "ServerApp": {
            "jpserver_extensions": {PACKAGE: True},
            "allow_unauthenticated_access": False,
        }
    }
    caplog.set_level("DEBUG")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = jp_configurable_serverapp(config=config)
        app.web_app.add_handlers(".*$", [(f"{app.base_url}undecorated-probe", Undecorated)])
    assert app.allow_unauthenticated_access is False
    messages = [str(w.message) for w in caught if issubclass(w.category, JupyterServerAuthWarning)]
    messages += [r.getMessage() for r in caplog.records]
    assert any("Undecorated" in m for m in messages), "the check did not run"
    names = {handler.__name__ for _, handler in our_routes(app.web_app)}
    assert names
    for message in messages:
        if "authenticat" in message.lower():
            assert not any(re.search(rf"\b{n}\b", message) for n in names), message


class DenyEmrSchedule(Authorizer):
    """An authorizer (as JupyterHub's or a site's) that keeps a user away from AWS."""

    def is_authorized(self, handler, user, action, resource):
        return resource != "emr-schedule"


@pytest.mark.parametrize(
    "jp_server_config",
    [{"ServerApp": {"jpserver_extensions": {PACKAGE: True}, "authorizer_class": DenyEmrSchedule}}],
)
async def test_the_server_authorizer_decides_who_may_call_aws(
    local_aws_endpoint, jp_server_config, jp_serverapp, jp_auth_header, client
):
    assert (
        await client.fetch(f"{jp_serverapp.base_url}api/status", headers=dict(jp_auth_header))
    ).code == 200
    for matcher, handler in our_routes(jp_serverapp.web_app):
        url = sample_url(matcher)
        for method in implemented_methods(handler):
            if hasattr(getattr(handler, method.lower()), "__allow_unauthenticated"):
                continue
            body = valid_body(url) if method in STATE_CHANGING else None
            response = await client.fetch(url, method, body=body, headers=dict(jp_auth_header))
            assert_refused(response, f"{method} {url} for a user the authorizer denies")
            assert response.code == 403
