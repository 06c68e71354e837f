"""Activities (B-B2B-07 reads ongoing changes from them): the log records what the lead
database does, in order; paging tokens, moreResult, filters, limits; custom activity types."""

from __future__ import annotations

from tests.helpers import MarketoCaller, codes, reasons
from vendorsim import Cloud

SINCE = "2026-11-23T00:00:00Z"


def token(mkto: MarketoCaller, since: str = SINCE) -> str:
    return mkto.get("/rest/v1/activities/pagingtoken.json", sinceDatetime=since)["nextPageToken"]


def read_all(mkto: MarketoCaller, path: str, **params: object) -> list[dict]:
    out, next_token = [], token(mkto)
    while True:
        page = mkto.get(path, nextPageToken=next_token, **params)
        assert page["success"], page
        out += page.get("result", [])
        next_token = page["nextPageToken"]
        if not page["moreResult"]:
            return out


def test_writes_are_logged_in_order(cloud: Cloud, mkto: MarketoCaller) -> None:
    mkto.sync([{"email": "a@x.example", "title": "Dev"}])
    cloud.clock.advance(60)
    mkto.sync([{"email": "a@x.example", "title": "CTO"}])
    mkto.post("/rest/v1/leads/partitions.json", {"input": []})
    mkto.post("/rest/v1/leads/delete.json", {"input": [{"id": 1}]})
    found = read_all(mkto, "/rest/v1/activities.json", activityTypeIds="12,13,37")
    assert [a["activityTypeId"] for a in found] == [12, 13, 37]
    change = found[1]
    assert change["primaryAttributeValue"] == "Job Title"
    assert {"name": "New Value", "value": "CTO"} in change["attributes"]
    assert {"name": "Old Value", "value": "Dev"} in change["attributes"]
    assert [a["id"] for a in found] == sorted(a["id"] for a in found)


def test_list_membership_changes_are_activities(mkto: MarketoCaller, db: object) -> None:
    mkto.sync([{"email": "a@x.example"}])
    db.seed({"lists": [{"id": 5, "name": "L"}]})  # type: ignore[attr-defined]
    mkto.post("/rest/v1/lists/5/leads.json", {"input": [{"id": 1}]})
    mkto.delete("/rest/v1/lists/5/leads.json", json={"input": [{"id": 1}]})
    found = read_all(mkto, "/rest/v1/activities.json", activityTypeIds="24,25")
    assert [(a["activityTypeId"], a["primaryAttributeValueId"]) for a in found] == \
        [(24, 5), (25, 5)]
    # listId selects leads that are on the list now: lead 1 has left it
    assert read_all(mkto, "/rest/v1/activities.json", activityTypeIds="24,25", listId=5) == []


def test_paging_token_is_a_time_and_pages_hold_batch_size(cloud: Cloud,
                                                          mkto: MarketoCaller) -> None:
    mkto.sync([{"email": f"l{i}@x.example"} for i in range(5)])
    cloud.clock.advance(1800)  # within the token's hour
    mkto.sync([{"email": "late@x.example"}])
    later = token(mkto, "2026-11-23T12:20:00Z")
    page = mkto.get("/rest/v1/activities.json", nextPageToken=later, activityTypeIds="12")
    assert [a["leadId"] for a in page["result"]] == [6] and page["moreResult"] is False
    first = mkto.get("/rest/v1/activities.json", nextPageToken=token(mkto),
                     activityTypeIds="12", batchSize=2)
    assert len(first["result"]) == 2 and first["moreResult"] is True
    second = mkto.get("/rest/v1/activities.json", nextPageToken=first["nextPageToken"],
                      activityTypeIds="12", batchSize=2)
    assert [a["leadId"] for a in second["result"]] == [3, 4]


def test_empty_page_has_no_result_but_a_token(mkto: MarketoCaller) -> None:
    page = mkto.get("/rest/v1/activities.json", nextPageToken=token(mkto), activityTypeIds="1")
    assert page["success"] and "result" not in page and page["nextPageToken"]
    assert page["moreResult"] is False


