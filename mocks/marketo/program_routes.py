"""Program members (status, data, query, delete, describe, schema fields), leads by program,
and the asset API's program and folder reads integrations use to find them."""

from __future__ import annotations

from flask import Flask, Response, g, request

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.openapi import doc

from . import http
from .activities import CHANGE_PROGRAM_STATUS
from .errors import NO_ASSETS_WARNING, MarketoError, RecordError
from .object_routes import db, field_by_name, fields_page
from .programs import MEMBER_FIELDS, Program
from .routes import require

MEMBER_DESCRIBE = {"name": "Program Member", "description": "Program member object",
                   "idField": "leadId", "dedupeFields": ["leadId", "programId"],
                   "searchableFields": [["leadId"], ["programId"], ["progressionStatus"]]}


def _member_fields() -> list[dict]:
    return [f.describe2() for f in MEMBER_FIELDS]


def _ids_in(records: list, key: str) -> list[int | None]:
    return [whole_number(r.get(key), 1) if isinstance(r, dict) else None for r in records]


def register_program_routes(app: Flask) -> None:
    @app.route("/rest/v1/programs/<int:program_id>/members.json", methods=["GET", "POST"])
    @doc(query=("filterType", "filterValues", "fields", "batchSize", "nextPageToken"),
         body="json", examples=[{"input": [{"leadId": 1, "registrationCode": "A1"}]}])
    def program_members(program_id: int) -> Response:
        """Query members of a program (GET) or write their program member fields (POST)."""
        database = db()
        if request.method == "POST":
            require("edit_person")
            records = http.input_list(http.json_body(), g.tenant.limiter.config.max_batch)
            with database.lock:
                members = database.programs.members.get(database.programs.get(program_id).id,
                                                        {})
                results = []
                for seq, (record, lead_id) in enumerate(zip(records, _ids_in(records,
                                                                             "leadId"),
                                                            strict=True)):
                    if lead_id not in members:
                        results.append({"seq": seq, "status": "skipped", "reasons": [
                            {"code": "1013", "message": "Program member not found"}]})
                        continue
                    try:
                        database.programs.set_values(members[lead_id], record)
                    except RecordError as exc:
                        results.append({"seq": seq, "status": "skipped",
                                        "reasons": [exc.reason]})
                        continue
                    results.append({"seq": seq, "leadId": lead_id, "programId": program_id,
                                    "status": "updated"})
                return http.ok(results)
        require("read")
        filter_type = http.required_param("filterType")
        known = {f.name for f in MEMBER_FIELDS}
        if filter_type not in known:
            raise MarketoError("1003", f"Invalid filterType '{filter_type[:40]}'")
        values = {v.lower() for v in http.csv_param("filterValues")}
        if not values:
            raise MarketoError("701", what="filterValues")
        fields = http.csv_param("fields") or ["leadId", "programId", "progressionStatus",
                                              "membershipDate", "reachedSuccess"]
        for name in fields:
            if name not in known:
                raise MarketoError("1006", field=name)
        batch = http.int_param("batchSize", 300, high=300)
        offset = http.page_offset()
        with database.lock:
            members = database.programs.members.get(database.programs.get(program_id).id, {})
            found = [m for m in members.values()
                     if str(m.get(filter_type)).lower() in values]
            page = [{"seq": offset + n, **{f: m.get(f) for f in fields}}
                    for n, m in enumerate(found[offset:offset + batch])]
        return http.ok(page, more=offset + batch < len(found), offset=offset + batch)

    @app.post("/rest/v1/programs/<int:program_id>/members/status.json")
    @doc(body="json", examples=[{"statusName": "Member", "input": [{"leadId": 1}]}])
    def program_member_status(program_id: int) -> Response:
        """Make leads members of a program at a status (or move them on)."""
        require("edit_person")
        body = http.json_body()
        records = http.input_list(body, g.tenant.limiter.config.max_batch)
        status = http.body_text(body, "statusName")
        database = db()
        with database.lock:
            program = database.programs.get(program_id)
            if program.status(status) is None:
                raise MarketoError("1003", f"Invalid statusName '{status[:40]}'")
            results = [{"seq": seq, **_set_status(database, program, lead_id, status)}
                       for seq, lead_id in enumerate(_ids_in(records, "leadId"))]
        return http.ok(results)

    @app.post("/rest/v1/programs/<int:program_id>/members/delete.json")
    @doc(body="json", examples=[{"input": [{"leadId": 1}]}])
    def delete_program_members(program_id: int) -> Response:
        """Take leads out of a program."""
        require("edit_person")
        records = http.input_list(http.json_body(), g.tenant.limiter.config.max_batch)
        database = db()
        with database.lock:
            members = database.programs.members.get(database.programs.get(program_id).id, {})
            results = []
            for seq, lead_id in enumerate(_ids_in(records, "leadId")):
                if lead_id not in members:
                    results.append({"seq": seq, "status": "skipped", "reasons": [
                        {"code": "1013", "message": "Program member not found"}]})
                    continue
                del members[lead_id]
                results.append({"seq": seq, "leadId": lead_id, "status": "deleted"})
        return http.ok(results)

    for rule, name in (("/rest/v1/programs/members/describe.json", "describe_members"),
                       ("/rest/v1/program/members/describe.json", "describe_members_old")):
        app.add_url_rule(rule, endpoint=name, methods=["GET"], view_func=doc()(_describe))
    app.add_url_rule("/rest/v1/programs/members/schema/fields.json",
                     endpoint="program_member_fields", methods=["GET", "POST"],
                     view_func=doc(query=("batchSize", "nextPageToken"), body="json")(
                         _member_schema_fields))
    app.add_url_rule("/rest/v1/programs/members/schema/fields/<field_name>.json",
                     endpoint="program_member_field", methods=["GET", "POST"],
                     view_func=doc(body="json")(_member_schema_field))

    @app.get("/rest/v1/leads/programs/<int:program_id>.json")
    @doc(query=("fields", "batchSize", "nextPageToken"))
    def leads_by_program(program_id: int) -> Response:
        """Leads that are members of a program, each with its membership."""
        require("read")
        batch = http.int_param("batchSize", 300, high=300)
        offset = http.page_offset()
        database = db()
        fields = database.check_fields(http.csv_param("fields"))
        with database.lock:
            members = list(database.programs.members.get(
                database.programs.get(program_id).id, {}).values())
            page = []
            for member in members[offset:offset + batch]:
                lead = database.leads.get(member.lead_id)
                if lead is not None:
                    page.append({**lead.render(fields), "membership": {
                        "progressionStatus": member.status,
                        "acquiredBy": member.acquired_by, "reachedSuccess": member.success,
                        "membershipDate": member.get("membershipDate"),
                        "updatedAt": member.get("updatedAt")}})
        return http.ok(page, more=offset + batch < len(members), offset=offset + batch)

    @app.post("/rest/v1/leads/programs/<int:program_id>/status.json")
    @doc(body="json", examples=[{"status": "Member", "input": [{"id": 1}]}])
    def change_lead_program_status(program_id: int) -> Response:
        """Change the program status of leads (the older form of member status)."""
        require("edit_person")
        body = http.json_body()
        records = http.input_list(body, g.tenant.limiter.config.max_batch)
        status = http.body_text(body, "status")
        database = db()
        with database.lock:
            program = database.programs.get(program_id)
            results = []
            for lead_id in _ids_in(records, "id"):
                outcome = _set_status(database, program, lead_id, status)
                outcome["id"] = outcome.pop("leadId", lead_id)
                results.append(outcome)
        return http.ok(results)


