"""The same scenario replays alike on the embedded mocks and on a running vendorsim (issue 4:
`vendorsim run --target URL`): seeding, faults, the virtual clock and the checks go through
the admin API, the connectors through the vendors' APIs on the server's ports."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorsim.mocks.server import ServerRunner
from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.engine.remote import RemoteVendors
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

SCENARIOS = sorted((Path(__file__).parent.parent / "fixtures" / "scenarios").glob("*.yaml"))
FAST = [p for p in SCENARIOS if "quota" not in p.name]  # the day at quota is a benchmark


def outcome(report) -> list:  # type: ignore[no-untyped-def]
    return [(d.id, d.sent_entries, d.updated, d.created, d.listed, d.unlisted, sorted(d.failed),
             sorted(d.dropped), d.refused) for d in report.destinations]


@pytest.mark.parametrize("path", FAST, ids=lambda p: p.stem)
def test_a_fixture_replays_alike_against_a_server(path: Path,
                                                  vendorsim_server: ServerRunner) -> None:
    embedded = run_scenario(load_scenario(path))
    remote = run_scenario(load_scenario(path), RemoteVendors(vendorsim_server.urls))
    assert [v.passed for v in remote.verdicts] == [v.passed for v in embedded.verdicts]
    assert outcome(remote) == outcome(embedded)
    assert remote.passed, [v for v in remote.verdicts if not v.passed]
    assert remote.journal and all(c["path"] for c in remote.journal)  # the server's journal


def test_vendorsim_run_target_finds_the_vendor_ports(vendorsim_server: ServerRunner,
                                                     capsys: pytest.CaptureFixture) -> None:
    demo = next(p for p in SCENARIOS if p.stem == "demo")
    assert vendorsim(["run", str(demo), "--target", vendorsim_server.urls["cloud"]]) == 0
    assert "PASS" in capsys.readouterr().out
    leads = vendorsim_server.cloud.marketo("123-ABC-456").leads  # the server holds the result
    assert len(leads) >= 4


def test_an_unreachable_target_is_one_line_and_exit_2(capsys: pytest.CaptureFixture) -> None:
    demo = next(p for p in SCENARIOS if p.stem == "demo")
    assert vendorsim(["run", str(demo), "--target", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach http://127.0.0.1:9" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_target_behind_other_ports_is_reached_through_the_given_one(
        vendorsim_server: ServerRunner, capsys: pytest.CaptureFixture) -> None:
    """As behind `vendorsim docker up --random-ports`: the health answer names ports the
    client cannot use (here: another host name), so every vendor goes through the given port
    under /{vendor}/."""
    given = vendorsim_server.urls["cloud"].replace("127.0.0.1", "localhost")
    found = RemoteVendors.discover(given)
    assert found.urls["marketo"] == f"{given}/marketo"
    demo = next(p for p in SCENARIOS if p.stem == "demo")
    assert vendorsim(["run", str(demo), "--target", given]) == 0
    assert "FAIL" not in capsys.readouterr().out
