"""Folders, My Tokens, channels and tag types (asset API)."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from ..facts import FOLDER_DEPTH_DEFAULT
from . import http

bp = Blueprint("folders", __name__)
ONE = "/rest/asset/v1/folder/<int:folder_id>"


@bp.get("/rest/asset/v1/folders.json")
@doc(query=("root", "maxDepth", "maxReturn", "offset", "workSpace"))
def folders() -> Response:
    """Browse folders: each area's root (or `root`) and what lies below, maxDepth deep."""
    http.require("read")
    offset, limit = http.asset_page()
    depth = http.int_param("maxDepth", FOLDER_DEPTH_DEFAULT, low=0, high=100)
    return http.assets(http.instance().assets.folders(
        http.param("root"), depth, http.param("workSpace"), offset, limit))


@bp.get(f"{ONE}.json")
@doc(query=("type",))
def folder(folder_id: int) -> Response:
    """A folder, or a program as a folder (type=Program)."""
    http.require("read")
    return http.assets(http.instance().assets.folder(folder_id, http.param("type", "Folder")))


@bp.get("/rest/asset/v1/folder/byName.json")
@doc(query=("name", "type", "root", "workSpace"))
def folder_by_name() -> Response:
    """Folders (and programs) of the exact name, under a root or in a workspace."""
    http.require("read")
    return http.assets(http.instance().assets.folder_by_name(
        http.required_param("name"), http.param("type"), http.param("root"),
        http.param("workSpace")))


@bp.get(f"{ONE}/content.json")
@doc(query=("type", "offset", "maxReturn"))
def content(folder_id: int) -> Response:
    """What a folder or program holds: folders, programs and assets."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.folder_contents(
        folder_id, http.param("type", "Folder"), offset, limit))


@bp.post("/rest/asset/v1/folders.json")
@doc(body="form", examples=[{"name": "Webinars", "parent": '{"id":15,"type":"Folder"}'}])
def create() -> Response:
    """Create a folder under a folder or program."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.create_folder(http.asset_form()))


@bp.post(f"{ONE}.json")
@doc(body="form", examples=[{"type": "Folder", "description": "d"}])
def update(folder_id: int) -> Response:
    """Rename, describe, archive a folder (not a program, not a system folder)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.update_folder(folder_id, http.asset_form()))


@bp.post(f"{ONE}/delete.json")
@doc(body="form", examples=[{"type": "Folder"}])
def delete(folder_id: int) -> Response:
    """Delete an empty folder."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.delete_folder(
        folder_id, http.asset_form().get("type")))


# -- My Tokens --------------------------------------------------------------------------------
@bp.get(f"{ONE}/tokens.json")
@doc(query=("folderType",))
def tokens(folder_id: int) -> Response:
    """A folder's or program's tokens, inherited ones included."""
    http.require("read")
    return http.assets(http.instance().assets.tokens.read(folder_id, http.param("folderType")))


@bp.post(f"{ONE}/tokens.json")
@doc(body="form", examples=[{"name": "Event Date", "type": "date", "value": "2026-12-01",
                             "folderType": "Folder"}])
def create_token(folder_id: int) -> Response:
    """Create or replace a token."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.tokens.create(folder_id, http.asset_form()))


@bp.post(f"{ONE}/tokens/delete.json")
@doc(body="form", examples=[{"name": "Event Date", "type": "date", "folderType": "Folder"}])
def delete_token(folder_id: int) -> Response:
    """Delete a token by name and type."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.tokens.delete(folder_id, http.asset_form()))


# -- channels and tag types ---------------------------------------------------------------------
@bp.get("/rest/asset/v1/channels.json")
@doc(query=("offset", "maxReturn"))
def channels() -> Response:
    """The instance's channels and their program statuses."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.channels(offset, limit))


@bp.get("/rest/asset/v1/channel/byName.json")
@doc(query=("name",))
def channel() -> Response:
    """A channel by name."""
    http.require("read")
    name = http.param("name") or http.required_param("Name")  # the spec's name for it
    return http.assets(http.instance().assets.channels(0, 1, name))


@bp.get("/rest/asset/v1/tagTypes.json")
@doc(query=("offset", "maxReturn"))
def tag_types() -> Response:
    """The instance's tag types."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.tag_types(offset, limit))


@bp.get("/rest/asset/v1/tagType/byName.json")
@doc(query=("name",))
def tag_type() -> Response:
    """A tag type by name, with its allowed values."""
    http.require("read")
    return http.assets(http.instance().assets.tag_types(0, 1, http.required_param("name")))
