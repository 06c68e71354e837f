"""Activities: types, paging tokens, lead activities, lead changes, deleted leads, custom
activities and the custom activity type metadata API."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import parse_time
from vendorsim.mocks.core.openapi import doc

from ..facts import MAX_ACTIVITY_LEAD_IDS, MAX_ACTIVITY_TYPE_IDS
from ..model.errors import MarketoError, request_id
from . import http

bp = Blueprint("activities", __name__)
TYPE_EXAMPLE = {"apiName": "webinarAttended", "name": "Attended webinar",
                "triggerName": "Attends webinar", "filterName": "Attended webinar",
                "primaryAttribute": {"apiName": "webinar", "name": "Webinar",
                                     "dataType": "string"}}
TYPE_VERBS = ("approve", "discardDraft", "delete")
ATTRIBUTE_ACTIONS = ("create", "update", "delete")


def _envelope(next_token: str, result: list | None = None, more: bool | None = None
              ) -> Response:
    """Activity envelopes always carry the next token; `result` only when there is one."""
    body: dict = {"requestId": request_id(http.call().now), "success": True,
                  "nextPageToken": next_token}
    if more is not None:
        body["moreResult"] = more
    if result:
        body["result"] = result
        http.note_codes(result)
    return http.json_response(body)


def _filters() -> tuple[str, int, list[int], int | None]:
    """What every activity page takes: token, batch size, lead ids, a list's id."""
    next_token = http.param("nextPageToken") or ""
    batch = http.batch_size()
    lead_ids = http.int_values("leadIds", MAX_ACTIVITY_LEAD_IDS)
    raw = http.param("listId")
    list_id = whole_number(raw, 1) if raw else None
    if raw and list_id is None:
        raise MarketoError("1003", f"Invalid listId '{raw[:40]}'")
    return next_token, batch, lead_ids, list_id


@bp.get("/rest/v1/activities/types.json")
@doc()
def types() -> Response:
    """Every activity type of the instance: standard ones and approved custom ones."""
    http.require("read")
    return http.ok(http.instance().activities.types())


@bp.get("/rest/v1/activities/pagingtoken.json")
@doc(query=("sinceDatetime",))
def paging_token() -> Response:
    """A paging token for the first activity at or after `sinceDatetime`."""
    http.require("read")
    raw = http.required_param("sinceDatetime")
    try:
        since = parse_time(raw)
    except (ValueError, TypeError, OverflowError):
        raise MarketoError("1003", f"Invalid sinceDatetime '{raw[:40]}'") from None
    return _envelope(http.instance().activities.paging_token(since))


@bp.get("/rest/v1/activities.json")
@doc(query=("nextPageToken", "activityTypeIds", "listId", "leadIds", "assetIds",
            "batchSize", "_method"))
def activities() -> Response:
    """Activities of the given types from a paging token on."""
    http.require("read")
    type_ids = http.int_values("activityTypeIds", MAX_ACTIVITY_TYPE_IDS, required=True)
    return _envelope(*http.instance().activities.page(*_filters(), type_ids=type_ids))


@bp.get("/rest/v1/activities/leadchanges.json")
@doc(query=("nextPageToken", "fields", "listId", "leadIds", "batchSize", "_method"))
def lead_changes() -> Response:
    """New Lead and Change Data Value activities of the given fields."""
    http.require("read")
    fields = list(dict.fromkeys(http.csv_param("fields")))
    return _envelope(*http.instance().activities.lead_changes(*_filters(), fields=fields))


@bp.get("/rest/v1/activities/deletedleads.json")
@doc(query=("nextPageToken", "batchSize"))
def deleted_leads() -> Response:
    """Delete Lead activities from a paging token on."""
    http.require("read")
    next_token, batch, _, _ = _filters()
    return _envelope(*http.instance().activities.deleted_leads(next_token, batch))


@bp.post("/rest/v1/activities/external.json")
@doc(body="json", examples=[{"input": [{"leadId": 1, "activityTypeId": 100000,
                                        "activityDate": "2026-01-05T10:00:00Z",
                                        "primaryAttributeValue": "Webinar 1"}]}])
def add_custom() -> Response:
    """Add custom activities (of approved custom types) to leads."""
    http.require("edit_person")
    items = http.input_list(http.json_body(), http.max_batch())
    return http.ok(http.instance().activities.add_custom(items))


# -- custom activity types -----------------------------------------------------------------
@bp.get("/rest/v1/activities/external/types.json")
@doc()
def custom_types() -> Response:
    """Custom activity types, drafts included."""
    http.require("read")
    return http.ok(http.instance().activity_types.listed())


@bp.post("/rest/v1/activities/external/type.json")
@doc(body="json", examples=[TYPE_EXAMPLE])
def create_type() -> Response:
    """Create a custom activity type (a draft)."""
    http.require("edit_assets")
    return http.ok([http.instance().activity_types.create(http.json_body())])


@bp.post("/rest/v1/activities/external/type/<api_name>.json")
@doc(body="json", examples=[{"name": "Attended a webinar"}])
def update_type(api_name: str) -> Response:
    """Change the draft of a custom activity type."""
    http.require("edit_assets")
    return http.ok([http.instance().activity_types.update(api_name, http.json_body())])


@bp.get("/rest/v1/activities/external/type/<api_name>/describe.json")
@doc(query=("draft",))
def describe_type(api_name: str) -> Response:
    """A custom activity type, its approved version or (draft=true) its draft."""
    http.require("read")
    return http.ok(http.instance().activity_types.describe(api_name,
                                                           http.param("draft") == "true"))


@doc()
def type_action(api_name: str, verb: str) -> Response:
    """Approve, discard the draft of, or delete a custom activity type."""
    http.require("edit_assets")
    return http.ok([http.instance().activity_types.act(api_name, verb)])


@doc(body="json", examples=[{"attributes": [
    {"apiName": "room", "name": "Room", "dataType": "string"}]}])
def attributes(api_name: str, how: str) -> Response:
    """Create, update or delete attributes of a custom activity type."""
    http.require("edit_assets")
    specs = http.json_body().get("attributes")
    return http.ok([http.instance().activity_types.change_attributes(api_name, specs, how)])


for _verb in TYPE_VERBS:
    bp.add_url_rule(f"/rest/v1/activities/external/type/<api_name>/{_verb}.json",
                    f"type_{_verb}", type_action, methods=["POST"], defaults={"verb": _verb})
for _how in ATTRIBUTE_ACTIONS:
    bp.add_url_rule(f"/rest/v1/activities/external/type/<api_name>/attributes/{_how}.json",
                    f"attributes_{_how}", attributes, methods=["POST"], defaults={"how": _how})
