"""The bulk side of a lead database: export and import queues and the programs whose members
they read and write, as a mixin of LeadDatabase (one lock, one snapshot). Jobs move when a
call arrives and the clock says they are due (`run_due_jobs`)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from vendorsim.mocks.core.clock import Clock

from .bulk_files import build
from .bulk_imports import ImportBatch, ImportQueue
from .bulk_jobs import ExportJob, ExportQueue
from .bulk_state import batch_from_dict, batch_to_dict, job_from_dict, job_to_dict
from .errors import RecordError
from .programs import MEMBER_FIELDS, ProgramStore
from .usage import Usage

if TYPE_CHECKING:
    from .custom_objects import CustomObjects
    from .lists import StaticListStore


class BulkMixin:
    clock: Clock
    lock: threading.RLock
    lists: StaticListStore
    custom: CustomObjects
    leads: dict
    exports: ExportQueue
    imports: ImportQueue
    programs: ProgramStore
    usage: Usage

    def _init_bulk(self) -> None:
        self.exports = ExportQueue()
        self.imports = ImportQueue()
        self.programs = ProgramStore(self.clock)
        self.usage = Usage()

    def run_due_jobs(self) -> None:
        """Start, finish and apply whatever bulk work the clock says is due."""
        if not self.exports.pending and not self.imports.pending:
            return  # every call passes here: done jobs need no lock and no sorting
        with self.lock:
            now = self.clock.now()
            self.exports.advance(now, self._build_export)
            self.imports.advance(now, self._apply_import)

    def _snapshot_bulk(self) -> dict:
        return {"exportJobs": [job_to_dict(j) for j in self.exports.jobs.values()],
                "exportSlots": list(self.exports.slots),
                "exportQuotaBytes": self.exports.quota_bytes,
                "importBatches": [batch_to_dict(b) for b in self.imports.batches.values()]}

    def _seed_bulk(self, data: dict) -> None:
        custom = set(self.custom.stores)
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
            batch = batch_from_dict(spec, custom, set(self.programs.programs))
            self.imports.batches[batch.id] = batch
            self.imports.next_id = max(self.imports.next_id, batch.id + 1)

    def _build_export(self, job: ExportJob) -> tuple[int, bytes]:
        return build(self, job)  # type: ignore[arg-type]

    # -- imports ---------------------------------------------------------------------
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
            results = self.custom.store(batch.entity).sync(records, "createOrUpdate",
                                                           "dedupeFields")
            self._count(batch, results, rows)

    def _count(self, batch: ImportBatch, results: list[dict], rows: list[list[str]]) -> None:
        for result, row in zip(results, rows, strict=True):
            if result["status"] == "skipped":
                batch.failures.append((row, result["reasons"][0]["message"]))
            else:
                batch.processed += 1

    def _import_leads(self, batch: ImportBatch, records: list[dict],
                      rows: list[list[str]]) -> None:
        opts = batch.options
        results = self.sync(records, action="createOrUpdate",  # type: ignore[attr-defined]
                            lookup_field=opts.get("lookupField") or "email",
                            partition_name=opts.get("partitionName"))
        self._count(batch, results, rows)
        if opts.get("listId"):
            lst = self.lists.lists.get(opts["listId"])
            if lst is not None:
                self.lists.add_members(lst, [r["id"] for r in results if "id" in r],
                                       self.leads)

    def _import_members(self, batch: ImportBatch, records: list[dict],
                        rows: list[list[str]]) -> None:
        program = self.programs.get(batch.options["programId"])
        member_fields = {f.name for f in MEMBER_FIELDS}
        now = self.clock.now()
        for record, row in zip(records, rows, strict=True):
            lead_part = {k: v for k, v in record.items() if k not in member_fields}
            member_part = {k: v for k, v in record.items() if k in member_fields}
            result = self.sync([lead_part])[0]  # type: ignore[attr-defined]
            if result["status"] == "skipped":
                batch.failures.append((row, result["reasons"][0]["message"]))
                continue
            try:
                self.programs.set_status(program, result["id"], batch.options["status"], now)
                self.programs.set_values(self.programs.members[program.id][result["id"]],
                                         member_part)
            except RecordError as exc:
                batch.failures.append((row, exc.reason["message"]))
                continue
            batch.processed += 1
