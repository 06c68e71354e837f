"""Sends in scenarios (issue 36, item 2): the timeline's `send` step made through the vendors'
public APIs on the virtual clock, the engagement model set in the scenario, the report's sends
and engagement, and engagement in generated histories (B-SFMC-02: email interactions become
events)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendorsim.mocks.server import ServerRunner
from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.engine.remote import RemoteVendors
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.generate import GeneratorConfig, ProfileGenerator
from vendorsim.simulator.report import Report
from vendorsim.simulator.scenario.loader import ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "scenarios" / "sends_and_engagement.yaml"

BASE = """\
name: sends
start: 2026-03-02T09:00:00Z
vendors:
  sfmc:
    - subdomain: acme-mc
      engagement: {seed: 5, rates: {open: 0.5, click: 0.5, hard_bounce: 0.05}}
      triggered_send_definitions: [{key: welcome, email: 2001}]
      emails: [{id: 2001, name: Welcome, subject: Hi}]
data:
  generate: {count: COUNT, seed: 3}
audiences:
  - {id: all, name: Everyone, type: people, all: [{attribute: person.email, exists: true}]}
timeline:
  - at: +1m
    action: send
    send: {vendor: sfmc, tenant: acme-mc, kind: triggered, definition: welcome, audience: all}
  - {at: +7d, action: advance, by: 1m}
