"""The dashboard: a page at `/__admin/ui/` on the host-routed port that shows what the mocks
hold and what they were asked, live. The page is static (HTML, CSS, a little JavaScript,
shipped in the package, no build step, no CDN); it reads the admin API and two summary
calls served here, and writes only through the admin API (faults, the clock)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Blueprint, Response, jsonify, redirect, request, send_from_directory
from flask.typing import ResponseReturnValue

from vendorsim.mocks.core.admin.access import CHALLENGE, COOKIE, admitted, same
from vendorsim.mocks.core.admin.tenants import describe_tenant
from vendorsim.mocks.core.clock import iso_utc

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud

STATIC = Path(__file__).with_name("static")
SAMPLE = 5  # records shown of each collection
WIDE = 5  # a nested list longer than this shows as its length


def dashboard_blueprint(cloud: Cloud) -> Blueprint:
    bp = Blueprint("dashboard", __name__, url_prefix="/__admin/ui")

    @bp.before_request
    def closed() -> ResponseReturnValue | None:
        """With an admin token (core/admin/access.py): `?token=TOKEN` once sets the
        dashboard's cookie and comes back without it; no token, no page."""
        token = cloud.admin_token
        if token is None or admitted(request, token):
            return None
        if same(request.args.get("token"), token):
            back = redirect(request.script_root + request.path, 303)
            back.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/__admin")
            return back
        return Response("The dashboard needs the admin token: open /__admin/ui/?token=<the "
                        "token> once.\n", 401, CHALLENGE, content_type="text/plain")

    @bp.get("/")
    def page() -> Response:
        """The dashboard page."""
        return send_from_directory(STATIC, "index.html", max_age=0)

    @bp.get("/static/<path:name>")
    def asset(name: str) -> Response:
        """The page's script and style sheet."""
        return send_from_directory(STATIC, name, max_age=0)

    @bp.get("/summary.json")
    def summary() -> Response:
        """Every vendor's tenants: limits with their counters, and what each holds (counts
        and a few records of each collection)."""
        vendors = {}
        for name, service in cloud.services.items():
            vendors[name] = [{**describe_tenant(service, tenant),
                              "state": summarize(tenant.backend.snapshot())}
                             for tenant in service.tenants()]
        body = {"vendors": vendors, "clock": cloud.clock.describe(),
                "faults": cloud.faults.list()}
        # keys in the order the state has them (jsonify would sort them)
        return Response(json.dumps(body, default=str), content_type="application/json")

    @bp.get("/state/<vendor>/<tenant>.json")
    def tenant_state(vendor: str, tenant: str) -> ResponseReturnValue:
        """The whole state of one tenant, as a snapshot holds it."""
        service = cloud.services.get(vendor)
        found = service.find_tenant(tenant) if service else None
        if found is None:
            return jsonify(error=f"no {vendor} tenant {tenant!r}"), 404
        return jsonify(found.backend.snapshot())

    return bp


def summarize(state: dict) -> list[dict]:
    """Each collection of a tenant's state: its size and a sample of its records (the last
    ones for the activity log, the first ones otherwise); settings as they are."""
    out = []
    for key, value in state.items():
        if key.startswith("next_"):
            continue  # id counters
        if key == "activities" and isinstance(value, list):
            out.append({"name": key, "count": len(value), "sample": [
                _activity(len(value) - len(value[-SAMPLE:]) + n + 1, row)
                for n, row in enumerate(value[-SAMPLE:])]})
        elif isinstance(value, list):
            out.append({"name": key, "count": len(value),
                        "sample": [_narrow(item) for item in value[:SAMPLE]]})
        elif isinstance(value, dict) and value and all(isinstance(v, list)
                                                       for v in value.values()):
            out.append({"name": key, "count": len(value), "sample": [
                {"key": k, "items": len(v)} for k, v in list(value.items())[:SAMPLE]]})
        elif isinstance(value, dict):
            out.append({"name": key, "count": None, "sample": [value] if value else []})
        else:
            out.append({"name": key, "count": None, "sample": [{"value": value}]})
    return out


def _activity(number: int, row: list) -> dict:
    """A Marketo activity row (see marketo.activities.snapshot) with its column names."""
    lead, kind, at, primary_id, primary, attributes, field, old, new = row[:9]
    out = {"id": row[9] if len(row) > 9 else number, "leadId": lead,
           "activityTypeId": kind, "activityDate": iso_utc(at),
           "primary": primary if primary is not None else primary_id}
    if field is not None:
        out.update(field=field, oldValue=old, newValue=new)
    return {**out, "attributes": attributes}


def _narrow(item: object) -> object:
    """A record as a table row: nested long lists become their length."""
    if isinstance(item, dict):
        return {k: (f"{len(v)} items" if isinstance(v, list) and len(v) > WIDE else v)
                for k, v in item.items()}
    if isinstance(item, list):
        return {f"[{n}]": v for n, v in enumerate(item)}
    return {"value": item}
