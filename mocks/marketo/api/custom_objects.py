"""Custom objects: the type schema (draft, approve, fields) and the records of approved
types, which take the same calls as the other objects."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("custom_objects", __name__)
TYPE_EXAMPLE = {"action": "createOrUpdate", "apiName": "car_c", "displayName": "Car",
                "pluralName": "Cars", "description": "Cars people own"}
FIELD_EXAMPLE = {"input": [{"name": "vin", "displayName": "VIN", "dataType": "string",
                            "isDedupe": True}]}
MAX_FIELDS = 100
TYPE_VERBS = ("approve", "discardDraft", "delete")


@bp.get("/rest/v1/customobjects.json")
@doc(query=("names",))
def listed() -> Response:
    """List Custom Objects: the approved types."""
    http.require("read")
    return http.ok(http.instance().custom.approved_types(set(http.csv_param("names"))))


@bp.get("/rest/v1/customobjects/<api_name>.json")
@doc(query=("filterType", "filterValues", "fields", "batchSize", "nextPageToken", "_method"))
def query(api_name: str) -> Response:
    """Query records of a custom object."""
    store = http.instance().custom.store(api_name)
    http.require("read")
    filter_type, values, fields, offset, batch = http.object_query()
    found, more = store.query_page(filter_type, values, fields, offset, batch)
    return http.page(found, more, offset, batch)


@bp.post("/rest/v1/customobjects/<api_name>.json")
@doc(body="json", examples=[{"action": "createOrUpdate", "input": [{"vin": "1HGCM82633A004352"}]}])
def sync(api_name: str) -> Response:
    """Sync records of a custom object."""
    store = http.instance().custom.store(api_name)
    http.require("edit_person")
    records, action, dedupe_by = http.object_sync()
    return http.ok(store.sync(records, action, dedupe_by))


@bp.post("/rest/v1/customobjects/<api_name>/delete.json")
@doc(body="json", examples=[{"deleteBy": "dedupeFields", "input": [{"vin": "x"}]}])
def delete(api_name: str) -> Response:
    """Delete records of a custom object."""
    store = http.instance().custom.store(api_name)
    http.require("edit_person")
    records, delete_by = http.object_delete()
    return http.ok(store.delete(records, delete_by))


@bp.get("/rest/v1/customobjects/<api_name>/describe.json")
@doc()
def describe(api_name: str) -> Response:
    """Describe an approved custom object."""
    store = http.instance().custom.store(api_name)
    http.require("read")
    return http.ok(store.described())


# -- the type schema -----------------------------------------------------------------------
@bp.get("/rest/v1/customobjects/schema.json")
@doc(query=("names", "state"))
def types() -> Response:
    """List Custom Object Types, drafts or approved."""
    http.require("read")
    return http.ok(http.instance().custom.listed_types(set(http.csv_param("names")),
                                                       http.param("state") or "approved"))


@bp.post("/rest/v1/customobjects/schema.json")
@doc(body="json", examples=[TYPE_EXAMPLE])
def sync_type() -> Response:
    """Create or update a custom object type (a draft)."""
    http.require("edit_assets")
    return http.ok([{"seq": 0, **http.instance().custom.sync_type(http.json_body())}])


@bp.get("/rest/v1/customobjects/schema/<api_name>/describe.json")
@doc(query=("state",))
def describe_type(api_name: str) -> Response:
    """Describe a custom object type, its draft or its approved version."""
    http.require("read")
    return http.ok(http.instance().custom.describe_type(api_name,
                                                        http.param("state") == "draft"))


@doc()
def type_action(api_name: str, verb: str) -> Response:
    """Approve, discard the draft of, or delete a custom object type."""
    http.require("edit_assets")
    return http.ok([{"seq": 0, **http.instance().custom.type_action(api_name, verb)}])


for _verb in TYPE_VERBS:
    bp.add_url_rule(f"/rest/v1/customobjects/schema/<api_name>/{_verb}.json",
                    f"type_{_verb}", type_action, methods=["POST"], defaults={"verb": _verb})


@bp.post("/rest/v1/customobjects/schema/<api_name>/addField.json")
@doc(body="json", examples=[FIELD_EXAMPLE])
def add_fields(api_name: str) -> Response:
    """Add fields to the draft of a custom object type."""
    http.require("edit_assets")
    specs = http.input_list(http.json_body(), MAX_FIELDS)
    return http.ok(http.instance().custom.add_fields(api_name, specs))


@bp.post("/rest/v1/customobjects/schema/<api_name>/deleteField.json")
@doc(body="json", examples=[{"input": [{"name": "vin"}]}])
def delete_fields(api_name: str) -> Response:
    """Delete fields from the draft of a custom object type."""
    http.require("edit_assets")
    specs = http.input_list(http.json_body(), MAX_FIELDS)
    return http.ok(http.instance().custom.delete_fields(api_name, specs))


@bp.post("/rest/v1/customobjects/schema/<api_name>/<field_name>/updateField.json")
@doc(body="json", examples=[{"input": {"displayName": "Vehicle id"}}])
def update_field(api_name: str, field_name: str) -> Response:
    """Change a field's display name or description in the draft."""
    http.require("edit_assets")
    change = http.json_body().get("input")
    return http.ok([http.instance().custom.update_field(api_name, field_name, change)])


@bp.get("/rest/v1/customobjects/schema/fieldDataTypes.json")
@doc()
def field_types() -> Response:
    """The data types a custom object field may have."""
    http.require("read")
    return http.ok(http.instance().custom.field_types())


@bp.get("/rest/v1/customobjects/schema/linkableObjects.json")
@doc()
def linkable() -> Response:
    """The objects a link field may point at, with their fields."""
    http.require("read")
    return http.ok(http.instance().custom.linkable())


@bp.get("/rest/v1/customobjects/schema/<api_name>/dependentAssets.json")
@doc()
def dependent_assets(api_name: str) -> Response:
    """Assets (smart lists, campaigns) that use the type: none in the mock."""
    http.require("read")
    return http.ok(http.instance().custom.dependent_assets(api_name))
