"""Programs: members (status, data, query, delete, describe, schema fields), leads by
program, and the asset API's programs (browse, by id, name and tag, create, update, clone,
delete, approve email programs, their smart lists)."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from ..model.errors import MarketoError
from ..model.program_records import MEMBER_DESCRIBE, ids_in, member_fields
from . import http

bp = Blueprint("programs", __name__)


@bp.get("/rest/v1/programs/<int:program_id>/members.json")
@doc(query=("filterType", "filterValues", "fields", "batchSize", "nextPageToken"))
def members(program_id: int) -> Response:
    """Get Program Members by a member field."""
    http.require("read")
    filter_type = http.required_param("filterType")
    values = http.csv_param("filterValues")
    fields = http.csv_param("fields")
    batch = http.batch_size()
    offset = http.page_offset()
    found, more = http.instance().programs.query_members(program_id, filter_type, values,
                                                         fields, offset, batch)
    return http.page(found, more, offset, batch)


@bp.post("/rest/v1/programs/<int:program_id>/members.json")
@doc(body="json", examples=[{"input": [{"leadId": 1, "registrationCode": "A1"}]}])
def write_members(program_id: int) -> Response:
    """Sync Program Member Data: the writable member fields."""
    http.require("edit_person")
    records = http.input_list(http.json_body(), http.max_batch())
    return http.ok(http.instance().programs.write_members(program_id, records))


@bp.post("/rest/v1/programs/<int:program_id>/members/status.json")
@doc(body="json", examples=[{"statusName": "Member", "input": [{"leadId": 1}]}])
def member_status(program_id: int) -> Response:
    """Make leads members of a program at a status (or move them on)."""
    http.require("edit_person")
    body = http.json_body()
    records = http.input_list(body, http.max_batch())
    status = http.body_text(body, "statusName")
    return http.ok(http.instance().programs.change_status(program_id, status,
                                                          ids_in(records, "leadId")))


@bp.post("/rest/v1/programs/<int:program_id>/members/delete.json")
@doc(body="json", examples=[{"input": [{"leadId": 1}]}])
def delete_members(program_id: int) -> Response:
    """Take leads out of a program."""
    http.require("edit_person")
    records = http.input_list(http.json_body(), http.max_batch())
    return http.ok(http.instance().programs.delete_members(program_id,
                                                           ids_in(records, "leadId")))


@bp.get("/rest/v1/programs/members/describe.json")
@bp.get("/rest/v1/program/members/describe.json", endpoint="describe_members_old")
@doc()
def describe_members() -> Response:
    """Describe Program Member."""
    http.require("read")
    return http.ok([{**MEMBER_DESCRIBE, "fields": member_fields()}])


@bp.get("/rest/v1/programs/members/schema/fields.json")
@doc(query=("batchSize", "nextPageToken"))
def member_schema_fields() -> Response:
    """The program member fields."""
    http.require("read")
    return http.fields_page(member_fields())


@bp.post("/rest/v1/programs/members/schema/fields.json")
@doc(body="json")
def create_member_fields() -> Response:
    """Program member custom fields are made in the Marketo admin, not through the API."""
    http.require("edit_assets")
    raise MarketoError("709", "Program member custom fields are created in the Marketo admin "
                              "(not served by the mock)")


@bp.get("/rest/v1/programs/members/schema/fields/<field_name>.json")
@doc()
def member_schema_field(field_name: str) -> Response:
    """One program member field by its API name."""
    http.require("read")
    return http.field_named(member_fields(), field_name)


@bp.post("/rest/v1/programs/members/schema/fields/<field_name>.json")
@doc(body="json")
def update_member_field(field_name: str) -> Response:
    """Program member fields are changed in the Marketo admin, not through the API."""
    http.require("edit_assets")
    raise MarketoError("709", "Program member fields cannot be changed through the mock")


@bp.get("/rest/v1/leads/programs/<int:program_id>.json")
@doc(query=("fields", "batchSize", "nextPageToken"))
def leads_by_program(program_id: int) -> Response:
    """Leads that are members of a program, each with its membership."""
    http.require("read")
    batch = http.batch_size()
    offset = http.page_offset()
    found, more = http.instance().programs.leads_page(program_id, http.csv_param("fields"),
                                                      offset, batch)
    return http.page(found, more, offset, batch)


@bp.post("/rest/v1/leads/programs/<int:program_id>/status.json")
@doc(body="json", examples=[{"status": "Member", "input": [{"id": 1}]}])
def lead_program_status(program_id: int) -> Response:
    """Change the program status of leads (the older form of member status)."""
    http.require("edit_person")
    body = http.json_body()
    records = http.input_list(body, http.max_batch())
    status = http.body_text(body, "status")
    return http.ok(http.instance().programs.change_lead_status(program_id, status,
                                                               ids_in(records, "id")))


# -- the asset API -------------------------------------------------------------------------
ONE = "/rest/asset/v1/program/<int:program_id>"


@bp.get("/rest/asset/v1/programs.json")
@doc(query=("maxReturn", "offset", "filterType", "filterValues", "earliestUpdatedAt",
            "latestUpdatedAt"))
def browse() -> Response:
    """Get Programs (asset API), filtered by filterType/filterValues and update dates."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.programs.browse(
        offset, limit, http.param("filterType") or None, tuple(http.csv_param("filterValues")),
        http.param("earliestUpdatedAt"), http.param("latestUpdatedAt")))


