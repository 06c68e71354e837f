"""Salesforce Marketing Cloud as a vendor of the mock cloud: tenants are subdomains.

`{sub}.auth.marketingcloudapis.com` issues tokens (`POST /v2/token`) whose
`rest_instance_url` and `soap_instance_url` point at `{sub}.rest.` and `{sub}.soap.` (or, on a
per-vendor port, at `/{sub}/` of that port). This module wires the vendor into the core: its
tenants and credentials, how the pipeline checks a REST bearer or a SOAP header token, and
SFMC's renderings of refusals. The rules are the model's (model/), the views the api's (api/).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
import re
import uuid
from collections.abc import Callable

from flask import Flask, Request, Response, request

from vendorsim.mocks.core.auth import Credential, Token
from vendorsim.mocks.core.bearer import ApiError, BearerService
from vendorsim.mocks.core.clock import iso_utc
from vendorsim.mocks.core.context import call
from vendorsim.mocks.core.faults import FaultRule
from vendorsim.mocks.core.limits import LimitExceeded
from vendorsim.mocks.core.service import OAUTH_CODES, Tenant

from . import facts
from .api import BLUEPRINTS
from .api.soap.views import SoapPaths, fault_answer, is_soap
from .api.soap.xml import SoapFault, parse
from .model.account import SfmcAccount
from .model.errors import SfmcError

SOAP_ENDPOINT = "sfmc_soap.service_asmx"


def rate_limited(wait: int) -> ApiError:
    """SFMC's throttling answer: 429, errorcode 50100, retryAfter and Retry-After."""
    return ApiError(429, {"message": "Rate limit exceeded", "errorcode": facts.THROTTLED,
                          "retryAfter": wait, "documentation": facts.DOCS},
                    {"Retry-After": str(wait)})


def oauth_error(status: int, error: str, description: str) -> ApiError:
    return ApiError(status, {"error": error, "error_description": description,
                             "error_uri": "https://developer.salesforce.com/docs"}, code=error)


