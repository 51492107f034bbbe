"""The Studio stack of the demo and the UI tests: JupyterLab 4.5 with SageMaker's scheduler plugin.

SageMaker Studio's users schedule notebooks with ``amazon-sagemaker-jupyter-scheduler``, whose
Create Job form lists IAM roles, creates an S3 bucket and, on Create, uploads the notebook and
calls SageMaker. ``demo/run.py --studio`` runs that plugin, from PyPI and unchanged, in a venv of
its own (``make studio-venv``: requirements-studio.txt plus this project's wheel), against the
embedded local AWS. This module prepares what the plugin expects to find:

- in the local AWS, an IAM role whose name starts with ``SagemakerJupyterScheduler`` (the only
  roles its form offers as the job's execution role);
- the Studio domain, space and user profile of ``local_aws_network`` (a ``VpcOnly`` domain in
  the Studio VPC, its security group, the space ``emr-schedule-demo`` its user ``analyst-1``
  owns), which SageMaker's plugin reads for its VPC fields;
- on disk, Studio's app metadata at ``/opt/ml/metadata/resource-metadata.json`` (the domain and
  the space), and Studio's internal metadata at ``/opt/.sagemakerinternal/internal-metadata.json``
  (the stage, which picks SageMaker's endpoint). The plugin reads those fixed paths; they are
  written only while the Studio server runs, and what was there before is put back when it
  stops (``resource_metadata``);
- in the server's environment, what a JupyterLab space in Studio sets (``app_env``):
  ``SAGEMAKER_APP_TYPE=JupyterLab``, which puts the plugin in its SageMaker JupyterLab mode (the
  mode Studio's users run: it reads the domain, offers the domain VPC's private subnets and
  preselects the domain's subnets and security groups), and ``SAGEMAKER_INTERNAL_IMAGE_URI``,
  the space's image (SageMaker Distribution), which the plugin offers as the job's image;
- ``jupyter`` of the Studio venv first on ``PATH`` (the plugin's server extension runs it).
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
import local_aws_network  # noqa: E402

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
#: Studio's internal metadata; the plugin reads it in its SageMaker modes (the stage).
INTERNAL_METADATA = Path("/opt/.sagemakerinternal/internal-metadata.json")
#: The VpcOnly domain's space (local_aws_network seeds it, owned by its user profile).
SPACE_NAME = local_aws_network.SPACE_NAME
#: The space's image: SageMaker Distribution as Studio runs it in us-east-1 (its ECR account).
IMAGE_URI = f"885854791233.dkr.ecr.{local_aws.REGION}.amazonaws.com/sagemaker-distribution-prod:2-cpu"


def resource_metadata_of(domain_id: str) -> dict:
    """What a JupyterLab space in SageMaker Studio has at METADATA (the documented fields). A
    JupyterLab space names its domain and space, not a user profile: the plugin finds the
    space's owner with DescribeSpace."""
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


def internal_metadata_of(network_access_type: str) -> dict:
    """What the plugin reads at INTERNAL_METADATA: the stage (``prod`` keeps SageMaker's own
    endpoint, which the Studio server's clients send to the local AWS) and the domain's network
    access type (in its metrics)."""
    return {"Stage": "prod", "AppNetworkAccessType": network_access_type, "SpaceName": SPACE_NAME}


def app_env() -> dict[str, str]:
    """What Studio sets in a JupyterLab space's environment and SageMaker's plugin reads: the app
    type (its SageMaker JupyterLab mode) and the space's image."""
    return {"SAGEMAKER_APP_TYPE": "JupyterLab", "SAGEMAKER_INTERNAL_IMAGE_URI": IMAGE_URI}


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
    """Creates the execution role SageMaker's form offers (idempotent) and returns the id of the
    Studio domain the metadata names: ``local_aws_network``'s ``VpcOnly`` domain (seeded by
    ``local_aws.seed``), whose space and user profile the plugin reads."""
    iam = local_aws.client("iam", endpoint)
    try:
        iam.get_role(RoleName=ROLE_NAME)
    except iam.exceptions.NoSuchEntityException:
        iam.create_role(
            RoleName=ROLE_NAME,
            AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
            Description="Runs the demo's scheduled notebooks (SageMaker training jobs)",
        )
    try:
        return local_aws_network.domain_id(endpoint)
    except LookupError:
        local_aws_network.seed(endpoint)
        return local_aws_network.domain_id(endpoint)


def network_access_type(endpoint: str, domain_id: str) -> str:
    sagemaker = local_aws.client("sagemaker", endpoint)
    return sagemaker.describe_domain(DomainId=domain_id).get("AppNetworkAccessType", "PublicInternetOnly")


def env(base: dict[str, str]) -> dict[str, str]:
    """The Studio server's environment: the Studio venv's tools first on PATH."""
    path = [str(VENV / "bin"), *filter(None, base.get("PATH", "").split(os.pathsep))]
    return {**base, "PATH": os.pathsep.join(dict.fromkeys(path))}


def _ours(path: Path) -> bool:
    """Whether the file at ``path`` is one ``resource_metadata`` writes (left by a run that was
    killed before it could clean up)."""
    try:
        return json.loads(path.read_text()).get("SpaceName") == SPACE_NAME
    except (OSError, ValueError, AttributeError):
        return False


@contextlib.contextmanager
def _written(path: Path, content: dict) -> Iterator[Path | None]:
    """``content`` at ``path`` while the context lasts; then what was there is put back, or the
    file and the empty folders it lives in are removed. A file this wrote before is not kept.
    Yields None where the path cannot be written (not root)."""
    before = path.read_bytes() if path.exists() and not _ours(path) else None
    created = [folder for folder in (path.parent, path.parent.parent) if not folder.exists()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2))
    except OSError as err:
        print(f"  Could not write {path} ({err}): SageMaker's form cannot create jobs here.", flush=True)
        yield None
        return
    try:
        yield path
    finally:
        if before is None:
            path.unlink(missing_ok=True)
            for folder in created:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only when empty
        else:
            path.write_bytes(before)


@contextlib.contextmanager
def resource_metadata(
    domain_id: str,
    path: Path = METADATA,
    internal: Path = INTERNAL_METADATA,
    access_type: str = "VpcOnly",
) -> Iterator[Path | None]:
    """Writes Studio's app metadata and internal metadata where SageMaker's plugin reads them,
    for as long as the server runs; then restores what was there, or removes the files and the
    folders this created for them (``/opt/ml/metadata``, ``/opt/ml``, ``/opt/.sagemakerinternal``),
    if empty. Where a path cannot be written (not root), says so: the form still works, creating
    a job does not. Yields the app metadata's path (None where it could not be written)."""
    with (
        _written(internal, internal_metadata_of(access_type)),
        _written(path, resource_metadata_of(domain_id)) as app,
    ):
        yield app
