"""The Studio stack of the demo and the UI tests: JupyterLab 4.5 with SageMaker's scheduler plugin.

SageMaker Studio's users schedule notebooks with ``amazon-sagemaker-jupyter-scheduler``, whose
Create Job form lists IAM roles, creates an S3 bucket and, on Create, uploads the notebook and
calls SageMaker. ``demo/run.py --studio`` runs that plugin, from PyPI and unchanged, in a venv of
its own (``make studio-venv``: requirements-studio.txt plus this project's wheel), against the
embedded local AWS. This module prepares what the plugin expects to find:

- in the local AWS, an IAM role whose name starts with ``SagemakerJupyterScheduler`` (the only
  roles its form offers as the job's execution role);
- on disk, Studio's app metadata at ``/opt/ml/metadata/resource-metadata.json``. The plugin
  reads that fixed path when it creates a job (and for the app type); it is written only while
  the Studio server runs, and what was there before is put back when it stops
  (``resource_metadata``);
- ``jupyter`` of the Studio venv first on ``PATH`` (the plugin runs ``jupyter labextension
  list`` to tell Studio from a plain JupyterLab).

Outside Studio the plugin runs in its "local JupyterLab" mode: Studio's own UI extensions, which
switch its form to Studio mode, are not published. The form, its Environment variables rows and
the job it creates are the same component and the same calls in both modes.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import local_aws  # noqa: E402

#: Built by ``make studio-venv``; never the project's own .venv.
VENV = ROOT / ".stamps" / "studio-venv"
PYTHON = VENV / "bin" / "python"

#: SageMaker's form lists the roles whose names start with this (SAGEMAKER_ROLE_PREFIX).
ROLE_PREFIX = "SagemakerJupyterScheduler"
ROLE_NAME = f"{ROLE_PREFIX}EmrNotebookJobs"
ROLE_ARN = f"arn:aws:iam::{local_aws.ACCOUNT}:role/{ROLE_NAME}"
#: The bucket the plugin creates for a job's input and output.
BUCKET = f"sagemaker-automated-execution-{local_aws.ACCOUNT}-{local_aws.REGION}"

METADATA = Path("/opt/ml/metadata/resource-metadata.json")
DOMAIN_NAME = "emr-schedule-demo"
SPACE_NAME = "emr-schedule-demo"


def resource_metadata_of(domain_id: str) -> dict:
    """What a JupyterLab space in SageMaker Studio has at METADATA (the documented fields)."""
    return {
        "AppType": "JupyterLab",
        "DomainId": domain_id,
        "SpaceName": SPACE_NAME,
        "UserProfileName": "",
        "ExecutionRoleArn": ROLE_ARN,
        "ResourceArn": (
            f"arn:aws:sagemaker:{local_aws.REGION}:{local_aws.ACCOUNT}:app/{domain_id}/{SPACE_NAME}/JupyterLab/default"
        ),
        "ResourceName": "default",
        "AppImageVersion": "",
    }


TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def check_venv() -> None:
    if not PYTHON.exists():
        raise SystemExit(f"{PYTHON} is missing: run `make demo-studio` (or `make studio-venv`) first.")


def seed(endpoint: str) -> str:
    """Creates the execution role SageMaker's form offers and the Studio domain the metadata
    names (SageMaker's common extension asks for it at start); idempotent. Returns the
    domain's id."""
    iam = local_aws.client("iam", endpoint)
    try:
        iam.get_role(RoleName=ROLE_NAME)
    except iam.exceptions.NoSuchEntityException:
        iam.create_role(
            RoleName=ROLE_NAME,
            AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
            Description="Runs the demo's scheduled notebooks (SageMaker training jobs)",
        )
    sagemaker = local_aws.client("sagemaker", endpoint)
    for domain in sagemaker.list_domains()["Domains"]:
        if domain["DomainName"] == DOMAIN_NAME:
            return domain["DomainId"]
    ec2 = local_aws.client("ec2", endpoint)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    in_vpc = [{"Name": "vpc-id", "Values": [vpc]}]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=in_vpc)["Subnets"]]
    arn = sagemaker.create_domain(
        DomainName=DOMAIN_NAME,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN},
        SubnetIds=subnets[:2],
        VpcId=vpc,
    )["DomainArn"]
    return arn.rsplit("/", 1)[-1]


def env(base: dict[str, str]) -> dict[str, str]:
    """The Studio server's environment: the Studio venv's tools first on PATH."""
    path = [str(VENV / "bin"), *filter(None, base.get("PATH", "").split(os.pathsep))]
    return {**base, "PATH": os.pathsep.join(dict.fromkeys(path))}


def _ours(path: Path) -> bool:
    """Whether the file at ``path`` is what ``resource_metadata`` writes (left by a run that
    was killed before it could clean up)."""
    try:
        return json.loads(path.read_text()).get("SpaceName") == SPACE_NAME
    except (OSError, ValueError, AttributeError):
        return False


@contextlib.contextmanager
def resource_metadata(domain_id: str, path: Path = METADATA) -> Iterator[Path | None]:
    """Writes Studio's app metadata where SageMaker's plugin reads it, for as long as the
    server runs; then restores what was there, or removes the file and the empty folders
    (``/opt/ml/metadata``, ``/opt/ml``) it lives in. A file this wrote before is not kept.
    Where the path cannot be written (not root), says so: the form still works, creating a
    job does not."""
    before = path.read_bytes() if path.exists() and not _ours(path) else None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(resource_metadata_of(domain_id), indent=2))
    except OSError as err:
        print(f"  Could not write {path} ({err}): SageMaker's form cannot create jobs here.", flush=True)
        yield None
        return
    try:
        yield path
    finally:
        if before is None:
            path.unlink(missing_ok=True)
            for folder in (path.parent, path.parent.parent):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only when empty
        else:
            path.write_bytes(before)
