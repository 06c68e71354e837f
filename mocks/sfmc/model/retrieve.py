"""Retrieve: the account's data extensions, their columns and rows, subscribers, lists and
memberships as SOAP objects, filtered and paged at 2,500 (`MoreDataAvailable`, then a
Retrieve with `ContinueRequest` = the RequestID).

Every record is a flat map of property name to a typed value (dates as epoch seconds); the
views render them. An unfinished Retrieve keeps a cursor: the keys of the records it matched
and how far it has read, never the records or their renderings, so a cursor costs a pointer
a record; a tenant keeps at most SOAP_CURSORS_KEPT of them (the oldest go first).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import facts
from ..facts import ALL_SUBSCRIBERS_ID
from .extensions import DataExtension, DataExtensionStore
from .filters import Filter, FilterError, predicate
from .objects import ROW_TYPE, TYPES, ObjectType, object_type
from .scopes import Caller, operation
from .subscribers import SubscriberStore

BATCH = 100  # records a page reads at a time under the lock
Record = dict[str, Any]
Source = Callable[[], Iterator[tuple[Any, Record]]]  # (key, record) of every object
Lookup = Callable[[Any], "Record | None"]  # one object by its key, None once it is gone


class RetrieveError(ValueError):
    """A Retrieve SFMC answers with `OverallStatus` "Error: ..." and no results."""


@dataclass(frozen=True)
class RetrieveRequest:
    object_type: str = ""
    properties: tuple[str, ...] = ()
    filter: Filter | None = None
    continue_id: str | None = None


@dataclass
class RetrievePage:
    """One page of results, for the views to render in the object table's order. Its
    records are read as they are rendered, a batch at a time under the account's lock, so a
    page of wide rows is never held whole."""

    status: str  # OK | MoreDataAvailable
    request_id: str
    kind: ObjectType
    properties: tuple[str, ...]
    records: Iterator[Record]


@dataclass
class Cursor:
    kind: ObjectType
    name: str  # the ObjectType as asked (DataExtensionObject[key])
    properties: tuple[str, ...]
    keys: list[Any]
    lookup: Lookup
    position: int = 0
    extension: DataExtension | None = field(default=None, repr=False)


class Row(dict):
    """A row as a record: column names match without case, as SFMC's do."""

    def get(self, key: object, default: object = None) -> Any:
        return super().get(str(key).lower(), default)


