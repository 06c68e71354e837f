"""The leads of one Marketo instance: partitions, the dedupe index, Sync Leads, reads, the
lead schema's fields, cookies. Every rule is the REST API's, including the surprising ones
(vendor-apis.md §1.7-1.8): several leads matching a lookup value skip the record with 1007,
and dedupe by email is instance-wide unless the instance makes the partition part of the
dedupe key. Each operation takes the instance's lock; `LeadStore` reads as a mapping of id
to `Lead`."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, ValuesView

from vendorsim.mocks.core.auth import Credential
from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.ids import IdSequence
from vendorsim.mocks.core.locking import locked

from .activity_log import CHANGE_PARTITION, DELETE_LEAD, NEW_LEAD, ActivityLog
from .errors import MarketoError, RecordError, reason
from .fields import DEFAULT_GET_FIELDS, FieldDef, Schema, check_value, index_key
from .lead_index import hold_new_lead, index_drop, index_put, shared
from .records import Lead, Partition, Settings, SyncPlan, may_use, name_of

_ID_ONLY = frozenset({"id"})
_NOTHING: frozenset[str] = frozenset()
SYNC_ACTIONS = ("createOnly", "updateOnly", "createOrUpdate", "createDuplicate")
DEFAULT_PARTITION = "Default"
_API_SOURCE = (("Source Type", "Web service API"), ("API Method Name", "syncLead"))


class LeadStore(Mapping[int, Lead]):
    """Leads, partitions and the lead schema of one instance."""

    def __init__(self, lock: threading.RLock, clock: Clock, schema: Schema,
                 settings: Settings, activities: ActivityLog, ids: IdSequence) -> None:
        self.lock = lock
        self.clock = clock
        self.schema = schema
        self.settings = settings
        self.activities = activities
        self._leads: dict[int, Lead] = {}
        self.partitions: dict[int, Partition] = {
            1: Partition(1, DEFAULT_PARTITION, "Initial system lead partition")}
        self.ids = ids  # lead ids: never one handed out before (mocks/core/ids.py)
        # field -> value -> the lead id (one lead: most values) or the set of ids (several)
        self._index: dict[str, dict[object, int | set[int]]] = {
            n: {} for n in schema.indexed}

    # -- the mapping -------------------------------------------------------------------
    def __getitem__(self, lead_id: int) -> Lead:
        return self._leads[lead_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._leads)

    def __len__(self) -> int:
        return len(self._leads)

    def __contains__(self, lead_id: object) -> bool:
        return lead_id in self._leads

    def get(self, lead_id: int, default: Lead | None = None) -> Lead | None:  # type: ignore[override]  # the dict's own, faster
        return self._leads.get(lead_id, default)

    def values(self) -> ValuesView[Lead]:  # the dict's own view, faster than Mapping's
        return self._leads.values()

    # -- partitions --------------------------------------------------------------------
    def partition_by_name(self, name: str) -> Partition | None:
        wanted = name.lower()  # any case; every sync asks: a loop, not a generator
        for partition in self.partitions.values():
            if partition.name.lower() == wanted:
                return partition
        return None

    def add_partition(self, name: str, description: str = "") -> Partition:
        with self.lock:
            existing = self.partition_by_name(name)
            if existing:
                return existing
            pid = max(self.partitions) + 1
            self.partitions[pid] = Partition(pid, name, description)
            return self.partitions[pid]

    def list_partitions(self) -> list[dict]:
        with self.lock:
            return [{"id": p.id, "name": p.name, "description": p.description}
                    for p in self.partitions.values()]

    def _writable_partition(self, name: str | None, cred: Credential | None) -> Partition:
        partition = self.partition_by_name(name or DEFAULT_PARTITION)
        if partition is None or not may_use(cred, partition):
            raise RecordError("1008", partition=name or DEFAULT_PARTITION)
        return partition

    def move(self, moves: list, credential: Credential | None = None) -> list[dict]:
        """Update Lead Partition: input [{id, partitionName}]."""
        results: list[dict] = []
        with self.lock:
            for item in moves:
                lead_id = item.get("id") if isinstance(item, dict) else None
                name = item.get("partitionName") if isinstance(item, dict) else None
                lead = self._leads.get(lead_id) if isinstance(lead_id, int) else None
                if lead is None:
                    results.append({"status": "skipped", "reasons": [reason("1004")]})
                    continue
                partition = self.partition_by_name(name) if isinstance(name, str) else None
                if partition is None or not may_use(credential, partition):
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

    # -- the index ---------------------------------------------------------------------
    def _index_remove(self, lead: Lead) -> None:
        for name, idx in self._index.items():
            index_drop(idx, lead.values.get(name), lead.id)

    def find(self, field_name: str, value: object, partition_id: int | None = None
             ) -> list[Lead]:
        """Leads whose field equals value (case-insensitive), optionally in one partition."""
        with self.lock:
            if field_name == "id":
                lead = self._leads.get(whole_number(value))  # type: ignore[arg-type]  # None finds none
                found = [lead] if lead else []
            elif field_name == "leadPartitionId":
                pid = whole_number(value)
                found = [lead for lead in self._leads.values() if lead.partition_id == pid]
            elif field_name in self._index:
                ids = self._index[field_name].get(index_key(value), ())
                found = [self._leads[ids]] if isinstance(ids, int) else \
                    [self._leads[i] for i in sorted(ids)]
            else:
                found = [lead for lead in self._leads.values()
                         if index_key(lead.values.get(field_name)) == index_key(value)]
            if partition_id is not None:
                found = [lead for lead in found if lead.partition_id == partition_id]
            return found

    # -- writes ------------------------------------------------------------------------
    def _create(self, values: dict, partition: Partition, now: float | None = None) -> Lead:
        """A new lead holding check_record's fresh `values` (kept, not copied)."""
        now = self.clock.now() if now is None else now
        lead_id = self.ids.take()
        lead = Lead(lead_id, hold_new_lead(self._index, lead_id, values), partition.id, now, now)
        self._leads[lead_id] = lead
        self.activities.add(lead_id, NEW_LEAD, now, None, None, _API_SOURCE)
        return lead

    @locked
    def update(self, lead: Lead, values: dict, now: float | None = None, why: tuple = ()) -> None:
        """Write values (a Change Data Value per changed field; `why`: its Reason/Source)."""
        self._write(lead, values, self.clock.now() if now is None else now, why)

    def _write(self, lead: Lead, values: dict, now: float, why: tuple = ()) -> None:
        """`update` under the held lock (Sync Leads); changed indexed fields touch the index."""
        current = lead.values
        fields, log = self.schema.fields, self.activities
        for name, value in values.items():
            old = current.get(name)
            if old != value:
                if name in self._index:
                    index_drop(self._index[name], old, lead.id)
                    index_put(self._index[name], value, lead.id)
                log.change(lead.id, name, fields[name].display_name, old, value, now, why)
                current[name] = shared(value)
        lead.updated_at = now

    def sync(self, records: list, *, action: str = "createOrUpdate",
             lookup_field: str = "email", partition_name: str | None = None,
             credential: Credential | None = None) -> list[dict]:
        """Sync Leads: one result per input record, in input order (skipped ones carry no
        id)."""
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
            scope=target.id if scoped else None,  # type: ignore[union-attr]  # a Partition when scoped
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
            lead = self._create(values, target)  # type: ignore[arg-type]  # a Partition
            return {"id": lead.id, "status": "created"}
        key = record.get(plan.lookup_field)
        if key is None or key == "":
            raise RecordError("1002", what=plan.lookup_field)
        if type(key) is not str:  # looked up as it is stored (12345 is the email "12345")
            key = check_value(self.schema.fields[plan.lookup_field], key)
        ids = plan.index.get(index_key(key), ()) if plan.index is not None else None
        if type(ids) is int:  # the common case: one index look-up, one lead
            matches = [self._leads[ids]]
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
            lead = self._create(values, target, plan.now)  # type: ignore[arg-type]  # a Partition
            return {"id": lead.id, "status": "created"}
        lead = matches[0]
        if plan.action == "createOnly":
            raise RecordError("1005")
        if plan.credential and not may_use(plan.credential, self.partitions[lead.partition_id]):
            raise RecordError("1008", partition=self.partitions[lead.partition_id].name)
        if plan.partition_name and target is not None and lead.partition_id != target.id:  # type: ignore[union-attr]  # a Partition when set
            raise RecordError("1010")
        self._write(lead, values, plan.now)
        return {"id": lead.id, "status": "updated"}

    def delete(self, ids: list[int], credential: Credential | None = None
               ) -> tuple[list[dict], list[int]]:
        """Delete leads (the instance also takes them off lists and programs): the results
        and the ids deleted."""
        results: list[dict] = []
        deleted: list[int] = []
        with self.lock:
            for lead_id in ids:
                lead = self._leads.get(lead_id)
                if lead is None:
                    results.append({"id": lead_id, "status": "skipped",
                                    "reasons": [reason("1004")]})
                    continue
                partition = self.partitions[lead.partition_id]
                if not may_use(credential, partition):
                    results.append({"id": lead_id, "status": "skipped", "reasons": [
                        reason("1008", partition=partition.name)]})
                    continue
                self._index_remove(lead)
                del self._leads[lead_id]
                self.activities.add(lead_id, DELETE_LEAD, self.clock.now(), lead_id,
                                    name_of(lead), (("Remove from CRM", False),))
                results.append({"id": lead_id, "status": "deleted"})
                deleted.append(lead_id)
        return results, deleted

    def associate(self, lead_id: int, cookie: str) -> None:
        """Associate a Munchkin cookie with a lead (1004: no such lead)."""
        with self.lock:
            lead = self._leads.get(lead_id)
            if lead is None:
                raise MarketoError("1004")
            lead.values["cookies"] = cookie

    # -- reads -------------------------------------------------------------------------
    def check_fields(self, names: list[str]) -> list[str]:
        """The fields a read asks for (1006 for an unknown one), or the default ones."""
        return self.schema.check_names(names) or list(DEFAULT_GET_FIELDS)

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

    def query_page(self, filter_type: str, values: list[str], fields: list[str],
                   offset: int, batch: int) -> tuple[list[dict], bool]:
        """One page of a query by filter, rendered with the fields asked for."""
        with self.lock:
            fields = self.check_fields(fields)
            found = self.query(filter_type, values)
            return ([lead.render(fields) for lead in found[offset:offset + batch]],
                    offset + batch < len(found))

    def rendered(self, lead_ids: list[int], fields: list[str]) -> list[dict]:
        """The leads of these ids that exist, rendered."""
        with self.lock:
            fields = self.check_fields(fields)
            return [self._leads[i].render(fields) for i in lead_ids if i in self._leads]

    @locked
    def describe(self) -> list[dict]:
        return self.schema.describe()

    @locked
    def describe2(self) -> list[dict]:
        return self.schema.describe2()

    # -- the lead schema's fields ------------------------------------------------------
    @locked
    def field_list(self) -> list[dict]:
        return [f.describe2() for f in self.schema.fields.values()]

    def add_field(self, field_def: FieldDef) -> None:
        """A custom field (indexed when searchable)."""
        with self.lock:
            self.schema.add(field_def)
            if field_def.searchable and field_def.name not in self._index:
                idx = self._index[field_def.name] = {}
                for lead in self._leads.values():
                    index_put(idx, lead.values.get(field_def.name), lead.id)

    @locked
    def create_fields(self, specs: list) -> list[dict]:
        """Create custom lead fields: a result per spec (skipped with 1003 when invalid or
        the name is taken)."""
        return self.schema.create(specs, self.add_field)

    @locked
    def rename_field(self, field_name: str, display_name: str) -> list[dict]:
        """Change a custom field's display name (1006 for a standard or unknown one)."""
        self.add_field(self.schema.renamed(field_name, display_name))
        return [{"seq": 0, "name": field_name, "status": "updated"}]

    # -- seeds and snapshots -----------------------------------------------------------
    def seed_lead(self, spec: dict) -> Lead:
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
        lead_id = int(lead_id) if lead_id is not None else self.ids.take()
        if lead_id in self._leads:
            raise ValueError(f"lead id {lead_id} is seeded twice")
        lead = Lead(lead_id, hold_new_lead(self._index, lead_id, values), partition.id,
                    created, updated)  # held and indexed as a created lead is
        self._leads[lead_id] = lead
        self.ids.note(lead_id)
        return lead

    def snapshot(self) -> dict:
        return {"fields": [f.to_dict() for f in self.schema.custom],
                "partitions": [{"id": p.id, "name": p.name, "description": p.description}
                               for p in self.partitions.values()],
                "leads": [{"id": lead.id, "partition": self.partitions[lead.partition_id].name,
                           "createdAt": iso_utc(lead.created_at),
                           "updatedAt": iso_utc(lead.updated_at), **lead.values}
                          for lead in self._leads.values()]}
