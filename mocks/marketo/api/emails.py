"""Emails (asset API): create, metadata, headers, content sections, modules, variables,
dynamic content, full content, sample sends and the CC fields. Reads, approval, clone and
delete are the shared views of `asset_versions.py`."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("emails", __name__)
ONE = "/rest/asset/v1/email/<int:email_id>"
FOLDER = '{"id":22,"type":"Folder"}'


@bp.post("/rest/asset/v1/emails.json")
@doc(body="form", examples=[{"name": "Welcome", "folder": FOLDER, "template": 1001}])
def create() -> Response:
    """Create an email from an approved template."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.emails.create(http.asset_form()))


@bp.post(f"{ONE}.json")
@doc(body="form", examples=[{"name": "Renamed", "preHeader": "Hello"}])
def update(email_id: int) -> Response:
    """Update Email Metadata: name, description, preHeader and settings."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.emails.update_meta(email_id, http.asset_form()))


@bp.get(f"{ONE}/content.json")
@doc(query=("status",))
def content(email_id: int) -> Response:
    """The email's editable sections and modules."""
    http.require("read")
    return http.assets(http.instance().assets.emails.content(email_id, http.param("status")))


@bp.post(f"{ONE}/content.json")
@doc(body="form", examples=[{"subject": '{"type":"Text","value":"Hi"}'}])
def headers(email_id: int) -> Response:
    """Update Email Content: subject, from name, from email, reply-to."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.emails.set_headers(email_id,
                                                                   http.asset_form()))


@bp.post(f"{ONE}/content/<html_id>.json")
@doc(body="form", examples=[{"type": "Text", "value": "<p>Hi</p>", "textValue": "Hi"}])
def section(email_id: int, html_id: str) -> Response:
    """Update an editable section (Text, Snippet or DynamicContent)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.emails.set_section(email_id, html_id,
                                                                   http.asset_form()))


@bp.post(f"{ONE}/content/rearrange.json")
@doc(body="form", examples=[{"positions": '[{"index":0,"moduleId":"hero"}]'}])
def rearrange(email_id: int) -> Response:
    """Rearrange the email's modules."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.emails.rearrange(
        email_id, http.asset_form().get("positions")))


@doc(query=("name", "index"), body="form")
def module(email_id: int, module_id: str, action: str) -> Response:
    """Add (from the template), delete, duplicate or rename a module."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.emails.module(email_id, module_id, action,
                                                              http.asset_form()))


for _action in ("add", "delete", "duplicate", "rename"):
    bp.add_url_rule(f"{ONE}/content/<module_id>/{_action}.json", f"module_{_action}", module,
                    methods=["POST"], defaults={"action": _action})


@bp.get(f"{ONE}/variables.json")
@doc()
def variables(email_id: int) -> Response:
    """The email's variables (module-scoped ones per module)."""
    http.require("read")
    return http.assets(http.instance().assets.emails.variables(email_id))


@bp.post(f"{ONE}/variable/<name>.json")
@doc(body="form", examples=[{"value": "2"}])
def variable(email_id: int, name: str) -> Response:
    """Update a variable (of a module, with moduleId)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.emails.set_variable(email_id, name,
                                                                    http.asset_form()))


@bp.get(f"{ONE}/dynamicContent/<content_id>.json")
@doc(query=("status",))
def dynamic(email_id: int, content_id: str) -> Response:
    """A dynamic section's content per segment."""
    http.require("read")
    return http.assets(http.instance().assets.emails.dynamic_content(
        email_id, content_id, http.param("status")))


@bp.post(f"{ONE}/dynamicContent/<content_id>.json")
@doc(body="form", examples=[{"segment": "Default", "type": "HTML", "value": "<p>x</p>"}])
def set_dynamic(email_id: int, content_id: str) -> Response:
    """One segment's content of a dynamic section."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.emails.set_dynamic_content(
        email_id, content_id, http.asset_form()))


@bp.get(f"{ONE}/fullContent.json")
@doc(query=("status", "leadId", "type"))
def full_content(email_id: int) -> Response:
    """The email as a recipient gets it (HTML or Text, as a lead when leadId is given)."""
    http.require("read")
    return http.assets(http.instance().assets.emails.full_content(
        email_id, http.param("status"), http.param("leadId"), http.param("type")))


@bp.post(f"{ONE}/fullContent.json")
@doc(body="multipart")
def replace_content(email_id: int) -> Response:
    """Replace the HTML of an email no longer linked to its template."""
    http.require("edit_assets")
    form, files = http.upload()
    given = files["content"][0] if "content" in files else form.get("content")
    result, warnings = http.instance().assets.emails.set_full_content(email_id, given)
    return http.asset_ok(result, warnings)


@bp.post(f"{ONE}/sendSample.json")
@doc(body="form", examples=[{"emailAddress": "a@x.example"}])
def send_sample(email_id: int) -> Response:
    """Send a sample of the email."""
    http.require("read")
    return http.asset_ok(http.instance().assets.emails.send_sample(email_id,
                                                                   http.asset_form()))


@bp.get("/rest/asset/v1/email/ccFields.json")
@doc()
def cc_fields() -> Response:
    """The fields enabled for email CC."""
    http.require("read")
    return http.assets(http.instance().assets.emails.cc_fields())
