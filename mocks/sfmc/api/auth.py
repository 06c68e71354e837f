"""The auth host's token endpoint (`POST /v2/token`, OAuth 2.0 client credentials): a token,
its scopes, and where the account's REST and SOAP APIs are (vendor-apis.md §2.1)."""

from __future__ import annotations

import math

from flask import Blueprint, Response, request

from vendorsim.mocks.core.bearer import ApiError
from vendorsim.mocks.core.bodies import BadBody, parse_json
from vendorsim.mocks.core.openapi import doc

from ..facts import HOST
from . import http

bp = Blueprint("sfmc_auth", __name__)


def oauth_error(status: int, error: str, description: str) -> ApiError:
    return ApiError(status, {"error": error, "error_description": description,
                             "error_uri": "https://developer.salesforce.com/docs"}, code=error)


@bp.post("/v2/token")
@doc(body="json", auth=False)
def token() -> Response:
    """An access token for the installed package's client id and secret."""
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
    token, remaining = http.service().issue_token(
        tenant_id, str(body.get("client_id") or ""), str(body.get("client_secret") or ""),
        str(body.get("scope") or ""))
    base = _instance_base(tenant_id)
    return http.json_response({
        "access_token": token.value, "token_type": "Bearer",
        "expires_in": max(0, math.ceil(remaining) - 1),
        "scope": " ".join(sorted(token.credential.scopes or ())),
        "soap_instance_url": base.format(kind="soap"),
        "rest_instance_url": base.format(kind="rest")})


def _instance_base(tenant_id: str) -> str:
    """Where this client's calls go: the vendor's hosts, or this port's tenant prefix."""
    host = request.host.split(":")[0]
    if http.service().host_pattern.fullmatch(host):
        return "https://" + HOST.format(tenant=tenant_id, kind="{kind}") + "/"
    return f"{request.host_url.rstrip('/')}{request.script_root}/"  # .../{sub}/
