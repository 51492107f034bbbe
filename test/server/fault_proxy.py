"""A loopback proxy in front of the local AWS that injects faults into chosen operations.

Used where moto cannot produce a fault itself: AWS errors (AccessDenied, throttling, 5xx,
expired credentials), slow answers, and connections that close before or during the answer.
Every other request is forwarded to moto unchanged. Each request is recorded (operation, the
access key that signed it, its JSON body), so tests can count attempts and compare retries.

Besides the JSON and query protocols (POST), it forwards REST requests (GET, HEAD, PUT, DELETE:
S3), whose operation is named by method and path ("PUT /bucket/key"), so one proxy can stand
in front of everything a server sends. ``GET /__requests__`` answers the recorded requests as
JSON, for tests in another process (the UI tests).
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Fault:
    """What to do to one operation's request, in this order: wait, then fail or drop."""

    #: Answer with this HTTP status and AWS error code instead of forwarding (0: forward).
    status: int = 0
    code: str = ""
    #: Seconds to wait before doing anything else (a slow AWS).
    delay: float = 0.0
    #: Close the connection instead of answering: "before" forwarding to AWS, "after" AWS
    #: carried the request out, or "mid" response (after the headers and half the body).
    drop: str | None = None


@dataclass
class Seen:
    operation: str
    access_key: str
    body: dict


CREDENTIAL = re.compile(r"Credential=([^/]+)/")
#: PUT here sets the faults (see FaultProxy.set_faults); never an AWS path.
CONTROL_PATH = "/__faults__"
#: GET here answers the recorded requests (see FaultProxy.recorded); never an AWS path.
REQUESTS_PATH = "/__requests__"


