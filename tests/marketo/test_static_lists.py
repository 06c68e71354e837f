"""Static lists: asset API create/find/delete and lead-database membership (§1.10)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import MarketoCaller, codes, reasons
from vendorsim.mocks.marketo.model.instance import MarketoInstance

FOLDER = json.dumps({"id": 12, "type": "Folder"})


@pytest.fixture
def leads(db: MarketoInstance) -> MarketoInstance:
    db.seed({"leads": [{"id": i, "email": f"l{i}@x.example"} for i in (1, 2, 3)]})
    return db


def create(mkto: MarketoCaller, name: str, folder: str = FOLDER) -> dict:
    return mkto.post("/rest/asset/v1/staticLists.json", data={"folder": folder, "name": name})


def test_create_with_form_body_returns_asset_envelope(mkto: MarketoCaller) -> None:
    body = create(mkto, "CDP - Audience A")
    assert body["success"] is True and body["errors"] == [] and body["warnings"] == []
    created = body["result"][0]
    assert created["name"] == "CDP - Audience A"
    assert created["folder"] == {"id": 12, "type": "Folder"}
    assert created["workspace"] == "Default"
    assert created["createdAt"].endswith("Z+0000")


def test_create_with_query_parameters_also_works(mkto: MarketoCaller) -> None:
    body = mkto.post("/rest/asset/v1/staticLists.json", params={"folder": FOLDER, "name": "Q"})
    assert body["success"] is True


def test_duplicate_name_is_709(mkto: MarketoCaller, db: MarketoInstance) -> None:
    create(mkto, "Same")
    again = create(mkto, "same")
    assert again["success"] is False
    assert again["errors"] == [{"code": "709",
                                "message": "Static List with the same name already exists"}]
    assert len(db.lists.lists) == 1


@pytest.mark.parametrize(("folder", "name", "code"), [
    (json.dumps({"id": 404, "type": "Folder"}), "x", "710"),
    (json.dumps({"id": 12, "type": "Program"}), "x", "710"),  # folder 12 is no program
    (json.dumps({"id": 22, "type": "Folder"}), "x", "711"),  # Design Studio's Emails folder
    ("{not json", "x", "1003"),
    (FOLDER, "", "701"),
    ("", "x", "701"),
])
def test_create_errors(mkto: MarketoCaller, db: MarketoInstance, folder: str, name: str,
                       code: str) -> None:
    body = create(mkto, name, folder)
    assert codes(body) == [code]
    assert db.lists.lists == {}


def test_create_with_json_body_is_612(mkto: MarketoCaller, db: MarketoInstance) -> None:
    body = mkto.post("/rest/asset/v1/staticLists.json", {"folder": FOLDER, "name": "J"})
    assert codes(body) == ["612"] and db.lists.lists == {}


def test_by_name_hit_and_miss(mkto: MarketoCaller) -> None:
    list_id = create(mkto, "Findable")["result"][0]["id"]
    hit = mkto.get("/rest/asset/v1/staticList/byName.json", name="Findable")
    assert hit["result"][0]["id"] == list_id
    miss = mkto.get("/rest/asset/v1/staticList/byName.json", name="Nope")
    assert miss == {"success": True, "errors": [], "requestId": miss["requestId"],
                    "warnings": ["No assets found for the given search criteria."]}


def test_get_update_delete_by_id(mkto: MarketoCaller, db: MarketoInstance) -> None:
    list_id = create(mkto, "Old")["result"][0]["id"]
    create(mkto, "Taken")
    assert mkto.get(f"/rest/asset/v1/staticList/{list_id}.json")["result"][0]["name"] == "Old"
    assert codes(mkto.post(f"/rest/asset/v1/staticList/{list_id}.json",
                           data={"name": "Taken"})) == ["709"]
    renamed = mkto.post(f"/rest/asset/v1/staticList/{list_id}.json", data={"name": "New"})
    assert renamed["result"][0]["name"] == "New"
    assert mkto.post(f"/rest/asset/v1/staticList/{list_id}/delete.json")["result"] == [
        {"id": list_id}]
    assert codes(mkto.post(f"/rest/asset/v1/staticList/{list_id}/delete.json")) == ["702"]
    assert mkto.get(f"/rest/asset/v1/staticList/{list_id}.json")["warnings"]


def test_folder_by_name(mkto: MarketoCaller) -> None:
    folder = mkto.get("/rest/asset/v1/folder/byName.json", name="Group Lists")["result"][0]
    assert folder["id"] == 12 and folder["path"] == "/Lead Database/Default/Group Lists"
    assert mkto.get("/rest/asset/v1/folder/byName.json", name="Nope")["warnings"]


def test_membership_add_readd_remove(mkto: MarketoCaller, leads: MarketoInstance) -> None:
    list_id = create(mkto, "L")["result"][0]["id"]
    path = f"/rest/v1/lists/{list_id}/leads.json"
    added = mkto.post(path, {"input": [{"id": 1}, {"id": 2}, {"id": 404}]})["result"]
    assert [r["status"] for r in added] == ["added", "added", "skipped"]
    assert reasons(added[2]) == ["1004"]
    assert mkto.post(path, {"input": [{"id": 1}]})["result"] == [{"id": 1, "status": "added"}]
    removed = mkto.delete(path, params={"id": [1, 3, 404]})["result"]
    assert removed[0] == {"id": 1, "status": "removed"}
    assert reasons(removed[1]) == ["1015"] and reasons(removed[2]) == ["1004"]
    assert list(leads.lists.lists[list_id].members) == [2]


def test_add_by_query_ids(mkto: MarketoCaller, leads: MarketoInstance) -> None:
    list_id = create(mkto, "Q")["result"][0]["id"]
    body = mkto.post(f"/rest/v1/lists/{list_id}/leads.json?id=1&id=3")
    assert [r["status"] for r in body["result"]] == ["added", "added"]


def test_is_member_and_member_paging(mkto: MarketoCaller, leads: MarketoInstance) -> None:
    list_id = create(mkto, "M")["result"][0]["id"]
    mkto.post(f"/rest/v1/lists/{list_id}/leads.json", {"input": [{"id": 1}, {"id": 3}]})
    member = mkto.get(f"/rest/v1/lists/{list_id}/leads/ismember.json", id="1,2,404")["result"]
    assert [r["status"] for r in member] == ["memberof", "notmemberof", "skipped"]
    first = mkto.get(f"/rest/v1/lists/{list_id}/leads.json", batchSize=1)
    assert [r["id"] for r in first["result"]] == [1] and first["moreResult"] is True
    second = mkto.get(f"/rest/v1/list/{list_id}/leads.json", batchSize=1,
                      nextPageToken=first["nextPageToken"])
    assert [r["id"] for r in second["result"]] == [3] and "moreResult" not in second


def test_unknown_list_is_1013(mkto: MarketoCaller, leads: MarketoInstance) -> None:
    assert codes(mkto.post("/rest/v1/lists/4040/leads.json", {"input": [{"id": 1}]})) == ["1013"]
    assert codes(mkto.get("/rest/v1/lists/4040.json")) == ["1013"]


def test_deleted_lead_leaves_every_list(mkto: MarketoCaller, leads: MarketoInstance) -> None:
    list_id = create(mkto, "D")["result"][0]["id"]
    mkto.post(f"/rest/v1/lists/{list_id}/leads.json", {"input": [{"id": 2}]})
    mkto.post("/rest/v1/leads/delete.json", {"input": [{"id": 2}]})
    assert leads.lists.lists[list_id].members == {}


def test_lead_database_lists_endpoint(mkto: MarketoCaller, leads: MarketoInstance) -> None:
    leads.seed({"folders": [{"id": 50, "name": "Webinar", "folderType": "Program",
                             "workspace": "EMEA"}]})
    create(mkto, "A")
    create(mkto, "B", json.dumps({"id": 50, "type": "Program"}))
    every = mkto.get("/rest/v1/lists.json")["result"]
    assert [x["name"] for x in every] == ["A", "B"]
    assert every[1]["programName"] == "Webinar" and every[1]["workspaceName"] == "EMEA"
    by_ws = mkto.get("/rest/v1/lists.json", workspaceName="EMEA")["result"]
    assert [x["name"] for x in by_ws] == ["B"]
    by_name = mkto.get("/rest/v1/lists.json", name="A")["result"]
    assert len(by_name) == 1 and set(by_name[0]) >= {"id", "name", "createdAt", "updatedAt"}
