"""What every Marketo handler shares: request forms, the instance and API user of the call,
and the response envelopes.

Marketo accepts the same call in several shapes: JSON bodies, query parameters, form
bodies, and `POST` with `_method=GET` (or `_method=DELETE`) carrying the query in a form
body for URIs that would be too long (`method_override.py` turns those back into reads).
All of them end up in `params()` and `json_body()`.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import cast

from flask import Response, request

from vendorsim.mocks.core.auth import Credential
from vendorsim.mocks.core.bodies import BadBody, parse_json, whole_number
from vendorsim.mocks.core.context import call, tenant_backend

from .. import facts
from ..facts import JSON_TYPE, MAX_BATCH, NGINX_PAGE, NO_ASSETS_WARNING, TOKEN_HEADERS
from ..model.errors import MarketoError, request_id
from ..model.instance import MarketoInstance


# -- the call's instance and API user -------------------------------------------------------
def instance() -> MarketoInstance:
    """The instance the call's access token belongs to."""
    return cast(MarketoInstance, tenant_backend())  # Marketo's tenants hold instances


def credential() -> Credential | None:
    return call().credential


def max_batch() -> int:
    """The most records a call may carry (300, or the instance's setting)."""
    tenant = call().tenant
    return tenant.limiter.config.max_batch if tenant is not None else MAX_BATCH


def require(permission: str) -> None:
    """B-MKT-15: the API user needs the permission (e.g. Edit Person) or the call gets 603."""
    cred = call().credential
    if cred is None or permission not in cred.permissions:
        raise MarketoError("603")


def params() -> dict[str, list[str]]:
    """Query and form parameters together, each name with all its values."""
    merged: dict[str, list[str]] = {}
    for key, values in request.args.lists():
        merged.setdefault(key, []).extend(values)
    if request.mimetype == "application/x-www-form-urlencoded":
        for key, values in request.form.lists():
            merged.setdefault(key, []).extend(values)
    merged.pop("_method", None)
    return merged


def param(name: str, default: str | None = None) -> str | None:
    values = params().get(name)
    return values[0] if values else default


def required_param(name: str) -> str:
    """A parameter that must be there and not empty (701 `name cannot be blank`)."""
    value = param(name)
    if not value:
        raise MarketoError("701", what=name)
    return value


def filter_values(limit: int) -> list[str]:
    """`filterValues` of a query by filter: 701 when there are none, 1003 over `limit`."""
    values = csv_param("filterValues")
    if not values:
        raise MarketoError("701", what="filterValues")
    if len(values) > limit:
        raise MarketoError("1003", f"filterValues may hold at most {limit} values")
    return values


def body_text(body: dict, name: str) -> str:
    """A body field that must be a non-empty string (701 `name cannot be blank`)."""
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise MarketoError("701", what=name)
    return value


def batch_size() -> int:
    """`batchSize`: how many records a page of a lead-database read holds (at most 300)."""
    return int_param("batchSize", MAX_BATCH, high=MAX_BATCH)


def int_param(name: str, default: int, *, low: int = 1, high: int | None = None) -> int:
    raw = param(name)
    if raw in (None, ""):
        return default
    value = whole_number(raw)
    if value is None:
        raise MarketoError("1003", f"Invalid value '{str(raw)[:40]}' for parameter '{name}'")
    if value < low or (high is not None and value > high):
        raise MarketoError("1003", f"Parameter '{name}' must be between {low} and {high}")
    return value


def csv_param(name: str) -> list[str]:
    """Comma-separated values, also accepted as repeated parameters."""
    out: list[str] = []
    for raw in params().get(name, []):
        out.extend(v.strip() for v in raw.split(",") if v.strip())
    return out


def json_body() -> dict:
    """The JSON object in the body: 612 for another content type, 609 when it does not parse
    or there is none."""
    body = optional_json_body()
    if body is None:
        raise MarketoError("609")
    return body


def optional_json_body() -> dict | None:
    """The JSON object in the body, or None for an empty body (612, 609 as above)."""
    data = request.get_data(cache=True)
    if not data:
        return None
    if request.mimetype != "application/json":
        raise MarketoError("612")
    try:
        body = parse_json(data)
    except BadBody:
        raise MarketoError("609") from None
    if not isinstance(body, dict):
        raise MarketoError("609")
    return body


def input_list(body: dict, limit: int) -> list:
    records = body.get("input")
    if records is None or records == []:
        raise MarketoError("701", what="input")
    if not isinstance(records, list):
        raise MarketoError("1003", "Invalid data: 'input' must be an array")
    call().records = len(records)  # journalled even when refused (an oversized batch)
    if len(records) > limit:
        raise MarketoError("1003", f"Batch size exceeds the maximum of {limit} records")
    return records


