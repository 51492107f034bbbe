"""A loopback proxy in front of the local AWS that answers chosen operations with an AWS error.

Used where moto cannot produce a fault itself (AccessDenied, throttling). Every other request is
forwarded to moto unchanged.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultProxy:
    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        #: operation (X-Amz-Target suffix, e.g. "ListSecrets") -> (status, AWS error code)
        self.faults: dict[str, tuple[int, str]] = {}
        #: operation -> how many more times its fault is injected (absent: every time)
        self.times: dict[str, int] = {}
        self.seen: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                target = self.headers.get("X-Amz-Target", "")
                operation = target.rsplit(".", 1)[-1]
                proxy.seen.append(operation)
                if operation in proxy.faults and proxy.times.get(operation, 1) > 0:
                    if operation in proxy.times:
                        proxy.times[operation] -= 1
                    status, code = proxy.faults[operation]
                    payload = json.dumps({"__type": code, "message": f"injected {code}"}).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/x-amz-json-1.1")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")
                }
                request = urllib.request.Request(proxy.upstream + self.path, data=body, headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        status, data, rheaders = response.status, response.read(), response.headers
                except urllib.error.HTTPError as err:
                    status, data, rheaders = err.code, err.read(), err.headers
                self.send_response(status)
                for key, value in rheaders.items():
                    if key.lower() not in (
                        "content-length",
                        "transfer-encoding",
                        "connection",
                        "server",
                        "date",
                    ):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
