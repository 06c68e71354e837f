"""Folders, My Tokens, channels and tag types of the asset API (issue 35; Adobe's Folders,
Tokens, Channels and Tags pages): a new instance answers like a new subscription, folders
are made, renamed, archived and deleted by Marketo's rules, tokens are inherited down the
tree, and every refusal changes nothing."""

from __future__ import annotations

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import codes, form, get, no_assets, only, program, ref
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance


def test_a_new_instance_has_its_areas_workspaces_and_system_folders(mkto: MarketoCaller
                                                                    ) -> None:
    found = get(mkto, "/folders.json", maxReturn=200)["result"]
    paths = {f["path"]: f for f in found}
    for path in ("/Marketing Activities", "/Marketing Activities/Default", "/Design Studio",
                 "/Design Studio/Default/Emails", "/Design Studio/Default/Landing Pages",
                 "/Lead Database/Default/Group Lists"):
        assert path in paths, path
    root = paths["/Marketing Activities"]
    assert root["folderType"] == "Zone" and root["isSystem"] and root["parent"] is None
    assert paths["/Design Studio/Default/Emails"]["parent"] == {"id": 21, "type": "Folder"}
    assert set(root) >= {"id", "name", "description", "createdAt", "updatedAt", "url",
                         "folderId", "folderType", "parent", "path", "isArchive", "isSystem",
                         "accessZoneId", "workspace"}
    assert root["createdAt"].endswith("Z+0000")


def test_browse_follows_root_depth_workspace_and_paging(mkto: MarketoCaller) -> None:
    only(form(mkto, "/folders.json", name="Events", parent=ref(15)))
    shallow = get(mkto, "/folders.json", root=ref(14), maxDepth=0)["result"]
    assert [f["path"] for f in shallow] == ["/Marketing Activities"]
    deep = get(mkto, "/folders.json", root=ref(14), maxDepth=2)["result"]
    assert [f["path"] for f in deep][-1] == "/Marketing Activities/Default/Events"
    page = get(mkto, "/folders.json", maxReturn=2, offset=1)["result"]
    everything = get(mkto, "/folders.json", maxReturn=200)["result"]
    assert page == everything[1:3]
    assert no_assets(get(mkto, "/folders.json", workSpace="Nowhere"))
    assert codes(get(mkto, "/folders.json", maxReturn=201)) == ["1003"]
    assert codes(get(mkto, "/folders.json", root=ref(999))) == ["702"]


def test_by_id_and_by_name(mkto: MarketoCaller) -> None:
    made = only(form(mkto, "/folders.json", name="Events", parent=ref(15),
                     description="Trade shows"))
    assert made["folderType"] == "Marketing Folder" and made["description"] == "Trade shows"
    assert only(get(mkto, f"/folder/{made['id']}.json", type="Folder"))["name"] == "Events"
    assert only(get(mkto, f"/folder/{made['id']}.json"))["id"] == made["id"]  # type: Folder
    assert no_assets(get(mkto, f"/folder/{made['id']}.json", type="Program"))
    assert only(get(mkto, "/folder/byName.json", name="Events"))["path"] == \
        "/Marketing Activities/Default/Events"
    assert no_assets(get(mkto, "/folder/byName.json", name="Events", type="Folder",
                         root=ref(20)))
    assert codes(get(mkto, "/folder/byName.json")) == ["701"]
    assert codes(get(mkto, f"/folder/{made['id']}.json", type="Folderish")) == ["1003"]


def test_create_refusals_change_nothing(mkto: MarketoCaller, db: MarketoInstance) -> None:
    before = db.snapshot(activities=False)
    only(form(mkto, "/folders.json", name="Events", parent=ref(15)))
    after = db.snapshot(activities=False)
    for body, code in ((dict(name="Events", parent=ref(15)), "709"),  # a sibling's name
                       (dict(name="X", parent=ref(999)), "710"),
                       (dict(name="X"), "701"), (dict(parent=ref(15)), "701"),
                       (dict(name="X", parent="{broken"), "1003"),
                       (dict(name="X" * 256, parent=ref(15)), "1003")):
        assert codes(form(mkto, "/folders.json", **body)) == [code], body
    assert db.snapshot(activities=False) == after != before
    json_body = mkto.post("/rest/asset/v1/folders.json", {"name": "J", "parent": ref(15)})
    assert codes(json_body) == ["612"]


