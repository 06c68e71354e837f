"""Marketo Engage as a vendor of the mock cloud: tenants are Munchkin IDs.

Owns the request pipeline every REST call goes through, in the vendor's order:
size limits (413/414), route (610/605), injected faults, token (600/601/602),
limits (615/606/607), then the handler; a call that ends in a response-level error
gives its rate and quota slots back, as Marketo does not count it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from flask import Flask, Request, Response, g, request
from werkzeug.exceptions import BadHost, MethodNotAllowed, NotFound

from vendorsim.mocks.core.admin import admin_blueprint, admin_http_error
from vendorsim.mocks.core.auth import bearer_value
from vendorsim.mocks.core.faults import FaultRule
from vendorsim.mocks.core.limits import LimitConfig, LimitExceeded
from vendorsim.mocks.core.pipeline import install_journal
from vendorsim.mocks.core.service import OAUTH_CODES, Tenant, VendorService
from vendorsim.mocks.core.verdicts import Throttle

from . import http
from .errors import MarketoError, message
from .models import LeadDatabase

LIMIT_CODES = {"window": "606", "concurrent": "615", "quota": "607"}
BULK_ONLY_CODES = frozenset({"1016", "1019", "1029"})  # import/export queue codes
STATUS_REASONS = {400: "Bad Request", 500: "Internal Server Error", 502: "Bad Gateway",
                  503: "Service Unavailable", 504: "Gateway Time-out",
                  429: "Too Many Requests", 404: "Not Found",
                  413: "Request Entity Too Large", 414: "Request-URI Too Large"}


class MarketoService(VendorService):
    name = "marketo"
    host_pattern = re.compile(r"(?P<tenant>[a-z0-9]+(?:-[a-z0-9]+)*)\.mktorest\.com", re.I)
    token_ttl = 3600.0
    default_limits = LimitConfig(window_calls=100, window_seconds=20.0, concurrent=10,
                                 daily_quota=50_000, quota_timezone="America/Chicago",
                                 max_batch=300)
    example_tenant = "123-ABC-456"
    token_endpoints = frozenset({"identity_token"})
    # Marketo's error codes page: 606/615/607 say "not now" (the 20-s window, the calls in
    # flight, the daily quota, which resets at midnight); 615's wait is chosen (1 s)
    throttles = {"606": Throttle("Marketo's 100-calls-per-20-s window", 20.0),
                 "615": Throttle("Marketo's 10 calls in flight", 1.0),
                 "607": Throttle("Marketo's daily quota", None)}
    refusal_codes = frozenset({"603", "1003", "1004", "1006", "1008"})

    def normalise_tenant(self, raw: str) -> str:
        return raw.upper()

    def new_backend(self, tenant_id: str) -> LeadDatabase:
        return LeadDatabase(tenant_id, self.clock)

    def make_token_value(self, tenant_id: str) -> str:
        """`<uuid>:<pod>`, like Marketo's `cdf01657-110d-4155-99a7-f986b2ff13a0:ab`."""
        tenant = self.find_tenant(tenant_id)
        return f"{uuid.uuid4()}:{tenant.backend.settings.pod if tenant else 'ab'}"

    def wrap_wsgi(self, app: Callable) -> Callable:
        return http.MethodOverride(app)

    def database(self, munchkin_id: str) -> LeadDatabase:
        """The lead database of an instance (created if new), for Python-side seeding."""
        return self.backend(munchkin_id)

    # -- the app ---------------------------------------------------------------------
    def create_app(self) -> Flask:
        from .activity_routes import register_activity_routes
        from .bulk_routes import register_bulk_routes
        from .campaign_routes import register_campaign_routes
        from .custom_object_routes import register_custom_object_routes
        from .lead_extra_routes import register_lead_extra_routes
        from .list_routes import register_list_routes
        from .object_routes import register_object_routes
        from .program_routes import register_program_asset_routes, register_program_routes
        from .routes import register_lead_routes

        app = Flask("vendorsim.marketo", static_folder=None)
        app.config["MAX_CONTENT_LENGTH"] = None
        install_journal(app, self)
        app.before_request(self._before)
        app.register_error_handler(MarketoError, self._marketo_error)
        app.register_error_handler(NotFound, lambda e: admin_http_error(e) or
                                   http.failure("610", message("610")))
        app.register_error_handler(MethodNotAllowed, lambda e: admin_http_error(e) or
                                   http.failure("605", message("605")))
        app.register_error_handler(Exception, self._unexpected)
        register_lead_routes(app, self)
        register_list_routes(app, self)
        register_object_routes(app)
        register_custom_object_routes(app)
        register_activity_routes(app)
        register_bulk_routes(app)
        register_program_routes(app)
        register_program_asset_routes(app)
        register_lead_extra_routes(app)
        register_campaign_routes(app)
        app.register_blueprint(admin_blueprint(self.cloud, self))
        return app

    def _before(self) -> Response | None:
        req = request._get_current_object()  # type: ignore[attr-defined]  # once, not per use
        environ = req.environ
        path = req.path
        if path.startswith("/__admin"):
            return None
        if isinstance(req.routing_exception, BadHost):  # nginx refuses it before Marketo
            return http.http_error(400, STATUS_REASONS[400])
        uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or req.full_path
        if len(uri) > http.MAX_URI:
            return http.http_error(414, STATUS_REASONS[414])
        limit = http.MAX_BULK_BODY if path.startswith("/bulk/") else http.MAX_BODY
        if (req.content_length or 0) > limit:
            return http.http_error(413, STATUS_REASONS[413])
        tenant_id = environ.get("vendorsim.tenant")
        if not tenant_id:
            return http.failure("610", message("610"))
        exc = req.routing_exception
        if exc is not None:
            code = "605" if isinstance(exc, MethodNotAllowed) else "610"
            return http.failure(code, message(code))
        method = environ.get("vendorsim.method_override") or req.method
        forced = self.apply_fault(tenant_id, method, path)
        if forced is not None:
            return forced
        if req.endpoint == "identity_token":
            self.take_latency()
            return None
        refused = self._authorise(req, tenant_id)
        if refused is None:
            self.take_latency()
        return refused

    def _authorise(self, req: Request, tenant_id: str) -> Response | None:
        value = bearer_value(req.headers.get("Authorization", ""))
        from_query = False
        if not value:
            value = http.param("access_token") or ""
            from_query = bool(value)
        if not value:
            return http.failure("600", message("600"))
        tenant = self.find_tenant(tenant_id)  # only a token call creates an instance
        if tenant is None:
            return http.failure("601", message("601"))
        if from_query and tenant.backend.settings.reject_query_token:
            return http.failure("601", message("601"))
        status, token = self.tokens.check(value)
        if status == "unknown" or (token is not None and token.tenant != tenant.id):
            return http.failure("601", message("601"))
        if status == "expired":
            return http.failure("602", message("602"))
        state = g._get_current_object()  # type: ignore[attr-defined]
        state.tenant = tenant
        state.credential = token.credential  # type: ignore[union-attr]
        try:
            state.ticket = tenant.limiter.admit()
        except LimitExceeded as exc:
            return self.render_limit(exc, tenant)
        tenant.backend.run_due_jobs()
        return None

    def after_call(self, state: object) -> None:
        """Calls an instance answered for an API user count in its daily usage stats."""
        tenant = getattr(state, "tenant", None)
        credential = getattr(state, "credential", None)
        if tenant is not None and credential is not None:
            tenant.backend.usage.count(state.now, credential.user,  # type: ignore
                                       state.codes)  # type: ignore[attr-defined]

    def _marketo_error(self, exc: MarketoError) -> Response:
        return http.failure(exc.code, exc.text)

    def _unexpected(self, exc: Exception) -> Response:
        """A bug in the mock still answers like Marketo (611), never with a traceback."""
        if isinstance(exc, NotFound | MethodNotAllowed):
            code = "605" if isinstance(exc, MethodNotAllowed) else "610"
            return http.failure(code, message(code))
        self.app.logger.exception("vendorsim marketo: unexpected error")
        return http.failure("611", message("611"))

    def code_reaches(self, code: str, token_call: bool, path: str) -> bool:
        """OAuth codes on the identity endpoint, REST codes on REST and bulk routes, the
        bulk queue codes (1016, 1019, 1029) on bulk routes only."""
        if code in BULK_ONLY_CODES and not path.startswith("/bulk/"):
            return False
        return super().code_reaches(code, token_call, path)

    # -- vendor renderings -----------------------------------------------------------
    def render_fault(self, rule: FaultRule) -> Response:
        if rule.error_code in OAUTH_CODES:  # the identity endpoint (fault_reaches)
            status = 401 if rule.error_code in ("invalid_client", "unauthorized") else 400
            return http.oauth_error(status, rule.error_code,
                                    rule.message or "Bad client credentials")
        if rule.status is not None and rule.status != 200:
            return http.http_error(rule.status, STATUS_REASONS.get(rule.status, "Error"))
        code = rule.error_code or "611"
        tenant = self.find_tenant(request.environ.get("vendorsim.tenant") or "")
        cfg = tenant.limiter.config if tenant else self.default_limits
        text = rule.message or message(code, calls=cfg.window_calls, seconds=_num(
            cfg.window_seconds), concurrent=cfg.concurrent)
        return http.failure(code, text)

    def render_limit(self, exc: LimitExceeded, tenant: Tenant) -> Response:
        cfg = exc.config
        code = LIMIT_CODES[exc.kind]
        return http.failure(code, message(code, calls=cfg.window_calls,
                                          seconds=_num(cfg.window_seconds),
                                          concurrent=cfg.concurrent))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)

