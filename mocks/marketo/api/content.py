"""The content API (`/rest/asset/v2/`): emails, email templates and fragments with JSON
bodies and the `x-app-type` header. One view per operation, registered for each kind."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("content", __name__)
BASE = "/rest/asset/v2"
KINDS = ("email", "emailtemplate", "fragment")
EXAMPLE = {"name": "Spring launch", "appData": {"workspaceId": "1", "folderId": "22"},
           "headers": {"subject": "Hello"},
           "settings": {"fragmentType": "email", "supportedChannels": ["email"]}}


@doc()
def one(kind: str, asset_id: str) -> Response:
    """An asset by id."""
    http.require("read")
    http.app_type()
    return http.assets(http.instance().assets.content.get(kind, asset_id))


@doc(query=("workspaceId", "folderId", "status", "pageIndex", "pageSize", "name", "sortKey",
            "sortOrder", "createdAtStart", "createdAtEnd", "modifiedAtStart", "modifiedAtEnd",
            "templateId", "fragmentType"))
def filtered(kind: str) -> Response:
    """A page of a workspace's assets, filtered."""
    http.require("read")
    http.app_type()
    query = {**http.asset_query(), "status": ",".join(http.csv_param("status"))}
    return http.assets(http.instance().assets.content.filter(kind, query))


@doc(body="json", examples=[EXAMPLE])
def create(kind: str) -> Response:
    """Create an asset (a draft)."""
    http.require("edit_assets")
    http.app_type()
    return http.asset_ok(http.instance().assets.content.create(kind, http.json_body()))


@doc(body="json", examples=[{"name": "Renamed", "description": "d"}])
def update(kind: str, asset_id: str) -> Response:
    """Update an asset (its draft)."""
    http.require("edit_assets")
    http.app_type()
    return http.asset_ok(http.instance().assets.content.update(kind, asset_id,
                                                               http.json_body()))


@doc()
def delete(kind: str, asset_id: str) -> Response:
    """Delete an unapproved asset nothing uses."""
    http.require("edit_assets")
    http.app_type()
    http.instance().assets.content.delete(kind, [asset_id])
    return http.asset_ok()


@doc(body="json", examples=[{"contentId": "1", "action": "approve"}])
def transition(kind: str) -> Response:
    """approve, unapprove, discard or create_draft."""
    http.require("edit_assets")
    http.app_type()
    return http.asset_ok(http.instance().assets.content.transition(kind, http.json_body()))


@doc(body="json", examples=[{"assetId": "1", "newAsset": {"name": "Copy"}}])
def clone(kind: str) -> Response:
    """Clone an asset (the approved version, else the draft)."""
    http.require("edit_assets")
    http.app_type()
    return http.asset_ok(http.instance().assets.content.clone(kind, http.json_body()))


@doc(body="json", examples=[{"assetId": "1", "pageIndex": 0, "pageSize": 20}])
def used_by(kind: str) -> Response:
    """What uses an asset, a page at a time."""
    http.require("read")
    http.app_type()
    found, details = http.instance().assets.content.used_by(kind, http.json_body())
    return http.asset_ok(found, pageDetails=details)


@doc(body="json", examples=[{"assetIds": ["1", "2"]}])
def bulk_get(kind: str) -> Response:
    """Several assets by id."""
    http.require("read")
    http.app_type()
    return http.assets(http.instance().assets.content.bulk_get(kind, http.json_body()))


@doc(body="json", examples=[{"assetIds": ["1"], "ignoreUsedBy": False}])
def bulk_delete(kind: str) -> Response:
    """Delete several assets (all or none; ignoreUsedBy skips those in use)."""
    http.require("edit_assets")
    http.app_type()
    http.instance().assets.content.delete_many(kind, http.json_body())
    return http.asset_ok()


@doc(body="json", examples=[{"assetIds": ["1", "2"]}])
def bulk_used_by(kind: str) -> Response:
    """How much each of several assets is used."""
    http.require("read")
    http.app_type()
    return http.asset_ok(http.instance().assets.content.bulk_used_by(kind, http.json_body()))


for _kind in KINDS:
    _fixed = {"kind": _kind}
    _base = f"{BASE}/{_kind}"
    for _path, _view, _method in (
            (_base, create, "POST"), (f"{_base}/filter", filtered, "GET"),
            (f"{_base}/<asset_id>", one, "GET"), (f"{_base}/<asset_id>/update", update, "POST"),
            (f"{_base}/<asset_id>/delete", delete, "POST"),
            (f"{_base}/state/transition", transition, "POST"), (f"{_base}/clone", clone, "POST"),
            (f"{_base}/usedby", used_by, "POST"), (f"{_base}/bulk/get", bulk_get, "POST"),
            (f"{_base}/bulk/delete", bulk_delete, "POST"),
            (f"{_base}/bulk/usedby", bulk_used_by, "POST")):
        bp.add_url_rule(_path, f"{_kind}_{_view.__name__}", _view, methods=[_method],
                        defaults=_fixed)
