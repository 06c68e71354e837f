"""Transactional messaging (vendor-apis.md §8.2): send definitions, messages to one recipient
or many, and a message's status."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.context import call
from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("sfmc_messaging", __name__)
MESSAGES = "/messaging/v1/email/messages"


@bp.post("/messaging/v1/email/definitions")
@doc(body="json", examples=[{"definitionKey": "welcome", "name": "Welcome"}])
def create_definition() -> Response:
    """A send definition (201)."""
    return http.json_response(http.account().messaging.create_definition(
        http.caller(), http.body_json()), 201)


@bp.get("/messaging/v1/email/definitions")
@doc(query=())
def definitions() -> Response:
    """The account's send definitions."""
    found = http.account().messaging.list_definitions(http.caller())
    return http.json_response({"definitions": found, "count": len(found), "page": 1,
                               "pageSize": len(found)})


@bp.post(f"{MESSAGES}/<message_key>")
@doc(body="json", examples=[{"definitionKey": "welcome", "recipient": {
    "contactKey": "C1", "to": "c1@x.example", "attributes": {"FirstName": "Ann"}}}])
def send_one(message_key: str) -> Response:
    """A message to one recipient, named by its message key (202)."""
    call().records = 1
    return http.json_response(http.account().messaging.send(http.caller(), http.body_json(),
                                                            message_key), 202)


@bp.post(f"{MESSAGES}/", strict_slashes=False)
@doc(body="json", examples=[{"definitionKey": "welcome", "recipients": [
    {"contactKey": "C1", "to": "c1@x.example", "messageKey": "m1"}]}])
def send_many() -> Response:
    """Messages to up to 2,000 recipients (500 with attributes) (202)."""
    body = http.body_json()
    recipients = body.get("recipients") if isinstance(body, dict) else None
    call().records = len(recipients) if isinstance(recipients, list) else None
    return http.json_response(http.account().messaging.send(http.caller(), body, None), 202)


@bp.get(f"{MESSAGES}/<message_key>")
@doc(query=())
def status(message_key: str) -> Response:
    """Where a message stands: its latest event."""
    return http.json_response(http.account().messaging.status(http.caller(), message_key))
