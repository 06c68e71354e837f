"""Bombora as a vendor of the mock cloud: `api.bombora.com`, tenants are client ids.

`POST /oauth/token` takes `{client_id, client_secret}` as JSON and answers a bearer JWT that
lives a day; the Account List API lives under `/account-list/v1`. Errors carry `{message}`.
Rate limits of this API are not published: modelled as 600 calls a minute per client (429
with Retry-After), configurable like every limit.
"""

from __future__ import annotations

import base64
import json
import math
import re
import uuid

from flask import Flask, Response, request

from vendorsim.mocks.core.bearer import ApiError, BearerService, json_response
from vendorsim.mocks.core.bodies import BadBody, parse_json
from vendorsim.mocks.core.context import call, tenant_backend
from vendorsim.mocks.core.faults import FaultRule
from vendorsim.mocks.core.limits import LimitExceeded
from vendorsim.mocks.core.openapi import doc
from vendorsim.mocks.core.service import Tenant

from . import facts
from .models import BomboraClient, problem

BASE = "/account-list/v1/account-list"


def too_many(wait: int) -> ApiError:
    """Bombora's throttling answer (modelled: 429 with Retry-After)."""
    return ApiError(429, {"message": facts.THROTTLED_MESSAGE},
                    {"Retry-After": str(wait)})


class BomboraService(BearerService):
    name = "bombora"
    host_pattern = re.compile(r"api\.bombora\.com", re.I)
    token_ttl = facts.TOKEN_TTL
    openapi_answers = facts.OPENAPI_ANSWERS
    default_limits = facts.DEFAULT_LIMITS
    tenant_in_path = False
    example_tenant = ""
    token_endpoints = frozenset({"bombora_token"})

    def new_backend(self, tenant_id: str) -> BomboraClient:
        return BomboraClient(tenant_id, self.clock)

    def make_token_value(self, tenant_id: str) -> str:
        part = base64.urlsafe_b64encode(json.dumps(
            {"sub": tenant_id, "jti": str(uuid.uuid4())}).encode()).decode().rstrip("=")
        return f"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.{part}.{uuid.uuid4().hex}"

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

    def register_routes(self, app: Flask) -> None:
        app.add_url_rule("/oauth/token", "bombora_token", self._token, methods=["POST"])

        def lists() -> BomboraClient:
            return tenant_backend()

        @app.route(BASE, methods=["GET", "POST"])
        @doc(body="json", examples=[
            {"type": "Manual", "metadata": {"name": "M", "description": "d"}},
            {"type": "Derived", "metadata": {"name": "D"}, "specification": {"parentId": "x"}}])
        def account_lists() -> Response:
            if request.method == "GET":
                return json_response([x.render() for x in lists().lists.values()])
            return json_response({"id": lists().create(_body()).id})

        @app.route(f"{BASE}/<list_id>", methods=["GET", "PUT", "DELETE"])
        @doc(body="json", examples=[{"metadata": {"name": "N", "description": "d"}}])
        def account_list(list_id: str) -> Response:
            client = lists()
            if request.method == "GET":
                return json_response(client.get(list_id).render())
            if request.method == "PUT":
                return json_response(client.update(list_id, _body()).render())
            client.delete(list_id)
            return Response(status=204)

        @app.route(f"{BASE}/<list_id>/accounts", methods=["POST", "DELETE"])
        @doc(body="json", examples=[
            [{"domain": "acme.com"}, {"domain": "globex.com", "id": "g", "attributes": {"a": 1}}],
            ["acme.com", "globex.com"]])
        def accounts(list_id: str) -> Response:
            client = lists()
            if request.method == "POST":
                body = _body()
                call().records = len(body) if isinstance(body, list) else None
                return json_response(client.upsert_accounts(list_id, body))
            removed = client.remove_accounts(list_id, _body() if request.get_data() else None)
            call().records = removed
            return Response(status=204)

        @app.get(f"{BASE}/<list_id>/accounts/domains")
        @doc(query=())
        def domains(list_id: str) -> Response:
            target = lists().get(list_id)
            return json_response(sorted(a["domain"] for a in target.accounts.values()))

    @doc(body="json", auth=False)
    def _token(self) -> Response:
        body = _body()
        if not isinstance(body, dict) or not body.get("client_id") or \
                not body.get("client_secret"):
            raise problem(400, "client_id and client_secret are required")
        client_id = str(body["client_id"])
        cred = self.authenticate(client_id, client_id, str(body["client_secret"]))
        if cred is None:
            raise problem(401, "Invalid client credentials")
        token = self.tokens.issue(self.tenant(client_id).id, cred)
        return json_response({"access_token": token.value, "token_type": "Bearer",
                              "expires_in": math.ceil(self.tokens.remaining(token))})


def _body() -> object:
    data = request.get_data(cache=True)
    if not data:
        return None
    if request.mimetype != "application/json":
        raise problem(400, "Content-Type must be application/json")
    try:
        return parse_json(data)
    except BadBody as exc:
        raise problem(400, f"The request body is not acceptable: {exc}") from None
