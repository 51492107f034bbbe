"""Listing at scale: EMR clusters and secrets through this extension's routes, against boto3.

A plain Jupyter server with this extension runs against the local AWS, seeded with N clusters
and N secrets. For each N: the time to the first page through the route, the time to the
complete list (following the markers), and the same pages read with boto3 directly from the
same local AWS; route and boto3 calls alternate, page by page, so load on the machine falls on
both alike. The route is called over one kept-alive connection with the standard library's
``http.client``, as a browser's fetch reuses its connection: ``requests`` spends about 2 ms of
its own on every call, which is the benchmark's client and not the route.
"""

from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import boto3
from common import Jupyter, Moto, log, median, ratio, timed

ACTIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
SEED_THREADS = 4


class Seeder:
    """Adds bulk clusters and secrets to the local AWS, from a few threads, one client each."""

    def __init__(self, moto: Moto):
        self._moto = moto
        self._local = threading.local()
        self.clusters = 0
        self.secrets = 0

    def _clients(self):
        if not hasattr(self._local, "emr"):
            self._local.emr = self._moto.client("emr")
            self._local.sm = self._moto.client("secretsmanager")
        return self._local

    def _cluster(self, i: int) -> None:
        import local_aws

        local_aws._run_cluster(
            self._clients().emr, {"Name": f"bulk-{i:05d}", "Applications": local_aws.SPARK_APPS}
        )

    def _secret(self, i: int) -> None:
        self._clients().sm.create_secret(
            Name=f"bulk/team-{i % 50:02d}/user-{i:05d}",
            Description=f"Credentials of bulk user {i}",
            SecretString=json.dumps({"username": f"user-{i:05d}", "password": "bulk-demo-pw"}),
            Tags=[{"Key": "user-identity", "Value": f"user-{i:05d}"}, {"Key": "team", "Value": "bulk"}],
        )

    def grow(self, total: int) -> dict:
        """Brings both counts to ``total``; returns the seconds each took."""
        out = {}
        for kind, fn in (("clusters", self._cluster), ("secrets", self._secret)):
            have = getattr(self, kind)
            if total <= have:
                out[kind] = 0.0
                continue
            with ThreadPoolExecutor(SEED_THREADS) as pool:
                seconds, _ = timed(lambda fn=fn, have=have: list(pool.map(fn, range(have, total))))
            setattr(self, kind, total)
            out[kind] = seconds
            log(f"  seeded {total - have} {kind} in {seconds:.1f} s")
        return out


class Route:
    """GETs of this extension's routes over one kept-alive connection, with the token."""

    def __init__(self, server: Jupyter):
        self._http = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        self._headers = {"Authorization": f"token {server.token}"}

    def get(self, path: str, params: dict | None = None) -> dict:
        query = f"?{urlencode(params)}" if params else ""
        self._http.request("GET", f"/emr-schedule/{path}{query}", headers=self._headers)
        response = self._http.getresponse()
        text = response.read()
        if response.status != 200:
            raise AssertionError(f"{path}: the route answered {response.status}: {text[:200]!r}")
        return json.loads(text)

    def close(self) -> None:
        self._http.close()


