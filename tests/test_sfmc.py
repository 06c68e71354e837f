"""SFMC mock: auth v2 and scopes (B-SFMC-03), data extensions, rowset paging, validation,
async writes, throttling (vendor-apis.md §2)."""

from __future__ import annotations

import httpx
import pytest
import requests

from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner

SUB = "mc563885gzs27c5t9-63k636ttgm"
AUTH = f"https://{SUB}.auth.marketingcloudapis.com"
REST = f"https://{SUB}.rest.marketingcloudapis.com"
CONTACTS = {
    "name": "Contacts", "key": "contacts_de",
    "fields": [
        {"name": "ContactKey", "type": "Text", "length": 50, "isPrimaryKey": True},
        {"name": "EmailAddress", "type": "EmailAddress"},
        {"name": "FirstName", "type": "Text", "length": 20},
        {"name": "Score", "type": "Number"},
        {"name": "Opted", "type": "Boolean"},
        {"name": "Joined", "type": "Date"},
    ],
}


def row(key: str, **values: object) -> dict:
    return {"keys": {"ContactKey": key}, "values": values}


def token(client_id: str = "cid", secret: str = "sec", **extra: object) -> requests.Response:
    return requests.post(f"{AUTH}/v2/token", json={"grant_type": "client_credentials",
                                                   "client_id": client_id,
                                                   "client_secret": secret, **extra})


@pytest.fixture
def sfmc(cloud: Cloud) -> requests.Session:
    cloud.sfmc(SUB).seed({"data_extensions": [CONTACTS]})
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token().json()['access_token']}"
    return session


def rows_of(session: requests.Session, **params: object) -> dict:
    return session.get(f"{REST}/data/v1/customobjectdata/key/contacts_de/rowset",
                       params=params).json()


def test_token_shape(cloud: Cloud) -> None:
    body = token().json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 1079
    assert body["rest_instance_url"] == f"{REST}/"
    assert body["soap_instance_url"] == f"https://{SUB}.soap.marketingcloudapis.com/"
    assert "data_extensions_read" in body["scope"].split()
    assert token().json()["access_token"] != body["access_token"]


def test_bad_credentials_and_requests(cloud: Cloud) -> None:
    cloud.service("sfmc").seed_tenant(SUB, credentials=[{"client_id": "cid",
                                                         "client_secret": "right"}])
    bad = token("cid", "wrong")
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    assert "package is installed" in bad.json()["error_description"]
    wrong_grant = token(grant_type="password")
    assert wrong_grant.status_code == 400 and wrong_grant.json()["error"] == \
        "unsupported_grant_type"
    form = requests.post(f"{AUTH}/v2/token", data={"grant_type": "client_credentials"})
    assert form.status_code == 400 and form.json()["error"] == "invalid_request"


def test_missing_read_scope_is_refused(cloud: Cloud) -> None:
    """B-SFMC-03: the integration needs Data Extensions: Read."""
    cloud.service("sfmc").seed_tenant(SUB, credentials=[
        {"client_id": "noread", "client_secret": "s", "scopes": ["email_read"]}],
        state={"data_extensions": [CONTACTS]})
    asked = token("noread", "s", scope="data_extensions_read")
    assert asked.status_code == 400 and asked.json()["error"] == "invalid_scope"
    value = token("noread", "s").json()["access_token"]
    denied = requests.get(f"{REST}/data/v1/customobjectdata/key/contacts_de/rowset",
                          headers={"Authorization": f"Bearer {value}"})
    assert denied.status_code == 403 and denied.json()["errorcode"] == 20002


def test_missing_or_expired_token_is_not_authorized(cloud: Cloud, sfmc: requests.Session) -> None:
    anonymous = requests.get(f"{REST}/data/v1/customobjectdata/key/contacts_de/rowset")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"documentation": "https://developer.salesforce.com/docs/"
                                "atlas.en-us.mc-apis.meta/mc-apis/error-handling.htm",
                                "errorcode": 0, "message": "Not Authorized"}
    cloud.clock.advance(1080)
    assert sfmc.get(f"{REST}/data/v1/customobjectdata/key/contacts_de/rowset").status_code == 401


