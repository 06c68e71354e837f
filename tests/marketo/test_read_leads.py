"""Reading leads: filters, fields, paging, by id, describe, partitions, delete (§1.8-1.11)."""

from __future__ import annotations

import pytest

from tests.helpers import MarketoCaller, codes, reasons
from vendorsim.mocks.marketo.model.instance import MarketoInstance


@pytest.fixture
def many(db: MarketoInstance) -> MarketoInstance:
    db.seed({"partitions": ["EMEA"], "leads": [
        {"email": f"p{i}@x.example", "firstName": f"P{i}", "company": "Acme",
         "partition": "EMEA" if i % 2 else "Default", "sfdcAccountId": f"ACC{i % 3}"}
        for i in range(1, 8)]})
    return db


def test_default_fields_and_nulls(mkto: MarketoCaller, many: MarketoInstance) -> None:
    body = mkto.get("/rest/v1/leads.json", filterType="email", filterValues="p1@x.example")
    assert body["result"] == [{"id": 1, "email": "p1@x.example",
                               "updatedAt": "2026-11-23T12:00:00Z",
                               "createdAt": "2026-11-23T12:00:00Z",
                               "firstName": "P1", "lastName": None}]
    assert "moreResult" not in body


def test_requested_fields_and_partition_id(mkto: MarketoCaller, many: MarketoInstance) -> None:
    body = mkto.get("/rest/v1/leads.json", filterType="email",
                    filterValues="p1@x.example,p2@x.example,none@x.example",
                    fields="email,leadPartitionId,company")
    assert body["result"] == [
        {"id": 1, "email": "p1@x.example", "leadPartitionId": 2, "company": "Acme"},
        {"id": 2, "email": "p2@x.example", "leadPartitionId": 1, "company": "Acme"}]


def test_filter_by_partition_and_crm_ids(mkto: MarketoCaller, many: MarketoInstance) -> None:
    emea = mkto.get("/rest/v1/leads.json", filterType="leadPartitionId", filterValues="2")
    assert [r["id"] for r in emea["result"]] == [1, 3, 5, 7]
    acc = mkto.get("/rest/v1/leads.json", filterType="sfdcAccountId", filterValues="ACC0")
    assert [r["id"] for r in acc["result"]] == [3, 6]


def test_paging_with_next_page_token(mkto: MarketoCaller, many: MarketoInstance) -> None:
    seen, token, pages = [], None, 0
    while True:
        params = {"filterType": "leadPartitionId", "filterValues": "1,2", "batchSize": 3}
        if token:
            params["nextPageToken"] = token
        body = mkto.get("/rest/v1/leads.json", **params)
        pages += 1
        seen += [r["id"] for r in body["result"]]
        if not body.get("moreResult"):
            break
        token = body["nextPageToken"]
    assert seen == [1, 2, 3, 4, 5, 6, 7] and pages == 3


def test_no_match_is_an_empty_success(mkto: MarketoCaller, many: MarketoInstance) -> None:
    body = mkto.get("/rest/v1/leads.json", filterType="email", filterValues="nobody@x.example")
    assert body["success"] is True and body["result"] == []


@pytest.mark.parametrize(("params", "code"), [
    ({"filterValues": "a"}, "701"),
    ({"filterType": "email"}, "701"),
    ({"filterType": "firstName", "filterValues": "P1"}, "1011"),
    ({"filterType": "shoeSize", "filterValues": "9"}, "1006"),
    ({"filterType": "email", "filterValues": "a", "fields": "email,shoeSize"}, "1006"),
    ({"filterType": "email", "filterValues": "a", "batchSize": "301"}, "1003"),
    ({"filterType": "email", "filterValues": "a", "batchSize": "ten"}, "1003"),
    ({"filterType": "email", "filterValues": "a", "nextPageToken": "garbage!"}, "1003"),
    ({"filterType": "email", "filterValues": ",".join(f"{i}@x" for i in range(301))}, "1003"),
])
def test_bad_queries(mkto: MarketoCaller, many: MarketoInstance, params: dict, code: str) -> None:
    if len(str(params)) > 4000:  # too long for a GET: Marketo's advice is _method=GET
        body = mkto.post("/rest/v1/leads.json", data={"_method": "GET", **params})
    else:
        body = mkto.get("/rest/v1/leads.json", **params)
    assert body["success"] is False and codes(body) == [code]


def test_lead_by_id(mkto: MarketoCaller, many: MarketoInstance) -> None:
    assert mkto.get("/rest/v1/lead/3.json", fields="email")["result"] == [
        {"id": 3, "email": "p3@x.example"}]
    assert mkto.get("/rest/v1/lead/999.json")["result"] == []
    assert codes(mkto.get("/rest/v1/lead/abc.json")) == ["610"]


def test_describe_and_describe2_list_searchable_fields(mkto: MarketoCaller,
                                                       db: MarketoInstance) -> None:
    db.seed({"fields": [{"name": "crmId", "dataType": "string", "searchable": True},
                        {"name": "tier", "dataType": "integer"}]})
    describe = mkto.get("/rest/v1/leads/describe.json")["result"]
    email = next(f for f in describe if f["rest"]["name"] == "email")
    assert email["dataType"] == "email" and email["length"] == 255
    assert {"id", "displayName", "dataType", "rest", "soap"} <= set(email)
    d2 = mkto.get("/rest/v1/leads/describe2.json")["result"][0]
    assert d2["name"] == "API Lead"
    searchable = [names[0] for names in d2["searchableFields"]]
    assert {"email", "id", "crmId", "leadPartitionId"} <= set(searchable)
    assert "firstName" not in searchable and "ecids" not in searchable
    assert any(f["name"] == "tier" and f["updateable"] for f in d2["fields"])


def test_partitions_list_and_move(mkto: MarketoCaller, many: MarketoInstance) -> None:
    listed = mkto.get("/rest/v1/leads/partitions.json")["result"]
    assert listed == [{"id": 1, "name": "Default", "description": "Initial system lead partition"},
                      {"id": 2, "name": "EMEA", "description": ""}]
    moved = mkto.post("/rest/v1/leads/partitions.json", {"input": [
        {"id": 2, "partitionName": "EMEA"}, {"id": 999, "partitionName": "EMEA"},
        {"id": 4, "partitionName": "Mars"}]})["result"]
    assert moved[0] == {"id": 2, "status": "updated"}
    assert reasons(moved[1]) == ["1004"] and reasons(moved[2]) == ["1008"]
    assert many.leads[2].partition_id == 2 and many.leads[4].partition_id == 1


def test_delete_leads_three_ways(mkto: MarketoCaller, many: MarketoInstance) -> None:
    body = mkto.post("/rest/v1/leads/delete.json", {"input": [{"id": 1}, {"id": 99}]})
    assert body["result"][0] == {"id": 1, "status": "deleted"}
    assert reasons(body["result"][1]) == ["1004"]
    via_override = mkto.post("/rest/v1/leads.json?_method=DELETE", {"input": [{"id": 2}]})
    assert via_override["result"] == [{"id": 2, "status": "deleted"}]
    via_delete = mkto.delete("/rest/v1/leads.json", params={"id": "3,4"})
    assert [r["status"] for r in via_delete["result"]] == ["deleted", "deleted"]
    assert sorted(many.leads) == [5, 6, 7]
    assert many.find("email", "p1@x.example") == []
