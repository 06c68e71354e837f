"""The content API, `/rest/asset/v2/` (issue 35; Adobe's Emails, Email Templates and
Fragments pages of the Email Designer): JSON bodies, the x-app-type header, state
transitions, filters with index paging, clones, deletes one by one and in bulk, used-by."""

from __future__ import annotations

import pytest

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import codes, no_assets
from vendorsim.mocks.marketo.model.instance import MarketoInstance

V2 = "/rest/asset/v2"
HEADERS = {"x-app-type": "vendorsim-tests"}


def call(mkto: MarketoCaller, method: str, path: str, body: object = None,
         **params: object) -> dict:
    return mkto.session.request(method, mkto.base + V2 + path, json=body, params=params,
                                headers=HEADERS).json()


def make(mkto: MarketoCaller, kind: str, name: str, **extra: object) -> str:
    body = {"name": name, "appData": {"workspaceId": "1", "folderId": "22"}, **extra}
    if kind == "email":
        body.setdefault("headers", {"subject": "Hello"})
    if kind == "fragment":
        body.setdefault("settings", {"fragmentType": "email", "supportedChannels": ["email"]})
    made = call(mkto, "POST", f"/{kind}", body)
    assert made["success"], made
    return made["result"][0]["id"]


@pytest.mark.parametrize("kind", ["email", "emailtemplate", "fragment"])
def test_life_of_each_kind(mkto: MarketoCaller, kind: str) -> None:
    asset_id = make(mkto, kind, "Spring")
    shown = call(mkto, "GET", f"/{kind}/{asset_id}")["result"][0]
    assert (shown["id"], shown["status"], shown["appData"]["workspaceId"]) == \
        (asset_id, "draft", "1")
    assert call(mkto, "POST", f"/{kind}/{asset_id}/update", {"description": "New"})[
        "result"] == [{"id": asset_id}]
    approved = call(mkto, "POST", f"/{kind}/state/transition",
                    {"contentId": asset_id, "action": "approve"})["result"][0]
    assert approved["status"] == "approved" and approved["state"] == "approved"
    drafted = call(mkto, "POST", f"/{kind}/state/transition",
                   {"contentId": asset_id, "action": "create_draft"})["result"][0]
    assert drafted["state"] == "approvedWithDraft"
    assert codes(call(mkto, "POST", f"/{kind}/state/transition",
                      {"contentId": asset_id, "action": "create_draft"})) == ["709"]
    call(mkto, "POST", f"/{kind}/state/transition", {"contentId": asset_id,
                                                     "action": "discard"})
    assert codes(call(mkto, "POST", f"/{kind}/{asset_id}/delete")) == ["709"]  # approved
    call(mkto, "POST", f"/{kind}/state/transition", {"contentId": asset_id,
                                                     "action": "unapprove"})
    copy = call(mkto, "POST", f"/{kind}/clone", {"assetId": asset_id,
                                                 "newAsset": {"name": "Spring copy"}})
    assert copy["result"][0]["description"] == "New"
    deleted = call(mkto, "POST", f"/{kind}/{asset_id}/delete")
    assert deleted["success"] is True and "result" not in deleted
    assert no_assets(call(mkto, "GET", f"/{kind}/{asset_id}"))


def test_refusals(mkto: MarketoCaller, db: MarketoInstance) -> None:
    made = make(mkto, "email", "A")
    before = db.snapshot(activities=False)
    no_header = mkto.session.post(f"{mkto.base}{V2}/email", json={"name": "B"}).json()
    assert codes(no_header) == ["701"]
    for body, code in (({"appData": {"workspaceId": "1"}, "headers": {"subject": "x"}}, "701"),
                       ({"name": "B", "headers": {"subject": "x"}}, "701"),
                       ({"name": "B", "appData": {}, "headers": {"subject": "x"}}, "701"),
                       ({"name": "B", "appData": {"workspaceId": "9"},
                         "headers": {"subject": "x"}}, "710"),
                       ({"name": "B", "appData": {"folderId": "4242"},
                         "headers": {"subject": "x"}}, "710"),
                       ({"name": "B", "appData": {"workspaceId": "1"}}, "701"),
                       ({"name": "B", "appData": {"workspaceId": "1"}, "templateId": "999",
                         "headers": {"subject": "x"}}, "702"),
                       ({"name": "A", "appData": {"workspaceId": "1"},
                         "headers": {"subject": "x"}}, "709")):
        assert codes(call(mkto, "POST", "/email", body)) == [code], body
    assert codes(call(mkto, "POST", "/fragment", {"name": "F", "appData": {"workspaceId": "1"},
                                                  "settings": {"fragmentType": "email"}})) == \
        ["701"]
    assert codes(call(mkto, "POST", "/email/state/transition",
                      {"contentId": made, "action": "publish"})) == ["1003"]
    assert codes(call(mkto, "POST", "/email/state/transition",
                      {"contentId": made, "action": "discard"})) == ["709"]
    form_body = mkto.session.post(f"{mkto.base}{V2}/email", data={"name": "x"},
                                  headers=HEADERS).json()
    assert codes(form_body) == ["612"]
    assert db.snapshot(activities=False) == before


