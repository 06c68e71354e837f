"""What a bulk extract job selects and writes: the request's filter checked at creation, the
file built from the lead database when the job starts processing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import iso_utc, parse_time

from .. import facts
from .bulk_exports import SEPARATORS, ExportJob, write_table
from .errors import MarketoError
from .program_records import MEMBER_FIELDS

if TYPE_CHECKING:
    from .instance import MarketoInstance as MarketoInstance

ACTIVITY_DEFAULT_COLUMNS = ("marketoGUID", "leadId", "activityDate", "activityTypeId",
                            "campaignId", "primaryAttributeValueId", "primaryAttributeValue",
                            "attributes")
# every column an activity export may ask for: the defaults and, on request, actionResult
ACTIVITY_COLUMNS = (*ACTIVITY_DEFAULT_COLUMNS, "actionResult")
PRIMARY_FILTERS = ("primaryAttributeValueIds", "primaryAttributeValues")
FILTER_LIMITS = {"primaryAttributeValueIds": 50, "primaryAttributeValues": 50, "programIds": 10}
LIST_FILTERS = ("staticListId", "staticListName", "smartListId", "smartListName")
FILTERS = {
    "leads": ("createdAt", "updatedAt", "staticListId", "staticListName", "smartListId",
              "smartListName"),
    "activities": ("createdAt", "activityTypeIds", "primaryAttributeValueIds",
                   "primaryAttributeValues"),
    "program members": ("programId", "programIds", "isExhausted", "nurtureCadence",
                        "statusNames", "updatedAt"),
    "custom": ("createdAt", "updatedAt", *LIST_FILTERS),
}


def check_request(database: MarketoInstance, entity: str, body: dict) -> tuple:
    """(format, fields, column headers, filter) of a create-job body, or a Marketo error."""
    fmt = body.get("format", "CSV")
    if fmt not in SEPARATORS:
        raise MarketoError("1003", "format is one of CSV, TSV, SSV")
    known = _columns(database, entity)
    fields = body.get("fields")
    if fields in (None, []) and entity == "activities":  # optional: absent or empty, defaults
        fields = list(ACTIVITY_DEFAULT_COLUMNS)
    if not isinstance(fields, list) or not fields or \
            not all(isinstance(f, str) for f in fields):
        raise MarketoError("701", what="fields")
    for name in fields:
        if name not in known:
            raise MarketoError("1006", field=name)
    headers = body.get("columnHeaderNames") or {}
    if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= 255
            for k, v in headers.items()):
        raise MarketoError("1003", "columnHeaderNames maps field names to header names")
    raw = body.get("filter")
    if not isinstance(raw, dict) or not raw:
        raise MarketoError("701", what="filter")
    kind = "custom" if entity not in FILTERS else entity
    for key in raw:
        if key not in FILTERS[kind]:
            raise MarketoError("1003", f"Invalid filter '{str(key)[:40]}'")
    clean = {key: _filter_value(database, key, value) for key, value in raw.items()}
    if entity == "activities" and "createdAt" not in clean:
        raise MarketoError("1003", "The createdAt filter is required for activity exports")
    if entity == "activities" and any(k in clean for k in PRIMARY_FILTERS) and \
            "activityTypeIds" not in clean:
        raise MarketoError("1003", "primaryAttributeValueIds and primaryAttributeValues need "
                                   "the activityTypeIds filter")
    if entity == "program members":
        _check_members(database, clean)
    if kind in ("leads", "custom") and len(clean) != 1:
        raise MarketoError("1003", "Give exactly one filter type")
    return fmt, list(fields), dict(headers), clean


def _check_members(database: MarketoInstance, clean: dict) -> None:
    """programId or programIds (one of them); every status name a status of one of them."""
    if ("programId" in clean) == ("programIds" in clean):
        raise MarketoError("1003", "Give programId or programIds (one of them)")
    programs = [database.programs.get(p) for p in
                (clean.get("programIds") or {clean.get("programId")})]
    for name in clean.get("statusNames") or ():
        if not any(p.status(name) is not None for p in programs):
            raise MarketoError("1003", f"Invalid data: status '{name[:40]}' is not a status "
                                       "of the programs")


def _filter_value(database: MarketoInstance, key: str, value: object) -> object:
    if key in ("createdAt", "updatedAt"):
        if not isinstance(value, dict) or set(value) - {"startAt", "endAt"} or \
                not all(isinstance(value.get(k), str) for k in ("startAt", "endAt")):
            raise MarketoError("1003", f"{key} is {{startAt, endAt}} in ISO-8601")
        try:
            start, end = parse_time(value["startAt"]), parse_time(value["endAt"])
        except (ValueError, TypeError, OverflowError):
            raise MarketoError("1003", f"{key}: startAt and endAt are ISO-8601 dates") from None
        if end < start:
            raise MarketoError("1003", f"{key}: endAt is before startAt")
        if end - start > facts.EXPORT_MAX_RANGE_DAYS * 86400:
            raise MarketoError("1003", f"{key}: the date range exceeds "
                                       f"{facts.EXPORT_MAX_RANGE_DAYS} days")
        return (start, end)
    if key in ("staticListId", "programId", "smartListId"):
        number = whole_number(value, 1)
        if number is None:
            raise MarketoError("1003", f"{key} is a positive whole number")
        if key == "staticListId":
            database.lists.get(number)
        elif key == "programId":
            database.programs.get(number)
        else:
            raise MarketoError("1035", "Smart list filters are not supported by this instance")
        return number
    if key in ("staticListName", "smartListName"):
        found = database.lists.by_name(value) if isinstance(value, str) else None
        if found is None or key == "smartListName":
            raise MarketoError("1013", f"List '{str(value)[:40]}' not found")
        return found.id
    if key == "isExhausted":
        if not isinstance(value, bool):
            raise MarketoError("1003", "isExhausted is true or false")
        return value
    if key == "nurtureCadence":
        if value not in ("paused", "normal"):
            raise MarketoError("1003", "nurtureCadence is 'paused' or 'normal'")
        return value
    limit = FILTER_LIMITS.get(key, 300)
    if not isinstance(value, list) or not value or len(value) > limit:
        raise MarketoError("1003", f"{key} is a list of at most {limit} values")
    if key in ("activityTypeIds", "primaryAttributeValueIds", "programIds"):
        numbers = [whole_number(v, 1) for v in value]
        if None in numbers:
            raise MarketoError("1003", f"{key} holds positive whole numbers")
        if key == "programIds":
            for number in numbers:
                database.programs.get(number)  # type: ignore[arg-type]  # None: 1013 like any unknown id
        return set(numbers)
    if not all(isinstance(v, str) for v in value):
        raise MarketoError("1003", f"{key} holds strings")
    return {v.lower() for v in value}


def _columns(database: MarketoInstance, entity: str) -> set[str]:
    if entity == "leads":
        return set(database.schema.fields)
    if entity == "activities":
        return set(ACTIVITY_COLUMNS)
    if entity == "program members":
        return {f.name for f in MEMBER_FIELDS} | set(database.schema.fields)
    return set(database.custom.store(entity).kind.by_name)


def _in(rng: object, epoch: float) -> bool:
    start, end = cast(tuple[float, float], rng)  # a checked filter's (start, end)
    return start <= epoch <= end


def build(database: MarketoInstance, job: ExportJob) -> tuple[int, bytes]:
    """The rows the job selects, written in its format (called when it starts processing)."""
    f = job.filter
    rows: list[list[object]] = []
    if job.entity == "leads":
        members = set(database.lists.get(f["staticListId"]).members) \
            if "staticListId" in f else None
        members = set(database.lists.get(f["staticListName"]).members) \
            if "staticListName" in f else members
        for lead in database.leads.values():
            if ("createdAt" in f and not _in(f["createdAt"], lead.created_at)) or \
                    ("updatedAt" in f and not _in(f["updatedAt"], lead.updated_at)) or \
                    (members is not None and lead.id not in members):
                continue
            rows.append([lead.get(name) for name in job.fields])
    elif job.entity == "activities":
        for a in database.activity_log.items:
            if not _in(f["createdAt"], a.at) or \
                    ("activityTypeIds" in f and a.type_id not in f["activityTypeIds"]) or \
                    ("primaryAttributeValueIds" in f and
                     a.primary_id not in f["primaryAttributeValueIds"]) or \
                    ("primaryAttributeValues" in f and
                     str(a.primary_value).lower() not in f["primaryAttributeValues"]):
                continue
            cells = {"marketoGUID": str(a.id), "leadId": a.lead_id,
                     "activityDate": iso_utc(a.at), "activityTypeId": a.type_id,
                     "campaignId": a.campaign_id, "primaryAttributeValueId": a.primary_id,
                     "primaryAttributeValue": a.primary_value,
                     "attributes": json.dumps({n: v for n, v in a.all_attributes()
                                               if v is not None}),
                     "actionResult": "succeeded"}
            rows.append([cells[name] for name in job.fields])
    elif job.entity == "program members":
        wanted = f.get("programIds") or {f.get("programId")}
        statuses = f.get("statusNames")
        for pid in sorted(p for p in wanted if p is not None):
            for member in database.programs.members.get(pid, {}).values():
                if (statuses and member.status.lower() not in statuses) or \
                        ("updatedAt" in f and not _in(f["updatedAt"], member.updated)):
                    continue
                person = database.leads.get(member.lead_id)
                row = [member.get(n) if n in {m.name for m in MEMBER_FIELDS}
                       else (person.get(n) if person else None) for n in job.fields]
                rows.append([pid, *row] if "programIds" in f else row)
    else:
        store = database.custom.store(job.entity)
        linked = _linked(database, job.entity, f)
        for record in store.records.values():
            if ("createdAt" in f and not _in(f["createdAt"], record.created_at)) or \
                    ("updatedAt" in f and not _in(f["updatedAt"], record.updated_at)) or \
                    (linked is not None and not linked(record.get)):
                continue
            rows.append([record.get(name) for name in job.fields])
    header = [job.headers.get(name, name) for name in job.fields]
    if job.entity == "program members" and "programIds" in f:
        header = ["programId", *header]  # the program each row came from, first (Adobe)
    return len(rows), write_table(job.format, header, rows)


def _linked(database: MarketoInstance, api_name: str, f: dict
            ) -> Callable[[Callable[[str], object]], bool] | None:
    """For a custom object export by static list: whether a record links to a member lead
    (through any of its link fields that point at leads); None without a list filter."""
    list_id = f.get("staticListId", f.get("staticListName"))
    if list_id is None:
        return None
    members = [database.leads.get(i) for i in database.lists.get(list_id).members]
    links = [r for r in database.custom.store(api_name).kind.relationships
             if r["relatedTo"]["name"].lower() == "lead"]
    wanted = {(r["field"], str(lead.get(r["relatedTo"]["field"]))) for r in links
              for lead in members if lead is not None}
    return lambda get: any((r["field"], str(get(r["field"]))) in wanted for r in links)
