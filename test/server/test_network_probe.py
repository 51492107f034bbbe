"""The probe route: a bounded TCP connect from the Jupyter server to a cluster's primary node.

Each test seeds its own cluster in the local AWS with a ``livy-conf`` ``livy.server.port``,
tagged so that the local AWS names its primary node ``localhost`` (demo/local_aws_network.py,
PRIMARY_NODE_NAME_TAG), so the probe's connect goes to this machine's loopback: to a port the test
listens on, or to one nothing listens on.
"""

from __future__ import annotations

import json
import socket
import uuid

import local_aws
import local_aws_network
import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def loopback_primaries():
    """Collects the clusters seeded with their primary node on this machine."""
    return set()


def seed_cluster(endpoint: str, clusters: set[str] | None, livy_port: int, kerberos: bool = False) -> str:
    """A cluster whose Livy listens on ``livy_port``; its primary node is ``localhost`` unless
    ``clusters`` is None (then moto's own name, ip-....ec2.internal)."""
    emr = local_aws.client("emr", endpoint)
    extra = (
        {
            "SecurityConfiguration": local_aws.KERBEROS_SECURITY_CONFIGURATION,
            "KerberosAttributes": {"Realm": "EC2.INTERNAL", "KdcAdminPassword": "kdc-admin-probe"},
        }
        if kerberos
        else {}
    )
    cluster_id = emr.run_job_flow(
        Name=f"probe-{uuid.uuid4().hex[:8]}",
        ReleaseLabel="emr-7.1.0",
        Applications=local_aws.SPARK_APPS,
        Configurations=[{"Classification": "livy-conf", "Properties": {"livy.server.port": str(livy_port)}}],
        Instances=local_aws.INSTANCE_GROUPS,
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        Tags=[{"Key": local_aws_network.PRIMARY_NODE_NAME_TAG, "Value": "localhost"}]
        if clusters is not None
        else [],
        **extra,
    )["JobFlowId"]
    if clusters is not None:
        clusters.add(cluster_id)
    return cluster_id


@pytest.fixture
def listening():
    """A port that accepts connections on loopback (IPv4)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.fixture
def closed_port():
    """A port nothing listens on (bound and closed again)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def probe(jp_fetch, cluster_id: str) -> dict:
    response = await jp_fetch("emr-schedule", "network", "probe", params={"cluster_id": cluster_id})
    assert response.code == 200
    return json.loads(response.body)


async def test_livy_port_that_listens_on_the_primary_node_is_open(
    jp_fetch, local_aws_endpoint, loopback_primaries, listening
):
    cluster = seed_cluster(local_aws_endpoint, loopback_primaries, listening)
    body = await probe(jp_fetch, cluster)
    assert body["host"] == "localhost"
    [livy] = body["results"]
    assert (livy["path"], livy["port"], livy["result"]) == ("livy", listening, "open")
    assert livy["address"] == "127.0.0.1"
    assert "accepts TCP" in livy["message"]


async def test_livy_port_nothing_listens_on_is_refused(
    jp_fetch, local_aws_endpoint, loopback_primaries, closed_port
):
    cluster = seed_cluster(local_aws_endpoint, loopback_primaries, closed_port)
    body = await probe(jp_fetch, cluster)
    [livy] = body["results"]
    assert (livy["port"], livy["result"]) == (closed_port, "refused")
    assert f"refused TCP {closed_port}" in livy["message"]
    assert livy["ms"] < 3000


async def test_kerberos_cluster_is_probed_on_the_kdc_port_too(
    jp_fetch, local_aws_endpoint, loopback_primaries, listening
):
    cluster = seed_cluster(local_aws_endpoint, loopback_primaries, listening, kerberos=True)
    body = await probe(jp_fetch, cluster)
    paths = {r["path"]: r for r in body["results"]}
    assert paths["livy"]["result"] == "open"
    assert paths["kdc"]["port"] == 88
    # Nothing runs a KDC on this machine's port 88 in the tests, unless one does: either way the
    # probe answers within its bound and says which.
    assert paths["kdc"]["result"] in {"open", "refused"}
    assert any("UDP" in n for n in body["notChecked"])


async def test_a_name_that_does_not_resolve_is_told_apart(jp_fetch, local_aws_endpoint, listening):
    # moto's own primary node names (ip-172-31-....ec2.internal) resolve nowhere but in a VPC.
    emr = local_aws.client("emr", local_aws_endpoint)
    cluster = seed_cluster(local_aws_endpoint, None, listening)
    body = await probe(jp_fetch, cluster)
    [livy] = body["results"]
    assert livy["host"].endswith(".internal"), livy
    assert livy["result"] == "unresolved"
    assert "does not resolve on this server" in livy["message"]
    assert emr.describe_cluster(ClusterId=cluster)["Cluster"]["Id"] == cluster


async def test_the_probe_takes_no_host_or_port_from_the_caller(
    jp_fetch, local_aws_endpoint, loopback_primaries, listening
):
    cluster = seed_cluster(local_aws_endpoint, loopback_primaries, listening)
    response = await jp_fetch(
        "emr-schedule",
        "network",
        "probe",
        params={"cluster_id": cluster, "host": "example.com", "port": "22"},
    )
    body = json.loads(response.body)
    assert {(r["host"], r["port"]) for r in body["results"]} == {("localhost", listening)}


@pytest.mark.parametrize("cluster_id", ["", "example.com", "j-../x"])
async def test_a_bad_cluster_id_is_refused(jp_fetch, cluster_id):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("emr-schedule", "network", "probe", params={"cluster_id": cluster_id})
    assert info.value.code == 400
    assert json.loads(info.value.response.body)["field"] == "cluster_id"


async def test_an_unknown_cluster_is_a_404(jp_fetch, local_aws_endpoint):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("emr-schedule", "network", "probe", params={"cluster_id": "j-NOSUCHCLUSTER0"})
    assert info.value.code == 404
