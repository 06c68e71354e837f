"""Hostile input is normal input (issue 12): every reproduction from the fuzzing report, as a
regression test. Each answers with the vendor's own error (never 5xx, never Marketo's 611),
and the tenant and the admin state stay readable afterwards."""

from __future__ import annotations

import json

import pytest
import requests

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud

SUB = "mc563885gzs27c5t9-63k636ttgm"
SFMC_AUTH = f"https://{SUB}.auth.marketingcloudapis.com"
SFMC = f"https://{SUB}.rest.marketingcloudapis.com"
BOMBORA = "https://api.bombora.com"
DEMANDBASE = "https://uapi.demandbase.com"
ADMIN = f"https://{MUNCHKIN.lower()}.mktorest.com/__admin"
DEEP = ("[" * 1000) + ("]" * 1000)


def state_is_readable(cloud: Cloud) -> None:
    for vendor in cloud.services:
        answer = requests.get(f"{_admin_host(vendor)}/__admin/state")
        assert answer.status_code == 200, (vendor, answer.text[:300])
        json.dumps(answer.json())


def _admin_host(vendor: str) -> str:
    return {"marketo": f"https://{MUNCHKIN}.mktorest.com", "sfmc": SFMC, "bombora": BOMBORA,
            "demandbase": DEMANDBASE}[vendor]


