"""One Demandbase client (tenant = client id): accounts, account lists, import jobs.

The import API is the one Demandbase publishes (vendor-apis.md §3.1): jobs per entity type,
CSV data submitted with a list action, states new -> processing -> completed|failed on the
clock, at most two jobs at a time. The account-list API is modelled (no public write API
exists): lists by unique name (B-DB-05), accounts added by domain, removed accounts kept in
the account database ("not deleted").
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import itertools
import threading
from dataclasses import dataclass, field

from vendorsim.mocks.core.bearer import ApiError
from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.domains import normalise_domain
from vendorsim.mocks.core.retention import REQUESTS_KEPT, keep_newest
from vendorsim.mocks.core.seeds import Loose, Names, Records, Shape
from vendorsim.mocks.core.service import atomic

from .errors import problem
from .exports import ActivityType, ExportJob, ExportsAndActivityTypes
from .facts import MAX_ACTIVE_JOBS

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
class AccountList:
    id: int
    name: str
    description: str
    dataflow: str | None
    created: float
    updated: float
    members: dict[str, float] = field(default_factory=dict)  # domain -> added at

    def render(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "dataflowId": self.dataflow, "accountCount": len(self.members),
                "createdAt": iso_utc(self.created), "updatedAt": iso_utc(self.updated)}


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


class DemandbaseListSeed(Loose):
    domains: Names = []


class DemandbaseSeed(Shape):
    account_lists: list[DemandbaseListSeed] | None = None
    accounts: Records | None = None
    jobs: Records | None = None
    activity_types: Records | None = None
    exports: Records | None = None


class DemandbaseClient(ExportsAndActivityTypes):
    """The accounts, account lists, import and export jobs of one API client."""

    seed_shape = DemandbaseSeed

    def __init__(self, client_id: str, clock: Clock) -> None:
        self.client_id = client_id
        self.clock = clock
        self.lock = threading.RLock()
        self.accounts: dict[str, dict] = {}  # domain -> {accountName, domain}
        self.lists: dict[int, AccountList] = {}
        self.jobs: dict[int, Job] = {}
        self.exports: dict[str, ExportJob] = {}
        self.activity_types: dict[int, ActivityType] = {}
        self._ids = itertools.count(11416)

    def _new_id(self) -> int:
        """The next id no list or job holds (seeded ones may have taken some)."""
        while True:
            candidate = next(self._ids)
            if candidate not in self.lists and candidate not in self.jobs:
                return candidate

    # -- account lists (modelled) ----------------------------------------------------
    def list_by_name(self, name: str) -> AccountList | None:
        return next((x for x in self.lists.values() if x.name.lower() == name.lower()), None)

    def create_list(self, body: object) -> AccountList:
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) \
                or not body["name"].strip():
            raise problem(400, "name is required")
        with self.lock:
            if self.list_by_name(body["name"]) is not None:
                raise problem(409, f"Account list name '{body['name']}' is already in use")
            now = self.clock.now()
            list_id = whole_number(body.get("id"), 1) if "id" in body else self._new_id()
            if list_id is None or list_id in self.lists:
                raise problem(400, "id must be a new whole number")
            dataflow = body.get("dataflowId")
            if dataflow is not None and not isinstance(dataflow, str | int):
                raise problem(400, "dataflowId is a string")
            created = AccountList(list_id, body["name"][:500],
                                  str(body.get("description") or "")[:2000],
                                  None if dataflow is None else str(dataflow), now, now)
            self.lists[created.id] = created
            return created

    def get_list(self, list_id: int) -> AccountList:
        found = self.lists.get(list_id)
        if found is None:
            raise problem(404, f"Account list {list_id} not found")
        return found

    def add_accounts(self, target: AccountList, accounts: list[dict]) -> None:
        now = self.clock.now()
        for account in accounts:
            self.accounts.setdefault(account["domain"], account)
            target.members.setdefault(account["domain"], now)
        target.updated = now

    def remove_accounts(self, target: AccountList, domains: list[str]) -> int:
        gone = [d for d in dict.fromkeys(domains) if d in target.members]
        for domain in gone:
            del target.members[domain]  # the account itself stays in the account database
        target.updated = self.clock.now()
        return len(gone)

    # -- import jobs -----------------------------------------------------------------
    def create_job(self, body: object) -> Job:
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
        with self.lock:
            self.advance_jobs()
            active = sum(j.state in ("new", "processing") for j in self.jobs.values())
            if active >= MAX_ACTIVE_JOBS:
                raise problem(429, f"Max {MAX_ACTIVE_JOBS} jobs are allowed at a time")
            now = self.clock.now()
            job = Job(self._new_id(), name, entity, str(body.get("source") or "CSV"),
                      whole_number(activity_type) if entity == "activity" else None, now, now)
            self.jobs[job.id] = job
            keep_newest(self.jobs, REQUESTS_KEPT, lambda j: j.state in ("completed", "failed"))
            return job

    def get_job(self, job_id: int) -> Job:
        self.advance_jobs()
        job = self.jobs.get(job_id)
        if job is None:
            raise problem(404, f"Job {job_id} not found")
        return job

    def submit(self, job_id: int, list_action: str, data: bytes) -> Job:
        if list_action not in LIST_ACTIONS:
            raise problem(400, f"listAction must be one of {', '.join(LIST_ACTIONS)}")
        with self.lock:
            job = self.get_job(job_id)
            if job.state != "new":
                raise problem(400, f"Job {job_id} is {job.state}; data can be sent once")
            if not data:
                raise problem(400, "The request body must hold the CSV data")
            job.list_action, job.data = list_action, data
            job.state, job.updated = "processing", self.clock.now()
            job.due = job.updated + PROCESSING_SECONDS
            return job

    def advance_jobs(self) -> None:
        """Finish the jobs whose processing time has passed on the clock."""
        now = self.clock.now()
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
            now = self.clock.now()
            target = AccountList(self._new_id(), job.name, "", None, now, now)
            self.lists[target.id] = target
        for account in good:
            self.accounts.setdefault(account["domain"], account)
        if target is not None:
            domains = [a["domain"] for a in good]
            if job.list_action == "replace":
                self.remove_accounts(target, list(target.members))
            if job.list_action == "delete":
                self.remove_accounts(target, domains)
            else:
                self.add_accounts(target, good)
        job.state = "completed"
        job.result = {"recordsProcessed": len(good), "recordsFailed": bad}

    # -- seeding and snapshots -------------------------------------------------------
    @atomic
    def seed(self, data: dict) -> None:
        for spec in data.get("account_lists") or []:
            try:
                created = self.create_list(spec)
            except ApiError as exc:
                raise ValueError(str(exc.body)) from None
            accounts = []
            for domain in spec.get("domains") or []:
                clean = normalise_domain(domain)
                if clean is None:
                    raise ValueError(f"list {spec.get('name')!r}: invalid domain {domain!r}")
                accounts.append({"accountName": clean, "domain": clean})
            self.add_accounts(created, accounts)

    def snapshot(self) -> dict:
        with self.lock:
            self.advance_jobs()
            return {"account_lists": [{"id": x.id, "name": x.name, "description": x.description,
                                       "dataflowId": x.dataflow, "domains": sorted(x.members)}
                                      for x in self.lists.values()],
                    "accounts": sorted(self.accounts.values(), key=lambda a: a["domain"]),
                    "jobs": [j.to_state() for j in self.jobs.values()],
                    "activity_types": [{"id": t.id, **t.details()}
                                       for t in self.activity_types.values()],
                    "exports": [{**j.details(), "fields": j.fields, "due": iso_utc(j.due),
                                 "accountListIds": j.account_lists,
                                 "personListIds": j.person_lists, "result": j.result}
                                for j in self.exports.values()]}

    def restore(self, data: dict) -> None:
        if not isinstance(data, dict):
            raise ValueError("Demandbase state must be an object")
        self.seed(data)
        for account in data.get("accounts") or []:
            domain = normalise_domain(account.get("domain")) if isinstance(account, dict) \
                else None
            if domain is None:
                raise ValueError("each account is an object with a valid 'domain'")
            self.accounts[domain] = dict(account)
        jobs = data.get("jobs") or []
        if not isinstance(jobs, list):
            raise ValueError("jobs is a list")
        for spec in jobs:
            job = Job.from_state(spec)
            self.jobs[job.id] = job
        for spec in data.get("activity_types") or []:
            if not isinstance(spec, dict):
                raise ValueError("activity_types are objects as the snapshot shows them")
            type_id = whole_number(spec.get("id"), 1)
            if type_id is None:
                raise ValueError("an activity type needs a whole-number id")
            self.add_activity_type(spec, type_id)
        for spec in data.get("exports") or []:
            self._restore_export(spec)
        taken = [*self.jobs, *self.lists]
        self._ids = itertools.count(max([11415, *taken]) + 1)
