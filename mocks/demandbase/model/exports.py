"""Demandbase's Data Export API and activity types, over one client's account database.

Export jobs (`/data/export/v1/...`) are how a user reads back what the CDP delivered to an
account list: a job is `accepted`, `processing`, then `finished` on the clock (or `failed`),
and its result is a CSV of the requested fields. Activity types (`/import/v1/activity_type`)
are what an `activity` import job must name. Shapes follow Demandbase's published API
descriptions; where they are silent (how long a job takes, where the file lives) the choices
are in docs/reference/demandbase.md.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import uuid
from dataclasses import dataclass, field
from typing import Any

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import iso_utc, parse_time
from vendorsim.mocks.core.retention import REQUESTS_KEPT, keep_newest

from ..facts import (
    CONCURRENT_EXPORTS,
    CONCURRENT_EXPORTS_CODE,
    EXPORT_BYTES_A_DAY,
    EXPORT_BYTES_CODE,
)
from .errors import export_error, problem
from .grants import Caller, operation
from .quotas import DailyCounts

EXPORT_SECONDS = 20.0  # accepted -> processing at once, finished this long after
EXPORT_ENTITIES = ("account", "accountBuyingGroup", "personBuyingGroupMember", "opportunity",
                   "person", "activity", "campaign", "creative")
FIELDS = {  # what /v1/fields lists; accounts are what this mock holds
    "account": [("{Account}.id", "string", "Account ID"), ("{Account}.name", "string",
                                                            "Account Name"),
                ("{Account}.domain", "string", "Domain"),
                ("{Account}.accountListIds", "string", "Account Lists")],
    "person": [("{Person}.id", "string", "Person ID"), ("{Person}.email", "string", "Email")],
    "activity": [("{Activity}.id", "string", "Activity ID"),
                 ("{Activity}.activityTypeId", "integer", "Activity Type")],
}
DEFAULT_ACCOUNT_FIELDS = ("{Account}.id", "{Account}.name", "{Account}.domain")


@dataclass
class ExportJob:
    id: str
    name: str
    entity_type: str
    created: float
    fields: list[str]
    account_lists: list[int] = field(default_factory=list)
    person_lists: list[int] = field(default_factory=list)
    status: str = "accepted"
    updated: float = 0.0
    due: float = 0.0
    result: str = ""  # the CSV, once finished
    message: str | None = None

    def details(self) -> dict:
        return {"jobId": self.id, "jobName": self.name, "entityType": self.entity_type,
                "jobStatus": self.status, "createdAt": iso_utc(self.created),
                "updatedAt": iso_utc(self.updated or self.created)}

    def state(self, results_url: str) -> dict:
        return {**self.details(), "message": self.message,
                "resultsUrl": results_url if self.status == "finished" else ""}


def render_csv(columns: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def account_rows(accounts: dict[str, dict], lists: dict, list_ids: list[int] | None,
                 fields: list[str]) -> list[list[object]]:
    """Accounts (all, or the members of these lists) as rows of the requested fields."""
    memberships: dict[str, list[int]] = {}
    for list_id, account_list in lists.items():
        for domain in account_list.members:
            memberships.setdefault(domain, []).append(list_id)
    wanted = sorted(memberships if list_ids is not None else accounts)
    if list_ids is not None:
        wanted = [d for d in wanted if set(memberships[d]) & set(list_ids)]
    rows = []
    for domain in wanted:
        account = accounts.get(domain, {"domain": domain})
        values = {"{Account}.id": account.get("primaryId") or domain,
                  "{Account}.name": account.get("accountName", ""),
                  "{Account}.domain": domain,
                  "{Account}.accountListIds": ";".join(map(str, memberships.get(domain, [])))}
        rows.append([values.get(f, "") for f in fields])
    return rows


@dataclass
class ActivityType:
    id: int
    label: str
    name: str
    description: str = ""
    fields: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "activitySource": "API"}

    def details(self) -> dict:
        return {"activityType": {"name": self.name, "label": self.label,
                                 "description": self.description}, "fields": self.fields}


def activity_type_from(body: object, type_id: int) -> ActivityType:
    """An activity type from `{activityType: {label, name?, description?}, fields: [...]}`."""
    spec = body.get("activityType") if isinstance(body, dict) else None
    if not isinstance(spec, dict) or not isinstance(spec.get("label"), str) \
            or not spec["label"].strip():
        raise problem(400, "activityType.label is required")
    name = spec.get("name", spec["label"])
    description = spec.get("description", "")
    if not isinstance(name, str) or not isinstance(description, str):
        raise problem(400, "activityType.name and description are text")
    fields = body.get("fields", []) if isinstance(body, dict) else []
    if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("fieldName"), str) and f["fieldName"]
            for f in fields):
        raise problem(400, "fields is a list of {fieldName, fieldDataType, "
                                             "defaultField, isRequiredForCsvImport}")
    clean = [{"fieldName": f["fieldName"][:200],
              "fieldDataType": str(f.get("fieldDataType", "string"))[:50],
              "defaultField": bool(f.get("defaultField", False)),
              "isRequiredForCsvImport": bool(f.get("isRequiredForCsvImport", False))}
             for f in fields]
    return ActivityType(type_id, spec["label"][:200], name[:200], description[:2000], clean)


class ExportsAndActivityTypes:
    """The client's activity types and export jobs (mixed into DemandbaseClient, whose lock,
    clock, accounts and lists they use)."""

    lock: Any
    clock: Any
    accounts: dict[str, dict]
    lists: dict
    exports: dict[str, ExportJob]
    activity_types: dict[int, ActivityType]
    daily: DailyCounts

    @operation("activity_types.write")
    def add_activity_type(self, caller: Caller, body: object, type_id: object = None) -> dict:
        """A new activity type, or (`type_id`) a new definition of an existing one."""
        if type_id is not None:
            type_id = self._activity_type(type_id).id
        made = self.put_activity_type(body, type_id)
        return {"id": made.id, "label": made.label}

    def put_activity_type(self, body: object, type_id: int | None = None) -> ActivityType:
        made = activity_type_from(body, type_id or max([0, *self.activity_types]) + 1)
        self.activity_types[made.id] = made
        return made

    @operation("activity_types.read")
    def activity_type(self, caller: Caller, type_id: object) -> dict:
        return self._activity_type(type_id).details()

    @operation("activity_types.read")
    def activity_type_summaries(self, caller: Caller) -> list[dict]:
        return [t.summary() for t in self.activity_types.values()]

    def _activity_type(self, type_id: object) -> ActivityType:
        found = self.activity_types.get(whole_number(type_id))  # type: ignore[arg-type]  # None finds none
        if found is None:
            raise problem(404, f"Activity type {str(type_id)[:20]} not found")
        return found

    @operation("exports.read")
    def export_fields(self, caller: Caller, kind: object) -> list[dict]:
        """The fields an export job of an entity type can hold."""
        self.daily.take(self.clock.now(), "exports.fields")
        if kind not in EXPORT_ENTITIES:
            raise export_error(400, "400-101", "Invalid entityType")
        return [{"name": n, "dataType": t, "label": label, "description": label}
                for n, t, label in FIELDS.get(str(kind), [])]

    @operation("exports.read")
    def list_exports(self, caller: Caller, kind: str, status: str) -> list[dict]:
        """Export jobs of an entity type (or All) in a status (or All), oldest first."""
        self.daily.take(self.clock.now(), "exports.list")
        self.advance_exports()
        return [j.details() for j in self.exports.values()
                if kind in ("All", j.entity_type) and status in ("All", j.status)]

    @operation("exports.write")
    def create_export(self, caller: Caller, body: object, kind: str) -> dict:
        """An export job: `kind` is "job" (any entity), "accountList" or "personList". One
        under way at a time (429-102), 10 GB exported a day (429-101)."""
        self.daily.take(self.clock.now(), "exports.create")
        self.advance_exports()
        if sum(j.status in ("accepted", "processing") for j in self.exports.values()) >= \
                CONCURRENT_EXPORTS:
            raise export_error(429, CONCURRENT_EXPORTS_CODE,
                               f"Only {CONCURRENT_EXPORTS} export job may run at a time")
        self.daily.roll(self.clock.now())
        if self.daily.exported >= EXPORT_BYTES_A_DAY:
            raise export_error(429, EXPORT_BYTES_CODE, "Daily export volume reached; it "
                                                       "resets at midnight UTC")
        if not isinstance(body, dict) or not isinstance(body.get("jobName"), str) \
                or not body["jobName"].strip():
            raise export_error(400, "400-100", "jobName is required")
        entity = {"accountList": "account", "personList": "person"}.get(kind) or \
            body.get("entityType")
        if entity not in EXPORT_ENTITIES:
            raise export_error(400, "400-101", f"entityType must be one of "
                                               f"{', '.join(EXPORT_ENTITIES)}")
        lists = body.get("accountListIds" if entity == "account" else "personListIds")
        if kind == "accountList" and lists is None and body.get("accountListId") is not None:
            lists = [body["accountListId"]]
        if lists is not None and (not isinstance(lists, list) or any(
                whole_number(i, 1) is None for i in lists)):
            raise export_error(400, "400-102", "list ids are a list of whole numbers")
        lists = [whole_number(i) for i in lists or []]
        unknown = [i for i in lists if entity == "account" and i not in self.lists]
        if kind != "job" and not lists or unknown:
            raise export_error(400, "400-103", f"unknown or missing list ids {unknown}")
        fields = body.get("fields") or list(DEFAULT_ACCOUNT_FIELDS if entity == "account"
                                            else [f[0] for f in FIELDS.get(entity, [])])
        known = {f[0] for f in FIELDS.get(entity, [])}
        if not isinstance(fields, list) or not all(isinstance(f, str) and f in known
                                                   for f in fields):
            raise export_error(400, "400-104", f"fields must be among {sorted(known)}")
        now = self.clock.now()
        job = ExportJob(str(uuid.uuid4()), body["jobName"][:200], entity, now, fields,
                        lists if entity == "account" else [],
                        lists if entity == "person" else [], "processing", now,
                        now + EXPORT_SECONDS)
        self.exports[job.id] = job
        keep_newest(self.exports, REQUESTS_KEPT, lambda j: j.status in ("finished", "failed"))
        return job.details()

    def advance_exports(self) -> None:
        now = self.clock.now()
        with self.lock:
            for job in self.exports.values():
                if job.status == "processing" and job.due <= now:
                    rows = account_rows(self.accounts, self.lists,
                                        job.account_lists or None, job.fields) \
                        if job.entity_type == "account" else []
                    job.result = render_csv(job.fields, rows)
                    job.status, job.updated = "finished", now
                    self.daily.roll(now)
                    self.daily.exported += len(job.result.encode())

    @operation("exports.read")
    def get_export(self, caller: Caller, job_id: str, counted: bool = True) -> ExportJob:
        """A job as it stands now (a copy); `counted`: a status call, counted a day (a
        results download is not)."""
        if counted:
            self.daily.take(self.clock.now(), "exports.status")
        self.advance_exports()
        job = self.exports.get(job_id)
        if job is None:
            raise export_error(404, "404-302", "Job id invalid")
        return dataclasses.replace(job)

    def _restore_export(self, spec: object) -> None:
        if not isinstance(spec, dict) or spec.get("jobStatus") not in (
                "accepted", "processing", "finished", "failed") or \
                spec.get("entityType") not in EXPORT_ENTITIES:
            raise ValueError("an export job is an object as the snapshot shows it")
        job = ExportJob(str(spec.get("jobId"))[:100], str(spec.get("jobName"))[:200],
                        spec["entityType"], parse_time(spec.get("createdAt") or 0),
                        [str(f) for f in spec.get("fields") or []],
                        [int(i) for i in spec.get("accountListIds") or []],
                        [int(i) for i in spec.get("personListIds") or []],
                        spec["jobStatus"], parse_time(spec.get("updatedAt") or 0),
                        parse_time(spec.get("due") or 0), str(spec.get("result") or ""))
        self.exports[job.id] = job