class Retriever:
    """Retrieve over one account's stores, with its open cursors."""

    def __init__(self, lock: threading.RLock, data: DataExtensionStore,
                 audience: SubscriberStore) -> None:
        self.lock = lock
        self.data = data
        self.audience = audience
        self.cursors: dict[str, Cursor] = {}
        self.extra: Any = None  # the sending objects' readers (retrieve_sending.py)

    def retrieve(self, caller: Caller, ask: RetrieveRequest) -> RetrievePage:
        """A page of a new Retrieve, or the next page of an unfinished one."""
        with self.lock:
            self.data.apply_due()
            if ask.continue_id:
                cursor = self.cursors.pop(ask.continue_id, None)
                if cursor is None:
                    raise RetrieveError(f"ContinueRequest {ask.continue_id[:60]} is unknown or "
                                        "finished")
                operation.require(caller, f"{cursor.kind.area}.read")
                return self._page(ask.continue_id, cursor)
            kind = object_type(ask.object_type)
            if kind is None:
                raise RetrieveError(f"Unable to retrieve ObjectType '{ask.object_type[:100]}': "
                                    f"vendorsim implements {', '.join(_names())}")
            operation.require(caller, f"{kind.area}.read")
            if not ask.properties:
                raise RetrieveError("The Request Properties(s) are required")
            source, lookup, props, de = self._source(kind, ask.object_type)
            unknown = [p for p in ask.properties if not props(p)]
            if unknown:
                raise RetrieveError(f"The Request Property(s) {', '.join(unknown)[:200]} do not "
                                    f"match with the fields of {ask.object_type[:100]} retrieve")
            try:
                keep = predicate(ask.filter, props, self._coerce(kind, de))
            except FilterError as exc:
                raise RetrieveError(str(exc)) from None
            keys = [key for key, record in source() if keep(record)]
            cursor = Cursor(kind, ask.object_type, ask.properties, keys, lookup, extension=de)
            return self._page(str(uuid.uuid4()), cursor)

    def _page(self, request_id: str, cursor: Cursor) -> RetrievePage:
        start = cursor.position
        cursor.position = min(start + facts.SOAP_PAGE, len(cursor.keys))
        more = cursor.position < len(cursor.keys)
        if more:
            self.cursors[request_id] = cursor
            while len(self.cursors) > facts.SOAP_CURSORS_KEPT:  # the oldest go first
                self.cursors.pop(next(iter(self.cursors)))
        return RetrievePage("MoreDataAvailable" if more else "OK", request_id, cursor.kind,
                            cursor.properties,
                            self._records(cursor.lookup, cursor.keys[start:cursor.position]))

    def _records(self, lookup: Lookup, keys: list[Any]) -> Iterator[Record]:
        """The records of a page's keys, read BATCH at a time under the lock; one deleted
        since the Retrieve began is gone from its pages."""
        for start in range(0, len(keys), BATCH):
            with self.lock:
                batch = [lookup(key) for key in keys[start:start + BATCH]]
            yield from (record for record in batch if record is not None)

    # -- the records of each object type ------------------------------------------------
    def _source(self, kind: ObjectType, name: str) -> tuple[
            Source, Lookup, Callable[[str], bool], DataExtension | None]:
        """Every record of a type, one by its key, and which property names it has."""
        if kind.name == ROW_TYPE:
            de = self._extension(name)
            rows = de.rows
            return (lambda: ((k, _row(r)) for k, r in list(rows.items())),
                    lambda k: _row(rows[k]) if k in rows else None,
                    lambda p: de.field(p) is not None, de)
        typed = kind.typed()
        known: Callable[[str], bool] = typed.__contains__
        readers: dict[str, tuple[Source, Lookup]] = {
            "DataExtension": (self._extensions, self._extension_by_key),
            "DataExtensionField": (self._columns, self._column_by_key),
            "Subscriber": (self._subscribers, self._subscriber_by_key),
            "List": (self._lists, self._list_by_key),
            "ListSubscriber": (self._memberships, self._membership_by_key)}
        if self.extra is not None:
            readers.update(self.extra.readers())
        source, lookup = readers[kind.name]
        return source, lookup, known, None

    @staticmethod
    def _coerce(kind: ObjectType, de: DataExtension | None) -> Callable[[str, str], Any]:
        """How a filter's text value is typed: by the column (rows) or the property's type
        in the object table."""
        if de is not None:
            def column_value(prop: str, raw: str) -> Any:
                column = de.field(prop)
                stored, problem = column.check(raw) if column else (None, "no such column")
                if problem:
                    raise ValueError(problem)
                return stored
            return column_value
        typed = kind.typed()
        return lambda prop, raw: typed[prop].coerce(raw)

    def _extension(self, name: str) -> DataExtension:
        """`DataExtensionObject[X]`: the data extension whose key, else name, is X."""
        inner = name[len(ROW_TYPE) + 1:-1] if name.endswith("]") else ""
        found = self.data.find(inner)
        if found is None:
            raise RetrieveError(f"Data extension '{inner[:100]}' does not exist: retrieve "
                                f"{ROW_TYPE}[customer key or name]")
        return found

    def _extensions(self) -> Iterator[tuple[Any, Record]]:
        for key, de in list(self.data.extensions.items()):
            yield key, _extension(de)

    def _extension_by_key(self, key: Any) -> Record | None:
        de = self.data.extensions.get(key)
        return _extension(de) if de is not None else None

    def _columns(self) -> Iterator[tuple[Any, Record]]:
        for key, de in list(self.data.extensions.items()):
            for ordinal, _ in enumerate(de.fields):
                yield (key, ordinal), _column(de, ordinal)

    def _column_by_key(self, key: Any) -> Record | None:
        de = self.data.extensions.get(key[0])
        return _column(de, key[1]) if de is not None and key[1] < len(de.fields) else None

    def _subscribers(self) -> Iterator[tuple[Any, Record]]:
        for key, s in list(self.audience.subscribers.items()):
            yield key, _subscriber(s)

    def _subscriber_by_key(self, key: Any) -> Record | None:
        found = self.audience.subscribers.get(key)
        return _subscriber(found) if found is not None else None

    def _lists(self) -> Iterator[tuple[Any, Record]]:
        for list_id, m in list(self.audience.lists.items()):
            yield list_id, _list(m)

    def _list_by_key(self, key: Any) -> Record | None:
        found = self.audience.lists.get(key)
        return _list(found) if found is not None else None

    def _memberships(self) -> Iterator[tuple[Any, Record]]:
        for key, s in list(self.audience.subscribers.items()):
            yield (key, ALL_SUBSCRIBERS_ID), _all_subscribers(s)
            for list_id in list(s.lists):
                yield (key, list_id), _membership(s, list_id)

    def _membership_by_key(self, key: Any) -> Record | None:
        found = self.audience.subscribers.get(key[0])
        if found is not None and key[1] == ALL_SUBSCRIBERS_ID:
            return _all_subscribers(found)
        return _membership(found, key[1]) if found is not None and key[1] in found.lists \
            else None


