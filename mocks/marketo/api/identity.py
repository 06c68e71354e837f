"""The identity endpoint: an access token for a client id and secret (OAuth 2.0 client
credentials; errors in Spring's OAuth shape, vendor-apis.md §1.2)."""

from __future__ import annotations

import json
import math

from flask import Blueprint, Response, current_app, request

from vendorsim.mocks.core.openapi import doc

from ..facts import JSON_TYPE, TOKEN_HEADERS
from . import http

bp = Blueprint("identity", __name__)


@bp.route("/identity/oauth/token", methods=["GET", "POST"])
@doc(query=("grant_type", "client_id", "client_secret"), body="form", auth=False)
def token() -> Response:
    """An access token for the client credentials given."""
    grant = http.param("grant_type")
    if not grant:
        return http.oauth_error(400, "invalid_request", "Missing grant type")
    if grant != "client_credentials":
        return http.oauth_error(400, "unsupported_grant_type", f"Unsupported grant type: {grant}")
    service = current_app.config["vendorsim.service"]
    issued = service.issue_token(request.environ["vendorsim.tenant"],
                                 http.param("client_id") or "", http.param("client_secret") or "")
    if issued is None:
        return http.oauth_error(401, "invalid_client", "Bad client credentials")
    token, remaining = issued
    body = {"access_token": token.value, "token_type": "bearer",
            "expires_in": max(0, math.ceil(remaining) - 1), "scope": token.credential.user}
    return Response(json.dumps(body, separators=(",", ":")), content_type=JSON_TYPE,
                    headers=TOKEN_HEADERS)
