"""Static lists: the lead database's lists and their members, and the asset API's static
lists and folders (vendor-apis.md §1.10)."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc
from vendorsim.mocks.core.pipeline import drop_some

from . import http

bp = Blueprint("lists", __name__)
MEMBERS_EXAMPLE = {"input": [{"id": 1}, {"id": 2}]}


# -- the lead database ---------------------------------------------------------------------
@bp.get("/rest/v1/lists.json")
@doc(query=("id", "name", "programName", "workspaceName", "batchSize", "nextPageToken"))
def query() -> Response:
    """Get Lists, by id, name, program or workspace."""
    http.require("read")
    ids = set(http.int_values("id", low=0))
    found = http.params()
    batch = http.batch_size()
    offset = http.page_offset()
    result, more = http.instance().lists.query(
        ids, set(found.get("name", [])), set(found.get("programName", [])),
        set(found.get("workspaceName", [])), offset, batch)
    return http.page(result, more, offset, batch)


@bp.get("/rest/v1/lists/<int:list_id>.json")
@doc()
def by_id(list_id: int) -> Response:
    """Get List by Id."""
    http.require("read")
    return http.ok(http.instance().lists.described(list_id))


@bp.get("/rest/v1/lists/<int:list_id>/leads.json")
@bp.get("/rest/v1/list/<int:list_id>/leads.json", endpoint="members_legacy")
@doc(query=("fields", "batchSize", "nextPageToken", "_method"))
def members(list_id: int) -> Response:
    """Get Leads by List Id."""
    http.require("read")
    batch = http.batch_size()
    offset = http.page_offset()
    found, more = http.instance().lists.members_page(list_id, http.csv_param("fields"),
                                                     offset, batch)
    return http.page(found, more, offset, batch)


@bp.post("/rest/v1/lists/<int:list_id>/leads.json")
@doc(query=("id",), body="json", examples=[MEMBERS_EXAMPLE])
def add_members(list_id: int) -> Response:
    """Add to List (re-adding a member answers `added`)."""
    http.require("edit_person")
    ids = http.lead_ids(http.max_batch())
    return http.ok(http.instance().lists.add_members(list_id, ids, drop_some))


@bp.delete("/rest/v1/lists/<int:list_id>/leads.json")
@doc(query=("id", "_method"), body="json", examples=[MEMBERS_EXAMPLE])
def remove_members(list_id: int) -> Response:
    """Remove from List (1015 for a lead that is not on it)."""
    http.require("edit_person")
    ids = http.lead_ids(http.max_batch())
    return http.ok(http.instance().lists.remove_members(list_id, ids))


@bp.get("/rest/v1/lists/<int:list_id>/leads/ismember.json")
@doc(query=("id",))
def is_member(list_id: int) -> Response:
    """Member of List: whether each lead is on the list."""
    http.require("read")
    ids = http.lead_ids(http.max_batch())
    return http.ok(http.instance().lists.is_member(list_id, ids))


# -- the asset API -------------------------------------------------------------------------
@bp.get("/rest/asset/v1/staticLists.json")
@doc(query=("folder", "offset", "maxReturn", "earliestUpdatedAt", "latestUpdatedAt"))
def browse() -> Response:
    """Get Static Lists, in a folder or all, updated in a range when asked."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().lists.browse(
        http.param("folder"), offset, limit, http.param("earliestUpdatedAt"),
        http.param("latestUpdatedAt")))


@bp.post("/rest/asset/v1/staticLists.json")
@doc(query=("folder", "name", "description"), body="form")
def create() -> Response:
    """Create Static List (709 for a name already taken)."""
    http.require("edit_assets")
    http.form_only()
    return http.asset_ok(http.instance().lists.create(
        http.param("name") or "", http.param("folder"), http.param("description") or ""))


@bp.get("/rest/asset/v1/staticList/<int:list_id>.json")
@doc()
def asset(list_id: int) -> Response:
    """Get Static List by Id."""
    http.require("read")
    return http.assets(http.instance().lists.asset(list_id))


@bp.post("/rest/asset/v1/staticList/<int:list_id>.json")
@doc(query=("name", "description"), body="form")
def update(list_id: int) -> Response:
    """Update Static List Metadata."""
    http.require("edit_assets")
    http.form_only()
    return http.asset_ok(http.instance().lists.update(list_id, http.param("name"),
                                                      http.param("description")))


@bp.post("/rest/asset/v1/staticList/<int:list_id>/delete.json")
@doc()
def delete(list_id: int) -> Response:
    """Delete Static List (702 when there is none)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().lists.delete(list_id))


@bp.get("/rest/asset/v1/staticList/byName.json")
@doc(query=("name",))
def by_name() -> Response:
    """Get Static List by Name."""
    http.require("read")
    return http.assets(http.instance().lists.asset_by_name(http.required_param("name")))
