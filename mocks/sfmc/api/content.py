"""Content Builder's REST API (vendor-apis.md §8.2): assets (list with `$page`, `$pagesize`,
`$orderBy`, `$filter`, `$fields`; the advanced query; get, create, update, patch, delete) and
categories (folders). `$filter` takes one `property operator value` (eq, neq, lt, lte, gt,
gte, like); AND/OR and sub-properties go through the advanced query, as SFMC documents."""

from __future__ import annotations

import re

from flask import Blueprint, Response, request

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.openapi import doc

from ..facts import CONTENT_PAGE, INVALID_REQUEST, MAX_CONTENT_PAGE
from ..model.content_query import Both, Condition, Query
from ..model.errors import SfmcError
from . import http

bp = Blueprint("sfmc_content", __name__)
ASSETS = "/asset/v1/content/assets"
CATEGORIES = "/asset/v1/content/categories"
FILTER = re.compile(r"\s*(?P<prop>[\w.]+)\s+(?P<op>eq|neq|ne|lt|lte|gt|gte|like)\s+"
                    r"(?P<value>'[^']*'|\S+)\s*", re.I)
SIMPLE = {"eq": "equal", "neq": "notEqual", "ne": "notEqual", "lt": "lessThan",
          "lte": "lessThanOrEqual", "gt": "greaterThan", "gte": "greaterThanOrEqual",
          "like": "like"}


def _arg(name: str) -> str | None:
    """A `$name` query parameter, matched without case (`$pagesize`, `$pageSize`)."""
    return next((v for k, v in request.args.items() if k.lower() == name.lower()), None)


def _page() -> tuple[int, int]:
    page = whole_number(_arg("$page") or 1, 1, 10**6)
    size = whole_number(_arg("$pagesize") or CONTENT_PAGE, 1, MAX_CONTENT_PAGE)
    if page is None or size is None:
        raise SfmcError(400, f"$page and $pagesize are whole numbers ($pagesize at most "
                             f"{MAX_CONTENT_PAGE})", INVALID_REQUEST)
    return page, size


def _filter(text: str | None) -> Query | None:
    if not text:
        return None
    found = FILTER.fullmatch(text[:500])
    if found is None:
        raise SfmcError(400, f"Invalid $filter: {text[:200]}", INVALID_REQUEST)
    value = found["value"]
    value = value[1:-1] if value.startswith("'") else value
    return Condition(found["prop"], SIMPLE[found["op"].lower()], (value,))


def _order(text: str | None) -> list[tuple[str, bool]]:
    order = []
    for part in (text or "").split(",")[:10]:
        prop, _, direction = part.strip().partition(" ")
        if prop:
            order.append((prop, direction.strip().lower() == "desc"))
    return order


def _listing(count: int, page: int, size: int, items: list[dict]) -> Response:
    return http.json_response({"count": count, "page": page, "pageSize": size, "links": {},
                               "items": items})


@bp.get(ASSETS)
@doc(query=("$page", "$pagesize", "$orderBy", "$filter", "$fields"))
def assets() -> Response:
    """Assets, a page at a time, sorted by id unless `$orderBy` says otherwise."""
    page, size = _page()
    fields = [f.strip() for f in (_arg("$fields") or "").split(",") if f.strip()] or None
    count, items = http.account().content.query(http.caller(), _filter(_arg("$filter")),
                                                _order(_arg("$orderBy")), page, size, fields)
    return _listing(count, page, size, items)


@bp.post(f"{ASSETS}/query")
@doc(body="json", examples=[{"query": {"property": "name", "simpleOperator": "like",
                                       "value": "welcome"},
                             "page": {"page": 1, "pageSize": 50},
                             "sort": [{"property": "id", "direction": "ASC"}]}])
def query_assets() -> Response:
    """The advanced query: conditions joined by AND/OR, a page, a sort, fields."""
    body = http.body_json()
    spec = body if isinstance(body, dict) else {}
    paging: dict = spec["page"] if isinstance(spec.get("page"), dict) else {}
    page = whole_number(paging.get("page", 1), 1, 10**6)
    size = whole_number(paging.get("pageSize", CONTENT_PAGE), 1, MAX_CONTENT_PAGE)
    sort = spec.get("sort") or []
    fields = spec.get("fields")
    if page is None or size is None or not isinstance(sort, list) or \
            (fields is not None and not (isinstance(fields, list) and
                                         all(isinstance(f, str) for f in fields))):
        raise SfmcError(400, "page {page, pageSize}, sort [{property, direction}] and fields "
                             "[names] as documented", INVALID_REQUEST)
    order = [(str(s.get("property")), str(s.get("direction", "ASC")).upper() == "DESC")
             for s in sort[:10] if isinstance(s, dict) and s.get("property")]
    count, items = http.account().content.query(http.caller(), _query(spec.get("query")),
                                                order, page, size, fields)
    return _listing(count, page, size, items)


