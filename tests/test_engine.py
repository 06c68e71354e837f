"""The engine replays scenarios on the virtual clock: streaming vs batch evaluation
(B-B2B-04/05), the streaming window (B-B2B-06), exits, refusals and expectation verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.helpers import scenario
from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

DEMO = Path(__file__).parent.parent / "fixtures" / "scenarios" / "demo.yaml"
def test_demo_scenario(capsys) -> None:  # type: ignore[no-untyped-def]
    report = run_scenario(load_scenario(DEMO))
    dest = report.destinations[0]
    assert (dest.updated, dest.created, dest.listed, dest.failed) == (2, 2, 4, {})
    assert report.passed and len(report.verdicts) == 3
    assert vendorsim(["run", str(DEMO)]) == 0
    assert "PASS" in capsys.readouterr().out


def test_a_wrong_expectation_fails_the_run(tmp_path: Path) -> None:
    report = scenario(tmp_path, {"all": [{"attribute": "person.seniority", "in": ["VP"]}]}, [],
                      expectations={"marketo_leads": [{"munchkin_id": "123-ABC-456",
                                                       "match": {"email": "p1@x.example"},
                                                       "partition": "EMEA"}]},
                      vendors={"marketo": [{"munchkin_id": "123-ABC-456",
                                            "partitions": ["EMEA"]}]})
    assert not report.passed
    assert "partition is Default, expected EMEA" in report.verdicts[0].detail


def test_streaming_change_is_delivered_within_the_window(tmp_path: Path) -> None:
    """B-B2B-06: a person-only audience is streaming; sharing takes up to 5 minutes."""
    report = scenario(tmp_path, {"all": [{"attribute": "person.seniority", "in": ["CEO"]}]},
                      [{"at": "+1h", "action": "change", "person": "P1",
                        "set": {"seniority": "CEO"}}])
    writes = [e for e in report.journal if e["path"] == "/rest/v1/leads.json"
              and e["method"] == "POST" and e["records"]]
    assert [w["time"] for w in writes] == ["2026-01-05T10:05:00Z"]


def test_account_audiences_wait_for_the_daily_batch(tmp_path: Path) -> None:
    """B-B2B-04/05: audiences using account fields are evaluated in the daily batch."""
    report = scenario(tmp_path, {"all": [{"attribute": "account.industry",
                                          "equals": "Software"}]},
                      [{"at": "+1h", "action": "change", "person": "P1",
                        "set": {"accountId": "A2"}}],
                      data={"accounts": [{"accountId": "A1", "industry": "Retail"},
                                         {"accountId": "A2", "industry": "Software"}],
                            "people": [{"personId": "P1", "email": "p1@x.example",
                                        "firstName": "P", "lastName": "One",
                                        "accountId": "A1"}]})
    writes = [e for e in report.journal if e["path"] == "/rest/v1/leads.json"
              and e["method"] == "POST" and e["records"]]
    assert [w["time"] for w in writes] == ["2026-01-06T09:00:00Z"]


def test_exit_takes_the_lead_off_the_list(tmp_path: Path) -> None:
    report = scenario(tmp_path, {"all": [{"attribute": "person.seniority", "in": ["VP"]}]},
                      [{"at": "+1h", "action": "change", "person": "P1",
                        "set": {"seniority": "Intern"}}],
                      expectations={"marketo_leads": [{"munchkin_id": "123-ABC-456",
                                                       "match": {"email": "p1@x.example"},
                                                       "lists": []}]})
    dest = report.destinations[0]
    assert (dest.listed, dest.unlisted, dest.sent_exits) == (1, 1, 1)
    assert report.passed, report.verdicts


def test_exports_carry_segment_membership_statuses(tmp_path: Path) -> None:
    """vendor-apis.md §5.3: members at activation are `existing`, later entrants `realized`,
    leavers `exited`; the connector acts on the status."""
    people = [{"personId": p, "email": f"{p}@x.example", "firstName": p, "lastName": "X",
               "seniority": s} for p, s in (("P1", "VP"), ("P2", "Intern"))]
    report = scenario(tmp_path, {"all": [{"attribute": "person.seniority", "in": ["VP"]}]},
                      [{"at": "+1h", "action": "change", "person": "P2",
                        "set": {"seniority": "VP"}},
                       {"at": "+2h", "action": "change", "person": "P1",
                        "set": {"seniority": "Intern"}}],
                      data={"people": people})
    dest = report.destinations[0]
    assert dest.statuses == {"existing": 1, "realized": 1, "exited": 1}
    assert (dest.listed, dest.unlisted) == (2, 1)


def test_refused_activation_is_reported_and_sends_nothing(tmp_path: Path) -> None:
    report = scenario(tmp_path, {"type": "account", "members": ["A1"]}, [])
    assert "B-MKT-02" in report.destinations[0].refused[0]
    assert not [e for e in report.journal if e["path"] == "/rest/v1/leads.json"]


FIXTURES = sorted(DEMO.parent.glob("*.yaml"))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_every_fixture_scenario_passes(path: Path) -> None:
    report = run_scenario(load_scenario(path))
    assert report.passed, [v for v in report.verdicts if not v.passed]
    assert report.verdicts  # a fixture that checks nothing proves nothing


def test_html_report(tmp_path: Path) -> None:
    throttled = DEMO.parent / "demandbase_throttling.yaml"
    page = tmp_path / "report.html"
    assert vendorsim(["run", str(throttled), "--html", str(page)]) == 0
    html = page.read_text()
    assert "<svg" in html and html.count("<rect") > 5
    assert "#ef6c00" in html  # throttled calls are drawn in their own colour
    assert "dropped: 2 × " in html and "A3, A4" in html and "Demandbase throttling" in html
    state = tmp_path / "report.state.json"
    assert "demandbase" in json.loads(state.read_text())  # the full vendor state, linked
    assert 'href="report.state.json"' in html


def test_a_duplicate_lead_fails_the_run() -> None:
    """Reconciliation: a second lead for one dedupe value is never silently accepted."""
    from vendorsim.simulator.engine.run import Engine
    from vendorsim.simulator.report.checks import check

    engine = Engine(load_scenario(DEMO))
    report = engine.run()
    assert report.passed
    lead = next(iter(engine.cloud.marketo("123-ABC-456").leads.values()))
    engine.cloud.marketo("123-ABC-456").seed({"leads": [{"email": lead.values["email"]}]})
    failed = [v for v in check(engine) if not v.passed]
    assert failed and "several leads" in failed[0].detail


def test_a_marketo_list_add_lost_by_the_vendor_fails_the_run(tmp_path: Path) -> None:
    """Reconciliation, Marketo side: the vendor answers 'added' but keeps nothing."""
    report = scenario(tmp_path, {"all": [{"attribute": "person.seniority", "in": ["VP"]}]}, [],
                      faults=[{"vendor": "marketo", "drop": 1.0, "path": "^/rest/v1/lists/"}])
    dest = report.destinations[0]
    assert dest.listed == 1 and dest.unaccounted == ["P1"]
    assert not report.passed
    assert any("accepted but not held" in v.detail for v in report.verdicts if not v.passed)


def test_opportunity_audiences_are_batch(tmp_path: Path) -> None:
    """B-B2B-04: an audience on opportunities is evaluated in the daily batch."""
    report = scenario(tmp_path, {"all": [{"attribute": "opportunity.stage",
                                          "equals": "Closed Won"}]},
                      [{"at": "+1h", "action": "advance", "by": "0s"}],
                      data={"accounts": [{"accountId": "A1"}],
                            "opportunities": [{"opportunityId": "O1", "accountId": "A1",
                                               "stage": "Closed Won"}],
                            "people": [{"personId": "P1", "email": "p1@x.example",
                                        "firstName": "P", "lastName": "One",
                                        "accountId": "A1"}]})
    assert report.destinations[0].listed == 1


def test_event_audiences_stream_and_expire(tmp_path: Path) -> None:
    """An audience on events is streaming; `within` lets the membership lapse."""
    report = scenario(tmp_path, {"all": [{"attribute": "event.type", "equals": "form_submit",
                                          "within": "1d"}]},
                      [{"at": "+1h", "action": "event", "person": "P1",
                        "event": {"type": "form_submit"}},
                       {"at": "+2d", "action": "evaluate"}])
    writes = [e["time"] for e in report.journal if e["method"] in ("POST", "DELETE")
              and e["path"].startswith("/rest/v1/lists/")]
    assert writes == ["2026-01-05T10:05:00Z", "2026-01-07T09:00:00Z"]
    dest = report.destinations[0]
    assert (dest.listed, dest.unlisted) == (1, 1)


def test_an_unknown_condition_scope_is_a_validation_error(tmp_path: Path) -> None:
    from vendorsim.simulator.scenario.loader import ScenarioError

    with pytest.raises(ScenarioError, match="person.\\*, account.\\*"):
        scenario(tmp_path, {"all": [{"attribute": "company.size", "gte": 10}]}, [])


def test_generated_duplicates_seed_the_marketo_instances(tmp_path: Path) -> None:
    """Issue 13: `generate:` with duplicate_share and partitions seeds Marketo as
    `vendorsim generate --format marketo` does, so dedupe scenarios need no hand seeds."""
    from vendorsim.simulator.engine.run import Engine
    from vendorsim.simulator.generate import GeneratorConfig, ProfileGenerator
    from vendorsim.simulator.generate.writers import marketo_leads
    from vendorsim.simulator.scenario.loader import load_scenario

    generate = {"count": 60, "seed": 3, "duplicate_share": 0.2, "invalid_share": 0.1,
                "partitions": ["Default", "EMEA"]}
    doc = {"name": "g", "data": {"generate": generate},
           "audiences": [{"id": "a", "name": "A", "all": [{"attribute": "person.seniority",
                                                           "exists": False}]}],
           "destinations": [{"id": "m", "type": "marketo", "munchkin_id": "123-ABC-456",
                             "sync_type": "profile_only",
                             "person_action": "update_existing_only",
                             "mappings": {"email": "person.email"}, "audiences": ["a"]}]}
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump(doc))
    engine = Engine(load_scenario(path))
    engine.run()
    expected = [lead for block in ProfileGenerator(GeneratorConfig(
        count=60, seed=3, duplicate_share=0.2, invalid_share=0.1,
        partitions=("Default", "EMEA"))).blocks() for lead in marketo_leads(block)]
    held = engine.cloud.marketo("123-ABC-456").leads
    assert len(held) == len(expected) > 60 * 0.9  # valid people plus their duplicates
    emails = [lead.values["email"] for lead in held.values()]
    assert len(emails) - len(set(emails)) == sum(1 for b in ProfileGenerator(GeneratorConfig(
        count=60, seed=3, duplicate_share=0.2, invalid_share=0.1,
        partitions=("Default", "EMEA"))).blocks() for p in b.people
        if "duplicateIn" in p and "invalid" not in p)