def test_filter_pages_and_sorts(mkto: MarketoCaller) -> None:
    for name in ("Charlie", "alpha", "Bravo"):
        make(mkto, "email", name)
    found = call(mkto, "GET", "/email/filter", workspaceId="1", sortKey="name",
                 pageSize=2, pageIndex=0)["result"]
    assert [e["name"] for e in found] == ["alpha", "Bravo"]
    second = call(mkto, "GET", "/email/filter", workspaceId="1", sortKey="name", pageSize=2,
                  pageIndex=1)["result"]
    assert [e["name"] for e in second] == ["Charlie"]
    assert [e["name"] for e in call(mkto, "GET", "/email/filter", workspaceId="1",
                                    name="rav")["result"]] == ["Bravo"]
    assert no_assets(call(mkto, "GET", "/email/filter", workspaceId="1", status="approved"))
    assert codes(call(mkto, "GET", "/email/filter")) == ["701"]
    assert codes(call(mkto, "GET", "/email/filter", workspaceId="1", pageSize=51)) == ["1003"]


def test_used_by_and_bulk_calls(mkto: MarketoCaller) -> None:
    template = make(mkto, "emailtemplate", "Base")
    fragment = make(mkto, "fragment", "Hero")
    body = {"html": {"body": f'<div data-fragment-id="{fragment}"></div>'}}
    email = make(mkto, "email", "Launch", templateId=template, data=body)
    used = call(mkto, "POST", "/emailtemplate/usedby", {"assetId": template})
    assert [u["id"] for u in used["result"]] == [email]
    assert used["pageDetails"] == {"totalItems": 1, "pageSize": 20, "currentPage": 0}
    counts = call(mkto, "POST", "/fragment/bulk/usedby", {"assetIds": [fragment]})["result"]
    assert counts == [{"id": fragment, "name": "Hero", "count": 1, "used": True}]
    assert codes(call(mkto, "POST", f"/fragment/{fragment}/delete")) == ["709"]  # in use
    spare = make(mkto, "fragment", "Spare")
    got = call(mkto, "POST", "/fragment/bulk/get", {"assetIds": [fragment, spare, "999"]})
    assert [f["name"] for f in got["result"]] == ["Hero", "Spare"]
    assert codes(call(mkto, "POST", "/fragment/bulk/delete",
                      {"assetIds": [fragment, spare]})) == ["709"]  # all or none
    assert call(mkto, "GET", f"/fragment/{spare}")["result"]
    call(mkto, "POST", "/fragment/bulk/delete", {"assetIds": [fragment, spare],
                                                 "ignoreUsedBy": True})
    assert no_assets(call(mkto, "GET", f"/fragment/{spare}"))
    assert call(mkto, "GET", f"/fragment/{fragment}")["result"]  # in use: kept
    assert codes(call(mkto, "POST", "/fragment/bulk/get", {"assetIds": []})) == ["701"]


def test_content_assets_survive_a_snapshot(mkto: MarketoCaller, db: MarketoInstance) -> None:
    asset_id = make(mkto, "fragment", "Hero")
    call(mkto, "POST", "/fragment/state/transition", {"contentId": asset_id,
                                                      "action": "approve"})
    state = db.snapshot()
    fresh = MarketoInstance("X", db.clock)
    fresh.restore(state)
    assert fresh.snapshot() == state
    bad = dict(state, contentAssets=[dict(state["contentAssets"][0], approved={"data": 1})])
    with pytest.raises(ValueError):
        MarketoInstance("Y", db.clock).restore(bad)


@pytest.mark.parametrize("kind", ["email", "emailtemplate", "fragment"])
def test_every_kind_filters_pages_and_answers_in_bulk(mkto: MarketoCaller, kind: str) -> None:
    first, second = make(mkto, kind, "One"), make(mkto, kind, "Two")
    found = call(mkto, "GET", f"/{kind}/filter", workspaceId="1", sortKey="name",
                 sortOrder="desc")["result"]
    assert [a["name"] for a in found] == ["Two", "One"]
    used = call(mkto, "POST", f"/{kind}/usedby", {"assetId": first})
    assert used["result"] == [] and used["pageDetails"]["totalItems"] == 0
    assert codes(call(mkto, "POST", f"/{kind}/usedby", {"assetId": "999"})) == ["702"]
    counts = call(mkto, "POST", f"/{kind}/bulk/usedby", {"assetIds": [first, second]})
    assert [c["used"] for c in counts["result"]] == [False, False]
    got = call(mkto, "POST", f"/{kind}/bulk/get", {"assetIds": [second]})["result"]
    assert [a["id"] for a in got] == [second]
    assert call(mkto, "POST", f"/{kind}/bulk/delete", {"assetIds": [first, second]})[
        "success"] is True
    assert no_assets(call(mkto, "GET", f"/{kind}/filter", workspaceId="1"))
