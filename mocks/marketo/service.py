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
from typing import cast

from flask import Flask, Request, Response, request
from werkzeug.exceptions import BadHost, MethodNotAllowed, NotFound

from vendorsim.mocks.core.admin import admin_http_error, install_admin
from vendorsim.mocks.core.auth import Token, bearer_value
from vendorsim.mocks.core.context import Call
from vendorsim.mocks.core.faults import FaultRule
from vendorsim.mocks.core.limits import LimitExceeded
from vendorsim.mocks.core.pipeline import install_pipeline
from vendorsim.mocks.core.service import OAUTH_CODES, Tenant, VendorService
from vendorsim.mocks.core.vendor_app import VendorApp

from . import facts
from .api import BLUEPRINTS, http
from .api.method_override import MethodOverride
from .model.errors import MarketoError, message
from .model.instance import MarketoInstance


class MarketoService(VendorService):
    name = "marketo"
    host_pattern = re.compile(facts.HOST_PATTERN, re.I)
    base_url = facts.BASE_URL
    token_ttl = facts.TOKEN_TTL
    default_limits = facts.DEFAULT_LIMITS
    example_tenant = "123-ABC-456"
    token_endpoints = frozenset({"identity.token"})
    uncounted_paths = ("/identity/", "/__admin")
    throttles = facts.THROTTLES
    refusal_codes = facts.REFUSAL_CODES
    token_refusal_codes = facts.TOKEN_REFUSAL_CODES
    verdict_sources = facts.VERDICT_SOURCES
    changes = facts.CHANGES
    openapi_answers = facts.OPENAPI_ANSWERS
    additive_states = facts.ADDITIVE_STATES
    chaos_throttle = FaultRule(id=0, error_code=facts.LIMIT_CODES["window"])

    def normalise_tenant(self, raw: str) -> str:
        return raw.upper()

    def new_backend(self, tenant_id: str) -> MarketoInstance:
        return MarketoInstance(tenant_id, self.clock, self.calendar.view(tenant_id),
                               self.cloud.outbox)

    def make_token_value(self, tenant_id: str) -> str:
        """`<uuid>:<pod>`, like Marketo's `cdf01657-110d-4155-99a7-f986b2ff13a0:ab`."""
        tenant = self.find_tenant(tenant_id)
        return f"{uuid.uuid4()}:{instance_of(tenant).settings.pod if tenant else 'ab'}"

    def wrap_wsgi(self, app: Callable) -> Callable:
        return MethodOverride(app)

    def database(self, munchkin_id: str) -> MarketoInstance:
        """An instance (created if new), for Python-side seeding."""
        found: MarketoInstance = self.backend(munchkin_id)
        return found

    def issue_token(self, tenant_id: str, client_id: str, secret: str
                    ) -> tuple[Token, float] | None:
        """A new access token and its seconds to live, or None for bad credentials."""
        cred = self.authenticate(tenant_id, client_id, secret)
        if cred is None:
            return None
        token = self.tokens.issue(self.tenant(tenant_id).id, cred)
        return token, self.tokens.remaining(token)

    # -- the app ---------------------------------------------------------------------
    def create_app(self) -> Flask:
        app = VendorApp("vendorsim.marketo", static_folder=None)
        app.config["MAX_CONTENT_LENGTH"] = None
        app.config["vendorsim.service"] = self
        install_pipeline(app, self)
        app.register_error_handler(MarketoError, self._marketo_error)
        app.register_error_handler(NotFound, lambda e: admin_http_error(e) or
                                   http.failure("610", message("610")))
        app.register_error_handler(MethodNotAllowed, lambda e: admin_http_error(e) or
                                   http.failure("605", message("605")))
        app.register_error_handler(Exception, self._unexpected)
        for blueprint in BLUEPRINTS:
            app.register_blueprint(blueprint)
        install_admin(app, self.cloud, self)
        return app

    # -- the pipeline's questions (core/pipeline.py) ---------------------------------
    def refuse_early(self, req: Request) -> Response | None:
        """What Marketo's nginx front and router answer first: a bad host (400), a URI or
        body too large (414, 413), no instance or no such route (610), a method the route
        does not take (605)."""
        environ = req.environ
        if isinstance(req.routing_exception, BadHost):  # nginx refuses it before Marketo
            return self.bad_host()
        if too_long(environ, req):
            return http.http_error(414, facts.STATUS_REASONS[414])
        limit = facts.MAX_BULK_BODY if req.path.startswith("/bulk/") else facts.MAX_BODY
        if body_length(environ) > limit:
            return http.http_error(413, facts.STATUS_REASONS[413])
        if not environ.get("vendorsim.tenant"):
            return http.failure("610", message("610"))
        exc = req.routing_exception
        if exc is not None:
            code = "605" if isinstance(exc, MethodNotAllowed) else "610"
            return http.failure(code, message(code))
        return None

    def check_token(self, req: Request) -> Token | Response:
        """The access token from the Authorization header, or the `access_token` parameter
        while the calendar still allows it (600 none, 601 unknown, 602 expired)."""
        tenant_id = req.environ.get("vendorsim.tenant") or ""
        value = bearer_value(req.environ.get("HTTP_AUTHORIZATION", ""))
        from_query = False
        if not value:
            value = http.param("access_token") or ""
            from_query = bool(value)
        if not value:
            return http.failure("600", message("600"))
        tenant = self.find_tenant(tenant_id)  # only a token call creates an instance
        if tenant is None:
            return http.failure("601", message("601"))
        if from_query and (instance_of(tenant).settings.reject_query_token or
                           self.calendar.in_force(tenant.id, facts.QUERY_TOKEN_RULE)):
            return http.failure(facts.QUERY_TOKEN_CODE, message(facts.QUERY_TOKEN_CODE))
        status, token = self.tokens.check(value)
        if status == "unknown" or token is None or token.tenant != tenant.id:
            return http.failure("601", message("601"))
        if status == "expired":
            return http.failure("602", message("602"))
        return token

    def bad_host(self) -> Response:
        return http.http_error(400, facts.STATUS_REASONS[400])  # nginx, before Marketo

    def admitted(self, tenant: Tenant) -> None:
        instance_of(tenant).run_due_jobs()

    def after_call(self, state: Call) -> None:
        """Calls an instance answered for an API user count in its daily usage stats."""
        if state.tenant is not None and state.credential is not None:
            instance_of(state.tenant).usage.count(state.now, state.credential.user, state.codes)

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
        if code in facts.BULK_ONLY_CODES and not path.startswith("/bulk/"):
            return False
        return super().code_reaches(code, token_call, path)

    # -- vendor renderings -----------------------------------------------------------
    def render_fault(self, rule: FaultRule) -> Response:
        if rule.error_code in OAUTH_CODES:  # the identity endpoint (fault_reaches)
            status = 401 if rule.error_code in ("invalid_client", "unauthorized") else 400
            return http.oauth_error(status, rule.error_code,
                                    rule.message or "Bad client credentials")
        if rule.status is not None and rule.status != 200:
            return http.http_error(rule.status, facts.STATUS_REASONS.get(rule.status, "Error"))
        code = rule.error_code or "611"
        tenant = self.find_tenant(request.environ.get("vendorsim.tenant") or "")
        cfg = tenant.limiter.config if tenant else self.default_limits
        text = rule.message or message(code, calls=cfg.window_calls, seconds=_num(
            cfg.window_seconds), concurrent=cfg.concurrent)
        return http.failure(code, text)

    def render_limit(self, exc: LimitExceeded, tenant: Tenant) -> Response:
        cfg = exc.config
        code = facts.LIMIT_CODES[exc.kind]
        return http.failure(code, message(code, calls=cfg.window_calls,
                                          seconds=_num(cfg.window_seconds),
                                          concurrent=cfg.concurrent))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def instance_of(tenant: Tenant) -> MarketoInstance:
    """A Marketo tenant's model (the service makes only MarketoInstance backends)."""
    return cast(MarketoInstance, tenant.backend)


def too_long(environ: dict, req: Request) -> bool:
    """The URI over Marketo's limit (as sent, percent-encoded): measured only when it could
    be (an encoded character is at most three), as building it costs more than the check."""
    path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
    if 3 * len(path) + len(query) + 1 + len(environ.get("SCRIPT_NAME", "")) <= facts.MAX_URI:
        return False
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or req.full_path
    return len(uri) > facts.MAX_URI


def body_length(environ: dict) -> int:
    """The declared body size (Werkzeug's reading of Content-Length: none when chunked,
    0 when not a number), from the environ: a call's first header read costs more."""
    declared = environ.get("CONTENT_LENGTH")
    if not declared or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return 0
    try:
        digits = declared.strip()
        return int(digits, 10) if digits.isascii() and digits.isdigit() else 0
    except ValueError:
        return 0
