"""What an SFMC account does with contacts besides storing them (vendor-apis.md §7.2):
journey entry events, triggered sends and campaigns, as sfmc-sdk and fuel-rest call them.

Nothing is sent: events and sends are recorded (the most recent EVENTS_KEPT of each) so a
test can see what its integration fired. An account that seeds `event_definitions` or
`triggered_sends` (keys) refuses any other key, as SFMC refuses keys it does not have; one
that seeds none accepts every key (lenient, like the credentials). Every operation takes the
account's lock.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc
from vendorsim.mocks.core.ids import IdSequence

from ..facts import (
    CAMPAIGN_FIELDS,
    EVENTS_KEPT,
    INVALID_REQUEST,
    UNKNOWN_EVENT_DEFINITION,
    UNKNOWN_SEND_DEFINITION,
)
from .errors import SfmcError
from .fields import EMAIL
from .scopes import SYSTEM, Caller, operation


@dataclass
class Engagement:
    """Entry events, triggered sends, campaigns and the definitions they name."""

    lock: threading.RLock
    clock: Clock
    event_definitions: set[str] = field(default_factory=set)
    send_definitions: set[str] = field(default_factory=set)
    events: list[dict] = field(default_factory=list)
    sends: list[dict] = field(default_factory=list)
    campaigns: dict[int, dict] = field(default_factory=dict)
    campaign_ids: IdSequence = field(default_factory=lambda: IdSequence("campaigns", 1))
    sending: Any = None  # the account's Sending, which makes the sends happen

    @operation("journeys.execute")
    def fire_event(self, caller: Caller, body: object) -> dict:
        """POST /interaction/v1/events: a contact enters the journeys listening for a key."""
        if not isinstance(body, dict):
            raise SfmcError(400, "The body must be a JSON object.", INVALID_REQUEST)
        contact, key = body.get("ContactKey"), body.get("EventDefinitionKey")
        data = body.get("Data", {})
        if not isinstance(contact, str) or not contact.strip() or len(contact) > 254:
            raise SfmcError(400, "ContactKey is required.", INVALID_REQUEST)
        if not isinstance(key, str) or not key.strip() or len(key) > 200:
            raise SfmcError(400, "EventDefinitionKey is required.", INVALID_REQUEST)
        if not isinstance(data, dict):
            raise SfmcError(400, "Data must be an object.", INVALID_REQUEST)
        if self.event_definitions and key not in self.event_definitions:
            raise SfmcError(400, f"Event definition with key '{key}' was not found.",
                            UNKNOWN_EVENT_DEFINITION)
        instance = str(uuid.uuid4())
        self._keep(self.events, {"eventInstanceId": instance, "contactKey": contact,
                                 "eventDefinitionKey": key, "data": data,
                                 "at": iso_utc(self.clock.now())})
        if self.sending is not None:
            self.sending.journey(key, contact, data)
        return {"eventInstanceId": instance}

    @operation("email.send")
    def send(self, caller: Caller, definition: str, body: object) -> dict:
        """POST /messaging/v1/messageDefinitionSends/key:{key}/send: queue one message."""
        to = body.get("To") if isinstance(body, dict) else None
        address = to.get("Address") if isinstance(to, dict) else None
        if not isinstance(address, str) or not EMAIL.fullmatch(address) or len(address) > 254:
            raise SfmcError(400, "To.Address must be a valid email address.", INVALID_REQUEST)
        subscriber = to.get("SubscriberKey", address)  # type: ignore[union-attr]  # a dict here
        if not isinstance(subscriber, str) or len(subscriber) > 254:
            raise SfmcError(400, "To.SubscriberKey must be text.", INVALID_REQUEST)
        contact = to.get("ContactAttributes") if isinstance(to, dict) else None
        attributes = contact.get("SubscriberAttributes") if isinstance(contact, dict) else None
        if self.sending is not None:
            self.sending.triggered(definition, address, subscriber,
                                   attributes if isinstance(attributes, dict) else {})
        elif self.send_definitions and definition not in self.send_definitions:
            raise SfmcError(404, f"MessageDefinition with key '{definition}' was not found.",
                            UNKNOWN_SEND_DEFINITION)
        request_id, message = str(uuid.uuid4()), str(uuid.uuid4())
        self._keep(self.sends, {"requestId": request_id, "messageKey": message,
                                "definitionKey": definition, "address": address,
                                "subscriberKey": subscriber, "at": iso_utc(self.clock.now())})
        return {"requestId": request_id, "responses": [
            {"messageKey": message, "recipientSendId": message}]}

    @staticmethod
    def _keep(log: list[dict], entry: dict) -> None:
        log.append(entry)
        del log[:-EVENTS_KEPT]

    @operation("campaigns.write")
    def create_campaign(self, caller: Caller, body: object) -> dict:
        """POST /hub/v1/campaigns."""
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) or \
                not body["name"].strip() or len(body["name"]) > 128:
            raise SfmcError(400, "A campaign needs a name (at most 128 characters).",
                            INVALID_REQUEST)
        values = {k: body.get(k) for k in CAMPAIGN_FIELDS if k in body}
        if any(not isinstance(v, str | bool) for v in values.values()):
            raise SfmcError(400, "Campaign fields are text (favorite: true or false).",
                            INVALID_REQUEST)
        now = iso_utc(self.clock.now())
        campaign_id = self.campaign_ids.take()
        made = {"id": str(campaign_id), "createdDate": now, "modifiedDate": now,
                "description": "", "campaignCode": "", "color": "", "favorite": False,
                **values}
        self.campaigns[campaign_id] = made
        return made

    @operation("campaigns.read")
    def campaign(self, caller: Caller, campaign_id: str) -> dict:
        found = self.campaigns.get(int(campaign_id)) if campaign_id.isascii() and \
            campaign_id.isdigit() and len(campaign_id) < 10 else None
        if found is None:
            raise SfmcError(404, f"Campaign {campaign_id[:40]} was not found.", 10002)
        return found

    @operation("campaigns.write")
    def delete_campaign(self, caller: Caller, campaign_id: str) -> None:
        self.campaigns.pop(int(self.campaign(SYSTEM, campaign_id)["id"]))

    @operation("campaigns.read")
    def list_campaigns(self, caller: Caller, page: int, size: int) -> dict:
        items = list(self.campaigns.values())
        return {"count": len(items), "page": page, "pageSize": size,
                "items": items[(page - 1) * size:page * size]}

    # -- seeding and snapshots -------------------------------------------------------
    def seed(self, data: dict) -> None:
        for name, target in (("event_definitions", self.event_definitions),
                             ("triggered_sends", self.send_definitions)):
            keys = data.get(name) or []
            if not isinstance(keys, list) or not all(
                    isinstance(k, str) and k or isinstance(k, dict) for k in keys):
                raise ValueError(f"{name} is a list of keys (or of objects with a key)")
            for item in keys:
                key = item.get("key") if isinstance(item, dict) else item
                if not isinstance(key, str) or not key.strip() or len(key) > 200:
                    raise ValueError(f"{name}: every item needs a key")
                target.add(key)
        for name, log in (("entry_events", self.events), ("sends", self.sends)):
            entries = data.get(name) or []
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise ValueError(f"{name} is a list of objects")
            log.extend(entries[-EVENTS_KEPT:])
        for spec in data.get("campaigns") or []:
            try:
                made = self.create_campaign(SYSTEM, spec)
            except SfmcError as exc:
                raise ValueError(f"campaign: {exc.message}") from None
            if isinstance(spec, dict) and spec.get("createdDate"):
                made["createdDate"] = made["modifiedDate"] = str(spec["createdDate"])
            wanted = whole_number(spec.get("id"), 1) if isinstance(spec, dict) else None
            if wanted is not None and wanted not in self.campaigns:  # a snapshot's keeps its id
                self.campaigns[wanted] = self.campaigns.pop(int(made["id"]))
                made["id"] = str(wanted)
                self.campaign_ids.note(wanted)

    def snapshot(self) -> dict:
        with self.lock:
            return {"event_definitions": sorted(self.event_definitions),
                    "triggered_sends": sorted(self.send_definitions),
                    "campaigns": [{**c, "id": int(c["id"])} for c in self.campaigns.values()],
                    "entry_events": list(self.events), "sends": list(self.sends)}
