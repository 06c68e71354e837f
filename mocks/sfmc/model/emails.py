"""An account's emails (classic `Email` objects), content areas, and triggered send
definitions: what a send is made of. A triggered send definition names its email and send
classification; REST's `messageDefinitionSends/key:{key}/send` and the SOAP `Send` use them."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.ids import IdSequence

from ..facts import INVALID_REQUEST, UNKNOWN_SEND_DEFINITION
from .errors import SfmcError
from .folders import FolderStore
from .scopes import SYSTEM, Caller, operation

TSD_STATUSES = ("New", "Active", "Inactive", "Moved", "Canceled", "Deleted")


@dataclass
class Email:
    id: int
    name: str
    subject: str
    html: str
    text: str
    folder: int
    key: str
    created: float
    modified: float

    def record(self) -> dict:
        return {"ID": self.id, "ObjectID": f"email-{self.id}", "CustomerKey": self.key,
                "Name": self.name, "Subject": self.subject, "HTMLBody": self.html,
                "TextBody": self.text, "CategoryID": self.folder, "EmailType": "HTML",
                "Status": "New", "CreatedDate": self.created, "ModifiedDate": self.modified}


@dataclass
class TriggeredSend:
    key: str
    name: str
    email_id: int
    object_id: str
    created: float
    modified: float
    status: str = "Active"
    description: str = ""
    classification: str = "Default Commercial"
    send_id: int | None = None  # the Send job its messages are counted in
    implicit: bool = False  # made for a key an account without definitions accepted

    def record(self) -> dict:
        return {"ObjectID": self.object_id, "CustomerKey": self.key, "Name": self.name,
                "Description": self.description, "TriggeredSendStatus": self.status,
                "Email": {"ID": self.email_id}, "Email.ID": self.email_id,
                "SendClassification": {"CustomerKey": self.classification},
                "CreatedDate": self.created, "ModifiedDate": self.modified}


@dataclass
class EmailStore:
    """Emails by id, content areas, triggered send definitions by lower-cased key."""

    lock: threading.RLock
    clock: Clock
    folders: FolderStore
    emails: dict[int, Email] = field(default_factory=dict)
    areas: dict[int, dict] = field(default_factory=dict)
    triggered: dict[str, TriggeredSend] = field(default_factory=dict)
    ids: IdSequence = field(default_factory=lambda: IdSequence("emails", 1000))

    @operation("email.write")
    def create_email(self, caller: Caller, values: dict) -> Email:
        name = values.get("Name")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise SfmcError(400, "An email needs a Name (at most 200 characters).",
                            INVALID_REQUEST)
        subject = values.get("Subject") or ""
        folder = self.folders.check(_int(values.get("CategoryID")), "email")
        now = self.clock.now()
        made = Email(self.ids.take(), name, str(subject)[:500], str(values.get("HTMLBody") or ""),
                     str(values.get("TextBody") or ""), folder,
                     str(values.get("CustomerKey") or uuid.uuid4()), now, now)
        self.emails[made.id] = made
        return made

    @operation("email.write")
    def update_email(self, caller: Caller, email_id: object, values: dict) -> Email:
        found = self.email(email_id)
        for attribute, name in (("name", "Name"), ("subject", "Subject"), ("html", "HTMLBody"),
                                ("text", "TextBody")):
            if name in values:
                setattr(found, attribute, str(values[name] or "")[:100_000])
        found.modified = self.clock.now()
        return found

    @operation("email.write")
    def delete_email(self, caller: Caller, email_id: object) -> None:
        found = self.email(email_id)
        if any(t.email_id == found.id for t in self.triggered.values()):
            raise SfmcError(400, "The email is used by a triggered send definition.",
                            INVALID_REQUEST)
        del self.emails[found.id]

    def email(self, email_id: object) -> Email:
        wanted = _int(email_id)
        found = self.emails.get(wanted) if wanted is not None else None
        if found is None:
            raise SfmcError(404, f"Email with ID {str(email_id)[:40]} was not found.", 10002)
        return found

    @operation("email.write")
    def create_area(self, caller: Caller, values: dict) -> int:
        name = values.get("Name")
        if not isinstance(name, str) or not name.strip():
            raise SfmcError(400, "A content area needs a Name.", INVALID_REQUEST)
        folder = self.folders.check(_int(values.get("CategoryID")), "content")
        area_id = self.ids.take()
        now = self.clock.now()
        self.areas[area_id] = {"ID": area_id, "ObjectID": f"area-{area_id}", "Name": name,
                               "Content": str(values.get("Content") or ""),
                               "CategoryID": folder,
                               "CustomerKey": str(values.get("CustomerKey") or uuid.uuid4()),
                               "CreatedDate": now, "ModifiedDate": now}
        return area_id

    # -- triggered send definitions ----------------------------------------------------
    @operation("email.write")
    def define_triggered(self, caller: Caller, key: object, name: object, email_id: object,
                         status: object = "Active", description: object = "") -> TriggeredSend:
        if not isinstance(key, str) or not key.strip() or len(key) > 200:
            raise SfmcError(400, "A triggered send definition needs a CustomerKey.",
                            INVALID_REQUEST)
        if key.lower() in self.triggered:
            raise SfmcError(400, f"A triggered send definition '{key}' exists.",
                            INVALID_REQUEST)
        if status not in TSD_STATUSES:
            raise SfmcError(400, f"TriggeredSendStatus is one of {', '.join(TSD_STATUSES)}.",
                            INVALID_REQUEST)
        email = self.email(email_id)
        now = self.clock.now()
        made = TriggeredSend(key, str(name or key)[:200], email.id, str(uuid.uuid4()), now,
                             now, str(status), str(description or "")[:500])
        self.triggered[key.lower()] = made
        return made

    @operation("email.write")
    def update_triggered(self, caller: Caller, key: object, values: dict) -> TriggeredSend:
        found = self.triggered_send(key)
        status = values.get("TriggeredSendStatus", found.status)
        if status not in TSD_STATUSES:
            raise SfmcError(400, f"TriggeredSendStatus is one of {', '.join(TSD_STATUSES)}.",
                            INVALID_REQUEST)
        found.status = str(status)
        found.name = str(values.get("Name", found.name))[:200]
        found.description = str(values.get("Description", found.description))[:500]
        found.modified = self.clock.now()
        return found

    def triggered_send(self, key: object) -> TriggeredSend:
        found = self.triggered.get(key.lower()) if isinstance(key, str) else None
        if found is None:
            raise SfmcError(404, f"MessageDefinition with key '{str(key)[:100]}' was not "
                                 "found.", UNKNOWN_SEND_DEFINITION)
        return found

    def implicit(self, key: str) -> TriggeredSend:
        """A definition for a key an account that defines none accepts (lenient, like its
        credentials): an email made for it, active."""
        email = self.create_email(SYSTEM, {"Name": f"Triggered send {key}"[:200],
                                           "Subject": key[:200], "HTMLBody": "<p></p>"})
        made = self.define_triggered(SYSTEM, key, key, email.id)
        made.implicit = True
        return made

    # -- seeding and snapshots -----------------------------------------------------------
    def seed(self, emails: list, triggered: list) -> None:
        for spec in emails:
            if not isinstance(spec, dict):
                raise ValueError("an email is {id, name, subject, html, text}")
            made = self.create_email(SYSTEM, {"Name": spec.get("name"),
                                              "Subject": spec.get("subject"),
                                              "HTMLBody": spec.get("html"),
                                              "TextBody": spec.get("text"),
                                              "CustomerKey": spec.get("key")})
            wanted = _int(spec.get("id"))
            if wanted is not None and wanted not in self.emails:
                self.emails[wanted] = self.emails.pop(made.id)
                made.id = wanted
                self.ids.note(wanted)
        for spec in triggered:
            if isinstance(spec, dict):
                email = _int(spec.get("email"))
                if email is None:
                    email = self.create_email(SYSTEM, {"Name": f"{spec.get('key')}",
                                                       "Subject": spec.get("subject") or
                                                       spec.get("key")}).id
                definition = self.define_triggered(SYSTEM, spec.get("key"), spec.get("name"),
                                                   email, spec.get("status", "Active"))
                definition.implicit = spec.get("implicit") is True

    def snapshot(self) -> tuple[list, list]:
        return ([{"id": e.id, "name": e.name, "subject": e.subject, "html": e.html,
                  "text": e.text, "key": e.key} for e in self.emails.values()],
                [{"key": t.key, "name": t.name, "email": t.email_id, "status": t.status,
                  **({"implicit": True} if t.implicit else {})}
                 for t in self.triggered.values()])


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value) if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
