"""Files (asset API): browse, by id and name, upload (multipart), replace the content."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("files", __name__)


@bp.get("/rest/asset/v1/files.json")
@doc(query=("folder", "offset", "maxReturn"))
def files() -> Response:
    """Files, in a folder when one is given."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.files.browse(http.param("folder"), offset,
                                                           limit))


@bp.get("/rest/asset/v1/file/<int:file_id>.json")
@doc()
def file(file_id: int) -> Response:
    """A file by id."""
    http.require("read")
    return http.assets(http.instance().assets.files.by_id(file_id))


@bp.get("/rest/asset/v1/file/byName.json")
@doc(query=("name",))
def file_by_name() -> Response:
    """A file by its exact name."""
    http.require("read")
    return http.assets(http.instance().assets.files.by_name(http.required_param("name")))


@bp.post("/rest/asset/v1/files.json")
@doc(body="multipart")
def create_file() -> Response:
    """Upload a file: name, folder and the `file` part (insertOnly keeps an existing one)."""
    http.require("edit_assets")
    form, parts = http.upload()
    return http.asset_ok(http.instance().assets.files.create(form, parts.get("file")))


@bp.post("/rest/asset/v1/file/<int:file_id>/content.json")
@doc(body="multipart")
def replace_file(file_id: int) -> Response:
    """Replace a file's content."""
    http.require("edit_assets")
    _, parts = http.upload()
    return http.asset_ok(http.instance().assets.files.replace(file_id, parts.get("file")))
