"""The route that removes a SageMaker test run's files from S3 when the user dismisses it.

Each test creates a training job in the local AWS the way SageMaker's scheduler plugin does (its
notebook uploaded under ``<s3_input>/<job>/input/``, its output path the bucket's root, its
notebook's name in the ``sagemaker:notebook-name`` tag) and files of other jobs beside it, some
whose names start with this job's.
"""

from __future__ import annotations

import json
import uuid

import local_aws
import pytest
from tornado.httpclient import HTTPClientError

BUCKET = "sagemaker-automated-execution-123456789012-us-east-1"
ROLE = "arn:aws:iam::123456789012:role/SagemakerJupyterSchedulerEmrNotebookJobs"


def create_job(endpoint: str, notebook: str, output_path: str = f"s3://{BUCKET}/", name: str = "") -> str:
    """A run-now job as SageMaker's plugin creates it, with its files in S3."""
    name = name or f"pyspark-emr-test-{uuid.uuid4().hex[:8]}"
    s3 = local_aws.client("s3", endpoint)
    s3.create_bucket(Bucket=BUCKET)
    local_aws.client("sagemaker", endpoint).create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": "image:latest", "TrainingInputMode": "File"},
        RoleArn=ROLE,
        InputDataConfig=[
            {
                "ChannelName": "sagemaker-headless-execution",
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": f"s3://{BUCKET}/{name}/input",
                        "S3DataDistributionType": "FullyReplicated",
                    }
                },
            }
        ],
        OutputDataConfig={"S3OutputPath": output_path},
        ResourceConfig={"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 30},
        StoppingCondition={"MaxRuntimeInSeconds": 1800},
        Tags=[
            {"Key": "sagemaker:notebook-name", "Value": notebook},
            {"Key": "sagemaker:is-scheduling-notebook-job", "Value": "true"},
        ],
    )
    return name


def put(endpoint: str, *keys: str) -> None:
    s3 = local_aws.client("s3", endpoint)
    for key in keys:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"{}")


def keys_under(endpoint: str, prefix: str) -> list[str]:
    s3 = local_aws.client("s3", endpoint)
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))


async def remove(jp_fetch, job: str) -> dict:
    response = await jp_fetch("emr-schedule", "test-runs", "sagemaker", job, method="DELETE")
    assert response.code == 200
    return json.loads(response.body)


async def error_of(jp_fetch, job: str) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("emr-schedule", "test-runs", "sagemaker", job, method="DELETE")
    return err.value.code, json.loads(err.value.response.body)


async def test_a_test_runs_input_and_output_are_removed_and_nothing_else(jp_fetch, local_aws_endpoint):
    job = create_job(local_aws_endpoint, "pyspark-emr-test-20261207T120000Z.ipynb")
    mine = [
        f"{job}/input/pyspark-emr-test-20261207T120000Z.ipynb",
        f"{job}/input/init-script.sh",
        f"{job}/output/output.tar.gz",
    ]
    # Another job whose name starts with this one's, and another test run.
    others = [f"{job}-2/input/x.ipynb", f"{job}x/output/output.tar.gz", "other-job/input/y.ipynb"]
    put(local_aws_endpoint, *mine, *others)

    answer = await remove(jp_fetch, job)

    assert answer == {"jobId": job, "removed": 3, "prefixes": [f"s3://{BUCKET}/{job}/"]}
    assert keys_under(local_aws_endpoint, f"{job}/") == []
    for key in others:
        assert keys_under(local_aws_endpoint, key) == [key]
    # Again: nothing left to remove is no error.
    assert (await remove(jp_fetch, job))["removed"] == 0


async def test_an_output_path_under_a_prefix_is_followed(jp_fetch, local_aws_endpoint):
    job = create_job(
        local_aws_endpoint, "python-emr-test-20261207T120000Z.ipynb", output_path=f"s3://{BUCKET}/outputs"
    )
    put(local_aws_endpoint, f"{job}/input/n.ipynb", f"outputs/{job}/output/output.tar.gz", "outputs/keep.txt")

    answer = await remove(jp_fetch, job)

    assert answer["prefixes"] == [f"s3://{BUCKET}/{job}/", f"s3://{BUCKET}/outputs/{job}/"]
    assert answer["removed"] == 2
    assert keys_under(local_aws_endpoint, "outputs/") == ["outputs/keep.txt"]


@pytest.mark.parametrize("notebook", ["pyspark-emr.ipynb", "report-test.ipynb", ""])
async def test_a_job_that_is_no_test_run_keeps_its_files(jp_fetch, local_aws_endpoint, notebook):
    job = create_job(local_aws_endpoint, notebook)
    put(local_aws_endpoint, f"{job}/input/{notebook or 'n.ipynb'}")

    code, err = await error_of(jp_fetch, job)

    assert code == 409 and err["code"] == "NotATestRun"
    assert "nothing was removed" in err["message"]
    assert keys_under(local_aws_endpoint, f"{job}/") != []


@pytest.mark.parametrize("job", ["has space", "-leading-dash", "x" * 64])
async def test_a_malformed_job_name_is_refused(jp_fetch, job):
    code, err = await error_of(jp_fetch, job)
    assert code == 400 and err["field"] == "jobId"


async def test_a_job_that_does_not_exist_says_so(jp_fetch, local_aws_endpoint):
    code, err = await error_of(jp_fetch, "no-such-training-job")
    assert code in {400, 404}
    assert err["message"] and "Traceback" not in json.dumps(err)


async def output_of(jp_fetch, job: str) -> dict:
    response = await jp_fetch("emr-schedule", "test-runs", "sagemaker", job)
    assert response.code == 200
    return json.loads(response.body)


async def test_a_job_reported_ended_without_output_is_said_to_have_none(jp_fetch, local_aws_endpoint):
    """The local AWS reports every training job Completed at once and runs none: no output."""
    job = create_job(local_aws_endpoint, "pyspark-emr-test-20261207T120000Z.ipynb")
    put(local_aws_endpoint, f"{job}/input/pyspark-emr-test-20261207T120000Z.ipynb")

    answer = await output_of(jp_fetch, job)

    assert answer == {
        "jobId": job,
        "status": "Completed",
        "output": f"s3://{BUCKET}/{job}/output/",
        "outputWritten": False,
    }


async def test_a_job_that_wrote_its_output_says_so(jp_fetch, local_aws_endpoint):
    job = create_job(local_aws_endpoint, "pyspark-emr-test-20261207T120000Z.ipynb", f"s3://{BUCKET}/out/")
    # What a training job that ran uploads: its output and model archives.
    put(local_aws_endpoint, f"out/{job}/output/output.tar.gz", f"out/{job}/output/model.tar.gz")

    answer = await output_of(jp_fetch, job)

    assert answer["output"] == f"s3://{BUCKET}/out/{job}/output/"
    assert answer["outputWritten"] is True
