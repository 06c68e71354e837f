"""Data extension rows over REST (vendor-apis.md §2.2, §2.3): the rowset read with its
request tokens, the sync upserts of `/hub/v1/dataevents` and the asynchronous writes of
`/data/v1/async`. Each view parses, calls one operation of the account's model and renders."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Blueprint, Response, request

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.context import call
from vendorsim.mocks.core.openapi import doc

from ..facts import INVALID_REQUEST, MAX_PAGE_SIZE
from ..model.errors import SfmcError
from ..model.fields import render
from ..model.rowset import RowPage
from . import http

bp = Blueprint("sfmc_rows", __name__)


@bp.get("/data/v1/customobjectdata/key/<key>/rowset")
@doc(query=("$page", "$pageSize", "$orderBy", "$filter"))
def rowset_by_key(key: str) -> Response:
    """A new query of a data extension's rows: its first (or `$page`) page and token."""
    size = _whole("$pageSize", MAX_PAGE_SIZE, 10**9)
    page = _whole("$page", 1, 10**6)
    return http.json_response(_page(http.account().queries.start(
        http.caller(), key, request.args.get("$filter"), request.args.get("$orderBy"),
        size, page)))


@bp.get("/data/v1/customobjectdata/token/<token>/rowset")
@doc(query=("$page",))
def rowset_by_token(token: str) -> Response:
    """Another page of a query, by its request token."""
    page = max(1, _whole("$page", 1, 10**6))
    return http.json_response(_page(http.account().queries.page(http.caller(), token, page)))


@bp.post("/hub/v1/dataevents/<de_id>/rowset")
@doc(body="json")
def upsert_rows_by_id(de_id: str) -> Response:
    """The by-id form of the rowset upsert (the data extension's id)."""
    rows = _rows()
    http.account().data.upsert_rows_by_id(http.caller(), de_id, rows)
    return http.json_response(rows)


@bp.post("/hub/v1/dataevents/key:<key>/rowset")
@doc(body="json", examples=[[{"keys": {"Email": "a@x.example"},
                              "values": {"Born": "2020-01-01", "Score": "2.5"}}]])
def upsert_rows(key: str) -> Response:
    """Upsert rows by primary key: every row valid, or none written (400, 10006)."""
    rows = _rows()
    http.account().data.upsert_rows(http.caller(), key, rows)
    return http.json_response(rows)


@bp.put("/hub/v1/dataevents/key:<key>/rows/<path:primary>")
@doc(body="json", examples=[{"values": {"Score": "1", "Born": "1/5/2026"}}])
def upsert_one(key: str, primary: str) -> Response:
    """Upsert one row named by its primary key in the path."""
    body = http.body_json()
    name, sep, value = primary.partition(":")
    if not sep or not isinstance(body, dict) or not isinstance(body.get("values") or {}, dict):
        raise SfmcError(400, "Use /rows/{primaryKeyName}:{value} with {\"values\": {...}}.",
                        INVALID_REQUEST)
    row = {"keys": {name: value}, "values": body.get("values") or {}}
    http.account().data.upsert_rows(http.caller(), key, [row])
    return http.json_response(row)


@bp.route("/data/v1/async/dataextensions/<de_id>/rows", methods=["POST", "PUT"])
@doc(body="json")
def async_rows_by_id(de_id: str) -> Response:
    """The by-id form of the asynchronous rows write."""
    items = _items()
    return _queued(http.account().data.enqueue_by_id(http.caller(), de_id, items))


@bp.route("/data/v1/async/dataextensions/key:<key>/rows", methods=["POST", "PUT"])
@doc(body="json", examples=[{"items": [{"Email": "b@x.example", "N": 4}]}])
def async_rows(key: str) -> Response:
    """Queue rows to be written later (202 with the request's id)."""
    items = _items()
    return _queued(http.account().data.enqueue(http.caller(), key, items))


@bp.get("/data/v1/async/<request_id>/status")
@doc(query=())
def async_status(request_id: str) -> Response:
    """Where an asynchronous write stands."""
    queued = http.account().data.async_request(http.caller(), request_id)
    finished = queued.done
    done = finished is not None
    return http.json_response({"status": {
        "callDateTime": http.sfmc_time(queued.received),
        "completionDateTime": http.sfmc_time(finished) if finished is not None else None,
        "hasErrors": bool(queued.errors),
        "pickupDateTime": http.sfmc_time(finished) if finished is not None else None,
        "requestStatus": "Complete" if done else "Pending",
        "resultStatus": ("Error" if queued.errors else "OK") if done else None,
        "requestId": queued.id}, "requestId": str(uuid.uuid4())})


@bp.get("/data/v1/async/<request_id>/results")
@doc(query=("$page", "$pageSize"))
def async_results(request_id: str) -> Response:
    """What became of an asynchronous request's rows: one item per refused row."""
    page, size = http.page_args(50, 2500)
    queued = http.account().data.async_request(http.caller(), request_id)
    items = [{"errorCode": "ValidationError", "status": "Error",
              "message": f"row {e['index']}: {'; '.join(e['messages'])}"}
             for e in queued.errors]
    return http.json_response({"page": page, "pageSize": size, "count": len(items),
                               "items": items[(page - 1) * size: page * size]})


def _rows() -> list:
    rows = http.body_json()
    if not isinstance(rows, list) or not rows:
        raise SfmcError(400, "The request body must be a non-empty array of rows.",
                        INVALID_REQUEST)
    call().records = len(rows)
    return rows


def _items() -> list:
    body = http.body_json()
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise SfmcError(400, "The request body needs a non-empty 'items' array.",
                        INVALID_REQUEST)
    call().records = len(items)
    return items


def _queued(request_id: str) -> Response:
    return http.json_response({"requestId": request_id, "resultMessages": []}, 202)


def _whole(name: str, default: int, high: int) -> int:
    value = whole_number(request.args.get(name) or default, -(10**9), 10**12)
    if value is None:
        raise SfmcError(400, "$page and $pageSize must be whole numbers", INVALID_REQUEST)
    return min(value, high)


def _page(found: RowPage) -> dict:
    """A rowset page as SFMC answers it: every column, values as strings, `links` to the
    pages beside it."""
    token, page, size, de = found.token, found.page, found.query.page_size, found.extension
    links = {"self": f"/v1/customobjectdata/token/{token}/rowset?$page={page}"}
    if page * size < found.count:
        links["next"] = f"/v1/customobjectdata/token/{token}/rowset?$page={page + 1}"
    if page > 1:
        links["previous"] = f"/v1/customobjectdata/token/{token}/rowset?$page={page - 1}"
    body = {"links": links, "requestToken": token,
            "tokenExpireDateUtc": datetime.fromtimestamp(found.query.expires, UTC)
            .strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3],
            "customObjectId": de.id, "customObjectKey": de.key, "pageSize": size,
            "page": page, "count": found.count, "top": 0}
    if found.count:
        keys = [f.name for f in de.primary]
        others = [f.name for f in de.fields if not f.primary_key]
        # every column of the data extension, unset ones as "" (as SFMC answers)
        body["items"] = [{"keys": {k.lower(): render(r.get(k)) for k in keys},
                          "values": {k.lower(): render(r.get(k)) for k in others}}
                         for r in found.rows]
    return body
