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
