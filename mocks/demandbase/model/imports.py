"""Demandbase's Import API (vendor-apis.md §3.1) over one client: jobs per entity type, CSV
data submitted with a list action, states new -> processing -> completed|failed on the clock,
each endpoint's calls counted a day (quotas.py). An account import's rows land in the account
database and in the account list named like the job, as its list action says."""

from __future__ import annotations

import base64
import binascii
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import iso_utc, parse_time
from vendorsim.mocks.core.domains import normalise_domain
from vendorsim.mocks.core.retention import REQUESTS_KEPT, keep_newest

from .errors import problem
from .grants import Caller, operation
from .quotas import DailyCounts

ENTITY_TYPES = ("account", "person", "activity", "campaign", "creative", "opportunity",
                "intent_activity")
LIST_ACTIONS = ("replace", "insert", "delete", "noop")
JOB_STATES = ("new", "processing", "completed", "failed")
PROCESSING_SECONDS = 30.0


def entity_type(raw: object) -> str:
    """An import entity type, written as Demandbase's documentation does (`Account`) or as
    its SDK does (`account`): the API takes either."""
    kind = raw.lower() if isinstance(raw, str) else None
    if kind not in ENTITY_TYPES:
        raise problem(400, f"entityType must be one of {', '.join(ENTITY_TYPES)} (any case)")
    return kind


@dataclass
class Job:
    id: int
    name: str
    entity_type: str
    source: str
    activity_type_id: object
    created: float
    updated: float
    state: str = "new"
    list_action: str | None = None
    data: bytes = b""
    due: float | None = None
    result: dict = field(default_factory=dict)

    def render(self) -> dict:
        return {"id": self.id, "dataImportName": self.name, "entityType": self.entity_type,
                "state": self.state, "updatedAt": iso_utc(self.updated),
                "createdAt": iso_utc(self.created), "source": self.source,
                "activityTypeId": self.activity_type_id, **self.result}

    def to_state(self) -> dict:
        """Everything needed to go on where the job is (a snapshot round trip is lossless)."""
        return {**self.render(), "listAction": self.list_action,
                "data": base64.b64encode(self.data).decode(),
                "due": iso_utc(self.due) if self.due is not None else None}

    @classmethod
    def from_state(cls, spec: object) -> Job:
        if not isinstance(spec, dict):
            raise ValueError("a job is an object as the snapshot shows it")
        job_id = whole_number(spec.get("id"), 1)
        state, entity = spec.get("state"), spec.get("entityType")
        if job_id is None or state not in JOB_STATES or entity not in ENTITY_TYPES:
            raise ValueError(f"job {str(spec.get('id'))[:20]}: needs an id, a state of "
                             f"{JOB_STATES} and an entityType of {ENTITY_TYPES}")
        action = spec.get("listAction")
        if action is not None and action not in LIST_ACTIONS:
            raise ValueError(f"job {job_id}: listAction is one of {LIST_ACTIONS}")
        result = {k: spec[k] for k in ("recordsProcessed", "recordsFailed", "errorMessage")
                  if k in spec}
        try:
            data = base64.b64decode(str(spec.get("data") or ""), validate=True)
        except (ValueError, binascii.Error):
            raise ValueError(f"job {job_id}: data is base64") from None
        due = spec.get("due")
        return cls(job_id, str(spec.get("dataImportName") or ""), entity,
                   str(spec.get("source") or "CSV"), spec.get("activityTypeId"),
                   parse_time(spec.get("createdAt") or 0), parse_time(spec.get("updatedAt") or 0),
                   state, action, data, parse_time(due) if due is not None else None, result)


