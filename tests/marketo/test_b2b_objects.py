"""Companies, opportunities, roles, named accounts (+ lists), sales persons (B-B2B-01):
sync by dedupe fields or id field, query with paging, delete, describe, and their codes."""

from __future__ import annotations

import pytest

from tests.helpers import MUNCHKIN, MarketoCaller, codes, reasons
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance

KINDS = [  # path stem, a record, its dedupe field, its id field
    ("companies", {"externalCompanyId": "acme", "company": "Acme"}, "externalCompanyId", "id"),
    ("opportunities", {"externalOpportunityId": "o1", "name": "Deal"},
     "externalOpportunityId", "marketoGUID"),
    ("namedaccounts", {"name": "Acme Corp", "domainName": "acme.example"}, "name",
     "marketoGUID"),
    ("namedAccountLists", {"name": "Tier 1"}, "name", "marketoGUID"),
    ("salespersons", {"externalSalesPersonId": "sp1", "email": "rep@x.example"},
     "externalSalesPersonId", "id"),
]


@pytest.mark.parametrize(("stem", "record", "dedupe", "id_field"), KINDS)
def test_sync_creates_then_updates_and_query_finds_it(
        mkto: MarketoCaller, stem: str, record: dict, dedupe: str, id_field: str) -> None:
    created = mkto.post(f"/rest/v1/{stem}.json", {"input": [record]})["result"][0]
    assert created["status"] == "created" and created["seq"] == 0 and id_field in created
    again = mkto.post(f"/rest/v1/{stem}.json", {"input": [record]})["result"][0]
    assert again == {**created, "status": "updated"}
    found = mkto.get(f"/rest/v1/{stem}.json", filterType=dedupe,
                     filterValues=str(record[dedupe]).upper())["result"]
    assert [r[id_field] for r in found] == [created[id_field]]
    assert set(found[0]) >= {"seq", id_field, dedupe, "createdAt", "updatedAt"}


@pytest.mark.parametrize(("stem", "record", "dedupe", "id_field"), KINDS)
def test_delete_by_dedupe_fields_then_by_id_field_is_1013(
        mkto: MarketoCaller, stem: str, record: dict, dedupe: str, id_field: str) -> None:
    created = mkto.post(f"/rest/v1/{stem}.json", {"input": [record]})["result"][0]
    gone = mkto.post(f"/rest/v1/{stem}/delete.json", {"input": [{dedupe: record[dedupe]}]})
    assert gone["result"][0]["status"] == "deleted"
    again = mkto.post(f"/rest/v1/{stem}/delete.json", {
        "deleteBy": "idField", "input": [{id_field: created[id_field]}]})["result"][0]
    assert again["status"] == "skipped" and reasons(again) == ["1013"]


def test_create_only_on_existing_is_1017_update_only_on_missing_is_1013(
        mkto: MarketoCaller) -> None:
    mkto.post("/rest/v1/companies.json", {"input": [{"externalCompanyId": "a"}]})
    body = mkto.post("/rest/v1/companies.json", {"action": "createOnly", "input": [
        {"externalCompanyId": "a"}, {"externalCompanyId": "b"}]})
    assert [r["status"] for r in body["result"]] == ["skipped", "created"]
    assert reasons(body["result"][0]) == ["1017"]
    body = mkto.post("/rest/v1/companies.json", {"action": "updateOnly", "input": [
        {"externalCompanyId": "zz"}]})
    assert reasons(body["result"][0]) == ["1013"]


def test_duplicate_in_input_is_1036_and_missing_key_is_skipped(mkto: MarketoCaller) -> None:
    body = mkto.post("/rest/v1/opportunities.json", {"input": [
        {"externalOpportunityId": "o1"}, {"externalOpportunityId": "O1"}, {"name": "x"}]})
    assert [r["status"] for r in body["result"]] == ["created", "skipped", "skipped"]
    assert reasons(body["result"][1]) == ["1036"] and reasons(body["result"][2]) == ["1003"]


def test_unknown_field_is_1006_and_bad_value_is_1003(mkto: MarketoCaller) -> None:
    body = mkto.post("/rest/v1/companies.json", {"input": [
        {"externalCompanyId": "a", "nope": 1},
        {"externalCompanyId": "b", "numberOfEmployees": "many"}]})
    assert [reasons(r) for r in body["result"]] == [["1006"], ["1003"]]
    assert codes(mkto.get("/rest/v1/companies.json", filterType="externalCompanyId",
                          filterValues="a", fields="nope")) == ["1006"]


def test_update_by_id_field_only_with_update_only(mkto: MarketoCaller) -> None:
    created = mkto.post("/rest/v1/companies.json", {"input": [
        {"externalCompanyId": "a", "company": "A"}]})["result"][0]
    body = mkto.post("/rest/v1/companies.json", {"dedupeBy": "idField", "input": [
        {"id": created["id"], "company": "B"}]})
    assert codes(body) == ["1003"]
    body = mkto.post("/rest/v1/companies.json", {"dedupeBy": "idField", "action": "updateOnly",
                                                 "input": [{"id": created["id"],
                                                            "company": "B"}]})
    assert body["result"][0]["status"] == "updated"
    found = mkto.get("/rest/v1/companies.json", filterType="id",
                     filterValues=str(created["id"]), fields="company")["result"]
    assert found == [{"seq": 0, "company": "B"}]