def test_activity_read_limits(mkto: MarketoCaller) -> None:
    t = token(mkto)
    assert codes(mkto.get("/rest/v1/activities.json", nextPageToken=t)) == ["701"]
    assert codes(mkto.get("/rest/v1/activities.json", nextPageToken=t,
                          activityTypeIds=",".join(str(i) for i in range(1, 12)))) == ["1003"]
    assert codes(mkto.get("/rest/v1/activities.json", nextPageToken=t, activityTypeIds="1",
                          leadIds=",".join(str(i) for i in range(1, 32)))) == ["1003"]
    assert codes(mkto.get("/rest/v1/activities.json", nextPageToken="garbage",
                          activityTypeIds="1")) == ["1003"]
    assert codes(mkto.get("/rest/v1/activities.json", activityTypeIds="1")) == ["701"]
    assert codes(mkto.get("/rest/v1/activities/pagingtoken.json",
                          sinceDatetime="yesterday")) == ["1003"]


def test_lead_changes_and_deleted_leads(mkto: MarketoCaller) -> None:
    mkto.sync([{"email": "a@x.example", "title": "Dev", "city": "Oslo"}])
    mkto.sync([{"email": "a@x.example", "title": "CTO", "city": "Bergen"}])
    changes = read_all(mkto, "/rest/v1/activities/leadchanges.json", fields="title")
    titles = [f for a in changes for f in a["fields"]]
    assert [(f["name"], f["oldValue"], f["newValue"]) for f in titles] == \
        [("title", "Dev", "CTO")]  # the city change is not asked for; creation is New Lead
    assert [a["activityTypeId"] for a in changes] == [12, 13]
    assert codes(mkto.get("/rest/v1/activities/leadchanges.json",
                          nextPageToken=token(mkto))) == ["701"]
    mkto.post("/rest/v1/leads/delete.json", {"input": [{"id": 1}]})
    deleted = read_all(mkto, "/rest/v1/activities/deletedleads.json")
    assert [(a["leadId"], a["activityTypeId"]) for a in deleted] == [(1, 37)]


def test_activity_types_list_standard_and_approved_custom(mkto: MarketoCaller) -> None:
    types = {t["id"]: t for t in mkto.get("/rest/v1/activities/types.json")["result"]}
    assert types[13]["name"] == "Change Data Value" and types[12]["name"] == "New Lead"
    assert 100000 not in types


def test_custom_activity_type_lifecycle_and_adding_activities(mkto: MarketoCaller) -> None:
    spec = {"apiName": "webinar", "name": "Webinar", "triggerName": "Attends",
            "filterName": "Attended", "primaryAttribute": {"apiName": "title",
                                                           "name": "Title",
                                                           "dataType": "string"}}
    created = mkto.post("/rest/v1/activities/external/type.json", spec)["result"][0]
    assert created["status"] == "draft" and created["id"] == 100000
    assert codes(mkto.post("/rest/v1/activities/external/type.json", spec)) == ["1017"]
    mkto.post("/rest/v1/activities/external/type/webinar/attributes/create.json",
              {"attributes": [{"apiName": "room", "name": "Room", "dataType": "string"}]})
    mkto.sync([{"email": "a@x.example"}])
    item = {"leadId": 1, "activityTypeId": 100000, "activityDate": "2026-11-23T12:00:00Z",
            "primaryAttributeValue": "Intro", "attributes": [{"apiName": "room",
                                                              "value": "A"}]}
    early = mkto.post("/rest/v1/activities/external.json", {"input": [item]})["result"][0]
    assert reasons(early) == ["1013"]  # not approved yet
    approved = mkto.post("/rest/v1/activities/external/type/webinar/approve.json")
    assert approved["result"][0]["status"] == "approved"
    added = mkto.post("/rest/v1/activities/external.json", {"input": [
        item, {**item, "leadId": 99}]})["result"]
    assert [r["status"] for r in added] == ["added", "skipped"]
    found = read_all(mkto, "/rest/v1/activities.json", activityTypeIds="100000")
    assert found[0]["primaryAttributeValue"] == "Intro"
    assert {"name": "Room", "value": "A"} in found[0]["attributes"]
    mkto.post("/rest/v1/activities/external/type/webinar.json", {"name": "Webinar 2"})
    described = mkto.get("/rest/v1/activities/external/type/webinar/describe.json",
                         draft="true")["result"][0]
    assert described["name"] == "Webinar 2" and described["status"] == "approvedWithDraft"
    mkto.post("/rest/v1/activities/external/type/webinar/discardDraft.json")
    assert mkto.get("/rest/v1/activities/external/types.json")["result"][0]["name"] == "Webinar"
    assert mkto.post("/rest/v1/activities/external/type/webinar/delete.json")["success"]
    assert codes(mkto.get("/rest/v1/activities/external/type/webinar/describe.json")) == \
        ["1013"]


