"""Fifty panels listing clusters and secrets at once, for a few seconds.

Every answer must be a complete page (no error, no empty page where the local AWS has data),
and the server log must stay free of errors and of connection-pool churn. The latencies are
printed (p50, p99), not asserted: the figures depend on the machine.
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import time

from tornado.simple_httpclient import SimpleAsyncHTTPClient

CLIENTS = 50
SECONDS = 8.0
ROUTES = [("clusters", "clusters"), ("secrets", "secrets")]


def left_by_an_earlier_scheduler(record: logging.LogRecord) -> bool:
    """asyncio's report of jupyter-scheduler's task runner, left pending by the server of an
    earlier test that ran scheduler jobs and collected whenever the garbage collector runs."""
    message = record.getMessage()
    return record.name == "asyncio" and "Task was destroyed" in message and "TaskRunner.start()" in message


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def test_fifty_concurrent_clients_on_the_list_routes(
    jp_serverapp, http_server_client, jp_auth_header, jp_base_url, caplog
):
    caplog.set_level(logging.DEBUG)
    root = f"http://127.0.0.1:{jp_serverapp.port}{jp_base_url}emr-schedule/"
    # One connection per simulated panel: the client never queues a request itself.
    http = SimpleAsyncHTTPClient(force_instance=True, max_clients=CLIENTS)
    latencies: dict[str, list[float]] = {path: [] for path, _ in ROUTES}
    errors: list[str] = []
    deadline = time.monotonic() + SECONDS

    async def panel(number: int):
        turn = number
        while time.monotonic() < deadline:
            path, key = ROUTES[turn % len(ROUTES)]
            turn += 1
            started = time.perf_counter()
            response = await http.fetch(
                root + path, headers=dict(jp_auth_header), raise_error=False, request_timeout=30
            )
            latencies[path].append(time.perf_counter() - started)
            try:
                body = json.loads(response.body)
            except ValueError:
                body = None
            if response.code != 200 or not isinstance(body, dict) or not body.get(key):
                errors.append(f"{path}: {response.code} {response.body[:200]!r}")

    try:
        await asyncio.gather(*(panel(n) for n in range(CLIENTS)))
    finally:
        http.close()

    everything = [t for values in latencies.values() for t in values]
    print(f"\n{CLIENTS} concurrent clients for {SECONDS:.0f} s: {len(everything)} requests")
    for path, values in latencies.items():
        print(
            f"  {path:9s} n={len(values):5d}  p50={percentile(values, 50) * 1000:7.1f} ms"
            f"  p99={percentile(values, 99) * 1000:7.1f} ms  mean={statistics.mean(values) * 1000:7.1f} ms"
        )
    p50, p99 = percentile(everything, 50) * 1000, percentile(everything, 99) * 1000
    print(f"  all       p50={p50:7.1f} ms  p99={p99:7.1f} ms")

    assert not errors, errors[:10]
    assert all(len(values) >= CLIENTS for values in latencies.values()), "every panel got answers"
    bad_logs = [
        r.getMessage()[:200]
        for r in caplog.records
        if (r.levelno >= logging.ERROR or r.exc_info or "Connection pool is full" in r.getMessage())
        and not left_by_an_earlier_scheduler(r)
    ]
    assert not bad_logs, bad_logs[:10]