def _set_status(database: object, program: Program, lead_id: int | None,
                status: str) -> dict:
    if lead_id is None or lead_id not in database.leads:  # type: ignore[attr-defined]
        return {"status": "skipped", "reasons": [{"code": "1004", "message": "Lead not found"}]}
    now = database.clock.now()  # type: ignore[attr-defined]
    try:
        outcome, old = database.programs.set_status(program, lead_id,  # type: ignore
                                                    status, now)
    except RecordError as exc:
        return {"leadId": lead_id, "status": "skipped", "reasons": [exc.reason]}
    if old != program.status(status)[0]:  # type: ignore[index]
        database.activities.add(lead_id, CHANGE_PROGRAM_STATUS, now,  # type: ignore
                                program.id, program.name,
                                (("New Status", status), ("Old Status", old)))
    return {"leadId": lead_id, "status": outcome}


def _describe() -> Response:
    require("read")
    return http.ok([{**MEMBER_DESCRIBE, "fields": _member_fields()}])


def _member_schema_fields() -> Response:
    if request.method == "POST":
        require("edit_assets")
        raise MarketoError("709", "Program member custom fields are created in the "
                                  "Marketo admin (not served by the mock)")
    return fields_page(_member_fields())


def _member_schema_field(field_name: str) -> Response:
    if request.method == "POST":
        require("edit_assets")
        raise MarketoError("709", "Program member fields cannot be changed through the mock")
    return field_by_name(_member_fields(), field_name)


