"""One reconciliation behind every number of a run's report (issue 22): per dataflow, the
profiles sent are exactly those delivered, skipped, dropped and failed; each destination's
totals are the sums of its dataflows; the calls, throttled answers and retries agree with
the journal; the terminal, JSON and HTML show the same figures, open with what was run,
and never print Python's None or JSON's null. For every fixture and example scenario."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.report import CALLS, FATES, RECORDS, Report, dataflow_rows, to_json
from vendorsim.simulator.report.html import render
from vendorsim.simulator.report.terminal import print_report
from vendorsim.simulator.scenario.loader import load_scenario

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "fixtures" / "scenarios").glob("*.yaml")) + \
    sorted((ROOT / "examples").glob("*.yaml"))
THROTTLE_CODES = {"606", "607", "615"}
NO_NONE = re.compile(r"\b(None|null)\b")


def terminal(report: Report) -> str:
    out = io.StringIO()
    print_report(Console(file=out, width=160, color_system=None), report)
    return out.getvalue()


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def ran(request: pytest.FixtureRequest) -> Report:
    return run_scenario(load_scenario(request.param))


def test_profiles_sent_are_delivered_skipped_dropped_or_failed(ran: Report) -> None:
    for dest in ran.destinations:
        for flow in dest.flows.values():
            assert flow.sent == sum(flow.fates.values()), (dest.id, flow)
            for batch in flow.batches:
                assert batch["profiles"] == sum(batch[k] for k in FATES), batch
            assert sum(b["profiles"] for b in flow.batches) == flow.sent


def test_destination_totals_are_the_sums_of_their_dataflows(ran: Report) -> None:
    rows = dataflow_rows(ran)
    for dest in ran.destinations:
        mine = [r for r in rows if r["dataflow"].split("/", 1)[0] == dest.id]
        summary = dest.summary()
        assert f"{sum(r['profiles'] for r in mine):,}" in \
            summary["profiles sent (entries + exits)"]
        for fate, label in zip(FATES, ("profiles delivered", "profiles skipped (by design)",
                                       "profiles dropped (delivery policy)",
                                       "profiles failed (vendor refused)"), strict=True):
            assert summary[label] == f"{sum(r[fate] for r in mine):,}", (dest.id, fate)
        assert summary["calls: API calls"] == f"{sum(r['calls'] for r in mine):,}"
        assert summary["calls: retries"] == f"{sum(r['retries'] for r in mine):,}"
        for name in RECORDS:
            assert dest.total("records", name) == sum(f.records[name]
                                                      for f in dest.flows.values())


def test_calls_agree_with_the_journal(ran: Report) -> None:
    made = sum(d.calls for d in ran.destinations) + sum(s.calls for s in ran.sources) + \
        sum(r["calls"] for r in ran.sends)  # send steps' calls (issue 36)
    assert made == len(ran.journal), (made, len(ran.journal))
    throttled = sum(1 for e in ran.journal if set(e["codes"]) & THROTTLE_CODES
                    or e["status"] in (420, 429))
    counted = sum(d.throttled for d in ran.destinations)
    assert counted <= throttled  # sources count none; every one is in the journal
    if not ran.sources:
        assert counted == throttled
    refused = sum(1 for e in ran.journal if e["refused"])
    assert sum(d.retries for d in ran.destinations) <= refused


def test_terminal_json_and_html_show_the_same_figures(ran: Report) -> None:
    text, page = terminal(ran), render(ran)
    data = json.loads(json.dumps(to_json(ran)))
    for dest, out in zip(ran.destinations, data["destinations"], strict=True):
        assert out["totals"] == dest.summary()
        for label, value in dest.summary().items():
            assert label in text and value in text and value in page, (label, value)
        for audience, flow in dest.flows.items():
            exported = out["flows"][audience]
            assert {k: exported["fates"][k] for k in FATES} == flow.fates
            assert {k: exported["calls"][k] for k in CALLS} == flow.calls
    assert data["dataflows"] == dataflow_rows(ran)


def test_the_report_opens_with_what_was_run(ran: Report) -> None:
    header = ran.header
    for key in ("scenario file", "description", "vendorsim", "seed", "ran at"):
        assert header.get(key), key
    page = render(ran)
    assert page.index(header["scenario file"]) < page.index("<section")
    assert terminal(ran).lstrip().startswith("scenario file:")


def test_no_python_none_or_json_null_in_what_a_person_reads(ran: Report) -> None:
    text = terminal(ran)
    visible = re.sub(r"<[^>]+>", " ", render(ran))
    assert not NO_NONE.search(text), NO_NONE.search(text)
    assert not NO_NONE.search(visible), visible[max(0, NO_NONE.search(visible).start() - 80):
                                                 NO_NONE.search(visible).start() + 80]


def test_an_injected_606_leaves_the_simulators_client_clean(tmp_path: Path) -> None:
    """The README's own fault on the demo: `vendorsim run --strict` passes a correct client."""
    import yaml

    from vendorsim.simulator.cli import main

    doc = yaml.safe_load((ROOT / "fixtures" / "scenarios" / "demo.yaml").read_text())
    doc["faults"] = [{"error_code": "606", "times": 3}]
    path = tmp_path / "faulted.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    assert main(["run", str(path), "--strict"]) == 0
    report = run_scenario(load_scenario(path))
    assert report.destinations[0].throttled == 3 and report.client_verdicts == []
