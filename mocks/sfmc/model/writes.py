"""Create, Update, Delete (and upsert through `SaveOptions` UpdateAdd) and Perform ClearData on
the SOAP API's objects, as the model sees them: each object a `SoapObject` the views read from
the XML, each getting its own `Result` (OK or an error code and message); the overall status
is OK, Error or Has Errors.

Every object's scope is checked before any is written (a package that may not write one of
them changes nothing); the rules are the stores': a data extension row is checked by its
columns, a subscriber or list by the subscriber store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import facts
from .errors import SfmcError
from .extensions import DataExtension, DataExtensionStore
from .objects import ROW_TYPE, object_type
from .scopes import SYSTEM, Caller, operation
from .subscribers import SubscriberError, SubscriberStore

WRITE_TYPES = ("DataExtension", ROW_TYPE, "Subscriber", "List", "Email", "ContentArea",
               "TriggeredSendDefinition", "Send", "DataFolder")
ACTIONS = ("Create", "Update", "Delete")


@dataclass
class SoapObject:
    """One object of a write: its type and what its XML held."""

    type: str  # the xsi:type
    values: dict[str, str] = field(default_factory=dict)  # simple children by name
    keys: dict[str, str] = field(default_factory=dict)  # Keys.Key {Name, Value}
    properties: dict[str, str] = field(default_factory=dict)  # Properties.Property
    fields: list[dict[str, str]] = field(default_factory=list)  # Fields.Field (simple children)
    lists: list[dict[str, str]] = field(default_factory=list)  # Lists (SubscriberList)
    attributes: dict[str, str] = field(default_factory=dict)  # Attributes {Name, Value}
    # simple values of complex children, by path (`Email.ID`, `List.ID`: every List's)
    nested: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str
    code: int = 0
    new_id: int = 0


class ObjectError(Exception):
    """One object refused: SFMC's ErrorCode and StatusMessage in its result."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def overall(results: list[Result]) -> str:
    """`OverallStatus` of a request whose objects each got a result."""
    failures = sum(not r.ok for r in results)
    return "OK" if not failures else "Error" if failures == len(results) else "Has Errors"