class Lister:
    """One page of clusters or secrets, through the route and through boto3 directly."""

    def __init__(self, server: Jupyter, endpoint: str, kind: str):
        import local_aws

        from jupyterlab_emr_schedule.aws import CLIENT_CONFIG

        self.kind = kind
        self._route = Route(server)
        service = "emr" if kind == "clusters" else "secretsmanager"
        # The server's own client configuration, reused across calls as any caller would.
        self._client = boto3.client(
            service,
            endpoint_url=endpoint,
            region_name=local_aws.REGION,
            config=CLIENT_CONFIG,
            **local_aws.CREDENTIALS,
        )

    def route(self, marker: str | None) -> tuple[int, str | None]:
        body = self._route.get(self.kind, {"marker": marker} if marker else None)
        return len(body[self.kind]), body.get("marker")

    def close(self) -> None:
        self._route.close()

    def direct(self, marker: str | None) -> tuple[int, str | None]:
        if self.kind == "clusters":
            kwargs = {"ClusterStates": ACTIVE, **({"Marker": marker} if marker else {})}
            page = self._client.list_clusters(**kwargs)
            return len(page["Clusters"]), page.get("Marker")
        kwargs = {"MaxResults": 50, **({"NextToken": marker} if marker else {})}
        page = self._client.list_secrets(**kwargs)
        return len(page["SecretList"]), page.get("NextToken")

    def pair(
        self, route_marker: str | None, direct_marker: str | None, route_first: bool
    ) -> tuple[float, float, int, str | None, str | None]:
        """One page both ways: (route s, boto3 s, items, route's next marker, boto3's next marker).

        Each way follows its own markers (the route hands out its own, not AWS's); page i of one
        is page i of the other.
        """
        calls = [("route", self.route, route_marker), ("direct", self.direct, direct_marker)]
        if not route_first:
            calls.reverse()
        out = {name: timed(fn, marker) for name, fn, marker in calls}
        (t_route, (n_route, next_route)), (t_direct, (n_direct, next_direct)) = out["route"], out["direct"]
        if n_route != n_direct or bool(next_route) != bool(next_direct):
            raise AssertionError(f"{self.kind}: the route and boto3 gave different pages")
        return t_route, t_direct, n_route, next_route, next_direct

    def first_page(self, samples: int, warmup: int = 2) -> dict:
        route, direct = [], []
        for i in range(warmup + samples):
            t_route, t_direct, *_ = self.pair(None, None, route_first=i % 2 == 0)
            if i >= warmup:
                route.append(t_route)
                direct.append(t_direct)
        r, d = median(route) * 1000, median(direct) * 1000
        return {"routeMs": r, "directMs": d, "ratio": ratio(r, d)}

    def full_list(self) -> dict:
        """Every page, following the markers; boto3 reads the same pages in turn."""
        route, direct, items, i = [], [], 0, 0
        route_marker = direct_marker = None
        while True:
            t_route, t_direct, n, route_marker, direct_marker = self.pair(
                route_marker, direct_marker, route_first=i % 2 == 0
            )
            route.append(t_route)
            direct.append(t_direct)
            items += n
            i += 1
            if not route_marker:
                break
        r, d = sum(route), sum(direct)
        return {
            "items": items,
            "pages": len(route),
            "routeS": r,
            "directS": d,
            "ratio": ratio(r, d),
            "pageRouteMs": median(route) * 1000,
            "pageDirectMs": median(direct) * 1000,
        }


def run(workdir: Path, sizes: list[int], first_page_samples: int = 9) -> dict:
    moto = Moto(workdir).start()
    server = None
    try:
        root = workdir / "listing-root"
        root.mkdir(exist_ok=True)
        server = Jupyter("listing", workdir, root, moto.env(), lab=False).start()
        # What a route costs without AWS: HTTP, Tornado, authentication, JSON.
        status = Route(server)
        times = [timed(status.get, "status")[0] for _ in range(25)][5:]
        status.close()
        status_ms = median(times) * 1000
        log(f"  status route (no AWS call): {status_ms:.1f} ms")
        seeder = Seeder(moto)
        rows = []
        for size in sizes:
            seeding = seeder.grow(size)
            row = {"size": size, "seedS": seeding}
            for kind in ("clusters", "secrets"):
                lister = Lister(server, moto.endpoint, kind)
                try:
                    first = lister.first_page(first_page_samples)
                    full = lister.full_list()
                finally:
                    lister.close()
                row[kind] = {"firstPage": first, "fullList": full}
                log(
                    f"  {kind} at {size}: first page {first['routeMs']:.1f} ms "
                    f"(boto3 {first['directMs']:.1f} ms, x{first['ratio']:.2f}); "
                    f"{full['items']} in {full['pages']} pages {full['routeS']:.2f} s "
                    f"(boto3 {full['directS']:.2f} s, x{full['ratio']:.2f})"
                )
            rows.append(row)
        return {"sizes": rows, "seedThreads": SEED_THREADS, "statusRouteMs": status_ms}
    finally:
        if server is not None:
            server.stop()
        moto.stop()