def test_folder_types_follow_their_parent(mkto: MarketoCaller) -> None:
    assert only(form(mkto, "/folders.json", name="Promo", parent=ref(22)))["folderType"] == \
        "Email"
    assert only(form(mkto, "/folders.json", name="Lists", parent=ref(11)))["folderType"] == \
        "List"
    pid = program(mkto)
    inner = only(form(mkto, "/folders.json", name="Assets", parent=ref(pid, "Program")))
    assert inner["folderType"] == "Marketing Folder"
    assert inner["path"] == "/Marketing Activities/Default/Webinar 2026/Assets"
    assert codes(form(mkto, "/folders.json", name="X", parent=ref(21))) == ["711"]


def test_update_and_delete_by_marketos_rules(mkto: MarketoCaller) -> None:
    made = only(form(mkto, "/folders.json", name="Events", parent=ref(15)))
    number = made["id"]
    changed = only(form(mkto, f"/folder/{number}.json", type="Folder", name="Shows",
                        description="d", isArchive="true"))
    assert (changed["name"], changed["description"], changed["isArchive"]) == \
        ("Shows", "d", True)
    assert codes(form(mkto, f"/folder/{number}.json", name="x")) == ["701"]  # type needed
    assert codes(form(mkto, "/folder/15.json", type="Folder", name="x")) == ["709"]  # system
    pid = program(mkto)
    assert codes(form(mkto, f"/folder/{pid}.json", type="Program", name="x")) == ["709"]
    only(form(mkto, "/folders.json", name="Inner", parent=ref(number)))
    assert codes(form(mkto, f"/folder/{number}/delete.json", type="Folder")) == ["709"]
    assert codes(form(mkto, "/folder/22/delete.json", type="Folder")) == ["709"]
    assert codes(form(mkto, f"/folder/{pid}/delete.json", type="Program")) == ["709"]
    assert codes(form(mkto, "/folder/9999/delete.json", type="Folder")) == ["702"]
    inner = only(get(mkto, "/folder/byName.json", name="Inner"))["id"]
    assert only(form(mkto, f"/folder/{inner}/delete.json", type="Folder")) == {"id": inner}
    only(form(mkto, f"/folder/{number}/delete.json", type="Folder"))
    assert no_assets(get(mkto, f"/folder/{number}.json", type="Folder"))


def test_folder_content_lists_folders_programs_and_assets(mkto: MarketoCaller) -> None:
    pid = program(mkto)
    content = get(mkto, "/folder/15/content.json", type="Folder")["result"]
    assert {"id": pid, "type": "Program"} in content
    only(form(mkto, "/staticLists.json", name="Invitees", folder=ref(pid, "Program")))
    inside = get(mkto, f"/folder/{pid}/content.json", type="Program")["result"]
    assert [c["type"] for c in inside] == ["Static List"]
    assert no_assets(get(mkto, "/folder/27/content.json"))
    assert codes(get(mkto, "/folder/9999/content.json")) == ["702"]


def test_tokens_are_inherited_and_overridden(mkto: MarketoCaller) -> None:
    """Adobe's Tokens page: a folder's My Tokens reach the programs below it; a program's
    own token of the same name wins."""
    events = only(form(mkto, "/folders.json", name="Events", parent=ref(15)))["id"]
    pid = program(mkto, folder=ref(events))
    made = only(form(mkto, f"/folder/{events}/tokens.json", name="Greeting", type="text",
                     value="Hello", folderType="Folder"))
    assert made["tokens"][0]["name"] == "Greeting" and made["folder"] == {"type": "Folder",
                                                                         "value": events}
    seen = only(get(mkto, f"/folder/{pid}/tokens.json", folderType="Program"))
    assert seen["folder"] == {"type": "Program", "value": pid}
    assert [(t["name"], t["value"]) for t in seen["tokens"]] == [("Greeting", "Hello")]
    only(form(mkto, f"/folder/{pid}/tokens.json", name="Greeting", type="rich text",
              value="<b>Hi</b>", folderType="Program"))
    only(form(mkto, f"/folder/{pid}/tokens.json", name="Greeting", type="text", value="Hey",
              folderType="Program"))  # the same name again: replaced
    tokens = only(get(mkto, f"/folder/{pid}/tokens.json", folderType="Program"))["tokens"]
    assert [(t["name"], t["type"], t["value"]) for t in tokens] == [("Greeting", "text", "Hey")]
    only(form(mkto, f"/folder/{pid}/tokens/delete.json", name="Greeting", type="text",
              folderType="Program"))
    back = only(get(mkto, f"/folder/{pid}/tokens.json", folderType="Program"))["tokens"]
    assert back[0]["value"] == "Hello"  # the folder's shows through again


