"""The Account List API (vendor-apis.md §4): lists, and the accounts of Manual lists."""

from __future__ import annotations

from flask import Blueprint, Response, request

from vendorsim.mocks.core.context import call
from vendorsim.mocks.core.openapi import doc

from ..facts import ACCOUNT_LISTS
from . import http

bp = Blueprint("bombora_lists", __name__)


@bp.get(ACCOUNT_LISTS)
@doc(query=())
def account_lists() -> Response:
    """Every account list of the client."""
    return http.json_response(http.client().all_lists())


@bp.post(ACCOUNT_LISTS)
@doc(body="json", examples=[
    {"type": "Manual", "metadata": {"name": "M", "description": "d"}},
    {"type": "Derived", "metadata": {"name": "D"}, "specification": {"parentId": "x"}}])
def create_list() -> Response:
    """Create an account list."""
    return http.json_response({"id": http.client().create(http.body()).id})


@bp.get(f"{ACCOUNT_LISTS}/<list_id>")
@doc(query=())
def account_list(list_id: str) -> Response:
    """One account list."""
    return http.json_response(http.client().describe(list_id))


@bp.put(f"{ACCOUNT_LISTS}/<list_id>")
@doc(body="json", examples=[{"metadata": {"name": "N", "description": "d"}}])
def update_list(list_id: str) -> Response:
    """Rename or describe an account list."""
    return http.json_response(http.client().update(list_id, http.body()))


@bp.delete(f"{ACCOUNT_LISTS}/<list_id>")
@doc()
def delete_list(list_id: str) -> Response:
    """Delete an account list (409 while a Derived list names it as parent)."""
    http.client().delete(list_id)
    return Response(status=204)


@bp.post(f"{ACCOUNT_LISTS}/<list_id>/accounts")
@doc(body="json", examples=[
    [{"domain": "acme.com"}, {"domain": "globex.com", "id": "g", "attributes": {"a": 1}}],
    ["acme.com", "globex.com"]])
def add_accounts(list_id: str) -> Response:
    """Upsert accounts into a Manual list."""
    body = http.body()
    call().records = len(body) if isinstance(body, list) else None
    return http.json_response(http.client().upsert_accounts(list_id, body))


@bp.delete(f"{ACCOUNT_LISTS}/<list_id>/accounts")
@doc(body="json", examples=[["acme.com"]])
def remove_accounts(list_id: str) -> Response:
    """Remove the given domains from a list, or (no body) every account."""
    removed = http.client().remove_accounts(list_id, http.body() if request.get_data()
                                            else None)
    call().records = removed
    return Response(status=204)


@bp.get(f"{ACCOUNT_LISTS}/<list_id>/accounts/domains")
@doc(query=())
def domains(list_id: str) -> Response:
    """The domains of a list's accounts."""
    return http.json_response(http.client().domains(list_id))
