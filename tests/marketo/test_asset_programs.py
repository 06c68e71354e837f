"""Programs through the asset API (issue 35; Adobe's Programs, Channels and Tags pages):
created on a channel of their type in Marketing Activities, with tags and costs; updated,
found by tag, cloned and deleted with what they hold; email programs approved with dates and
an approved email; their smart lists."""

from __future__ import annotations

import json

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import codes, email, form, get, no_assets, only, program, ref
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance

COSTS = json.dumps([{"startDate": "2026-01-01", "cost": 2000, "note": "Booth"}])


def test_create_takes_its_statuses_from_the_channel(mkto: MarketoCaller,
                                                    db: MarketoInstance) -> None:
    made = only(form(mkto, "/programs.json", name="Summit", folder=ref(15), type="Event",
                     channel="Tradeshow", description="Yearly", costs=COSTS))
    assert (made["type"], made["channel"], made["status"]) == ("Event", "Tradeshow", "")
    assert made["folder"] == {"type": "Folder", "value": 15, "folderName": "Default"}
    assert made["costs"] == [{"startDate": "2026-01-01", "cost": 2000, "note": "Booth"}]
    assert made["url"].endswith(f"#ME{made['id']}A1")
    statuses = [s[0] for s in db.programs.programs[made["id"]].statuses]
    assert statuses[-1] == "Visited Booth"  # Tradeshow's statuses
    nurture = only(form(mkto, "/programs.json", name="Drip", folder=ref(15), type="Engagement",
                        channel="Nurture"))
    assert (nurture["type"], nurture["status"]) == ("Engagement", "off")
    # the lead database sees it too: members join at the channel's statuses
    answer = mkto.post(f"/rest/v1/programs/{made['id']}/members/status.json",
                       {"statusName": "Registered", "input": [{"leadId": 1}]})
    assert answer["success"] is True


def test_create_refusals_change_nothing(mkto: MarketoCaller, db: MarketoInstance) -> None:
    program(mkto, "Taken")
    before = db.snapshot(activities=False)
    cases = ((dict(folder=ref(15), type="Default", channel="Content"), "701"),
             (dict(name="N", type="Default", channel="Content"), "701"),
             (dict(name="N", folder=ref(15), channel="Content"), "701"),
             (dict(name="N", folder=ref(15), type="Default"), "701"),
             (dict(name="N", folder=ref(15), type="Party", channel="Content"), "1003"),
             (dict(name="N", folder=ref(15), type="Default", channel="Webinar"), "709"),
             (dict(name="N", folder=ref(15), type="Default", channel="Fax"), "709"),
             (dict(name="Taken", folder=ref(15), type="Default", channel="Content"), "709"),
             (dict(name="N", folder=ref(22), type="Default", channel="Content"), "711"),
             (dict(name="N", folder=ref(404), type="Default", channel="Content"), "710"),
             (dict(name="N", folder=ref(15), type="Default", channel="Content",
                   costs='[{"cost":"lots"}]'), "1003"),
             (dict(name="N", folder=ref(15), type="Default", channel="Content",
                   tags='[{"tagType":"Region","tagValue":"EMEA"}]'), "709"))
    for data, code in cases:
        assert codes(form(mkto, "/programs.json", **data)) == [code], data
    pid = db.snapshot(activities=False)["programs"][0]["id"]
    assert codes(form(mkto, "/programs.json", name="In", type="Default", channel="Content",
                      folder=ref(pid, "Program"))) == ["711"]
    assert db.snapshot(activities=False) == before


def test_tags_required_allowed_and_found(mkto: MarketoCaller, db: MarketoInstance) -> None:
    db.seed({"tagTypes": [{"tagType": "Region", "required": True,
                           "applicableProgramTypes": ["program"],
                           "allowableValues": ["EMEA", "AMER"]},
                          {"tagType": "Owner", "applicableProgramTypes": ["program"]}]})
    assert codes(form(mkto, "/programs.json", name="A", folder=ref(15), type="Default",
                      channel="Content")) == ["709"]  # Region is required
    bad = json.dumps([{"tagType": "Region", "tagValue": "APAC"}])
    assert codes(form(mkto, "/programs.json", name="A", folder=ref(15), type="Default",
                      channel="Content", tags=bad)) == ["709"]
    tags = json.dumps([{"tagType": "Region", "tagValue": "EMEA"}])
    pid = program(mkto, "A", tags=tags)
    other = program(mkto, "B", tags=json.dumps([{"tagType": "Region", "tagValue": "AMER"}]))
    found = get(mkto, "/program/byTag.json", tagType="Region", tagValue="EMEA")["result"]
    assert [p["id"] for p in found] == [pid]
    updated = only(form(mkto, f"/program/{other}.json",
                        tags=json.dumps([{"tagType": "Owner", "tagValue": "Kim"}])))
    assert {(t["tagType"], t["tagValue"]) for t in updated["tags"]} == {("Region", "AMER"),
                                                                        ("Owner", "Kim")}
    assert codes(get(mkto, "/program/byTag.json", tagType="Region")) == ["701"]
    assert no_assets(get(mkto, "/program/byTag.json", tagType="Region", tagValue="APAC"))
    by_name = only(get(mkto, "/program/byName.json", name="A", includeTags="true"))
    assert by_name["tags"] == [{"tagType": "Region", "tagValue": "EMEA"}] and \
        "costs" not in by_name
    assert "tags" not in only(get(mkto, "/program/byName.json", name="A"))
    assert "tags" not in get(mkto, "/programs.json")["result"][0]  # browse shows no tags


