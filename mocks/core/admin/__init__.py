"""The admin API under `/__admin/`, served on every vendor host (WireMock's convention).

On a vendor host it acts on that vendor; on the cloud's own address (no vendor Host) it acts
on every vendor. Errors are plain `{"error": "..."}` with 400/403/404/409: the admin API is
vendorsim's own, not a vendor's, so even on Marketo's host a bad admin call is never a 611.

Every body is typed and bounded before anything changes, and every write is all or nothing.
With an admin token set (access.py), every call needs it, but health's status.
Writes refuse cross-site requests (a web page in the user's browser must not reset the mocks):
a request carrying an `Origin` other than the server's own is refused with 403, and a write
with a body must declare `Content-Type: application/json` (which a cross-site form cannot).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from ..bodies import BadBody, parse_json
from ..service import Tenant, VendorService
from .access import CHALLENGE, REFUSED, admitted

log = logging.getLogger("vendorsim.admin")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud


class AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def admin_http_error(exc: HTTPException) -> Response | None:
    """An unknown admin path or method on a vendor's host, answered as the admin API does
    (JSON) rather than in the vendor's envelope; None for vendor paths."""
    if not request.path.startswith("/__admin"):
        return None
    response = jsonify(error=f"{exc.code} {exc.name}: no admin call {request.method} "
                             f"{request.path} (see /__admin/openapi.json)")
    response.status_code = exc.code or 404
    allowed = getattr(exc, "valid_methods", None)  # a 405 says what the path takes
    if allowed:
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def _body() -> dict:
    data = request.get_data()
    if not data:
        return {}
    try:
        value = parse_json(data)
    except BadBody as exc:
        raise AdminError(400, f"the body is not acceptable JSON: {exc}") from None
    if not isinstance(value, dict):
        raise AdminError(400, "expected a JSON object body")
    return value


def _refuse_cross_site() -> None:
    """403 for a write from another origin; 415 for a write whose body is not JSON."""
    if request.method not in WRITES:
        return
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
        raise AdminError(403, f"cross-site admin request from {origin[:100]} refused: the "
                              "admin API takes writes from its own origin or non-browser "
                              "clients only")
    if request.content_length and request.mimetype != "application/json":
        raise AdminError(415, "admin writes with a body need Content-Type: application/json")


bp = Blueprint("admin", __name__, url_prefix="/__admin")
_described: dict[int, dict] = {}  # app id -> its OpenAPI document, built once


def install_admin(app: Flask, cloud: Cloud, service: VendorService | None) -> None:
    """Serve the admin API on an app: acting on one vendor (`service`) or, on the cloud's
    own app (None), on every vendor."""
    app.config["vendorsim.cloud"] = cloud
    app.config["vendorsim.service"] = service
    app.register_blueprint(bp)


def _cloud() -> Cloud:
    found: Cloud = current_app.config["vendorsim.cloud"]
    return found


def _service() -> VendorService | None:
    """The vendor this host serves, or None on the cloud's own address."""
    found: VendorService | None = current_app.config.get("vendorsim.service")
    return found


def _vendor() -> str | None:
    service = _service()
    return service.name if service is not None else None


def _services() -> list[VendorService]:
    service = _service()
    return [service] if service is not None else list(_cloud().services.values())


def _vendor_service() -> VendorService:
    """The host's vendor, for calls that act on one (404 on the cloud's own address)."""
    service = _service()
    if service is None:
        raise AdminError(404, "tenant routes live on a vendor host")
    return service


def tenant_of(tenant_id: str) -> Tenant:
    service = _vendor_service()
    found = service.find_tenant(tenant_id)
    if found is None:
        raise AdminError(404, f"no {service.name} tenant {tenant_id!r}")
    return found


@bp.before_request
def _guard() -> None:
    """The admin token first (health answers its status to anyone), then cross-site."""
    if request.endpoint != "admin.health" and not admitted(request, _cloud().admin_token):
        raise AdminError(401, REFUSED)
    _refuse_cross_site()


@bp.after_request
def _changed(response: Response) -> Response:
    if request.method != "GET":  # a write: persistent mode saves it
        _cloud().changes += 1
    return response


@bp.errorhandler(AdminError)
def _admin_error(exc: AdminError) -> ResponseReturnValue:
    return jsonify(error=exc.message), exc.status, CHALLENGE if exc.status == 401 else {}


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return jsonify(error=exc.description), exc.code or 400


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> ResponseReturnValue:
    log.exception("vendorsim admin: unexpected error")
    return jsonify(error=f"internal error in the admin API: {type(exc).__name__}"), 500


from . import calendar, callbacks, calls, tenants  # noqa: E402,F401 - they add views to `bp`