def test_rows_come_back_as_sfmc_strings(sfmc: requests.Session) -> None:
    written = sfmc.post(f"{REST}/hub/v1/dataevents/key:contacts_de/rowset", json=[
        row("C1", EmailAddress="ana@acme.example", FirstName="Ana", Score=7, Opted=True,
            Joined="2024-06-23T00:00:00Z")])
    assert written.status_code == 200
    body = rows_of(sfmc)
    assert body["count"] == 1 and body["page"] == 1 and body["pageSize"] == 2500
    assert body["customObjectKey"] == "contacts_de"
    assert body["items"] == [{"keys": {"contactkey": "C1"}, "values": {
        "emailaddress": "ana@acme.example", "firstname": "Ana", "score": "7", "opted": "True",
        "joined": "6/23/2024 12:00:00 AM"}}]


def test_empty_data_extension_has_no_items(sfmc: requests.Session) -> None:
    body = rows_of(sfmc)
    assert body["count"] == 0 and "items" not in body


def test_upsert_by_primary_key(sfmc: requests.Session) -> None:
    url = f"{REST}/hub/v1/dataevents/key:contacts_de/rowset"
    sfmc.post(url, json=[row("C1", FirstName="Ana"), row("C2", FirstName="Bo")])
    sfmc.post(url, json=[row("c1", FirstName="Anna")])
    sfmc.put(f"{REST}/hub/v1/dataevents/key:contacts_de/rows/ContactKey:C2",
             json={"values": {"Score": 3}})
    items = rows_of(sfmc, **{"$orderBy": "ContactKey"})["items"]
    assert [(i["keys"]["contactkey"], i["values"]["firstname"], i["values"]["score"])
            for i in items] == [("C1", "Anna", ""), ("C2", "Bo", "3")]


def test_paging_follows_links(sfmc: requests.Session) -> None:
    sfmc.post(f"{REST}/hub/v1/dataevents/key:contacts_de/rowset",
              json=[row(f"C{i:02d}", Score=i) for i in range(7)])
    page = rows_of(sfmc, **{"$pageSize": 3, "$orderBy": "Score desc"})
    seen = []
    while True:
        seen += [int(i["values"]["score"]) for i in page["items"]]
        if "next" not in page["links"]:
            break
        page = sfmc.get(f"{REST}/data{page['links']['next']}").json()
    assert seen == [6, 5, 4, 3, 2, 1, 0]
    assert rows_of(sfmc, **{"$pageSize": 9999})["pageSize"] == 2500


@pytest.mark.parametrize(("expr", "keys"), [
    ("FirstName eq 'bo'", ["C2"]),
    ("Score between '2' and '3'", ["C2", "C3"]),
    ("Joined between '2024-01-01' and '2024-12-31'", ["C1"]),
    ("Score gt 2", ["C3"]),
    ("FirstName like 'A%'", ["C1"]),
])
def test_filters(sfmc: requests.Session, expr: str, keys: list[str]) -> None:
    sfmc.post(f"{REST}/hub/v1/dataevents/key:contacts_de/rowset", json=[
        row("C1", FirstName="Ana", Score=1, Joined="2024-05-01"),
        row("C2", FirstName="Bo", Score=2, Joined="2025-05-01"),
        row("C3", FirstName="Cy", Score=3)])
    items = rows_of(sfmc, **{"$filter": expr, "$orderBy": "ContactKey"}).get("items", [])
    assert [i["keys"]["contactkey"] for i in items] == keys


@pytest.mark.parametrize("expr", ["Nope eq 'x'", "Score eq 'many'", "what is this"])
def test_bad_filters_are_400(sfmc: requests.Session, expr: str) -> None:
    response = sfmc.get(f"{REST}/data/v1/customobjectdata/key/contacts_de/rowset",
                        params={"$filter": expr})
    assert response.status_code == 400 and response.json()["errorcode"] == 10001


