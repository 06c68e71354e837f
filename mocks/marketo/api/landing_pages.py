"""Landing pages (asset API): create, metadata, clone, content sections, dynamic content,
variables, full content; redirect rules and landing page domains. Reads, approval and
delete are the shared views of `asset_versions.py`."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("landing_pages", __name__)
ONE = "/rest/asset/v1/landingPage/<int:page_id>"
RULE = "/rest/asset/v1/redirectRule/<int:rule_id>"


@bp.post("/rest/asset/v1/landingPages.json")
@doc(body="form", examples=[{"name": "Page", "folder": '{"id":24,"type":"Folder"}',
                             "template": 1001}])
def create() -> Response:
    """Create a landing page from an approved template."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.landing_pages.create(http.asset_form()))


@bp.post(f"{ONE}.json")
@doc(body="form", examples=[{"title": "Welcome", "mobileEnabled": "true"}])
def update(page_id: int) -> Response:
    """Update Landing Page Metadata."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.landing_pages.update_meta(page_id,
                                                                          http.asset_form()))


@bp.post(f"{ONE}/clone.json")
@doc(body="form", examples=[{"name": "Copy", "folder": '{"id":24,"type":"Folder"}'}])
def clone(page_id: int) -> Response:
    """Clone a landing page (onto another template when `template` is given)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.landing_pages.clone_page(page_id,
                                                                         http.asset_form()))


@bp.get(f"{ONE}/content.json")
@doc(query=("status",))
def content(page_id: int) -> Response:
    """The page's content sections, by index."""
    http.require("read")
    return http.assets(http.instance().assets.landing_pages.content(page_id,
                                                                    http.param("status")))


@bp.post(f"{ONE}/content.json")
@doc(body="form", examples=[{"contentId": "intro", "type": "RichText", "value": "<p>Hi</p>"}])
def add_section(page_id: int) -> Response:
    """Add a content section."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.landing_pages.add_section(page_id,
                                                                          http.asset_form()))


@bp.post(f"{ONE}/content/<section_id>.json")
@doc(body="form", examples=[{"type": "HTML", "value": "<p>Hi</p>"}])
def update_section(page_id: int, section_id: str) -> Response:
    """Update a content section (type DynamicContent makes it dynamic)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.landing_pages.set_section(
        page_id, section_id, http.asset_form()))


@bp.post(f"{ONE}/content/<section_id>/delete.json")
@doc()
def delete_section(page_id: int, section_id: str) -> Response:
    """Delete a content section."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.landing_pages.delete_section(page_id,
                                                                             section_id))


@bp.get(f"{ONE}/dynamicContent/<section_id>.json")
@doc()
def dynamic(page_id: int, section_id: str) -> Response:
    """A dynamic section's content per segment."""
    http.require("read")
    return http.assets(http.instance().assets.landing_pages.dynamic_content(page_id,
                                                                            section_id))


@bp.post(f"{ONE}/dynamicContent/<section_id>.json")
@doc(body="form", examples=[{"segment": "Default", "type": "HTML", "value": "<p>x</p>"}])
def set_dynamic(page_id: int, section_id: str) -> Response:
    """One segment's content of a dynamic section."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.landing_pages.set_dynamic_content(
        page_id, section_id, http.asset_form()))


@bp.get(f"{ONE}/variables.json")
@doc(query=("status",))
def variables(page_id: int) -> Response:
    """A guided page's variables."""
    http.require("read")
    return http.assets(http.instance().assets.landing_pages.variables(page_id,
                                                                      http.param("status")))


@bp.post(f"{ONE}/variable/<variable_id>.json")
@doc(query=("value",), body="form")
def variable(page_id: int, variable_id: str) -> Response:
    """Update a guided page's variable."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.landing_pages.set_variable(
        page_id, variable_id, http.asset_form().get("value")))


@bp.get(f"{ONE}/fullContent.json")
@doc(query=("leadId", "segmentation"))
def full_content(page_id: int) -> Response:
    """The page as a browser shows it (for a lead, or for chosen segments)."""
    http.require("read")
    return http.assets(http.instance().assets.landing_pages.full_content(
        page_id, http.param("leadId"), http.param("segmentation")))


# -- redirect rules and domains ---------------------------------------------------------------
@bp.get("/rest/asset/v1/redirectRules.json")
@doc(query=("offset", "maxReturn", "redirectToLandingPageId", "redirectToPath", "hostname",
            "earliestUpdatedAt", "latestUpdatedAt"))
def rules() -> Response:
    """Landing page redirect rules, filtered."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.redirects.browse(http.asset_query(), offset,
                                                               limit))


@bp.get(f"{RULE}.json")
@doc()
def rule(rule_id: int) -> Response:
    """A redirect rule by id."""
    http.require("read")
    return http.assets(http.instance().assets.redirects.by_id(rule_id))


@bp.post("/rest/asset/v1/redirectRules.json")
@doc(body="form")
def create_rule() -> Response:
    """Create a redirect rule: hostname, redirectFrom, redirectTo."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.redirects.create(http.asset_form()))


@bp.post(f"{RULE}.json")
@doc(body="form")
def update_rule(rule_id: int) -> Response:
    """Update a redirect rule's hostname, source or target."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.redirects.update(rule_id, http.asset_form()))


@bp.post(f"{RULE}/delete.json")
@doc()
def delete_rule(rule_id: int) -> Response:
    """Delete a redirect rule."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.redirects.delete(rule_id))


@bp.get("/rest/asset/v1/landingPageDomains.json")
@doc(query=("offset", "maxReturn"))
def domains() -> Response:
    """The instance's landing page domains and aliases."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.redirects.domain_page(offset, limit))