class Writer:
    """The SOAP writes over one account's stores."""

    def __init__(self, lock: threading.RLock, data: DataExtensionStore,
                 audience: SubscriberStore) -> None:
        self.lock = lock
        self.data = data
        self.audience = audience
        self.sending: Any = None  # emails, folders and sends (the account sets them)

    def write(self, caller: Caller, action: str, objects: list[SoapObject],
              upsert: bool) -> list[Result]:
        """Each object written or refused on its own; NotPermitted (nothing written) when
        the caller may not write one of their types."""
        for obj in objects:
            kind = object_type(obj.type)
            if kind is not None:
                operation.require(caller, f"{kind.area}.write")
        with self.lock:
            self.data.apply_due()
            return [self._one(action, obj, upsert) for obj in objects]

    def perform(self, caller: Caller, action: str, definitions: list[SoapObject]
                ) -> list[Result]:
        """Perform ClearData on data extensions (named by CustomerKey, else Name)."""
        if action == "ClearData":
            operation.require(caller, "data_extensions.write")
        results = []
        with self.lock:
            for definition in definitions:
                key = definition.values.get("CustomerKey") or definition.values.get("Name") \
                    or ""
                if action != "ClearData" or definition.type != "DataExtension":
                    results.append(Result(False, f"Perform {action[:40]} is not supported by "
                                          "vendorsim (it performs ClearData on a DataExtension)",
                                          2))
                    continue
                try:
                    self.data.clear_rows(caller, key)
                except SfmcError as exc:
                    results.append(Result(False, exc.message, 2))
                    continue
                results.append(Result(True, "Data cleared"))
        return results

    def _one(self, action: str, obj: SoapObject, upsert: bool) -> Result:
        kind = object_type(obj.type)
        done = {"Create": "Created", "Update": "Updated", "Delete": "Deleted"}[action]
        try:
            if kind is None or obj.type not in WRITE_TYPES:
                raise ObjectError(f"{action} of {obj.type or 'an object without xsi:type'} is "
                                  f"not supported by vendorsim (it writes "
                                  f"{', '.join(WRITE_TYPES)})")
            allowed = {"Create": kind.create, "Update": kind.update, "Delete": kind.delete}
            if not allowed[action]:
                raise ObjectError(f"{obj.type} does not support {action}")
            handlers: dict[str, Callable[[str, SoapObject, bool], int]] = {
                "DataExtension": self._extension, ROW_TYPE: self._row,
                "Subscriber": self._subscriber, "List": self._list}
            if self.sending is not None:
                handlers.update(self.sending.handlers())
            new_id = handlers[obj.type](action, obj, upsert)
        except ObjectError as exc:
            return Result(False, exc.message, exc.code)
        except SubscriberError as exc:
            return Result(False, exc.message, exc.code)
        except SfmcError as exc:
            return Result(False, exc.message, 2)
        return Result(True, f"{done} {obj.type}", new_id=new_id)

    def _extension(self, action: str, obj: SoapObject, upsert: bool) -> int:
        key = obj.values.get("CustomerKey") or obj.values.get("Name") or ""
        if action == "Delete":
            self.data.delete(SYSTEM, key)
            return 0
        fields = []
        for spec in obj.fields:
            made: dict = {"name": spec.get("Name"), "type": spec.get("FieldType") or "Text",
                          "isPrimaryKey": spec.get("IsPrimaryKey") == "true",
                          "isNullable": spec.get("IsRequired") != "true"}
            for name, tag in (("length", "MaxLength"), ("scale", "Scale")):
                if spec.get(tag):
                    made[name] = spec[tag]
            fields.append(made)
        category = obj.values.get("CategoryID") or ""
        self.data.create(SYSTEM, {
            "name": obj.values.get("Name"), "key": key or None, "fields": fields,
            "description": obj.values.get("Description") or "",
            "isSendable": obj.values.get("IsSendable") == "true",
            "categoryId": int(category) if category.isascii() and category.isdigit()
            and len(category) < 10 else None})
        return 0

    def _row(self, action: str, obj: SoapObject, upsert: bool) -> int:
        name = obj.values.get("CustomerKey") or obj.values.get("Name") or ""
        de = self.data.find(name)
        if de is None:
            raise ObjectError(f"Data extension '{name[:100]}' does not exist")
        if action == "Delete":
            if not de.delete_row(obj.keys):
                raise ObjectError("No row matches the given Keys")
            return 0
        row = _checked(de, obj.keys, obj.properties)
        written = de.insert(row) if action == "Create" else de.update_row(row)
        if not written and upsert:
            written = de.update_row(row) if action == "Create" else de.insert(row)
        if not written:
            raise ObjectError("Violation of PRIMARY KEY constraint: the row exists"
                              if action == "Create" else "No row was found to update",
                              facts.DUPLICATE_ROW)
        return 0

    def _subscriber(self, action: str, obj: SoapObject, upsert: bool) -> int:
        store = self.audience
        key = obj.values.get("SubscriberKey") or obj.values.get("EmailAddress")
        if action == "Delete":
            store.delete(SYSTEM, key)
            return 0
        joined, left = [], []
        for item in obj.lists:
            list_id = item.get("ID") or ""
            if not list_id.isascii() or not list_id.isdigit() or len(list_id) > 10:
                raise ObjectError(f"List ID '{list_id[:20]}' is not a whole number")
            if (item.get("Action") or "").lower() == "delete":
                left.append(int(list_id))
            else:
                joined.append((int(list_id), item.get("Status") or "Active"))
        email, status = obj.values.get("EmailAddress"), obj.values.get("Status")
        exists = isinstance(key, str) and store.get(key) is not None
        if (action == "Create" and not (upsert and exists)) or \
                (action == "Update" and not exists and upsert):
            return store.create(SYSTEM, key, email, status or "Active", joined,
                                obj.attributes).id
        return store.update(SYSTEM, key, email, status, joined, obj.attributes, left).id

    def _list(self, action: str, obj: SoapObject, upsert: bool) -> int:
        store = self.audience
        if action == "Create":
            return store.create_list(SYSTEM, obj.values.get("ListName"),
                                     obj.values.get("Description") or "",
                                     obj.values.get("Type") or "Private",
                                     obj.values.get("CustomerKey") or "").id
        raw = obj.values.get("ID") or ""
        if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
            raise ObjectError("A list is named by its ID")
        if action == "Delete":
            store.delete_list(SYSTEM, int(raw))
        else:
            store.update_list(SYSTEM, int(raw), {k: obj.values[k] for k in
                                                 ("ListName", "Description")
                                                 if k in obj.values})
        return int(raw)


def _checked(de: DataExtension, keys: dict, values: dict) -> dict:
    row, problems = de.check_row(keys, values)
    if problems:
        raise ObjectError("; ".join(problems)[:1000])
    return row
