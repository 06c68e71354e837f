"""Marketo's lead-database objects besides leads: companies, opportunities and their roles,
named accounts and their lists, sales persons, and custom objects.

They share one shape in the REST API (describe, sync by dedupe fields or id field, query by a
searchable field, delete), so one `ObjectStore` serves them all; `ObjectKind` says what
differs. Every operation takes the instance's lock.
"""

from __future__ import annotations

import functools
import threading
import uuid
from dataclasses import dataclass, field

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.ids import IdSequence
from vendorsim.mocks.core.locking import locked

from .errors import MarketoError, RecordError, reason
from .fields import FieldDef, check_value, index_key

SYNC_ACTIONS = ("createOnly", "updateOnly", "createOrUpdate")
META = ("createdAt", "updatedAt")


@dataclass(frozen=True)
class ObjectKind:
    """What one object type is: its id field, dedupe key, searchable keys and fields."""

    name: str
    description: str
    id_field: str  # "id" (an integer Marketo assigns) or "marketoGUID"
    dedupe: tuple[str, ...]
    searchable: tuple[tuple[str, ...], ...]
    fields: tuple[FieldDef, ...]
    relationships: tuple[dict, ...] = ()
    actions: tuple[str, ...] = SYNC_ACTIONS

    @functools.cached_property
    def by_name(self) -> dict[str, FieldDef]:
        """The fields by API name (built once: every record checked reads it)."""
        return {f.name: f for f in self.fields}

    def describe(self, created: float) -> dict:
        out = {"name": self.name, "description": self.description,
               "createdAt": iso_utc(created), "updatedAt": iso_utc(created),
               "idField": self.id_field, "dedupeFields": list(self.dedupe),
               "searchableFields": [list(s) for s in self.searchable],
               "fields": [f.describe2() for f in self.fields]}
        if self.relationships:
            out["relationships"] = list(self.relationships)
        return out

    @property
    def default_fields(self) -> list[str]:
        """What a query returns without `fields`: id field, dedupe fields, the two times."""
        return [self.id_field, *[d for d in self.dedupe if d != self.id_field], *META]


@dataclass
class Record:
    id: int
    guid: str
    values: dict
    created_at: float
    updated_at: float

    def get(self, name: str) -> object:
        if name == "id":
            return self.id
        if name == "marketoGUID":
            return self.guid
        if name == "createdAt":
            return iso_utc(self.created_at)
        if name == "updatedAt":
            return iso_utc(self.updated_at)
        return self.values.get(name)

    def render(self, fields: list[str], seq: int) -> dict:
        out: dict = {"seq": seq}
        for name in fields:
            value = self.get(name)
            if value is not None:  # Marketo leaves out fields that have no value
                out[name] = value
        return out