def register_program_asset_routes(app: Flask) -> None:
    @app.get("/rest/asset/v1/programs.json")
    @doc(query=("maxReturn", "offset", "filterType", "filterValues"))
    def browse_programs() -> Response:
        """Browse programs (asset API)."""
        require("read")
        offset = http.int_param("offset", 0, low=0)
        limit = http.int_param("maxReturn", 20, high=200)
        database = db()
        with database.lock:
            found = [p.render() for p in database.programs.programs.values()]
        page = found[offset:offset + limit]
        return http.asset_ok(page) if page else http.asset_ok(None, [NO_ASSETS_WARNING])

    @app.get("/rest/asset/v1/program/<int:program_id>.json")
    @doc()
    def program_by_id(program_id: int) -> Response:
        """A program by id (asset API)."""
        require("read")
        database = db()
        with database.lock:
            program = database.programs.programs.get(program_id)
            return (http.asset_ok([program.render()]) if program
                    else http.asset_ok(None, [NO_ASSETS_WARNING]))

    @app.get("/rest/asset/v1/program/byName.json")
    @doc(query=("name",))
    def program_by_name() -> Response:
        """A program by name (asset API)."""
        require("read")
        name = http.required_param("name")
        database = db()
        with database.lock:
            found = [p.render() for p in database.programs.programs.values() if p.name == name]
        return http.asset_ok(found) if found else http.asset_ok(None, [NO_ASSETS_WARNING])

    @app.get("/rest/asset/v1/folders.json")
    @doc(query=("root", "maxDepth", "maxReturn", "offset", "workSpace"))
    def browse_folders() -> Response:
        """Browse folders (asset API): list folders, and programs as folders of type
        Program."""
        require("read")
        offset = http.int_param("offset", 0, low=0)
        limit = http.int_param("maxReturn", 20, high=200)
        workspace = http.param("workSpace")
        database = db()
        with database.lock:
            found = [f.render() for f in database.lists.folders.values()
                     if not workspace or f.workspace == workspace]
            found += [{"id": p.id, "name": p.name, "folderType": "Program",
                       "path": f"/Marketing Activities/{p.name}", "workspace": p.workspace,
                       "folderId": {"id": p.id, "type": "Program"}, "isArchive": False,
                       "isSystem": False} for p in database.programs.programs.values()
                      if not workspace or p.workspace == workspace]
        page = found[offset:offset + limit]
        return http.asset_ok(page) if page else http.asset_ok(None, [NO_ASSETS_WARNING])

    @app.get("/rest/asset/v1/smartLists.json")
    @doc(query=("folder", "offset", "maxReturn", "earliestUpdatedAt", "latestUpdatedAt"))
    def browse_smart_lists() -> Response:
        """Browse smart lists (asset API): the mock keeps none, so the answer is Marketo's
        'no assets' warning."""
        require("read")
        http.int_param("offset", 0, low=0)
        http.int_param("maxReturn", 20, high=200)
        return http.asset_ok(None, [NO_ASSETS_WARNING])
