"""The JupyterLab versions we support, 4.2 through 4.6 (DESIGN.md section 8).

The browser checks each shared package our remote entry takes from JupyterLab against the
version JupyterLab registers; `jupyter labextension list` checks package.json's dependencies
against the core's. Both must pass on every supported release, so these tests read the
extension as installed (its package.json and built remote entry) and compare it with:

- the JupyterLab installed here (its own bundle and metadata), and by running
  `jupyter labextension list` and loading the page;
- the releases in test/compat/core_versions.json (4.2.0, the lowest, to 4.6), a table made
  from those releases' wheels by test/compat/jupyterlab_range.py.

The same checks run against another environment (e.g. one with JupyterLab 4.2) with
`python test/compat/jupyterlab_range.py check PREFIX --page`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "compat"))

import jupyterlab_range as jr  # noqa: E402

PREFIX = Path(sys.prefix)
TABLE = json.loads(jr.TABLE.read_text())
#: Comes from jupyter-scheduler's labextension, not from JupyterLab's core.
SCHEDULER = "@jupyterlab/scheduler"


@pytest.fixture(scope="module")
def installed():
    directory = jr.labextension_dir(PREFIX)
    assert (directory / "package.json").exists(), f"the extension is not installed in {PREFIX} (make setup)"
    return jr.installed_extension(directory)


def core_modules(consumed):
    """The shared modules we take from JupyterLab's core without a bundled copy."""
    return {n: i for n, i in consumed.items() if not i["bundled"] and n != SCHEDULER}


def test_the_table_covers_the_supported_range():
    minors = {".".join(v.split(".")[:2]) for v in TABLE}
    assert {"4.2", "4.3", "4.4", "4.5", "4.6"} <= minors
    assert jr.LOWEST in TABLE


def test_the_remote_entry_asks_for_package_json_ranges(installed):
    """Each requiredVersion is the range package.json declares, not the version built against."""
    package, consumed = installed
    core = core_modules(consumed)
    assert "@jupyterlab/application" in core and "react" in core
    shared = package["jupyterlab"]["sharedPackages"]
    for name, info in core.items():
        assert name in shared, f"{name} has no requiredVersion in jupyterlab.sharedPackages"
        assert info["requiredVersion"] == shared[name]["requiredVersion"], name
        assert info["requiredVersion"] == package["dependencies"][name], name


@pytest.mark.parametrize("version", list(TABLE))
def test_each_release_ships_what_the_remote_entry_requires(installed, version):
    _, consumed = installed
    assert jr.unsatisfied(consumed, TABLE[version]["shared"]) == []
    missing = set(core_modules(consumed)) - set(TABLE[version]["shared"])
    assert not missing, f"JupyterLab {version} does not share {sorted(missing)}"


@pytest.mark.parametrize("version", list(TABLE))
def test_each_release_finds_our_dependencies_compatible(installed, version):
    package, _ = installed
    assert jr.compatibility_errors(package["dependencies"], TABLE[version]) == []


def test_the_installed_jupyterlab_ships_what_the_remote_entry_requires(installed):
    package, consumed = installed
    core = jr.core_of_static_dir(jr.lab_static_dir(PREFIX))
    assert core["shared"], "no shared modules found in JupyterLab's bundle"
    assert jr.unsatisfied(consumed, core["shared"]) == []
    assert jr.compatibility_errors(package["dependencies"], core) == []


def test_labextension_list_says_ok(installed):
    line, others = jr.labextension_list(PREFIX)
    assert jr.says_ok(line, others), "\n".join([line, *others])


def test_the_installed_scheduler_satisfies_our_range(installed):
    _, consumed = installed
    scheduler = PREFIX / "share" / "jupyter" / "labextensions" / SCHEDULER / "package.json"
    if not scheduler.exists():
        pytest.skip("jupyter-scheduler is not installed")
    version = json.loads(scheduler.read_text())["version"]
    assert jr.satisfies(version, consumed[SCHEDULER]["requiredVersion"])


def test_the_checks_catch_a_build_time_version():
    """What a build against 4.6.4 produced: ranges JupyterLab 4.5 fails, both ways."""
    entry = (
        'moduleIdToConsumeDataMapping:{10:{shareScope:"default",shareKey:"@jupyterlab/application",'
        'import:null,requiredVersion:"^4.6.4",strictVersion:!1,singleton:!0,eager:!1}}'
    )
    consumed = jr.consumed_shared_modules(entry)
    assert consumed == {"@jupyterlab/application": {"requiredVersion": "^4.6.4", "bundled": False}}
    assert jr.unsatisfied(consumed, TABLE["4.5.11"]["shared"]) == [
        "@jupyterlab/application: ships 4.5.11, we require ^4.6.4"
    ]
    assert jr.compatibility_errors({"@jupyterlab/application": "^4.6.0"}, TABLE["4.5.11"]) != []
    assert not jr.says_ok("jupyterlab-emr-schedule v0.1.0 enabled X (python, x)", [])


@pytest.mark.skipif(
    not (Path("/usr/bin/chromium").exists() and shutil.which("node") and (ROOT / "node_modules").exists()),
    reason="needs /usr/bin/chromium, node and node_modules (playwright-core)",
)
def test_the_page_loads_without_unsatisfied_versions(installed):
    report = jr.page_report(PREFIX)
    assert jr.unsatisfied_messages(report) == []
    assert report["sidebarTab"], "our sidebar tab did not appear"
    assert [e for e in report["pageErrors"] if jr.EXTENSION in e] == []