class ImportJobs:
    """The client's import jobs (mixed into DemandbaseClient, whose lock, clock, accounts and
    lists they use)."""

    lock: Any
    clock: Any
    accounts: dict[str, dict]
    lists: dict
    jobs: dict[int, Job]
    activity_types: dict
    daily: DailyCounts
    list_by_name: Callable[[str], Any]
    new_id: Callable[[], int]
    add_accounts: Callable[[Any, list[dict]], None]
    drop_members: Callable[[Any, list[str]], int]
    make_list: Callable[[str], Any]

    @operation("imports.write")
    def create_job(self, caller: Caller, body: object) -> dict:
        self.daily.take(self.clock.now(), "imports.create")
        if not isinstance(body, dict):
            raise problem(400, "The request body must be a JSON object")
        entity = entity_type(body.get("entityType"))
        activity_type = body.get("activityTypeId")
        if entity == "activity" and whole_number(activity_type) not in self.activity_types:
            raise problem(400, "an activity import needs the activityTypeId of an activity type "
                               "(POST /import/v1/activity_type creates one)")
        name = body.get("dataImportName")
        if not isinstance(name, str) or not name.strip():
            raise problem(400, "dataImportName is required")
        self.advance_jobs()
        now = self.clock.now()
        job = Job(self.new_id(), name[:500], entity, str(body.get("source") or "CSV")[:100],
                  whole_number(activity_type) if entity == "activity" else None, now, now)
        self.jobs[job.id] = job
        keep_newest(self.jobs, REQUESTS_KEPT, lambda j: j.state in ("completed", "failed"))
        return job.render()

    @operation("imports.read")
    def get_job(self, caller: Caller, job_id: int) -> dict:
        self.daily.take(self.clock.now(), "imports.status")
        return self._job(job_id).render()

    def _job(self, job_id: int) -> Job:
        self.advance_jobs()
        job = self.jobs.get(job_id)
        if job is None:
            raise problem(404, f"Job {job_id} not found")
        return job

    @operation("imports.read")
    def list_jobs(self, caller: Caller, kind: str | None, state: str | None) -> list[dict]:
        """The jobs of an entity type (any case) in a state, as the API renders them."""
        self.daily.take(self.clock.now(), "imports.list")
        self.advance_jobs()
        return [j.render() for j in self.jobs.values()
                if (kind is None or kind.lower() == j.entity_type) and state in (None, j.state)]

    @operation("imports.write")
    def submit(self, caller: Caller, job_id: int, list_action: str, data: bytes) -> dict:
        self.daily.take(self.clock.now(), "imports.data")
        if list_action not in LIST_ACTIONS:
            raise problem(400, f"listAction must be one of {', '.join(LIST_ACTIONS)}")
        job = self._job(job_id)
        if job.state != "new":
            raise problem(400, f"Job {job_id} is {job.state}; data can be sent once")
        if not data:
            raise problem(400, "The request body must hold the CSV data")
        job.list_action, job.data = list_action, data
        job.state, job.updated = "processing", self.clock.now()
        job.due = job.updated + PROCESSING_SECONDS
        return job.render()

    def advance_jobs(self) -> None:
        """Finish the jobs whose processing time has passed on the clock."""
        now = self.clock.now()
        with self.lock:
            for job in self.jobs.values():
                if job.state == "processing" and job.due is not None and job.due <= now:
                    self._finish(job)
                    job.updated = now

    def _finish(self, job: Job) -> None:
        """Process a job's CSV: rows that do not fit the header (a missing or a surplus
        column, no domain, no name) fail one by one; a file that is not CSV fails the job."""
        try:
            reader = csv.reader(io.StringIO(job.data.decode("utf-8-sig")))
            header = [c.strip() for c in next(reader, [])]
            rows = list(reader)
        except (UnicodeDecodeError, csv.Error):
            job.state, job.result = "failed", {"errorMessage": "The data is not UTF-8 CSV"}
            return
        if job.entity_type != "account":
            job.state, job.result = "completed", {"recordsProcessed": len(rows)}
            return
        if not {"accountName", "accountEmailDomain"} <= set(header):
            job.state = "failed"
            job.result = {"errorMessage": "Account imports need accountName and "
                                          "accountEmailDomain columns"}
            return
        good, bad = [], 0
        for cells in rows:
            row = dict(zip(header, cells, strict=False))
            domain = normalise_domain(row.get("accountEmailDomain"))
            if len(cells) != len(header) or domain is None or \
                    not (row.get("accountName") or "").strip():
                bad += 1
                continue
            good.append({"accountName": row["accountName"].strip(), "domain": domain})
        target = self.list_by_name(job.name) if job.list_action != "noop" else None
        if target is None and job.list_action in ("replace", "insert"):
            target = self.make_list(job.name)
        for account in good:
            self.accounts.setdefault(account["domain"], account)
        if target is not None:
            domains = [a["domain"] for a in good]
            if job.list_action == "replace":
                self.drop_members(target, list(target.members))
            if job.list_action == "delete":
                self.drop_members(target, domains)
            else:
                self.add_accounts(target, good)
        job.state = "completed"
        job.result = {"recordsProcessed": len(good), "recordsFailed": bad}

