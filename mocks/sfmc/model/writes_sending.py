"""SOAP writes of what an account sends: emails, content areas, triggered send definitions,
folders, and `Create Send` (a list send). Each handler takes the action, the object and
whether the request upserts, and answers the new object's id (as `NewID`)."""

from __future__ import annotations

from collections.abc import Callable

from .emails import EmailStore
from .folders import FolderStore
from .scopes import SYSTEM
from .sending import Sending
from .writes import ObjectError, SoapObject


class SendingWrites:
    def __init__(self, folders: FolderStore, emails: EmailStore, sending: Sending) -> None:
        self.folders = folders
        self.emails = emails
        self.sending = sending

    def handlers(self) -> dict[str, Callable[[str, SoapObject, bool], int]]:
        return {"Email": self._email, "ContentArea": self._area,
                "TriggeredSendDefinition": self._triggered, "Send": self._send,
                "DataFolder": self._folder}

    def _email(self, action: str, obj: SoapObject, upsert: bool) -> int:
        if action == "Create":
            return self.emails.create_email(SYSTEM, obj.values).id
        email_id = obj.values.get("ID")
        if action == "Delete":
            self.emails.delete_email(SYSTEM, email_id)
            return 0
        return self.emails.update_email(SYSTEM, email_id, obj.values).id

    def _area(self, action: str, obj: SoapObject, upsert: bool) -> int:
        return self.emails.create_area(SYSTEM, obj.values)

    def _triggered(self, action: str, obj: SoapObject, upsert: bool) -> int:
        key = obj.values.get("CustomerKey")
        if action == "Update":
            self.emails.update_triggered(SYSTEM, key, obj.values)
            return 0
        email = _nested(obj, "Email", "ID")
        if email is None:
            raise ObjectError("A triggered send definition needs Email.ID")
        self.emails.define_triggered(SYSTEM, key, obj.values.get("Name"), email,
                                     obj.values.get("TriggeredSendStatus") or "Active",
                                     obj.values.get("Description") or "")
        return 0

    def _send(self, action: str, obj: SoapObject, upsert: bool) -> int:
        email = _nested(obj, "Email", "ID")
        lists = [int(v) for v in obj.nested.get("List.ID", []) if v.isascii() and v.isdigit()
                 and len(v) < 10]
        if email is None or not lists:
            raise ObjectError("A send needs Email.ID and at least one List.ID")
        return self.sending.list_send(SYSTEM, email, lists).id

    def _folder(self, action: str, obj: SoapObject, upsert: bool) -> int:
        parent = _nested(obj, "ParentFolder", "ID")
        return self.folders.create(SYSTEM, obj.values.get("Name"),
                                   obj.values.get("ContentType"),
                                   int(parent) if parent is not None else None,
                                   obj.values.get("Description") or "").id


def _nested(obj: SoapObject, holder: str, name: str) -> str | None:
    found = obj.nested.get(f"{holder}.{name}")
    return found[0] if found else None
