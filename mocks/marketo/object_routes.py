"""Routes of the object APIs that share one shape: companies, opportunities (and roles),
named accounts, named account lists (and their members), sales persons. One set of handlers
serves every kind in `STANDARD_KINDS`; the custom-object routes reuse them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, Response, g, request

from vendorsim.mocks.core.openapi import doc

from . import http
from .b2b_schema import STANDARD_KINDS
from .errors import MarketoError
from .routes import require

if TYPE_CHECKING:
    from .models import LeadDatabase
    from .objects import ObjectStore

SCHEMA_KINDS = ("companies", "opportunities", "namedaccounts")
SYNC_EXAMPLE = {"action": "createOrUpdate", "dedupeBy": "dedupeFields",
                "input": [{"externalCompanyId": "acme-1", "company": "Acme"}]}


def db() -> LeadDatabase:
    return g.tenant.backend


def query_page(store: ObjectStore) -> Response:
    """Query by filter: `filterType`/`filterValues` in the query, or (POST `_method=GET`) a
    JSON body with `filterType`, `fields` and `input` objects for compound keys."""
    require("read")
    has_json = request.mimetype == "application/json" and request.get_data(cache=True)
    body = http.json_body(required=False) if has_json else None  # else query or form
    limit = g.tenant.limiter.config.max_batch
    if body is not None:
        filter_type = http.body_text(body, "filterType")
        values = http.input_list(body, limit)
        fields_raw = body.get("fields") or []
        if not isinstance(fields_raw, list) or not all(isinstance(f, str) for f in fields_raw):
            raise MarketoError("1003", "Invalid data: 'fields' is an array of names")
        fields = list(fields_raw)
    else:
        filter_type = http.required_param("filterType")
        values = http.filter_values(limit)
        fields = http.csv_param("fields")
    if filter_type == "dedupeFields" and body is None:
        raise MarketoError("1003", "filterType 'dedupeFields' needs the values as JSON "
                                   "objects (POST with _method=GET)")
    batch = http.int_param("batchSize", limit, high=limit)
    offset = http.page_offset()
    database = db()
    with database.lock:
        fields = store.check_fields(fields)
        found = store.query(filter_type, values)
        page = [r.render(fields, offset + n) for n, r in enumerate(found[offset:offset + batch])]
    return http.ok(page, more=offset + batch < len(found), offset=offset + batch)


def sync(store: ObjectStore) -> Response:
    require("edit_person")
    body = http.json_body()
    records = http.input_list(body, g.tenant.limiter.config.max_batch)
    action = body.get("action", "createOrUpdate")
    dedupe_by = body.get("dedupeBy", "dedupeFields")
    if not isinstance(action, str) or not isinstance(dedupe_by, str):
        raise MarketoError("1003", "Invalid data: action and dedupeBy are strings")
    database = db()
    with database.lock:
        return http.ok(store.sync(records, action, dedupe_by))


def delete(store: ObjectStore) -> Response:
    require("edit_person")
    body = http.json_body()
    records = http.input_list(body, g.tenant.limiter.config.max_batch)
    delete_by = body.get("deleteBy", "dedupeFields")
    if not isinstance(delete_by, str):
        raise MarketoError("1003", "Invalid data: deleteBy is a string")
    database = db()
    with database.lock:
        return http.ok(store.delete(records, delete_by))


def describe(store: ObjectStore) -> Response:
    require("read")
    return http.ok([store.kind.describe(store.created)])


def fields_page(fields: list[dict]) -> Response:
    """A schema field list, paged like every lead-database list (300 at most)."""
    require("read")
    batch = http.int_param("batchSize", 300, high=300)
    offset = http.page_offset()
    return http.ok(fields[offset:offset + batch], more=offset + batch < len(fields),
                   offset=offset + batch)


def field_by_name(fields: list[dict], name: str) -> Response:
    require("read")
    found = [f for f in fields if f["name"] == name]
    if not found:
        raise MarketoError("1006", field=name)
    return http.ok(found)


def register_object_routes(app: Flask) -> None:
    for stem in STANDARD_KINDS:
        _register_kind(app, stem)
    _register_named_account_list_members(app)


def _register_kind(app: Flask, stem: str) -> None:
    name = stem.replace("/", "_")

    def store() -> ObjectStore:
        return db().objects[stem]

    def add(rule: str, endpoint: str, view: Callable, methods: list[str]) -> None:
        app.add_url_rule(rule, endpoint=f"{name}_{endpoint}", view_func=view, methods=methods)

    @doc(query=("filterType", "filterValues", "fields", "batchSize", "nextPageToken",
                "_method"), body="json")
    def collection() -> Response:
        """Query records by a searchable field (GET) or sync them (POST)."""
        return query_page(store()) if request.method == "GET" else sync(store())

    collection.__vendorsim_doc__["examples"] = [SYNC_EXAMPLE]  # type: ignore[attr-defined]
    add(f"/rest/v1/{stem}.json", "collection", collection, ["GET", "POST"])

    @doc(body="json", examples=[{"deleteBy": "dedupeFields", "input": [{"name": "x"}]}])
    def remove() -> Response:
        """Delete records by dedupe fields or id field."""
        return delete(store())

    add(f"/rest/v1/{stem}/delete.json", "delete", remove, ["POST"])

    @doc()
    def describe_kind() -> Response:
        """Describe the object: id field, dedupe fields, searchable fields, fields."""
        return describe(store())

    add(f"/rest/v1/{stem}/describe.json", "describe", describe_kind, ["GET"])
    if stem not in SCHEMA_KINDS:
        return

    def schema_fields() -> list[dict]:
        return [f.describe2() for f in store().kind.fields]

    @doc(query=("batchSize", "nextPageToken"))
    def fields() -> Response:
        """The object's fields."""
        return fields_page(schema_fields())

    add(f"/rest/v1/{stem}/schema/fields.json", "fields", fields, ["GET"])

    @doc()
    def field(field_name: str) -> Response:
        """One field of the object by its API name."""
        return field_by_name(schema_fields(), field_name)

    add(f"/rest/v1/{stem}/schema/fields/<field_name>.json", "field", field, ["GET"])