def lead_ids(limit: int) -> list[int]:
    """Lead ids from `{"input":[{"id":N}]}` or from `?id=1&id=2` / `?id=1,2`."""
    body = optional_json_body()
    if body is not None:
        raw: list = [item.get("id") if isinstance(item, dict) else None
                     for item in input_list(body, limit)]
    else:
        raw = csv_param("id")
        if not raw:
            raise MarketoError("701", what="id")
        if len(raw) > limit:
            raise MarketoError("1003", f"Batch size exceeds the maximum of {limit} records")
        call().records = len(raw)
    ids = []
    for value in raw:
        lead_id = whole_number(value, 1)
        if lead_id is None:
            raise MarketoError("1003", f"Invalid lead id '{str(value)[:40]}'")
        ids.append(lead_id)
    return ids


def page_token(offset: int) -> str:
    return base64.b32encode(f"vs:{offset}".encode()).decode()


def page_offset() -> int:
    token = param("nextPageToken")
    if not token:
        return 0
    try:
        prefix, offset = base64.b32decode(token).decode().split(":")
        if prefix != "vs":
            raise ValueError
        return int(offset)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise MarketoError("1003", "Invalid nextPageToken") from None


def json_response(body: dict, status: int = 200) -> Response:
    """A Marketo JSON answer as nginx sends it."""
    return Response(json.dumps(body, separators=(",", ":")), status=status, mimetype=None,
                    content_type=JSON_TYPE, headers={"Server": "nginx"})


def note_codes(results: list[dict]) -> None:
    """Put record-level reason codes into the journal's code column."""
    seen = call().codes
    for item in results:
        if "reasons" in item:
            for r in item["reasons"]:
                if r["code"] not in seen:
                    seen.append(r["code"])


def ok(result: list | None = None, *, more: bool = False, offset: int | None = None,
       warnings: list | None = None) -> Response:
    """A lead-database success envelope: empty errors/warnings are left out, as Marketo does."""
    body: dict = {"requestId": request_id(call().now)}
    if result is not None:
        body["result"] = result
        note_codes(result)
    body["success"] = True
    if more:
        body["moreResult"] = True
        body["nextPageToken"] = page_token(offset or 0)
    if warnings:
        body["warnings"] = warnings
    return json_response(body)


def asset_ok(result: list | None = None, warnings: list | None = None,
             **extra: object) -> Response:
    """An asset-API envelope: errors and warnings are always present; no result on a miss;
    `extra` adds fields some answers carry (pageDetails)."""
    body: dict = {"success": True, "errors": [], "requestId": request_id(call().now),
                  "warnings": warnings or []}
    if result is not None:
        body["result"] = result
    body.update(extra)
    return json_response(body)


def page(result: list, more: bool, offset: int, batch: int) -> Response:
    """A page of a lead-database list: `nextPageToken` when there is more."""
    return ok(result, more=more, offset=offset + batch)


def assets(result: list) -> Response:
    """An asset-API read: the assets found, or Marketo's "no assets" warning."""
    return asset_ok(result) if result else asset_ok(None, [NO_ASSETS_WARNING])


def failure(code: str, text: str) -> Response:
    """A refused call: the asset API's envelope keeps its (empty) warnings list."""
    state = call()
    state.fail(code)
    body: dict = {"requestId": request_id(state.now), "success": False,
                  "errors": [{"code": code, "message": text}]}
    if request.path.startswith("/rest/asset/"):
        body["warnings"] = []
    return json_response(body)


def oauth_error(status: int, error: str, description: str) -> Response:
    """The identity endpoint's OAuth error (Spring's shape: vendor-apis.md 1.2)."""
    call().fail(error)
    return Response(json.dumps({"error": error, "error_description": description}),
                    status=status, content_type=JSON_TYPE, headers=TOKEN_HEADERS)


def http_error(status: int, reason_phrase: str) -> Response:
    call().fail()
    return Response(NGINX_PAGE.format(status=status, reason=reason_phrase), status=status,
                    content_type="text/html", headers={"Server": "nginx"})


def form_only() -> None:
    """The asset API takes form bodies (or the query string); JSON bodies get 612."""
    if request.get_data(cache=True) and request.mimetype != "application/x-www-form-urlencoded":
        raise MarketoError("612")


def asset_page() -> tuple[int, int]:
    """`offset` (from 0) and `maxReturn` (20 unless given, at most 200) of a browse."""
    return (int_param("offset", 0, low=0),
            int_param("maxReturn", facts.ASSET_PAGE_DEFAULT, high=facts.ASSET_PAGE_MAX))


