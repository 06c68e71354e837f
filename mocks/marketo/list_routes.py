"""Static-list routes: lead-database lists and membership, and the asset API's lists/folders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, Response, g, request

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.openapi import doc
from vendorsim.mocks.core.pipeline import drop_some

from . import http
from .activities import ADD_TO_LIST, REMOVE_FROM_LIST
from .errors import NO_ASSETS_WARNING, MarketoError
from .routes import require

if TYPE_CHECKING:
    from .models import LeadDatabase
    from .service import MarketoService

ASSET_PAGE_DEFAULT = 20
ASSET_PAGE_MAX = 200


def register_list_routes(app: Flask, service: MarketoService) -> None:
    def db() -> LeadDatabase:
        return g.tenant.backend

    def max_batch() -> int:
        return g.tenant.limiter.config.max_batch

    # -- lead database -------------------------------------------------------------
    @app.get("/rest/v1/lists.json")
    @doc(query=("id", "name", "programName", "workspaceName", "batchSize", "nextPageToken"))
    def lists() -> Response:
        require("read")
        database = db()
        ids = {_as_int(v, "id") for v in http.csv_param("id")}
        names = set(http.params().get("name", []))
        programs = set(http.params().get("programName", []))
        workspaces = set(http.params().get("workspaceName", []))
        batch = http.int_param("batchSize", 300, high=300)
        offset = http.page_offset()
        with database.lock:
            found = [lst for lst in database.lists.lists.values()
                     if (not ids or lst.id in ids) and (not names or lst.name in names)
                     and (not workspaces or lst.folder.workspace in workspaces)
                     and (not programs or (lst.folder.folder_type == "Program"
                                           and lst.folder.name in programs))]
            page = [lst.render_lead_db() for lst in found[offset:offset + batch]]
        return http.ok(page, more=offset + batch < len(found), offset=offset + batch)

    @app.get("/rest/v1/lists/<int:list_id>.json")
    @doc(query=())
    def list_by_id(list_id: int) -> Response:
        require("read")
        database = db()
        with database.lock:
            return http.ok([database.lists.get(list_id).render_lead_db()])

    @app.route("/rest/v1/lists/<int:list_id>/leads.json", methods=["GET", "POST", "DELETE"])
    @doc(query=("id", "fields", "batchSize", "nextPageToken", "_method"), body="json",
         examples=[{"input": [{"id": 1}, {"id": 2}]}])
    def list_members(list_id: int) -> Response:
        database = db()
        if request.method == "GET":
            return _members_page(database, list_id)
        require("edit_person")
        ids = http.lead_ids(max_batch())
        with database.lock:
            lst = database.lists.get(list_id)
            if request.method == "POST":
                fresh = {i for i in ids if i not in lst.members}
                result = database.lists.add_members(lst, ids, database.leads)
                added = [r["id"] for r in result if r["status"] == "added" and r["id"] in fresh]
                kept, _ = drop_some(added)  # a `drop` fault: answered "added", then lost
                for lead_id in set(added) - set(kept):
                    del lst.members[lead_id]
                _log_members(database, lst.id, kept, ADD_TO_LIST)
                return http.ok(result)
            result = database.lists.remove_members(lst, ids, database.leads)
            _log_members(database, lst.id, [r["id"] for r in result if r["status"] == "removed"],
                         REMOVE_FROM_LIST)
            return http.ok(result)

    @app.get("/rest/v1/list/<int:list_id>/leads.json")
    @doc(query=("fields", "batchSize", "nextPageToken"))
    def list_members_legacy(list_id: int) -> Response:
        return _members_page(db(), list_id)

    @app.get("/rest/v1/lists/<int:list_id>/leads/ismember.json")
    @doc(query=("id",))
    def is_member(list_id: int) -> Response:
        require("read")
        database = db()
        ids = http.lead_ids(max_batch())
        with database.lock:
            lst = database.lists.get(list_id)
            result = []
            for lead_id in ids:
                if lead_id not in database.leads:
                    result.append({"id": lead_id, "status": "skipped",
                                   "reasons": [{"code": "1004", "message": "Lead not found"}]})
                else:
                    status = "memberof" if lead_id in lst.members else "notmemberof"
                    result.append({"id": lead_id, "status": status})
        return http.ok(result)

    # -- asset API -----------------------------------------------------------------
    @app.route("/rest/asset/v1/staticLists.json", methods=["GET", "POST"])
    @doc(query=("folder", "offset", "maxReturn", "name", "description"), body="form")
    def static_lists() -> Response:
        database = db()
        if request.method == "GET":
            require("read")
            offset = http.int_param("offset", 0, low=0)
            limit = http.int_param("maxReturn", ASSET_PAGE_DEFAULT, high=ASSET_PAGE_MAX)
            folder_param = http.param("folder")
            with database.lock:
                found = list(database.lists.lists.values())
                if folder_param:
                    folder = database.lists.resolve_folder(folder_param)
                    found = [lst for lst in found if lst.folder.id == folder.id]
                page = [lst.render_asset() for lst in found[offset:offset + limit]]
            return http.asset_ok(page) if page else http.asset_ok(None, [NO_ASSETS_WARNING])
        require("edit_assets")
        _form_only()
        with database.lock:
            folder = database.lists.resolve_folder(http.param("folder"))
            lst = database.lists.create(http.param("name") or "", folder,
                                        http.param("description") or "")
            return http.asset_ok([lst.render_asset()])

    @app.route("/rest/asset/v1/staticList/<int:list_id>.json", methods=["GET", "POST"])
    @doc(query=("name", "description"), body="form")
    def static_list(list_id: int) -> Response:
        database = db()
        with database.lock:
            if request.method == "GET":
                require("read")
                lst = database.lists.lists.get(list_id)
                return (http.asset_ok([lst.render_asset()]) if lst
                        else http.asset_ok(None, [NO_ASSETS_WARNING]))
            require("edit_assets")
            _form_only()
            lst = database.lists.update(list_id, http.param("name"), http.param("description"))
            return http.asset_ok([lst.render_asset()])

    @app.post("/rest/asset/v1/staticList/<int:list_id>/delete.json")
    @doc(query=())
    def delete_static_list(list_id: int) -> Response:
        require("edit_assets")
        database = db()
        with database.lock:
            if list_id not in database.lists.lists:
                raise MarketoError("702", f"Static List '{list_id}' not found")
            database.lists.delete(list_id)
        return http.asset_ok([{"id": list_id}])

    @app.get("/rest/asset/v1/staticList/byName.json")
    @doc(query=("name",))
    def static_list_by_name() -> Response:
        require("read")
        name = http.required_param("name")
        database = db()
        with database.lock:
            lst = database.lists.by_name(name)
            if lst is None or lst.name != name:
                return http.asset_ok(None, [NO_ASSETS_WARNING])
            return http.asset_ok([lst.render_asset()])

    @app.get("/rest/asset/v1/folder/byName.json")
    @doc(query=("name", "workSpace"))
    def folder_by_name() -> Response:
        require("read")
        name = http.required_param("name")
        database = db()
        with database.lock:
            found = database.lists.folder_by_name(name, http.param("workSpace"))
            if not found:
                return http.asset_ok(None, [NO_ASSETS_WARNING])
            return http.asset_ok([f.render() for f in found])

    @app.get("/rest/asset/v1/folder/<int:folder_id>.json")
    @doc(query=())
    def folder_by_id(folder_id: int) -> Response:
        require("read")
        database = db()
        with database.lock:
            folder = database.lists.folders.get(folder_id)
            if folder is None:
                return http.asset_ok(None, [NO_ASSETS_WARNING])
            return http.asset_ok([folder.render()])


def _members_page(database: LeadDatabase, list_id: int) -> Response:
    require("read")
    batch = http.int_param("batchSize", 300, high=300)
    offset = http.page_offset()
    fields = database.check_fields(http.csv_param("fields"))
    with database.lock:
        lst = database.lists.get(list_id)
        ids = list(lst.members)
        page = [database.leads[i].render(fields) for i in ids[offset:offset + batch]
                if i in database.leads]
    return http.ok(page, more=offset + batch < len(ids), offset=offset + batch)


_LIST_SOURCE = (("Source", "API"),)


def _log_members(database: LeadDatabase, list_id: int, lead_ids: list[int],
                 type_id: int) -> None:
    """Add to List / Remove from List activities, one per lead whose membership changed."""
    now, add = database.clock.now(), database.activities.add
    for lead_id in lead_ids:
        add(lead_id, type_id, now, list_id, None, _LIST_SOURCE)


def _form_only() -> None:
    """The asset API takes form bodies (or the query string); JSON bodies get 612."""
    if request.get_data(cache=True) and request.mimetype != "application/x-www-form-urlencoded":
        raise MarketoError("612")


def _as_int(value: str, name: str) -> int:
    number = whole_number(value)
    if number is None:
        raise MarketoError("1003", f"Invalid value '{value[:40]}' for parameter '{name}'")
    return number