def test_query_pages_with_next_page_token(mkto: MarketoCaller) -> None:
    mkto.post("/rest/v1/companies.json", {"input": [
        {"externalCompanyId": f"c{i}", "industry": "Tech"} for i in range(5)]})
    first = mkto.get("/rest/v1/companies.json", filterType="company", filterValues="x")
    assert first["success"] and first["result"] == []
    seen, token = [], None
    while True:
        params = {"filterType": "externalCompanyId", "batchSize": 2,
                  "filterValues": ",".join(f"c{i}" for i in range(5))}
        if token:
            params["nextPageToken"] = token
        page = mkto.get("/rest/v1/companies.json", **params)
        seen += [r["externalCompanyId"] for r in page["result"]]
        token = page.get("nextPageToken")
        if not page.get("moreResult"):
            break
    assert seen == [f"c{i}" for i in range(5)]


def test_query_limits_and_bad_filter(mkto: MarketoCaller) -> None:
    too_many = ",".join(str(i) for i in range(301))
    assert codes(mkto.get("/rest/v1/companies.json", filterType="id",
                          filterValues=too_many)) == ["1003"]
    assert codes(mkto.get("/rest/v1/companies.json", filterType="industry",
                          filterValues="x")) == ["1003"]
    assert codes(mkto.get("/rest/v1/companies.json", filterType="id")) == ["701"]
    body = mkto.post("/rest/v1/companies.json", {"input": [{"externalCompanyId": str(i)}
                                                           for i in range(301)]})
    assert codes(body) == ["1003"]


def test_opportunity_roles_query_by_compound_key(mkto: MarketoCaller) -> None:
    key = {"externalOpportunityId": "o1", "leadId": 7, "role": "Buyer"}
    created = mkto.post("/rest/v1/opportunities/roles.json", {"input": [key]})["result"][0]
    found = mkto.post("/rest/v1/opportunities/roles.json", {
        "filterType": "dedupeFields", "input": [{**key, "role": "buyer"}]},
        params={"_method": "GET"})
    assert [r["marketoGUID"] for r in found["result"]] == [created["marketoGUID"]]
    assert codes(mkto.get("/rest/v1/opportunities/roles.json", filterType="dedupeFields",
                          filterValues="x")) == ["1003"]


def test_describe_and_schema_fields(mkto: MarketoCaller) -> None:
    described = mkto.get("/rest/v1/companies/describe.json")["result"][0]
    assert described["idField"] == "id" and described["dedupeFields"] == ["externalCompanyId"]
    fields = mkto.get("/rest/v1/opportunities/schema/fields.json", batchSize=5)
    assert len(fields["result"]) == 5 and fields["moreResult"] is True
    one = mkto.get("/rest/v1/namedaccounts/schema/fields/domainName.json")["result"]
    assert one[0]["name"] == "domainName"
    assert codes(mkto.get("/rest/v1/companies/schema/fields/nope.json")) == ["1006"]


def test_named_account_list_members(mkto: MarketoCaller) -> None:
    nal = mkto.post("/rest/v1/namedAccountLists.json", {"input": [{"name": "T1"}]})
    list_guid = nal["result"][0]["marketoGUID"]
    account = mkto.post("/rest/v1/namedaccounts.json", {"input": [{"name": "Acme"}]})
    guid = account["result"][0]["marketoGUID"]
    path = f"/rest/v1/namedAccountList/{list_guid}/namedAccounts.json"
    added = mkto.post(path, {"input": [{"marketoGUID": guid}, {"marketoGUID": "nope"}]})
    assert [r["status"] for r in added["result"]] == ["added", "skipped"]
    assert [r["name"] for r in mkto.get(path, fields="name")["result"]] == ["Acme"]
    removed = mkto.post(path.replace(".json", "/remove.json"), {"input": [{"marketoGUID": guid}]})
    assert removed["result"][0]["status"] == "removed"
    assert mkto.get(path)["result"] == []
    assert codes(mkto.get("/rest/v1/namedAccountList/nope/namedAccounts.json")) == ["1013"]


def test_reads_need_read_and_writes_need_edit_permission(cloud: Cloud) -> None:
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": "ro", "client_secret": "s", "permissions": ["read"]}])
    caller = MarketoCaller().login("ro", "s")
    assert codes(caller.post("/rest/v1/companies.json", {"input": [
        {"externalCompanyId": "a"}]})) == ["603"]
    assert caller.get("/rest/v1/companies/describe.json")["success"] is True


def test_b2b_records_survive_a_snapshot_round_trip(mkto: MarketoCaller,
                                                   db: MarketoInstance) -> None:
    mkto.post("/rest/v1/companies.json", {"input": [{"externalCompanyId": "a", "company": "A"}]})
    nal = mkto.post("/rest/v1/namedAccountLists.json", {"input": [{"name": "T1"}]})
    acct = mkto.post("/rest/v1/namedaccounts.json", {"input": [{"name": "Acme"}]})
    mkto.post(f"/rest/v1/namedAccountList/{nal['result'][0]['marketoGUID']}/namedAccounts.json",
              {"input": [{"marketoGUID": acct["result"][0]["marketoGUID"]}]})
    state = db.snapshot()
    fresh = MarketoInstance("X", db.clock)
    fresh.restore(state)
    assert fresh.snapshot() == state


def test_query_as_post_with_method_get_in_the_url_and_a_form_body(mkto: MarketoCaller) -> None:
    """How a public client queries (found by marketorestpython): `?_method=GET` in the URL,
    the parameters in a form body."""
    mkto.post("/rest/v1/companies.json", {"input": [{"externalCompanyId": "C1"}]})
    found = mkto.session.post(f"{mkto.base}/rest/v1/companies.json",
                              params={"_method": "GET"},
                              data={"filterType": "externalCompanyId", "filterValues": "C1"})
    assert [r["externalCompanyId"] for r in found.json()["result"]] == ["C1"]
