"""Sync Leads rules (vendor-apis.md §1.7-1.8): actions, lookups, partitions, dedupe."""

from __future__ import annotations

import pytest

from tests.helpers import MarketoCaller, codes, reasons
from vendorsim.mocks.marketo.model.instance import MarketoInstance

EXISTING = {
    "partitions": ["EMEA", "APAC"],
    "leads": [
        {"id": 10, "email": "ana@acme.example", "firstName": "Ana", "partition": "EMEA",
         "updatedAt": "2026-01-01T00:00:00Z"},
        {"id": 20, "email": "bo@globex.example", "firstName": "Bo",
         "updatedAt": "2026-02-01T00:00:00Z"},
        {"id": 21, "email": "BO@globex.example", "firstName": "Bo2", "partition": "APAC",
         "updatedAt": "2026-03-01T00:00:00Z"},
    ],
}


@pytest.fixture
def seeded(db: MarketoInstance) -> MarketoInstance:
    db.seed(EXISTING)
    return db


def test_results_in_input_order_and_skipped_records_carry_no_id(
        mkto: MarketoCaller, seeded: MarketoInstance) -> None:
    body = mkto.sync([{"email": "new@x.example"}, {"email": "bo@globex.example"},
                      {"email": "ana@acme.example", "title": "CMO"}])
    assert body["success"] is True
    assert "errors" not in body and "warnings" not in body
    first, second, third = body["result"]
    assert first["status"] == "created" and first["id"] == 22
    assert second == {"status": "skipped", "reasons": [
        {"code": "1007", "message": "Multiple lead match lookup criteria"}]}
    assert third == {"id": 10, "status": "updated"}
    assert seeded.leads[10].values["title"] == "CMO"


def test_update_moves_updated_at_to_the_clock(mkto: MarketoCaller, seeded: MarketoInstance,
                                             cloud) -> None:
    cloud.clock.set("2026-11-23T12:30:00Z")
    mkto.sync([{"email": "ana@acme.example", "lastName": "Silva"}])
    lead = mkto.get("/rest/v1/lead/10.json", fields="updatedAt,lastName")["result"][0]
    assert lead == {"id": 10, "updatedAt": "2026-11-23T12:30:00Z", "lastName": "Silva"}


@pytest.mark.parametrize(("action", "email", "status", "reason"), [
    ("createOnly", "ana@acme.example", "skipped", "1005"),
    ("createOnly", "new@x.example", "created", None),
    ("updateOnly", "new@x.example", "skipped", "1004"),
    ("updateOnly", "ana@acme.example", "updated", None),
    ("createOrUpdate", "ana@acme.example", "updated", None),
    ("createOrUpdate", "new@x.example", "created", None),
    ("createDuplicate", "ana@acme.example", "created", None),
])
def test_actions(mkto: MarketoCaller, seeded: MarketoInstance, action: str, email: str,
                 status: str, reason: str | None) -> None:
    before = len(seeded.leads)
    result = mkto.sync([{"email": email}], action=action)["result"][0]
    assert result["status"] == status
    assert reasons(result) == ([reason] if reason else [])
    assert len(seeded.leads) == before + (status == "created")


def test_lookup_is_case_insensitive_and_instance_wide(mkto: MarketoCaller,
                                                     seeded: MarketoInstance) -> None:
    result = mkto.sync([{"email": "ANA@ACME.EXAMPLE", "title": "x"}],
                       action="updateOnly")["result"][0]
    assert result == {"id": 10, "status": "updated"}  # lead 10 lives in EMEA


def test_new_leads_go_to_default_or_the_named_partition(mkto: MarketoCaller,
                                                       seeded: MarketoInstance) -> None:
    default = mkto.sync([{"email": "d@x.example"}])["result"][0]["id"]
    apac = mkto.sync([{"email": "a@x.example"}], partitionName="APAC")["result"][0]["id"]
    assert seeded.partitions[seeded.leads[default].partition_id].name == "Default"
    assert seeded.partitions[seeded.leads[apac].partition_id].name == "APAC"


def test_unknown_partition_is_1008(mkto: MarketoCaller, seeded: MarketoInstance) -> None:
    result = mkto.sync([{"email": "z@x.example"}], partitionName="Mars")["result"][0]
    assert reasons(result) == ["1008"]
    assert "Mars" in result["reasons"][0]["message"]


def test_update_in_another_partition_than_named_is_1010(mkto: MarketoCaller,
                                                        seeded: MarketoInstance) -> None:
    result = mkto.sync([{"email": "ana@acme.example", "title": "x"}],
                       partitionName="APAC")["result"][0]
    assert reasons(result) == ["1010"]
    assert "title" not in seeded.leads[10].values


def test_dedupe_by_partition_setting_scopes_the_match(mkto: MarketoCaller,
                                                      seeded: MarketoInstance) -> None:
    seeded.seed({"settings": {"dedupe_by_partition": True}})
    result = mkto.sync([{"email": "ana@acme.example"}], partitionName="APAC")["result"][0]
    assert result["status"] == "created"
    assert len(seeded.find("email", "ana@acme.example")) == 2


def test_most_recently_updated_setting_models_the_cdp_connector(
        mkto: MarketoCaller, seeded: MarketoInstance) -> None:
    seeded.seed({"settings": {"on_multiple_matches": "update_most_recent"}})
    result = mkto.sync([{"email": "bo@globex.example", "title": "VP"}])["result"][0]
    assert result == {"id": 21, "status": "updated"}  # 21 was updated in March, 20 in Feb
    assert "title" not in seeded.leads[20].values


