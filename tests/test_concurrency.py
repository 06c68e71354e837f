"""Concurrent dataflows on one virtual clock (issue 14): every dataflow and source is its own
process; one's waiting never holds back another; dataflows into one instance share its limits
fairly; calls held in flight can see 615; and time never runs backwards."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import yaml

from vendorsim.simulator.engine.processes import ClockWentBackwards, Scheduler
from vendorsim.simulator.engine.run import Engine, run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scenarios"
SCENARIOS = sorted(p for p in FIXTURES.glob("*.yaml") if "quota" not in p.name)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_fixture_journal_runs_backwards(path: Path) -> None:
    journal = run_scenario(load_scenario(path)).journal
    assert journal
    for before, after in zip(journal, journal[1:], strict=False):
        assert before["seq"] < after["seq"] and before["epoch"] <= after["epoch"], (before,
                                                                                   after)


def test_a_waiting_dataflow_never_holds_back_another() -> None:
    report = run_scenario(load_scenario(FIXTURES / "concurrent_dataflows.yaml"))
    assert report.passed, report.verdicts
    start = 1767625200.0  # 2026-01-05T15:00:00Z
    by_id = {d.id: d for d in report.destinations}
    for flow in ("bombora", "demandbase"):  # activated at +1 min, done within 5 min
        (batch,) = by_id[flow].batches
        assert batch["sent"] == start + 60 and batch["done"] - batch["sent"] <= 300
        assert batch["outcome"] == "delivered"
    (marketo,) = by_id["mkto"].batches
    assert marketo["done"] == 1767679200.0  # 2026-01-06T06:00Z: midnight in Chicago
    assert by_id["mkto"].throttled == 1 and by_id["mkto"].created == 4
    # the ABM calls happened at 15:01, between Marketo's first calls and its post-midnight
    # ones, in sequence order as in time
    vendors = [e["vendor"] for e in report.journal]
    first_abm = next(i for i, v in enumerate(vendors) if v != "marketo")
    last_abm = max(i for i, v in enumerate(vendors) if v != "marketo")
    assert "marketo" in vendors[:first_abm] and "marketo" in vendors[last_abm:]


def test_two_dataflows_share_one_instance_window_fairly() -> None:
    report = run_scenario(load_scenario(FIXTURES / "shared_marketo_window.yaml"))
    assert report.passed, report.verdicts
    start = report.journal[0]["epoch"]
    admitted: collections.Counter[int] = collections.Counter()
    refused: collections.Counter[int] = collections.Counter()
    for entry in report.journal:
        if "identity" in entry["path"]:
            continue  # token calls do not count against Marketo's rate
        window = int((entry["epoch"] - start) // 20)
        (refused if "606" in entry["codes"] else admitted)[window] += 1
    windows = sorted(admitted)
    assert all(admitted[w] == 100 for w in windows[:-1]) and admitted[windows[-1]] <= 100
    flows = [d for d in report.destinations]
    last = max(f.batches[0]["done"] for f in flows)
    # one 606 per window boundary for the API client both dataflows use: the dataflow told
    # waits the window out, the other holds off instead of running into it too
    assert sum(f.throttled for f in flows) == int((last - start) // 20)
    assert sum(refused.values()) == sum(f.throttled for f in flows)
    assert all(f.updated == 150 for f in flows)  # neither starves
    assert abs(flows[0].batches[0]["done"] - flows[1].batches[0]["done"]) <= 20
    assert report.client_verdicts == []


def test_more_than_ten_calls_in_flight_see_615(tmp_path: Path) -> None:
    """Eleven dataflows into one instance at one instant, each call held 2 s inside Marketo
    (a latency fault): the eleventh concurrent call is refused with 615 and waited out."""
    people = [{"personId": f"P{i}", "email": f"p{i}@x.example", "team": f"t{i}"}
              for i in range(11)]
    doc = {"name": "in flight", "vendors": {"marketo": [{"munchkin_id": "123-ABC-456",
                                                          "leads": [{"email": p["email"]}
                                                                    for p in people]}]},
           "data": {"people": people},
           "audiences": [{"id": f"a{i}", "name": f"A{i}",
                          "all": [{"attribute": "person.team", "equals": f"t{i}"}]}
                         for i in range(11)],
           "destinations": [{"id": f"m{i}", "type": "marketo", "munchkin_id": "123-ABC-456",
                             "sync_type": "profile_only",
                             "person_action": "update_existing_only",
                             "mappings": {"email": "person.email"}, "audiences": [f"a{i}"],
                             "delivery": {"policy": "lossless"}} for i in range(11)],
           "timeline": [{"at": "+0s", "action": "activate", "destination": f"m{i}",
                         "audience": f"a{i}"} for i in range(11)],
           "faults": [{"latency": 2, "path": "describe2"}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    report = run_scenario(load_scenario(path))
    concurrent = [e for e in report.journal if "615" in e["codes"]]
    assert concurrent, "no call saw more than ten in flight"
    assert report.passed, report.verdicts  # and every dataflow waited it out
    assert sum(d.updated for d in report.destinations) == 11


def test_the_clock_only_moves_forward() -> None:
    seen: list[float] = []
    plan = Scheduler(100.0, seen.append)
    order: list[str] = []

    def slow() -> None:
        order.append("slow starts")
        plan.sleep(50)
        order.append(f"slow resumes at {plan.now}")

    plan.give("slow", slow)
    plan.at(110, lambda: order.append("event at 110"))
    plan.run()
    plan.stop()
    assert order == ["slow starts", "event at 110", "slow resumes at 150.0"]
    assert seen == sorted(seen) == [110, 150]
    with pytest.raises(ClockWentBackwards):
        plan.at(120, lambda: None)


def test_connectors_never_move_the_clock_themselves() -> None:
    engine = Engine(load_scenario(FIXTURES / "concurrent_dataflows.yaml"))
    with pytest.raises(AssertionError, match="outside its dataflow"):
        engine._wait(5)  # a wait is only ever a scheduled resumption of a process


def test_the_report_shows_dataflows_side_by_side() -> None:
    from vendorsim.simulator.report import dataflow_rows
    from vendorsim.simulator.report.html import render

    report = run_scenario(load_scenario(FIXTURES / "concurrent_dataflows.yaml"))
    rows = {r["dataflow"]: r for r in dataflow_rows(report)}
    assert rows["mkto/vps"]["done"] == "01-06T06:00" and rows["mkto/vps"]["retries"] == 1
    assert rows["bombora/retail"]["done"] == rows["demandbase/retail"]["done"] == "01-05T15:01"
    page = render(report)
    assert 'aria-label="batches of each dataflow over virtual time"' in page
    lanes = {(e["vendor"], e["tenant"]) for e in report.journal}
    assert page.count('<g class="bin">') >= len(lanes)  # calls binned, in a lane per tenant
    assert page.count("<rect") >= 3  # a bar per batch
