"""`POST /oauth/token`: `{client_id, client_secret}` as JSON, a bearer JWT that lives a day."""

from __future__ import annotations

import math

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from ..model.lists import problem
from . import http

bp = Blueprint("bombora_auth", __name__)


@bp.post("/oauth/token")
@doc(body="json", auth=False)
def token() -> Response:
    """An access token for the client credentials given."""
    body = http.body()
    if not isinstance(body, dict) or not body.get("client_id") or \
            not body.get("client_secret"):
        raise problem(400, "client_id and client_secret are required")
    issued = http.service().issue_token(str(body["client_id"]), str(body["client_secret"]))
    if issued is None:
        raise problem(401, "Invalid client credentials")
    token, remaining = issued
    return http.json_response({"access_token": token.value, "token_type": "Bearer",
                               "expires_in": math.ceil(remaining)})
