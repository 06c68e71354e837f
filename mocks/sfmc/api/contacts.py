"""SFMC's Contacts API (what the CDP's SFMC destination writes): a contact's attribute
values become rows of the data extensions named like its attribute sets."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("sfmc_contacts", __name__)


@bp.post("/contacts/v1/contacts")
@doc(body="json", examples=[{"contactKey": "C9", "attributeSets": [
    {"name": "People", "items": [{"values": [{"name": "Email", "value": "c@x.example"}]}]}]}])
def create_contact() -> Response:
    """Create or update a contact: its attribute sets' values become rows."""
    return http.json_response(http.account().contacts.upsert(http.caller(), http.body_json()))


@bp.get("/contacts/v1/attributeSetDefinitions")
@doc(query=())
def attribute_set_definitions() -> Response:
    """The attribute sets (the account's data extensions) and their attributes."""
    return http.json_response(http.account().contacts.definitions(http.caller()))


@bp.post("/contacts/v1/addresses/email/search")
@doc(body="json", examples=[{"channelAddressList": ["a@x.example"], "maximumCount": 5}])
def contact_keys_by_email() -> Response:
    """The contact keys that hold these email addresses."""
    return http.json_response(http.account().contacts.search_by_email(http.caller(),
                                                                       http.body_json()))
