"""`POST /auth/v1/token`: a form body, answered camelCase (`accessToken`, `tokenType`,
`expiresIn` 28,800 s) as Demandbase's own SDK reads it."""

from __future__ import annotations

import math

from flask import Blueprint, Response, request

from vendorsim.mocks.core.openapi import doc

from ..model.errors import problem
from . import http

bp = Blueprint("demandbase_auth", __name__)


@bp.post("/auth/v1/token")
@doc(body="form", auth=False)
def token() -> Response:
    """An access token for the client credentials given."""
    form = request.form
    if form.get("grant_type", "client_credentials") != "client_credentials" or \
            not form.get("client_id") or not form.get("client_secret"):
        raise problem(400, "grant_type=client_credentials, client_id and client_secret "
                           "are required (form-encoded)")
    issued = http.service().issue_token(form["client_id"], form["client_secret"])
    if issued is None:
        raise problem(401, "Invalid client credentials")
    token, remaining = issued
    return http.json_response({"accessToken": token.value, "tokenType": "Bearer",
                               "expiresIn": math.ceil(remaining)})
