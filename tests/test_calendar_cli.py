"""The vendor calendar from the command line and from pytest (issue 25): `vendorsim run
--as-of` replays a scenario as the vendors will be on a date, `serve --as-of` pins the
server, `--vendorsim-as-of` a whole pytest suite; bad dates and unknown rules are one-line
errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

EXAMPLE = Path(__file__).parent.parent / "examples" / "sfmc_to_cdp.yaml"


def old_secret_scenario(tmp_path: Path) -> Path:
    """The SFMC example with its package's secret generated on 2025-01-01: fine while the
    scenario's clock is in January 2026, expired once secrets expire (2026-09-30)."""
    text = EXAMPLE.read_text().replace(
        "    - subdomain: mc-acme ", "    - credentials: [{client_id: vendorsim, client_secret: "
        "vendorsim, issued_at: 2025-01-01T00:00:00Z}]\n      subdomain: mc-acme ", 1)
    path = tmp_path / "old_secret.yaml"
    path.write_text(text)
    return path


def test_run_as_of_a_date_breaks_what_that_date_breaks(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    scenario = old_secret_scenario(tmp_path)
    assert vendorsim(["check", str(scenario)]) == 0
    assert vendorsim(["run", str(scenario)]) == 0  # on the scenario's clock: January 2026
    capsys.readouterr()
    out = tmp_path / "report.json"
    assert vendorsim(["run", str(scenario), "--as-of", "2026-10-01", "--json", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "vendor calendar: as of 2026-10-01" in printed
    assert "SFMC refused the credentials" in printed and "invalid_client" in printed
    assert vendorsim(["run", str(scenario), "--as-of", "2026-10-01",
                      "--opt-out", "sfmc.secret_expiry"]) == 0


def test_the_report_says_which_calendar_it_ran_on() -> None:
    report = run_scenario(load_scenario(EXAMPLE), as_of="2027-01-01",
                          opt_out=("marketo.query_token",))
    assert report.header["vendor calendar"] == "as of 2027-01-01"
    assert report.header["opted out"] == "marketo.query_token"
    assert run_scenario(load_scenario(EXAMPLE)).header["vendor calendar"] == \
        "on the virtual clock"


@pytest.mark.parametrize("command", ["run", "serve"])
@pytest.mark.parametrize("options, error", [
    (["--as-of", "someday"], "as_of"),
    (["--opt-out", "marketo.nope"], "no dated rule 'marketo.nope'"),
])
def test_a_bad_date_or_rule_is_one_line_and_exit_2(command: str, options: list[str],
                                                   error: str,
                                                   capsys: pytest.CaptureFixture) -> None:
    args = [command, str(EXAMPLE)] if command == "run" else [command, "--port", "0"]
    assert vendorsim(args + options) == 2
    err = capsys.readouterr().err
    assert error in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_serve_as_of_pins_the_server(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port", "0",
         "--no-vendor-ports", "--clock", "virtual", "--as-of", "2026-08-30",
         "--opt-out", "sfmc.secret_expiry"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        urls = None
        for line in process.stdout:
            if line.startswith("VENDORSIM_URLS "):
                urls = json.loads(line.split(" ", 1)[1])
                break
        assert urls is not None
        body = requests.get(f"{urls['cloud']}/__admin/calendar", timeout=10).json()
        assert body["pin"] == {"as_of": "2026-08-30T00:00:00Z",
                               "opt_out": ["sfmc.secret_expiry"]}
        held = {r["name"]: r["in_force"] for v in body["vendors"].values() for r in v["rules"]}
        assert held == {"marketo.query_token": False, "marketo.activities_big_list": False,
                        "sfmc.secret_expiry": False, "sfmc.ens_retry": True}
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_pytest_suite_replays_as_of_a_date(tmp_path: Path) -> None:
    (tmp_path / "test_suite.py").write_text(
        "import requests\n"
        "BASE = 'https://123-ABC-456.mktorest.com'\n"
        "def query_token_works():\n"
        "    token = requests.get(BASE + '/identity/oauth/token', params={\n"
        "        'grant_type': 'client_credentials', 'client_id': 'c',\n"
        "        'client_secret': 's'}).json()['access_token']\n"
        "    return requests.get(BASE + '/rest/v1/leads/partitions.json',\n"
        "                        params={'access_token': token}).json()['success']\n"
        "def test_fixture(vendorsim):\n"
        "    assert query_token_works()\n"
        "def test_target(vendorsim_target):\n"
        "    assert query_token_works()\n")

    def pytest_run(*options: str) -> str:
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "-p", "no:randomly", "-p", "no:xdist", str(tmp_path),
                               *options],
                              capture_output=True, text=True, cwd=tmp_path, timeout=120)
        return done.stdout + done.stderr

    assert "2 failed" in pytest_run("--vendorsim-as-of", "2026-09-01")
    assert "2 passed" in pytest_run("--vendorsim-as-of", "2026-08-01")
    assert "2 passed" in pytest_run("--vendorsim-as-of", "2026-09-01",
                                    "--vendorsim-opt-out", "marketo.query_token")