def sfmc_session() -> requests.Session:
    session = requests.Session()
    token = session.post(f"{SFMC_AUTH}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    session.headers["Authorization"] = f"Bearer {token['access_token']}"
    return session


def bearer_session(base: str, path: str, **form: str) -> requests.Session:
    session = requests.Session()
    if form:
        body = session.post(base + path, data=form).json()
        token = body["accessToken"]
    else:
        token = session.post(base + path, json={"client_id": "c",
                                                "client_secret": "s"}).json()["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def demandbase_session() -> requests.Session:
    return bearer_session(DEMANDBASE, "/auth/v1/token", grant_type="client_credentials",
                          client_id="c", client_secret="s")


# -- every vendor ------------------------------------------------------------------------
def test_deeply_nested_json_is_bad_input_everywhere(cloud: Cloud, mkto: MarketoCaller) -> None:
    headers = {"Content-Type": "application/json"}
    marketo = mkto.session.post(f"{mkto.base}/rest/v1/leads.json", data=DEEP, headers=headers)
    assert marketo.json()["errors"][0]["code"] == "609"
    assert sfmc_session().post(f"{SFMC}/hub/v1/dataevents/key:x/rowset", data=DEEP,
                               headers=headers).status_code == 400
    bombora = bearer_session(BOMBORA, "/oauth/token")
    assert bombora.post(f"{BOMBORA}/account-list/v1/account-list", data=DEEP,
                        headers=headers).status_code == 400
    assert demandbase_session().post(f"{DEMANDBASE}/import/v1/job", data=DEEP,
                                     headers=headers).status_code == 400
    assert requests.post(f"{ADMIN}/faults", data=DEEP, headers=headers).status_code == 400
    state_is_readable(cloud)


# -- SFMC --------------------------------------------------------------------------------
@pytest.fixture
def sfmc_de(cloud: Cloud) -> requests.Session:
    cloud.sfmc(SUB).seed({"data_extensions": [{"name": "People", "key": "people", "fields": [
        {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
        {"name": "Born", "type": "Date"}, {"name": "Score", "type": "Decimal"}]}]})
    return sfmc_session()


def test_sfmc_out_of_range_dates_are_refused_and_break_nothing(cloud: Cloud,
                                                               sfmc_de: requests.Session) -> None:
    queued = sfmc_de.post(f"{SFMC}/data/v1/async/dataextensions/key:people/rows", json={
        "items": [{"Email": "a@x.example", "Born": "0001-01-01T00:00:00+01:00"}]})
    assert queued.status_code == 202
    cloud.clock.advance(10)
    status = sfmc_de.get(f"{SFMC}/data/v1/async/{queued.json()['requestId']}/status")
    assert status.status_code == 200 and status.json()["status"]["hasErrors"] is True
    sync = sfmc_de.post(f"{SFMC}/hub/v1/dataevents/key:people/rowset", json=[
        {"keys": {"Email": "b@x.example"}, "values": {"Born": "9999-12-31T23:59:59-05:00"}}])
    assert sync.status_code == 400
    assert sfmc_de.get(f"{SFMC}/data/v1/customobjectdata/key/people/rowset").status_code == 200
    state_is_readable(cloud)


def test_sfmc_field_definitions_are_typed(cloud: Cloud, sfmc_de: requests.Session) -> None:
    for bad in ({"name": "X", "type": "Text", "length": "x"},
                {"name": "X", "type": "Text", "length": -1},
                {"name": "X", "type": "Decimal", "scale": "s"},
                {"name": ["X"], "type": "Text"}):
        made = sfmc_de.post(f"{SFMC}/data/v1/customobjects",
                            json={"name": "Bad", "key": "bad", "fields": [bad]})
        assert made.status_code == 400, bad
    assert sfmc_de.post(f"{SFMC}/hub/v1/dataevents/key:people/rowset", json=[
        {"keys": {"Email": "c@x.example"}, "values": {"Score": "1.5"}}]).status_code == 200
    state_is_readable(cloud)


@pytest.mark.parametrize("filter_", ["Score le NaN", "Born ge ''", "Score eq 'Infinity'",
                                     "Email" + " " * 8000 + "eq 'x'", "Born between 'a' and 'b'"])
def test_sfmc_bad_filters_are_400(sfmc_de: requests.Session, filter_: str) -> None:
    answer = sfmc_de.get(f"{SFMC}/data/v1/customobjectdata/key/people/rowset",
                         params={"$filter": filter_})
    assert answer.status_code == 400, answer.text[:200]
    assert answer.json()["errorcode"] == 10001


def test_sfmc_nan_decimals_are_refused(cloud: Cloud, sfmc_de: requests.Session) -> None:
    for value in ("NaN", "Infinity", "-inf", "1e999999"):
        refused = sfmc_de.post(f"{SFMC}/hub/v1/dataevents/key:people/rowset", json=[
            {"keys": {"Email": "d@x.example"}, "values": {"Score": value}}])
        assert refused.status_code == 400, value
    ordered = sfmc_de.get(f"{SFMC}/data/v1/customobjectdata/key/people/rowset",
                          params={"$orderBy": "Score desc"})
    assert ordered.status_code == 200
    state_is_readable(cloud)


# -- Demandbase --------------------------------------------------------------------------
def test_demandbase_csv_rows_with_extra_columns_fail_the_row_not_the_account(
        cloud: Cloud) -> None:
    session = demandbase_session()
    job = session.post(f"{DEMANDBASE}/import/v1/job", json={
        "entityType": "account", "dataImportName": "Extra"}).json()
    csv = b"accountName,accountEmailDomain\nAcme,acme.com\nGlobex,globex.com,surplus\n"
    assert session.put(f"{DEMANDBASE}/import/v1/job/{job['id']}/data", data=csv,
                       params={"listAction": "insert"}).status_code == 200
    cloud.clock.advance(60)
    done = session.get(f"{DEMANDBASE}/import/v1/job/{job['id']}")
    assert done.status_code == 200
    assert done.json()["state"] == "completed"
    assert (done.json()["recordsProcessed"], done.json()["recordsFailed"]) == (1, 1)
    assert session.get(f"{DEMANDBASE}/import/v1/jobs").status_code == 200
    state_is_readable(cloud)


def test_demandbase_removing_a_domain_twice_in_one_call(cloud: Cloud) -> None:
    session = demandbase_session()
    made = session.post(f"{DEMANDBASE}/accountlists/v1/lists", json={"name": "L"}).json()
    session.post(f"{DEMANDBASE}/accountlists/v1/lists/{made['id']}/accounts", json={
        "accounts": [{"accountName": "Acme", "accountEmailDomain": "acme.com"}]})
    removed = session.delete(f"{DEMANDBASE}/accountlists/v1/lists/{made['id']}/accounts",
                             json={"domains": ["acme.com", "acme.com"]})
    assert removed.status_code == 202 and removed.json() == {"removed": 1}
    state_is_readable(cloud)


# -- Marketo -----------------------------------------------------------------------------
def test_marketo_numbers_are_looked_up_as_they_are_stored(cloud: Cloud,
                                                          mkto: MarketoCaller) -> None:
    for _ in range(3):
        assert mkto.sync([{"email": 12345}])["success"]
    assert len(cloud.marketo(MUNCHKIN).leads) == 1


@pytest.mark.parametrize("body", [
    '{"input": [{"id": 1e999}], "action": "updateOnly", "lookupField": "id"}',
    '{"input": [{"id": ' + "9" * 5000 + '}], "action": "updateOnly", "lookupField": "id"}',
    '{"input": [{"email": "a@x.example", "numberOfEmployees": 1e999}]}',
    '{"input": [{"email": "a@x.example", "annualRevenue": NaN}]}',
    '{"input": [{"email": "a@x.example", "numberOfEmployees": 99999999999999999999}]}',
])
def test_marketo_unrepresentable_numbers_are_bad_input(cloud: Cloud, mkto: MarketoCaller,
                                                       body: str) -> None:
    answer = mkto.session.post(f"{mkto.base}/rest/v1/leads.json", data=body,
                               headers={"Content-Type": "application/json"}).json()
    codes = [e["code"] for e in answer.get("errors", [])] + [
        r["code"] for item in answer.get("result", []) for r in item.get("reasons", [])]
    assert codes and "611" not in codes, answer
    state_is_readable(cloud)


def test_marketo_folder_ids_out_of_range(cloud: Cloud, mkto: MarketoCaller) -> None:
    for folder in ('{"id": 1e999, "type": "Folder"}', '{"id": "' + "9" * 5000 + '"}',
                   '{"id": [], "type": "Folder"}', "[1]"):
        answer = mkto.post("/rest/asset/v1/staticLists.json", None,
                           data={"name": "L", "folder": folder})
        assert answer["success"] is False and answer["errors"][0]["code"] != "611", folder


def test_unauthenticated_calls_create_no_marketo_tenant(cloud: Cloud) -> None:
    for n in range(20):
        requests.get(f"https://{n:03d}-BAD-{n:03d}.mktorest.com/rest/v1/leads.json",
                     headers={"Authorization": "Bearer nope"})
        requests.get(f"https://{n:03d}-BAD-{n:03d}.mktorest.com/identity/oauth/token",
                     params={"grant_type": "client_credentials"})
    assert cloud.service("marketo").tenants() == []


# -- Bombora -----------------------------------------------------------------------------
@pytest.mark.parametrize("parent", [["x"], {"a": 1}, 5, None])
def test_bombora_derived_list_parent_of_any_type(cloud: Cloud, parent: object) -> None:
    session = bearer_session(BOMBORA, "/oauth/token")
    answer = session.post(f"{BOMBORA}/account-list/v1/account-list", json={
        "type": "Derived", "metadata": {"name": "D"}, "specification": {"parentId": parent}})
    assert answer.status_code == 422
    state_is_readable(cloud)


@pytest.mark.parametrize("url,limit", [(f"{BOMBORA}/account-list/v1/account-list", 10),
                                       (f"{SFMC}/hub/v1/dataevents/key:x/rowset", 32),
                                       (f"{DEMANDBASE}/import/v1/job", 50)])
def test_bodies_over_each_vendors_limit_are_413(cloud: Cloud, url: str, limit: int) -> None:
    session = (sfmc_session() if "marketingcloud" in url else demandbase_session()
               if "demandbase" in url else bearer_session(BOMBORA, "/oauth/token"))
    answer = session.post(url, data=b" " * (limit * 1024 * 1024 + 1),
                          headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert set(answer.json()) == ({"errorCode", "errorMessage", "diagnosticCode"}
                                  if "demandbase" in url else {"message"})
    assert "demandbase" not in url or answer.json()["errorCode"].startswith("413-")
    state_is_readable(cloud)