def test_update_costs_append_or_replace(cloud: Cloud, mkto: MarketoCaller) -> None:
    pid = program(mkto, costs=COSTS)
    cloud.clock.advance(60)
    more = json.dumps([{"startDate": "2026-02-01", "cost": 100}])
    appended = only(form(mkto, f"/program/{pid}.json", costs=more, name="Renamed",
                         description="New"))
    assert [c["cost"] for c in appended["costs"]] == [2000, 100]
    assert (appended["name"], appended["description"]) == ("Renamed", "New")
    assert appended["updatedAt"] > appended["createdAt"]
    replaced = only(form(mkto, f"/program/{pid}.json", costs=more,
                         costsDestructiveUpdate="true"))
    assert [c["cost"] for c in replaced["costs"]] == [100]
    cleared = only(form(mkto, f"/program/{pid}.json", costsDestructiveUpdate="true"))
    assert cleared["costs"] is None
    assert codes(form(mkto, "/program/4242.json", name="x")) == ["702"]
    program(mkto, "Other")
    assert codes(form(mkto, f"/program/{pid}.json", name="Other")) == ["709"]


def test_clone_copies_what_the_program_holds(mkto: MarketoCaller, db: MarketoInstance) -> None:
    pid = program(mkto)
    inner = only(form(mkto, "/folders.json", name="Emails", parent=ref(pid, "Program")))["id"]
    email(mkto, "Invite", folder=ref(inner))
    only(form(mkto, f"/folder/{pid}/tokens.json", name="Date", type="date", value="2026-12-01",
              folderType="Program"))
    mkto.post(f"/rest/v1/programs/{pid}/members/status.json",
              {"statusName": "Member", "input": [{"leadId": 1}]})
    copy = only(form(mkto, f"/program/{pid}/clone.json", name="Webinar 2027",
                     folder=ref(15), description="Next year"))
    assert copy["id"] != pid and copy["description"] == "Next year"
    paths = [f["path"] for f in get(mkto, "/folders.json", root=ref(copy["id"], "Program"),
                                    maxDepth=1)["result"]]
    assert paths == ["/Marketing Activities/Default/Webinar 2027",
                     "/Marketing Activities/Default/Webinar 2027/Emails"]
    copied_folder = get(mkto, "/folder/byName.json", name="Emails",
                        root=ref(copy["id"], "Program"), type="Folder")["result"][0]["id"]
    assert only(get(mkto, "/emails.json", folder=ref(copied_folder)))["name"] == "Invite"
    tokens = only(get(mkto, f"/folder/{copy['id']}/tokens.json", folderType="Program"))
    assert tokens["tokens"][0]["value"] == "2026-12-01"
    assert db.programs.members.get(copy["id"], {}) == {}  # members are not copied
    assert codes(form(mkto, f"/program/{pid}/clone.json", name="Webinar 2027",
                      folder=ref(15))) == ["709"]  # the name is taken
    assert codes(form(mkto, f"/program/{pid}/clone.json", name="X",
                      folder=ref(pid, "Program"))) == ["711"]


def test_delete_takes_what_the_program_holds(mkto: MarketoCaller, db: MarketoInstance) -> None:
    pid = program(mkto)
    eid = email(mkto, "Invite", folder=ref(pid, "Program"))
    only(form(mkto, "/staticLists.json", name="Invitees", folder=ref(pid, "Program")))
    assert only(form(mkto, f"/program/{pid}/delete.json")) == {"id": pid}
    assert no_assets(get(mkto, f"/program/{pid}.json"))
    assert no_assets(get(mkto, f"/email/{eid}.json"))
    assert db.lists.lists == {}
    assert codes(form(mkto, f"/program/{pid}/delete.json")) == ["702"]


def test_email_program_approval_and_smart_list(mkto: MarketoCaller) -> None:
    pid = program(mkto, "Blast", kind="Email", channel="Email Send")
    shown = only(get(mkto, f"/program/{pid}.json"))
    assert (shown["type"], shown["status"]) == ("Email", "unlocked")
    smart = only(get(mkto, f"/program/{pid}/smartList.json", includeRules="true"))
    assert smart["rules"] == {"filterMatchType": "All", "triggers": [], "filters": []}
    assert codes(form(mkto, f"/program/{pid}/approve.json")) == ["709"]  # no dates yet
    only(form(mkto, f"/program/{pid}.json", startDate="2026-12-01T15:00:00Z",
              endDate="2026-12-02T15:00:00Z"))
    assert codes(form(mkto, f"/program/{pid}/approve.json")) == ["709"]  # no approved email
    eid = email(mkto, "Blast email", folder=ref(pid, "Program"))
    only(form(mkto, f"/email/{eid}/approveDraft.json"))
    assert only(form(mkto, f"/program/{pid}/approve.json")) == {"id": pid}
    assert only(get(mkto, f"/program/{pid}.json"))["status"] == "locked"
    assert codes(form(mkto, f"/email/{eid}/unapprove.json")) == ["709"]  # the program runs
    assert codes(form(mkto, f"/program/{pid}/delete.json")) == ["709"]
    assert only(form(mkto, f"/program/{pid}/unapprove.json")) == {"id": pid}
    assert codes(form(mkto, f"/program/{pid}/unapprove.json")) == ["709"]
    other = program(mkto, "Plain")
    assert codes(form(mkto, f"/program/{other}/approve.json")) == ["709"]
    assert codes(get(mkto, f"/program/{other}/smartList.json")) == ["709"]
    assert no_assets(get(mkto, "/program/4242/smartList.json"))
