"""What every Demandbase view shares: the call's client and caller, the JSON body, query
numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask import current_app, request

from vendorsim.mocks.core.bearer import json_response
from vendorsim.mocks.core.bodies import BadBody, parse_json, whole_number
from vendorsim.mocks.core.caller import Caller
from vendorsim.mocks.core.context import call_permissions, tenant_backend

from ..model.client import DemandbaseClient
from ..model.errors import problem

if TYPE_CHECKING:
    from ..service import DemandbaseService

__all__ = ["body", "caller", "client", "int_arg", "json_response", "service"]


def client() -> DemandbaseClient:
    """The API client whose token the call carries."""
    return cast(DemandbaseClient, tenant_backend())


def caller() -> Caller:
    """The call's API client as the model's operations judge it: its permissions."""
    return Caller(call_permissions())


def service() -> DemandbaseService:
    found: DemandbaseService = current_app.config["vendorsim.service"]
    return found


def body() -> object:
    """The JSON body (None when there is none); 400 when it is not JSON."""
    data = request.get_data(cache=True)
    if not data:
        return None
    try:
        return parse_json(data)
    except BadBody as exc:
        raise problem(400, f"The request body is not acceptable: {exc}") from None


def int_arg(name: str, default: int) -> int:
    value = whole_number(request.args.get(name, default), 1, 100_000)
    if value is None:
        raise problem(400, f"{name} must be a whole number from 1 to 100000")
    return value