def _names() -> list[str]:
    return [f"{ROW_TYPE}[key]" if t == ROW_TYPE else t for t in TYPES]


def _row(row: dict) -> Record:
    return Row({name.lower(): value for name, value in row.items()} | {"_row": dict(row)})


def _extension(de: DataExtension) -> Record:
    return {"CreatedDate": de.created, "ModifiedDate": de.modified, "ObjectID": de.id,
            "CustomerKey": de.key, "Name": de.name, "Description": de.description,
            "IsSendable": de.sendable, "IsTestable": False, "Status": "Active",
            "CategoryID": de.folder}


def _column(de: DataExtension, ordinal: int) -> Record:
    f = de.fields[ordinal]
    return {"ObjectID": f"{de.id}:{ordinal}", "CustomerKey": f"[{de.key}].[{f.name}]",
            "Name": f.name, "Scale": f.scale or 0, "DefaultValue": "",
            "MaxLength": f.length or 0, "IsRequired": f.required, "Ordinal": ordinal,
            "IsPrimaryKey": f.primary_key, "FieldType": f.type,
            "DataExtension": {"CustomerKey": de.key}, "DataExtension.CustomerKey": de.key}


def _subscriber(s: Any) -> Record:
    return {"CreatedDate": s.created, "ModifiedDate": s.modified, "ID": s.id,
            "EmailAddress": s.email, "SubscriberKey": s.key, "Status": s.status,
            "UnsubscribedDate": s.unsubscribed}


def _list(m: Any) -> Record:
    return {"CreatedDate": m.created, "ModifiedDate": m.modified, "ID": m.id,
            "CustomerKey": m.key or None, "ListName": m.name, "Category": 0,
            "Type": m.type, "Description": m.description,
            "ListClassification": "ExactTargetList"}


def _all_subscribers(s: Any) -> Record:
    """Every subscriber's place on All Subscribers: its own status."""
    return {"CreatedDate": s.created, "ModifiedDate": s.modified,
            "ObjectID": f"{ALL_SUBSCRIBERS_ID}:{s.id}", "Status": s.status,
            "ListID": ALL_SUBSCRIBERS_ID, "SubscriberKey": s.key}


def _membership(s: Any, list_id: int) -> Record:
    held = s.lists[list_id]
    return {"CreatedDate": held.created, "ModifiedDate": held.modified,
            "ObjectID": f"{list_id}:{s.id}", "Status": held.status, "ListID": list_id,
            "SubscriberKey": s.key}
