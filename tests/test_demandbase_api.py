"""Demandbase as its public clients call it (issue 16): the documented list-action default,
entity types in any case, activity types and the jobs that need them, the sources answer, and
the Data Export API that reads an account list back."""

from __future__ import annotations

import csv
import io

import pytest
import requests

from tests.test_demandbase import API, token
from vendorsim import Cloud


@pytest.fixture
def db(cloud: Cloud) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token().json()['accessToken']}"
    return session


def run_import(cloud: Cloud, db: requests.Session, csv_text: str, **params: str) -> dict:
    job = db.post(f"{API}/import/v1/job", json={"entityType": "Account",
                                                 "dataImportName": "Retail"}).json()
    assert db.put(f"{API}/import/v1/job/{job['id']}/data", params=params,
                  data=csv_text.encode()).status_code == 200
    cloud.clock.advance(60)
    return db.get(f"{API}/import/v1/job/{job['id']}").json()


def test_list_action_defaults_to_replace(cloud: Cloud, db: requests.Session) -> None:
    run_import(cloud, db, "accountName,accountEmailDomain\nAcme,acme.com\n", listAction="insert")
    done = run_import(cloud, db, "accountName,accountEmailDomain\nGlobex,globex.com\n")
    assert done["state"] == "completed"
    (held,) = cloud.demandbase("cdp").lists.values()
    assert sorted(held.members) == ["globex.com"]  # replaced, not added to (and not a no-op)


def test_entity_types_in_any_case(cloud: Cloud, db: requests.Session) -> None:
    made = db.post(f"{API}/import/v1/job", json={"entityType": "Account",
                                                 "dataImportName": "j"})
    assert made.status_code == 200 and made.json()["entityType"] == "account"
    for kind in ("account", "ACCOUNT", "Account"):
        listed = db.get(f"{API}/import/v1/jobs", params={"entityType": kind}).json()
        assert listed["totalCount"] == 1, kind
    assert db.get(f"{API}/import/v1/Account/sources").json() == {"data": ["CSV"]}
    assert db.get(f"{API}/import/v1/planet/sources").status_code == 400


def test_activity_jobs_need_an_activity_type(cloud: Cloud, db: requests.Session) -> None:
    refused = db.post(f"{API}/import/v1/job", json={"entityType": "activity",
                                                    "dataImportName": "visits"})
    assert refused.status_code == 400 and "activityTypeId" in refused.json()["errorMessage"]
    made = db.post(f"{API}/import/v1/activity_type", json={
        "activityType": {"label": "Webinar", "name": "webinar", "description": "Attended"},
        "fields": [{"fieldName": "topic", "fieldDataType": "string"}]}).json()
    assert set(made) == {"id", "label"} and made["label"] == "Webinar"
    listed = db.get(f"{API}/import/v1/activity_type").json()
    assert listed == [{"id": made["id"], "name": "webinar", "description": "Attended",
                       "activitySource": "API"}]
    details = db.get(f"{API}/import/v1/activity_type/{made['id']}").json()
    assert details["activityType"]["label"] == "Webinar"
    assert details["fields"][0]["fieldName"] == "topic"
    renamed = db.put(f"{API}/import/v1/activity_type/{made['id']}",
                     json={"activityType": {"label": "Webinar 2"}}).json()
    assert renamed == {"id": made["id"], "label": "Webinar 2"}
    job = db.post(f"{API}/import/v1/job", json={"entityType": "activity",
                                                "dataImportName": "visits",
                                                "activityTypeId": made["id"]})
    assert job.status_code == 200 and job.json()["activityTypeId"] == made["id"]
    assert db.get(f"{API}/import/v1/activity_type/999").status_code == 404
    assert db.post(f"{API}/import/v1/activity_type", json={"activityType": {}}
                   ).status_code == 400


def test_an_account_list_is_read_back_through_the_export_api(cloud: Cloud,
                                                             db: requests.Session) -> None:
    made = db.post(f"{API}/accountlists/v1/lists", json={"name": "Retail"}).json()
    db.post(f"{API}/accountlists/v1/lists/{made['id']}/accounts", json={"accounts": [
        {"accountName": "Acme", "accountEmailDomain": "acme.com"},
        {"accountName": "Globex", "accountEmailDomain": "www.globex.com"}]})
    fields = db.get(f"{API}/data/export/v1/fields", params={"entityType": "account"}).json()
    assert {"{Account}.name", "{Account}.domain"} <= {f["name"] for f in fields}
    job = db.post(f"{API}/data/export/v1/accountList/job",
                  json={"jobName": "check", "accountListIds": [made["id"]]})
    assert job.status_code == 202
    details = job.json()
    assert details["jobStatus"] == "processing" and details["entityType"] == "account"
    status = db.get(f"{API}/data/export/v1/job/{details['jobId']}").json()
    assert status["jobStatus"] == "processing" and status["resultsUrl"] == ""
    assert db.get(f"{API}/data/export/v1/job/{details['jobId']}/results").status_code == 409
    cloud.clock.advance(30)
    status = db.get(f"{API}/data/export/v1/job/{details['jobId']}").json()
    assert status["jobStatus"] == "finished"
    rows = list(csv.DictReader(io.StringIO(db.get(status["resultsUrl"]).text)))
    assert [(r["{Account}.name"], r["{Account}.domain"]) for r in rows] == [
        ("Acme", "acme.com"), ("Globex", "globex.com")]
    listed = db.get(f"{API}/data/export/v1/jobs", params={"jobStatus": "finished"}).json()
    assert listed["totalCount"] == 1 and listed["data"][0]["jobId"] == details["jobId"]
    missing = db.get(f"{API}/data/export/v1/job/nope")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "404-302"
    assert db.post(f"{API}/data/export/v1/accountList/job",
                   json={"jobName": "x", "accountListIds": [4]}).status_code == 400


def test_export_fields_of_any_type_are_a_400(db: requests.Session) -> None:
    """Found by the fuzzer: a list among the requested fields answered 500."""
    for fields in (["{Account}.name", [1]], [{"a": 1}], "x", ["{Account}.nope"]):
        answer = db.post(f"{API}/data/export/v1/job", json={
            "entityType": "account", "jobName": "x", "fields": fields})
        assert answer.status_code == 400 and answer.json()["errorCode"] == "400-104", fields


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/accountlists/v1/lists/999999", 404),  # an unknown list
    ("POST", "/accountlists/v1/lists", 400),  # no name
    ("GET", "/no/such/route", 404),
    ("POST", "/import/v1/job", 400),  # no dataImportName
])
def test_every_error_is_the_documented_envelope(db: requests.Session, method: str, path: str,
                                                status: int) -> None:
    """vendor-apis.md §7.4: {errorCode, errorMessage, diagnosticCode}, the code's first three
    digits the HTTP status, on every Demandbase error (the SDK reads errorMessage)."""
    answer = db.request(method, f"{API}{path}", json={})
    body = answer.json()
    assert answer.status_code == status
    assert set(body) == {"errorCode", "errorMessage", "diagnosticCode"}
    assert body["errorCode"].startswith(f"{status}-") and body["errorMessage"]
    unauthorised = requests.get(f"{API}/accountlists/v1/lists",
                                headers={"Authorization": "Bearer nope"})
    assert unauthorised.status_code == 401
    assert unauthorised.json()["errorCode"] == "401-000"
