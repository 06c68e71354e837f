"""Bulk extract and bulk import of one instance (Adobe's Bulk Extract and Bulk Import
documentation): export jobs for leads, activities, program members and custom objects;
import batches for leads, program members and custom objects. Jobs move when a call arrives
and the clock says they are due (`run_due_jobs`). Every operation takes the instance's lock.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from .bulk_exports import ExportJob, ExportQueue
from .bulk_files import build, check_request
from .bulk_imports import ImportBatch, ImportQueue
from .bulk_state import FIXED, batch_from_dict, batch_to_dict, job_from_dict, job_to_dict
from .errors import MarketoError, RecordError
from .program_records import MEMBER_FIELDS_BY_NAME

if TYPE_CHECKING:
    from .instance import MarketoInstance


class BulkArea:
    """The export and import queues of one instance, reading and writing its stores."""

    def __init__(self, lock: threading.RLock, clock: Clock, owner: MarketoInstance) -> None:
        self.lock = lock
        self.clock = clock
        self.owner = owner
        self.exports = ExportQueue()
        self.imports = ImportQueue(ids=owner.sequences.sequence("importBatches", 1001))

    def run_due_jobs(self) -> None:
        """Start, finish and apply whatever bulk work the clock says is due."""
        if not self.exports.pending and not self.imports.pending:
            return  # every call passes here: done jobs need no lock and no sorting
        with self.lock:
            now = self.clock.now()
            self.exports.advance(now, self._build_export)
            self.imports.advance(now, self._apply_import)

    def _entity(self, entity: str) -> str:
        """A fixed entity, or a custom object's API name (1013 for an unknown one)."""
        if entity not in FIXED:
            self.owner.custom.store(entity)
        return entity

    # -- export ----------------------------------------------------------------------
    @locked
    def export_jobs(self, entity: str, statuses: set[str], offset: int, batch: int
                    ) -> tuple[list[dict], bool]:
        """Export jobs of the last 7 days."""
        self._entity(entity)
        self.run_due_jobs()
        now = self.clock.now()
        jobs = [j.render(now) for j in self.exports.listed(entity, now, statuses)]
        return jobs[offset:offset + batch], offset + batch < len(jobs)

    @locked
    def create_export(self, entity: str, body: dict) -> list[dict]:
        """Create an export job (status Created)."""
        self._entity(entity)
        fmt, fields, headers, filter_ = check_request(self.owner, entity, body)
        now = self.clock.now()
        return [self.exports.create(entity, fmt, fields, headers, filter_, now).render(now)]

    @locked
    def export_job(self, entity: str, job_id: str, action: str) -> list[dict]:
        """enqueue, cancel, or the status of an export job."""
        self._entity(entity)
        self.run_due_jobs()
        job = self.exports.get(job_id, entity)
        if action == "enqueue":
            self.exports.enqueue(job, self.clock.now())
            self.run_due_jobs()
        elif action == "cancel":
            self.exports.cancel(job, self.clock.now())
        return [job.render(self.clock.now())]

    @locked
    def export_file(self, entity: str, job_id: str) -> bytes:
        self._entity(entity)
        self.run_due_jobs()
        return self.exports.file(self.exports.get(job_id, entity), self.clock.now())

    def _build_export(self, job: ExportJob) -> tuple[int, bytes]:
        return build(self.owner, job)

    # -- import ----------------------------------------------------------------------
    @locked
    def import_leads(self, data: bytes, fmt: str, lookup: str, partition: str | None,
                     list_param: str | None) -> list[dict]:
        """Import leads from a file (into a static list too, with listId)."""
        schema = self.owner.leads.schema.fields
        if lookup not in schema:
            raise MarketoError("1006", field=lookup)
        options: dict = {"lookupField": lookup, "partitionName": partition}
        if list_param:
            list_id = whole_number(list_param, 1)
            self.owner.lists.get(list_id or 0)
            options["listId"] = list_id
        batch = self.imports.submit("leads", data, fmt, options, self.clock.now())
        for name in batch.header:
            if name not in schema:
                del self.imports.batches[batch.id]
                raise MarketoError("1006", field=name)
        return [batch.render()]

    @locked
    def import_members(self, program_id: int, data: bytes, fmt: str, status: str
                       ) -> list[dict]:
        """Import program members from a file, all at one status."""
        self.owner.programs.check_status(program_id, status)
        return [self.imports.submit("program members", data, fmt,
                                    {"programId": program_id, "status": status},
                                    self.clock.now()).render()]

    @locked
    def import_custom(self, api_name: str, data: bytes, fmt: str) -> list[dict]:
        self.owner.custom.store(api_name)
        return [self.imports.submit(api_name, data, fmt, {}, self.clock.now()).render()]

    @locked
    def batch_status(self, entity: str, batch_id: int) -> list[dict]:
        self._entity(entity)
        self.run_due_jobs()
        return [self.imports.get(batch_id, entity).render()]

    @locked
    def batch_report(self, entity: str, batch_id: int, which: str) -> bytes:
        """The failures or warnings file of a finished batch (1019 while it imports)."""
        self._entity(entity)
        self.run_due_jobs()
        batch = self.imports.get(batch_id, entity)
        if batch.status != "Complete":
            raise MarketoError("1019", "Import in progress")
        return batch.report(which)

    def _apply_import(self, batch: ImportBatch) -> None:
        records, rows = [], []
        for row in batch.rows:
            if len(row) != len(batch.header):
                batch.failures.append((row, f"Row has {len(row)} columns, the header has "
                                            f"{len(batch.header)}"))
                continue
            records.append({h: v for h, v in zip(batch.header, row, strict=True) if v != ""})
            rows.append(row)
        if batch.entity == "leads":
            self._import_leads(batch, records, rows)
        elif batch.entity == "program members":
            self._import_members(batch, records, rows)
        else:
            results = self.owner.custom.store(batch.entity).sync(records, "createOrUpdate",
                                                                 "dedupeFields")
            _count(batch, results, rows)

    def _import_leads(self, batch: ImportBatch, records: list[dict],
                      rows: list[list[str]]) -> None:
        opts = batch.options
        results = self.owner.leads.sync(records, action="createOrUpdate",
                                        lookup_field=opts.get("lookupField") or "email",
                                        partition_name=opts.get("partitionName"))
        _count(batch, results, rows)
        lists = self.owner.lists
        if opts.get("listId") and opts["listId"] in lists.lists:
            lists.add_members(opts["listId"], [r["id"] for r in results if "id" in r])

    def _import_members(self, batch: ImportBatch, records: list[dict],
                        rows: list[list[str]]) -> None:
        programs = self.owner.programs
        programs.get(batch.options["programId"])  # 1013 fails the batch: the program went
        for record, row in zip(records, rows, strict=True):
            lead_part = {k: v for k, v in record.items() if k not in MEMBER_FIELDS_BY_NAME}
            member_part = {k: v for k, v in record.items() if k in MEMBER_FIELDS_BY_NAME}
            result = self.owner.leads.sync([lead_part])[0]
            if result["status"] == "skipped":
                batch.failures.append((row, result["reasons"][0]["message"]))
                continue
            try:
                programs.import_member(batch.options["programId"], result["id"],
                                       batch.options["status"], member_part)
            except RecordError as exc:
                batch.failures.append((row, exc.reason["message"]))
                continue
            batch.processed += 1

    # -- seeds and snapshots ---------------------------------------------------------
    def snapshot(self) -> dict:
        return {"exportJobs": [job_to_dict(j) for j in self.exports.jobs.values()],
                "exportSlots": list(self.exports.slots),
                "exportQuotaBytes": self.exports.quota_bytes,
                "importBatches": [batch_to_dict(b) for b in self.imports.batches.values()]}

    def seed(self, data: dict) -> None:
        custom = set(self.owner.custom.stores)
        for spec in data.get("exportJobs") or []:
            job = job_from_dict(spec, custom)
            self.exports.jobs[job.id] = job
        slots = data.get("exportSlots")
        if slots is not None:
            if not (isinstance(slots, list) and len(slots) == len(self.exports.slots)
                    and all(isinstance(t, int | float) for t in slots)):
                raise ValueError("exportSlots are the processing slots' free times")
            self.exports.slots = [float(t) for t in slots]
        quota = data.get("exportQuotaBytes")
        if quota is not None:
            if isinstance(quota, bool) or not isinstance(quota, int) or quota < 0:
                raise ValueError("exportQuotaBytes is a whole number of bytes")
            self.exports.quota_bytes = quota
        for spec in data.get("importBatches") or []:
            batch = batch_from_dict(spec, custom, set(self.owner.programs.programs))
            self.imports.batches[batch.id] = batch
            self.imports.ids.note(batch.id)


def _count(batch: ImportBatch, results: list[dict], rows: list[list[str]]) -> None:
    for result, row in zip(results, rows, strict=True):
        if result["status"] == "skipped":
            batch.failures.append((row, result["reasons"][0]["message"]))
        else:
            batch.processed += 1
