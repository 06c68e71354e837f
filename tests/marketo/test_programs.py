"""Programs and members, leads by program, push/submitForm/merge/associate, memberships of a
lead, lead schema fields, campaigns and usage statistics."""

from __future__ import annotations

import pytest

from tests.helpers import MarketoCaller, codes, reasons
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance


@pytest.fixture
def program(db: MarketoInstance) -> MarketoInstance:
    db.seed({"leads": [{"id": i, "email": f"l{i}@x.example"} for i in (1, 2, 3)],
             "programs": [{"id": 7, "name": "Webinar", "type": "webinar", "channel": "Webinar",
                           "statuses": [["Not in Program", 0, False], ["Registered", 10, False],
                                        ["Attended", 20, True]]}],
             "campaigns": [{"id": 50, "name": "Nurture", "programId": 7},
                           {"id": 51, "name": "Batch", "isTriggerable": False}]})
    return db


def test_member_status_moves_forward_only(mkto: MarketoCaller, program: MarketoInstance) -> None:
    path = "/rest/v1/programs/7/members/status.json"
    body = mkto.post(path, {"statusName": "Registered", "input": [{"leadId": 1}, {"leadId": 9}]})
    assert [r["status"] for r in body["result"]] == ["created", "skipped"]
    assert reasons(body["result"][1]) == ["1004"]
    assert mkto.post(path, {"statusName": "Attended", "input": [{"leadId": 1}]})[
        "result"][0]["status"] == "updated"
    back = mkto.post(path, {"statusName": "Registered", "input": [{"leadId": 1}]})
    assert reasons(back["result"][0]) == ["1003"]
    assert codes(mkto.post(path, {"statusName": "Nope", "input": [{"leadId": 1}]})) == ["1003"]
    found = mkto.get("/rest/v1/programs/7/members.json", filterType="leadId",
                     filterValues="1")["result"][0]
    assert (found["progressionStatus"], found["reachedSuccess"]) == ("Attended", True)
    assert codes(mkto.post("/rest/v1/programs/99/members/status.json", {
        "statusName": "Registered", "input": [{"leadId": 1}]})) == ["1013"]


def test_member_data_delete_and_describe(mkto: MarketoCaller, program: MarketoInstance) -> None:
    mkto.post("/rest/v1/programs/7/members/status.json",
              {"statusName": "Registered", "input": [{"leadId": 1}]})
    data = mkto.post("/rest/v1/programs/7/members.json", {"input": [
        {"leadId": 1, "registrationCode": "R1"}, {"leadId": 1, "progressionStatus": "x"},
        {"leadId": 2, "registrationCode": "R2"}]})
    assert [r["status"] for r in data["result"]] == ["updated", "skipped", "skipped"]
    found = mkto.get("/rest/v1/programs/7/members.json", filterType="registrationCode",
                     filterValues="r1", fields="leadId,registrationCode")["result"]
    assert found == [{"seq": 0, "leadId": 1, "registrationCode": "R1"}]
    assert mkto.post("/rest/v1/programs/7/members/delete.json", {"input": [{"leadId": 1}]})[
        "result"][0]["status"] == "deleted"
    described = mkto.get("/rest/v1/programs/members/describe.json")["result"][0]
    assert described["dedupeFields"] == ["leadId", "programId"]
    assert mkto.get("/rest/v1/programs/members/schema/fields/registrationCode.json")["success"]


def test_leads_by_program_and_program_membership(mkto: MarketoCaller,
                                                 program: MarketoInstance) -> None:
    mkto.post("/rest/v1/leads/programs/7/status.json",
              {"status": "Registered", "input": [{"id": 2}, {"id": 3}]})
    page = mkto.get("/rest/v1/leads/programs/7.json", batchSize=1, fields="email")
    assert page["result"][0]["email"] == "l2@x.example" and page["moreResult"] is True
    assert page["result"][0]["membership"]["progressionStatus"] == "Registered"
    membership = mkto.get("/rest/v1/leads/2/programMembership.json")["result"]
    assert [m["name"] for m in membership] == ["Webinar"]
    assert codes(mkto.get("/rest/v1/leads/99/listMembership.json")) == ["1004"]


