"""Admin calls on the vendors' calendars (docs/how-to/calendar.md): which dated changes
hold, for the server or a tenant; pins of a date (`as_of`) and opt-outs by rule name; and
the staged rotation of a client secret that SFMC's expiring secrets call for."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ..calendar import CalendarPin
from ..openapi import doc
from . import AdminError, _body, _cloud, _service, _services, _vendor_service, bp, tenant_of


@bp.get("/calendar")
@doc(query=("tenant",))
def calendar() -> ResponseReturnValue:
    """Every dated rule of the vendors served here, and whether it is in force: for the
    server, or (on a vendor host, `?tenant=`) for one tenant."""
    tenant = request.args.get("tenant") or None
    if tenant is not None:
        tenant_of(tenant)
    vendors = {}
    for service in _services():
        own = [{"tenant": t.id, **service.calendar.describe(t.id),
                "pin": t.calendar.to_dict()}
               for t in service.tenants() if tenant in (None, t.id)]
        vendors[service.name] = {**service.calendar.describe(tenant), "tenants": own}
    return jsonify(pin=_cloud().calendar.to_dict(), vendors=vendors)


@bp.put("/calendar")
@doc(examples=[{"as_of": "2027-01-01", "opt_out": ["marketo.query_token"]}])
def pin_calendar() -> ResponseReturnValue:
    """The server's pin, for every vendor (on a vendor host too: it is the server's)."""
    cloud = _cloud()
    try:
        cloud.calendar = CalendarPin.from_dict(_body(), cloud.dated_rules())
    except ValueError as exc:
        raise AdminError(400, f"calendar not pinned: {exc}") from None
    return jsonify(cloud.calendar.to_dict())


@bp.put("/tenants/<tenant_id>/calendar")
@doc(examples=[{"as_of": "2026-08-30", "opt_out": []}])
def pin_tenant_calendar(tenant_id: str) -> ResponseReturnValue:
    """One tenant's pin: its `as_of` wins over the server's; opt-outs of both apply."""
    tenant = tenant_of(tenant_id)
    try:
        tenant.calendar = CalendarPin.from_dict(_body(), _vendor_service().calendar.changes)
    except ValueError as exc:
        raise AdminError(400, f"calendar not pinned: {exc}") from None
    return jsonify(tenant.calendar.to_dict())


@bp.post("/tenants/<tenant_id>/credentials/<client_id>/secret/stage")
@doc(examples=[{"secret": "the-new-secret"}, {}])
def stage_secret(tenant_id: str, client_id: str) -> ResponseReturnValue:
    """Generate (or take) and stage a new client secret; both work until activation."""
    tenant = tenant_of(tenant_id)
    secret = _body().get("secret")
    if secret is not None and (not isinstance(secret, str) or not 0 < len(secret) <= 500):
        raise AdminError(400, "secret is a string of 1-500 characters (or leave it out)")
    return _rotation("stage_secret", tenant, client_id, secret)


@bp.post("/tenants/<tenant_id>/credentials/<client_id>/secret/activate")
def activate_secret(tenant_id: str, client_id: str) -> ResponseReturnValue:
    """Activate the staged secret: the one it replaces stops working."""
    return _rotation("activate_secret", tenant_of(tenant_id), client_id)


def _rotation(step: str, *args: object) -> ResponseReturnValue:
    operation = getattr(_service(), step, None)
    if operation is None:
        raise AdminError(404, "this vendor has no secret rotation")
    try:
        return jsonify(operation(*args))
    except LookupError as exc:
        raise AdminError(404, str(exc)) from None
    except ValueError as exc:
        raise AdminError(409, str(exc)) from None
