"""Data extensions of one SFMC account: their fields, typed rows and asynchronous writes.

Rows are validated as SFMC does: a sync write with any bad row is refused whole (400, 10006,
one `additionalErrors` entry per problem); async writes are accepted (202) and applied later
on the clock. Reads return every value as a string, names lower-cased, booleans
`True`/`False` and dates `M/d/yyyy h:mm:ss AM` (vendor-apis.md §2.2). A data extension is
found by its external key, its id, or (SOAP) its name: each through an index.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from dataclasses import dataclass, field

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.retention import REQUESTS_KEPT, keep_newest

from ..facts import ASYNC_MAX_ITEMS, INVALID_REQUEST, MAX_FIELDS, ROWS_REFUSED
from .errors import SfmcError, row_error
from .fields import Field
from .folders import FolderStore
from .scopes import Caller, operation

ASYNC_DELAY = 2.0  # seconds on the clock before an async write is applied
MAX_NAME = 200  # characters of a data extension's name and key


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
    folder: int | None = None  # its data folder (CategoryID)

    def __post_init__(self) -> None:
        self._columns = {f.name.lower(): f for f in self.fields}
        self.primary = [f for f in self.fields if f.primary_key]
        self._primary_names = {f.name for f in self.primary}

    def field(self, name: str) -> Field | None:
        return self._columns.get(name.lower())

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

    def row_key(self, row: dict) -> tuple | None:
        """The primary key of a row (matched without case), None without a primary key."""
        if not self.primary:
            return None
        return tuple(str(row.get(f.name)).lower() for f in self.primary)

    def put(self, row: dict) -> None:
        key = self.row_key(row)
        if key is None:
            self._serial += 1
            self.rows[(self._serial,)] = row
            return
        existing = self.rows.get(key)
        if existing is None:
            self.rows[key] = row
        else:  # keys match case-insensitively; the stored key keeps its first spelling
            existing.update({k: v for k, v in row.items() if k not in self._primary_names})

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


class DataExtensionStore:
    """The account's data extensions (by lower-cased external key, with name and id
    indexes) and its queued asynchronous writes. Operations take the account's lock."""

    def __init__(self, lock: threading.RLock, clock: Clock,
                 folders: FolderStore | None = None) -> None:
        self.lock = lock
        self.clock = clock
        self.folders = folders  # where a data extension goes (its CategoryID)
        self.extensions: dict[str, DataExtension] = {}
        self._by_name: dict[str, str] = {}  # lower name -> lower key (the first of that name)
        self._by_id: dict[str, str] = {}  # lower id -> lower key
        self.async_requests: dict[str, AsyncRequest] = {}
        self._pending: list[AsyncRequest] = []  # not yet applied, oldest first

    # -- look-ups (no scope: the operations that use them check theirs) -----------------
    def get(self, key: str) -> DataExtension:
        self.apply_due()
        de = self.extensions.get(key.lower())
        if de is None:
            raise SfmcError(404, f"Data extension with key '{key[:200]}' was not found.", 10002)
        return de

    def find(self, key_or_name: str) -> DataExtension | None:
        """The data extension with this external key, else with this name (as the SOAP API
        names one in `DataExtensionObject[X]` and in row writes); None when there is none."""
        wanted = key_or_name.lower()
        found = self.extensions.get(wanted)
        if found is None and wanted in self._by_name:
            found = self.extensions.get(self._by_name[wanted])
        return found

    def by_id(self, de_id: str) -> DataExtension:
        if de_id.lower().startswith("key:"):
            return self.get(de_id[4:])
        key = self._by_id.get(de_id.lower())
        if key is None:
            raise SfmcError(404, f"Data extension with id '{de_id[:200]}' was not found.", 10002)
        return self.get(key)

    # -- data extensions ---------------------------------------------------------------
    @operation("data_extensions.write")
    def create(self, caller: Caller, spec: dict) -> DataExtension:
        """A new data extension from `{name, key|customerKey, fields, description,
        isSendable, id}`; 400 for a bad spec or a key that exists."""
        name = spec.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise SfmcError(400, "A data extension needs a name (at most 200 characters).",
                            INVALID_REQUEST)
        key = spec.get("key") or spec.get("customerKey") or name
        if not isinstance(key, str) or len(key) > MAX_NAME:
            raise SfmcError(400, "A data extension key is a string of at most 200 characters.",
                            INVALID_REQUEST)
        specs = spec.get("fields") or []
        if not isinstance(specs, list) or len(specs) > MAX_FIELDS:
            raise SfmcError(400, f"fields must be an array of at most {MAX_FIELDS} field "
                                 "objects.", INVALID_REQUEST)
        try:
            fields = [Field.from_dict(f) for f in specs]
        except ValueError as exc:
            raise SfmcError(400, str(exc), INVALID_REQUEST) from None
        if not fields:
            raise SfmcError(400, "A data extension needs at least one field.", INVALID_REQUEST)
        if len({f.name.lower() for f in fields}) != len(fields):
            raise SfmcError(400, "Field names must be unique.", INVALID_REQUEST)
        de_id = str(spec.get("id") or uuid.uuid4())
        if key.lower() in self.extensions:
            raise SfmcError(400, f"A data extension with key '{key}' already exists.",
                            INVALID_REQUEST)
        if de_id.lower() in self._by_id:
            raise SfmcError(400, f"A data extension with id '{de_id[:100]}' already exists.",
                            INVALID_REQUEST)
        now = self.clock.now()
        folder = spec.get("categoryId")
        folder = folder if isinstance(folder, int) and not isinstance(folder, bool) else None
        if self.folders is not None:
            folder = self.folders.check(folder, "dataextension")
        de = DataExtension(de_id, key, name, fields, created=now, modified=now,
                           description=str(spec.get("description") or ""),
                           sendable=spec.get("isSendable") is True, folder=folder)
        self.extensions[key.lower()] = de
        self._by_name.setdefault(name.lower(), key.lower())
        self._by_id[de_id.lower()] = key.lower()
        return de

    @operation("data_extensions.write")
    def delete(self, caller: Caller, key: str) -> None:
        de = self.get(key)
        del self.extensions[de.key.lower()]
        self._by_id.pop(de.id.lower(), None)
        if self._by_name.get(de.name.lower()) == de.key.lower():
            del self._by_name[de.name.lower()]
            other = next((d for d in self.extensions.values()
                          if d.name.lower() == de.name.lower()), None)
            if other is not None:
                self._by_name[de.name.lower()] = other.key.lower()

    @operation("data_extensions.read")
    def describe(self, caller: Caller, de_id: str) -> dict:
        """One data extension (by id, or key:KEY), with its fields."""
        return self.by_id(de_id).describe()

    @operation("data_extensions.read")
    def search(self, caller: Caller, text: str) -> list[dict]:
        """The data extensions whose name or key holds `text` (without case)."""
        wanted = text.lower()
        return [{"id": d.id, "name": d.name, "key": d.key} for d in self.extensions.values()
                if wanted in d.name.lower() or wanted in d.key.lower()]

    # -- rows --------------------------------------------------------------------------
    @operation("data_extensions.write")
    def upsert_rows(self, caller: Caller, key: str, rows: list) -> None:
        """Sync write: every row valid, or nothing written (400 / 10006)."""
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
            raise SfmcError(400, f"Unable to save rows for data extension ID {de.id}",
                            ROWS_REFUSED, [row_error(p) for p in problems[:1000]])
        for row in checked:
            de.put(row)
        de.modified = self.clock.now()

    @operation("data_extensions.write")
    def upsert_rows_by_id(self, caller: Caller, de_id: str, rows: list) -> None:
        """The same, the data extension named by its id."""
        self.upsert_rows(caller, self.by_id(de_id).key, rows)

    @operation("data_extensions.write")
    def clear_rows(self, caller: Caller, key_or_name: str) -> DataExtension:
        """Perform ClearData: every row goes."""
        de = self.find(key_or_name)
        if de is None:
            raise SfmcError(404, f"Data extension '{key_or_name[:100]}' does not exist", 10002)
        de.rows.clear()
        de.modified = self.clock.now()
        return de

    @operation("data_extensions.write")
    def enqueue(self, caller: Caller, key: str, items: list) -> str:
        """An asynchronous write: accepted now, applied ASYNC_DELAY later; its request id."""
        if len(items) > ASYNC_MAX_ITEMS:
            raise SfmcError(400, f"At most {ASYNC_MAX_ITEMS} items per request.",
                            INVALID_REQUEST)
        self.get(key)
        now = self.clock.now()
        request = AsyncRequest(str(uuid.uuid4()), key, items, now, now + ASYNC_DELAY)
        self.async_requests[request.id] = request
        self._pending.append(request)
        keep_newest(self.async_requests, REQUESTS_KEPT, lambda r: r.done is not None)
        return request.id

    @operation("data_extensions.write")
    def enqueue_by_id(self, caller: Caller, de_id: str, items: list) -> str:
        """The same, the data extension named by its id."""
        return self.enqueue(caller, self.by_id(de_id).key, items)

    @operation("data_extensions.read")
    def async_request(self, caller: Caller, request_id: str) -> AsyncRequest:
        """An asynchronous write as it stands now (due ones applied; a copy); 404 unknown."""
        self.apply_due()
        queued = self.async_requests.get(request_id)
        if queued is None:
            raise SfmcError(404, f"Request '{request_id[:100]}' was not found.", 10004)
        return dataclasses.replace(queued, items=[], errors=list(queued.errors))

    def apply_due(self) -> None:
        """Apply queued async writes whose time has come; bad rows are recorded, not applied."""
        if not self._pending:
            return
        now = self.clock.now()
        with self.lock:
            while self._pending and self._pending[0].due <= now:
                request = self._pending.pop(0)
                de = self.extensions.get(request.key.lower())
                for n, item in enumerate(request.items):
                    values = item if isinstance(item, dict) else {}
                    row, problems = de.check_row({}, values) if de else ({}, ["gone"])
                    if problems or not isinstance(item, dict):
                        request.errors.append({"index": n, "messages": problems or ["Bad row"]})
                    elif de:
                        de.put(row)
                request.done = now
                request.items = []  # applied: the rows live in the data extension now
