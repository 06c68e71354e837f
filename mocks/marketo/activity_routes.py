"""Activity reads (types, paging tokens, activities, lead changes, deleted leads) and the
custom activity metadata API."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, Response, g

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import parse_time
from vendorsim.mocks.core.openapi import doc

from . import http
from .activities import (
    CHANGE_DATA_VALUE,
    DELETE_LEAD,
    MAX_LEAD_IDS,
    MAX_TYPE_IDS,
    NEW_LEAD,
    STANDARD_TYPES,
    token,
    token_position,
)
from .errors import MarketoError, RecordError, request_id
from .object_routes import db
from .routes import require

if TYPE_CHECKING:
    from .activities import Activity
    from .models import LeadDatabase

TYPE_EXAMPLE = {"apiName": "webinarAttended", "name": "Attended webinar",
                "triggerName": "Attends webinar", "filterName": "Attended webinar",
                "primaryAttribute": {"apiName": "webinar", "name": "Webinar",
                                     "dataType": "string"}}


def register_activity_routes(app: Flask) -> None:
    @app.get("/rest/v1/activities/types.json")
    @doc()
    def activity_types() -> Response:
        """Every activity type of the instance: standard ones and approved custom ones."""
        require("read")
        out = []
        for type_id, (name, description, primary, attributes) in STANDARD_TYPES.items():
            item: dict = {"id": type_id, "name": name, "description": description}
            if primary:
                item["primaryAttribute"] = {"name": primary[0], "dataType": primary[1]}
            item["attributes"] = [{"name": n, "dataType": t} for n, t in attributes]
            out.append(item)
        database = db()
        with database.lock:
            out += [t.describe_type() for t in database.activity_types.types.values()
                    if t.approved is not None]
        return http.ok(out)

    @app.get("/rest/v1/activities/pagingtoken.json")
    @doc(query=("sinceDatetime",))
    def paging_token() -> Response:
        """A paging token for the first activity at or after `sinceDatetime`."""
        require("read")
        raw = http.required_param("sinceDatetime")
        try:
            since = parse_time(raw)
        except (ValueError, TypeError, OverflowError):
            raise MarketoError("1003", f"Invalid sinceDatetime '{raw[:40]}'") from None
        database = db()
        with database.lock:
            position = database.activities.position_at(since)
        return _envelope(token(position))

    @app.get("/rest/v1/activities.json")
    @doc(query=("nextPageToken", "activityTypeIds", "listId", "leadIds", "assetIds",
                "batchSize", "_method"))
    def activities() -> Response:
        """Activities of the given types from a paging token on."""
        require("read")
        type_ids = _ids("activityTypeIds", MAX_TYPE_IDS, required=True)
        return _page(set(type_ids), lambda a, _: a.render())

    @app.get("/rest/v1/activities/leadchanges.json")
    @doc(query=("nextPageToken", "fields", "listId", "leadIds", "batchSize", "_method"))
    def lead_changes() -> Response:
        """New Lead and Change Data Value activities of the given fields."""
        require("read")
        fields = set(http.csv_param("fields"))
        if not fields:
            raise MarketoError("701", what="fields")
        database = db()
        for name in fields:
            if name not in database.schema.fields:
                raise MarketoError("1006", field=name)
        field_ids = {name: n for n, name in enumerate(database.schema.fields, start=1)}

        def keep(activity: Activity) -> bool:
            return activity.type_id == NEW_LEAD or activity.field in fields

        return _page({NEW_LEAD, CHANGE_DATA_VALUE},
                     lambda a, _: a.render_change(field_ids), keep)

    @app.get("/rest/v1/activities/deletedleads.json")
    @doc(query=("nextPageToken", "batchSize"))
    def deleted_leads() -> Response:
        """Delete Lead activities from a paging token on."""
        require("read")
        return _page({DELETE_LEAD}, lambda a, _: a.render())

    @app.post("/rest/v1/activities/external.json")
    @doc(body="json", examples=[{"input": [{"leadId": 1, "activityTypeId": 100000,
                                            "activityDate": "2026-01-05T10:00:00Z",
                                            "primaryAttributeValue": "Webinar 1"}]}])
    def add_custom_activities() -> Response:
        """Add custom activities (of approved custom types) to leads."""
        require("edit_person")
        items = http.input_list(http.json_body(), g.tenant.limiter.config.max_batch)
        database = db()
        results = []
        with database.lock:
            for item in items:
                try:
                    lead_id, type_id, at, primary, attrs = \
                        database.activity_types.check_activity(item, database.leads)
                except RecordError as exc:
                    results.append({"status": "skipped", "reasons": [exc.reason]})
                    continue
                added = database.activities.add(lead_id, type_id, at, None, primary, attrs)
                results.append({"id": added.id, "status": "added"})
        return http.ok(results)

    _register_metadata(app)


def _register_metadata(app: Flask) -> None:
    def types_of() -> LeadDatabase:
        return db()

    @app.get("/rest/v1/activities/external/types.json")
    @doc()
    def custom_activity_types() -> Response:
        """Custom activity types, drafts included."""
        require("read")
        database = types_of()
        with database.lock:
            return http.ok([t.render(t.draft or t.approved)  # type: ignore[arg-type]
                            for t in database.activity_types.types.values()])

    @app.post("/rest/v1/activities/external/type.json")
    @doc(body="json", examples=[TYPE_EXAMPLE])
    def create_custom_activity_type() -> Response:
        """Create a custom activity type (a draft)."""
        require("edit_assets")
        body = http.json_body()
        database = types_of()
        with database.lock:
            return http.ok([database.activity_types.create(body, database.clock.now())])

    @app.post("/rest/v1/activities/external/type/<api_name>.json")
    @doc(body="json", examples=[{"name": "Attended a webinar"}])
    def update_custom_activity_type(api_name: str) -> Response:
        """Change the draft of a custom activity type."""
        require("edit_assets")
        body = http.json_body()
        database = types_of()
        with database.lock:
            return http.ok([database.activity_types.update(api_name, body,
                                                           database.clock.now())])

    @app.get("/rest/v1/activities/external/type/<api_name>/describe.json")
    @doc(query=("draft",))
    def describe_custom_activity_type(api_name: str) -> Response:
        """A custom activity type, its approved version or (draft=true) its draft."""
        require("read")
        database = types_of()
        with database.lock:
            found = database.activity_types.get(api_name)
            want_draft = http.param("draft") == "true" or found.approved is None
            version = found.draft if want_draft and found.draft else found.approved
            return http.ok([found.render(version)])  # type: ignore[arg-type]

    for verb in ("approve", "discardDraft", "delete"):
        app.add_url_rule(f"/rest/v1/activities/external/type/<api_name>/{verb}.json",
                         endpoint=f"custom_activity_type_{verb}", methods=["POST"],
                         view_func=doc()(_type_action(verb)))
    for how in ("create", "update", "delete"):
        app.add_url_rule(f"/rest/v1/activities/external/type/<api_name>/attributes/{how}.json",
                         endpoint=f"custom_activity_attributes_{how}", methods=["POST"],
                         view_func=doc(body="json", examples=[{"attributes": [
                             {"apiName": "room", "name": "Room", "dataType": "string"}]}])(
                             _attribute_action(how)))


def _type_action(verb: str) -> Callable[[str], Response]:
    def view(api_name: str) -> Response:
        require("edit_assets")
        database = db()
        with database.lock:
            types = database.activity_types
            if verb == "approve":
                result = types.approve(api_name, database.clock.now())
            elif verb == "discardDraft":
                result = types.discard(api_name)
            else:
                result = types.delete(api_name)
        return http.ok([result])
    view.__doc__ = f"{verb} a custom activity type."
    return view


def _attribute_action(how: str) -> Callable[[str], Response]:
    def view(api_name: str) -> Response:
        require("edit_assets")
        body = http.json_body()
        database = db()
        with database.lock:
            return http.ok([database.activity_types.change_attributes(
                api_name, body.get("attributes"), how)])
    view.__doc__ = f"{how} attributes of a custom activity type."
    return view


def _ids(name: str, limit: int, required: bool = False) -> list[int]:
    raw = http.csv_param(name)
    if not raw and required:
        raise MarketoError("701", what=name)
    if len(raw) > limit:
        raise MarketoError("1003", f"{name} may hold at most {limit} values")
    out = []
    for value in raw:
        number = whole_number(value, 1)
        if number is None:
            raise MarketoError("1003", f"Invalid value '{value[:40]}' for parameter '{name}'")
        out.append(number)
    return out


def _page(types: set[int], render: Callable[[Activity, LeadDatabase], dict],
          keep: Callable[[Activity], bool] | None = None) -> Response:
    """One page of the activity log from `nextPageToken`, filtered by type, lead and list."""
    start = token_position(http.required_param("nextPageToken"))
    batch = http.int_param("batchSize", 300, high=300)
    lead_ids = set(_ids("leadIds", MAX_LEAD_IDS))
    list_param = http.param("listId")
    database = db()
    with database.lock:
        leads: set[int] | None = lead_ids or None
        if list_param:
            list_id = whole_number(list_param, 1)
            if list_id is None:
                raise MarketoError("1003", f"Invalid listId '{list_param[:40]}'")
            members = set(database.lists.get(list_id).members)
            leads = members & lead_ids if lead_ids else members
        found, position = database.activities.page(start, batch, types, leads)
        if keep is not None:
            found = [a for a in found if keep(a)]
        result = [render(a, database) for a in found]
        more = position < database.activities.end
    return _envelope(token(position), result, more)


def _envelope(next_token: str, result: list | None = None, more: bool | None = None
              ) -> Response:
    """Activity envelopes always carry the next token; `result` only when there is one."""
    body: dict = {"requestId": request_id(g.now), "success": True, "nextPageToken": next_token}
    if more is not None:
        body["moreResult"] = more
    if result:
        body["result"] = result
        http.note_codes(result)
    return http.json_response(body)
