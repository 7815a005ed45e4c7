# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Outside tickets, Odoo's rules stay Odoo's: the test suites of the modules
that the addon extends pass with it as they pass without it. They run on a
copy of the addon's test database and on the peer's (the same modules but
ours, with their demo data), both made by bin/test; a test that passes on the
peer must pass with the addon. What fails on the peer too (a module's own
failures, e.g. for data that the demo lacks) is compared, not hidden: it is
listed in the output. The peer's results depend only on Odoo and the
packages, and are kept with them."""

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

MODULES = (
    "sale_timesheet",
    "hr_timesheet",
    "sale_project",
    "helpdesk_mgmt",
    "helpdesk_mgmt_project",
    "helpdesk_mgmt_timesheet",
    "project_timesheet_time_control",
)


def _module_test_paths():
    from odoo.modules.module import get_module_path, initialize_sys_path

    initialize_sys_path()
    return [str(Path(get_module_path(module)) / "tests") for module in MODULES]


def _run_suites(database, addons_path, workdir):
    """{test: 'passed', 'failed' or 'skipped'} of the modules' suites on
    ``database``, run with pytest-odoo in a process of its own."""
    workdir.mkdir()
    (workdir / "pytest.ini").write_text("[pytest]\n")
    report = workdir / "report.xml"
    log = workdir / "pytest.log"
    with log.open("w") as output:
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
            + [f"--odoo-database={database}", f"--odoo-addons-path={addons_path}"]
            + ["--odoo-http", "--odoo-log-level=critical"]
            + [f"--junitxml={report}", "-o", "junit_family=xunit1"]
            + [f"--rootdir={workdir}"]
            + _module_test_paths(),
            cwd=workdir,
            check=False,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    assert report.exists(), f"no test ran on {database}:\n{log.read_text()[-3000:]}"
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        # modules have test files and classes of the same names
        module = re.search(r"addons/([^/]+)/tests/", case.get("file") or "")
        name = f"{case.get('classname')}.{case.get('name')}"
        if module:
            name = f"{module[1]}: {name}"
        if case.find("failure") is not None or case.find("error") is not None:
            outcomes[name] = "failed"
        elif case.find("skipped") is not None:
            outcomes.setdefault(name, "skipped")
        else:
            outcomes.setdefault(name, "passed")
    return outcomes


def test_extended_modules_pass_as_without_the_addon(pytestconfig, tmp_path):
    database = os.environ.get("HPB_COMPAT_DB")
    peer_database = os.environ.get("HPB_COMPAT_PEER_DB")
    peer_results = os.environ.get("HPB_COMPAT_PEER_RESULTS")
    assert database and peer_database and peer_results, (
        "bin/test makes the databases that this test compares"
    )
    addons_path = pytestconfig.getoption("--odoo-addons-path")
    # kept for these modules only: another list runs the peer again
    peer_file = Path(peer_results)
    kept = json.loads(peer_file.read_text()) if peer_file.exists() else {}
    if kept.get("modules") == list(MODULES):
        peer = kept["results"]
    else:
        peer = _run_suites(peer_database, addons_path, tmp_path / "peer")
    passed_on_peer = {name for name, outcome in peer.items() if outcome == "passed"}
    assert len(passed_on_peer) > 250, "the modules' suites ran on the peer"
    peer_file.write_text(
        json.dumps({"modules": MODULES, "results": peer}, indent=1, sort_keys=True)
    )
    ours = _run_suites(database, addons_path, tmp_path / "ours")

    broken = sorted(
        name for name in passed_on_peer if ours.get(name, "missing") != "passed"
    )
    own_failures = sorted(name for name, outcome in peer.items() if outcome != "passed")
    print(
        f"\n{len(passed_on_peer)} tests of {', '.join(MODULES)} pass without "
        f"the addon; with it, {len(passed_on_peer) - len(broken)} of them pass."
    )
    if own_failures:
        print("Not passing without the addon either (the modules' own):")
        for name in own_failures:
            print(f"  {name}: {peer[name]} / {ours.get(name, 'missing')}")
    assert not broken, "fail with the addon only:\n" + "\n".join(
        f"  {name}: {ours.get(name, 'missing')}" for name in broken
    )
