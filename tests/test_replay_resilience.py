"""A replay that meets connection faults and dead targets (issue 22): a `faults:` entry with
`connection:` is retried by the dataflow's delivery policy like any failure the platform
sees, embedded and against a server; every call has a timeout; a target that dies or hangs
mid-replay ends the run with one line and exit 2 in bounded time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from vendorsim.mocks.server import ServerRunner
from vendorsim.simulator.engine.remote import RemoteVendors
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

ROOT = Path(__file__).parent.parent
DEMO = ROOT / "fixtures" / "scenarios" / "demo.yaml"


def with_faults(tmp_path: Path, faults: list[dict], policy: str | None = None) -> Path:
    doc = yaml.safe_load(DEMO.read_text())
    doc["faults"] = faults
    if policy:
        doc["destinations"][0]["delivery"] = {"policy": policy}
    path = tmp_path / "faulty.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


@pytest.mark.parametrize("kind", ["reset", "empty", "garbage", "truncated", "hang"])
def test_a_connection_fault_is_retried_by_the_policy(tmp_path: Path, kind: str) -> None:
    report = run_scenario(load_scenario(with_faults(tmp_path, [
        {"connection": kind, "times": 2, "path": "leads.json", "hang": 5}])))
    mkto = report.destinations[0]
    assert mkto.retries == 2 and not mkto.dropped and not mkto.failed
    assert report.passed, [v.detail for v in report.verdicts if not v.passed]
    assert sum(1 for e in report.journal if e["codes"] == [f"connection:{kind}"]) == 2


def test_a_fault_outlasting_best_effort_drops_with_the_reason(tmp_path: Path) -> None:
    report = run_scenario(load_scenario(with_faults(tmp_path, [
        {"connection": "reset", "path": "leads.json"}])))
    mkto = report.destinations[0]
    assert mkto.dropped and all("no answer from Marketo" in why and "reset" in why
                                for why in mkto.dropped.values())


def test_a_hang_ends_at_the_clients_timeout_on_the_virtual_clock(tmp_path: Path) -> None:
    path = with_faults(tmp_path, [{"connection": "hang", "hang": 600, "times": 1,
                                   "path": "leads.json"}])
    report = run_scenario(load_scenario(path), read_timeout=60)
    waited = [e for e in report.journal if e["codes"] == ["connection:hang"]][0]
    after = [e for e in report.journal if e["seq"] == waited["seq"] + 1][0]
    assert 60 <= after["epoch"] - waited["epoch"] < 600  # the client gave up at 60 s


def test_connection_faults_against_a_server(tmp_path: Path) -> None:
    runner = ServerRunner(_virtual_cloud(), port=0).start()
    try:
        path = with_faults(tmp_path, [{"connection": "reset", "times": 1, "path": "leads"},
                                      {"connection": "truncated", "times": 1,
                                       "path": "leads"}])
        report = run_scenario(load_scenario(path), RemoteVendors.discover(runner.urls["cloud"]))
        assert report.destinations[0].retries == 2 and report.passed
    finally:
        runner.stop()


def _virtual_cloud():  # type: ignore[no-untyped-def]
    from vendorsim import Cloud

    return Cloud("virtual")


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen, dict]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port", "0", "--clock",
         "virtual"], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    urls: dict = {}
    for line in process.stdout:  # type: ignore[union-attr]
        if line.startswith("VENDORSIM_URLS "):
            urls = json.loads(line.split(" ", 1)[1])
            break
    yield process, urls
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)
        process.kill()
    process.wait(timeout=10)


def _faults(cloud_url: str) -> list[dict]:
    try:
        answer = requests.get(f"{cloud_url}/__admin/faults", timeout=5).json()
    except (requests.RequestException, ValueError):
        return []
    return answer if isinstance(answer, list) else answer.get("faults", [])


def test_a_target_that_hangs_mid_replay_ends_the_run_in_bounded_time(
        tmp_path: Path, served: tuple[subprocess.Popen, dict]) -> None:
    process, urls = served
    # the server holds a call for 4 s (wall): meanwhile it is stopped (SIGSTOP) for good
    path = with_faults(tmp_path, [{"connection": "hang", "hang": 4, "times": 1,
                                   "path": "leads.json"}])
    run = subprocess.Popen([sys.executable, "-m", "vendorsim.simulator.cli", "run", str(path),
                            "--target", urls["cloud"], "--timeout", "2"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60  # until the server is holding the hung call
    while not any(rule.get("fired") for rule in _faults(urls["cloud"])):
        assert time.monotonic() < deadline and run.poll() is None, run.communicate()
        time.sleep(0.05)  # (polling the harness's own server, not a wait in the system)
    process.send_signal(signal.SIGSTOP)
    started = time.monotonic()
    out, err = run.communicate(timeout=60)
    assert run.returncode == 2, out + err
    assert time.monotonic() - started < 30
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "stopped answering" in lines[0], err
    assert "Traceback" not in err


def test_a_target_that_is_gone_ends_the_run_at_once(
        tmp_path: Path, served: tuple[subprocess.Popen, dict]) -> None:
    process, urls = served
    path = with_faults(tmp_path, [{"connection": "hang", "hang": 4, "times": 1,
                                   "path": "leads.json"}])
    run = subprocess.Popen([sys.executable, "-m", "vendorsim.simulator.cli", "run", str(path),
                            "--target", urls["cloud"], "--timeout", "2"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60  # until the server is holding the hung call
    while not any(rule.get("fired") for rule in _faults(urls["cloud"])):
        assert time.monotonic() < deadline and run.poll() is None, run.communicate()
        time.sleep(0.05)  # (polling the harness's own server, not a wait in the system)
    process.kill()
    out, err = run.communicate(timeout=60)
    assert run.returncode == 2 and "stopped answering" in err and "Traceback" not in err, err
