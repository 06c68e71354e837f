"""The request pipeline of vendors with bearer-token JSON APIs (SFMC, Demandbase, Bombora).

Unlike Marketo's HTTP-200 envelopes, these answer errors with real statuses and JSON bodies,
each in its own shape: the vendor supplies the bodies, this module the order of checks:
injected faults, route, token (401), limits (429), handler; a call that fails gives its
rate and quota slots back.
"""

from __future__ import annotations

import json
from typing import ClassVar

from flask import Flask, Request, Response
from werkzeug.exceptions import HTTPException

from .admin import admin_http_error, install_admin
from .auth import Token
from .context import call
from .faults import FaultRule
from .limits import LimitExceeded
from .pipeline import bearer_token, install_pipeline
from .service import OAUTH_CODES, Tenant, VendorService
from .vendor_app import VendorApp


class ApiError(Exception):
    """An error answer: HTTP status, the vendor's JSON body, extra headers."""

    def __init__(self, status: int, body: dict | list | None,
                 headers: dict[str, str] | None = None, code: str | None = None) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.code = code


def oauth_error(code: str, message: str | None = None) -> ApiError:
    """A token endpoint's OAuth 2.0 error (RFC 6749 5.2): 401 for client authentication,
    400 for the rest."""
    status = 401 if code in ("invalid_client", "unauthorized_client", "unauthorized") else 400
    return ApiError(status, {"error": code, "error_description": message or
                             "The request was refused by the authorization server."},
                    code=code)


def json_response(body: object, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, separators=(",", ":"), default=str), status=status,
                    content_type="application/json; charset=utf-8", headers=headers)


class BearerService(VendorService):
    """A vendor whose calls carry `Authorization: Bearer <token>`."""

    max_body: ClassVar[int] = 10 * 1024 * 1024  # 413 above this (each vendor may differ)

    # -- vendor renderings (override) ----------------------------------------------------
    def unauthorized(self) -> ApiError:
        raise NotImplementedError

    def throttled(self, exc: LimitExceeded, tenant: Tenant) -> ApiError:
        raise NotImplementedError

    def not_found(self) -> ApiError:
        return ApiError(404, {"message": "Not Found"})

    def too_large(self) -> ApiError:
        return ApiError(413, {"message": f"Request body larger than "
                                         f"{self.max_body // 1048576} MB"})

    def error_code(self, error: ApiError) -> str:
        """What the journal records as this error's vendor code."""
        body = error.body if isinstance(error.body, dict) else {}
        return str(error.code or body.get("errorcode") or body.get("error") or error.status)

    def fault_error(self, rule: FaultRule) -> ApiError:
        if rule.error_code in OAUTH_CODES:  # only ever on a token endpoint (fault_reaches)
            return oauth_error(rule.error_code, rule.message)
        status = rule.status or 500
        return ApiError(status, {"message": rule.message or f"Injected fault {status}"},
                        code=rule.error_code)

    def render_fault(self, rule: FaultRule) -> Response:
        return self._answer(self.fault_error(rule))

    def render_limit(self, exc: LimitExceeded, tenant: Tenant) -> Response:
        return self._answer(self.throttled(exc, tenant))

    # -- the app -------------------------------------------------------------------------
    def register_routes(self, app: Flask) -> None:
        raise NotImplementedError

    def create_app(self) -> Flask:
        app = VendorApp(f"vendorsim.{self.name}", static_folder=None)
        app.config["MAX_CONTENT_LENGTH"] = self.max_body  # chunked bodies too
        app.config["vendorsim.service"] = self
        install_pipeline(app, self)
        app.register_error_handler(ApiError, self._answer)
        app.register_error_handler(HTTPException, self._http_exception)
        app.register_error_handler(Exception, self._unexpected)
        self.register_routes(app)
        install_admin(app, self.cloud, self)
        return app

    def _answer(self, error: ApiError) -> Response:
        call().fail(self.error_code(error))
        return json_response(error.body, error.status, error.headers)

    def _http_exception(self, exc: HTTPException) -> Response:
        admin = admin_http_error(exc)
        if admin is not None:
            return admin
        if exc.code == 404:
            return self._answer(self.not_found())
        if exc.code == 413:
            return self._answer(self.too_large())
        allowed = getattr(exc, "valid_methods", None)  # a 405 says what the route takes
        return self._answer(ApiError(exc.code or 400, {"message": exc.description},
                                     {"Allow": ", ".join(sorted(allowed))} if allowed else None))

    def _unexpected(self, exc: Exception) -> Response:
        """A bug in the mock answers 500 in the vendor's shape, never with a traceback."""
        self.app.logger.exception("vendorsim %s: unexpected error", self.name)
        return self._answer(ApiError(500, {"message": "Internal Server Error"}))

    # -- the pipeline's questions (core/pipeline.py) --------------------------------------
    def refuse_early(self, req: Request) -> Response | None:
        if (req.content_length or 0) > self.max_body:
            return self._answer(self.too_large())
        return None

    def identify_tenant(self, req: Request) -> str | None:
        """The host's tenant; else (Bombora, Demandbase: one host for every client) the
        client whose token the call carries, or whose credentials a token call sends."""
        named = super().identify_tenant(req)
        if named is not None:
            return named
        if req.endpoint in self.token_endpoints:
            client = self.token_client(req)
            return self.normalise_tenant(client) if client else None
        _, token = bearer_token(self, req)
        return token.tenant if token is not None else None

    def token_client(self, req: Request) -> str | None:
        """The client id a token call names (vendors whose tenant is the client id)."""
        return None

    def check_token(self, req: Request) -> Token | Response:
        status, token = bearer_token(self, req)
        tenant_id = req.environ.get("vendorsim.tenant")
        if status != "ok" or token is None or (tenant_id and token.tenant != tenant_id):
            return self._answer(self.unauthorized())
        return token
