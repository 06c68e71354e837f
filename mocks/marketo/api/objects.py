"""The object APIs that share one shape: companies, opportunities (and roles), named
accounts, named account lists (and their members), sales persons. Each kind gets the same
views under its own paths (its stem is the view's `stem` argument)."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from ..model.object_kinds import STANDARD_KINDS
from . import http

bp = Blueprint("objects", __name__)
SCHEMA_KINDS = ("companies", "opportunities", "namedaccounts")
SYNC_EXAMPLE = {"action": "createOrUpdate", "dedupeBy": "dedupeFields",
                "input": [{"externalCompanyId": "acme-1", "company": "Acme"}]}
QUERY = ("filterType", "filterValues", "fields", "batchSize", "nextPageToken", "_method")


@doc(query=QUERY)
def query(stem: str) -> Response:
    """Query records by a searchable field (or, as JSON, by a compound key)."""
    http.require("read")
    filter_type, values, fields, offset, batch = http.object_query()
    found, more = http.instance().objects[stem].query_page(filter_type, values, fields,
                                                          offset, batch)
    return http.page(found, more, offset, batch)


@doc(body="json", examples=[SYNC_EXAMPLE])
def sync(stem: str) -> Response:
    """Sync records by dedupe fields or id field."""
    http.require("edit_person")
    records, action, dedupe_by = http.object_sync()
    return http.ok(http.instance().objects[stem].sync(records, action, dedupe_by))


@doc(body="json", examples=[{"deleteBy": "dedupeFields", "input": [{"name": "x"}]}])
def delete(stem: str) -> Response:
    """Delete records by dedupe fields or id field."""
    http.require("edit_person")
    records, delete_by = http.object_delete()
    return http.ok(http.instance().objects[stem].delete(records, delete_by))


@doc()
def describe(stem: str) -> Response:
    """Describe the object: id field, dedupe fields, searchable fields, fields."""
    http.require("read")
    return http.ok(http.instance().objects[stem].described())


@doc(query=("batchSize", "nextPageToken"))
def fields(stem: str) -> Response:
    """The object's fields."""
    http.require("read")
    return http.fields_page(http.instance().objects[stem].field_list())


@doc()
def field(stem: str, field_name: str) -> Response:
    """One field of the object by its API name."""
    http.require("read")
    return http.field_named(http.instance().objects[stem].field_list(), field_name)


for _stem in STANDARD_KINDS:
    _name = _stem.replace("/", "_")
    _views: list = [("", "query", query, "GET"), ("", "sync", sync, "POST"),
                    ("/delete", "delete", delete, "POST"),
                    ("/describe", "describe", describe, "GET")]
    if _stem in SCHEMA_KINDS:
        _views += [("/schema/fields", "fields", fields, "GET"),
                   ("/schema/fields/<field_name>", "field", field, "GET")]
    for _suffix, _endpoint, _view, _method in _views:
        bp.add_url_rule(f"/rest/v1/{_stem}{_suffix}.json", f"{_name}_{_endpoint}", _view,
                        methods=[_method], defaults={"stem": _stem})


@bp.get("/rest/v1/namedAccountList/<list_id>/namedAccounts.json")
@doc(query=("fields", "batchSize", "nextPageToken"))
def list_members(list_id: str) -> Response:
    """Named accounts of a named account list."""
    http.require("read")
    batch = http.batch_size()
    offset = http.page_offset()
    found, more = http.instance().account_lists.members_page(
        list_id, http.csv_param("fields"), offset, batch)
    return http.page(found, more, offset, batch)


@bp.post("/rest/v1/namedAccountList/<list_id>/namedAccounts.json")
@doc(body="json", examples=[{"input": [{"marketoGUID": "00000000-0000-0000-0000-000000000000"}]}])
def add_list_members(list_id: str) -> Response:
    """Add named accounts to a named account list."""
    http.require("edit_person")
    records = http.input_list(http.json_body(), http.max_batch())
    return http.ok(http.instance().account_lists.change(list_id, records, add=True))


@bp.post("/rest/v1/namedAccountList/<list_id>/namedAccounts/remove.json")
@doc(body="json", examples=[{"input": [{"marketoGUID": "x"}]}])
def remove_list_members(list_id: str) -> Response:
    """Take named accounts off a named account list."""
    http.require("edit_person")
    records = http.input_list(http.json_body(), http.max_batch())
    return http.ok(http.instance().account_lists.change(list_id, records, add=False))