def test_credential_limited_to_partitions(cloud, seeded: MarketoInstance) -> None:
    cloud.service("marketo").seed_tenant("123-ABC-456", credentials=[
        {"client_id": "emea", "client_secret": "s", "partitions": ["EMEA"]}])
    caller = MarketoCaller().login("emea", "s")
    assert reasons(caller.sync([{"email": "n@x.example"}])["result"][0]) == ["1008"]
    created = caller.sync([{"email": "n@x.example"}], partitionName="EMEA")["result"][0]
    assert created["status"] == "created"
    assert reasons(caller.sync([{"email": "bo@globex.example"}],
                               action="updateOnly", lookupField="id")["result"][0]) == ["1002"]


def test_lookup_by_id_only_with_update_only(mkto: MarketoCaller, seeded: MarketoInstance) -> None:
    ok = mkto.sync([{"id": 20, "title": "x"}], action="updateOnly", lookupField="id")
    assert ok["result"] == [{"id": 20, "status": "updated"}]
    refused = mkto.sync([{"id": 20}], action="createOrUpdate", lookupField="id")
    assert codes(refused) == ["1003"]


def test_lookup_on_a_custom_searchable_field(mkto: MarketoCaller, seeded: MarketoInstance) -> None:
    seeded.seed({"fields": [{"name": "crmId", "dataType": "string", "searchable": True}]})
    mkto.sync([{"email": "ana@acme.example", "crmId": "CRM-1"}])
    result = mkto.sync([{"crmId": "crm-1", "title": "CMO"}], lookupField="crmId")["result"][0]
    assert result == {"id": 10, "status": "updated"}


def test_lookup_on_a_field_that_is_not_searchable_is_1011(mkto: MarketoCaller) -> None:
    assert codes(mkto.sync([{"firstName": "A"}], lookupField="firstName")) == ["1011"]
    assert codes(mkto.sync([{"email": "a@x.example"}], lookupField="nope")) == ["1006"]


@pytest.mark.parametrize(("record", "code"), [
    ({"email": "a@x.example", "favouriteColour": "red"}, "1006"),
    ({"email": "a@x.example", "numberOfEmployees": "many"}, "1003"),
    ({"email": "a@x.example", "unsubscribed": "perhaps"}, "1003"),
    ({"email": "a@x.example", "dateOfBirth": "31/12/1990"}, "1003"),
    ({"email": "a@x.example", "firstName": "x" * 256}, "1003"),
    ({"email": "ünï@x.example"}, "1003"),
    ({"email": "a@x.example", "createdAt": "2020-01-01T00:00:00Z"}, "1003"),
    ({"firstName": "no email"}, "1002"),
    ("not an object", "1003"),
])
def test_bad_records_are_skipped_alone(mkto: MarketoCaller, db: MarketoInstance,
                                       record: object, code: str) -> None:
    body = mkto.sync([record, {"email": "good@x.example"}])
    bad, good = body["result"]
    assert bad["status"] == "skipped" and reasons(bad) == [code] and "id" not in bad
    assert good["status"] == "created"
    assert len(db.leads) == 1


def test_values_are_coerced_to_the_field_type(mkto: MarketoCaller, db: MarketoInstance) -> None:
    lead_id = mkto.sync([{"email": "a@x.example", "numberOfEmployees": "250",
                          "unsubscribed": "true", "annualRevenue": "1.5e6"}])["result"][0]["id"]
    values = db.leads[lead_id].values
    assert values["numberOfEmployees"] == 250 and values["unsubscribed"] is True
    assert values["annualRevenue"] == 1.5e6


@pytest.mark.parametrize(("body", "code"), [
    ({"input": []}, "701"),
    ({}, "701"),
    ({"input": {"email": "a@x.example"}}, "1003"),
    ({"input": [{"email": "a@x.example"}], "action": "upsert"}, "1003"),
    ({"input": [{"email": f"{i}@x.example"} for i in range(301)]}, "1003"),
])
def test_bad_requests_fail_whole_and_change_nothing(mkto: MarketoCaller, db: MarketoInstance,
                                                   body: dict, code: str) -> None:
    response = mkto.post("/rest/v1/leads.json", body)
    assert response["success"] is False and codes(response) == [code]
    assert db.leads == {}


def test_300_records_is_the_largest_batch(mkto: MarketoCaller, db: MarketoInstance) -> None:
    body = mkto.sync([{"email": f"{i}@x.example"} for i in range(300)])
    assert [r["status"] for r in body["result"]] == ["created"] * 300
    assert len(db.leads) == 300


def test_async_processing_answers_without_results_but_applies(mkto: MarketoCaller,
                                                             db: MarketoInstance) -> None:
    body = mkto.sync([{"email": "a@x.example"}], asyncProcessing=True)
    assert body["success"] is True and "result" not in body
    assert len(db.find("email", "a@x.example")) == 1


def test_two_records_with_the_same_key_in_one_batch(mkto: MarketoCaller,
                                                    db: MarketoInstance) -> None:
    body = mkto.sync([{"email": "a@x.example", "title": "1"},
                      {"email": "a@x.example", "title": "2"}])
    assert [r["status"] for r in body["result"]] == ["created", "updated"]
    assert db.find("email", "a@x.example")[0].values["title"] == "2"


def test_type_errors_answer_as_live_marketo_does(mkto: MarketoCaller) -> None:
    """Issue 16: recorded live answers say 1003 `Invalid value for field 'X' and value 'Y'`."""
    result = mkto.sync([{"email": "a@x.example", "numberOfEmployees": "14.1"}])["result"][0]
    assert result["status"] == "skipped"
    assert result["reasons"] == [{"code": "1003", "message": "Invalid value for field "
                                  "'numberOfEmployees' and value '14.1'"}]
