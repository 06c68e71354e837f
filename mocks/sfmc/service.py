"""Salesforce Marketing Cloud as a vendor of the mock cloud: tenants are subdomains.

`{sub}.auth.marketingcloudapis.com` issues tokens (`POST /v2/token`) whose
`rest_instance_url` points at `{sub}.rest.marketingcloudapis.com` (or, on a per-vendor port,
at `/{sub}/` of that port); the REST host serves data extensions.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
import re
import uuid
from collections.abc import Callable
from typing import cast

from flask import Flask, Response, request

from vendorsim.mocks.core.auth import Credential
from vendorsim.mocks.core.bearer import ApiError, BearerService, json_response
from vendorsim.mocks.core.bodies import BadBody, parse_json
from vendorsim.mocks.core.clock import iso_utc
from vendorsim.mocks.core.context import call_scopes
from vendorsim.mocks.core.faults import FaultRule
from vendorsim.mocks.core.limits import LimitExceeded
from vendorsim.mocks.core.openapi import doc
from vendorsim.mocks.core.service import OAUTH_CODES, Tenant

from . import facts
from .errors import BAD_CLIENT, DOCS, NOT_AUTHORIZED, SfmcError
from .models import SfmcAccount
from .soap.api import fault_answer, is_soap, soap_paths
from .soap.xml import SoapFault


def rate_limited(wait: int) -> ApiError:
    """SFMC's throttling answer: 429, errorcode 50100, retryAfter and Retry-After."""
    return ApiError(429, {"message": "Rate limit exceeded", "errorcode": facts.THROTTLED,
                          "retryAfter": wait, "documentation": DOCS}, {"Retry-After": str(wait)})


def oauth_error(status: int, error: str, description: str) -> ApiError:
    return ApiError(status, {"error": error, "error_description": description,
                             "error_uri": "https://developer.salesforce.com/docs"})