def asset_query() -> dict[str, str]:
    """The parameters of an asset-API read, the first value of each."""
    return {name: values[0] for name, values in params().items() if name != "access_token"}


def asset_form() -> dict[str, str]:
    """The parameters of an asset-API write (query string and form body, the first value
    of each); a body of another kind answers 612."""
    form_only()
    return asset_query()


def app_type() -> None:
    """The content API (v2) needs the `x-app-type` header (701 without it)."""
    if not request.headers.get("x-app-type"):
        raise MarketoError("701", what="x-app-type")


def upload() -> tuple[dict[str, str], dict[str, tuple[bytes, str, str]]]:
    """A multipart body: its fields (beside the query's) and its files as (bytes, file name,
    content type); 613 for a body that is not multipart."""
    if request.mimetype != "multipart/form-data":
        if request.get_data(cache=True):
            raise MarketoError("613")
        return asset_query(), {}
    try:
        fields = {k: v for k, v in request.form.items()}
        files = {k: (part.read(), part.filename or "", part.mimetype or
                     "application/octet-stream") for k, part in request.files.items()}
    except ValueError:
        raise MarketoError("613") from None
    return {**asset_query(), **fields}, files


def int_values(name: str, limit: int | None = None, required: bool = False,
               low: int = 1) -> list[int]:
    """Whole numbers from a comma-separated or repeated parameter (1003 for one that is not,
    or for more than `limit`; 701 when required and missing)."""
    raw = csv_param(name)
    if not raw and required:
        raise MarketoError("701", what=name)
    if limit is not None and len(raw) > limit:
        raise MarketoError("1003", f"{name} may hold at most {limit} values")
    out = []
    for value in raw:
        number = whole_number(value, low)
        if number is None:
            raise MarketoError("1003", f"Invalid value '{value[:40]}' for parameter '{name}'")
        out.append(number)
    return out


def fields_page(fields: list[dict]) -> Response:
    """A schema field list, paged like every lead-database list (300 at most)."""
    batch = batch_size()
    offset = page_offset()
    return page(fields[offset:offset + batch], offset + batch < len(fields), offset, batch)


def field_named(fields: list[dict], name: str) -> Response:
    """One field of a schema field list (1006 when there is none)."""
    found = [f for f in fields if f["name"] == name]
    if not found:
        raise MarketoError("1006", field=name)
    return ok(found)


# -- the object APIs' shared request forms (companies, opportunities, custom objects, ...) ---
def object_query() -> tuple[str, list, list[str], int, int]:
    """Query by filter: `filterType`/`filterValues` in the query, or (POST `_method=GET`) a
    JSON body with `filterType`, `fields` and `input` objects for compound keys. Returns
    (filter type, values, fields, offset, batch size)."""
    has_json = request.mimetype == "application/json" and request.get_data(cache=True)
    body = optional_json_body() if has_json else None  # else query or form
    limit = max_batch()
    if body is not None:
        filter_type = body_text(body, "filterType")
        values = input_list(body, limit)
        fields_raw = body.get("fields") or []
        if not isinstance(fields_raw, list) or not all(isinstance(f, str) for f in fields_raw):
            raise MarketoError("1003", "Invalid data: 'fields' is an array of names")
        fields = list(fields_raw)
    else:
        filter_type = required_param("filterType")
        values = list(filter_values(limit))
        fields = csv_param("fields")
    if filter_type == "dedupeFields" and body is None:
        raise MarketoError("1003", "filterType 'dedupeFields' needs the values as JSON "
                                   "objects (POST with _method=GET)")
    batch = int_param("batchSize", limit, high=limit)
    return filter_type, values, fields, page_offset(), batch


def object_sync() -> tuple[list, str, str]:
    """A sync body: (records, action, dedupeBy)."""
    body = json_body()
    records = input_list(body, max_batch())
    action = body.get("action", "createOrUpdate")
    dedupe_by = body.get("dedupeBy", "dedupeFields")
    if not isinstance(action, str) or not isinstance(dedupe_by, str):
        raise MarketoError("1003", "Invalid data: action and dedupeBy are strings")
    return records, action, dedupe_by


def object_delete() -> tuple[list, str]:
    """A delete body: (records, deleteBy)."""
    body = json_body()
    records = input_list(body, max_batch())
    delete_by = body.get("deleteBy", "dedupeFields")
    if not isinstance(delete_by, str):
        raise MarketoError("1003", "Invalid data: deleteBy is a string")
    return records, delete_by