class SfmcService(BearerService):
    name = "sfmc"
    host_pattern = re.compile(facts.HOST_PATTERN, re.I)
    base_url = facts.BASE_URL
    token_ttl = facts.TOKEN_TTL
    default_limits = facts.DEFAULT_LIMITS
    example_tenant = facts.EXAMPLE_SUBDOMAIN
    token_endpoints = frozenset({"sfmc_auth.token"})
    open_endpoints = frozenset({"sfmc_soap.wsdl_document", "sfmc_soap.fault_xsd"})
    refusal_codes = facts.REFUSAL_CODES
    unprefixed_roots = frozenset({"v2", "data", "hub", "contacts", "interaction", "messaging",
                                  "platform", "asset"})
    max_body = facts.MAX_BODY
    changes = facts.CHANGES
    openapi_answers = facts.OPENAPI_ANSWERS
    additive_states = facts.ADDITIVE_STATES

    def normalise_tenant(self, raw: str) -> str:
        return raw.lower()

    def new_backend(self, tenant_id: str) -> SfmcAccount:
        return SfmcAccount(tenant_id, self.clock, self.cloud.outbox,
                           self.calendar.view(tenant_id))

    def register_routes(self, app: Flask) -> None:
        for blueprint in BLUEPRINTS:
            app.register_blueprint(blueprint)

    def wrap_wsgi(self, app: Callable) -> Callable:
        return SoapPaths(app)

    # -- credentials and tokens ------------------------------------------------------
    def authenticate(self, tenant_id: str, client_id: str, secret: str) -> Credential | None:
        """Besides a wrong pair: a secret 180 days old, once that rule is in force."""
        cred = super().authenticate(tenant_id, client_id, secret)
        issued = cred.issued(secret) if cred is not None else None
        if issued is not None and self.clock.now() - issued >= facts.SECRET_LIFETIME and \
                self.calendar.in_force(tenant_id, facts.SECRET_RULE):
            return None
        return cred

    def issue_token(self, tenant_id: str, client_id: str, secret: str, scope: str
                    ) -> tuple[Token, float]:
        """A token for the package's credentials with the scopes asked (all it has when
        none are asked), and its seconds to live; the auth host's OAuth error otherwise."""
        cred = self.authenticate(tenant_id, client_id, secret)
        if cred is None:
            raise ApiError(401, facts.BAD_CLIENT, code="invalid_client")
        granted = cred.scopes if cred.scopes is not None else facts.DEFAULT_SCOPES
        asked = frozenset(scope.split()[:100]) or granted
        if not asked <= granted:
            missing = " ".join(sorted(asked - granted))[:500]
            raise oauth_error(400, "invalid_scope",
                              f"The requested scope is not granted to the package: {missing}")
        token = self.tokens.issue(self.tenant(tenant_id).id,
                                  dataclasses.replace(cred, scopes=asked), reuse=False)
        return token, self.tokens.remaining(token)

    def make_token_value(self, tenant_id: str) -> str:
        head = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"4","ver":"1","typ":"JWT"}')
        body = base64.urlsafe_b64encode(json.dumps({"sub": tenant_id, "jti": str(uuid.uuid4())})
                                        .encode())
        return f"{head.decode().rstrip('=')}.{body.decode().rstrip('=')}.{uuid.uuid4().hex}"

    def stage_secret(self, tenant: Tenant, client_id: str, secret: str | None) -> dict:
        """Generate and stage a new secret: it works beside the current one until it is
        activated; a second staging replaces it, at most once in 5 minutes."""
        with self._lock:
            cred = self._credential(tenant, client_id)
            now = self.clock.now()
            if cred.staged_at is not None and now - cred.staged_at < facts.STAGE_INTERVAL:
                raise ValueError("a new secret can be generated once in a 5-minute period")
            staged = dataclasses.replace(cred, staged_secret=secret or uuid.uuid4().hex,
                                         staged_at=now)
            tenant.credentials[client_id] = staged
            return self.describe_secret(staged)

    def activate_secret(self, tenant: Tenant, client_id: str) -> dict:
        """Activate the staged secret: the current one stops working."""
        with self._lock:
            cred = self._credential(tenant, client_id)
            if cred.staged_secret is None:
                raise ValueError(f"client {client_id!r} has no staged secret to activate")
            active = dataclasses.replace(cred, client_secret=cred.staged_secret,
                                         issued_at=cred.staged_at, staged_secret=None,
                                         staged_at=None)
            tenant.credentials[client_id] = active
            return self.describe_secret(active)

    def describe_secret(self, cred: Credential) -> dict:
        def expiry(issued: float | None) -> str | None:
            return None if issued is None else iso_utc(issued + facts.SECRET_LIFETIME)
        return {"client_id": cred.client_id, "expires_at": expiry(cred.issued_at),
                "staged_secret": cred.staged_secret, "staged_expires_at": expiry(cred.staged_at)}

    @staticmethod
    def _credential(tenant: Tenant, client_id: str) -> Credential:
        cred = tenant.credentials.get(client_id)
        if cred is None:
            raise LookupError(f"no credential {client_id[:100]!r} in tenant {tenant.id!r}")
        return cred

    def account(self, subdomain: str) -> SfmcAccount:
        """The account's data extensions (created if new), for Python-side seeding."""
        return self.backend(subdomain)

    # -- renderings --------------------------------------------------------------------
    def unauthorized(self) -> ApiError:
        """fuel-rest refreshes its token only on this header (vendor-apis.md §7.2)."""
        return ApiError(401, facts.NOT_AUTHORIZED,
                        {"WWW-Authenticate": 'Bearer error="invalid_token"'}, code="0")

    # -- the pipeline's questions (core/pipeline.py) ---------------------------------
    def check_token(self, req: Request) -> Token | Response:
        """A REST call's bearer; a SOAP call's envelope (parsed here, bounded, for its
        view) and the token in its header, refused as SFMC refuses it: a fault."""
        if req.endpoint != SOAP_ENDPOINT:
            return super().check_token(req)
        try:
            if (req.content_length or 0) > facts.MAX_SOAP_BODY:
                raise SoapFault(f"The request is refused: over "
                                f"{facts.MAX_SOAP_BODY // 1048576} MB")
            parsed = call().payload = parse(req.get_data())
            if not parsed.token:
                raise SoapFault(facts.TOKEN_EXPIRED if parsed.has_security else
                                facts.NO_SECURITY_HEADER, "q0:Security")
            status, token = self.tokens.check(parsed.token)
            tenant_id = req.environ.get("vendorsim.tenant")
            if status == "expired":
                raise SoapFault(facts.TOKEN_EXPIRED, "q0:Security")
            if token is None or (tenant_id and token.tenant != tenant_id):
                raise SoapFault(facts.LOGIN_FAILED, "q0:Security")
        except SoapFault as fault:
            return fault_answer(fault)
        return token

    def render_limit(self, exc: LimitExceeded, tenant: Tenant) -> Response:
        """SOAP throttles with HTTP 500 faults (vendor-apis.md §7.1), REST with a 429."""
        if is_soap(request.path):
            return fault_answer(SoapFault(facts.SOAP_THROTTLED, "soap:Server",
                                          code=str(facts.THROTTLED)))
        return super().render_limit(exc, tenant)

    def render_fault(self, rule: FaultRule) -> Response:
        if not is_soap(request.path):
            return super().render_fault(rule)
        throttle = rule.status == 429 or rule.error_code == str(facts.THROTTLED)
        return fault_answer(SoapFault(
            rule.message or (facts.SOAP_THROTTLED if throttle else
                             f"Injected fault {rule.error_code or rule.status}"),
            "soap:Server", 500 if throttle else rule.status or 500,
            code=rule.error_code or str(rule.status or 500)))

    def throttled(self, exc: LimitExceeded, tenant: Tenant) -> ApiError:
        return rate_limited(max(1, math.ceil(tenant.limiter.seconds_until_window_frees())))

    def not_found(self) -> ApiError:
        return SfmcError(404, "Resource not found", 404, documentation=facts.DOCS)

    def fault_error(self, rule: FaultRule) -> ApiError:
        if rule.error_code in OAUTH_CODES:
            return super().fault_error(rule)
        if rule.error_code == str(facts.THROTTLED) or rule.status == 429:
            return rate_limited(5)
        if rule.error_code == str(facts.BLOCKED):
            return SfmcError(429, "Your requests are temporarily blocked.", facts.BLOCKED,
                             documentation=facts.DOCS)
        status = rule.status or 500
        return SfmcError(status, rule.message or "An error occurred.",
                         int(rule.error_code or 0) if (rule.error_code or "0").isdigit() else 0,
                         documentation=facts.DOCS)