class FaultProxy:
    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        #: operation (e.g. "ListSecrets") -> a Fault, or (status, AWS error code)
        self.faults: dict[str, Fault | tuple[int, str]] = {}
        #: operation -> how many more times its fault is injected (absent: every time)
        self.times: dict[str, int] = {}
        #: the operations of every request, in arrival order
        self.seen: list[str] = []
        #: every request in detail, in arrival order
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_PUT(self):
                # The control route, for tests in another process (the UI tests): the body
                # {"ListClusters": {"delay": 3}, ...} replaces every fault; {} clears them.
                if self.path != CONTROL_PATH:
                    return self._rest("PUT")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    proxy.set_faults(json.loads(body or b"{}"))
                except (ValueError, TypeError) as err:
                    return self.send_error(400, str(err))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                operation, query_protocol = proxy._operation(self.headers, body)
                path = urllib.parse.urlsplit(self.path).path
                rest = not operation and path not in ("", "/")
                if rest:
                    # REST-JSON (EMR Serverless): the path names the operation and the resource,
                    # and the request goes on as it came, as the other REST methods do.
                    operation, query_protocol = f"POST {path}", False
                fault = proxy._take_fault(operation, self.headers, body)
                if fault is not None and fault.delay:
                    proxy._stopping.wait(fault.delay)
                if fault is not None and fault.drop == "before":
                    return self._drop()
                if fault is not None and fault.status:
                    return self._aws_error(fault, query_protocol)
                status, data, headers = proxy._forward(
                    self.path, self.headers, body, method="POST" if rest else None
                )
                if fault is not None and fault.drop == "after":
                    return self._drop()
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if fault is not None and fault.drop == "mid":
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    return self._drop()
                self.wfile.write(data)

            def do_GET(self):
                if urllib.parse.urlsplit(self.path).path == REQUESTS_PATH:
                    query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                    payload = json.dumps(proxy.recorded((query.get("operation") or [None])[0])).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    return self.wfile.write(payload)
                self._rest("GET")

            def do_HEAD(self):
                self._rest("HEAD")

            def do_DELETE(self):
                self._rest("DELETE")

            def _rest(self, method: str):
                """A REST request (S3): recorded and faulted under "METHOD /path", then forwarded."""
                body = self._read_body()
                operation = f"{method} {urllib.parse.urlsplit(self.path).path}"
                fault = proxy._take_fault(operation, self.headers, body)
                if fault is not None and fault.delay:
                    proxy._stopping.wait(fault.delay)
                if fault is not None and fault.drop == "before":
                    return self._drop()
                if fault is not None and fault.status:
                    return self._rest_error(fault)
                status, data, headers = proxy._forward(self.path, self.headers, body, method=method)
                if fault is not None and fault.drop == "after":
                    return self._drop()
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                if method == "HEAD":
                    return self.end_headers()  # no body; its length is the one AWS announced
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _read_body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline().strip():  # trailers, up to the blank line
                                pass
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _rest_error(self, fault: Fault):
                payload = (
                    f"<Error><Code>{fault.code}</Code><Message>injected {fault.code}</Message>"
                    "<RequestId>fault-proxy</RequestId></Error>"
                ).encode()
                self.send_response(fault.status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _aws_error(self, fault: Fault, query_protocol: bool):
                message = f"injected {fault.code}"
                if query_protocol:  # STS answers errors in XML
                    payload = (
                        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
                        f"<Type>Sender</Type><Code>{fault.code}</Code><Message>{message}</Message>"
                        "</Error><RequestId>fault-proxy</RequestId></ErrorResponse>"
                    ).encode()
                    content_type = "text/xml"
                else:
                    payload = json.dumps({"__type": fault.code, "message": message}).encode()
                    content_type = "application/x-amz-json-1.1"
                self.send_response(fault.status)
                self.send_header("Content-Type", content_type)
                self.send_header("x-amzn-ErrorType", fault.code)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _drop(self):
                self.close_connection = True
                try:
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                # A client that gave up (read timeout) leaves a closed socket behind; not news.
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @staticmethod
    def _operation(headers, body: bytes) -> tuple[str, bool]:
        """The AWS operation of a request: JSON protocols name it in X-Amz-Target, query
        protocols (STS) in the form body's Action."""
        target = headers.get("X-Amz-Target", "")
        if target:
            return target.rsplit(".", 1)[-1], False
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        return (form.get("Action") or [""])[0], True

    def _take_fault(self, operation: str, headers, body: bytes) -> Fault | None:
        match = CREDENTIAL.search(headers.get("Authorization", ""))
        try:
            parsed = json.loads(body) if body else {}
        except ValueError:
            parsed = {}
        with self._lock:
            self.seen.append(operation)
            self.requests.append(Seen(operation, match.group(1) if match else "", parsed))
            fault = self.faults.get(operation)
            if fault is None or self.times.get(operation, 1) <= 0:
                return None
            if operation in self.times:
                self.times[operation] -= 1
        return Fault(*fault) if isinstance(fault, tuple) else fault

    def _forward(self, path: str, headers, body: bytes, method: str | None = None):
        if method is not None:
            return self._forward_as_sent(method, path, headers, body)
        forwarded = {k: v for k, v in headers.items() if k.lower() not in ("host", "content-length")}
        request = urllib.request.Request(self.upstream + path, data=body, headers=forwarded)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, data, rheaders = response.status, response.read(), response.headers
        except urllib.error.HTTPError as err:
            status, data, rheaders = err.code, err.read(), err.headers
        hop = ("content-length", "transfer-encoding", "connection", "server", "date", "keep-alive")
        return status, data, [(k, v) for k, v in rheaders.items() if k.lower() not in hop]

    def _forward_as_sent(self, method: str, path: str, headers, body: bytes):
        """A REST request goes on as it came (its method, headers and body, unchunked; this
        proxy already answered any "Expect: 100-continue"), with nothing added."""
        skip = ("host", "content-length", "transfer-encoding", "expect", "connection")
        url = urllib.parse.urlsplit(self.upstream)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for key, value in headers.items():
                if key.lower() not in skip:
                    connection.putheader(key, value)
            if body or method in ("PUT", "POST"):
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body or None)
            response = connection.getresponse()
            status, data, rheaders = response.status, response.read(), response.getheaders()
        finally:
            connection.close()
        # A HEAD answer keeps the length AWS announced; it has no body.
        hop = ("transfer-encoding", "connection", "server", "date", "keep-alive")
        if method != "HEAD":
            hop += ("content-length",)
        return status, data, [(k, v) for k, v in rheaders if k.lower() not in hop]

    def set_faults(self, spec: dict) -> None:
        """Replaces every fault from JSON: operation -> Fault's fields, plus "times"."""
        if not isinstance(spec, dict):
            raise TypeError("expected an object of operation -> fault")
        faults, times = {}, {}
        for operation, fields in spec.items():
            fields = dict(fields)
            if "times" in fields:
                times[str(operation)] = int(fields.pop("times"))
            faults[str(operation)] = Fault(**fields)
        with self._lock:
            self.faults, self.times = faults, times

    def recorded(self, operation: str | None = None) -> list[dict]:
        """The recorded requests (of one operation, or all) as JSON-ready dicts."""
        with self._lock:
            return [
                {"operation": r.operation, "access_key": r.access_key, "body": r.body}
                for r in self.requests
                if operation is None or r.operation == operation
            ]

    def attempts(self, operation: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.operation == operation]

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
