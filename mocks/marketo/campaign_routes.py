"""Smart campaigns (list, get, schedule a batch campaign, trigger a requestable one) and the
usage statistics of the instance (calls and errors per day)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import parse_time
from vendorsim.mocks.core.openapi import doc

from . import http
from .activities import REQUEST_CAMPAIGN
from .errors import MarketoError
from .object_routes import db
from .routes import require
from .usage import last_days

MAX_TRIGGER_LEADS = 100


def _render(campaign: dict, workspace: str = "Default") -> dict:
    return {"id": campaign["id"], "name": campaign["name"], "description": "",
            "type": "trigger" if campaign["isTriggerable"] else "batch",
            "isTriggerable": campaign["isTriggerable"], "isRequestable":
                campaign["isTriggerable"], "isActive": True,
            "programId": campaign["programId"], "workspaceName": workspace,
            "createdAt": campaign["createdAt"], "updatedAt": campaign["createdAt"],
            "active": True}


def register_campaign_routes(app: Flask) -> None:
    @app.get("/rest/v1/campaigns.json")
    @doc(query=("id", "name", "programName", "workspaceName", "isTriggerable", "batchSize",
                "nextPageToken"))
    def campaigns() -> Response:
        """Smart campaigns, filtered by id, name or triggerability."""
        require("read")
        ids = {whole_number(v, 1) for v in http.csv_param("id")}
        names = set(http.csv_param("name"))
        trig = http.param("isTriggerable")
        if trig not in (None, "true", "false"):
            raise MarketoError("1003", "isTriggerable is true or false")
        batch = http.int_param("batchSize", 300, high=300)
        offset = http.page_offset()
        database = db()
        with database.lock:
            found = [_render(c) for c in database.programs.campaigns.values()
                     if (not ids or c["id"] in ids) and (not names or c["name"] in names)
                     and (trig is None or c["isTriggerable"] == (trig == "true"))]
        return http.ok(found[offset:offset + batch], more=offset + batch < len(found),
                       offset=offset + batch)

    @app.get("/rest/v1/campaigns/<int:campaign_id>.json")
    @doc()
    def campaign(campaign_id: int) -> Response:
        """One smart campaign (1013 when there is none)."""
        require("read")
        database = db()
        with database.lock:
            return http.ok([_render(_get(database, campaign_id))])

    @app.post("/rest/v1/campaigns/<int:campaign_id>/trigger.json")
    @doc(body="json", examples=[{"input": {"leads": [{"id": 1}], "tokens": []}}])
    def trigger(campaign_id: int) -> Response:
        """Request a triggerable campaign for up to 100 leads."""
        require("edit_person")
        body = http.json_body()
        spec = body.get("input")
        leads = spec.get("leads") if isinstance(spec, dict) else None
        if not isinstance(leads, list) or not leads:
            raise MarketoError("701", what="leads")
        if len(leads) > MAX_TRIGGER_LEADS:
            raise MarketoError("1003", f"At most {MAX_TRIGGER_LEADS} leads per call")
        ids = [whole_number(lead.get("id"), 1) if isinstance(lead, dict) else None
               for lead in leads]
        if None in ids:
            raise MarketoError("1003", "Each lead is {id}")
        database = db()
        with database.lock:
            found = _get(database, campaign_id)
            if not found["isTriggerable"]:
                raise MarketoError("1003", "The campaign cannot be requested: it has no "
                                           "'Campaign is Requested' trigger")
            now = database.clock.now()
            for lead_id in ids:
                if lead_id in database.leads:
                    found["requested"].append(lead_id)
                    database.activities.add(lead_id, REQUEST_CAMPAIGN, now, campaign_id,
                                            found["name"], (("Source", "Web Service API"),))
        return http.ok([{"id": campaign_id}])

    @app.post("/rest/v1/campaigns/<int:campaign_id>/schedule.json")
    @doc(body="json", examples=[{"input": {"runAt": "2026-01-05T10:00:00Z"}}])
    def schedule(campaign_id: int) -> Response:
        """Schedule a batch campaign to run (now, or at runAt)."""
        require("edit_person")
        body = http.json_body(required=False) or {}
        spec = body.get("input") or {}
        if not isinstance(spec, dict):
            raise MarketoError("1003", "input is an object {runAt, tokens}")
        database = db()
        with database.lock:
            found = _get(database, campaign_id)
            if found["isTriggerable"]:
                raise MarketoError("1003", "A trigger campaign cannot be scheduled")
            run_at = database.clock.now()
            if spec.get("runAt") is not None:
                try:
                    run_at = parse_time(spec["runAt"])
                except (ValueError, TypeError, OverflowError):
                    raise MarketoError("1003", "runAt is an ISO-8601 date-time") from None
            found["runs"].append(run_at)
        return http.ok([{"id": campaign_id}])

    for rule, days, kind in (("usage", 1, "usage"), ("usage/last7days", 7, "usage"),
                             ("errors", 1, "errors"), ("errors/last7days", 7, "errors")):
        app.add_url_rule(f"/rest/v1/stats/{rule}.json",
                         endpoint=f"stats_{rule.replace('/', '_')}", methods=["GET"],
                         view_func=doc()(_stats_view(days, kind)))


def _get(database: object, campaign_id: int) -> dict:
    found = database.programs.campaigns.get(campaign_id)  # type: ignore[attr-defined]
    if found is None:
        raise MarketoError("1013", f"Campaign '{campaign_id}' not found")
    return found


def _stats_view(days: int, kind: str) -> Callable[[], Response]:
    def view() -> Response:
        require("read")
        database = db()
        with database.lock:
            wanted = last_days(database.clock.now(), days)
            usage = database.usage
            return http.ok(usage.usage(wanted) if kind == "usage"
                           else usage.error_counts(wanted))
    view.__doc__ = f"API {kind} of the instance for the last {days} day(s)."
    return view
