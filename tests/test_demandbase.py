"""Demandbase mock: token, import jobs on the clock, two-job limit, account lists by unique
name (B-DB-05), throttling, and accepted-but-dropped data (B-DB-06)."""

from __future__ import annotations

import httpx
import pytest
import requests

from vendorsim import Cloud

API = "https://uapi.demandbase.com"
LISTS = f"{API}/accountlists/v1/lists"
CSV = (b"accountName,accountEmailDomain,primaryId\n"
       b"Acme,acme.com,a1\nGlobex,https://www.globex.example/,a2\nBroken,not a domain,a3\n")


def token(client_id: str = "cdp", secret: str = "s") -> requests.Response:
    return requests.post(f"{API}/auth/v1/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})


@pytest.fixture
def db(cloud: Cloud) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token().json()['accessToken']}"
    return session


def test_token_is_camel_case(cloud: Cloud) -> None:
    body = token().json()
    assert set(body) == {"accessToken", "tokenType", "expiresIn"}
    assert body["tokenType"] == "Bearer" and body["expiresIn"] == 28800


def test_token_errors(cloud: Cloud) -> None:
    cloud.service("demandbase").seed_tenant("cdp", credentials=[{"client_id": "cdp",
                                                                 "client_secret": "right"}])
    assert token("cdp", "wrong").status_code == 401
    json_body = requests.post(f"{API}/auth/v1/token", json={"client_id": "cdp"})
    assert json_body.status_code == 400 and "errorMessage" in json_body.json()
    assert requests.get(LISTS).status_code == 401


def test_api_token_from_the_ui_works_as_bearer(cloud: Cloud) -> None:
    """B-DB-03: the CDP authenticates with a Demandbase API bearer token."""
    cloud.service("demandbase").add_api_token("acme-tenant", "db-api-token-123")
    response = requests.get(LISTS, headers={"Authorization": "Bearer db-api-token-123"})
    assert response.status_code == 200 and response.json()["totalCount"] == 0


def test_import_job_lifecycle(cloud: Cloud, db: requests.Session) -> None:
    job = db.post(f"{API}/import/v1/job", json={"entityType": "account",
                                                "dataImportName": "CDP - Tier 1"}).json()
    assert job["state"] == "new" and job["entityType"] == "account"
    sent = db.put(f"{API}/import/v1/job/{job['id']}/data", params={"listAction": "insert"},
                  data=CSV, headers={"Content-Type": "application/octet-stream"}).json()
    assert sent["state"] == "processing"
    cloud.clock.advance(29)
    assert db.get(f"{API}/import/v1/job/{job['id']}").json()["state"] == "processing"
    cloud.clock.advance(1)
    done = db.get(f"{API}/import/v1/job/{job['id']}").json()
    assert done["state"] == "completed"
    assert done["recordsProcessed"] == 2 and done["recordsFailed"] == 1
    lists = db.get(LISTS).json()["data"]
    assert [(x["name"], x["accountCount"]) for x in lists] == [("CDP - Tier 1", 2)]
    listed = db.get(f"{API}/import/v1/jobs", params={"state": "completed"}).json()
    assert listed["totalCount"] == 1


def test_import_without_required_columns_fails(cloud: Cloud, db: requests.Session) -> None:
    job = db.post(f"{API}/import/v1/job", json={"entityType": "account",
                                                "dataImportName": "x"}).json()
    db.put(f"{API}/import/v1/job/{job['id']}/data", data=b"name\nAcme\n")
    cloud.clock.advance(30)
    assert db.get(f"{API}/import/v1/job/{job['id']}").json()["state"] == "failed"


def test_import_jobs_are_not_limited_to_two_at_a_time(cloud: Cloud,
                                                      db: requests.Session) -> None:
    """The portal puts "2 concurrent async jobs" on the B2B APIs' jobs, not on imports
    (vendor-apis.md §8.4): imports are counted a day instead (test_demandbase_limits.py)."""
    for n in range(3):
        assert db.post(f"{API}/import/v1/job", json={"entityType": "account",
                                                     "dataImportName": f"j{n}"}).ok


@pytest.mark.parametrize("body", [{"entityType": "Accounts", "dataImportName": "x"},
                                  {"entityType": "account"}, [1]])