def _register_named_account_list_members(app: Flask) -> None:
    @app.route("/rest/v1/namedAccountList/<list_id>/namedAccounts.json",
               methods=["GET", "POST"])
    @doc(query=("fields", "batchSize", "nextPageToken"), body="json",
         examples=[{"input": [{"marketoGUID": "00000000-0000-0000-0000-000000000000"}]}])
    def named_account_list_members(list_id: str) -> Response:
        """Named accounts of a named account list (GET) or add some (POST)."""
        database = db()
        if request.method == "GET":
            require("read")
            batch = http.int_param("batchSize", 300, high=300)
            offset = http.page_offset()
            with database.lock:
                members = database.named_account_members(list_id)
                accounts = database.objects["namedaccounts"]
                fields = accounts.check_fields(http.csv_param("fields"))
                page = [accounts.records[rid].render(fields, offset + n)
                        for n, rid in enumerate(members[offset:offset + batch])]
            return http.ok(page, more=offset + batch < len(members), offset=offset + batch)
        return _change_members(list_id, add=True)

    @app.post("/rest/v1/namedAccountList/<list_id>/namedAccounts/remove.json")
    @doc(body="json", examples=[{"input": [{"marketoGUID": "x"}]}])
    def remove_named_account_list_members(list_id: str) -> Response:
        """Take named accounts off a named account list."""
        return _change_members(list_id, add=False)


def _change_members(list_id: str, *, add: bool) -> Response:
    require("edit_person")
    records = http.input_list(http.json_body(), g.tenant.limiter.config.max_batch)
    database = db()
    with database.lock:
        return http.ok(database.change_named_account_members(list_id, records, add=add))
