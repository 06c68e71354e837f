"""Forms (asset API): create, metadata, fields, fieldsets, rich text, visibility rules,
positions, follow-up pages, the submit button, what uses a form, and the fields a form may
use. Reads, approval, discard, clone and delete are the shared views of
`asset_versions.py`."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("forms", __name__)
ONE = "/rest/asset/v1/form/<int:form_id>"


@bp.post("/rest/asset/v1/forms.json")
@doc(body="form", examples=[{"name": "Signup", "folder": '{"id":26,"type":"Folder"}'}])
def create() -> Response:
    """Create a form with First Name, Last Name and Email."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.create(http.asset_form()))


@bp.post(f"{ONE}.json")
@doc(body="form", examples=[{"theme": "simple", "labelPosition": "above"}])
def update(form_id: int) -> Response:
    """Update Form Metadata: name, description and styling."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.update_meta(form_id, http.asset_form()))


@bp.get("/rest/asset/v1/form/fields.json")
@doc(query=("offset", "maxReturn"))
def available_fields() -> Response:
    """The lead fields forms may use."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.forms.fields_list(offset, limit, False))


@bp.get("/rest/asset/v1/form/programMemberFields.json")
@doc(query=("offset", "maxReturn"))
def member_fields() -> Response:
    """The program member fields forms in programs may use."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.forms.fields_list(offset, limit, True))


@bp.get(f"{ONE}/fields.json")
@doc(query=("status",))
def fields(form_id: int) -> Response:
    """A form's fields."""
    http.require("read")
    return http.assets(http.instance().assets.forms.fields(form_id, http.param("status")))


@bp.post(f"{ONE}/fields.json")
@doc(body="form", examples=[{"fieldId": "Company", "label": "Company:"}])
def add_field(form_id: int) -> Response:
    """Add a field to a form."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.add_field(form_id, http.asset_form()))


@bp.post(f"{ONE}/field/<field_id>.json")
@doc(body="form", examples=[{"label": "Surname:"}])
def update_field(form_id: int, field_id: str) -> Response:
    """Update a form field."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.update_field(form_id, field_id,
                                                                   http.asset_form()))


@bp.post(f"{ONE}/field/<field_id>/delete.json")
@doc()
def delete_field(form_id: int, field_id: str) -> Response:
    """Remove a field from a form."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.delete_field(form_id, field_id))


@bp.post(f"{ONE}/fieldSet.json")
@doc(body="form", examples=[{"label": "Compliance"}])
def add_fieldset(form_id: int) -> Response:
    """Add a fieldset."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.add_fieldset(
        form_id, http.asset_form().get("label")))


@bp.post(f"{ONE}/fieldSet/<fieldset_id>/field/<field_id>/delete.json")
@doc()
def remove_from_fieldset(form_id: int, fieldset_id: str, field_id: str) -> Response:
    """Remove a field from a fieldset."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.remove_from_fieldset(
        form_id, fieldset_id, field_id))


@bp.post(f"{ONE}/richText.json")
@doc(body="multipart")
def rich_text(form_id: int) -> Response:
    """Add a rich text field (HTML without scripts, meta or link tags)."""
    http.require("edit_assets")
    form, files = http.upload()
    text = files["text"][0] if "text" in files else form.get("text")
    return http.asset_ok(http.instance().assets.forms.add_rich_text(form_id, text))


@bp.post("/rest/asset/v1/form/<int:form_id>/field/<field_id>/visibility.json")
@doc(body="form", examples=[{"visibilityRule": '{"ruleType":"alwaysShow","rules":[]}'}])
def visibility(form_id: int, field_id: str) -> Response:
    """Set a field's visibility rule."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.set_visibility(
        form_id, field_id, http.asset_form().get("visibilityRule")))


@bp.post(f"{ONE}/reArrange.json")
@doc(body="form")
def rearrange(form_id: int) -> Response:
    """Place every field of the form (fieldsets with their fieldList)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.rearrange(
        form_id, http.asset_form().get("positions")))


@bp.get(f"{ONE}/thankYouPage.json")
@doc(query=("status",))
def thank_you(form_id: int) -> Response:
    """A form's follow-up (thank-you) rules."""
    http.require("read")
    return http.assets(http.instance().assets.forms.thank_you(form_id, http.param("status")))


@bp.post(f"{ONE}/thankYouPage.json")
@doc(body="form")
def set_thank_you(form_id: int) -> Response:
    """Replace a form's follow-up rules (one of them the default)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.set_thank_you(
        form_id, http.asset_form().get("thankyou")))


@bp.post(f"{ONE}/submitButton.json")
@doc(body="form", examples=[{"label": "Send", "waitingLabel": "Sending"}])
def submit_button(form_id: int) -> Response:
    """Update the submit button."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.forms.set_button(form_id, http.asset_form()))


@bp.get(f"{ONE}/usedBy.json")
@doc(query=("offset", "maxReturn"))
def used_by(form_id: int) -> Response:
    """The landing pages that show a form."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.forms.used_by(form_id, offset, limit))