@dataclass
class ObjectStore:
    """The records of one kind in one instance."""

    kind: ObjectKind
    clock: Clock
    lock: threading.RLock
    records: dict[int, Record] = field(default_factory=dict)
    created: float = 0.0
    ids: IdSequence = field(default_factory=lambda: IdSequence("records"))
    _by_key: dict[tuple, int] = field(default_factory=dict)
    _by_guid: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.created = self.created or self.clock.now()

    # -- lookups ---------------------------------------------------------------------
    def key_of(self, values: dict) -> tuple | None:
        parts = tuple(index_key(values.get(name)) for name in self.kind.dedupe)
        return None if any(p is None or p == "" for p in parts) else parts

    def by_id_field(self, value: object) -> Record | None:
        if self.kind.id_field == "marketoGUID":
            rid = self._by_guid.get(value) if isinstance(value, str) else None
        else:
            rid = whole_number(value, 1)
        return self.records.get(rid) if rid is not None else None

    def find(self, field_names: tuple[str, ...], values: dict) -> list[Record]:
        """Records whose fields equal the given values (text compared case-insensitively);
        an object or array as a value matches nothing."""
        if any(isinstance(values.get(n), dict | list) for n in field_names):
            return []
        if field_names == self.kind.dedupe:
            key = self.key_of(values)
            rid = self._by_key.get(key) if key else None
            return [self.records[rid]] if rid else []
        if field_names == (self.kind.id_field,):
            found = self.by_id_field(values.get(self.kind.id_field))
            return [found] if found else []
        wanted = {n: index_key(_coerce(self.kind, n, values.get(n))) for n in field_names}
        return [r for r in self.records.values()
                if all(index_key(r.get(n)) == v for n, v in wanted.items())]

    # -- writes ----------------------------------------------------------------------
    def check(self, record: object, *, creating: bool) -> dict:
        if type(record) is not dict:
            raise RecordError("1003", "Invalid data: each input record must be an object")
        fields = self.kind.by_name
        clean = {}
        for name, value in record.items():
            spec = fields.get(name)
            if spec is None:
                raise RecordError("1006", field=name)
            if name in (self.kind.id_field, *META):
                continue
            if spec.read_only and not (creating and name in self.kind.dedupe):
                if name in self.kind.dedupe:
                    continue  # the dedupe key of an update names the record; it is not a change
                raise RecordError("1003", f"Field '{name}' is not updateable")
            clean[name] = check_value(spec, value)
        return clean

    @locked
    def sync(self, records: list, action: str, dedupe_by: str) -> list[dict]:
        if action not in self.kind.actions:
            raise MarketoError("1003", f"Invalid action '{action}'")
        if dedupe_by not in ("dedupeFields", "idField"):
            raise MarketoError("1003", f"Invalid dedupeBy '{dedupe_by}'")
        if dedupe_by == "idField" and action != "updateOnly":
            raise MarketoError("1003", "dedupeBy 'idField' is only allowed with action "
                                       "'updateOnly'")
        seen: set = set()
        results = []
        now = self.clock.now()
        for seq, record in enumerate(records):
            try:
                results.append({"seq": seq, **self._sync_one(record, action, dedupe_by, seen,
                                                             now)})
            except RecordError as exc:
                results.append({"seq": seq, "status": "skipped", "reasons": [exc.reason]})
        return results

    def _sync_one(self, record: object, action: str, dedupe_by: str, seen: set,
                  now: float) -> dict:
        kind = self.kind
        if type(record) is not dict:
            raise RecordError("1003", "Invalid data: each input record must be an object")
        names = (kind.id_field,) if dedupe_by == "idField" else kind.dedupe
        for name in names:
            if record.get(name) in (None, ""):
                raise RecordError("1003", f"Value for required field '{name}' not specified")
            if isinstance(record[name], dict | list | bool):
                raise RecordError("1003", f"Invalid value for field '{name}'")
        lookup = {n: _coerce(kind, n, record.get(n)) for n in names}
        marker = tuple(index_key(v) for v in lookup.values())
        if marker in seen:
            raise RecordError("1036", "Duplicate object found in input")
        seen.add(marker)
        found = self.find(names, lookup)
        if found:
            if action == "createOnly":
                raise RecordError("1017", "Object already exists")
            values = self.check(record, creating=False)
            target = found[0]
            self._rekey(target, values)
            target.values.update(values)
            target.updated_at = now
            return {kind.id_field: target.get(kind.id_field), "status": "updated"}
        if action == "updateOnly":
            raise RecordError("1013", "Object not found")
        values = self.check(record, creating=True)
        created = self.add(values, now)
        return {kind.id_field: created.get(kind.id_field), "status": "created"}

    def _rekey(self, record: Record, values: dict) -> None:
        """An update through the id field may change the dedupe key: 1017 if it is taken."""
        old = self.key_of(record.values)
        new = self.key_of({**record.values, **values})
        if new == old:
            return
        if new is not None and new in self._by_key:
            raise RecordError("1017", "Object already exists")
        if old is not None:
            self._by_key.pop(old, None)
        if new is not None:
            self._by_key[new] = record.id

    def add(self, values: dict, now: float, rid: int | None = None,
            guid: str | None = None, created: float | None = None) -> Record:
        rid = rid if rid is not None else self.ids.take()
        if rid in self.records:
            raise ValueError(f"{self.kind.name} id {rid} is there twice")
        record = Record(rid, guid or str(uuid.uuid4()), values,
                        created if created is not None else now, now)
        key = self.key_of(values)
        if key is not None:
            if key in self._by_key:
                shown = dict(zip(self.kind.dedupe, key, strict=True))
                raise ValueError(f"{self.kind.name} {shown} is there twice")
            self._by_key[key] = rid
        self.records[rid] = record
        self._by_guid[record.guid] = rid
        self.ids.note(rid)
        return record

    def remove(self, record: Record) -> None:
        del self.records[record.id]
        self._by_guid.pop(record.guid, None)
        key = self.key_of(record.values)
        if key is not None and self._by_key.get(key) == record.id:
            del self._by_key[key]

    @locked
    def delete(self, records: list, delete_by: str) -> list[dict]:
        kind = self.kind
        if delete_by not in ("dedupeFields", "idField"):
            raise MarketoError("1003", f"Invalid deleteBy '{delete_by}'")
        names = (kind.id_field,) if delete_by == "idField" else kind.dedupe
        results = []
        for seq, item in enumerate(records):
            if type(item) is not dict or any(item.get(n) in (None, "") for n in names):
                results.append({"seq": seq, "status": "skipped", "reasons": [reason(
                    "1003", f"Value for required field '{'/'.join(names)}' not specified")]})
                continue
            found = self.find(names, {n: item.get(n) for n in names})
            if not found:
                results.append({"seq": seq, "status": "skipped",
                                "reasons": [reason("1013", "Object not found")]})
                continue
            self.remove(found[0])
            results.append({"seq": seq, kind.id_field: found[0].get(kind.id_field),
                            "status": "deleted"})
        return results

    # -- reads -----------------------------------------------------------------------
    def check_fields(self, names: list[str]) -> list[str]:
        known = self.kind.by_name
        for name in names:
            if name not in known:
                raise MarketoError("1006", field=name)
        return names or self.kind.default_fields

    def query(self, filter_type: str, values: list[str]) -> list[Record]:
        """Records whose `filter_type` field (a searchable single field, or `dedupeFields`
        for a compound key given as JSON objects) equals one of the values, in id order."""
        kind = self.kind
        if filter_type == "dedupeFields":
            names = kind.dedupe
        else:
            names = (filter_type,)
            if names not in kind.searchable and filter_type != kind.id_field:
                raise MarketoError("1003", f"Invalid filterType '{filter_type}'")
        found: dict[int, Record] = {}
        for value in values:
            lookup = value if isinstance(value, dict) else {names[0]: value}
            for record in self.find(names, lookup):
                found[record.id] = record
        return [found[i] for i in sorted(found)]

    @locked
    def query_page(self, filter_type: str, values: list, fields: list[str], offset: int,
                   batch: int) -> tuple[list[dict], bool]:
        """One page of a query by filter, rendered with the fields asked for."""
        fields = self.check_fields(fields)
        found = self.query(filter_type, values)
        return ([r.render(fields, offset + n)
                 for n, r in enumerate(found[offset:offset + batch])],
                offset + batch < len(found))

    @locked
    def described(self) -> list[dict]:
        return [self.kind.describe(self.created)]

    def field_list(self) -> list[dict]:
        return [f.describe2() for f in self.kind.fields]

    # -- snapshots -------------------------------------------------------------------
    def snapshot(self) -> list[dict]:
        return [{"id": r.id, "marketoGUID": r.guid, "createdAt": iso_utc(r.created_at),
                 "updatedAt": iso_utc(r.updated_at), **r.values}
                for r in self.records.values()]

    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError(f"{self.kind.name} records are a list of objects")
        for spec in specs:
            if not isinstance(spec, dict):
                raise ValueError(f"a {self.kind.name} record is an object")
            spec = dict(spec)
            rid = whole_number(spec.pop("id", None), 1)
            guid = spec.pop("marketoGUID", None)
            if guid is not None and (not isinstance(guid, str) or guid in self._by_guid):
                raise ValueError(f"{self.kind.name}: marketoGUID {guid!r} is not unique")
            now = self.clock.now()
            created = parse_time(spec.pop("createdAt")) if "createdAt" in spec else now
            updated = parse_time(spec.pop("updatedAt")) if "updatedAt" in spec else created
            try:
                values = self.check(spec, creating=True)
            except RecordError as exc:
                raise ValueError(f"{self.kind.name} {spec}: {exc.reason['message']}") from None
            if self.key_of(values) is None:
                raise ValueError(f"{self.kind.name} {spec}: needs {', '.join(self.kind.dedupe)}")
            record = self.add(values, updated, rid, guid, created)
            record.updated_at = updated


def _coerce(kind: ObjectKind, name: str, value: object) -> object:
    """A looked-up value in its stored form (`"12"` finds the lead id 12)."""
    spec = kind.by_name.get(name)
    if spec is None or value is None or name == "marketoGUID":
        return value
    try:
        return check_value(spec, value)
    except RecordError:
        return value