def test_any_bad_row_refuses_the_whole_write(cloud: Cloud, sfmc: requests.Session) -> None:
    response = sfmc.post(f"{REST}/hub/v1/dataevents/key:contacts_de/rowset", json=[
        row("C1", FirstName="Fine"),
        row("C2", EmailAddress="not-an-email"),
        row("C3", FirstName="x" * 21, Score="lots", Shoe=9),
    ])
    body = response.json()
    assert response.status_code == 400 and body["errorcode"] == 10006
    assert body["message"].startswith("Unable to save rows for data extension ID ")
    messages = [e["message"] for e in body["additionalErrors"]]
    assert ("emailaddress: The value for column [emailaddress] is not a valid email address. "
            "Parse error [InvalidEmailAddress]") in messages
    assert any("exceeds the column's maximum length" in m for m in messages)
    assert any("[score] is not a valid number" in m for m in messages)
    assert any("Shoe" in m for m in messages)
    assert all(e["errorcode"] == 10000 for e in body["additionalErrors"])
    assert rows_of(sfmc)["count"] == 0


def test_async_write_is_applied_later_on_the_clock(cloud: Cloud, sfmc: requests.Session) -> None:
    response = sfmc.post(f"{REST}/data/v1/async/dataextensions/key:contacts_de/rows",
                         json={"items": [{"ContactKey": "A1", "FirstName": "Later"},
                                         {"ContactKey": "A2", "EmailAddress": "bad"}]})
    assert response.status_code == 202
    request_id = response.json()["requestId"]
    assert rows_of(sfmc)["count"] == 0
    status = sfmc.get(f"{REST}/data/v1/async/{request_id}/status").json()["status"]
    assert status["requestStatus"] == "Pending"
    cloud.clock.advance(5)
    status = sfmc.get(f"{REST}/data/v1/async/{request_id}/status").json()["status"]
    assert status["requestStatus"] == "Complete" and status["hasErrors"] is True
    assert [i["keys"]["contactkey"] for i in rows_of(sfmc)["items"]] == ["A1"]


def test_throttling_is_429_with_retry_after(cloud: Cloud, sfmc: requests.Session) -> None:
    cloud.service("sfmc").set_limits(SUB, {"window_calls": 3, "window_seconds": 10})
    codes = [sfmc.get(f"{REST}/data/v1/customobjects").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    throttled = sfmc.get(f"{REST}/data/v1/customobjects")
    assert throttled.headers["Retry-After"] == "10"
    assert throttled.json()["errorcode"] == 50100 and throttled.json()["retryAfter"] == 10
    cloud.clock.advance(10)
    assert sfmc.get(f"{REST}/data/v1/customobjects").status_code == 200


def test_create_and_describe_a_data_extension(sfmc: requests.Session) -> None:
    created = sfmc.post(f"{REST}/data/v1/customobjects", json={
        "name": "Activity", "key": "activity_de",
        "fields": [{"name": "ActivityId", "type": "Text", "isPrimaryKey": True},
                   {"name": "When", "type": "Date"}]})
    assert created.status_code == 201
    de_id = created.json()["id"]
    fields = sfmc.get(f"{REST}/data/v1/customobjects/{de_id}/fields").json()["fields"]
    assert [(f["name"], f["type"], f["isPrimaryKey"]) for f in fields] == [
        ("ActivityId", "Text", True), ("When", "Date", False)]
    again = sfmc.post(f"{REST}/data/v1/customobjects", json={
        "name": "Activity", "key": "ACTIVITY_DE", "fields": [{"name": "X"}]})
    assert again.status_code == 400
    found = sfmc.get(f"{REST}/data/v1/customobjects", params={"$search": "activ"}).json()
    assert [i["key"] for i in found["items"]] == ["activity_de"]


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("get", "/data/v1/customobjectdata/key/nope/rowset", None, 404),
    ("post", "/hub/v1/dataevents/key:contacts_de/rowset", b"[{", 400),
    ("post", "/hub/v1/dataevents/key:contacts_de/rowset", b"{}", 400),
    ("post", "/data/v1/async/dataextensions/key:contacts_de/rows", b"{\"items\": 3}", 400),
    ("get", "/data/v1/nothing", None, 404),
])
def test_bad_requests(cloud: Cloud, sfmc: requests.Session, method: str, path: str,
                      body: bytes | None, status: int) -> None:
    before = cloud.service("sfmc").snapshot()
    response = sfmc.request(method, REST + path, data=body,
                            headers={"Content-Type": "application/json"})
    assert response.status_code == status and "errorcode" in response.json()
    assert cloud.service("sfmc").snapshot() == before


