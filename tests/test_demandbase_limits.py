"""Demandbase's published limits (developer portal, transcribed 2026-08-13; vendor-apis.md
§8.4), on the tenant's clock (issue 35): calls a day per endpoint reset at midnight UTC, one
export job under way at a time (429-102), 10 GB exported a day (429-101). No Retry-After."""

from __future__ import annotations

import pytest
import requests

from vendorsim import Cloud
from vendorsim.mocks.demandbase import facts
from vendorsim.mocks.demandbase.model import exports

API = "https://uapi.demandbase.com"
EXPORT = f"{API}/data/export/v1"


@pytest.fixture
def db(cloud: Cloud) -> requests.Session:
    cloud.clock.set("2026-11-23T23:00:00Z")  # an hour before midnight UTC
    cloud.service("demandbase").configure_default_limits(enabled=False)  # the daily counts
    token = requests.post(f"{API}/auth/v1/token", data={
        "grant_type": "client_credentials", "client_id": "cdp", "client_secret": "s"})
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token.json()['accessToken']}"
    return session


def refused(answer: requests.Response, code: str) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.json()["errorCode"] == code and "Retry-After" not in answer.headers


@pytest.mark.parametrize(("endpoint", "call"), [
    ("imports.list", lambda db: db.get(f"{API}/import/v1/jobs")),
    ("exports.fields", lambda db: db.get(f"{EXPORT}/fields", params={"entityType": "account"})),
    ("exports.list", lambda db: db.get(f"{EXPORT}/jobs")),
])
def test_calls_a_day_per_endpoint_reset_at_midnight_utc(cloud: Cloud, db: requests.Session,
                                                        endpoint: str, call: object) -> None:
    limit = facts.DAILY_CALLS[endpoint]
    assert all(call(db).ok for _ in range(limit))  # type: ignore[operator]  # a lambda above
    refused(call(db), facts.DAILY_CODE)  # type: ignore[operator]  # a lambda above
    cloud.clock.advance(3600)  # midnight UTC
    assert call(db).ok  # type: ignore[operator]  # a lambda above


def test_import_creates_are_counted_a_day(cloud: Cloud, db: requests.Session) -> None:
    for n in range(facts.DAILY_CALLS["imports.create"]):
        assert db.post(f"{API}/import/v1/job", json={"entityType": "person",
                                                     "dataImportName": f"j{n}"}).ok
    refused(db.post(f"{API}/import/v1/job", json={"entityType": "person",
                                                  "dataImportName": "one more"}),
            facts.DAILY_CODE)


def export_job(db: requests.Session, name: str) -> requests.Response:
    return db.post(f"{EXPORT}/job", json={"entityType": "account", "jobName": name})


def test_one_export_under_way_at_a_time(cloud: Cloud, db: requests.Session) -> None:
    assert export_job(db, "first").status_code == 202
    refused(export_job(db, "second"), facts.CONCURRENT_EXPORTS_CODE)
    cloud.clock.advance(exports.EXPORT_SECONDS)
    assert export_job(db, "second").status_code == 202


def test_export_volume_a_day(cloud: Cloud, db: requests.Session,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "EXPORT_BYTES_A_DAY", 10)  # the same rule on a small volume
    cloud.demandbase("cdp").seed({"account_lists": [{"name": "L", "domains": ["acme.com"]}]})
    job = export_job(db, "all").json()
    cloud.clock.advance(exports.EXPORT_SECONDS)
    assert db.get(f"{EXPORT}/job/{job['jobId']}").json()["jobStatus"] == "finished"
    refused(export_job(db, "again"), facts.EXPORT_BYTES_CODE)
    cloud.clock.advance(3600)
    assert export_job(db, "tomorrow").status_code == 202


def test_export_creates_are_counted_a_day(cloud: Cloud, db: requests.Session) -> None:
    cloud.clock.set("2026-11-23T00:00:00Z")
    for n in range(facts.DAILY_CALLS["exports.create"]):
        assert export_job(db, f"j{n}").status_code == 202
        cloud.clock.advance(exports.EXPORT_SECONDS)
    refused(export_job(db, "one more"), facts.DAILY_CODE)
