"""Who may use the admin API: open by default (a mock on loopback), closed with a token.

`vendorsim serve --admin-token TOKEN` (or `VENDORSIM_ADMIN_TOKEN`; in Python
`cloud.admin_token`): every `/__admin/` call on every port needs `Authorization: Bearer
TOKEN`, else 401 with a JSON error and `WWW-Authenticate: Bearer`. The dashboard, being a
page, takes the token once in its address (`/__admin/ui/?token=TOKEN`), which sets an
HttpOnly, SameSite=Strict cookie for `/__admin` and redirects to the address without it.
`GET /__admin/health` stays open for health checks (Docker's, Kubernetes'), answering only
its status to a caller without the token.

Clients of the admin API (`vendorsim run --target`, `VendorsimContainer`, the pytest
plugin) send `admin_headers()`: the token they were given, else `VENDORSIM_ADMIN_TOKEN`.
"""

from __future__ import annotations

import hmac
import os
import re

from flask import Request

TOKEN_ENV = "VENDORSIM_ADMIN_TOKEN"
COOKIE = "vendorsim_admin"
TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{16,500}")  # what a Bearer header carries as it is


def check_token(value: str | None) -> str | None:
    """The admin token to require (None or empty: the admin API stays open); ValueError for
    one that is too short to guess-proof or that a header cannot carry."""
    if not value:
        return None
    if not TOKEN.fullmatch(value):
        raise ValueError("--admin-token (VENDORSIM_ADMIN_TOKEN) is 16-500 characters of "
                         "letters, digits and . _ ~ + / = - (e.g. python -c \"import secrets;"
                         " print(secrets.token_urlsafe())\")")
    return value


def admin_headers(token: str | None = None) -> dict[str, str]:
    """The header a client of the admin API sends: the token given, else the environment's
    VENDORSIM_ADMIN_TOKEN; nothing when there is none."""
    token = token or os.environ.get(TOKEN_ENV)
    return {"Authorization": f"Bearer {token}"} if token else {}


def same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def admitted(request: Request, token: str | None) -> bool:
    """Whether a request may use the admin API: no token is set, or it carries the token
    (the Bearer header, or the dashboard's cookie)."""
    if token is None:
        return True
    header = request.headers.get("Authorization", "")
    bearer = header[7:].strip() if header[:7].lower() == "bearer " else None
    return same(bearer, token) or same(request.cookies.get(COOKIE), token)


REFUSED = ("the admin API needs the admin token: send 'Authorization: Bearer <token>' "
           "(vendorsim serve --admin-token / VENDORSIM_ADMIN_TOKEN)")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="vendorsim admin"'}


def masked(snapshot: dict) -> dict:
    """A state answer with every credential's secrets and the model's own secrets (signing
    keys, webhook header values: mocks/core/state_secrets.py) masked (`GET /__admin/state`
    unless asked `?secrets=include`): a copy, the state itself untouched."""
    if "vendors" in snapshot and "tenants" not in snapshot:
        return {**snapshot, "vendors": {name: masked(part)
                                        for name, part in snapshot["vendors"].items()}}
    from ..auth import MASKED
    from ..state_secrets import mask_state

    tenants = {}
    for tenant_id, body in snapshot.get("tenants", {}).items():
        creds = [{k: MASKED if k in ("client_secret", "staged_secret") else v
                  for k, v in cred.items()} for cred in body.get("credentials", [])]
        tenants[tenant_id] = {**body, "credentials": creds}
        if "state" in body:
            tenants[tenant_id]["state"] = mask_state(body["state"])
    return {**snapshot, "tenants": tenants}
