"""SFMC's Contacts API on the account's data extensions: what the CDP's SFMC *destination*
writes to. An attribute set is a data extension (named like it); a contact's attribute
values become a row of that data extension, keyed by the contact key in its ContactKey
(or SubscriberKey) column; contact-key search by email reads the EmailAddress columns back.
Response shapes follow SFMC's documentation of these calls; where it is silent (errors of a
contact write), the choices are in docs/reference/sfmc.md.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

from vendorsim.mocks.core.bearer import ApiError
from vendorsim.mocks.core.clock import Clock

from .extensions import DataExtension, DataExtensionStore
from .fields import EMAIL
from .scopes import Caller, operation

KEY_COLUMNS = ("contactkey", "contact key", "subscriberkey", "subscriber key")
EMAIL_SET = "Email Addresses"  # SFMC's system attribute set: Email Address, HTML Enabled


def _now_iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4]


def refused(epoch: float, message: str) -> ApiError:
    """A refused contact write (chosen shape: the success envelope with FAIL and a message)."""
    return ApiError(400, {"operationStatus": "FAIL", "hasErrors": True,
                          "requestServiceMessageID": str(uuid.uuid4()),
                          "responseDateTime": _now_iso(epoch),
                          "resultMessages": [{"resultType": "Error", "resultCode":
                                              "ValidationError", "message": message}]},
                    code="ContactValidation")


def _attribute_set(store: DataExtensionStore, name: object) -> DataExtension | None:
    return store.find(str(name)[:300])


def _key_column(de: DataExtension) -> str | None:
    """The data extension's contact-key column (ContactKey / SubscriberKey), if it has one."""
    return next((f.name for f in de.fields if f.name.lower() in KEY_COLUMNS), None)


class ContactStore:
    """The account's contacts (contact key -> {contactID, created, email, html}); their
    attribute values live in the data extensions."""

    def __init__(self, lock: threading.RLock, clock: Clock, store: DataExtensionStore) -> None:
        self.lock = lock
        self.clock = clock
        self.store = store
        self.contacts: dict[str, dict] = {}

    @operation("subscribers.write")
    def upsert(self, caller: Caller, body: object) -> dict:
        return upsert_contact(self, body)

    @operation("subscribers.read")
    def definitions(self, caller: Caller) -> dict:
        return definitions(self.store)

    @operation("subscribers.read")
    def search_by_email(self, caller: Caller, body: object) -> dict:
        return search_by_email(self, body)


def upsert_contact(account: ContactStore, body: object) -> dict:
    """`{contactKey, attributeSets: [{name, items: [{values: [{name, value}]}]}]}`: every row
    checked first, then written (all or nothing, as SFMC's sync writes)."""
    now = account.clock.now()
    key = body.get("contactKey") if isinstance(body, dict) else None
    sets = body.get("attributeSets") if isinstance(body, dict) else None
    if not isinstance(key, str) or not key.strip() or len(key) > 200:
        raise refused(now, "contactKey is required (text, at most 200 characters)")
    if not isinstance(sets, list) or not sets:
        raise refused(now, "attributeSets is a non-empty list of {name, items}")
    rows: list[tuple[DataExtension, dict]] = []
    email: dict = {}
    if len(sets) > 100:
        raise refused(now, "at most 100 attribute sets in one request")
    with account.lock:
        for attribute_set in sets:
            if not isinstance(attribute_set, dict):
                raise refused(now, "each attribute set is {name, items: [{values}]}")
            de = _attribute_set(account.store, attribute_set.get("name"))
            if de is None and str(attribute_set.get("name")).lower() == EMAIL_SET.lower():
                email = _email_set(attribute_set, now)
                continue
            if de is None:
                named = str(attribute_set.get("name"))[:80]
                raise refused(now, f"no attribute set named {named!r}")
            key_column = _key_column(de)
            items = attribute_set.get("items") or [{"values": attribute_set.get("values")}]
            for item in items if isinstance(items, list) else [None]:
                values = item.get("values") if isinstance(item, dict) else None
                if not isinstance(values, list) or not all(
                        isinstance(v, dict) and isinstance(v.get("name"), str) for v in values):
                    raise refused(now, "values is a list of {name, value}")
                row = {v["name"]: v.get("value") for v in values}
                if key_column:
                    row[key_column] = key
                checked, problems = de.check_row({}, row)
                if problems:
                    raise refused(now, "; ".join(problems))
                rows.append((de, checked))
        for de, row in rows:
            de.put(row)
        known = account.contacts.get(key)
        if known is None:
            known = account.contacts[key] = {"contactID": len(account.contacts) + 1,
                                             "created": now}
        known.update(email)
    return {"operationStatus": "OK", "rowsAffected": len(rows) + bool(email),
            "contactKey": key,
            "contactID": known["contactID"], "contactTypeID": 0,
            "isNewContactKey": known["created"] == now, "hasErrors": False,
            "requestServiceMessageID": str(uuid.uuid4()), "serviceMessageID": str(uuid.uuid4()),
            "responseDateTime": _now_iso(now), "resultMessages": []}


