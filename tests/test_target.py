"""One subset for every way the mocks run: in-process (default), `--vendorsim-target=server`
and `--vendorsim-target=docker` (the container). Only HTTP and the admin API are used, so
the same assertions hold wherever the mocks are."""

from __future__ import annotations

import requests

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim.mocks.pytest_plugin import Target

SUB = "mc-target-test"


def test_marketo_sync_state_and_token_expiry(vendorsim_target: Target) -> None:
    admin = vendorsim_target.admin_url("marketo")  # first: a live vendor skips before a call
    caller = MarketoCaller(vendorsim_target.base_url("marketo", MUNCHKIN)).login()
    assert caller.sync([{"email": "t@x.example"}])["result"][0]["status"] == "created"
    state = requests.get(f"{admin}/state").json()
    assert [lead["email"] for lead in state["tenants"][MUNCHKIN]["state"]["leads"]] == [
        "t@x.example"]
    vendorsim_target.advance(3600)
    assert caller.get("/rest/v1/leads/partitions.json")["errors"][0]["code"] == "602"


def test_marketo_rate_window_on_the_virtual_clock(vendorsim_target: Target) -> None:
    admin = vendorsim_target.admin_url("marketo")
    requests.post(f"{admin}/tenants", json={"id": MUNCHKIN, "limits": {"window_calls": 3}})
    caller = MarketoCaller(vendorsim_target.base_url("marketo", MUNCHKIN)).login()
    results = [caller.get("/rest/v1/leads/partitions.json")["success"] for _ in range(4)]
    assert results == [True, True, True, False]
    vendorsim_target.advance(20)
    assert caller.get("/rest/v1/leads/partitions.json")["success"] is True
    journal = requests.get(f"{admin}/journal", params={"code": "606"}).json()
    assert journal["count"] == 1


