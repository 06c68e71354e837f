"""Admin calls on the virtual clock and on tenants: create, seed, credentials, personal API
tokens, limits, expired tokens, an exhausted quota."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from ..clock import parse_time
from ..openapi import doc
from ..service import Tenant, VendorService, seed_checked
from . import (
    AdminError,
    _body,
    _cloud,
    _service,
    _services,
    _vendor_service,
    bp,
    tenant_of,
)


@bp.get("/clock")
def clock() -> ResponseReturnValue:
    return jsonify(_cloud().clock.describe())


@bp.post("/clock/advance")
@doc(examples=[{"seconds": 30}])
def advance() -> ResponseReturnValue:
    if not _cloud().clock.virtual:
        raise AdminError(409, "the clock is real; start with a virtual clock to move it")
    seconds = _body().get("seconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise AdminError(400, "expected {'seconds': a number of seconds}")
    try:
        _cloud().clock.advance(float(seconds))
    except ValueError as exc:
        raise AdminError(400, f"clock not moved: {exc}") from None
    return jsonify(_cloud().clock.describe())


@bp.post("/clock/set")
@doc(examples=[{"time": "2026-02-01T00:00:00Z"}, {"time": 1767600000, "forward": True}])
def set_clock() -> ResponseReturnValue:
    if not _cloud().clock.virtual:
        raise AdminError(409, "the clock is real; start with a virtual clock to set it")
    body = _body()
    forward = body.get("forward", False)
    if not isinstance(forward, bool):
        raise AdminError(400, "forward is true or false")
    try:
        when = parse_time(body["time"])
        if not (forward and when < _cloud().clock.now()):  # forward: never back in time
            _cloud().clock.set(when)
    except (KeyError, TypeError, ValueError) as exc:
        raise AdminError(400, f"expected {{'time': ISO-8601}}: {exc}") from None
    return jsonify(_cloud().clock.describe())


@bp.get("/tenants")
def tenants() -> ResponseReturnValue:
    return jsonify(tenants={s.name: [describe_tenant(s, t) for t in s.tenants()]
                            for s in _services()})


@bp.post("/tenants")
@doc(examples=[{"id": "999-FZZ-999", "credentials": [{"client_id": "c", "client_secret": "s",
                                                      "permissions": ["read"]}],
                "limits": {"window_calls": 5, "quota_timezone": "Europe/Paris"},
                "state": {"partitions": ["EMEA"], "leads": [{"email": "z@x.example",
                                                              "updatedAt": 1700000000}]}}])


def create_tenant() -> ResponseReturnValue:
    service = _service()
    if service is None:
        raise AdminError(404, "create tenants on a vendor host")
    data = _body()
    unknown = set(data) - {"id", "credentials", "limits", "state"}
    if unknown:
        raise AdminError(400, f"unknown tenant field(s): {', '.join(sorted(unknown))}")
    if "id" not in data:
        raise AdminError(400, "a tenant needs an 'id' (Marketo: the Munchkin ID)")
    try:
        tenant = service.seed_tenant(data["id"], credentials=data.get("credentials"),
                                     limits=data.get("limits"), state=data.get("state"))
    except (ValueError, KeyError, TypeError) as exc:
        raise AdminError(400, f"tenant not seeded: {exc}") from None
    return jsonify(describe_tenant(service, tenant)), 201


@bp.get("/tenants/<tenant_id>")
def get_tenant(tenant_id: str) -> ResponseReturnValue:
    return jsonify(describe_tenant(_vendor_service(), tenant_of(tenant_id)))


@bp.post("/tenants/<tenant_id>/seed")
@doc(examples=[{"leads": [{"email": "s@x.example", "partition": "Default"}],
                "lists": [{"name": "S", "members": []}],
                "data_extensions": [{"name": "X", "fields": [{"name": "A"}],
                                     "rows": [{"A": "1"}]}],
                "account_lists": [{"name": "A", "domains": ["acme.com"]}]}])


def seed(tenant_id: str) -> ResponseReturnValue:
    tenant = tenant_of(tenant_id)
    try:
        seed_checked(tenant.backend, _body())
    except ValueError as exc:
        raise AdminError(400, f"seed refused: {exc}") from None
    return jsonify(seeded=tenant.id)


@bp.post("/tenants/<tenant_id>/credentials")
@doc(examples=[{"client_id": "c2", "client_secret": "s", "scopes": ["data_extensions_read"]}])
def add_credentials(tenant_id: str) -> ResponseReturnValue:
    tenant_of(tenant_id)
    try:
        _vendor_service().seed_tenant(tenant_id, credentials=[_body()])
    except ValueError as exc:
        raise AdminError(400, f"credential not added: {exc}") from None
    return jsonify(added=True), 201


@bp.post("/tenants/<tenant_id>/api-tokens")
def add_api_token(tenant_id: str) -> ResponseReturnValue:
    """Vendors whose users hold personal API tokens (Demandbase, B-DB-03)."""
    adder = getattr(_service(), "add_api_token", None)
    if adder is None:
        raise AdminError(404, "this vendor has no personal API tokens")
    token = _body().get("token")
    if not isinstance(token, str) or not 0 < len(token) <= 2000 or not token.isprintable():
        raise AdminError(400, "expected {'token': '<the API token>'} (1-2000 characters)")
    try:
        adder(_vendor_service().check_tenant_id(tenant_id), token)
    except ValueError as exc:
        raise AdminError(400, str(exc)) from None
    return jsonify(added=True), 201


@bp.put("/tenants/<tenant_id>/limits")
@doc(examples=[{"window_calls": 50, "daily_quota": 10, "concurrent": None}])
def put_limits(tenant_id: str) -> ResponseReturnValue:
    tenant_of(tenant_id)
    try:
        config = _vendor_service().set_limits(tenant_id, _body())
    except (ValueError, TypeError) as exc:
        raise AdminError(400, str(exc)) from None
    return jsonify(config.to_dict())


@bp.post("/tenants/<tenant_id>/expire-tokens")
def expire_tokens(tenant_id: str) -> ResponseReturnValue:
    tenant = tenant_of(tenant_id)
    return jsonify(expired=_vendor_service().tokens.expire(tenant.id))


@bp.post("/tenants/<tenant_id>/exhaust-quota")
def exhaust_quota(tenant_id: str) -> ResponseReturnValue:
    tenant = tenant_of(tenant_id)
    tenant.limiter.exhaust_quota()
    return jsonify(tenant.limiter.snapshot())


def describe_tenant(service: VendorService, tenant: Tenant) -> dict:
    return {"vendor": service.name, "id": tenant.id, "seeded": tenant.seeded,
            "credentials": [c.client_id for c in tenant.credentials.values()],
            "limits": tenant.limiter.snapshot()}
