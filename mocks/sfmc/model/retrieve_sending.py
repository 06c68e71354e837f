"""Retrieve's records of what an account sends (issue 36): its folders, emails, content
areas, send classifications, triggered send definitions, sends, list sends and tracking
events, each as a source of (key, record) and a look-up by key, as retrieve.py reads them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .emails import EmailStore
from .folders import FolderStore
from .sends import SendStore
from .tracking import KINDS, TrackingStore

Record = dict[str, Any]
Reader = tuple[Callable[[], Iterator[tuple[Any, Record]]], Callable[[Any], "Record | None"]]


class SendingRecords:
    """The readers of the sending object types, by type name."""

    def __init__(self, folders: FolderStore, emails: EmailStore, sends: SendStore,
                 tracking: TrackingStore) -> None:
        self.folders = folders
        self.emails = emails
        self.sends = sends
        self.tracking = tracking

    def readers(self) -> dict[str, Reader]:
        found: dict[str, Reader] = {
            "DataFolder": (self._folders, self._folder),
            "Email": (self._emails, self._email),
            "ContentArea": (lambda: iter(list(self.emails.areas.items())),
                            self.emails.areas.get),
            "SendClassification": (self._classifications, self._classification),
            "TriggeredSendDefinition": (self._definitions, self._definition),
            "Send": (self._sends, self._send),
            "ListSend": (self._list_sends, self._list_send),
        }
        for object_type in KINDS.values():
            found[object_type] = self._events(object_type)
        return found

    def _folders(self) -> Iterator[tuple[Any, Record]]:
        for folder_id, folder in list(self.folders.folders.items()):
            yield folder_id, folder.record()

    def _folder(self, key: Any) -> Record | None:
        found = self.folders.folders.get(key)
        return found.record() if found is not None else None

    def _emails(self) -> Iterator[tuple[Any, Record]]:
        for email_id, email in list(self.emails.emails.items()):
            yield email_id, email.record()

    def _email(self, key: Any) -> Record | None:
        found = self.emails.emails.get(key)
        return found.record() if found is not None else None

    def _classifications(self) -> Iterator[tuple[Any, Record]]:
        for key, found in list(self.folders.classifications.items()):
            yield key, found.record()

    def _classification(self, key: Any) -> Record | None:
        found = self.folders.classifications.get(key)
        return found.record() if found is not None else None

    def _definitions(self) -> Iterator[tuple[Any, Record]]:
        for key, found in list(self.emails.triggered.items()):
            yield key, found.record()

    def _definition(self, key: Any) -> Record | None:
        found = self.emails.triggered.get(key)
        return found.record() if found is not None else None

    def _sends(self) -> Iterator[tuple[Any, Record]]:
        for job_id, job in list(self.sends.jobs.items()):
            yield job_id, self.sends.record(job)

    def _send(self, key: Any) -> Record | None:
        job = self.sends.jobs.get(key)
        return self.sends.record(job) if job is not None else None

    def _list_sends(self) -> Iterator[tuple[Any, Record]]:
        for job_id, job in list(self.sends.jobs.items()):
            for record in self.sends.list_records(job):
                yield (job_id, record["List.ID"]), record

    def _list_send(self, key: Any) -> Record | None:
        job = self.sends.jobs.get(key[0])
        found = [r for r in self.sends.list_records(job) if r["List.ID"] == key[1]] \
            if job is not None else []
        return found[0] if found else None

    def _events(self, object_type: str) -> Reader:
        def source() -> Iterator[tuple[Any, Record]]:
            for event in self.tracking.visible(object_type):
                yield event.id, event.record()

        def lookup(key: Any) -> Record | None:
            found = next((e for e in self.tracking.by_type[object_type] if e.id == key), None)
            return found.record() if found is not None else None

        return source, lookup