def test_push_submit_form_and_associate(mkto: MarketoCaller, program: MarketoInstance) -> None:
    pushed = mkto.post("/rest/v1/leads/push.json", {"programName": "Webinar", "input": [
        {"email": "new@x.example"}]})
    new_id = pushed["result"][0]["id"]
    assert program.programs.members[7][new_id].status == "Registered"
    assert codes(mkto.post("/rest/v1/leads/push.json", {"programName": "Nope", "input": [
        {"email": "a@x.example"}]})) == ["1013"]
    form = mkto.post("/rest/v1/leads/submitForm.json", {"formId": 1001, "input": [
        {"leadFormFields": {"email": "l1@x.example", "firstName": "One"}}]})
    assert form["result"][0] == {"id": 1, "status": "updated"}
    assert program.activity_log.items[-1].type_id == 2
    cookie = "id:123-ABC-456&token:_mch-example.com-1700000000000-12345"
    assert mkto.post("/rest/v1/leads/1/associate.json", params={"cookie": cookie})["success"]
    assert codes(mkto.post("/rest/v1/leads/1/associate.json?cookie=bad")) == ["1012"]


def test_merge_keeps_the_winner_and_moves_memberships(mkto: MarketoCaller,
                                                      program: MarketoInstance) -> None:
    program.seed({"lists": [{"id": 5, "name": "L", "members": [2]}]})
    mkto.sync([{"email": "l2@x.example", "title": "CTO"}])
    assert mkto.post("/rest/v1/leads/1/merge.json?leadId=2")["success"]
    assert 2 not in program.leads and program.leads[1].values["title"] == "CTO"
    assert 1 in program.lists.lists[5].members
    assert codes(mkto.post("/rest/v1/leads/1/merge.json?leadId=1")) == ["1003"]
    assert codes(mkto.post("/rest/v1/leads/1/merge.json?leadId=99")) == ["1004"]


def test_lead_schema_fields(mkto: MarketoCaller, db: MarketoInstance) -> None:
    created = mkto.post("/rest/v1/leads/schema/fields.json", {"input": [
        {"name": "tier", "displayName": "Tier", "dataType": "string"},
        {"name": "email", "displayName": "x", "dataType": "string"}]})
    assert [r["status"] for r in created["result"]] == ["created", "skipped"]
    assert mkto.sync([{"email": "a@x.example", "tier": "Gold"}])["result"][0]["status"] == \
        "created"
    mkto.post("/rest/v1/leads/schema/fields/tier.json", {"input": {"displayName": "Level"}})
    one = mkto.get("/rest/v1/leads/schema/fields/tier.json")["result"][0]
    assert one["displayName"] == "Level"
    assert codes(mkto.post("/rest/v1/leads/schema/fields/email.json",
                           {"input": {"displayName": "E"}})) == ["1006"]
    page = mkto.get("/rest/v1/leads/schema/fields.json", batchSize=10)
    assert len(page["result"]) == 10 and page["moreResult"]


def test_campaigns_trigger_and_schedule(mkto: MarketoCaller, program: MarketoInstance) -> None:
    listed = mkto.get("/rest/v1/campaigns.json", isTriggerable="true")["result"]
    assert [c["id"] for c in listed] == [50]
    assert mkto.post("/rest/v1/campaigns/50/trigger.json", {"input": {"leads": [{"id": 1}]}})[
        "success"]
    assert mkto.get("/rest/v1/leads/1/smartCampaignMembership.json")["result"][0]["id"] == 50
    assert codes(mkto.post("/rest/v1/campaigns/51/trigger.json",
                           {"input": {"leads": [{"id": 1}]}})) == ["1003"]
    assert codes(mkto.post("/rest/v1/campaigns/50/trigger.json", {"input": {
        "leads": [{"id": i} for i in range(101)]}})) == ["1003"]
    assert mkto.post("/rest/v1/campaigns/51/schedule.json", {"input": {}})["success"]
    assert codes(mkto.get("/rest/v1/campaigns/99.json")) == ["1013"]


