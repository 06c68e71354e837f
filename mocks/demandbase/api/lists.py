"""Account lists (modelled: Demandbase publishes no write API for them): lists by unique
name, their accounts added and removed by domain."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.context import call
from vendorsim.mocks.core.openapi import doc
from vendorsim.mocks.core.pipeline import drop_some

from . import http

bp = Blueprint("demandbase_lists", __name__)
LISTS = "/accountlists/v1/lists"


@bp.get(LISTS)
@doc(query=())
def account_lists() -> Response:
    """Every account list of the client."""
    found = http.client().all_lists(http.caller())
    return http.json_response({"totalCount": len(found), "data": found})


@bp.post(LISTS)
@doc(body="json", examples=[{"name": "L", "description": "d", "dataflowId": "f"}])
def create_list() -> Response:
    """Create an account list (409 for a name in use)."""
    return http.json_response(http.client().create_list(http.caller(), http.body()), 201)


@bp.get(f"{LISTS}/<int:list_id>")
@doc(query=())
def account_list(list_id: int) -> Response:
    """One account list."""
    return http.json_response(http.client().describe_list(http.caller(), list_id))


@bp.get(f"{LISTS}/<int:list_id>/accounts")
@doc(query=("page", "perPage"))
def list_accounts(list_id: int) -> Response:
    """A list's accounts, a page at a time."""
    page, per_page = http.int_arg("page", 1), http.int_arg("perPage", 500)
    total, members = http.client().members(http.caller(), list_id, page, per_page)
    return http.json_response({"totalCount": total, "data": members})


@bp.post(f"{LISTS}/<int:list_id>/accounts")
@doc(body="json", examples=[
    {"accounts": [{"accountName": "A", "accountEmailDomain": "a.com"}]}])
def add_accounts(list_id: int) -> Response:
    """Add accounts to a list by domain (202; invalid ones are listed as rejected)."""
    body = http.body()
    accounts = body.get("accounts") if isinstance(body, dict) else None
    call().records = len(accounts) if isinstance(accounts, list) else None
    return http.json_response(http.client().add_to_list(http.caller(), list_id, body,
                                                         _kept), 202)


@bp.delete(f"{LISTS}/<int:list_id>/accounts")
@doc(body="json", examples=[{"domains": ["acme.com", "a.com"]}])
def remove_accounts(list_id: int) -> Response:
    """Remove accounts from a list by domain (they stay in the account database)."""
    return http.json_response(http.client().remove_from_list(http.caller(), list_id,
                                                             http.body()), 202)


def _kept(accounts: list[dict]) -> list[dict]:
    """What a `drop` fault lets through of an accepted batch (B-DB-06)."""
    return drop_some(accounts)[0]
