"""tools/figures.py (issue 37): the figures the docs quote come from a run's junit XML. A
small junit file gives the counts, each skip reason with its count, the failed test, the
duration, the client matrix (from the file's properties when the plugin's JSON is absent),
and the README's figures regions rewritten; nothing outside the regions changes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENT = json.dumps({"client": "zeep", "version": "4.3.1", "mode": "server",
                     "area": "SOAP Retrieve"}).replace('"', "&quot;")
JUNIT = f"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="1" skipped="3" tests="6"
  time="152.4" timestamp="2026-12-07T10:00:00.000000+00:00" hostname="ci">
 <testcase classname="tests.test_a" name="test_one" time="0.1"/>
 <testcase classname="tests.test_a" name="test_two[x]" time="0.2"/>
 <testcase classname="tests.test_browser" name="test_page" time="0.0">
  <skipped type="pytest.skip" message="no Chromium installed">skip</skipped></testcase>
 <testcase classname="tests.test_browser" name="test_clock" time="0.0">
  <skipped type="pytest.skip" message="no Chromium installed">skip</skipped></testcase>
 <testcase classname="tests.test_sfmc_soap_clients" name="test_zeep[server]" time="1.5">
  <properties><property name="vendorsim_client" value="{CLIENT}"/></properties>
  <failure message="AssertionError: zeep choked">trace</failure></testcase>
 <testcase classname="tests.marketo.test_b" name="test_docker" time="0.0">
  <skipped type="pytest.skip" message="no Docker engine">skip</skipped></testcase>
</testsuite></testsuites>
"""
README = """# vendorsim
Tests: <!-- figures:tests -->1,581 passed, 3 skipped<!-- /figures:tests --> on CI.
Clients: <!-- figures:clients -->old<!-- /figures:clients -->
Unmarked: 1,581 passed stays as written.
"""


def run(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT)
    (tmp_path / "README.md").write_text(README)
    return subprocess.run([sys.executable, str(ROOT / "tools" / "figures.py"), "--junit",
                           str(junit), "--docs", str(tmp_path / "docs"), "--readme",
                           str(tmp_path / "README.md"), "--matrix", str(tmp_path / "none.json"),
                           "--no-coverage", *extra],
                          capture_output=True, text=True, timeout=120)


def test_the_script_regenerates_the_figures_from_a_small_junit_file(tmp_path: Path) -> None:
    done = run(tmp_path, "--scope", "a small file")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "docs" / "test-run.md").read_text()
    assert "do not edit" in page.splitlines()[0] and "Scope: a small file." in page
    assert "**2 passed, 3 skipped, 1 failed in 152 s (run of 2026-12-07 10:00:00 UTC).**" in page
    assert "| 2 | no Chromium installed |" in page and "| 1 | no Docker engine |" in page
    assert "| `tests/test_sfmc_soap_clients.py::test_zeep[server]` | AssertionError: zeep " \
           "choked |" in page
    matrix = (tmp_path / "docs" / "compatibility.md").read_text()
    assert "| zeep | 4.3.1 | server | SOAP Retrieve | **fails** | 0/1/0 | " \
           "AssertionError: zeep choked |" in matrix
    assert "## Known not to work" in matrix and "marketorestpython" in matrix
    readme = (tmp_path / "README.md").read_text()
    assert "<!-- figures:tests -->2 passed, 3 skipped, 1 failed in 152 s" in readme
    assert "<!-- figures:clients -->1 client libraries in 1 library × version × mode rows: " \
           "0 work, 1 fail, 0 skipped" in readme
    assert "Unmarked: 1,581 passed stays as written." in readme
    assert not (tmp_path / "docs" / "coverage.md").exists()


def test_the_plugins_matrix_file_is_preferred_and_regions_can_be_left_alone(
        tmp_path: Path) -> None:
    from tests.client_matrix import build

    matrix = build([{"test": "t.py::x", "client": "httpx", "version": "0.28.1",
                     "mode": "in-process", "area": "sync", "outcome": "passed", "reason": "",
                     "duration": 0.1}], generated="2026-12-07T10:00:00Z")
    (tmp_path / "m.json").write_text(json.dumps(matrix))
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT)
    (tmp_path / "README.md").write_text(README)
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "figures.py"), "--junit",
                           str(junit), "--docs", str(tmp_path / "docs"), "--matrix",
                           str(tmp_path / "m.json"), "--readme", str(tmp_path / "README.md"),
                           "--no-coverage", "--no-regions"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "docs" / "compatibility.md").read_text()
    assert "| httpx | 0.28.1 | in-process | sync | works | 1/0/0 |" in page
    assert "| zeep |" not in page  # the junit file's client is not the matrix file's
    assert (tmp_path / "README.md").read_text() == README


def test_without_a_junit_file_it_says_how_to_get_one(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "figures.py"), "--junit",
                           str(tmp_path / "none.xml"), "--docs", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--junitxml" in done.stdout
