"""The lead database of one Marketo instance (tenant): leads, partitions, dedupe rules.

Plain Python under one lock per instance; routes translate HTTP to these calls. Every rule
here is the REST API's, including the surprising ones (vendor-apis.md §1.7-1.8): several
leads matching a lookup value skip the record with 1007, and dedupe by email is
instance-wide unless the instance makes the partition part of the dedupe key.
"""

from __future__ import annotations

import threading
from sys import intern

from vendorsim.mocks.core.auth import Credential
from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.service import atomic

from .activities import CHANGE_PARTITION, DELETE_LEAD, NEW_LEAD, ActivityLog
from .b2b import B2BMixin
from .bulk import BulkMixin
from .errors import MarketoError, RecordError, reason
from .fields import DEFAULT_GET_FIELDS, FieldDef, Schema, check_value, index_key
from .lists import StaticListStore
from .records import Lead, Partition, Settings, SyncPlan
from .seed_shape import MarketoSeed

_ID_ONLY = frozenset({"id"})
_NOTHING: frozenset[str] = frozenset()
SYNC_ACTIONS = ("createOnly", "updateOnly", "createOrUpdate", "createDuplicate")
DEFAULT_PARTITION = "Default"


class LeadDatabase(B2BMixin, BulkMixin):
    """Leads, partitions, schema, settings and static lists of one instance."""

    seed_shape = MarketoSeed

    def __init__(self, munchkin_id: str, clock: Clock) -> None:
        self.munchkin_id = munchkin_id
        self.clock = clock
        self.lock = threading.RLock()
        self.schema = Schema()
        self.settings = Settings()
        self.leads: dict[int, Lead] = {}
        self.partitions: dict[int, Partition] = {
            1: Partition(1, DEFAULT_PARTITION, "Initial system lead partition")
        }
        self.lists = StaticListStore(clock)
        self._next_id = 1
        # field -> value -> the lead id (one lead: most values) or the set of ids (several)
        self._index: dict[str, dict[object, int | set[int]]] = {
            n: {} for n in self.schema.indexed}
        self.activities = ActivityLog()
        self._init_b2b()
        self._init_bulk()

    # -- partitions ------------------------------------------------------------------
    def partition_by_name(self, name: str) -> Partition | None:
        wanted = name.lower()
        for p in self.partitions.values():
            if p.name.lower() == wanted:
                return p
        return None

    def add_partition(self, name: str, description: str = "") -> Partition:
        with self.lock:
            existing = self.partition_by_name(name)
            if existing:
                return existing
            pid = max(self.partitions) + 1
            self.partitions[pid] = Partition(pid, name, description)
            return self.partitions[pid]

    def _writable_partition(self, name: str | None, cred: Credential | None) -> Partition:
        partition = self.partition_by_name(name or DEFAULT_PARTITION)
        if partition is None or not _may_use(cred, partition):
            raise RecordError("1008", partition=name or DEFAULT_PARTITION)
        return partition

    # -- index -----------------------------------------------------------------------
    def _index_add(self, lead: Lead) -> None:
        for name, idx in self._index.items():
            _index_put(idx, lead.values.get(name), lead.id)

    def _index_remove(self, lead: Lead) -> None:
        for name, idx in self._index.items():
            _index_drop(idx, lead.values.get(name), lead.id)

    def find(self, field_name: str, value: object, partition_id: int | None = None) -> list[Lead]:
        """Leads whose field equals value (case-insensitive), optionally in one partition."""
        if field_name == "id":
            lead = self.leads.get(whole_number(value))  # type: ignore[arg-type]
            found = [lead] if lead else []
        elif field_name == "leadPartitionId":
            pid = whole_number(value)
            found = [lead for lead in self.leads.values() if lead.partition_id == pid]
        elif field_name in self._index:
            ids = self._index[field_name].get(index_key(value), ())
            found = [self.leads[ids]] if type(ids) is int else \
                [self.leads[i] for i in sorted(ids)]  # type: ignore[arg-type]
        else:
            found = [lead for lead in self.leads.values()
                     if index_key(lead.values.get(field_name)) == index_key(value)]
        if partition_id is not None:
            found = [lead for lead in found if lead.partition_id == partition_id]
        return found

    # -- writes ----------------------------------------------------------------------
    def _create(self, values: dict, partition: Partition, now: float | None = None) -> Lead:
        now = self.clock.now() if now is None else now
        lead = Lead(self._next_id, {k: shared(v) for k, v in values.items()}, partition.id,
                    now, now)
        self._next_id += 1
        self.leads[lead.id] = lead
        self._index_add(lead)
        self.activities.add(lead.id, NEW_LEAD, now, None, None, _API_SOURCE)
        return lead

    def _update(self, lead: Lead, values: dict, now: float | None = None) -> None:
        """Write values; only the indexed fields whose value changes touch the index."""
        current = lead.values
        now = self.clock.now() if now is None else now
        fields, log = self.schema.fields, self.activities
        for name, value in values.items():
            old = current.get(name)
            if old != value:
                if name in self._index:
                    _index_drop(self._index[name], old, lead.id)
                    _index_put(self._index[name], value, lead.id)
                log.change(lead.id, name, fields[name].display_name, old, value, now)
                current[name] = shared(value)
        lead.updated_at = now

    def sync(
        self,
        records: list,
        *,
        action: str = "createOrUpdate",
        lookup_field: str = "email",
        partition_name: str | None = None,
        credential: Credential | None = None,
    ) -> list[dict]:
        """Sync Leads: one result per input record, in input order (skipped ones carry no id)."""
        if action not in SYNC_ACTIONS:
            raise MarketoError("1003", f"Invalid action '{action}'")
        field_def = self.schema.fields.get(lookup_field)
        if field_def is None:
            raise MarketoError("1006", field=lookup_field)
        if not field_def.searchable:
            raise MarketoError("1011", field=lookup_field)
        if lookup_field == "id" and action != "updateOnly":
            raise MarketoError("1003", f"Lookup field 'id' is only allowed with action "
                                       f"'updateOnly', not '{action}'")
        results = []
        with self.lock:
            plan = self._plan(action, lookup_field, partition_name, credential)
            for record in records:
                try:
                    results.append(self._sync_one(record, plan))
                except RecordError as exc:
                    results.append({"status": "skipped", "reasons": [exc.reason]})
        return results

    def _plan(self, action: str, lookup_field: str, partition_name: str | None,
              credential: Credential | None) -> SyncPlan:
        """What is the same for every record of one call, worked out once."""
        try:  # where new leads would go; if refused, every record that needs it is skipped
            target: Partition | RecordError | None = (
                None if action == "updateOnly"
                else self._writable_partition(partition_name, credential))
        except RecordError as exc:
            target = exc
        scoped = isinstance(target, Partition) and self.settings.dedupe_by_partition
        return SyncPlan(
            action=action, lookup_field=lookup_field,
            allow=_ID_ONLY if lookup_field == "id" else _NOTHING,
            partition_name=partition_name, target=target,
            scope=target.id if scoped else None,  # type: ignore[union-attr]
            index=None if scoped else self._index.get(lookup_field),
            credential=credential if credential and credential.partitions is not None else None,
            now=self.clock.now())

    def _sync_one(self, record: object, plan: SyncPlan) -> dict:
        if type(record) is not dict:
            raise RecordError("1003", "Invalid data: each input record must be an object")
        values = self.schema.check_record(record, allow=plan.allow)
        target = plan.target
        if type(target) is RecordError:
            raise target
        if plan.action == "createDuplicate":
            lead = self._create(values, target, plan.now)  # type: ignore[arg-type]
            return {"id": lead.id, "status": "created"}
        key = record.get(plan.lookup_field)
        if key is None or key == "":
            raise RecordError("1002", what=plan.lookup_field)
        if type(key) is not str:  # looked up as it is stored (12345 is the email "12345")
            key = check_value(self.schema.fields[plan.lookup_field], key)
        ids = plan.index.get(index_key(key), ()) if plan.index is not None else None
        if type(ids) is int:  # the common case: one index look-up, one lead
            matches = [self.leads[ids]]
        elif ids == ():
            matches = []
        else:
            matches = self.find(plan.lookup_field, key, plan.scope)
        if len(matches) > 1:
            if self.settings.on_multiple_matches != "update_most_recent":
                raise RecordError("1007")
            matches = [max(matches, key=lambda lead: (lead.updated_at, lead.id))]
        if not matches:
            if plan.action == "updateOnly":
                raise RecordError("1004")
            lead = self._create(values, target, plan.now)  # type: ignore[arg-type]
            return {"id": lead.id, "status": "created"}
        lead = matches[0]
        if plan.action == "createOnly":
            raise RecordError("1005")
        if plan.credential and not _may_use(plan.credential, self.partitions[lead.partition_id]):
            raise RecordError("1008", partition=self.partitions[lead.partition_id].name)
        if plan.partition_name and target is not None and lead.partition_id != target.id:
            raise RecordError("1010")
        self._update(lead, values, plan.now)
        return {"id": lead.id, "status": "updated"}

    def delete(self, ids: list[int], credential: Credential | None = None) -> list[dict]:
        results = []
        with self.lock:
            for lead_id in ids:
                lead = self.leads.get(lead_id)
                if lead is None:
                    results.append({"id": lead_id, "status": "skipped",
                                    "reasons": [reason("1004")]})
                    continue
                if not _may_use(credential, self.partitions[lead.partition_id]):
                    results.append({"id": lead_id, "status": "skipped", "reasons": [
                        reason("1008", partition=self.partitions[lead.partition_id].name)]})
                    continue
                self._index_remove(lead)
                del self.leads[lead_id]
                self.lists.forget_lead(lead_id)
                self.programs.forget_lead(lead_id)
                self.activities.add(lead_id, DELETE_LEAD, self.clock.now(), lead_id,
                                    _name_of(lead), (("Remove from CRM", False),))
                results.append({"id": lead_id, "status": "deleted"})
        return results

    def move(self, moves: list, credential: Credential | None = None) -> list[dict]:
        """Update Lead Partition: input [{id, partitionName}]."""
        results = []
        with self.lock:
            for item in moves:
                lead_id = item.get("id") if isinstance(item, dict) else None
                name = item.get("partitionName") if isinstance(item, dict) else None
                lead = self.leads.get(lead_id) if isinstance(lead_id, int) else None
                if lead is None:
                    results.append({"status": "skipped", "reasons": [reason("1004")]})
                    continue
                partition = self.partition_by_name(name) if isinstance(name, str) else None
                if partition is None or not _may_use(credential, partition):
                    results.append({"id": lead.id, "status": "skipped",
                                    "reasons": [reason("1008", partition=name)]})
                    continue
                if lead.partition_id != partition.id:
                    self.activities.add(lead.id, CHANGE_PARTITION, self.clock.now(),
                                        partition.id, partition.name,
                                        (("Old Partition ID", lead.partition_id),))
                lead.partition_id = partition.id
                lead.updated_at = self.clock.now()
                results.append({"id": lead.id, "status": "updated"})
        return results

    # -- reads -----------------------------------------------------------------------
    def query(self, filter_type: str, values: list[str]) -> list[Lead]:
        """Get Leads by Filter Type: matching leads, ordered by id, without duplicates."""
        field_def = self.schema.fields.get(filter_type)
        if field_def is None:
            raise MarketoError("1006", field=filter_type)
        if not field_def.searchable:
            raise MarketoError("1011", field=filter_type)
        with self.lock:
            found: dict[int, Lead] = {}
            for value in values:
                for lead in self.find(filter_type, value):
                    found[lead.id] = lead
            return [found[i] for i in sorted(found)]

    def check_fields(self, names: list[str]) -> list[str]:
        for name in names:
            if name not in self.schema.fields:
                raise MarketoError("1006", field=name)
        return names or list(DEFAULT_GET_FIELDS)

    # -- seeding and snapshots -------------------------------------------------------
    @atomic
    def seed(self, data: dict) -> None:
        """Add state: settings, custom fields, partitions, leads, folders and static lists."""
        with self.lock:
            self.settings.update(data.get("settings") or {})
            self.activities.limit = self.settings.max_activities
            self.activities.retention = self.settings.activity_retention_days * 86400.0
            for spec in data.get("fields") or []:
                self._add_field(FieldDef.from_dict(spec))
            for spec in data.get("partitions") or []:
                spec = {"name": spec} if isinstance(spec, str) else spec
                self.add_partition(spec["name"], spec.get("description", ""))
            for spec in data.get("leads") or []:
                self._seed_lead(spec)
            self.lists.seed(data, self.leads)
            self._seed_b2b(data)

    def _add_field(self, field_def: FieldDef) -> None:
        self.schema.add(field_def)
        if field_def.searchable and field_def.name not in self._index:
            idx = self._index[field_def.name] = {}
            for lead in self.leads.values():
                _index_put(idx, lead.values.get(field_def.name), lead.id)

    def _seed_lead(self, spec: dict) -> Lead:
        spec = dict(spec)
        lead_id = spec.pop("id", None)
        partition = self.partition_by_name(spec.pop("partition", None) or DEFAULT_PARTITION)
        if partition is None:
            raise ValueError(f"lead {spec}: unknown partition (seed it under 'partitions')")
        pid = spec.pop("leadPartitionId", None)
        if pid is not None:
            partition = self.partitions[int(pid)]
        now = self.clock.now()
        created = parse_time(spec.pop("createdAt")) if "createdAt" in spec else now
        updated = parse_time(spec.pop("updatedAt")) if "updatedAt" in spec else created
        try:
            values = self.schema.check_record(spec)
        except RecordError as exc:
            raise ValueError(f"lead {spec}: {exc.reason['message']}") from None
        lead_id = int(lead_id) if lead_id is not None else self._next_id
        if lead_id in self.leads:
            raise ValueError(f"lead id {lead_id} is seeded twice")
        lead = Lead(lead_id, {k: shared(v) for k, v in values.items()}, partition.id,
                    created, updated)
        self.leads[lead_id] = lead
        self._next_id = max(self._next_id, lead_id + 1)
        self._index_add(lead)
        return lead

    def snapshot(self, *, activities: bool = True) -> dict:
        """All state; `activities=False` leaves out the activity log (for quick checks)."""
        with self.lock:
            return {
                "settings": self.settings.to_dict(),
                "fields": [f.to_dict() for f in self.schema.custom],
                "partitions": [{"id": p.id, "name": p.name, "description": p.description}
                               for p in self.partitions.values()],
                "leads": [{"id": lead.id, "partition": self.partitions[lead.partition_id].name,
                           "createdAt": iso_utc(lead.created_at),
                           "updatedAt": iso_utc(lead.updated_at), **lead.values}
                          for lead in self.leads.values()],
                **self.lists.snapshot(),
                **self._snapshot_b2b(activities),
                "next_lead_id": self._next_id,
            }

    def restore(self, data: dict) -> None:
        """Load a snapshot into this (fresh) database; ValueError when it does not fit."""
        if not isinstance(data, dict):
            raise ValueError("Marketo state must be an object")
        partitions = data.get("partitions") or []
        with self.lock:
            for spec in partitions:
                pid = int(spec["id"])
                self.partitions[pid] = Partition(pid, spec["name"], spec.get("description", ""))
            rest = {k: v for k, v in data.items() if k not in ("partitions", "next_lead_id")}
            self.seed(rest)
            self._next_id = max(self._next_id, int(data.get("next_lead_id", 1)))