def test_activities_survive_a_snapshot(mkto: MarketoCaller, db: object) -> None:
    mkto.sync([{"email": "a@x.example", "title": "Dev"}])
    state = db.snapshot()  # type: ignore[attr-defined]
    from vendorsim.mocks.marketo.model.instance import MarketoInstance

    fresh = MarketoInstance("X", db.clock)  # type: ignore[attr-defined]
    fresh.restore(state)
    assert fresh.snapshot() == state
    assert [a.type_id for a in fresh.activity_log.items] == [12]  # creation is New Lead only


# -- retention (issue 23): a log that grows with traffic is bounded ---------------------------
def test_the_log_keeps_at_most_max_activities_and_ids_and_tokens_stay_valid(
        cloud: Cloud, mkto: MarketoCaller) -> None:
    db = cloud.marketo("123-ABC-456")
    db.seed({"settings": {"max_activities": 1000}})
    early = token(mkto)
    for n in range(12):  # 1,200 New Lead activities
        mkto.sync([{"email": f"p{n}-{i}@x.example"} for i in range(100)])
        cloud.clock.advance(1)
    log = db.activity_log
    assert 1000 <= len(log.items) <= 1050 and log.end == 1200
    assert log.items[0].id == log.offset + 1 and log.items[-1].id == 1200
    page = mkto.get("/rest/v1/activities.json", nextPageToken=early, activityTypeIds="12",
                    batchSize=300)
    assert page["result"][0]["id"] == log.offset + 1  # a trimmed position reads on
    found = read_all(mkto, "/rest/v1/activities.json", activityTypeIds="12")
    assert [a["id"] for a in found] == list(range(log.offset + 1, 1201))


def test_activities_older_than_the_retention_are_gone(cloud: Cloud, mkto: MarketoCaller
                                                      ) -> None:
    mkto.sync([{"email": "old@x.example"}])
    cloud.clock.advance(91 * 86400)
    mkto.login().sync([{"email": "new@x.example"}])
    found = read_all(mkto, "/rest/v1/activities.json", activityTypeIds="12")
    assert [a["leadId"] for a in found] == [2]  # the first lead's New Lead is past 90 days


def test_a_paging_token_finds_its_place_by_time(cloud: Cloud, mkto: MarketoCaller) -> None:
    for n in range(5):
        mkto.sync([{"email": f"t{n}@x.example"}])
        cloud.clock.advance(600)
    since = "2026-11-23T12:25:00Z"  # after the third (12:00, 12:10, 12:20, 12:30, 12:40)
    page = mkto.get("/rest/v1/activities.json", nextPageToken=token(mkto, since),
                    activityTypeIds="12")
    assert [a["leadId"] for a in page["result"]] == [4, 5]
    cloud.clock.set("2026-11-23T12:05:00Z")  # a clock set back: the log is out of order
    mkto.sync([{"email": "late@x.example"}])
    page = mkto.get("/rest/v1/activities.json", nextPageToken=token(mkto, since),
                    activityTypeIds="12")
    assert [a["leadId"] for a in page["result"]] == [4, 5, 6]


def test_retention_settings_are_checked(cloud: Cloud) -> None:
    import pytest

    db = cloud.marketo("123-ABC-456")
    for bad in ({"max_activities": 10}, {"activity_retention_days": 0},
                {"max_activities": True}):
        with pytest.raises(ValueError, match="whole number"):
            db.seed({"settings": bad})
