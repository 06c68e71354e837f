"""What every Bombora view shares: the call's client (its account lists) and the JSON body."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask import current_app, request

from vendorsim.mocks.core.bearer import json_response
from vendorsim.mocks.core.bodies import BadBody, parse_json
from vendorsim.mocks.core.context import tenant_backend

from ..model.lists import BomboraClient, problem

if TYPE_CHECKING:
    from ..service import BomboraService

__all__ = ["body", "client", "json_response", "service"]


def client() -> BomboraClient:
    """The API client whose token the call carries."""
    return cast(BomboraClient, tenant_backend())


def service() -> BomboraService:
    found: BomboraService = current_app.config["vendorsim.service"]
    return found


def body() -> object:
    """The JSON body (None when there is none); 400 when it is not JSON."""
    data = request.get_data(cache=True)
    if not data:
        return None
    if request.mimetype != "application/json":
        raise problem(400, "Content-Type must be application/json")
    try:
        return parse_json(data)
    except BadBody as exc:
        raise problem(400, f"The request body is not acceptable: {exc}") from None
