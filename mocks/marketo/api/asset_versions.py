"""The asset API calls every versioned kind shares (emails, email templates, landing pages
and their templates, forms, snippets): by id, by name, browse, approve, unapprove, discard
the draft, delete, clone. One view each, registered on every kind's paths; calls that take
no parameters ignore a body of any kind (node-marketo-rest sends JSON ones)."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("asset_versions", __name__)
BASE = "/rest/asset/v1"
# path stem -> (the asset world's store, the browse path, whether it has a by-name read)
KINDS = {"email": ("emails", "emails", True), "emailTemplate": ("email_templates",
                                                                 "emailTemplates", True),
         "landingPage": ("landing_pages", "landingPages", True),
         "landingPageTemplate": ("lp_templates", "landingPageTemplates", True),
         "form": ("forms", "forms", True), "snippet": ("snippets", "snippets", False)}
NO_UNAPPROVE = {"form"}  # Adobe's spec has no unapprove for forms
OWN_CLONE = {"landingPage"}  # cloned with its template option (api/landing_pages.py)


@doc(query=("status",))
def by_id(store: str, asset_id: int) -> Response:
    """An asset by id: the approved version unless `status` asks for the draft."""
    http.require("read")
    return http.assets(http.instance().assets.store(store).read(asset_id, http.param("status")))


@doc(query=("name", "status", "folder"))
def by_name(store: str) -> Response:
    """An asset by its exact name (and folder)."""
    http.require("read")
    return http.assets(http.instance().assets.store(store).by_name(
        http.required_param("name"), http.param("status"), http.param("folder")))


@doc(query=("status", "folder", "offset", "maxReturn", "earliestUpdatedAt", "latestUpdatedAt"))
def browse(store: str) -> Response:
    """A page of the kind's assets, filtered by status, folder and update dates."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.store(store).browse(
        http.param("status"), http.param("folder"), offset, limit,
        http.param("earliestUpdatedAt"), http.param("latestUpdatedAt")))


@doc()
def approve(store: str, asset_id: int) -> Response:
    """Approve the draft: it becomes the live version."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.store(store).approve(asset_id))


@doc()
def unapprove(store: str, asset_id: int) -> Response:
    """Unapprove: the live version becomes the draft."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.store(store).unapprove(asset_id))


@doc()
def discard(store: str, asset_id: int) -> Response:
    """Discard the draft beside the approved version."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.store(store).discard(asset_id))


@doc()
def delete(store: str, asset_id: int) -> Response:
    """Delete an unapproved asset nothing uses."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.store(store).delete(asset_id))


@doc(body="form", examples=[{"name": "Copy", "folder": '{"id":22,"type":"Folder"}'}])
def clone(store: str, asset_id: int) -> Response:
    """Clone into a folder with a new name (the approved version, else the draft)."""
    http.require("edit_assets")
    form = http.asset_form()
    return http.asset_ok(http.instance().assets.store(store).clone(
        asset_id, form.get("name"), form.get("folder"), form.get("description")))


for _stem, (_store, _browse, _named) in KINDS.items():
    _fixed = {"store": _store}
    _one = f"{BASE}/{_stem}/<int:asset_id>"
    bp.add_url_rule(f"{_one}.json", f"{_stem}_by_id", by_id, methods=["GET"], defaults=_fixed)
    bp.add_url_rule(f"{BASE}/{_browse}.json", f"{_stem}_browse", browse, methods=["GET"],
                    defaults=_fixed)
    if _named:
        bp.add_url_rule(f"{BASE}/{_stem}/byName.json", f"{_stem}_by_name", by_name,
                        methods=["GET"], defaults=_fixed)
    for _action, _view in (("approveDraft", approve), ("discardDraft", discard),
                           ("delete", delete), ("unapprove", unapprove), ("clone", clone)):
        if (_action == "unapprove" and _stem in NO_UNAPPROVE) or \
                (_action == "clone" and _stem in OWN_CLONE):
            continue
        bp.add_url_rule(f"{_one}/{_action}.json", f"{_stem}_{_action}", _view,
                        methods=["POST"], defaults=_fixed)
