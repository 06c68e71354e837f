"""Custom objects: the type schema (draft, fields, approve, discard, delete) and records of
approved types through the shared object calls."""

from __future__ import annotations

from tests.helpers import MarketoCaller, codes, reasons

TYPE = {"apiName": "car_c", "displayName": "Car", "pluralName": "Cars"}
FIELDS = {"input": [{"name": "vin", "displayName": "VIN", "dataType": "string",
                     "isDedupe": True},
                    {"name": "owner", "dataType": "link",
                     "relatedTo": {"name": "Lead", "field": "id"}}]}


def approved(mkto: MarketoCaller) -> None:
    mkto.post("/rest/v1/customobjects/schema.json", TYPE)
    mkto.post("/rest/v1/customobjects/schema/car_c/addField.json", FIELDS)
    assert mkto.post("/rest/v1/customobjects/schema/car_c/approve.json")["success"]


def test_a_draft_type_has_no_records_until_approved(mkto: MarketoCaller) -> None:
    created = mkto.post("/rest/v1/customobjects/schema.json", TYPE)["result"][0]
    assert created["status"] == "created"
    assert codes(mkto.post("/rest/v1/customobjects/car_c.json", {"input": [{"vin": "1"}]})) == \
        ["1013"]
    assert codes(mkto.post("/rest/v1/customobjects/schema/car_c/approve.json")) == ["709"]
    mkto.post("/rest/v1/customobjects/schema/car_c/addField.json", FIELDS)
    listed = mkto.get("/rest/v1/customobjects/schema.json", state="draft")["result"][0]
    assert listed["state"] == "draft" and listed["dedupeFields"] == ["vin"]
    mkto.post("/rest/v1/customobjects/schema/car_c/approve.json")
    assert mkto.get("/rest/v1/customobjects.json")["result"][0]["name"] == "car_c"


def test_records_sync_query_and_delete(mkto: MarketoCaller) -> None:
    approved(mkto)
    body = mkto.post("/rest/v1/customobjects/car_c.json", {"input": [
        {"vin": "V1", "owner": 1}, {"vin": "V2", "owner": 1}, {"vin": "V3", "nope": 1}]})
    assert [r["status"] for r in body["result"]] == ["created", "created", "skipped"]
    assert reasons(body["result"][2]) == ["1006"]
    page = mkto.get("/rest/v1/customobjects/car_c.json", filterType="owner", filterValues="1",
                    batchSize=1)
    assert len(page["result"]) == 1 and page["moreResult"] is True
    rest = mkto.get("/rest/v1/customobjects/car_c.json", filterType="owner", filterValues="1",
                    batchSize=1, nextPageToken=page["nextPageToken"])
    assert rest["result"][0]["vin"] == "V2"
    gone = mkto.post("/rest/v1/customobjects/car_c/delete.json", {"input": [{"vin": "V1"}]})
    assert gone["result"][0]["status"] == "deleted"
    described = mkto.get("/rest/v1/customobjects/car_c/describe.json")["result"][0]
    assert described["idField"] == "marketoGUID"
    assert described["relationships"][0]["relatedTo"] == {"name": "Lead", "field": "id"}


def test_editing_an_approved_type_makes_a_draft_beside_it(mkto: MarketoCaller) -> None:
    approved(mkto)
    mkto.post("/rest/v1/customobjects/schema/car_c/addField.json", {"input": [
        {"name": "model", "dataType": "string"}]})
    draft = mkto.get("/rest/v1/customobjects/schema/car_c/describe.json", state="draft")
    assert draft["result"][0]["state"] == "approvedWithDraft"
    pending = mkto.post("/rest/v1/customobjects/car_c.json", {"input": [
        {"vin": "V1", "model": "Saab"}]})["result"][0]
    assert reasons(pending) == ["1006"]  # records follow the approved version only
    mkto.post("/rest/v1/customobjects/schema/car_c/model/updateField.json",
              {"input": {"displayName": "Model"}})
    mkto.post("/rest/v1/customobjects/schema/car_c/discardDraft.json")
    one = mkto.post("/rest/v1/customobjects/car_c.json", {"input": [
        {"vin": "V9", "model": "Saab"}]})["result"][0]
    assert reasons(one) == ["1006"]  # the field was only in the discarded draft


def test_field_errors_and_type_delete(mkto: MarketoCaller) -> None:
    approved(mkto)
    bad = mkto.post("/rest/v1/customobjects/schema/car_c/addField.json", {"input": [
        {"name": "vin", "dataType": "string"}, {"name": "x", "dataType": "blob"},
        {"name": "l", "dataType": "link", "relatedTo": {"name": "Nope", "field": "id"}}]})
    assert [reasons(r) for r in bad["result"]] == [["1017"], ["1003"], ["1003"]]
    assert codes(mkto.post("/rest/v1/customobjects/schema/car_c/nope/updateField.json",
                           {"input": {"displayName": "x"}})) == ["1006"]
    mkto.post("/rest/v1/customobjects/car_c.json", {"input": [{"vin": "V1"}]})
    assert codes(mkto.post("/rest/v1/customobjects/schema/car_c/delete.json")) == ["1022"]
    mkto.post("/rest/v1/customobjects/car_c/delete.json", {"input": [{"vin": "V1"}]})
    assert mkto.post("/rest/v1/customobjects/schema/car_c/delete.json")["success"]
    assert codes(mkto.get("/rest/v1/customobjects/schema/car_c/describe.json")) == ["1013"]


def test_schema_reference_reads(mkto: MarketoCaller) -> None:
    approved(mkto)
    types = {t["dataType"] for t in
             mkto.get("/rest/v1/customobjects/schema/fieldDataTypes.json")["result"]}
    assert {"string", "link", "datetime"} <= types
    linkable = mkto.get("/rest/v1/customobjects/schema/linkableObjects.json")["result"]
    assert {o["name"] for o in linkable} == {"Lead", "Company"}
    assets = mkto.get("/rest/v1/customobjects/schema/car_c/dependentAssets.json")["result"]
    assert assets == [{"apiName": "car_c", "dependentAssets": []}]