def test_happy_path_through_httpx_transport() -> None:
    cloud = Cloud("virtual")
    cloud.sfmc(SUB).seed({"data_extensions": [{**CONTACTS, "rows": [
        {"ContactKey": "C1", "FirstName": "Ana"}]}]})
    with httpx.Client(transport=cloud.httpx_transport()) as client:
        value = client.post(f"{AUTH}/v2/token", json={
            "grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}).json()
        rest = value["rest_instance_url"]
        body = client.get(f"{rest}data/v1/customobjectdata/key/contacts_de/rowset",
                          headers={"Authorization": f"Bearer {value['access_token']}"}).json()
    assert body["items"][0]["values"]["firstname"] == "Ana"


def test_per_vendor_port_points_rest_instance_url_at_itself() -> None:
    with ServerRunner(Cloud("virtual"), port=0) as server:
        base = server.base_url("sfmc", SUB)
        value = requests.post(f"{base}/v2/token", json={
            "grant_type": "client_credentials", "client_id": "a", "client_secret": "b"}).json()
        assert value["rest_instance_url"] == f"{base}/"
        listed = requests.get(f"{value['rest_instance_url']}data/v1/customobjects",
                              headers={"Authorization": f"Bearer {value['access_token']}"})
        assert listed.status_code == 200 and listed.json()["count"] == 0


def test_seeding_through_the_admin_api(cloud: Cloud) -> None:
    admin = f"{AUTH}/__admin"
    created = requests.post(f"{admin}/tenants", json={
        "id": SUB, "credentials": [{"client_id": "cid", "client_secret": "sec"}],
        "state": {"data_extensions": [{**CONTACTS, "rows": [
            {"ContactKey": "S1", "FirstName": "Seeded", "Joined": "1/2/2024 3:04:05 PM"}]}]}})
    assert created.status_code == 201
    value = token().json()["access_token"]
    body = requests.get(f"{REST}/data/v1/customobjectdata/key/contacts_de/rowset",
                        headers={"Authorization": f"Bearer {value}"}).json()
    assert body["items"][0]["values"]["joined"] == "1/2/2024 3:04:05 PM"
    bad = requests.post(f"{admin}/tenants/{SUB}/seed", json={"data_extensions": [
        {"name": "Bad", "key": "bad", "fields": [{"name": "N", "type": "Number"}],
         "rows": [{"N": "many"}]}]})
    assert bad.status_code == 400
    snapshot = requests.get(f"{admin}/state").json()
    assert [d["key"] for d in snapshot["tenants"][SUB]["state"]["data_extensions"]] == [
        "contacts_de"]


def test_strict_mode_knows_only_seeded_accounts() -> None:
    from vendorsim import mock_vendors

    with mock_vendors(strict=True) as cloud:
        assert token().status_code == 401
        cloud.service("sfmc").seed_tenant(SUB, credentials=[{"client_id": "cid",
                                                             "client_secret": "sec"}])
        assert token().status_code == 200
        other = requests.post("https://other.auth.marketingcloudapis.com/v2/token", json={
            "grant_type": "client_credentials", "client_id": "cid", "client_secret": "sec"})
        assert other.status_code == 401


def test_async_status_and_results_as_documented(cloud: Cloud, sfmc: requests.Session) -> None:
    """Issue 16: the status answer carries SFMC's documented `status` object; the refused
    rows are read from /results."""
    de_id = sfmc.get(f"{REST}/data/v1/customobjects/key:contacts_de").json()["id"]
    queued = sfmc.put(f"{REST}/data/v1/async/dataextensions/{de_id}/rows",  # the by-id form
                      json={"items": [{"ContactKey": "A1", "FirstName": "Later"},
                                      {"ContactKey": "A2", "EmailAddress": "bad"}]})
    assert queued.status_code == 202
    request_id = queued.json()["requestId"]
    pending = sfmc.get(f"{REST}/data/v1/async/{request_id}/status").json()
    assert pending["status"]["requestStatus"] == "Pending"
    assert pending["status"]["completionDateTime"] is None
    cloud.clock.advance(5)
    done = sfmc.get(f"{REST}/data/v1/async/{request_id}/status").json()
    assert set(done["status"]) == {"callDateTime", "completionDateTime", "hasErrors",
                                   "pickupDateTime", "requestStatus", "resultStatus",
                                   "requestId"}
    assert done["status"]["requestId"] == request_id != done["requestId"]
    assert (done["status"]["requestStatus"], done["status"]["resultStatus"]) == ("Complete",
                                                                                 "Error")
    results = sfmc.get(f"{REST}/data/v1/async/{request_id}/results").json()
    assert (results["page"], results["count"]) == (1, 1)
    assert results["items"][0]["status"] == "Error"
    assert "email" in results["items"][0]["message"]


def test_the_by_id_forms_beside_the_key_forms(sfmc: requests.Session) -> None:
    described = sfmc.get(f"{REST}/data/v1/customobjects/key:contacts_de").json()
    by_id = sfmc.get(f"{REST}/data/v1/customobjects/{described['id']}").json()
    assert by_id == described and by_id["key"] == "contacts_de"
    written = sfmc.post(f"{REST}/hub/v1/dataevents/{described['id']}/rowset", json=[
        {"keys": {"ContactKey": "B9"}, "values": {"FirstName": "ById"}}])
    assert written.status_code == 200
    assert "B9" in [i["keys"]["contactkey"] for i in rows_of(sfmc)["items"]]
    assert sfmc.get(f"{REST}/data/v1/customobjects/nope").status_code == 404


def test_the_contacts_api_writes_and_reads_data_extensions(cloud: Cloud,
                                                           sfmc: requests.Session) -> None:
    """Issue 16: what the CDP's SFMC destination calls. An attribute set is a data extension
    (here `contacts_de`, keyed by ContactKey)."""
    definitions = sfmc.get(f"{REST}/contacts/v1/attributeSetDefinitions").json()
    (contacts,) = [d for d in definitions["items"] if d["definitionKey"] == "contacts_de"]
    assert {v["definitionKey"] for v in contacts["valueDefinitions"]} >= {"ContactKey",
                                                                         "EmailAddress"}
    written = sfmc.post(f"{REST}/contacts/v1/contacts", json={
        "contactKey": "K42", "attributeSets": [{"name": contacts["definitionName"]["value"],
                                                "items": [{"values": [
                                                    {"name": "EmailAddress",
                                                     "value": "k42@x.example"},
                                                    {"name": "FirstName", "value": "Kay"}]}]}]})
    assert written.status_code == 200, written.text
    body = written.json()
    assert (body["operationStatus"], body["rowsAffected"], body["contactKey"],
            body["isNewContactKey"]) == ("OK", 1, "K42", True)
    assert "K42" in [i["keys"]["contactkey"] for i in rows_of(sfmc)["items"]]
    found = sfmc.post(f"{REST}/contacts/v1/addresses/email/search",
                      json={"channelAddressList": ["K42@x.example"]}).json()
    assert found["channelAddressResponseEntities"][0]["contactKeyDetails"][0][
        "contactKey"] == "K42"
    bad = sfmc.post(f"{REST}/contacts/v1/contacts", json={
        "contactKey": "K43", "attributeSets": [{"name": "nope", "items": []}]})
    assert bad.status_code == 400 and bad.json()["operationStatus"] == "FAIL"
    invalid = sfmc.post(f"{REST}/contacts/v1/contacts", json={
        "contactKey": "K44", "attributeSets": [{"name": "contacts_de", "items": [
            {"values": [{"name": "EmailAddress", "value": "not-an-email"}]}]}]})
    assert invalid.status_code == 400 and "valid email" in invalid.text
    assert "K44" not in [i["keys"]["contactkey"] for i in rows_of(sfmc)["items"]]
