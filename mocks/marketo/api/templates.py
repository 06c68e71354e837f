"""Email templates and landing page templates (asset API): create, metadata, content (HTML
uploaded as multipart), and what uses an email template. Reads, approval, clone and delete
are the shared views of `asset_versions.py`."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("templates", __name__)
EMAIL = "/rest/asset/v1/emailTemplate/<int:template_id>"
PAGE = "/rest/asset/v1/landingPageTemplate/<int:template_id>"


def _content() -> object:
    """The uploaded `content` part (or field) of a multipart body."""
    form, files = http.upload()
    return files["content"][0] if "content" in files else form.get("content")


@bp.post("/rest/asset/v1/emailTemplates.json")
@doc(body="multipart")
def create_email_template() -> Response:
    """Create an email template: name, folder and the HTML `content` file."""
    http.require("edit_assets")
    fields, files = http.upload()
    form: dict[str, object] = {**fields}
    if "content" in files:
        form["content"] = files["content"][0]
    return http.asset_ok(http.instance().assets.email_templates.create(form))


@bp.post(f"{EMAIL}.json")
@doc(body="form", examples=[{"name": "Renamed", "description": "d"}])
def update_email_template(template_id: int) -> Response:
    """Update an email template's name and description."""
    http.require("edit_assets")
    form = http.asset_form()
    return http.asset_ok(http.instance().assets.email_templates.update(
        template_id, form.get("name"), form.get("description")))


@bp.get("/rest/asset/v1/emailTemplate/<int:template_id>/content")
@doc(query=("status",))
def email_template_content(template_id: int) -> Response:
    """An email template's HTML (approved, or the draft asked for)."""
    http.require("read")
    return http.assets(http.instance().assets.email_templates.content(
        template_id, http.param("status")))


@bp.post(f"{EMAIL}/content.json")
@doc(body="multipart")
def set_email_template_content(template_id: int) -> Response:
    """Replace an email template's HTML (the draft's)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.email_templates.set_content(template_id,
                                                                            _content()))


@bp.get("/rest/asset/v1/emailTemplates/<int:template_id>/usedBy.json")
@doc(query=("offset", "maxReturn"))
def email_template_used_by(template_id: int) -> Response:
    """The emails made from an email template."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.email_templates.used_by(template_id, offset,
                                                                      limit))


@bp.post("/rest/asset/v1/landingPageTemplates.json")
@doc(body="form", examples=[{"name": "Page", "folder": '{"id":25,"type":"Folder"}',
                             "templateType": "guided"}])
def create_page_template() -> Response:
    """Create an empty landing page template (free-form unless guided)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.lp_templates.create(http.asset_form()))


@bp.post(f"{PAGE}.json")
@doc(body="form", examples=[{"name": "Renamed", "enableMunchkin": "true"}])
def update_page_template(template_id: int) -> Response:
    """Update a landing page template's name, description and enableMunchkin."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.lp_templates.update_meta(template_id,
                                                                         http.asset_form()))


@bp.get(f"{PAGE}/content.json")
@doc(query=("status",))
def page_template_content(template_id: int) -> Response:
    """A landing page template's HTML."""
    http.require("read")
    return http.assets(http.instance().assets.lp_templates.content(template_id,
                                                                   http.param("status")))


@bp.post(f"{PAGE}/content.json")
@doc(body="multipart")
def set_page_template_content(template_id: int) -> Response:
    """Replace a landing page template's HTML (the draft's)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.lp_templates.set_content(template_id,
                                                                         _content()))