class SfmcService(BearerService):
    name = "sfmc"
    host_pattern = re.compile(
        r"(?P<tenant>[a-z0-9-]+)\.(?:auth|rest|soap)\.marketingcloudapis\.com", re.I)
    token_ttl = facts.TOKEN_TTL
    default_limits = facts.DEFAULT_LIMITS
    example_tenant = "mc563885gzs27c5t9-63k636ttgm"
    token_endpoints = frozenset({"sfmc_token"})
    refusal_codes = facts.REFUSAL_CODES
    unprefixed_roots = frozenset({"v2", "data", "hub", "contacts", "interaction", "messaging",
                                  "platform"})
    max_body = facts.MAX_BODY
    changes = facts.CHANGES
    openapi_answers = facts.OPENAPI_ANSWERS
    own_auth_endpoints = frozenset({"sfmc_soap.service_asmx", "sfmc_soap.wsdl_document",
                                    "sfmc_soap.fault_xsd"})
    additive_states = facts.ADDITIVE_STATES

    def normalise_tenant(self, raw: str) -> str:
        return raw.lower()

    def new_backend(self, tenant_id: str) -> SfmcAccount:
        return SfmcAccount(tenant_id, self.clock)

    def authenticate(self, tenant_id: str, client_id: str, secret: str) -> Credential | None:
        """Besides a wrong pair: a secret 180 days old, once that rule is in force."""
        cred = super().authenticate(tenant_id, client_id, secret)
        issued = cred.issued(secret) if cred is not None else None
        if issued is not None and self.clock.now() - issued >= facts.SECRET_LIFETIME and \
                self.calendar.in_force(tenant_id, facts.SECRET_RULE):
            return None
        return cred

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

    def make_token_value(self, tenant_id: str) -> str:
        head = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"4","ver":"1","typ":"JWT"}')
        body = base64.urlsafe_b64encode(json.dumps({"sub": tenant_id, "jti": str(uuid.uuid4())})
                                        .encode())
        return f"{head.decode().rstrip('=')}.{body.decode().rstrip('=')}.{uuid.uuid4().hex}"

    def account(self, subdomain: str) -> SfmcAccount:
        """The account's data extensions (created if new), for Python-side seeding."""
        return self.backend(subdomain)

    # -- renderings --------------------------------------------------------------------
    def unauthorized(self) -> ApiError:
        """fuel-rest refreshes its token only on this header (vendor-apis.md §7.2)."""
        return ApiError(401, NOT_AUTHORIZED, {"WWW-Authenticate": 'Bearer error="invalid_token"'},
                        code="0")

    def wrap_wsgi(self, app: Callable) -> Callable:
        return soap_paths(app)

    def soap_account(self, value: str | None, has_security: bool) -> SfmcAccount:
        """The account a SOAP call's header token opens, its call admitted to the tenant's
        limits; SoapFault as SFMC answers (`Token Expired`, throttling as HTTP 500)."""
        if not value:
            raise SoapFault(facts.TOKEN_EXPIRED if has_security else facts.NO_SECURITY_HEADER,
                            "q0:Security")
        status, token = self.tokens.check(value)
        tenant_id = request.environ.get("vendorsim.tenant")
        if status == "expired":
            raise SoapFault(facts.TOKEN_EXPIRED, "q0:Security")
        if token is None or (tenant_id and token.tenant != tenant_id):
            raise SoapFault(facts.LOGIN_FAILED, "q0:Security")
        try:
            return cast(SfmcAccount, self.admit(token).backend)
        except LimitExceeded:
            raise SoapFault(facts.SOAP_THROTTLED, "soap:Server",
                            code=str(facts.THROTTLED)) from None

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
        return SfmcError(404, "Resource not found", 404, documentation=DOCS)

    def fault_error(self, rule: FaultRule) -> ApiError:
        if rule.error_code in OAUTH_CODES:
            return super().fault_error(rule)
        if rule.error_code == str(facts.THROTTLED) or rule.status == 429:
            return rate_limited(5)
        if rule.error_code == "50200":
            return SfmcError(429, "Your requests are temporarily blocked.", 50200,
                             documentation=DOCS)
        status = rule.status or 500
        return SfmcError(status, rule.message or "An error occurred.",
                         int(rule.error_code or 0) if (rule.error_code or "0").isdigit() else 0,
                         documentation=DOCS)

    # -- routes ------------------------------------------------------------------------
    def register_routes(self, app: Flask) -> None:
        from .contacts import register_contacts
        from .routes import body_json, register

        app.add_url_rule("/v2/token", "sfmc_token", self._token, methods=["POST"])
        register(app, self)
        register_contacts(app, self, body_json)
        from .engagement_api import bp as engagement
        from .soap.api import bp as soap

        app.register_blueprint(soap)
        app.register_blueprint(engagement)

    @doc(body="json", auth=False)
    def _token(self) -> Response:
        tenant_id = request.environ.get("vendorsim.tenant") or ""
        try:
            body = parse_json(request.get_data()) if request.is_json else None
        except BadBody:
            body = None
        if not isinstance(body, dict):
            raise oauth_error(400, "invalid_request",
                              "The request body must be JSON with client credentials.")
        if body.get("grant_type") != "client_credentials":
            raise oauth_error(400, "unsupported_grant_type",
                              'Use "client_credentials" as the value for "grant_type".')
        cred = self.authenticate(tenant_id, str(body.get("client_id") or ""),
                                 str(body.get("client_secret") or ""))
        if cred is None:
            raise ApiError(401, BAD_CLIENT, code="invalid_client")
        granted = cred.scopes if cred.scopes is not None else facts.DEFAULT_SCOPES
        asked = frozenset(str(body.get("scope") or "").split()) or granted
        if not asked <= granted:
            missing = " ".join(sorted(asked - granted))
            raise oauth_error(400, "invalid_scope",
                              f"The requested scope is not granted to the package: {missing}")
        token = self.tokens.issue(self.tenant(tenant_id).id,
                                  dataclasses.replace(cred, scopes=asked), reuse=False)
        base = self._instance_base(tenant_id)
        return json_response({
            "access_token": token.value, "token_type": "Bearer",
            "expires_in": max(0, math.ceil(self.tokens.remaining(token)) - 1),
            "scope": " ".join(sorted(asked)),
            "soap_instance_url": base.format(kind="soap"),
            "rest_instance_url": base.format(kind="rest")})

    def _instance_base(self, tenant_id: str) -> str:
        """Where this client's REST calls go: the vendor host, or this port's tenant prefix."""
        host = request.host.split(":")[0]
        if self.host_pattern.fullmatch(host):
            return f"https://{tenant_id}.{{kind}}.marketingcloudapis.com/"
        return f"{request.host_url.rstrip('/')}{request.script_root}/"  # .../{sub}/


def require_scope(scope: str) -> None:
    """B-SFMC-03: reading data extensions needs `data_extensions_read` (writing, `_write`)."""
    scopes = call_scopes()
    if scopes is not None and scope not in scopes:
        raise SfmcError(403, "Insufficient privileges", facts.NO_PRIVILEGE, documentation=DOCS)
