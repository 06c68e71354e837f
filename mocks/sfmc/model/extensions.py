"""Data extensions of one SFMC account (tenant = subdomain): fields, typed rows, paging.

Rows are validated as SFMC does: a sync write with any bad row is refused whole (400, 10006,
one `additionalErrors` entry per problem); async writes are accepted (202) and applied later
on the clock. Reads return every value as a string, names lower-cased, booleans
`True`/`False` and dates `M/d/yyyy h:mm:ss AM` (vendor-apis.md §2.2).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.retention import REQUESTS_KEPT, keep_newest
from vendorsim.mocks.core.seeds import Loose, Records, Shape
from vendorsim.mocks.core.service import atomic

from .engagement import Engagement
from .errors import SfmcError, row_error
from .fields import Field, render
from .subscribers import SubscriberStore

ASYNC_DELAY = 2.0  # seconds on the clock before an async write is applied


@dataclass
class DataExtension:
    id: str
    key: str
    name: str
    fields: list[Field]
    rows: dict[tuple, dict] = field(default_factory=dict)
    _serial: int = 0
    created: float = 0.0
    modified: float = 0.0
    description: str = ""
    sendable: bool = False

    @property
    def primary(self) -> list[Field]:
        return [f for f in self.fields if f.primary_key]

    def field(self, name: str) -> Field | None:
        wanted = name.lower()
        return next((f for f in self.fields if f.name.lower() == wanted), None)

    def check_row(self, keys: dict, values: dict) -> tuple[dict, list[str]]:
        """A row from `keys`+`values` (names case-insensitive), and every problem with it."""
        row, problems = {}, []
        for name, value in {**values, **keys}.items():
            column = self.field(str(name))
            if column is None:
                problems.append(f"{name}: The column [{name}] does not exist in the data "
                                f"extension.")
                continue
            stored, problem = column.check(value)
            if problem:
                problems.append(problem)
            row[column.name] = stored
        for column in self.fields:
            if column.required and row.get(column.name) is None and column.name not in row:
                problems.append(f"{column.name.lower()}: The value for column "
                                f"[{column.name.lower()}] cannot be empty.")
        return row, problems

    def put(self, row: dict) -> None:
        if self.primary:
            key = tuple(str(row.get(f.name)).lower() for f in self.primary)
            existing = self.rows.get(key)
            if existing is None:
                self.rows[key] = row
            else:  # keys match case-insensitively; the stored key keeps its first spelling
                existing.update({k: v for k, v in row.items()
                                 if k not in {f.name for f in self.primary}})
        else:
            self._serial += 1
            self.rows[(self._serial,)] = row

    def row_key(self, row: dict) -> tuple | None:
        """The primary key of a row (matched without case), None without a primary key."""
        if not self.primary:
            return None
        return tuple(str(row.get(f.name)).lower() for f in self.primary)

    def insert(self, row: dict) -> bool:
        """Add a row; False (nothing written) when its primary key is taken."""
        key = self.row_key(row)
        if key is not None and key in self.rows:
            return False
        self.put(row)
        return True

    def update_row(self, row: dict) -> bool:
        """Change an existing row (by primary key); False when there is none."""
        key = self.row_key(row)
        if key is None or key not in self.rows:
            return False
        self.put(row)
        return True

    def delete_row(self, keys: dict) -> bool:
        """Delete the row with these primary-key values; False when there is none."""
        named = {}
        for name, value in keys.items():
            column = self.field(str(name))
            named[column.name if column is not None else str(name)] = value
        key = self.row_key(named)
        return key is not None and self.rows.pop(key, None) is not None

    def describe(self) -> dict:
        return {"id": self.id, "key": self.key, "name": self.name,
                "fields": [f.to_dict(i) for i, f in enumerate(self.fields, start=1)]}


@dataclass
class AsyncRequest:
    id: str
    key: str
    items: list
    received: float
    due: float
    done: float | None = None
    errors: list[dict] = field(default_factory=list)


class DataExtensionSeed(Loose):
    fields: Records = []
    rows: Records = []


class SfmcSeed(Shape):
    data_extensions: list[DataExtensionSeed] | None = None
    contacts: Records | None = None
    lists: Records | None = None
    subscribers: Records | None = None
    event_definitions: list[str] | None = None
    triggered_sends: list[str] | None = None
    campaigns: Records | None = None
    entry_events: Records | None = None
    sends: Records | None = None


class SfmcAccount:
    """Data extensions, query tokens and queued async writes of one account."""

    seed_shape = SfmcSeed

    def __init__(self, subdomain: str, clock: Clock) -> None:
        self.subdomain = subdomain
        self.clock = clock
        self.lock = threading.RLock()
        self.extensions: dict[str, DataExtension] = {}  # by lower-cased external key
        self.queries: dict[str, dict] = {}
        self.async_requests: dict[str, AsyncRequest] = {}
        self.contacts: dict[str, dict] = {}  # contact key -> {contactID, created} (contacts.py)
        self.audience = SubscriberStore(self.lock, clock)  # subscribers and lists (SOAP)
        self.soap_cursors: dict[str, list] = {}  # Retrieve RequestID -> the results still due
        self.engagement = Engagement(self.lock, clock)  # entry events, sends, campaigns

    # -- data extensions ---------------------------------------------------------------
    def create(self, spec: dict) -> DataExtension:
        name = spec.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise SfmcError(400, "A data extension needs a name (at most 200 characters).",
                            10001)
        key = spec.get("key") or spec.get("customerKey") or name
        if not isinstance(key, str) or len(key) > 200:
            raise SfmcError(400, "A data extension key is a string of at most 200 characters.",
                            10001)
        specs = spec.get("fields") or []
        if not isinstance(specs, list):
            raise SfmcError(400, "fields must be an array of field objects.", 10001)
        try:
            fields = [Field.from_dict(f) for f in specs]
        except ValueError as exc:
            raise SfmcError(400, str(exc), 10001) from None
        if not fields:
            raise SfmcError(400, "A data extension needs at least one field.", 10001)
        if len({f.name.lower() for f in fields}) != len(fields):
            raise SfmcError(400, "Field names must be unique.", 10001)
        with self.lock:
            if key.lower() in self.extensions:
                raise SfmcError(400, f"A data extension with key '{key}' already exists.", 10001)
            now = self.clock.now()
            de = DataExtension(str(spec.get("id") or uuid.uuid4()), key, name, fields,
                               created=now, modified=now,
                               description=str(spec.get("description") or ""),
                               sendable=spec.get("isSendable") is True)
            self.extensions[key.lower()] = de
            return de

    def delete_extension(self, key: str) -> None:
        with self.lock:
            self.get(key)
            del self.extensions[key.lower()]

    def get(self, key: str) -> DataExtension:
        self.apply_due()
        de = self.extensions.get(key.lower())
        if de is None:
            raise SfmcError(404, f"Data extension with key '{key}' was not found.", 10002)
        return de

    def find(self, key_or_name: str) -> DataExtension | None:
        """The data extension with this external key, else with this name (as the SOAP API
        names one in `DataExtensionObject[X]` and in row writes); None when there is none."""
        wanted = key_or_name.lower()
        return self.extensions.get(wanted) or next(
            (d for d in self.extensions.values() if d.name.lower() == wanted), None)

    def by_id(self, de_id: str) -> DataExtension:
        if de_id.lower().startswith("key:"):
            return self.get(de_id[4:])
        found = next((d for d in self.extensions.values() if d.id.lower() == de_id.lower()), None)
        if found is None:
            raise SfmcError(404, f"Data extension with id '{de_id}' was not found.", 10002)
        return found

    def upsert(self, key: str, rows: list) -> None:
        """Sync write: every row valid, or nothing written (400 / 10006)."""
        with self.lock:
            de = self.get(key)
            checked, problems = [], []
            for item in rows:
                if not isinstance(item, dict) or not isinstance(item.get("keys", {}), dict) \
                        or not isinstance(item.get("values", {}), dict):
                    problems.append("Each row needs 'keys' and 'values' objects.")
                    continue
                row, row_problems = de.check_row(item.get("keys") or {}, item.get("values") or {})
                problems += row_problems
                checked.append(row)
            if problems:
                raise SfmcError(400, f"Unable to save rows for data extension ID {de.id}", 10006,
                                [row_error(p) for p in problems])
            for row in checked:
                de.put(row)

    def enqueue(self, key: str, items: list) -> AsyncRequest:
        with self.lock:
            self.get(key)
            now = self.clock.now()
            request = AsyncRequest(str(uuid.uuid4()), key, items, now, now + ASYNC_DELAY)
            self.async_requests[request.id] = request
            keep_newest(self.async_requests, REQUESTS_KEPT, lambda r: r.due <= now)
            return request

    def async_request(self, request_id: str) -> AsyncRequest:
        """An asynchronous write as it stands now (due ones applied); 404 when unknown."""
        self.apply_due()
        queued = self.async_requests.get(request_id)
        if queued is None:
            raise SfmcError(404, f"Request '{request_id}' was not found.", 10004)
        return queued

    def apply_due(self) -> None:
        """Apply queued async writes whose time has come; bad rows are recorded, not applied."""
        now = self.clock.now()
        for request in list(self.async_requests.values()):
            if request.done is None and request.due <= now:
                de = self.extensions.get(request.key.lower())
                for n, item in enumerate(request.items):
                    values = item if isinstance(item, dict) else {}
                    row, problems = de.check_row({}, values) if de else ({}, ["gone"])
                    if problems or not isinstance(item, dict):
                        request.errors.append({"index": n, "messages": problems or ["Bad row"]})
                    elif de:
                        de.put(row)
                request.done = now

    # -- seeding and snapshots ---------------------------------------------------------
    @atomic
    def seed(self, data: dict) -> None:
        for spec in data.get("data_extensions") or []:
            try:
                de = self.create(spec)
            except SfmcError as exc:
                raise ValueError(exc.message) from None
            for row in spec.get("rows") or []:
                checked, problems = de.check_row({}, row)
                if problems:
                    raise ValueError(f"data extension {de.key}: {'; '.join(problems)}")
                de.put(checked)
        self.audience.seed(data.get("lists") or [], data.get("subscribers") or [])
        self.engagement.seed(data)

    def snapshot(self) -> dict:
        with self.lock:
            self.apply_due()
            return {"data_extensions": [
                {**de.describe(), "fields": [
                    {"name": f.name, "type": f.type, "length": f.length, "scale": f.scale,
                     "isPrimaryKey": f.primary_key, "isNullable": not f.required}
                    for f in de.fields],
                 "rows": [{k: render(v) if isinstance(v, datetime) else
                           (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
                          for r in de.rows.values()]}
                for de in self.extensions.values()],
                "contacts": [{"contactKey": k, "contactID": c["contactID"],
                              "createdAt": iso_utc(c["created"]),
                              **({"email": c["email"], "html": c["html"]}
                                 if "email" in c else {})}
                             for k, c in self.contacts.items()],
                **self.audience.snapshot(), **self.engagement.snapshot()}

    def restore(self, data: dict) -> None:
        if not isinstance(data, dict):
            raise ValueError("SFMC state must be an object")
        self.seed(data)
        for contact in data.get("contacts") or []:
            if not isinstance(contact, dict) or not isinstance(contact.get("contactKey"), str) \
                    or whole_number(contact.get("contactID"), 1) is None:
                raise ValueError("contacts are {contactKey, contactID, createdAt}")
            self.contacts[contact["contactKey"]] = {
                "contactID": whole_number(contact["contactID"]),
                "created": parse_time(contact.get("createdAt") or 0),
                **({"email": str(contact["email"]), "html": contact.get("html") is not False}
                   if contact.get("email") else {})}
