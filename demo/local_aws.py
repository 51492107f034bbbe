"""The embedded local AWS: a moto server on a loopback port, seeded for the demo and the tests.

Run it on its own with ``python demo/local_aws.py [--port N]``; it prints the endpoint and
serves until interrupted. ``seed`` is idempotent: running it twice leaves the same resources.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import threading
from pathlib import Path

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"
#: Dummy credentials: moto accepts anything, and these make clear nothing is real.
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

#: A password that must never appear in any response, notebook, job or log.
CANARY_PASSWORD = "CANARY-7f3e9b-never-leave-the-server"

KERBEROS_SECURITY_CONFIGURATION = "emr-schedule-demo-kerberos"
#: The Kerberos cluster's realm; demo/local_kdc.py runs a KDC for it.
KERBEROS_REALM = "EC2.INTERNAL"

INSTANCES = {
    "MasterInstanceType": "m5.xlarge",
    "SlaveInstanceType": "m5.xlarge",
    "InstanceCount": 1,
    "KeepJobFlowAliveWhenNoSteps": True,
}
#: The active clusters' shape: instance groups, so the local AWS creates their instances and
#: ListInstances finds the primary node, as %sm_analytics needs (see _primary_dns_as_emr_reports_it).
INSTANCE_GROUPS = {
    "InstanceGroups": [
        {"Name": "Primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
        {"Name": "Core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 1},
    ],
    "KeepJobFlowAliveWhenNoSteps": True,
}
SPARK_APPS = [{"Name": "Spark"}, {"Name": "Livy"}, {"Name": "JupyterEnterpriseGateway"}]

#: Active clusters: one per auth type the panel detects.
ACTIVE_CLUSTERS = [
    {"Name": "analytics-no-auth", "Applications": SPARK_APPS},
    {
        "Name": "analytics-kerberos",
        "Applications": SPARK_APPS,
        "SecurityConfiguration": KERBEROS_SECURITY_CONFIGURATION,
        "KerberosAttributes": {"Realm": KERBEROS_REALM, "KdcAdminPassword": "kdc-admin-demo"},
    },
    {
        "Name": "analytics-ldap",
        "Applications": SPARK_APPS,
        "Configurations": [
            {
                "Classification": "livy-conf",
                "Properties": {"livy.server.auth.type": "ldap"},
            }
        ],
    },
    {"Name": "hive-only-no-livy", "Applications": [{"Name": "Hive"}]},
]
TERMINATED_CLUSTER_COUNT = 6

SECRETS = [
    {
        "Name": "emr/shared-analytics",
        "Description": "Shared LDAP credentials for the analytics team",
        "SecretString": json.dumps({"username": "analytics", "password": "shared-demo-pw"}),
        "Tags": [{"Key": "team", "Value": "analytics"}],
    },
    {
        "Name": "emr/users/analyst-1",
        "Description": "Credentials of analyst-1",
        "SecretString": json.dumps({"username": "analyst-1", "password": CANARY_PASSWORD}),
        "Tags": [{"Key": "user-identity", "Value": "analyst-1"}],
    },
    {
        "Name": "emr/users/analyst-2",
        "Description": "Credentials of analyst-2",
        "SecretString": json.dumps({"username": "analyst-2", "password": "analyst-2-demo-pw"}),
        "Tags": [{"Key": "user-identity", "Value": "analyst-2"}],
    },
]

#: EMR Serverless Spark applications: one started, one stopped that does not start by itself
#: (a 3 a.m. run finds it stopped; the magic starts it).
SERVERLESS_APPLICATIONS = [
    {"name": "analytics-interactive", "state": "STARTED", "autoStart": True},
    {"name": "analytics-nightly-stopped", "state": "STOPPED", "autoStart": False},
]
SERVERLESS_RELEASE_LABEL = "emr-7.1.0"
#: The execution role a serverless Spark session runs as: its trust policy admits EMR Serverless.
SERVERLESS_EXECUTION_ROLE = "emr-schedule-demo-serverless-execution"
SERVERLESS_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "emr-serverless.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def client(service: str, endpoint: str):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)


def free_port(preferred: int, avoid: tuple[int, ...] = ()) -> int:
    """The first free loopback port from ``preferred`` on (200 tries, skipping ``avoid``),
    else any free port."""
    for port in [*range(preferred, preferred + 200), 0]:
        if port in avoid:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


#: On PYTHONPATH in the demo's and the tests' processes only: sends clients that libraries
#: create with their own endpoint URL to the local AWS too (see its docstring).
REDIRECT = Path(__file__).resolve().parent / "local_aws_redirect"


def aws_env(endpoint: str) -> dict[str, str]:
    """Environment that points boto3 (and the AWS SDK for JavaScript) at the local server,
    including the clients of libraries that pass an endpoint URL of their own (the analytics
    extension in kernels and jobs, SageMaker's scheduler plugin in the server)."""
    pythonpath = [str(REDIRECT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "LOCAL_AWS_ENDPOINT_URL": endpoint,
        "PYTHONPATH": os.pathsep.join(dict.fromkeys(pythonpath)),
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }


def _run_cluster(emr, spec: dict, instances: dict = INSTANCES) -> str:
    return emr.run_job_flow(
        ReleaseLabel="emr-6.15.0",
        Instances=instances,
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        **spec,
    )["JobFlowId"]


def _cluster_names(emr, states: list[str]) -> list[str]:
    names = []
    for page in emr.get_paginator("list_clusters").paginate(ClusterStates=states):
        names.extend(c["Name"] for c in page["Clusters"])
    return names


def seed(endpoint: str, extra_clusters: int = 0) -> None:
    """Creates the demo resources that are missing; leaves existing ones alone."""
    emr = client("emr", endpoint)
    try:
        emr.describe_security_configuration(Name=KERBEROS_SECURITY_CONFIGURATION)
    except emr.exceptions.InvalidRequestException:
        emr.create_security_configuration(
            Name=KERBEROS_SECURITY_CONFIGURATION,
            SecurityConfiguration=json.dumps(
                {
                    "AuthenticationConfiguration": {
                        "KerberosConfiguration": {
                            "Provider": "ClusterDedicatedKdc",
                            "ClusterDedicatedKdcConfiguration": {"TicketLifetimeInHours": 24},
                        }
                    }
                }
            ),
        )
    active = set(_cluster_names(emr, ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]))
    for spec in ACTIVE_CLUSTERS:
        if spec["Name"] not in active:
            _run_cluster(emr, spec, INSTANCE_GROUPS)
    terminated = _cluster_names(emr, ["TERMINATED"])
    missing = TERMINATED_CLUSTER_COUNT - sum(n.startswith("old-nightly-") for n in terminated)
    if missing > 0:
        ids = [
            _run_cluster(emr, {"Name": f"old-nightly-{i}", "Applications": SPARK_APPS})
            for i in range(missing)
        ]
        emr.terminate_job_flows(JobFlowIds=ids)
    for i in range(extra_clusters):
        _run_cluster(emr, {"Name": f"bulk-{i:05d}", "Applications": SPARK_APPS})

    sm = client("secretsmanager", endpoint)
    names = set()
    for page in sm.get_paginator("list_secrets").paginate():
        names.update(s["Name"] for s in page["SecretList"])
    for secret in SECRETS:
        if secret["Name"] not in names:
            sm.create_secret(**secret)

    _seed_serverless(endpoint)

    import local_aws_network  # the Studio VPC, its domains and the clusters in it

    local_aws_network.seed(endpoint)


def _seed_serverless(endpoint: str) -> None:
    emrs = client("emr-serverless", endpoint)
    names = set()
    for page in emrs.get_paginator("list_applications").paginate():
        names.update(a["name"] for a in page["applications"] if a["state"] != "TERMINATED")
    for spec in SERVERLESS_APPLICATIONS:
        if spec["name"] in names:
            continue
        app_id = emrs.create_application(
            name=spec["name"],
            releaseLabel=SERVERLESS_RELEASE_LABEL,
            type="SPARK",
            autoStartConfiguration={"enabled": spec["autoStart"]},
            autoStopConfiguration={"enabled": True, "idleTimeoutMinutes": 15},
        )["applicationId"]
        if spec["state"] == "STOPPED":
            emrs.stop_application(applicationId=app_id)

    iam = client("iam", endpoint)
    try:
        iam.get_role(RoleName=SERVERLESS_EXECUTION_ROLE)
    except iam.exceptions.NoSuchEntityException:
        iam.create_role(
            RoleName=SERVERLESS_EXECUTION_ROLE,
            Path="/service-role/",
            AssumeRolePolicyDocument=json.dumps(SERVERLESS_TRUST_POLICY),
            Description="Execution role of the demo's EMR Serverless applications",
        )


def serverless_application_id(endpoint: str, name: str) -> str:
    """The id of a seeded serverless application (ids are made by the local AWS)."""
    emrs = client("emr-serverless", endpoint)
    for page in emrs.get_paginator("list_applications").paginate():
        for a in page["applications"]:
            if a["name"] == name and a["state"] != "TERMINATED":
                return a["id"]
    raise LookupError(name)


def _primary_dns_as_emr_reports_it() -> None:
    """Makes the local AWS name a cluster's primary node as EMR does.

    EMR's DescribeCluster reports ``MasterPublicDnsName`` as the primary instance's own DNS
    name, and sagemaker-studio-sparkmagic-lib finds the primary node by matching it against
    ListInstances. moto inserts the region into the name ("ec2-1-2-3-4.us-east-1.compute-1...")
    so that no instance matches and the magic stops there; with this, it goes on to fetch the
    secret and call Livy, as it would against EMR.
    """
    from moto.emr.models import Cluster

    moto_name = Cluster.master_public_dns_name
    if getattr(moto_name.fget, "fixed", False):
        return

    def master_public_dns_name(cluster) -> str:
        for instance in cluster.ec2_instances:
            if (
                cluster.master_instance_group_id
                and instance.instance_group.id == cluster.master_instance_group_id
            ):
                return instance.public_dns_name
        return moto_name.fget(cluster)

    master_public_dns_name.fixed = True  # type: ignore[attr-defined]
    Cluster.master_public_dns_name = property(master_public_dns_name)


#: The private DNS name the local AWS gives a Kerberos cluster's primary node (see
#: _kerberos_primary_on_this_machine); ``kerberos_primary_at`` changes it.
_KERBEROS_PRIMARY = {"host": "localhost"}


def kerberos_primary_at(host: str) -> str:
    """Names a Kerberos cluster's primary node ``host``: the name under which the local KDC
    (demo/local_kdc.py, ``LocalKdc.host``) listens on port 88. Returns the name it had."""
    before, _KERBEROS_PRIMARY["host"] = _KERBEROS_PRIMARY["host"], host
    return before


def _kerberos_primary_on_this_machine() -> None:
    """Makes the local AWS report a Kerberos cluster's primary node under a private DNS name
    that resolves to this machine.

    %sm_analytics writes /etc/krb5.conf with the primary node's private DNS name on port 88 as
    the realm's KDC (EMR's cluster-dedicated KDC runs there), so a KDC on this machine's loopback
    (demo/local_kdc.py) is the one its kinit asks. Other clusters' nodes keep moto's names.
    """
    from moto.emr.models import Cluster, Instance

    if getattr(Instance.private_dns_name.fget, "fixed", False):
        return
    moto_add_instance = Cluster.add_instance
    moto_name = Instance.private_dns_name

    def add_instance(cluster, instance) -> None:
        instance.cluster = cluster
        moto_add_instance(cluster, instance)

    def private_dns_name(instance) -> str:
        cluster = getattr(instance, "cluster", None)
        if (
            cluster is not None
            and cluster.kerberos_attributes
            and cluster.master_instance_group_id
            and instance.instance_group.id == cluster.master_instance_group_id
        ):
            return _KERBEROS_PRIMARY["host"]
        return moto_name.fget(instance)

    private_dns_name.fixed = True  # type: ignore[attr-defined]
    Cluster.add_instance = add_instance
    Instance.private_dns_name = property(private_dns_name)


class LocalAws:
    """A moto server on 127.0.0.1; ``port=0`` picks a free port. With ``log``, its per-request
    log goes to that file instead of the terminal."""

    def __init__(self, port: int = 0, log: Path | None = None):
        from moto.server import ThreadedMotoServer

        _primary_dns_as_emr_reports_it()
        _kerberos_primary_on_this_machine()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.endpoint = ""
        if log is not None:
            # werkzeug writes each request to stderr unless its logger has a handler.
            requests = logging.getLogger("werkzeug")
            requests.addHandler(logging.FileHandler(log))
            requests.setLevel(logging.INFO)
            requests.propagate = False

    def start(self) -> LocalAws:
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> LocalAws:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("MOTO_PORT", "0")))
    parser.add_argument("--extra-clusters", type=int, default=0)
    args = parser.parse_args()
    with LocalAws(args.port) as aws:
        seed(aws.endpoint, extra_clusters=args.extra_clusters)
        print(aws.endpoint, flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
