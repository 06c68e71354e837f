"""The Leads API: sync, read, delete, describe, partitions, push to a program, form fills,
cookies, merges and a lead's memberships."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.openapi import doc

from ..model.errors import MarketoError
from ..model.instance import MEMBERSHIPS, merge_ids
from . import http

bp = Blueprint("leads", __name__)
SYNC_EXAMPLES = [
    {"action": "createOrUpdate", "lookupField": "email", "partitionName": "Default",
     "input": [{"email": "a@x.example", "firstName": "A", "numberOfEmployees": 5}]},
    {"action": "updateOnly", "lookupField": "id", "input": [{"id": 1, "title": "T"}]}]
MAX_FORM_RECORDS = 100


@bp.get("/rest/v1/leads.json")
@doc(query=("filterType", "filterValues", "fields", "batchSize", "nextPageToken", "_method",
            "access_token"))
def query() -> Response:
    """Get Leads by Filter Type."""
    http.require("read")
    limit = http.max_batch()
    filter_type = http.required_param("filterType")
    values = http.filter_values(limit)
    batch = http.int_param("batchSize", limit, high=limit)
    offset = http.page_offset()
    found, more = http.instance().leads.query_page(filter_type, values,
                                                   http.csv_param("fields"), offset, batch)
    return http.page(found, more, offset, batch)


@bp.post("/rest/v1/leads.json")
@doc(query=("access_token",), body="json", examples=SYNC_EXAMPLES)
def sync() -> Response:
    """Sync Leads: create or update up to 300 leads."""
    http.require("edit_person")
    body = http.json_body()
    records = http.input_list(body, http.max_batch())
    action = body.get("action") or "createOrUpdate"
    lookup = body.get("lookupField") or "email"
    partition = body.get("partitionName")
    if not isinstance(action, str) or not isinstance(lookup, str):
        raise MarketoError("1003", "Invalid data: action and lookupField are strings")
    if partition is not None and not isinstance(partition, str):
        raise MarketoError("1003", "Invalid data: partitionName is a string")
    result = http.instance().leads.sync(
        records, action=action, lookup_field=lookup,
        partition_name=partition if action != "updateOnly" else None,
        credential=http.credential())
    return http.ok() if body.get("asyncProcessing") is True else http.ok(result)


@bp.route("/rest/v1/leads.json", methods=["DELETE"], endpoint="delete_by_query")
@bp.post("/rest/v1/leads/delete.json")
@doc(query=("id", "access_token"), body="json", examples=[{"input": [{"id": 1}]}])
def delete() -> Response:
    """Delete Leads (each also leaves every list and program)."""
    http.require("edit_person")
    ids = http.lead_ids(http.max_batch())
    return http.ok(http.instance().delete_leads(ids, http.credential()))


@bp.get("/rest/v1/lead/<int:lead_id>.json")
@doc(query=("fields", "access_token"))
def by_id(lead_id: int) -> Response:
    """Get Lead by Id."""
    http.require("read")
    return http.ok(http.instance().leads.rendered([lead_id], http.csv_param("fields")))


@bp.get("/rest/v1/leads/describe.json")
@doc(query=("access_token",))
def describe() -> Response:
    """Describe Lead: every field of the lead schema."""
    http.require("read")
    return http.ok(http.instance().leads.describe())


@bp.get("/rest/v1/leads/describe2.json")
@doc(query=("access_token",))
def describe2() -> Response:
    """Describe Lead2: the fields with their searchable keys."""
    http.require("read")
    return http.ok(http.instance().leads.describe2())


@bp.get("/rest/v1/leads/partitions.json")
@doc(query=("access_token",))
def partitions() -> Response:
    """Get Lead Partitions."""
    http.require("read")
    return http.ok(http.instance().leads.list_partitions())


@bp.post("/rest/v1/leads/partitions.json")
@doc(query=("access_token",), body="json",
     examples=[{"input": [{"id": 1, "partitionName": "Default"}]}])
def move() -> Response:
    """Update Lead Partition."""
    http.require("edit_person")
    moves = http.input_list(http.json_body(), http.max_batch())
    return http.ok(http.instance().leads.move(moves, http.credential()))


@bp.post("/rest/v1/leads/push.json")
@doc(body="json", examples=[{"programName": "Webinar 1", "lookupField": "email",
                             "input": [{"email": "a@x.example"}]}])
def push() -> Response:
    """Push Lead to Marketo: sync leads and make them members of a program."""
    http.require("edit_person")
    body = http.json_body()
    records = http.input_list(body, http.max_batch())
    name = http.body_text(body, "programName")
    lookup = body.get("lookupField") or "email"
    if not isinstance(lookup, str):
        raise MarketoError("1003", "Invalid data: lookupField is a string")
    return http.ok(http.instance().push(name, records, lookup, http.credential()))


@bp.post("/rest/v1/leads/submitForm.json")
@doc(body="json", examples=[{"formId": 1001, "input": [{"leadFormFields": {
    "email": "a@x.example", "firstName": "A"}}]}])
def submit_form() -> Response:
    """Submit Form: sync leads by email and log a Fill Out Form activity."""
    http.require("edit_person")
    body = http.json_body()
    records = http.input_list(body, MAX_FORM_RECORDS)
    form_id = whole_number(body.get("formId"), 1)
    if form_id is None:
        raise MarketoError("701", what="formId")
    return http.ok(http.instance().submit_form(form_id, records, http.credential()))


@bp.post("/rest/v1/leads/<int:lead_id>/associate.json")
@doc(query=("cookie",))
def associate(lead_id: int) -> Response:
    """Associate Lead: a Munchkin cookie with a lead."""
    http.require("edit_person")
    http.instance().associate(lead_id, http.required_param("cookie"))
    return http.ok()


@bp.post("/rest/v1/leads/<int:lead_id>/merge.json")
@doc(query=("leadId", "leadIds", "mergeInCRM"))
def merge(lead_id: int) -> Response:
    """Merge Leads: losing leads into a winner."""
    http.require("edit_person")
    raw = http.csv_param("leadIds") or http.csv_param("leadId")
    if not raw:
        raise MarketoError("701", what="leadId")
    http.instance().merge(lead_id, merge_ids(raw, lead_id), http.credential())
    return http.ok()


@doc(query=("batchSize", "nextPageToken"))
def memberships(lead_id: int, what: str) -> Response:
    """The static lists, programs or smart campaigns of a lead."""
    http.require("read")
    batch = http.batch_size()
    offset = http.page_offset()
    found, more = http.instance().memberships(lead_id, what, offset, batch)
    return http.page(found, more, offset, batch)


for _what in MEMBERSHIPS:
    bp.add_url_rule(f"/rest/v1/leads/<int:lead_id>/{_what}.json", f"memberships_{_what}",
                    memberships, methods=["GET"], defaults={"what": _what})


@bp.get("/rest/v1/leads/schema/fields.json")
@doc(query=("batchSize", "nextPageToken"))
def fields() -> Response:
    """The lead fields."""
    http.require("read")
    return http.fields_page(http.instance().leads.field_list())


@bp.post("/rest/v1/leads/schema/fields.json")
@doc(body="json", examples=[{"input": [
    {"displayName": "Tier", "name": "tier", "dataType": "string"}]}])
def create_fields() -> Response:
    """Create custom lead fields."""
    http.require("edit_assets")
    specs = http.input_list(http.json_body(), MAX_FORM_RECORDS)
    return http.ok(http.instance().leads.create_fields(specs))


@bp.get("/rest/v1/leads/schema/fields/<field_name>.json")
@doc()
def field(field_name: str) -> Response:
    """One lead field by its API name."""
    http.require("read")
    return http.field_named(http.instance().leads.field_list(), field_name)


@bp.post("/rest/v1/leads/schema/fields/<field_name>.json")
@doc(body="json", examples=[{"input": {"displayName": "Customer tier"}}])
def rename_field(field_name: str) -> Response:
    """Change a custom field's display name."""
    http.require("edit_assets")
    change = http.json_body().get("input")
    if not isinstance(change, dict) or set(change) != {"displayName"} or \
            not isinstance(change["displayName"], str) or \
            not 0 < len(change["displayName"]) <= 255:
        raise MarketoError("1003", "input is {displayName}")
    return http.ok(http.instance().leads.rename_field(field_name, change["displayName"]))
