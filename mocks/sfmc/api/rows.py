"""SFMC REST routes: data extension rows (rowset read, sync and async writes) and the
(undocumented but widely used) customobjects endpoints to create and describe them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import Flask, Response, request

from vendorsim.mocks.core.bearer import json_response
from vendorsim.mocks.core.bodies import BadBody, parse_json, whole_number
from vendorsim.mocks.core.context import call, tenant_backend
from vendorsim.mocks.core.openapi import doc

from . import rowset
from .errors import SfmcError

if TYPE_CHECKING:
    from .models import SfmcAccount
    from .service import SfmcService


def sfmc_time(epoch: float) -> str:
    """SFMC's call times: ISO without a zone, two decimals (`2017-10-27T16:00:38.98`)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4]


def body_json() -> object:
    data = request.get_data(cache=True)
    try:
        return parse_json(data) if data else None
    except BadBody as exc:
        raise SfmcError(400, f"Unable to parse the request body as JSON: {exc}", 10001) from None


def register(app: Flask, service: SfmcService) -> None:
    from .facts import ASYNC_MAX_ITEMS
    from .service import require_scope

    def account() -> SfmcAccount:
        return tenant_backend()

    @app.get("/data/v1/customobjectdata/key/<key>/rowset")
    @doc(query=("$page", "$pageSize", "$orderBy", "$filter"))
    def rowset_by_key(key: str) -> Response:
        require_scope("data_extensions_read")
        query = rowset.start_query(account(), key, request.args)
        return json_response(rowset.page_of(account(), query["token"], query["page"]))

    @app.get("/data/v1/customobjectdata/token/<token>/rowset")
    @doc(query=("$page",))
    def rowset_by_token(token: str) -> Response:
        require_scope("data_extensions_read")
        try:
            page = int(request.args.get("$page") or 1)
        except ValueError:
            raise SfmcError(400, "$page must be a whole number", 10001) from None
        return json_response(rowset.page_of(account(), token, max(1, page)))

    @app.post("/hub/v1/dataevents/<de_id>/rowset")
    @doc(body="json")
    def upsert_rows_by_id(de_id: str) -> Response:
        """The by-id form of the rowset upsert (the data extension's id)."""
        return upsert_rows(account().by_id(de_id).key)

    @app.post("/hub/v1/dataevents/key:<key>/rowset")
    @doc(body="json", examples=[[{"keys": {"Email": "a@x.example"},
                                   "values": {"Born": "2020-01-01", "Score": "2.5"}}]])
    def upsert_rows(key: str) -> Response:
        require_scope("data_extensions_write")
        rows = body_json()
        if not isinstance(rows, list) or not rows:
            raise SfmcError(400, "The request body must be a non-empty array of rows.", 10001)
        call().records = len(rows)
        account().upsert(key, rows)
        return json_response(rows)

    @app.put("/hub/v1/dataevents/key:<key>/rows/<path:primary>")
    @doc(body="json", examples=[{"values": {"Score": "1", "Born": "1/5/2026"}}])
    def upsert_one(key: str, primary: str) -> Response:
        require_scope("data_extensions_write")
        body = body_json()
        name, sep, value = primary.partition(":")
        if not sep or not isinstance(body, dict):
            raise SfmcError(400, "Use /rows/{primaryKeyName}:{value} with {\"values\": {...}}.",
                            10001)
        row = {"keys": {name: value}, "values": body.get("values") or {}}
        account().upsert(key, [row])
        return json_response(row)

    @app.route("/data/v1/async/dataextensions/<de_id>/rows", methods=["POST", "PUT"])
    @doc(body="json")
    def async_rows_by_id(de_id: str) -> Response:
        """The by-id form of the asynchronous rows write."""
        return async_rows(account().by_id(de_id).key)

    @app.route("/data/v1/async/dataextensions/key:<key>/rows", methods=["POST", "PUT"])
    @doc(body="json", examples=[{"items": [{"Email": "b@x.example", "N": 4}]}])
    def async_rows(key: str) -> Response:
        require_scope("data_extensions_write")
        body = body_json()
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            raise SfmcError(400, "The request body needs a non-empty 'items' array.", 10001)
        if len(items) > ASYNC_MAX_ITEMS:
            raise SfmcError(400, f"At most {ASYNC_MAX_ITEMS} items per request.", 10001)
        call().records = len(items)
        queued = account().enqueue(key, items)
        return json_response({"requestId": queued.id, "resultMessages": []}, 202)

    @app.get("/data/v1/async/<request_id>/status")
    @doc(query=())
    def async_status(request_id: str) -> Response:
        require_scope("data_extensions_read")
        acct = account()
        with acct.lock:
            queued = acct.async_request(request_id)
            finished = queued.done
            done = finished is not None
            return json_response({"status": {
                "callDateTime": sfmc_time(queued.received),
                "completionDateTime": sfmc_time(finished) if finished is not None else None,
                "hasErrors": bool(queued.errors),
                "pickupDateTime": sfmc_time(finished) if finished is not None else None,
                "requestStatus": "Complete" if done else "Pending",
                "resultStatus": ("Error" if queued.errors else "OK") if done else None,
                "requestId": queued.id}, "requestId": str(uuid.uuid4())})

    @app.get("/data/v1/async/<request_id>/results")
    @doc(query=("$page", "$pageSize"))
    def async_results(request_id: str) -> Response:
        """What became of an asynchronous request's rows: one item per refused row."""
        require_scope("data_extensions_read")
        acct = account()
        with acct.lock:
            queued = acct.async_request(request_id)
            items = [{"errorCode": "ValidationError", "status": "Error",
                      "message": f"row {e['index']}: {'; '.join(e['messages'])}"}
                     for e in queued.errors]
        page = whole_number(request.args.get("$page") or 1, 1, 10**6)
        size = whole_number(request.args.get("$pageSize") or 50, 1, 2500)
        if page is None or size is None:
            raise SfmcError(400, "$page and $pageSize must be whole numbers", 10001)
        return json_response({"page": page, "pageSize": size, "count": len(items),
                              "items": items[(page - 1) * size: page * size]})

    @app.route("/data/v1/customobjects", methods=["GET", "POST"])
    @doc(query=("$search",), body="json", examples=[
        {"name": "DE", "key": "de", "fields": [{"name": "F", "type": "Text", "length": 10,
                                               "isPrimaryKey": True}]}])
    def customobjects() -> Response:
        acct = account()
        if request.method == "POST":
            require_scope("data_extensions_write")
            spec = body_json()
            if not isinstance(spec, dict):
                raise SfmcError(400, "The request body must be a JSON object.", 10001)
            return json_response(acct.create(spec).describe(), 201)
        require_scope("data_extensions_read")
        search = (request.args.get("$search") or "").lower()
        items = [{"id": d.id, "name": d.name, "key": d.key}
                 for d in acct.extensions.values()
                 if search in d.name.lower() or search in d.key.lower()]
        return json_response({"count": len(items), "page": 1, "pageSize": len(items),
                              "items": items})

    @app.get("/data/v1/customobjects/<de_id>")
    @doc(query=())
    def customobject(de_id: str) -> Response:
        """One data extension (by id, or key:KEY), with its fields."""
        require_scope("data_extensions_read")
        return json_response(account().by_id(de_id).describe())

    @app.get("/data/v1/customobjects/<de_id>/fields")
    @doc(query=())
    def customobject_fields(de_id: str) -> Response:
        require_scope("data_extensions_read")
        described = account().by_id(de_id).describe()
        return json_response({"id": described["id"], "key": described["key"],
                              "fields": described["fields"]})
