"""Transactional messaging (vendor-apis.md §8.2): send definitions, and messages sent one at a
time (`POST /messaging/v1/email/messages/{messageKey}`) or to up to 2,000 recipients at once
(500 when any carries attributes). A message key is unique in the business unit for 72 hours.
Transactional sends go to unsubscribed subscribers too; their events happen on the clock
like every send's, and the Event Notification Service hears of them."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.engagement import Sendable

from .. import facts
from .emails import EmailStore
from .ens import CATEGORIES
from .errors import SfmcError
from .fields import EMAIL
from .scopes import SYSTEM, Caller, operation
from .sends import SendJob, SendStore
from .tracking import TrackingStore

BAD = facts.INVALID_REQUEST


@dataclass
class Definition:
    key: str
    name: str
    email_id: int
    status: str = "Active"
    implicit: bool = False
    job: int | None = None

    def render(self) -> dict:
        return {"definitionKey": self.key, "name": self.name, "status": self.status,
                "content": {"emailId": self.email_id}}


@dataclass
class Messaging:
    lock: threading.RLock
    clock: Clock
    emails: EmailStore
    sends: SendStore
    tracking: TrackingStore
    definitions: dict[str, Definition] = field(default_factory=dict)
    keys: dict[str, tuple[float, str]] = field(default_factory=dict)  # message key -> when, who

    @operation("email.write")
    def create_definition(self, caller: Caller, body: object) -> dict:
        spec = body if isinstance(body, dict) else {}
        key, name = spec.get("definitionKey"), spec.get("name")
        content: dict = spec["content"] if isinstance(spec.get("content"), dict) else {}
        if not isinstance(key, str) or not key.strip() or len(key) > 200 or \
                key.lower() in self.definitions:
            raise SfmcError(400, "definitionKey is required and unique.", BAD)
        if not isinstance(name, str) or not name.strip():
            raise SfmcError(400, "name is required.", BAD)
        email = self.emails.email(content.get("emailId")).id if content.get("emailId") \
            is not None else self.emails.create_email(SYSTEM, {"Name": name,
                                                               "Subject": name}).id
        status = spec.get("status", "Active")
        if status not in ("Active", "Inactive"):
            raise SfmcError(400, "status is Active or Inactive.", BAD)
        made = Definition(key, name, email, status)
        self.definitions[key.lower()] = made
        return made.render()

    @operation("messages.read")
    def list_definitions(self, caller: Caller) -> list[dict]:
        return [d.render() for d in self.definitions.values() if not d.implicit]

    @operation("messages.send")
    def send(self, caller: Caller, body: object, message_key: str | None) -> dict:
        """One recipient (`recipient`, the path's message key) or many (`recipients`, each
        with its own key); every recipient gets a response, refused ones their error."""
        spec = body if isinstance(body, dict) else {}
        definition = self._definition(spec.get("definitionKey"))
        if message_key is not None:
            if "recipients" in spec or not isinstance(spec.get("recipient"), dict):
                raise SfmcError(400, "A message to one recipient has `recipient` (and no "
                                     "`recipients`).", BAD)
            recipients: Any = [{**spec["recipient"], "messageKey": message_key}]
        else:
            recipients = spec.get("recipients")
            if "recipient" in spec or not isinstance(recipients, list) or not recipients:
                raise SfmcError(400, "A batch has `recipients` (and no `recipient`).", BAD)
            limit = facts.MESSAGE_RECIPIENTS_WITH_ATTRIBUTES if any(
                isinstance(r, dict) and r.get("attributes") for r in recipients) \
                else facts.MESSAGE_RECIPIENTS
            if len(recipients) > limit:
                raise SfmcError(400, f"At most {limit} recipients a request.", BAD)
        now = self.clock.now()
        self.keys = {k: v for k, v in self.keys.items()
                     if now - v[0] < facts.MESSAGE_KEY_HOURS * 3600}
        responses: list[dict] = []
        accepted: list[Sendable] = []
        keys: list[str | None] = []
        for item in recipients:
            answer, recipient, key = self._recipient(item, now)
            responses.append(answer)
            if recipient is not None:
                accepted.append(recipient)
                keys.append(key)
        if message_key is not None and "errorcode" in responses[0]:
            raise SfmcError(400, responses[0]["message"], responses[0]["errorcode"])
        if accepted:
            self.sends.send(self._job(definition), accepted, message_keys=keys)
        return {"requestId": str(uuid.uuid4()), "errorcode": 0, "responses": responses}

    def _recipient(self, item: object, now: float) -> tuple[dict, Sendable | None, str]:
        spec: dict[str, Any] = item if isinstance(item, dict) else {}
        key = spec.get("messageKey") or str(uuid.uuid4())
        to, contact = spec.get("to"), spec.get("contactKey")
        attributes = spec.get("attributes") or {}
        if not isinstance(key, str) or len(key) > facts.MESSAGE_KEY_LENGTH:
            return {"messageKey": str(key)[:100], "errorcode": BAD,
                    "message": "messageKey is text of at most 100 characters"}, None, ""
        if key in self.keys:
            return {"messageKey": key, "errorcode": facts.DUPLICATE_MESSAGE_KEY,
                    "message": "MessageKey is not unique"}, None, ""
        if not isinstance(to, str) or not EMAIL.fullmatch(to) or not isinstance(
                contact or to, str) or not isinstance(attributes, dict):
            return {"messageKey": key, "errorcode": BAD,
                    "message": "A recipient needs `to` (an email address), a contactKey "
                               "and attributes as an object"}, None, ""
        self.keys[key] = (now, str(contact or to))
        return {"messageKey": key}, Sendable(str(contact or to), to, dict(attributes)), key

    def _definition(self, key: object) -> Definition:
        if not isinstance(key, str) or not key.strip():
            raise SfmcError(400, "definitionKey is required.", BAD)
        found = self.definitions.get(key.lower())
        if found is None:
            if any(not d.implicit for d in self.definitions.values()):
                raise SfmcError(404, f"Definition '{key[:100]}' was not found.",
                                facts.UNKNOWN_MESSAGE_DEFINITION)
            email = self.emails.create_email(SYSTEM, {"Name": key[:200], "Subject": key[:200]})
            found = self.definitions[key.lower()] = Definition(key, key, email.id,
                                                              implicit=True)
        if found.status != "Active":
            raise SfmcError(400, f"Definition '{key}' is {found.status}.", BAD)
        return found

    def _job(self, definition: Definition) -> SendJob:
        job = self.sends.jobs.get(definition.job or 0)
        if job is None:
            email = self.emails.email(definition.email_id)
            job = self.sends.job("transactional", email.id, email.name, email.subject,
                                 definition=definition.key, transactional=True)
            definition.job = job.id
        return job

    @operation("messages.read")
    def status(self, caller: Caller, message_key: str) -> dict:
        """Where a message stands: its latest event whose time has come."""
        if message_key not in self.keys:
            raise SfmcError(404, f"Message {message_key[:100]} was not found.", 10002)
        self.tracking.catch_up()
        now = self.clock.now()
        latest = max((e for events in self.tracking.by_type.values() for e in events
                      if e.message_key == message_key and e.at <= now),
                     key=lambda e: e.at, default=None)
        category = CATEGORIES[latest.object_type] if latest is not None else \
            "TransactionalSendEvents.EmailQueued"
        return {"requestId": str(uuid.uuid4()), "eventCategoryType": category,
                "timestamp": latest.at if latest else now,
                "compositeId": f"{latest.send_id}.{latest.id}" if latest else None,
                "info": {"messageKey": message_key, "contactKey": self.keys[message_key][1]}}

    # -- seeding and snapshots -----------------------------------------------------------
    def seed(self, definitions: list) -> None:
        for spec in definitions:
            if not isinstance(spec, dict):
                raise ValueError("a message definition is {definitionKey, name, emailId}")
            made = self.create_definition(SYSTEM, {**spec, "content": {
                "emailId": spec.get("emailId")} if spec.get("emailId") else {}})
            self.definitions[made["definitionKey"].lower()].implicit = \
                spec.get("implicit") is True

    def snapshot(self) -> list[dict]:
        return [{"definitionKey": d.key, "name": d.name, "emailId": d.email_id,
                 "status": d.status, **({"implicit": True} if d.implicit else {})}
                for d in self.definitions.values()]