def test_token_refusals(mkto: MarketoCaller, db: MarketoInstance) -> None:
    before = db.snapshot(activities=False)
    for data, code in ((dict(type="text", value="v", folderType="Folder"), "701"),
                       (dict(name="N", value="v", folderType="Folder"), "701"),
                       (dict(name="N", type="text", folderType="Folder"), "701"),
                       (dict(name="N", type="text", value="v"), "701"),
                       (dict(name="N" * 51, type="text", value="v", folderType="Folder"), "1003"),
                       (dict(name="N", type="colour", value="v", folderType="Folder"), "1003"),
                       (dict(name="N", type="date", value="May 1", folderType="Folder"), "1003"),
                       (dict(name="N", type="score", value="9" * 11, folderType="Folder"),
                        "1003"),
                       (dict(name="N", type="number", value="1.5x", folderType="Folder"), "1003"),
                       (dict(name="N", type="text", value="v", folderType="Pogram"), "1003")):
        assert codes(form(mkto, "/folder/15/tokens.json", **data)) == [code], data
    assert codes(form(mkto, "/folder/999/tokens.json", name="N", type="text", value="v",
                      folderType="Folder")) == ["702"]
    assert codes(form(mkto, "/folder/15/tokens/delete.json", name="N", type="text",
                      folderType="Folder")) == ["702"]
    assert db.snapshot(activities=False) == before
    assert codes(get(mkto, "/folder/4242/tokens.json", folderType="Program")) == ["702"]


def test_channels_and_tag_types(mkto: MarketoCaller, db: MarketoInstance) -> None:
    channels = get(mkto, "/channels.json", maxReturn=200)["result"]
    assert {"Content", "Webinar", "Nurture", "Email Send"} <= {c["name"] for c in channels}
    webinar = only(get(mkto, "/channel/byName.json", name="Webinar"))
    assert webinar["applicableProgramType"] == "webinar"
    assert [s["success"] for s in webinar["progressionStatuses"]][-1] is True
    assert only(get(mkto, "/channel/byName.json", Name="Blog"))["id"] == 2  # the spec's param
    assert no_assets(get(mkto, "/channel/byName.json", name="Fax"))
    assert get(mkto, "/channels.json", offset=2, maxReturn=1)["result"][0]["name"] == \
        "Online Advertising"
    assert no_assets(get(mkto, "/tagTypes.json"))  # a new instance has none
    db.seed({"tagTypes": [{"tagType": "Region", "required": True,
                           "applicableProgramTypes": ["program", "event"],
                           "allowableValues": ["EMEA", "AMER"]}]})
    listed = only(get(mkto, "/tagTypes.json"))
    assert listed == {"tagType": "Region", "applicableProgramTypes": "[program,event]",
                      "required": True}
    assert only(get(mkto, "/tagType/byName.json", name="Region"))["allowableValues"] == \
        "[EMEA, AMER]"
    assert codes(get(mkto, "/tagType/byName.json")) == ["701"]


def test_asset_calls_count_against_the_rest_limits(mkto: MarketoCaller) -> None:
    """The asset API goes through the same pipeline: the 101st call in 20 s answers 606."""
    answers = [get(mkto, "/folders.json") for _ in range(101)]
    assert all(a["success"] for a in answers[:100])
    assert codes(answers[100]) == ["606"] and answers[100]["warnings"] == []


def test_static_lists_browse_by_folder_and_update_dates(cloud: Cloud, mkto: MarketoCaller) -> None:
    pid = program(mkto)
    only(form(mkto, "/staticLists.json", name="Old", folder=ref(12)))
    cloud.clock.advance(60)
    newer = only(form(mkto, "/staticLists.json", name="New", folder=ref(pid, "Program")))
    in_program = get(mkto, "/staticLists.json", folder=ref(pid, "Program"))["result"]
    assert [x["name"] for x in in_program] == ["New"]
    assert in_program[0]["folder"] == {"id": pid, "type": "Program"}
    since = get(mkto, "/staticLists.json", earliestUpdatedAt=newer["updatedAt"])["result"]
    assert [x["name"] for x in since] == ["New"]
    assert codes(get(mkto, "/staticLists.json", latestUpdatedAt="soon")) == ["704"]