"""


def run_text(tmp_path: Path, text: str, name: str = "s.yaml") -> Report:
    path = tmp_path / name
    path.write_text(text)
    return run_scenario(load_scenario(path))


def problems_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    return [(p.line, str(p)) for p in caught.value.problems]


@pytest.fixture(scope="module")
def fixture_report() -> Report:
    return run_scenario(load_scenario(FIXTURE))


def test_the_fixture_sends_through_each_kind(fixture_report: Report) -> None:
    by_kind = {r["kind"]: r for r in fixture_report.sends}
    assert set(by_kind) == {"triggered", "transactional", "list", "campaign"}
    leaders = by_kind["triggered"]["recipients"]
    assert leaders > 0 and by_kind["triggered"]["accepted"] == leaders
    assert by_kind["transactional"]["accepted"] == 3
    assert by_kind["list"]["accepted"] == 1 and "Send" in by_kind["list"]["what"]
    # the Marketo destination wrote the leaders as leads; the campaign found each by email
    assert by_kind["campaign"]["accepted"] == leaders
    assert not any(r["errors"] for r in fixture_report.sends)


def test_the_report_shows_what_each_sfmc_send_did(fixture_report: Report) -> None:
    rows = {r["kind"]: r for r in fixture_report.engagement if r["vendor"] == "sfmc"}
    assert rows["triggered"]["sent"] == fixture_report.sends[0]["accepted"]
    assert rows["transactional"]["sent"] == 3
    assert rows["list"]["sent"] == 3  # S1-S3 are on list 10; S4 is not
    for row in rows.values():
        assert row["delivered"] == row["sent"] - row["bounced"]
        assert row["bounced"] == row["hard bounced"] + row["soft bounced"]
        assert row["clicked"] <= row["opened"] <= row["delivered"]
    assert rows["triggered"]["opened"] > 0  # 3 days later, at a 0.4-0.7 open rate


def test_the_report_shows_what_the_marketo_campaign_sent(fixture_report: Report) -> None:
    """Read back through activities.json: Send Email, Email Delivered, Open Email, ..."""
    (row,) = [r for r in fixture_report.engagement if r["vendor"] == "marketo"]
    assert row["send"] == "Onboarding.Welcome"  # the email's primary attribute value
    assert row["sent"] == fixture_report.sends[-1]["accepted"] == 25
    assert row["delivered"] + row["bounced"] == row["sent"]
    assert 0 < row["opened"] <= row["delivered"] and row["clicked"] <= row["opened"]


def test_json_and_text_reports_carry_the_sends(tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "r.json"
    assert vendorsim(["run", str(FIXTURE), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert {r["kind"] for r in data["sends"]} == {"triggered", "transactional", "list",
                                                   "campaign"}
    assert {r["send"] for r in data["engagement"]} >= {"Send 1001", "Send 1002", "Send 1003"}
    text = capsys.readouterr().out
    assert "sends and engagement" in text and "send 4" in text
    page = tmp_path / "r.html"
    assert vendorsim(["run", str(FIXTURE), "--html", str(page)]) == 0
    html = page.read_text()
    assert "Sends and engagement" in html and "sfmc acme-mc Send 1001 (triggered)" in html


def test_engagement_follows_the_scenarios_model_and_seed(tmp_path: Path) -> None:
    """1,000 recipients at the rates the scenario sets; the same seed, the same counts; a
    different seed, different ones."""
    text = BASE.replace("COUNT", "1000")
    first = run_text(tmp_path, text).engagement
    again = run_text(tmp_path, text).engagement
    assert first == again
    (row,) = first
    assert row["sent"] == 1000
    assert 20 <= row["hard bounced"] <= 85  # 5 %
    assert 0.4 * row["delivered"] <= row["opened"] <= 0.6 * row["delivered"]
    assert 0.4 * row["opened"] <= row["clicked"] <= 0.6 * row["opened"]
    other = run_text(tmp_path, text.replace("seed: 5", "seed: 6")).engagement
    assert other[0]["opened"] != row["opened"] or other[0]["clicked"] != row["clicked"]


def test_engagement_counts_only_what_happened_by_the_end(tmp_path: Path) -> None:
    """Opens 5 days after delivery: a replay that ends 1 day after the send (its daily
    batch) shows none yet; one that goes on for 7 days shows them."""
    text = BASE.replace("COUNT", "200").replace(
        "{seed: 5,", "{seed: 5, open_delay_hours: 120, open_delay_sigma: 0,")
    early = text.replace("+7d, action: advance, by: 1m", "+2m, action: advance, by: 1s")
    (row,) = run_text(tmp_path, early).engagement
    assert row["sent"] == 200 and row["delivered"] > 0 and row["opened"] == 0
    (row,) = run_text(tmp_path, text).engagement
    assert row["opened"] > 0


def test_a_send_the_vendor_refuses_is_reported_not_raised(tmp_path: Path) -> None:
    text = BASE.replace("COUNT", "5").replace("{key: welcome, email: 2001}",
                                              "{key: welcome, email: 2001, status: Inactive}")
    report = run_text(tmp_path, text)
    (asked,) = report.sends
    assert asked["accepted"] == 0 and asked["refused"] == 5
    assert "Inactive" in asked["errors"][0]
    assert report.engagement == [] or report.engagement[0]["sent"] == 0


def test_a_marketo_campaign_that_cannot_be_requested_is_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text().replace("isTriggerable: true", "isTriggerable: false")
    report = run_text(tmp_path, text)
    (asked,) = [r for r in report.sends if r["kind"] == "campaign"]
    assert asked["accepted"] == 0 and asked["refused"] == asked["recipients"] > 0
    assert "1003" in asked["errors"][0]


@pytest.mark.parametrize(("change", "line", "words"), [
    (("definition: welcome, audience", "definiton: welcome, audience"), 16,
     "did you mean 'definition'"),
    (("tenant: acme-mc, kind", "tenant: acme, kind"), 16, "no SFMC account 'acme'"),
    (("definition: welcome, audience", "definition: hello, audience"), 16,
     "no triggered send definition 'hello'"),
    (("audience: all}", "audience: al}"), 16, "unknown audience 'al'"),
    (("kind: triggered", "kind: campaign"), 16, "made by marketo"),
    (("{seed: 5,", "{seed: 5, rats: {open: 1},"), 6, "did you mean 'rates'"),
    (("open: 0.5,", "open: 1.5,"), 6, "at most 1"),
    (("audience: all}", "audience: all, people: [P-000000001]}"), 16, "one way"),
])
def test_a_wrong_send_is_refused_at_its_line(change: tuple[str, str], line: int,
                                             words: str) -> None:
    found = problems_of(BASE.replace("COUNT", "10").replace(*change))
    assert any(n == line and words in text for n, text in found), found
    assert len(found) == 1, found  # nothing else blamed for it


def test_a_list_send_needs_its_email_and_lists_seeded() -> None:
    text = BASE.replace("COUNT", "10").replace(
        "kind: triggered, definition: welcome, audience: all",
        "kind: list, email: 2999, lists: [1, 77]")
    found = [text for _, text in problems_of(text)]
    assert any("no email 2999" in t for t in found) and any("no list 77" in t for t in found)
    assert not any("no list 1 " in t for t in found)  # All Subscribers is always there


# -- the generator ---------------------------------------------------------------------------
def events_of(config: GeneratorConfig) -> list[dict]:
    return [e for block in ProfileGenerator(config).blocks() for e in block.events]


def test_generated_engagement_is_deterministic_and_optional() -> None:
    """B-SFMC-02: email interactions as events; the rest of the data is the same bytes with or
    without them."""
    with_sends = GeneratorConfig(count=500, seed=4, sends_per_person=3)
    assert events_of(with_sends) == events_of(with_sends)
    plain = [(b.account, b.people) for b in ProfileGenerator(GeneratorConfig(
        count=500, seed=4)).blocks()]
    assert plain == [(b.account, b.people) for b in ProfileGenerator(with_sends).blocks()]
    kinds = {e["type"] for e in events_of(with_sends)}
    assert {"email.send", "email.delivered", "email.open", "email.click"} <= kinds
    assert events_of(GeneratorConfig(count=500, seed=4)) == []


def test_generated_engagement_follows_its_model_and_ends_at_as_of() -> None:
    config = GeneratorConfig(count=2000, seed=1, sends_per_person=2, engagement={
        "seed": 9, "rates": {"open": 0.5, "click": 0.0, "hard_bounce": 0.0,
                             "soft_bounce": 0.0}})
    events = events_of(config)
    sent = sum(e["type"] == "email.send" for e in events)
    opened = sum(e["type"] == "email.open" for e in events)
    assert 3000 <= sent <= 5000  # about 2 a person
    assert 0.4 * sent <= opened <= 0.6 * sent
    assert not any(e["type"] in ("email.click", "email.bounce") for e in events)
    assert max(e["timestamp"] for e in events) <= config.as_of


def test_generator_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="sends_per_person"):
        GeneratorConfig(count=1, sends_per_person=13)
    with pytest.raises(ValueError, match="engagement"):
        GeneratorConfig(count=1, engagement={"sed": 1})


def test_a_scenario_can_generate_engagement_events(tmp_path: Path) -> None:
    text = BASE.replace("COUNT", "50").replace(
        "{count: 50, seed: 3}", "{count: 50, seed: 3, sends_per_person: 4,\n"
        "             engagement: {seed: 1, rates: {open: 0.9}}}")
    parse_scenario(text)
    report = run_text(tmp_path, text)
    assert report.sends[0]["accepted"] == 50


def test_expectations_on_sends_pass_and_fail(tmp_path: Path) -> None:
    text = BASE.replace("COUNT", "100") + """\
