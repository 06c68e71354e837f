"""Snippets (asset API): create, metadata, content and dynamic content. Reads, approval,
clone and delete are the shared views of `asset_versions.py`."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("snippets", __name__)
ONE = "/rest/asset/v1/snippet/<int:snippet_id>"


@bp.post("/rest/asset/v1/snippets.json")
@doc(body="form", examples=[{"name": "Footer", "folder": '{"id":27,"type":"Folder"}'}])
def create() -> Response:
    """Create an empty snippet."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.snippets.create(http.asset_form()))


@bp.post(f"{ONE}.json")
@doc(body="form", examples=[{"name": "Renamed"}])
def update(snippet_id: int) -> Response:
    """Update a snippet's name and description."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.snippets.update_meta(snippet_id,
                                                                     http.asset_form()))


@bp.get(f"{ONE}/content.json")
@doc(query=("status",))
def content(snippet_id: int) -> Response:
    """A snippet's content and its type."""
    http.require("read")
    return http.assets(http.instance().assets.snippets.content(snippet_id,
                                                               http.param("status")))


@bp.post(f"{ONE}/content.json")
@doc(query=("type", "content"), body="form")
def set_content(snippet_id: int) -> Response:
    """Set a snippet's content: HTML, Text, or DynamicContent on a segmentation."""
    http.require("edit_assets")
    form = http.asset_form()
    return http.asset_ok(http.instance().assets.snippets.set_content(
        snippet_id, form.get("type"), form.get("content")))


@bp.get(f"{ONE}/dynamicContent.json")
@doc(query=("status",))
def dynamic(snippet_id: int) -> Response:
    """A dynamic snippet's content per segment."""
    http.require("read")
    return http.assets(http.instance().assets.snippets.dynamic_content(
        snippet_id, http.param("status")))


@bp.post(f"{ONE}/dynamicContent/<int:segment_id>.json")
@doc(body="form", examples=[{"type": "HTML", "value": "<p>x</p>"}])
def set_dynamic(snippet_id: int, segment_id: int) -> Response:
    """One segment's content of a dynamic snippet."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.snippets.set_dynamic_content(
        snippet_id, segment_id, http.asset_form()))
