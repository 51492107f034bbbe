"""The job's environment variables reach the kernel that runs the notebook."""

from jupyterlab_emr_schedule.scheduler import environment_from_parameters


def test_only_valid_names_become_environment_variables():
    env = environment_from_parameters(
        {
            "cluster_id": "j-1ABCDEFGHIJKL",
            "auth_type": "Basic_Access",
            "bad name": "x",
            "1starts_with_digit": "x",
            "flag": True,
            "count": 3,
            "nul": "a\x00b",
            "unset": None,
        }
    )
    assert env == {
        "cluster_id": "j-1ABCDEFGHIJKL",
        "auth_type": "Basic_Access",
        "flag": "true",
        "count": "3",
    }


def test_no_parameters_means_no_variables():
    assert environment_from_parameters(None) == {}


def test_sagemakers_scheduler_is_reported_as_passing_the_job_environment_not_switched():
    """SageMaker's scheduler sends the variables as the SageMaker job's Environment; it has
    no execution manager to switch, and the status says how the variables travel."""
    from jupyterlab_emr_schedule.scheduler import scheduler_status

    SageMakerStudioLabScheduler = type("SageMakerStudioLabScheduler", (), {})
    SageMakerStudioLabScheduler.__module__ = "amazon_sagemaker_jupyter_scheduler.scheduler"
    status = scheduler_status({"scheduler": SageMakerStudioLabScheduler()})
    assert status == {
        "installed": True,
        "kind": "SageMakerStudioLabScheduler",
        "exportsEnvironment": True,
        "how": "sagemaker-job-environment",
    }


def test_an_unknown_scheduler_that_runs_jobs_elsewhere_is_not_claimed_to_export():
    from jupyterlab_emr_schedule.scheduler import scheduler_status

    status = scheduler_status({"scheduler": type("RemoteScheduler", (), {})()})
    assert status["exportsEnvironment"] is False and status["kind"] == "RemoteScheduler"
