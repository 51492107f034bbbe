"""DELETE ``<base_url>emr-schedule/test-runs/sagemaker/<job>``: a SageMaker test run's files.

A test run on SageMaker's scheduler plugin is a SageMaker training job. Deleting it through the
plugin stops and archives the job but leaves what it wrote to S3: the uploaded notebook under
``<s3_input>/<job>/`` (its input channel, ``.../<job>/input``) and the output under
``<S3OutputPath>/<job>/``. This route removes both prefixes, and only for a test run's job: the
plugin tags every job with its notebook's name (``sagemaker:notebook-name``), and a test run's
notebook is named ``<notebook>-test-<UTC stamp>.ipynb`` (src/core/testRun.ts). Anything else is
refused and nothing is removed. Answers ``{"jobId", "removed", "prefixes"}``.

GET on the same path tells whether a job SageMaker reports as ended left output: a training job
that ran uploads its output under ``<S3OutputPath>/<job>/output/`` (the notebook job's
``output.tar.gz``, and ``model.tar.gz`` for every training job), so a job reported Completed with
nothing there did not run as reported. Answers ``{"jobId", "status", "output", "outputWritten"}``
(the output's S3 prefix, and whether any object is under it).
"""

from __future__ import annotations

import re

import tornado
from jupyter_server.auth.decorator import authorized

from . import aws
from .handlers import BadRequest, BaseHandler

#: SageMaker's pattern for a training job name.
TRAINING_JOB_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
#: A test run's notebook (src/core/testRun.ts, testRunFileName).
TEST_RUN_NOTEBOOK = re.compile(r"[A-Za-z0-9._-]{1,60}-test-\d{8}T\d{6}Z\.ipynb")
#: The tag SageMaker's plugin gives a job with its notebook's file name.
NOTEBOOK_NAME_TAG = "sagemaker:notebook-name"
S3_URI = re.compile(r"s3://([^/]+)/?(.*)")

#: Every action the route may call, for the server's policy.
ACTIONS = [
    "sagemaker:DescribeTrainingJob",
    "sagemaker:ListTags",
    "s3:ListBucket",
    "s3:DeleteObject",
]


def _tags(arn: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    token = None
    while True:
        args = {"ResourceArn": arn, **({"NextToken": token} if token else {})}
        page = aws._call("sagemaker", "sagemaker:ListTags", "list_tags", **args)
        tags.update({t["Key"]: t["Value"] for t in page.get("Tags", [])})
        token = page.get("NextToken")
        if not token:
            return tags


def job_prefixes(job: dict) -> list[tuple[str, str]]:
    """The (bucket, key prefix) pairs SageMaker's plugin writes a run-now job's files under."""
    name = job["TrainingJobName"]
    found: list[tuple[str, str]] = []
    uris = [
        channel.get("DataSource", {}).get("S3DataSource", {}).get("S3Uri", "")
        for channel in job.get("InputDataConfig", [])
    ]
    output = job.get("OutputDataConfig", {}).get("S3OutputPath", "")
    for uri, is_output in [*((u, False) for u in uris), (output, True)]:
        match = S3_URI.fullmatch(uri or "")
        if not match:
            continue
        bucket, key = match.group(1), match.group(2).strip("/")
        parts = key.split("/") if key else []
        if name in parts:
            # <s3_input>/<job>/input, or an output path that names the job already.
            prefix = "/".join(parts[: parts.index(name) + 1]) + "/"
        elif is_output:
            # SageMaker writes a job's output under <S3OutputPath>/<job>/.
            prefix = "/".join([*parts, name]) + "/"
        else:
            continue
        if (bucket, prefix) not in found:
            found.append((bucket, prefix))
    return found


def _remove_prefix(bucket: str, prefix: str) -> int:
    removed = 0
    token = None
    while True:
        args = {"Bucket": bucket, "Prefix": prefix, **({"ContinuationToken": token} if token else {})}
        page = aws._call("s3", "s3:ListBucket", "list_objects_v2", **args)
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            delete = {"Objects": keys, "Quiet": True}
            answer = aws._call("s3", "s3:DeleteObject", "delete_objects", Bucket=bucket, Delete=delete)
            errors = answer.get("Errors", [])
            if errors:
                first = errors[0]
                denied = first.get("Code") == "AccessDenied"
                raise aws.AwsError(
                    403 if denied else 502,
                    first.get("Code", "DeleteFailed"),
                    f"S3 did not delete s3://{bucket}/{first.get('Key', '')}: {first.get('Message', '')}",
                    action="s3:DeleteObject" if denied else None,
                )
            removed += len(keys)
        token = page.get("NextContinuationToken")
        if not page.get("IsTruncated") or not token:
            return removed


def _describe(job_name: str) -> dict:
    return aws._call(
        "sagemaker", "sagemaker:DescribeTrainingJob", "describe_training_job", TrainingJobName=job_name
    )


def output_prefix(job: dict) -> tuple[str, str] | None:
    """Where SageMaker uploads a training job's output: ``<S3OutputPath>/<job>/output/``."""
    match = S3_URI.fullmatch(job.get("OutputDataConfig", {}).get("S3OutputPath", "") or "")
    if not match:
        return None
    name = job["TrainingJobName"]
    parts = [p for p in match.group(2).split("/") if p]
    if parts[-1:] != [name]:
        parts.append(name)
    return match.group(1), "/".join([*parts, "output"]) + "/"


def test_run_output(job_name: str) -> dict:
    job = _describe(job_name)
    where = output_prefix(job)
    written = False
    if where is not None:
        bucket, prefix = where
        page = aws._call("s3", "s3:ListBucket", "list_objects_v2", Bucket=bucket, Prefix=prefix, MaxKeys=1)
        written = bool(page.get("Contents"))
    return {
        "jobId": job_name,
        "status": job.get("TrainingJobStatus", ""),
        "output": f"s3://{where[0]}/{where[1]}" if where else None,
        "outputWritten": written,
    }


def remove_test_run_files(job_name: str) -> dict:
    job = _describe(job_name)
    notebook = _tags(job["TrainingJobArn"]).get(NOTEBOOK_NAME_TAG, "")
    if not TEST_RUN_NOTEBOOK.fullmatch(notebook):
        raise aws.AwsError(
            409,
            "NotATestRun",
            f"{job_name} is not a test run's job (its notebook is {notebook or 'not named'}); "
            "nothing was removed.",
        )
    prefixes = job_prefixes(job)
    removed = sum(_remove_prefix(bucket, prefix) for bucket, prefix in prefixes)
    return {"jobId": job_name, "removed": removed, "prefixes": [f"s3://{b}/{p}" for b, p in prefixes]}


class TestRunFilesHandler(BaseHandler):
    path_field = "jobId"

    @tornado.web.authenticated
    @authorized
    async def get(self, job_name: str):
        if not TRAINING_JOB_NAME.fullmatch(job_name):
            raise BadRequest("jobId", "A training job name is 1 to 63 letters, digits and dashes.")
        await self.answer(test_run_output, job_name)

    @tornado.web.authenticated
    @authorized
    async def delete(self, job_name: str):
        if not TRAINING_JOB_NAME.fullmatch(job_name):
            raise BadRequest("jobId", "A training job name is 1 to 63 letters, digits and dashes.")
        await self.answer(remove_test_run_files, job_name)
