"""The rest of the Leads API: push to a program, submit a form, associate a cookie, merge,
memberships of one lead (lists, programs, smart campaigns) and the lead schema fields."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, Response, g, request

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.openapi import doc

from . import http
from .activities import FILL_OUT_FORM, MERGE_LEADS
from .errors import MarketoError
from .fields import FieldDef
from .object_routes import db, field_by_name, fields_page
from .program_routes import _set_status
from .routes import require

COOKIE = re.compile(r"id:\d{3}-[A-Z]{3}-\d{3}&token:_mch-[\w.-]+-\d+-\d+", re.I)
MAX_MERGE = 3  # a winner and up to three losers per call (chosen from the docs' example)


def register_lead_extra_routes(app: Flask) -> None:
    @app.post("/rest/v1/leads/push.json")
    @doc(body="json", examples=[{"programName": "Webinar 1", "lookupField": "email",
                                 "input": [{"email": "a@x.example"}]}])
    def push_leads() -> Response:
        """Sync leads and make them members of a program (status Member)."""
        require("edit_person")
        body = http.json_body()
        records = http.input_list(body, g.tenant.limiter.config.max_batch)
        name = http.body_text(body, "programName")
        lookup = body.get("lookupField") or "email"
        if not isinstance(lookup, str):
            raise MarketoError("1003", "Invalid data: lookupField is a string")
        database = db()
        with database.lock:
            program = next((p for p in database.programs.programs.values() if p.name == name),
                           None)
            if program is None:
                raise MarketoError("1013", f"Program '{name[:40]}' not found")
            results = database.sync(records, lookup_field=lookup, credential=g.credential)
            member_status = program.statuses[1][0] if len(program.statuses) > 1 else \
                program.statuses[0][0]
            for result in results:
                if "id" in result:
                    _set_status(database, program, result["id"], member_status)
        return http.ok(results)

    @app.post("/rest/v1/leads/submitForm.json")
    @doc(body="json", examples=[{"formId": 1001, "input": [{"leadFormFields": {
        "email": "a@x.example", "firstName": "A"}}]}])
    def submit_form() -> Response:
        """Fill out a form for leads: sync by email and log a Fill Out Form activity."""
        require("edit_person")
        body = http.json_body()
        records = http.input_list(body, 100)
        form_id = whole_number(body.get("formId"), 1)
        if form_id is None:
            raise MarketoError("701", what="formId")
        database = db()
        with database.lock:
            results = []
            for item in records:
                fields = item.get("leadFormFields") if isinstance(item, dict) else None
                if not isinstance(fields, dict) or not fields.get("email"):
                    results.append({"status": "skipped", "reasons": [
                        {"code": "1003", "message": "leadFormFields with an email is needed"}]})
                    continue
                result = database.sync([fields], credential=g.credential)[0]
                if "id" in result:
                    database.activities.add(result["id"], FILL_OUT_FORM,
                                            database.clock.now(), form_id, f"Form {form_id}",
                                            (("Form Fields", str(sorted(fields))[:255]),))
                results.append(result)
        return http.ok(results)

    @app.post("/rest/v1/leads/<int:lead_id>/associate.json")
    @doc(query=("cookie",))
    def associate_lead(lead_id: int) -> Response:
        """Associate a Munchkin cookie with a lead."""
        require("edit_person")
        cookie = http.required_param("cookie")
        if not COOKIE.fullmatch(cookie):
            raise MarketoError("1012", value=cookie[:60])
        database = db()
        with database.lock:
            lead = database.leads.get(lead_id)
            if lead is None:
                raise MarketoError("1004")
            lead.values["cookies"] = cookie
        return http.ok()

    @app.post("/rest/v1/leads/<int:lead_id>/merge.json")
    @doc(query=("leadId", "leadIds", "mergeInCRM"))
    def merge_leads(lead_id: int) -> Response:
        """Merge losing leads into a winner: the winner keeps its values, empty ones are
        filled from the losers, list and program memberships carry over, losers go."""
        require("edit_person")
        raw = http.csv_param("leadIds") or http.csv_param("leadId")
        if not raw:
            raise MarketoError("701", what="leadId")
        if len(raw) > MAX_MERGE:
            raise MarketoError("1003", f"At most {MAX_MERGE} losing leads per merge")
        losers = [whole_number(v, 1) for v in raw]
        if None in losers or lead_id in losers:
            raise MarketoError("1003", "leadIds are other leads' ids")
        database = db()
        with database.lock:
            winner = database.leads.get(lead_id)
            found = [database.leads.get(i) for i in losers]  # type: ignore[arg-type]
            if winner is None or None in found:
                raise MarketoError("1004")
            for loser in found:
                fill = {k: v for k, v in loser.values.items()  # type: ignore[union-attr]
                        if winner.values.get(k) in (None, "")}
                database._update(winner, fill)
                for lst in database.lists.lists.values():
                    if loser.id in lst.members:  # type: ignore[union-attr]
                        lst.members.setdefault(winner.id, lst.members[loser.id])  # type: ignore
                for members in database.programs.members.values():
                    if loser.id in members and winner.id not in members:  # type: ignore
                        members[winner.id] = members[loser.id]  # type: ignore[union-attr]
                        members[winner.id].lead_id = winner.id
            database.delete([lf.id for lf in found], g.credential)  # type: ignore[union-attr]
            database.activities.add(winner.id, MERGE_LEADS, database.clock.now(), winner.id,
                                    None, (("Merge IDs", ",".join(map(str, losers))),))
        return http.ok()

    for what in ("listMembership", "programMembership", "smartCampaignMembership"):
        app.add_url_rule(f"/rest/v1/leads/<int:lead_id>/{what}.json", endpoint=f"lead_{what}",
                         methods=["GET"], view_func=doc(query=("batchSize", "nextPageToken"))(
                             _membership_view(what)))
    _register_lead_schema(app)


def _membership_view(what: str) -> Callable[[int], Response]:
    def view(lead_id: int) -> Response:
        require("read")
        batch = http.int_param("batchSize", 300, high=300)
        offset = http.page_offset()
        database = db()
        with database.lock:
            if lead_id not in database.leads:
                raise MarketoError("1004")
            if what == "listMembership":
                found = [{"id": lst.id, "name": lst.name, "description": lst.description,
                          "createdAt": lst.render_lead_db()["createdAt"],
                          "updatedAt": lst.render_lead_db()["updatedAt"]}
                         for lst in database.lists.lists.values() if lead_id in lst.members]
            elif what == "programMembership":
                found = []
                for member in database.programs.of_lead(lead_id):
                    program = database.programs.programs[member.program_id]
                    found.append({"id": program.id, "name": program.name,
                                  "type": program.render()["type"],
                                  "channel": program.channel,
                                  "membership": {"progressionStatus": member.status,
                                                 "reachedSuccess": member.success,
                                                 "membershipDate":
                                                     member.get("membershipDate")}})
            else:
                found = [{"id": c["id"], "name": c["name"], "description": "",
                          "createdAt": c["createdAt"], "updatedAt": c["createdAt"]}
                         for c in database.programs.campaigns.values()
                         if lead_id in c["requested"]]
        page = found[offset:offset + batch]
        return http.ok(page, more=offset + batch < len(found), offset=offset + batch)
    view.__doc__ = f"The {what} of a lead."
    return view


def _register_lead_schema(app: Flask) -> None:
    @app.route("/rest/v1/leads/schema/fields.json", methods=["GET", "POST"])
    @doc(query=("batchSize", "nextPageToken"), body="json", examples=[{"input": [
        {"displayName": "Tier", "name": "tier", "dataType": "string"}]}])
    def lead_fields() -> Response:
        """The lead fields (GET) or create custom lead fields (POST)."""
        database = db()
        if request.method == "GET":
            with database.lock:
                fields = [f.describe2() for f in database.schema.fields.values()]
            return fields_page(fields)
        require("edit_assets")
        specs = http.input_list(http.json_body(), 100)
        results = []
        with database.lock:
            for seq, spec in enumerate(specs):
                try:
                    if not isinstance(spec, dict) or spec.get("name") in database.schema.fields:
                        raise ValueError("a new field {name, displayName, dataType} is needed")
                    database._add_field(FieldDef.from_dict(spec))
                    results.append({"seq": seq, "name": spec["name"], "status": "created"})
                except ValueError as exc:
                    results.append({"seq": seq, "status": "skipped", "reasons": [
                        {"code": "1003", "message": str(exc)[:200]}]})
        return http.ok(results)

    @app.route("/rest/v1/leads/schema/fields/<field_name>.json", methods=["GET", "POST"])
    @doc(body="json", examples=[{"input": {"displayName": "Customer tier"}}])
    def lead_field(field_name: str) -> Response:
        """One lead field (GET) or change a custom field's display name (POST)."""
        database = db()
        if request.method == "GET":
            with database.lock:
                fields = [f.describe2() for f in database.schema.fields.values()]
            return field_by_name(fields, field_name)
        require("edit_assets")
        change = http.json_body().get("input")
        if not isinstance(change, dict) or set(change) != {"displayName"} or \
                not isinstance(change["displayName"], str) or \
                not 0 < len(change["displayName"]) <= 255:
            raise MarketoError("1003", "input is {displayName}")
        with database.lock:
            current = next((f for f in database.schema.custom if f.name == field_name), None)
            if current is None:
                raise MarketoError("1006", field=field_name)
            spec = {**current.to_dict(), "displayName": change["displayName"]}
            database._add_field(FieldDef.from_dict(spec))
        return http.ok([{"seq": 0, "name": field_name, "status": "updated"}])