def test_usage_and_error_stats_count_real_calls(cloud: Cloud, mkto: MarketoCaller) -> None:
    mkto.sync([{"email": "a@x.example"}])
    mkto.get("/rest/v1/leads.json", filterType="nope", filterValues="x")
    usage = mkto.get("/rest/v1/stats/usage.json")["result"][0]
    assert usage["total"] == 2 and usage["users"][0]["count"] == 2
    errors = mkto.get("/rest/v1/stats/errors.json")["result"][0]
    assert errors["errors"] == [{"errorCode": "1006", "count": 1}]
    week = mkto.get("/rest/v1/stats/usage/last7days.json")["result"]
    assert len(week) == 7 and week[0]["total"] == 4
    assert len(mkto.get("/rest/v1/stats/errors/last7days.json")["result"]) == 7


def test_asset_program_and_folder_reads(mkto: MarketoCaller, program: MarketoInstance) -> None:
    assert mkto.get("/rest/asset/v1/programs.json")["result"][0]["name"] == "Webinar"
    assert mkto.get("/rest/asset/v1/program/7.json")["result"][0]["channel"] == "Webinar"
    assert mkto.get("/rest/asset/v1/program/byName.json", name="Webinar")["result"]
    missing = mkto.get("/rest/asset/v1/program/byName.json", name="Nope")
    assert "result" not in missing and missing["warnings"]
    folders = mkto.get("/rest/asset/v1/folders.json", maxReturn=200)["result"]
    assert {"List", "Program"} <= {f["folderType"] for f in folders}
    assert mkto.get("/rest/asset/v1/smartLists.json")["warnings"]


def test_get_programs_filters_are_honoured_or_refused(cloud: Cloud, mkto: MarketoCaller,
                                                     program: MarketoInstance) -> None:
    """vendor-apis.md §7.3: programs.json's filterType/filterValues and update dates are
    applied, and a filter the API does not have is refused, not silently ignored."""
    cloud.clock.advance(3600)
    program.seed({"folders": [{"id": 40, "name": "Events", "folderType": "Marketing Folder"}],
                  "programs": [{"id": 8, "name": "Trade show", "type": "event",
                                "folderId": 40}]})  # a program's folder is seeded first
    mkto.login()  # the first token expired with the hour

    def names(**params: object) -> list[str]:
        return [p["name"] for p in mkto.get("/rest/asset/v1/programs.json",
                                            **params).get("result", [])]

    assert names() == ["Webinar", "Trade show"]
    assert names(filterType="id", filterValues="8") == ["Trade show"]
    assert names(filterType="programId", filterValues="7,8") == ["Webinar", "Trade show"]
    assert names(filterType="folderId", filterValues="40") == ["Trade show"]
    assert names(filterType="workspace", filterValues="Default") == ["Webinar", "Trade show"]
    later = mkto.get("/rest/asset/v1/program/8.json")["result"][0]["updatedAt"][:20]
    assert names(earliestUpdatedAt=later) == ["Trade show"]
    assert names(latestUpdatedAt=later) == ["Webinar", "Trade show"]
    first = mkto.get("/rest/asset/v1/program/7.json")["result"][0]["updatedAt"][:20]
    assert names(latestUpdatedAt=first) == ["Webinar"]
    assert codes(mkto.get("/rest/asset/v1/programs.json", filterType="tag",
                          filterValues="x")) == ["1003"]
    assert codes(mkto.get("/rest/asset/v1/programs.json", filterType="id")) == ["701"]
    assert codes(mkto.get("/rest/asset/v1/programs.json",
                          earliestUpdatedAt="yesterday")) == ["704"]


def test_programs_and_members_survive_a_snapshot(cloud: Cloud, mkto: MarketoCaller,
                                                 program: MarketoInstance) -> None:
    mkto.post("/rest/v1/programs/7/members/status.json",
              {"statusName": "Attended", "input": [{"leadId": 1}]})
    mkto.post("/rest/v1/programs/7/members.json", {"input": [{"leadId": 1,
                                                              "registrationCode": "R"}]})
    cloud.clock.advance(3600)
    state = program.snapshot()
    fresh = MarketoInstance("X", program.clock)
    fresh.restore(state)
    assert fresh.snapshot() == state
    member = fresh.programs.members[7][1]
    assert (member.success, member.values) == (True, {"registrationCode": "R"})
