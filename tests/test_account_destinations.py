"""Bombora and Demandbase destinations through the engine: account audiences only
(B-BOM-01, B-DB-01), segmentation-service origin only (B-BOM-02, B-DB-02), mandatory
mappings with primaryId never exported (B-BOM-05), names reused from another dataflow
refused (B-BOM-06, B-DB-05), account changes at the daily batch (B-B2B-04/05)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from vendorsim.simulator.engine.run import Engine, run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

FIXTURE = Path(__file__).parent.parent / "fixtures" / "scenarios" / "account_audiences.yaml"
MAPPINGS = {"bombora": {"primaryId": "accountId", "companyWebsiteDomain": "domain"},
            "demandbase": {"primaryId": "accountId", "accountName": "name",
                           "accountEmailDomain": "domain"}}


def run(tmp_path: Path, vendor: str, audience: dict, mappings: dict | None = None) -> Engine:
    doc = {"name": "t", "start": "2026-01-05T09:00:00Z",
           "data": {"accounts": [{"accountId": "A1", "name": "Acme", "domain": "acme.com",
                                  "industry": "Retail"}],
                    "people": [{"personId": "P1", "email": "p@acme.com"}]},
           "audiences": [{"id": "a", "name": "A", **audience}],
           "destinations": [{"id": "d", "type": vendor, "client_id": "cdp",
                             "mappings": MAPPINGS[vendor] if mappings is None else mappings,
                             "audiences": ["a"]}],
           "timeline": [{"at": "+0s", "action": "activate", "destination": "d",
                         "audience": "a"}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    engine = Engine(load_scenario(path))
    engine.run()
    return engine


def test_fixture_scenario_passes() -> None:
    report = run_scenario(load_scenario(FIXTURE))
    assert report.passed, report.verdicts
    refused = {d.id: d.refused for d in report.destinations}
    assert "B-BOM-06" in refused["bombora-2"][0]
    assert "B-DB-05" in refused["demandbase-1"][0]


@pytest.mark.parametrize("vendor", ["bombora", "demandbase"])
def test_accounts_arrive_without_primary_id(tmp_path: Path, vendor: str) -> None:
    engine = run(tmp_path, vendor, {"type": "account", "all": [
        {"attribute": "account.industry", "equals": "Retail"}]})
    report = engine.reports["d"]
    assert report.listed == 1 and report.refused == []
    if vendor == "demandbase":
        stored = engine.cloud.demandbase("cdp").accounts["acme.com"]
        assert "primaryId" not in stored and stored["accountName"] == "Acme"
    else:
        lists = engine.cloud.bombora("cdp").lists.values()
        assert [a["domain"] for x in lists for a in x.accounts.values()] == ["acme.com"]


@pytest.mark.parametrize("vendor", ["bombora", "demandbase"])
@pytest.mark.parametrize(("audience", "mappings", "words"), [
    ({"type": "people", "members": ["P1"]}, None, "-01"),
    ({"type": "account", "origin": "custom_upload", "members": ["A1"]}, None, "-02"),
    ({"type": "account", "members": ["A1"]}, {"companyWebsiteDomain": "domain",
                                      "accountName": "name", "accountEmailDomain": "domain"},
     "primaryId"),
])
def test_refusals(tmp_path: Path, vendor: str, audience: dict, mappings: dict | None,
                  words: str) -> None:
    engine = run(tmp_path, vendor, audience, mappings)
    refused = engine.reports["d"].refused
    assert len(refused) == 1 and words in refused[0]
    assert engine.reports["d"].listed == 0
    writes = engine.cloud.journal.entries(vendor=vendor, method="POST", path="account")
    assert writes == []