def test_sfmc_token_points_at_a_reachable_rest_url(vendorsim_target: Target) -> None:
    admin = vendorsim_target.admin_url("sfmc")
    requests.post(f"{admin}/tenants", json={"id": SUB, "state": {"data_extensions": [
        {"name": "C", "key": "c", "fields": [{"name": "K", "isPrimaryKey": True},
                                            {"name": "Flag", "type": "Boolean"}],
         "rows": [{"K": "1", "Flag": "true"}]}]}})
    base = vendorsim_target.base_url("sfmc", SUB)
    value = requests.post(f"{base}/v2/token", json={"grant_type": "client_credentials",
                                                    "client_id": "a", "client_secret": "b"})
    body = value.json()
    rows = requests.get(f"{body['rest_instance_url']}data/v1/customobjectdata/key/c/rowset",
                        headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert rows["items"] == [{"keys": {"k": "1"}, "values": {"flag": "True"}}]


def test_bombora_and_demandbase_lists(vendorsim_target: Target) -> None:
    bombora = vendorsim_target.base_url("bombora")
    value = requests.post(f"{bombora}/oauth/token", json={"client_id": "c",
                                                          "client_secret": "s"}).json()
    auth = {"Authorization": f"Bearer {value['access_token']}"}
    lists = f"{bombora}/account-list/v1/account-list"
    list_id = requests.post(lists, headers=auth, json={"type": "Manual",
                                                       "metadata": {"name": "T"}}).json()["id"]
    requests.post(f"{lists}/{list_id}/accounts", headers=auth, json=[{"domain": "acme.com"}])
    assert requests.get(f"{lists}/{list_id}/accounts/domains", headers=auth).json() == [
        "acme.com"]
    assert requests.post(lists, headers=auth, json={
        "type": "Manual", "metadata": {"name": "T"}}).status_code == 409

    demandbase = vendorsim_target.base_url("demandbase")
    value = requests.post(f"{demandbase}/auth/v1/token",
                          data={"client_id": "c", "client_secret": "s"}).json()
    auth = {"Authorization": f"Bearer {value['accessToken']}"}
    job = requests.post(f"{demandbase}/import/v1/job", headers=auth,
                        json={"entityType": "account", "dataImportName": "T"}).json()
    requests.put(f"{demandbase}/import/v1/job/{job['id']}/data?listAction=insert",
                 headers=auth, data=b"accountName,accountEmailDomain\nAcme,acme.com\n")
    vendorsim_target.advance(30)
    done = requests.get(f"{demandbase}/import/v1/job/{job['id']}", headers=auth).json()
    assert done["state"] == "completed" and done["recordsProcessed"] == 1


def test_issue_16_routes_wherever_the_mocks_run(vendorsim_target: Target) -> None:
    """SFMC's async status/results, by-id forms and Contacts API; Demandbase's activity types
    and Data Export API; in-process, against a server and against the container."""
    admin = vendorsim_target.admin_url("sfmc")
    requests.post(f"{admin}/tenants", json={"id": SUB, "state": {"data_extensions": [
        {"name": "People", "key": "people", "fields": [
            {"name": "ContactKey", "isPrimaryKey": True},
            {"name": "Email", "type": "EmailAddress"}]}]}})
    base = vendorsim_target.base_url("sfmc", SUB)
    token = requests.post(f"{base}/v2/token", json={"grant_type": "client_credentials",
                                                    "client_id": "a", "client_secret": "b"})
    rest, auth = token.json()["rest_instance_url"], {
        "Authorization": f"Bearer {token.json()['access_token']}"}
    de_id = requests.get(f"{rest}data/v1/customobjects/key:people", headers=auth).json()["id"]
    queued = requests.post(f"{rest}data/v1/async/dataextensions/{de_id}/rows", headers=auth,
                           json={"items": [{"ContactKey": "1", "Email": "bad"}]}).json()
    vendorsim_target.advance(5)
    status = requests.get(f"{rest}data/v1/async/{queued['requestId']}/status",
                          headers=auth).json()["status"]
    assert (status["requestStatus"], status["hasErrors"]) == ("Complete", True)
    results = requests.get(f"{rest}data/v1/async/{queued['requestId']}/results",
                           headers=auth).json()
    assert results["count"] == 1
    contact = requests.post(f"{rest}contacts/v1/contacts", headers=auth, json={
        "contactKey": "C1", "attributeSets": [{"name": "People", "items": [
            {"values": [{"name": "Email", "value": "c1@x.example"}]}]}]}).json()
    assert contact["operationStatus"] == "OK" and contact["rowsAffected"] == 1

    demandbase = vendorsim_target.base_url("demandbase")
    value = requests.post(f"{demandbase}/auth/v1/token",
                          data={"client_id": "c", "client_secret": "s"}).json()
    auth = {"Authorization": f"Bearer {value['accessToken']}"}
    kind = requests.post(f"{demandbase}/import/v1/activity_type", headers=auth,
                         json={"activityType": {"label": "Visit"}}).json()
    assert requests.post(f"{demandbase}/import/v1/job", headers=auth, json={
        "entityType": "Activity", "dataImportName": "v",
        "activityTypeId": kind["id"]}).status_code == 200
    made = requests.post(f"{demandbase}/accountlists/v1/lists", headers=auth,
                         json={"name": "Export me"}).json()
    requests.post(f"{demandbase}/accountlists/v1/lists/{made['id']}/accounts", headers=auth,
                  json={"accounts": [{"accountName": "Acme", "accountEmailDomain": "acme.com"}]})
    job = requests.post(f"{demandbase}/data/export/v1/accountList/job", headers=auth,
                        json={"jobName": "x", "accountListIds": [made["id"]]}).json()
    vendorsim_target.advance(30)
    state = requests.get(f"{demandbase}/data/export/v1/job/{job['jobId']}",
                         headers=auth).json()
    assert state["jobStatus"] == "finished"
    csv_text = requests.get(state["resultsUrl"], headers=auth).text
    assert "acme.com" in csv_text


def test_vendor_calendar_both_sides_of_each_date(vendorsim_target: Target) -> None:
    """Issue 25: each dated rule before and from its date (a tenant's `as_of` pin over the
    server's clock) and on the clock (an SFMC secret 180 days old), wherever the mocks run."""
    admin = vendorsim_target.admin_url("marketo")
    leads = [{"id": n, "email": f"p{n}@big.example"} for n in range(1, 10_001)]
    requests.post(f"{admin}/tenants", json={"id": MUNCHKIN, "state": {"leads": leads, "lists": [
        {"id": 7, "name": "Big", "members": list(range(1, 10_001))}]}}).raise_for_status()
    caller = MarketoCaller(vendorsim_target.base_url("marketo", MUNCHKIN)).login()
    token = caller.token().json()["access_token"]
    partitions = f"{vendorsim_target.base_url('marketo', MUNCHKIN)}/rest/v1/leads/partitions.json"
    paging = caller.get("/rest/v1/activities/pagingtoken.json",
                        sinceDatetime="2020-01-01T00:00:00Z")["nextPageToken"]

    def pin(day: str) -> None:
        requests.put(f"{admin}/tenants/{MUNCHKIN}/calendar",
                     json={"as_of": day}).raise_for_status()

    def query_token_ok() -> bool:
        return bool(requests.get(partitions, params={"access_token": token}).json()["success"])

    def big_list_code() -> str | None:
        body = caller.get("/rest/v1/activities.json", nextPageToken=paging, listId=7,
                          activityTypeIds="12")
        return None if body["success"] else body["errors"][0]["code"]

    pin("2026-08-30")
    assert (query_token_ok(), big_list_code()) == (True, None)
    pin("2026-08-31")
    assert (query_token_ok(), big_list_code()) == (False, None)
    pin("2026-09-29")
    assert big_list_code() is None
    pin("2026-09-30")
    assert big_list_code() == "1003"
    rules = requests.get(f"{admin}/calendar", params={"tenant": MUNCHKIN}).json()
    assert {r["name"]: r["in_force"] for r in rules["vendors"]["marketo"]["rules"]} == {
        "marketo.query_token": True, "marketo.activities_big_list": True}

    sfmc = vendorsim_target.admin_url("sfmc")
    requests.post(f"{sfmc}/tenants", json={"id": SUB, "credentials": [
        {"client_id": "pkg", "client_secret": "old"}]}).raise_for_status()
    base = vendorsim_target.base_url("sfmc", SUB)

    def sfmc_status(secret: str) -> int:
        return requests.post(f"{base}/v2/token", json={
            "grant_type": "client_credentials", "client_id": "pkg",
            "client_secret": secret}).status_code

    vendorsim_target.advance(180 * 86400 - 60)
    assert sfmc_status("old") == 200
    requests.post(f"{sfmc}/tenants/{SUB}/credentials/pkg/secret/stage",
                  json={"secret": "new"}).raise_for_status()
    vendorsim_target.advance(60)
    assert (sfmc_status("old"), sfmc_status("new")) == (401, 200)


def test_sfmc_soap_wherever_the_mocks_run(vendorsim_target: Target) -> None:
    """Issue 26: the token's soap_instance_url serves Service.asmx and the WSDL; a row written
    over SOAP is read over REST."""
    from tests.soap_helpers import SoapCaller, row_object, simple

    admin = vendorsim_target.admin_url("sfmc")
    requests.post(f"{admin}/tenants", json={"id": SUB, "state": {"data_extensions": [
        {"name": "People", "key": "people", "fields": [
            {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
            {"name": "Age", "type": "Number"}]}]}}).raise_for_status()
    soap = SoapCaller(vendorsim_target.base_url("sfmc", SUB))
    wsdl = requests.get(soap.url.rsplit("/", 1)[0] + "/etframework.wsdl")
    assert wsdl.status_code == 200 and soap.url in wsdl.text
    assert soap.write("Create", row_object("people", Email="s@x.example", Age=3))[0] == "OK"
    status, _, found = soap.retrieve("DataExtensionObject[people]", ["Age"],
                                     simple("Email", "equals", "s@x.example"))
    assert (status, found[0]["Properties"]) == ("OK", {"Age": "3"})
    rows = requests.get(f"{soap.rest}data/v1/customobjectdata/key/people/rowset",
                        headers={"Authorization": f"Bearer {soap.token}"}).json()
    assert rows["items"][0]["values"] == {"age": "3"}


def test_marketo_read_only_round_that_runs_against_a_live_sandbox_too(
        vendorsim_target: Target) -> None:
    """No admin API, no clock: this one also runs with --vendorsim-target=live (issue 27)."""
    client_id, secret = vendorsim_target.credentials("marketo")
    caller = MarketoCaller(vendorsim_target.base_url("marketo", MUNCHKIN)).login(client_id,
                                                                                  secret)
    described = caller.get("/rest/v1/leads/describe.json")
    assert described["success"] is True
    assert any(f["rest"]["name"] == "email" for f in described["result"])
    partitions = caller.get("/rest/v1/leads/partitions.json")
    assert partitions["success"] is True and partitions["result"][0]["name"]


def test_prometheus_metrics_wherever_the_mocks_run(vendorsim_target: Target) -> None:
    """Issue 28: /__admin/metrics counts the calls the journal holds."""
    from prometheus_client.parser import text_string_to_metric_families

    admin = vendorsim_target.admin_url()
    caller = MarketoCaller(vendorsim_target.base_url("marketo", MUNCHKIN)).login()
    caller.get("/rest/v1/leads/partitions.json")
    text = requests.get(f"{admin}/metrics").text
    families = {f.name: f.samples for f in text_string_to_metric_families(text)}
    routes = {s.labels["route"]: s.value for s in families["vendorsim_requests"]
              if s.name == "vendorsim_requests_total" and s.labels["vendor"] == "marketo"}
    assert routes["/rest/v1/leads/partitions.json"] >= 1
