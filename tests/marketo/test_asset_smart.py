"""Smart lists, smart campaigns and segmentations through the asset API (issue 35; Adobe's
Smart Lists, Smart Campaigns and Dynamic Content pages), and the same campaigns seen by the
lead-database API."""

from __future__ import annotations

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import codes, form, get, no_assets, only, program, ref
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance

RULES = {"filterMatchType": "All", "triggers": [],
         "filters": [{"id": 1, "name": "Email Address", "ruleTypeId": 1, "ruleType": "Email",
                      "operator": "contains", "conditions": []}]}


def test_smart_lists(cloud: Cloud, mkto: MarketoCaller, db: MarketoInstance) -> None:
    db.seed({"smartLists": [{"id": 5001, "name": "Gmail people", "rules": RULES}]})
    shown = only(get(mkto, "/smartList/5001.json"))
    assert shown["folder"] == {"id": 11, "type": "Folder"} and "rules" not in shown
    assert only(get(mkto, "/smartList/5001.json", includeRules="true"))["rules"] == RULES
    assert only(get(mkto, "/smartList/byName.json", name="Gmail people"))["id"] == 5001
    assert [s["id"] for s in get(mkto, "/smartLists.json")["result"]] == [5001]
    pid = program(mkto)
    copy = only(form(mkto, "/smartList/5001/clone.json", name="Copy",
                     folder=ref(pid, "Program"), description="mine"))
    assert copy["folder"] == {"id": pid, "type": "Program"} and copy["description"] == "mine"
    assert only(get(mkto, f"/smartList/{copy['id']}.json", includeRules="true"))["rules"] == \
        RULES
    assert codes(form(mkto, "/smartList/5001/clone.json", name="Copy", folder=ref(12))) == \
        ["709"]
    assert codes(form(mkto, "/smartList/5001/clone.json", name="X", folder=ref(22))) == ["711"]
    in_program = get(mkto, "/smartLists.json", folder=ref(pid, "Program"))["result"]
    assert [s["id"] for s in in_program] == [copy["id"]]
    assert only(form(mkto, f"/smartList/{copy['id']}/delete.json")) == {"id": copy["id"]}
    assert codes(form(mkto, f"/smartList/{copy['id']}/delete.json")) == ["702"]
    assert no_assets(get(mkto, "/smartLists.json", earliestUpdatedAt="2030-01-01T00:00:00Z"))


def test_smart_campaign_life(mkto: MarketoCaller) -> None:
    pid = program(mkto)
    made = only(form(mkto, "/smartCampaigns.json", name="Send invite",
                     folder=ref(pid, "Program"), description="d"))
    assert (made["type"], made["status"], made["isActive"]) == ("batch", "Never Run", False)
    assert made["folder"] == {"id": pid, "type": "Program"} and made["parentProgramId"] == pid
    cid = made["id"]
    smart = only(get(mkto, f"/smartCampaign/{cid}/smartList.json", includeRules="true"))
    assert smart["id"] == made["smartListId"] and smart["rules"]["triggers"] == []
    assert codes(form(mkto, f"/smartCampaign/{cid}/activate.json")) == ["709"]  # no trigger
    assert codes(form(mkto, f"/smartCampaign/{cid}/deactivate.json")) == ["709"]
    assert codes(form(mkto, "/smartCampaigns.json", name="Send invite",
                      folder=ref(pid, "Program"))) == ["709"]
    assert codes(form(mkto, "/smartCampaigns.json", name="X", folder=ref(15))) == ["711"]
    renamed = only(form(mkto, f"/smartCampaign/{cid}.json", name="Send invites"))
    assert renamed["name"] == "Send invites"
    assert only(get(mkto, "/smartCampaign/byName.json", name="Send invites"))["id"] == cid
    copy = only(form(mkto, f"/smartCampaign/{cid}/clone.json", name="Copy",
                     folder=ref(pid, "Program")))
    assert copy["smartListId"] != made["smartListId"]
    listed = get(mkto, "/smartCampaigns.json", folder=ref(pid, "Program"))["result"]
    assert [c["id"] for c in listed] == [cid, copy["id"]]
    # the lead database's campaigns are the same campaigns
    lead_db = mkto.get("/rest/v1/campaigns.json")["result"]
    assert {c["name"] for c in lead_db} == {"Send invites", "Copy"}
    assert only(form(mkto, f"/smartCampaign/{cid}/delete.json")) == {"id": cid}
    assert no_assets(get(mkto, f"/smartCampaign/{cid}.json"))


def test_trigger_campaigns_activate(mkto: MarketoCaller, db: MarketoInstance) -> None:
    db.seed({"programs": [{"id": 7, "name": "Webinar"}],
             "campaigns": [{"id": 11, "name": "Requested", "programId": 7,
                            "isTriggerable": True, "isActive": False}]})
    shown = only(get(mkto, "/smartCampaign/11.json"))
    assert (shown["type"], shown["status"], shown["isRequestable"]) == \
        ("trigger", "Inactive", True)
    assert only(get(mkto, "/smartCampaign/11/smartList.json",
                    includeRules="true"))["rules"]["triggers"] == ["Campaign is Requested"]
    assert only(form(mkto, "/smartCampaign/11/activate.json")) == {"id": 11}
    assert codes(form(mkto, "/smartCampaign/11/activate.json")) == ["709"]
    assert [c["id"] for c in get(mkto, "/smartCampaigns.json", isActive="true")["result"]] == \
        [11]
    assert codes(form(mkto, "/smartCampaign/11/delete.json")) == ["709"]  # active
    only(form(mkto, "/smartCampaign/11/deactivate.json"))
    assert no_assets(get(mkto, "/smartCampaigns.json", isActive="true"))
    assert codes(get(mkto, "/smartCampaigns.json", isActive="sometimes")) == ["1003"]


def test_segmentations_page_by_offset(mkto: MarketoCaller, db: MarketoInstance) -> None:
    """The ELT connector's segmentations stream: offset paging, and `batchSize` (not an
    asset parameter) is ignored rather than refused."""
    assert no_assets(get(mkto, "/segmentation.json"))  # a new instance has none
    db.seed({"segmentations": [{"id": 1001, "name": "Industry", "segments": ["Retail"]},
                               {"id": 1002, "name": "Region", "status": "draft"}]})
    found = get(mkto, "/segmentation.json", batchSize=200, offset=0)["result"]
    assert [s["name"] for s in found] == ["Industry", "Region"]
    assert found[0]["folder"] == {"type": "Folder", "value": 13, "folderName": "Segmentations"}
    assert [s["id"] for s in get(mkto, "/segmentation.json", status="draft")["result"]] == \
        [1002]
    assert no_assets(get(mkto, "/segmentation.json", offset=2))
    segments = get(mkto, "/segmentation/1001/segments.json")["result"]
    assert [s["name"] for s in segments] == ["Retail", "Default"]
    assert segments[0]["segmentationId"] == 1001
    assert no_assets(get(mkto, "/segmentation/4242/segments.json"))
    assert codes(get(mkto, "/segmentation.json", status="live")) == ["1003"]
