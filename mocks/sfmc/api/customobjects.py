"""The (undocumented but widely used) customobjects endpoints: create a data extension,
find them by name or key, describe one and its fields."""

from __future__ import annotations

from flask import Blueprint, Response, request

from vendorsim.mocks.core.openapi import doc

from ..facts import INVALID_REQUEST
from ..model.errors import SfmcError
from . import http

bp = Blueprint("sfmc_customobjects", __name__)


@bp.post("/data/v1/customobjects")
@doc(body="json", examples=[
    {"name": "DE", "key": "de", "fields": [{"name": "F", "type": "Text", "length": 10,
                                           "isPrimaryKey": True}]}])
def create() -> Response:
    """Create a data extension with its fields."""
    spec = http.body_json()
    if not isinstance(spec, dict):
        raise SfmcError(400, "The request body must be a JSON object.", INVALID_REQUEST)
    return http.json_response(http.account().data.create(http.caller(), spec).describe(), 201)


@bp.get("/data/v1/customobjects")
@doc(query=("$search",))
def search() -> Response:
    """The data extensions whose name or key holds `$search`."""
    items = http.account().data.search(http.caller(), request.args.get("$search") or "")
    return http.json_response({"count": len(items), "page": 1, "pageSize": len(items),
                               "items": items})


@bp.get("/data/v1/customobjects/<de_id>")
@doc(query=())
def customobject(de_id: str) -> Response:
    """One data extension (by id, or key:KEY), with its fields."""
    return http.json_response(http.account().data.describe(http.caller(), de_id))


@bp.get("/data/v1/customobjects/<de_id>/fields")
@doc(query=())
def customobject_fields(de_id: str) -> Response:
    """The fields of one data extension."""
    described = http.account().data.describe(http.caller(), de_id)
    return http.json_response({"id": described["id"], "key": described["key"],
                               "fields": described["fields"]})
