"""Bulk extract jobs on the instance's clock (Adobe's Bulk Extract documentation).

A job is created, enqueued, processed and completed: at most 10 jobs queued (processing ones
included) and 2 processing per instance, shared by leads, activities, program members and
custom objects; a daily export allowance in bytes (500 MB by default, reset at midnight
Central time); files kept 7 days. Jobs move on the virtual clock: each call looks at the
time and starts or finishes what is due, so a test that advances the clock sees them move.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from vendorsim.mocks.core.clock import iso_utc
from vendorsim.mocks.core.retention import JOBS_KEPT, keep_newest

from .. import facts
from .errors import MarketoError

QUOTA_ZONE = ZoneInfo(facts.QUOTA_ZONE)
SEPARATORS = {"CSV": ",", "TSV": "\t", "SSV": ";"}


def processing_seconds(rows: int) -> float:
    """How long a job processes (chosen: 5 s plus 1 s per 5,000 records)."""
    return 5.0 + rows / 5000.0


@dataclass
class ExportJob:
    id: str
    entity: str  # "leads", "activities", "program members", or a custom object's API name
    format: str
    fields: list[str]
    headers: dict[str, str]
    filter: dict
    created_at: float
    status: str = "Created"
    queued_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    finish_at: float | None = None
    slot: int | None = None
    rows: int | None = None
    file: bytes | None = None
    error: str | None = None

    def shown(self, now: float) -> str:
        """The status a call sees: as it was at the last 60-s refresh since the client's last
        action on the job (create, enqueue), as Marketo documents. Until the first refresh
        the client sees what its own action made of the job: the enqueue answer and the
        status calls of the next 60 s say Queued, as Adobe's enqueue example does, even when
        a free slot started the job at once. A cancel shows at once."""
        if self.status in ("Created", "Canceled"):
            return self.status
        since = self.queued_at if self.queued_at is not None else self.created_at
        refreshes = max(0.0, now - since) // facts.EXPORT_STATUS_INTERVAL
        if refreshes < 1:
            return "Queued"
        seen = since + refreshes * facts.EXPORT_STATUS_INTERVAL
        if self.finished_at is not None and seen >= self.finished_at:
            return self.status  # Completed or Failed
        if self.started_at is not None and seen >= self.started_at:
            return "Processing"
        return "Queued"

    def render(self, now: float) -> dict:
        status = self.shown(now)
        out: dict = {"exportId": self.id, "format": self.format, "status": status,
                     "createdAt": iso_utc(self.created_at)}
        shown = {"Queued": 1, "Processing": 2, "Completed": 3, "Failed": 3, "Canceled": 3}.get(
            status, 0)
        for key, value, needs in (("queuedAt", self.queued_at, 1),
                                  ("startedAt", self.started_at, 2),
                                  ("finishedAt", self.finished_at, 3)):
            if value is not None and shown >= needs:
                out[key] = iso_utc(value)
        if status == "Completed" and self.file is not None:
            out["numberOfRecords"] = self.rows
            out["fileSize"] = len(self.file)
            out["fileChecksum"] = "sha256:" + hashlib.sha256(self.file).hexdigest()
        if self.error and status == "Failed":
            out["errorMsg"] = self.error
        return out


@dataclass
class ExportQueue:
    """Every export job of one instance."""

    jobs: dict[str, ExportJob] = field(default_factory=dict)
    slots: list[float] = field(default_factory=lambda: [0.0] * facts.EXPORT_MAX_PROCESSING)
    quota_bytes: int = 500 * 1024 * 1024

    def get(self, job_id: str, entity: str) -> ExportJob:
        job = self.jobs.get(job_id)
        if job is None or job.entity != entity:
            raise MarketoError("1003", f"Export job '{job_id[:40]}' not found")
        return job

    @property
    def pending(self) -> bool:
        """Whether any job is queued or processing (only those move with the clock)."""
        return any(j.status in ("Queued", "Processing") for j in self.jobs.values())

    def used_today(self, now: float) -> int:
        today = _day(now)
        return sum(len(j.file or b"") for j in self.jobs.values()
                   if j.finished_at is not None and _day(j.finished_at) == today)

    def _check_quota(self, now: float) -> None:
        if self.used_today(now) >= self.quota_bytes:
            raise MarketoError("1029", "Export daily quota exceeded")

    def create(self, entity: str, fmt: str, fields: list[str], headers: dict[str, str],
               filter_: dict, now: float) -> ExportJob:
        self._check_quota(now)
        job = ExportJob(str(uuid.uuid4()), entity, fmt, fields, headers, filter_, now)
        self.jobs[job.id] = job
        keep_newest(self.jobs, JOBS_KEPT, lambda j: j.status not in ("Queued", "Processing"))
        return job

    def enqueue(self, job: ExportJob, now: float) -> None:
        if job.status != "Created":
            raise MarketoError("1029", "Job already queued")
        waiting = sum(1 for j in self.jobs.values() if j.status in ("Queued", "Processing"))
        if waiting >= facts.EXPORT_MAX_QUEUED:
            raise MarketoError("1029", f"Too many jobs ({facts.EXPORT_MAX_QUEUED}) in queue")
        self._check_quota(now)
        job.status, job.queued_at = "Queued", now

    def cancel(self, job: ExportJob, now: float) -> None:
        if job.status in ("Completed", "Canceled", "Failed"):
            raise MarketoError("1003", f"Job in status '{job.status}' cannot be canceled")
        if job.status == "Processing" and job.slot is not None:
            self.slots[job.slot] = now
        job.status, job.file, job.finish_at = "Canceled", None, None

    def advance(self, now: float, build: Callable[[ExportJob], tuple[int, bytes]]) -> None:
        """Start queued jobs as processing slots free up, finish those whose time has come,
        in the order those things happened."""
        while True:
            running = sorted((j for j in self.jobs.values() if j.status == "Processing"),
                             key=lambda j: j.finish_at or 0.0)
            queued = sorted((j for j in self.jobs.values() if j.status == "Queued"),
                            key=lambda j: j.queued_at or 0.0)
            slot = min(range(facts.EXPORT_MAX_PROCESSING), key=lambda n: self.slots[n])
            start = max(queued[0].queued_at or 0.0, self.slots[slot]) if queued else None
            finish = running[0].finish_at if running else None
            if finish is not None and finish <= now and (start is None or finish <= start):
                done = running[0]
                done.status, done.finished_at = "Completed", finish
                continue
            if start is not None and start <= now and len(running) < facts.EXPORT_MAX_PROCESSING:
                job = queued[0]
                try:
                    job.rows, job.file = build(job)
                except MarketoError as exc:  # what it selects went away (a deleted list)
                    job.status, job.started_at, job.finished_at = "Failed", start, start
                    job.error = exc.text
                    continue
                job.status, job.started_at, job.slot = "Processing", start, slot
                job.finish_at = start + processing_seconds(job.rows)
                self.slots[slot] = job.finish_at
                continue
            break

    def file(self, job: ExportJob, now: float) -> bytes:
        shown = job.shown(now)
        if shown != "Completed" or job.file is None:
            raise MarketoError("1003", f"Export job is '{shown}': no file yet")
        if now - (job.finished_at or now) > facts.EXPORT_FILE_RETENTION:
            raise MarketoError("1003", "The export file has expired (files are kept 7 days)")
        return job.file

    def listed(self, entity: str, now: float, statuses: set[str]) -> list[ExportJob]:
        """The jobs of the last 7 days, as the list calls show them."""
        return [j for j in self.jobs.values() if j.entity == entity
                and now - j.created_at <= facts.EXPORT_FILE_RETENTION
                and (not statuses or j.shown(now) in statuses)]


def _day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, QUOTA_ZONE).date().isoformat()


def write_table(fmt: str, header: list[str], rows: list[list[object]]) -> bytes:
    """A CSV (or TSV/SSV) file: quoted where a value holds the separator, a quote or a
    line break; empty for missing values."""
    sep = SEPARATORS[fmt]
    lines = [sep.join(_cell(h, sep) for h in header)]
    lines += [sep.join(_cell(v, sep) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _cell(value: object, sep: str) -> str:
    if value is None:
        return ""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if sep in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text