def test_bad_job_requests(cloud: Cloud, db: requests.Session, body: object) -> None:
    response = db.post(f"{API}/import/v1/job", json=body)
    assert response.status_code == 400 and response.json()["errorMessage"]
    assert cloud.demandbase("cdp").jobs == {}


def test_list_names_are_unique(cloud: Cloud, db: requests.Session) -> None:
    """B-DB-05: an audience name activated before cannot come again from another dataflow."""
    assert db.post(LISTS, json={"name": "ABM Tier 1", "dataflowId": "df-1"}).status_code == 201
    again = db.post(LISTS, json={"name": "abm tier 1", "dataflowId": "df-2"})
    assert again.status_code == 409 and "already in use" in again.json()["errorMessage"]


def test_add_read_remove_accounts(cloud: Cloud, db: requests.Session) -> None:
    list_id = db.post(LISTS, json={"name": "L"}).json()["id"]
    added = db.post(f"{LISTS}/{list_id}/accounts", json={"accounts": [
        {"accountName": "Acme", "accountEmailDomain": "ACME.com"},
        {"accountName": "", "accountEmailDomain": "x.com"},
        {"accountName": "Globex", "accountEmailDomain": "globex.example"}]})
    assert added.status_code == 202
    assert added.json()["accepted"] == 2 and added.json()["rejected"][0]["index"] == 1
    members = db.get(f"{LISTS}/{list_id}/accounts").json()
    assert [m["domain"] for m in members["data"]] == ["acme.com", "globex.example"]
    removed = db.delete(f"{LISTS}/{list_id}/accounts", json={"domains": ["acme.com"]})
    assert removed.json() == {"removed": 1}
    assert db.get(f"{LISTS}/{list_id}").json()["accountCount"] == 1
    assert "acme.com" in cloud.demandbase("cdp").accounts  # removed, not deleted


def test_throttling_drops_part_of_an_accepted_request(cloud: Cloud, db: requests.Session) -> None:
    """B-DB-06: the export looks successful, but not all accounts reach Demandbase."""
    cloud.add_fault(vendor="demandbase", drop=0.5, seed=3, path="accounts$", times=1)
    list_id = db.post(LISTS, json={"name": "L"}).json()["id"]
    accounts = [{"accountName": f"A{i}", "accountEmailDomain": f"a{i}.com"} for i in range(40)]
    answer = db.post(f"{LISTS}/{list_id}/accounts", json={"accounts": accounts})
    assert answer.status_code == 202 and answer.json()["accepted"] == 40
    held = db.get(f"{LISTS}/{list_id}").json()["accountCount"]
    entry = cloud.journal.entries(vendor="demandbase", method="POST", path="accounts")[-1]
    assert 0 < entry.dropped < 40 and held == 40 - entry.dropped


def test_rate_limit_429_without_retry_after(cloud: Cloud, db: requests.Session) -> None:
    cloud.service("demandbase").set_limits("cdp", {"window_calls": 2})
    statuses = [db.get(LISTS) for _ in range(3)]
    assert [s.status_code for s in statuses] == [200, 200, 429]
    assert "Retry-After" not in statuses[-1].headers
    cloud.clock.advance(60)
    assert db.get(LISTS).status_code == 200


def test_happy_path_through_httpx_transport() -> None:
    cloud = Cloud("virtual")
    with httpx.Client(transport=cloud.httpx_transport(), base_url=API) as client:
        value = client.post("/auth/v1/token", data={"client_id": "a",
                                                    "client_secret": "b"}).json()
        auth = {"Authorization": f"Bearer {value['accessToken']}"}
        list_id = client.post("/accountlists/v1/lists", headers=auth,
                              json={"name": "H"}).json()["id"]
        client.post(f"/accountlists/v1/lists/{list_id}/accounts", headers=auth, json={
            "accounts": [{"accountName": "Acme", "accountEmailDomain": "acme.com"}]})
    assert list(cloud.demandbase("a").lists[list_id].members) == ["acme.com"]


def test_submitted_fields_are_kept_for_inspection(cloud: Cloud, db: requests.Session) -> None:
    list_id = db.post(LISTS, json={"name": "L"}).json()["id"]
    db.post(f"{LISTS}/{list_id}/accounts", json={"accounts": [
        {"accountName": "Acme", "accountEmailDomain": "acme.com", "primaryId": "leak"}]})
    assert cloud.demandbase("cdp").accounts["acme.com"]["primaryId"] == "leak"
