"""Bombora as a vendor of the mock cloud: `api.bombora.com`, tenants are client ids.

`POST /oauth/token` takes `{client_id, client_secret}` as JSON and answers a bearer JWT that
lives a day; the Account List API lives under `/account-list/v1`. Errors carry `{message}`.
Rate limits of this API are not published: modelled as 600 calls a minute per client (429
with Retry-After), configurable like every limit. The rules are the model's (model/), the
views the api's (api/); this module wires the vendor into the core.
"""

from __future__ import annotations

import base64
import json
import math
import re
import uuid

from flask import Flask, Request

from vendorsim.mocks.core.auth import Token
from vendorsim.mocks.core.bearer import ApiError, BearerService
from vendorsim.mocks.core.bodies import BadBody, parse_json
from vendorsim.mocks.core.faults import FaultRule
from vendorsim.mocks.core.limits import LimitExceeded
from vendorsim.mocks.core.service import Tenant

from . import facts
from .api import BLUEPRINTS
from .model.lists import BomboraClient, problem


def too_many(wait: int) -> ApiError:
    """Bombora's throttling answer (modelled: 429 with Retry-After)."""
    return ApiError(429, {"message": facts.THROTTLED_MESSAGE},
                    {"Retry-After": str(wait)})


class BomboraService(BearerService):
    name = "bombora"
    host_pattern = re.compile(facts.HOST_PATTERN, re.I)
    base_url = facts.BASE_URL
    token_ttl = facts.TOKEN_TTL
    openapi_answers = facts.OPENAPI_ANSWERS
    default_limits = facts.DEFAULT_LIMITS
    tenant_in_path = False
    example_tenant = ""
    token_endpoints = frozenset({"bombora_auth.token"})

    def new_backend(self, tenant_id: str) -> BomboraClient:
        return BomboraClient(tenant_id, self.clock, self.cloud.outbox)

    def register_routes(self, app: Flask) -> None:
        for blueprint in BLUEPRINTS:
            app.register_blueprint(blueprint)

    def make_token_value(self, tenant_id: str) -> str:
        part = base64.urlsafe_b64encode(json.dumps(
            {"sub": tenant_id, "jti": str(uuid.uuid4())}).encode()).decode().rstrip("=")
        return f"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.{part}.{uuid.uuid4().hex}"

    def issue_token(self, client_id: str, secret: str) -> tuple[Token, float] | None:
        """A token for the client's credentials and its seconds to live; None: refused."""
        cred = self.authenticate(client_id, client_id, secret)
        if cred is None:
            return None
        token = self.tokens.issue(self.tenant(client_id).id, cred)
        return token, self.tokens.remaining(token)

    def token_client(self, req: Request) -> str | None:
        """The client a token call is for: its JSON body's `client_id`."""
        try:
            body = parse_json(req.get_data(cache=True))
        except BadBody:
            return None
        client = body.get("client_id") if isinstance(body, dict) else None
        return client if isinstance(client, str) and client else None

    def client(self, client_id: str) -> BomboraClient:
        """The account lists of a client (created if new), for Python-side seeding."""
        return self.backend(client_id)

    def unauthorized(self) -> ApiError:
        return problem(401, "Unauthorized")

    def throttled(self, exc: LimitExceeded, tenant: Tenant) -> ApiError:
        return too_many(max(1, math.ceil(tenant.limiter.seconds_until_window_frees())))

    def fault_error(self, rule: FaultRule) -> ApiError:
        """An injected 429 is the vendor's own throttling answer (Retry-After: the window)."""
        if rule.status == 429 and rule.error_code is None:
            return too_many(math.ceil(self.default_limits.window_seconds))
        return super().fault_error(rule)
