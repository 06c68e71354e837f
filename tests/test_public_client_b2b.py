"""The same public Marketo client (marketorestpython), unchanged, on the B2B, activity, bulk
and usage calls a CDP's Marketo source makes (issue 15): every one of these answered 610
before. Its wall-clock pacing is replaced as in test_public_client.py."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from tests.helpers import MUNCHKIN
from vendorsim import Cloud

marketorestpython = pytest.importorskip(
    "marketorestpython.client", reason="marketorestpython is in the dev extra")
http_lib = pytest.importorskip("marketorestpython.helper.http_lib")


@pytest.fixture(autouse=True)
def no_wall_clock_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setattr(http_lib, "time", types.SimpleNamespace(time=time.time,
                                                                sleep=lambda s: None))


@pytest.fixture
def client(cloud: Cloud) -> object:
    return marketorestpython.MarketoClient(MUNCHKIN, "client-id", "client-secret")


@pytest.mark.client("marketorestpython", area="companies, opportunities")
def test_companies_and_opportunities(client: object) -> None:
    run = client.execute  # type: ignore[attr-defined]
    made = run(method="create_update_companies", input=[
        {"externalCompanyId": "C1", "company": "Acme", "industry": "Retail"}])
    assert made[0]["status"] == "created"
    assert run(method="get_companies", filterType="externalCompanyId",
               filterValues=["C1"], fields=["company"])[0]["company"] == "Acme"
    assert run(method="describe_company")[0]["dedupeFields"] == ["externalCompanyId"]
    run(method="create_update_opportunities", input=[
        {"externalOpportunityId": "O1", "externalCompanyId": "C1", "stage": "Won"}])
    found = run(method="get_opportunities", filterType="externalCompanyId",
                filterValues=["C1"], fields=["stage"])
    assert found[0]["stage"] == "Won"


@pytest.mark.client("marketorestpython", area="activities, lead changes, daily usage")
def test_activities_and_lead_changes(cloud: Cloud, client: object) -> None:
    run = client.execute  # type: ignore[attr-defined]
    run(method="create_update_leads", leads=[{"email": "a@x.example", "title": "Dev"}])
    run(method="create_update_leads", leads=[{"email": "a@x.example", "title": "CTO"}])
    types_ = {t["id"] for t in run(method="get_activity_types")}
    assert {12, 13} <= types_
    since = "2026-11-23T00:00:00Z"
    activities = run(method="get_lead_activities", activityTypeIds=["12", "13"],
                     sinceDatetime=since)
    assert [a["activityTypeId"] for a in activities] == [12, 13]
    changes = run(method="get_lead_changes", fields=["title"], sinceDatetime=since)
    assert changes[-1]["fields"][0]["newValue"] == "CTO"
    assert run(method="get_daily_usage")[0]["total"] >= 4


@pytest.mark.client("marketorestpython", area="bulk lead import and export")
def test_bulk_lead_export_and_import(cloud: Cloud, client: object, tmp_path: Path) -> None:
    run = client.execute  # type: ignore[attr-defined]
    csv_file = tmp_path / "leads.csv"
    csv_file.write_text("email,firstName\nb@x.example,Bo\n")
    batch = run(method="import_lead", format="csv", file=str(csv_file))
    cloud.clock.advance(5)
    status = run(method="get_import_lead_status", id=batch[0]["batchId"])
    assert status[0]["status"] == "Complete" and status[0]["numOfLeadsProcessed"] == 1
    job = run(method="create_leads_export_job", fields=["email", "firstName"], filters={
        "createdAt": {"startAt": "2026-11-01T00:00:00Z", "endAt": "2026-11-30T00:00:00Z"}})
    export_id = job[0]["exportId"]
    run(method="enqueue_leads_export_job", job_id=export_id)
    cloud.clock.advance(60)  # status refreshes every 60 s (bulk extract docs)
    assert run(method="get_leads_export_job_status", job_id=export_id)[0]["status"] == \
        "Completed"
    data = run(method="get_leads_export_job_file", job_id=export_id)
    assert data == b"email,firstName\nb@x.example,Bo\n"
