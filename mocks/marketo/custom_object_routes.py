"""Custom objects: the type schema (draft, approve, fields) and the records of approved types,
whose data calls are the shared object handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, Response, request

from vendorsim.mocks.core.openapi import doc

from . import http
from .custom_objects import DATA_TYPES, LINKABLE
from .errors import MarketoError
from .object_routes import db, delete, describe, query_page, sync
from .routes import require

if TYPE_CHECKING:
    from .custom_objects import CustomObjects

TYPE_EXAMPLE = {"action": "createOrUpdate", "apiName": "car_c", "displayName": "Car",
                "pluralName": "Cars", "description": "Cars people own"}
FIELD_EXAMPLE = {"input": [{"name": "vin", "displayName": "VIN", "dataType": "string",
                            "isDedupe": True}]}


def register_custom_object_routes(app: Flask) -> None:
    def custom() -> CustomObjects:
        return db().custom

    @app.get("/rest/v1/customobjects.json")
    @doc(query=("names",))
    def list_custom_objects() -> Response:
        """The approved custom object types."""
        require("read")
        names = set(http.csv_param("names"))
        with db().lock:
            found = [t.render(t.approved, "approved") for t in custom().types.values()
                     if t.approved is not None and (not names or t.api_name in names)]
        for item in found:
            item["name"] = item.pop("apiName")
            del item["fields"]
        return http.ok(found)

    @app.route("/rest/v1/customobjects/<api_name>.json", methods=["GET", "POST"])
    @doc(query=("filterType", "filterValues", "fields", "batchSize", "nextPageToken",
                "_method"), body="json",
         examples=[{"action": "createOrUpdate", "input": [{"vin": "1HGCM82633A004352"}]}])
    def custom_object_records(api_name: str) -> Response:
        """Query records of a custom object (GET) or sync them (POST)."""
        with db().lock:
            store = custom().store(api_name)
        return query_page(store) if request.method == "GET" else sync(store)

    @app.post("/rest/v1/customobjects/<api_name>/delete.json")
    @doc(body="json", examples=[{"deleteBy": "dedupeFields", "input": [{"vin": "x"}]}])
    def delete_custom_object_records(api_name: str) -> Response:
        """Delete records of a custom object."""
        with db().lock:
            store = custom().store(api_name)
        return delete(store)

    @app.get("/rest/v1/customobjects/<api_name>/describe.json")
    @doc()
    def describe_custom_object(api_name: str) -> Response:
        """Describe an approved custom object."""
        with db().lock:
            store = custom().store(api_name)
        return describe(store)

    # -- the type schema -------------------------------------------------------------
    @app.route("/rest/v1/customobjects/schema.json", methods=["GET", "POST"])
    @doc(query=("names", "state"), body="json", examples=[TYPE_EXAMPLE])
    def custom_object_types() -> Response:
        """List custom object types (GET) or create/update one (POST)."""
        if request.method == "POST":
            require("edit_assets")
            body = http.json_body()
            with db().lock:
                return http.ok([{"seq": 0, **custom().sync_type(body)}])
        require("read")
        names = set(http.csv_param("names"))
        state = http.param("state") or "approved"
        if state not in ("draft", "approved"):
            raise MarketoError("1003", "state is 'draft' or 'approved'")
        out = []
        with db().lock:
            for t in custom().types.values():
                version = t.draft if state == "draft" and t.draft else t.approved or t.draft
                if not names or t.api_name in names:
                    out.append(t.render(version, "draft" if version is t.draft else "approved"))
        return http.ok(out)

    @app.get("/rest/v1/customobjects/schema/<api_name>/describe.json")
    @doc(query=("state",))
    def describe_custom_object_type(api_name: str) -> Response:
        """Describe a custom object type, its draft or its approved version."""
        require("read")
        with db().lock:
            t = custom().get(api_name)
            want_draft = http.param("state") == "draft" or t.approved is None
            version = t.draft if want_draft and t.draft else t.approved
            return http.ok([t.render(version, "draft" if version is t.draft else "approved")])

    def type_action(api_name: str, action: str) -> Response:
        require("edit_assets")
        with db().lock:
            return http.ok([{"seq": 0, **getattr(custom(), action)(api_name)}])

    for verb, action in (("approve", "approve"), ("discardDraft", "discard"),
                         ("delete", "delete_type")):
        view = _bind(type_action, action)
        view.__doc__ = f"{verb} a custom object type."
        app.add_url_rule(f"/rest/v1/customobjects/schema/<api_name>/{verb}.json",
                         endpoint=f"custom_object_type_{verb}", methods=["POST"],
                         view_func=doc()(view))

    @app.post("/rest/v1/customobjects/schema/<api_name>/addField.json")
    @doc(body="json", examples=[FIELD_EXAMPLE])
    def add_custom_object_fields(api_name: str) -> Response:
        """Add fields to the draft of a custom object type."""
        require("edit_assets")
        specs = http.input_list(http.json_body(), 100)
        with db().lock:
            return http.ok(custom().add_fields(api_name, specs))

    @app.post("/rest/v1/customobjects/schema/<api_name>/deleteField.json")
    @doc(body="json", examples=[{"input": [{"name": "vin"}]}])
    def delete_custom_object_fields(api_name: str) -> Response:
        """Delete fields from the draft of a custom object type."""
        require("edit_assets")
        specs = http.input_list(http.json_body(), 100)
        with db().lock:
            return http.ok(custom().delete_fields(api_name, specs))

    @app.post("/rest/v1/customobjects/schema/<api_name>/<field_name>/updateField.json")
    @doc(body="json", examples=[{"input": {"displayName": "Vehicle id"}}])
    def update_custom_object_field(api_name: str, field_name: str) -> Response:
        """Change a field's display name or description in the draft."""
        require("edit_assets")
        body = http.json_body()
        with db().lock:
            return http.ok([custom().update_field(api_name, field_name, body.get("input"))])

    @app.get("/rest/v1/customobjects/schema/fieldDataTypes.json")
    @doc()
    def custom_object_field_types() -> Response:
        """The data types a custom object field may have."""
        require("read")
        return http.ok([{"dataType": t} for t in DATA_TYPES])

    @app.get("/rest/v1/customobjects/schema/linkableObjects.json")
    @doc()
    def custom_object_linkable() -> Response:
        """The objects a link field may point at, with their fields."""
        require("read")
        return http.ok([{"name": name, "displayName": name, "pluralName": name + "s",
                         "fields": [{"name": f, "displayName": f, "dataType": "integer"
                                     if f == "id" else "string"} for f in fields]}
                        for name, fields in LINKABLE.items()])

    @app.get("/rest/v1/customobjects/schema/<api_name>/dependentAssets.json")
    @doc()
    def custom_object_dependent_assets(api_name: str) -> Response:
        """Assets (smart lists, campaigns) that use the type: none in the mock."""
        require("read")
        with db().lock:
            custom().get(api_name)
        return http.ok([{"apiName": api_name, "dependentAssets": []}])


def _bind(func: Callable[[str, str], Response], action: str) -> Callable[[str], Response]:
    """A view for one type action (approve, discardDraft, delete)."""
    def view(api_name: str) -> Response:
        return func(api_name, action)
    return view
