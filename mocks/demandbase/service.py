"""Demandbase as a vendor of the mock cloud: `uapi.demandbase.com`, tenants are client ids.

`POST /auth/v1/token` takes a form body and answers camelCase (`accessToken`, `tokenType`,
`expiresIn` 28,800 s), as Demandbase's own SDK reads it; a UI-issued API token can be
registered too (B-DB-03). Errors carry `{errorCode, errorMessage, diagnosticCode}`. Limits:
1,000 calls a minute (429, no Retry-After), two import jobs at a time. The rules are the
model's (model/), the views the api's (api/); this module wires the vendor into the core.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Request

from vendorsim.mocks.core.auth import Credential, Token
from vendorsim.mocks.core.bearer import ApiError, BearerService
from vendorsim.mocks.core.faults import FaultRule
from vendorsim.mocks.core.limits import LimitExceeded
from vendorsim.mocks.core.service import Tenant

from . import facts
from .api import BLUEPRINTS
from .model.client import DemandbaseClient
from .model.errors import problem


class DemandbaseService(BearerService):
    name = "demandbase"
    host_pattern = re.compile(facts.HOST_PATTERN, re.I)
    base_url = facts.BASE_URL
    token_ttl = facts.TOKEN_TTL
    default_limits = facts.DEFAULT_LIMITS
    tenant_in_path = False
    example_tenant = ""
    token_endpoints = frozenset({"demandbase_auth.token"})
    max_body = facts.MAX_BODY
    openapi_answers = facts.OPENAPI_ANSWERS
    additive_states = facts.ADDITIVE_STATES

    def new_backend(self, tenant_id: str) -> DemandbaseClient:
        return DemandbaseClient(tenant_id, self.clock, self.cloud.outbox)

    def register_routes(self, app: Flask) -> None:
        for blueprint in BLUEPRINTS:
            app.register_blueprint(blueprint)

    def make_token_value(self, tenant_id: str) -> str:
        return f"eyJhbGciOiJIUzI1NiJ9.{uuid.uuid4().hex}.{uuid.uuid4().hex}"

    def issue_token(self, client_id: str, secret: str) -> tuple[Token, float] | None:
        """A new token for the client's credentials and its seconds to live; None: refused."""
        cred = self.authenticate(client_id, client_id, secret)
        if cred is None:
            return None
        token = self.tokens.issue(self.tenant(client_id).id, cred, reuse=False)
        return token, self.tokens.remaining(token)

    def token_client(self, req: Request) -> str | None:
        """The client a token call is for: its form's `client_id`."""
        client = req.form.get("client_id") if req.mimetype == \
            "application/x-www-form-urlencoded" else None
        return client or None

    def client(self, client_id: str) -> DemandbaseClient:
        return self.backend(client_id)

    def add_api_token(self, client_id: str, value: str) -> None:
        """Register a user's API token (My Profile > API Token) as a bearer for `client_id`."""
        tenant = self.tenant(client_id, create=True)
        self.tokens.add_static(tenant.id, Credential(client_id, value), value)

    def unauthorized(self) -> ApiError:
        return problem(401, "Unauthorized: the token is invalid or expired")

    def throttled(self, exc: LimitExceeded, tenant: Tenant) -> ApiError:
        return problem(429, "Rate limit exceeded")

    def fault_error(self, rule: FaultRule) -> ApiError:
        """Injected statuses in Demandbase's own error shape (errors.py)."""
        if rule.error_code is None and rule.status is not None:
            text = "Rate limit exceeded" if rule.status == 429 else \
                rule.message or f"Injected fault {rule.status}"
            return problem(rule.status, text)
        return super().fault_error(rule)

    def not_found(self) -> ApiError:
        return problem(404, "Not found")

    def too_large(self) -> ApiError:
        return problem(413, f"Request body larger than {self.max_body // 1048576} MB")
