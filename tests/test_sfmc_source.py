"""The SFMC source in the engine (B-SFMC-01/02/03/05): scheduled, incremental ingestion that
drives streaming audiences; a package without Data Extensions: Read is reported; generated
data in scenarios."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.helpers import scenario
from vendorsim.simulator.engine.run import Engine, run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

FIXTURE = Path(__file__).parent.parent / "fixtures" / "scenarios" / "sfmc_ingestion.yaml"


def test_ingestion_feeds_the_streaming_audience() -> None:
    report = run_scenario(load_scenario(FIXTURE))
    source = report.sources[0]
    assert source.runs == 3 and source.profiles_created == 2 and source.errors == []
    assert report.passed, report.verdicts
    reads = [e for e in report.journal if e["vendor"] == "sfmc" and "rowset" in e["path"]]
    # hourly from the start; the `advance` step at 11:00 only makes the replay go on
    assert [e["time"][11:16] for e in reads] == ["09:00", "10:00", "11:00"]


def test_incremental_runs_read_only_changed_rows() -> None:
    report = run_scenario(load_scenario(FIXTURE))
    assert report.sources[0].rows == 3  # 2 rows, then only Bo's changed row, then none


def test_full_reads_without_a_modified_column(tmp_path: Path) -> None:
    doc = yaml.safe_load(FIXTURE.read_text())
    del doc["sources"][0]["modified_column"]
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    report = run_scenario(load_scenario(path))
    assert report.sources[0].rows == 6  # every run reads both rows


def test_missing_read_scope_is_reported(tmp_path: Path) -> None:
    doc = yaml.safe_load(FIXTURE.read_text())
    doc["vendors"]["sfmc"][0]["credentials"] = [
        {"client_id": "vendorsim", "client_secret": "vendorsim", "scopes": ["email_read"]}]
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    report = run_scenario(load_scenario(path))
    assert "Data Extensions: Read" in report.sources[0].errors[0]
    assert not report.passed  # nobody reached Marketo


def test_generated_data(tmp_path: Path) -> None:
    doc = {"name": "g", "data": {"generate": {"count": 200, "seed": 4}},
           "audiences": [{"id": "vps", "name": "VPs",
                          "all": [{"attribute": "person.seniority", "equals": "VP"}]}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    engine = Engine(load_scenario(path))
    assert len(engine.people) == 200 and len(engine.accounts) == 10
    assert all(p["accountId"] in engine.accounts for p in engine.people.values())


def test_an_events_source_feeds_an_event_audience(tmp_path: Path) -> None:
    """B-SFMC-02: activity data extension rows become events used for segmentation."""
    activity = {"name": "Activity", "key": "activity", "fields": [
        {"name": "EventKey", "type": "Text", "isPrimaryKey": True},
        {"name": "EmailAddress", "type": "EmailAddress"},
        {"name": "EventType", "type": "Text"}, {"name": "EventDate", "type": "Date"}],
        "rows": [{"EventKey": "E1", "EmailAddress": "p1@x.example", "EventType": "form_submit",
                  "EventDate": "2026-01-05T08:00:00"},
                 {"EventKey": "E2", "EmailAddress": "nobody@x.example",
                  "EventType": "form_submit", "EventDate": "2026-01-05T08:00:00"}]}
    report = scenario(
        tmp_path, {"all": [{"attribute": "event.type", "equals": "form_submit",
                            "within": "7d"}]},
        [{"at": "+1h", "action": "advance", "by": "0s"}],
        vendors={"marketo": [{"munchkin_id": "123-ABC-456"}],
                 "sfmc": [{"subdomain": "mc-acme", "data_extensions": [activity]}]},
        sources=[{"id": "act", "type": "sfmc", "subdomain": "mc-acme",
                  "data_extension": "activity", "kind": "events",
                  "mapping": {"EmailAddress": "email", "EventType": "type",
                              "EventDate": "timestamp"}}])
    assert report.destinations[0].listed == 1
    source = report.sources[0]
    assert source.skipped_rows >= 1 and source.profiles_created == 0
