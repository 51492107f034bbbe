"""A loopback proxy in front of the local AWS that injects faults into chosen operations.

Used where moto cannot produce a fault itself: AWS errors (AccessDenied, throttling, 5xx,
expired credentials), slow answers, and connections that close before or during the answer.
Every other request is forwarded to moto unchanged. Each request is recorded (operation, the
access key that signed it, its JSON body), so tests can count attempts and compare retries.
"""

from __future__ import annotations

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
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != CONTROL_PATH:
                    return self.send_error(404)
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
                fault = proxy._take_fault(operation, self.headers, body)
                if fault is not None and fault.delay:
                    proxy._stopping.wait(fault.delay)
                if fault is not None and fault.drop == "before":
                    return self._drop()
                if fault is not None and fault.status:
                    return self._aws_error(fault, query_protocol)
                status, data, headers = proxy._forward(self.path, self.headers, body)
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

    def _forward(self, path: str, headers, body: bytes):
        forwarded = {k: v for k, v in headers.items() if k.lower() not in ("host", "content-length")}
        request = urllib.request.Request(self.upstream + path, data=body, headers=forwarded)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, data, rheaders = response.status, response.read(), response.headers
        except urllib.error.HTTPError as err:
            status, data, rheaders = err.code, err.read(), err.headers
        hop = ("content-length", "transfer-encoding", "connection", "server", "date", "keep-alive")
        return status, data, [(k, v) for k, v in rheaders.items() if k.lower() not in hop]

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