def _email_set(attribute_set: dict, now: float) -> dict:
    """The system Email Addresses set: `Email Address` (an address) and `HTML Enabled`."""
    items = attribute_set.get("items") or [{"values": attribute_set.get("values")}]
    values = items[0].get("values") if isinstance(items, list) and items and \
        isinstance(items[0], dict) else None
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise refused(now, "values is a list of {name, value}")
    given = {str(v.get("name")).lower(): v.get("value") for v in values}
    address = given.get("email address")
    if not isinstance(address, str) or not EMAIL.fullmatch(address) or len(address) > 254:
        raise refused(now, "Email Addresses: Email Address must be a valid email address")
    html = given.get("html enabled", True)
    if not isinstance(html, bool) and str(html).lower() not in ("true", "false"):
        raise refused(now, "Email Addresses: HTML Enabled is true or false")
    return {"email": address, "html": html if isinstance(html, bool) else
            str(html).lower() == "true"}


def definitions(store: DataExtensionStore) -> dict:
    """Every data extension as an attribute set definition."""
    items = [{"definitionID": de.id, "definitionKey": de.key,
              "definitionName": {"value": de.name}, "isSystemDefined": False,
              "valueDefinitions": [{"definitionKey": f.name, "name": {"value": f.name},
                                    "dataType": f.type, "isPrimaryKey": f.primary_key,
                                    "isNullable": not f.required} for f in de.fields]}
             for de in store.extensions.values()]
    items.append({"definitionID": "email-addresses", "definitionKey": "EmailAddresses",
                  "definitionName": {"value": EMAIL_SET}, "isSystemDefined": True,
                  "valueDefinitions": [
                      {"definitionKey": "EmailAddress", "name": {"value": "Email Address"},
                       "dataType": "EmailAddress", "isPrimaryKey": False, "isNullable": False},
                      {"definitionKey": "HTMLEnabled", "name": {"value": "HTML Enabled"},
                       "dataType": "Boolean", "isPrimaryKey": False, "isNullable": True}]})
    return {"count": len(items), "page": 1, "pageSize": len(items), "items": items}


def search_by_email(account: ContactStore, body: object) -> dict:
    """Contact keys of the rows whose EmailAddress column holds one of the addresses."""
    addresses = body.get("channelAddressList") if isinstance(body, dict) else None
    limit = body.get("maximumCount", 5) if isinstance(body, dict) else 5
    now = account.clock.now()
    if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses) \
            or len(addresses) > 100 or not isinstance(limit, int) or isinstance(limit, bool):
        raise refused(now, "channelAddressList is a list of email addresses (at most 100)")
    found = []
    with account.lock:
        for address in addresses:
            keys = []
            for de in account.store.extensions.values():
                key_column = _key_column(de)
                emails = [f.name for f in de.fields if f.type == "EmailAddress"]
                for row in de.rows.values():
                    if key_column and any(str(row.get(e) or "").lower() == address.lower()
                                          for e in emails):
                        keys.append(str(row.get(key_column)))
            keys += [k for k, c in account.contacts.items()
                     if str(c.get("email") or "").lower() == address.lower()]
            found.append({"channelAddress": address, "contactKeyDetails": [
                {"contactKey": k, "createDate": _now_iso(account.contacts.get(k, {}).get(
                    "created", now))} for k in list(dict.fromkeys(keys))[:max(1, limit)]]})
    return {"channelAddressResponseEntities": found, "operationStatus": "OK",
            "requestServiceMessageID": str(uuid.uuid4()), "responseDateTime": _now_iso(now),
            "hasErrors": False, "resultMessages": [], "serviceMessageID": str(uuid.uuid4())}
