"""Bulk extract create bodies as ELT connectors send them (issue 35): every body Adobe's bulk
extract pages document as valid is accepted, and what they refuse is still refused. Pages:
bulk-activity-extract, bulk-program-member-extract, bulk-custom-object-extract,
bulk-lead-extract (AdobeDocs/marketo-developer, help/rest-api)."""

from __future__ import annotations

import pytest

from tests.helpers import MarketoCaller, codes
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance

RANGE = {"startAt": "2026-11-01T00:00:00Z", "endAt": "2026-11-30T00:00:00Z"}
DEFAULT_ACTIVITY_COLUMNS = ("marketoGUID,leadId,activityDate,activityTypeId,campaignId,"
                            "primaryAttributeValueId,primaryAttributeValue,attributes")


def create(mkto: MarketoCaller, entity: str, body: dict) -> dict:
    return mkto.post(f"/bulk/v1/{entity}/export/create.json", body)


def run(cloud: Cloud, mkto: MarketoCaller, entity: str, body: dict) -> str:
    """Create, enqueue and read the file of one export job."""
    made = create(mkto, entity, body)
    assert made["success"], made
    export_id = made["result"][0]["exportId"]
    mkto.post(f"/bulk/v1/{entity}/export/{export_id}/enqueue.json")
    cloud.clock.advance(60)
    return mkto.session.get(f"{mkto.base}/bulk/v1/{entity}/export/{export_id}/file.json").text


@pytest.mark.parametrize("fields", [None, []], ids=["absent", "empty"])
def test_activity_export_without_fields_has_the_default_columns(
        cloud: Cloud, mkto: MarketoCaller, fields: list | None) -> None:
    """`"fields": []` is what connectors send; Adobe documents fields as optional."""
    mkto.sync([{"email": "a@x.example"}])
    body: dict = {"filter": {"createdAt": RANGE}}
    if fields is not None:
        body["fields"] = fields
    data = run(cloud, mkto, "activities", body)
    assert data.splitlines()[0] == DEFAULT_ACTIVITY_COLUMNS
    assert len(data.splitlines()) == 2  # the New Lead activity


def test_activity_export_may_ask_for_action_result(cloud: Cloud, mkto: MarketoCaller) -> None:
    mkto.sync([{"email": "a@x.example"}])
    data = run(cloud, mkto, "activities", {"fields": ["leadId", "actionResult"],
                                           "filter": {"createdAt": RANGE}})
    assert data == "leadId,actionResult\n1,succeeded\n"


def test_activity_export_refusals_stay(mkto: MarketoCaller) -> None:
    base = {"createdAt": RANGE, "activityTypeIds": [12]}
    assert codes(create(mkto, "activities", {"fields": ["nope"], "filter": base})) == ["1006"]
    assert codes(create(mkto, "activities", {"filter": {"activityTypeIds": [1]}})) == ["1003"]
    alone = {"createdAt": RANGE, "primaryAttributeValueIds": [1]}
    assert codes(create(mkto, "activities", {"filter": alone})) == ["1003"]
    many = {**base, "primaryAttributeValues": [f"v{i}" for i in range(51)]}
    assert codes(create(mkto, "activities", {"filter": many})) == ["1003"]
    fifty = {**base, "primaryAttributeValueIds": list(range(1, 51))}
    assert create(mkto, "activities", {"filter": fifty})["success"] is True


def test_lead_export_still_needs_fields(mkto: MarketoCaller) -> None:
    """fields is required for leads, program members and custom objects."""
    for fields in (None, []):
        body = {"filter": {"createdAt": RANGE}, **({} if fields is None else {"fields": fields})}
        assert codes(create(mkto, "leads", body)) == ["701"]


def test_program_member_export_by_program_ids(cloud: Cloud, mkto: MarketoCaller,
                                              db: MarketoInstance) -> None:
    """With programIds, Adobe adds the programId column first; at most 10 programs."""
    mkto.sync([{"email": "a@x.example"}])
    db.seed({"programs": [{"id": 7, "name": "A", "members": [{"leadId": 1}]},
                          {"id": 8, "name": "B", "members": [{"leadId": 1,
                                                              "status": "Engaged"}]}]})
    data = run(cloud, mkto, "program/members", {
        "fields": ["leadId", "progressionStatus"], "filter": {"programIds": [7, 8]}})
    assert data == "programId,leadId,progressionStatus\n7,1,Member\n8,1,Engaged\n"
    too_many = {"fields": ["leadId"], "filter": {"programIds": list(range(1, 12))}}
    assert codes(create(mkto, "program/members", too_many)) == ["1003"]
    unknown_status = {"fields": ["leadId"], "filter": {"programIds": [7, 8],
                                                       "statusNames": ["Attended"]}}
    assert codes(create(mkto, "program/members", unknown_status)) == ["1003"]
    known = {"fields": ["leadId"], "filter": {"programIds": [7, 8], "statusNames": ["Engaged"]}}
    assert create(mkto, "program/members", known)["success"] is True


def test_custom_object_export_by_static_list(cloud: Cloud, mkto: MarketoCaller,
                                             db: MarketoInstance) -> None:
    """Custom object records linked to the leads of a static list (the documented filter)."""
    mkto.sync([{"email": "a@x.example"}, {"email": "b@x.example"}])
    db.seed({"customObjects": [{"apiName": "car_c", "displayName": "Car", "fields": [
        {"name": "vin", "dataType": "string", "isDedupe": True},
        {"name": "owner", "dataType": "link", "relatedTo": {"name": "Lead", "field": "id"}}]}],
        "lists": [{"id": 5, "name": "Owners", "members": [1]}]})
    mkto.post("/rest/v1/customobjects/car_c.json", {"input": [
        {"vin": "V1", "owner": 1}, {"vin": "V2", "owner": 2}]})
    data = run(cloud, mkto, "customobjects/car_c", {"fields": ["vin"],
                                                    "filter": {"staticListId": 5}})
    assert data == "vin\nV1\n"
    by_name = run(cloud, mkto, "customobjects/car_c", {"fields": ["vin"],
                                                       "filter": {"staticListName": "Owners"}})
    assert by_name == data
    two = {"fields": ["vin"], "filter": {"staticListId": 5, "updatedAt": RANGE}}
    assert codes(create(mkto, "customobjects/car_c", two)) == ["1003"]
    assert codes(create(mkto, "customobjects/car_c", {"fields": ["vin"], "filter": {
        "smartListId": 3}})) == ["1035"]
