"""Restoring a vendor's tenants from a snapshot (`PUT /__admin/state`, `--state`): all or
nothing, every tenant checked and built aside before any is swapped in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .auth import MASKED, Credential
from .backend import seed_checked
from .calendar import CalendarPin
from .state_secrets import holds_mask, unmasked_state

if TYPE_CHECKING:
    from .service import VendorService


def prepare_restore(service: VendorService, data: object) -> Callable[[], list[str]]:
    """Check a snapshot whole, building every tenant's new backend aside; return the
    commit that swaps them in. The admin API prepares every vendor before committing
    any, so a bad second vendor or tenant leaves the first untouched."""
    tenants = data.get("tenants") if isinstance(data, dict) else None
    if not isinstance(tenants, dict):
        raise ValueError("a snapshot needs a 'tenants' object keyed by tenant id")
    prepared: list[tuple] = []
    try:
        for raw_id, body in tenants.items():
            prepared.append(_prepare_tenant(service, raw_id, body))
    except ValueError:
        for made in prepared:  # built aside and never used: their scheduled work goes too
            service.drop_backend(made[1])
        raise

    def commit() -> list[str]:
        with service._lock:
            for tenant_id, backend, creds, limits, config, seeded, pin in prepared:
                tenant = service.tenant(tenant_id, create=True)
                if tenant.backend is not backend:
                    service.drop_backend(tenant.backend)
                tenant.backend = backend
                tenant.credentials = {c.client_id: c for c in creds}
                tenant.seeded, tenant.calendar = seeded, pin
                service.limit_overrides.pop(tenant_id, None)
                if limits:
                    service.limit_overrides[tenant_id] = dict(limits)
                tenant.limiter.config = config
                service.tokens.clear(tenant_id)
        return [p[0] for p in prepared]

    return commit


def unmasked(service: VendorService, tenant_id: str, cred: object) -> object:
    """A credential of a masked state answer (GET /__admin/state without ?secrets=include)
    put back into the server it came from: a masked secret keeps the secret this tenant's
    credential of that client id has now (where there is none, Credential.from_dict
    refuses the masked value, saying so)."""
    if not isinstance(cred, dict) or MASKED not in (cred.get("client_secret"),
                                                    cred.get("staged_secret")):
        return cred
    tenant = service.find_tenant(tenant_id)
    current = tenant.credentials.get(str(cred.get("client_id"))) if tenant else None
    if current is None:
        return cred
    kept = dict(cred)
    for name in ("client_secret", "staged_secret"):
        if kept.get(name) == MASKED:
            kept[name] = getattr(current, name)
    return kept


def kept_secrets(service: VendorService, tenant_id: str, state: object) -> object:
    """A masked state answer's model part put back into the server it came from: each masked
    secret keeps the value the server holds for the same record (ValueError where it holds
    none: the mask is never stored as a key)."""
    if not isinstance(state, dict) or not holds_mask(state):
        return state
    tenant = service.find_tenant(tenant_id)
    current = tenant.backend.snapshot() if tenant is not None else {}
    return unmasked_state(state, current)


def _prepare_tenant(service: VendorService, raw_id: object, body: object) -> tuple:
    """One tenant of a snapshot built aside: (id, backend, credentials, limits, config,
    seeded, calendar pin); ValueError naming the tenant, its backend's work dropped."""
    tenant_id = service.check_tenant_id(raw_id)
    if not isinstance(body, dict):
        raise ValueError(f"tenant {raw_id!r}: expected an object")
    backend = service.make_backend(tenant_id)
    try:
        seed_checked(backend, kept_secrets(service, tenant_id, body.get("state") or {}),
                     restore=True)
        creds = [Credential.from_dict(unmasked(service, tenant_id, c))
                 for c in body.get("credentials") or []]
        limits = body.get("limits") or {}
        if not isinstance(limits, dict):
            raise ValueError("limits is an object")
        config = service.default_limits.updated(**limits)
        pin = CalendarPin.from_dict(body.get("calendar") or {}, service.calendar.changes)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        service.drop_backend(backend)
        raise ValueError(f"tenant {raw_id!r}: {exc}") from None
    return (tenant_id, backend, creds, limits, config, bool(body.get("seeded", True)), pin)
