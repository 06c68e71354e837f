"""Smart campaigns: list, get, schedule a batch campaign, trigger a requestable one."""

from __future__ import annotations

import re

from flask import Blueprint, Response

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.openapi import doc

from ..model.campaigns import MAX_TRIGGER_LEADS
from ..model.errors import MarketoError
from . import http

bp = Blueprint("campaigns", __name__)
MY_TOKEN = re.compile(r"\{\{my\.([^{}]{1,100})\}\}")
MAX_TOKENS = 100  # tokens of one request (chosen)


def my_tokens(spec: object) -> dict[str, str]:
    """The request's `tokens`: [{name: "{{my.Name}}", value}] as {name lowered: value}."""
    raw = spec.get("tokens") if isinstance(spec, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, list) or len(raw) > MAX_TOKENS:
        raise MarketoError("1003", f"tokens is a list of at most {MAX_TOKENS} {{name, value}}")
    found = {}
    for item in raw:
        name = item.get("name") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        match = MY_TOKEN.fullmatch(name) if isinstance(name, str) else None
        if match is None or not isinstance(value, str) or len(value) > 65_536:
            raise MarketoError("1003", "Each token is {name: \"{{my.Name}}\", value: text}")
        found[match.group(1).strip().lower()] = value
    return found


@bp.get("/rest/v1/campaigns.json")
@doc(query=("id", "name", "programName", "workspaceName", "isTriggerable", "batchSize",
            "nextPageToken"))
def query() -> Response:
    """Smart campaigns, filtered by id, name or triggerability."""
    http.require("read")
    ids = {whole_number(v, 1) for v in http.csv_param("id")}
    names = set(http.csv_param("name"))
    trig = http.param("isTriggerable")
    if trig not in (None, "true", "false"):
        raise MarketoError("1003", "isTriggerable is true or false")
    batch = http.batch_size()
    offset = http.page_offset()
    found, more = http.instance().campaigns.query(
        ids, names, None if trig is None else trig == "true", offset, batch)
    return http.page(found, more, offset, batch)


@bp.get("/rest/v1/campaigns/<int:campaign_id>.json")
@doc()
def by_id(campaign_id: int) -> Response:
    """One smart campaign (1013 when there is none)."""
    http.require("read")
    return http.ok(http.instance().campaigns.described(campaign_id))


@bp.post("/rest/v1/campaigns/<int:campaign_id>/trigger.json")
@doc(body="json", examples=[{"input": {"leads": [{"id": 1}], "tokens": [
    {"name": "{{my.Offer}}", "value": "Free trial"}]}}])
def trigger(campaign_id: int) -> Response:
    """Request a triggerable campaign for up to 100 leads."""
    http.require("edit_person")
    spec = http.json_body().get("input")
    leads = spec.get("leads") if isinstance(spec, dict) else None
    if not isinstance(leads, list) or not leads:
        raise MarketoError("701", what="leads")
    if len(leads) > MAX_TRIGGER_LEADS:
        raise MarketoError("1003", f"At most {MAX_TRIGGER_LEADS} leads per call")
    ids = [whole_number(lead.get("id"), 1) if isinstance(lead, dict) else None
           for lead in leads]
    if any(i is None for i in ids):
        raise MarketoError("1003", "Each lead is {id}")
    return http.ok(http.instance().campaigns.trigger(
        campaign_id, [i for i in ids if i is not None], my_tokens(spec)))


@bp.post("/rest/v1/campaigns/<int:campaign_id>/schedule.json")
@doc(body="json", examples=[{"input": {"runAt": "2026-01-05T10:00:00Z"}}])
def schedule(campaign_id: int) -> Response:
    """Schedule a batch campaign to run (now, or at runAt)."""
    http.require("edit_person")
    body = http.optional_json_body() or {}
    spec = body.get("input") or {}
    if not isinstance(spec, dict):
        raise MarketoError("1003", "input is an object {runAt, tokens}")
    return http.ok(http.instance().campaigns.schedule(campaign_id, spec.get("runAt"),
                                                      my_tokens(spec)))