@bp.get(f"{ONE}.json")
@doc()
def by_id(program_id: int) -> Response:
    """A program by id, with its tags and costs."""
    http.require("read")
    return http.assets(http.instance().assets.programs.by_id(program_id))


@bp.get("/rest/asset/v1/program/byName.json")
@doc(query=("name", "includeTags", "includeCosts"))
def by_name() -> Response:
    """A program by name (tags and costs when asked)."""
    http.require("read")
    return http.assets(http.instance().assets.programs.by_name(
        http.required_param("name"), http.param("includeTags"), http.param("includeCosts")))


@bp.get("/rest/asset/v1/program/byTag.json")
@doc(query=("tagType", "tagValue", "offset", "maxReturn"))
def by_tag() -> Response:
    """Programs with a tag of that type and value."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.programs.by_tag(
        http.required_param("tagType"), http.required_param("tagValue"), offset, limit))


@bp.get("/rest/asset/v1/program/<int:program_id>/smartList.json")
@doc(query=("includeRules",))
def smart_list(program_id: int) -> Response:
    """An email program's smart list."""
    http.require("read")
    return http.assets(http.instance().assets.programs.smart_list(
        program_id, http.param("includeRules")))


@bp.post("/rest/asset/v1/programs.json")
@doc(body="form", examples=[{"name": "Webinar", "folder": '{"id":15,"type":"Folder"}',
                             "type": "Default", "channel": "Content"}])
def create() -> Response:
    """Create a program on a channel of its type."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.programs.create(http.asset_form()))


@bp.post(f"{ONE}.json")
@doc(body="form", examples=[{"description": "d", "costs": '[{"startDate":"2026-01-01",'
                                                          '"cost":100}]'}])
def update(program_id: int) -> Response:
    """Update a program's name, description, tags, costs (and an email program's dates)."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.programs.update(program_id, http.asset_form()))


@bp.post(f"{ONE}/clone.json")
@doc(body="form", examples=[{"name": "Copy", "folder": '{"id":15,"type":"Folder"}'}])
def clone(program_id: int) -> Response:
    """Clone a program with what it holds."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.programs.clone(program_id, http.asset_form()))


@bp.post(f"{ONE}/delete.json")
@doc()
def delete(program_id: int) -> Response:
    """Delete a program with what it holds."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.programs.delete(program_id))


@doc()
def approval(program_id: int, approve: bool) -> Response:
    """Approve or unapprove an email program."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.programs.approve(program_id, approve))


bp.add_url_rule(f"{ONE}/approve.json", "approve", approval, methods=["POST"],
                defaults={"approve": True})
bp.add_url_rule(f"{ONE}/unapprove.json", "unapprove", approval, methods=["POST"],
                defaults={"approve": False})