expectations:
  sends:
    - {vendor: sfmc, tenant: acme-mc, kind: triggered, at_least: {sent: 100, opened: 1}}
    - {vendor: sfmc, tenant: acme-mc, at_most: {opened: 0}}
    - {vendor: sfmc, tenant: acme-mc, kind: list, at_least: {sent: 1}}
"""
    verdicts = run_text(tmp_path, text).verdicts
    sends = [v for v in verdicts if "sends" in v.expectation]
    assert [v.passed for v in sends] == [True, False, False]
    assert "expected at most 0" in sends[1].detail and "no such send" in sends[2].detail


def test_an_expectation_on_an_unknown_account_is_refused_at_its_line() -> None:
    text = BASE.replace("COUNT", "10") + \
        "expectations:\n  sends:\n    - {vendor: sfmc, tenant: acme, at_least: {sent: 1}}\n"
    found = problems_of(text)
    assert [(n, "no sfmc account 'acme'" in t) for n, t in found] == [(20, True)], found
    typo = text.replace("at_least: {sent", "at_least: {snt")
    assert any(n == 20 and "'sent'" in t for n, t in problems_of(typo))


def test_vendorsim_generate_writes_engagement_events(tmp_path: Path) -> None:
    out = tmp_path / "g"
    assert vendorsim(["generate", "--count", "200", "--seed", "2", "--format", "csv",
                      "--sends-per-person", "3", "--out", str(out), "--workers", "1"]) == 0
    header, *rows = (out / "events.csv").read_text().splitlines()
    assert header.split(",")[-2:] == ["bounceCategory", "bot"]
    assert any(",email.open," in r for r in rows) and any(",email.send," in r for r in rows)
    assert vendorsim(["generate", "--count", "1", "--sends-per-person", "13",
                      "--out", str(tmp_path / "h")]) == 2


def test_a_journey_entry_event_sends_the_journeys_email_later(tmp_path: Path) -> None:
    text = BASE.replace("COUNT", "20").replace(
        "      emails:", "      event_definitions: [{key: APIEvent-1, email: 2001, "
        "delay: 3600}]\n      emails:").replace(
        "kind: triggered, definition: welcome", "kind: journey, definition: APIEvent-1")
    report = run_text(tmp_path, text)
    assert report.sends[0]["accepted"] == 20
    (row,) = report.engagement
    assert (row["kind"], row["sent"]) == ("journey", 20)
    wrong = text.replace("definition: APIEvent-1", "definition: APIEvent-2")
    assert any("no entry event definition 'APIEvent-2'" in t for _, t in problems_of(wrong))


def test_the_engagement_model_reaches_each_vendors_seed_in_its_shape() -> None:
    """Settings left out are left to the mock's defaults; a Marketo instance passes its model
    only when the scenario sets one (a mock that sends campaign email takes it)."""
    from vendorsim.mocks.core.engagement import EngagementModel
    from vendorsim.simulator.scenario.seeds import MarketoInstance, SfmcAccount

    spec = {"seed": 3, "rates": {"open": 0.5}, "segments": [{"where": {"tier": "gold"},
                                                              "rates": {"click": 0.9}}]}
    account = SfmcAccount.model_validate({"subdomain": "a", "engagement": spec})
    seeded = account.seed_state()["engagement"]
    assert seeded == {"seed": 3, "rates": {"open": 0.5}, "segments": [
        {"where": {"tier": "gold"}, "rates": {"click": 0.9}}]}
    model = EngagementModel.from_dict(seeded)
    assert (model.rates.open, model.rates.click) == (0.5, 0.2)  # the rest: the defaults
    assert model.rates_for({"Tier": "Gold"}).click == 0.9
    instance = MarketoInstance.model_validate({"munchkin_id": "123-ABC-456"})
    assert "engagement" not in instance.seed_state()
    with_model = MarketoInstance.model_validate({"munchkin_id": "123-ABC-456",
                                                 "engagement": spec})
    assert with_model.seed_state()["engagement"] == seeded


def test_sends_and_engagement_replay_alike_against_a_server(
        fixture_report: Report, vendorsim_server: ServerRunner) -> None:
    """The same sends over HTTP to a running vendorsim (its listening address: 127.0.0.1),
    the same engagement read back through its admin state."""
    remote = run_scenario(load_scenario(FIXTURE), RemoteVendors(vendorsim_server.urls))
    assert remote.engagement == fixture_report.engagement
    assert [(r["kind"], r["accepted"], r["refused"]) for r in remote.sends] == \
        [(r["kind"], r["accepted"], r["refused"]) for r in fixture_report.sends]
    assert remote.passed