def _query(spec: object, depth: int = 0) -> Query:
    if not isinstance(spec, dict) or depth > 10:
        raise SfmcError(400, "query is {property, simpleOperator, value} or {leftOperand, "
                             "logicalOperator, rightOperand}", INVALID_REQUEST)
    if "leftOperand" in spec:
        return Both(str(spec.get("logicalOperator") or ""),
                    _query(spec.get("leftOperand"), depth + 1),
                    _query(spec.get("rightOperand"), depth + 1))
    values = spec.get("values", [spec.get("value")] if "value" in spec else [])
    if not isinstance(spec.get("property"), str) or not isinstance(values, list) or \
            any(isinstance(v, dict | list) for v in values):
        raise SfmcError(400, "a simple query needs a property and a value (or values)",
                        INVALID_REQUEST)
    return Condition(spec["property"], str(spec.get("simpleOperator") or ""),
                     tuple(values[:1000]))


@bp.post(ASSETS)
@doc(body="json", examples=[{"name": "Welcome", "assetType": {"id": 208},
                             "views": {"html": {"content": "<p>Hi</p>"}}}])
def create_asset() -> Response:
    """Create an asset (201)."""
    return http.json_response(http.account().content.create_asset(http.caller(),
                                                                   http.body_json()), 201)


@bp.get(f"{ASSETS}/<int:asset_id>")
@doc(query=())
def asset(asset_id: int) -> Response:
    """One asset."""
    return http.json_response(http.account().content.asset(http.caller(), asset_id))


@bp.put(f"{ASSETS}/<int:asset_id>")
@doc(body="json", examples=[{"name": "Welcome 2", "assetType": {"id": 208}}])
def replace_asset(asset_id: int) -> Response:
    """Update a whole asset."""
    return http.json_response(http.account().content.update_asset(
        http.caller(), asset_id, http.body_json(), True))


@bp.patch(f"{ASSETS}/<int:asset_id>")
@doc(body="json", examples=[{"description": "new"}])
def patch_asset(asset_id: int) -> Response:
    """Update part of an asset."""
    return http.json_response(http.account().content.update_asset(
        http.caller(), asset_id, http.body_json(), False))


@bp.delete(f"{ASSETS}/<int:asset_id>")
@doc()
def delete_asset(asset_id: int) -> Response:
    """Delete an asset (200, no body)."""
    http.account().content.delete_asset(http.caller(), asset_id)
    return Response(status=200)


@bp.get(CATEGORIES)
@doc(query=("$page", "$pagesize", "$filter"))
def categories() -> Response:
    """Categories (folders), `$filter=parentId eq N` for one folder's children."""
    page, size = _page()
    wanted = _filter(_arg("$filter"))
    parent = None
    if wanted is not None:
        if not isinstance(wanted, Condition) or wanted.prop.lower() != "parentid" or \
                wanted.operator != "equal":
            raise SfmcError(400, "categories filter on parentId eq N", INVALID_REQUEST)
        parent = whole_number(wanted.values[0], 0, 2**31)
        if parent is None:
            raise SfmcError(400, "parentId is a whole number", INVALID_REQUEST)
    found = http.account().content.list_categories(http.caller(), parent)
    return _listing(len(found), page, size, found[(page - 1) * size: page * size])


@bp.post(CATEGORIES)
@doc(body="json", examples=[{"name": "Campaigns", "parentId": 1000}])
def create_category() -> Response:
    """Create a category under a parent (201)."""
    return http.json_response(http.account().content.create_category(http.caller(),
                                                                      http.body_json()), 201)


@bp.get(f"{CATEGORIES}/<int:category_id>")
@doc(query=())
def category(category_id: int) -> Response:
    """One category."""
    return http.json_response(http.account().content.category(http.caller(), category_id))


@bp.put(f"{CATEGORIES}/<int:category_id>")
@doc(body="json", examples=[{"name": "Renamed"}])
def update_category(category_id: int) -> Response:
    """Rename or move a category."""
    return http.json_response(http.account().content.update_category(
        http.caller(), category_id, http.body_json()))


@bp.delete(f"{CATEGORIES}/<int:category_id>")
@doc()
def delete_category(category_id: int) -> Response:
    """Delete an empty category."""
    http.account().content.delete_category(http.caller(), category_id)
    return Response(status=200)