_API_SOURCE = (("Source Type", "Web service API"), ("API Method Name", "syncLead"))


def _name_of(lead: Lead) -> str:
    """How Marketo names a lead in activities: `Last, First`, else its email."""
    first, last = lead.values.get("firstName"), lead.values.get("lastName")
    if first or last:
        return ", ".join(str(p) for p in (last, first) if p)
    return str(lead.values.get("email") or lead.id)


def _index_put(idx: dict, value: object, lead_id: int) -> None:
    """A value's leads: the id itself while it is one lead (no set to reach), else a set."""
    if value is None or value == "":
        return
    key = index_key(value)
    held = idx.get(key)
    if held is None:
        idx[key] = lead_id
    elif type(held) is int:
        if held != lead_id:
            idx[key] = {held, lead_id}
    else:
        held.add(lead_id)


def _index_drop(idx: dict, value: object, lead_id: int) -> None:
    if value is None or value == "":
        return
    key = index_key(value)
    held = idx.get(key)
    if held is None:
        return
    if type(held) is int:
        if held == lead_id:
            del idx[key]
        return
    held.discard(lead_id)
    if len(held) == 1:
        idx[key] = next(iter(held))
    elif not held:
        del idx[key]


def shared(value: object) -> object:
    """A value as the database holds it: short text interned, so the values a database
    holds over and over (companies, titles, names) are one object each: less memory, and a
    written value compares with the held one without reading far-flung memory, whatever the
    database's size."""
    if type(value) is str and len(value) <= 64:
        return intern(value)
    return value


def _may_use(cred: Credential | None, partition: Partition) -> bool:
    return cred is None or cred.partitions is None or partition.name in cred.partitions
