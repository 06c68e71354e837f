"""Export jobs and import batches in and out of snapshots, checked field by field: a restored
job must never make a later call fail (jobs run on every call of their instance)."""

from __future__ import annotations

from typing import Any

from .bulk_exports import SEPARATORS, ExportJob
from .bulk_files import ACTIVITY_COLUMNS, FILTERS
from .bulk_imports import DELIMITERS, ImportBatch

JOB_STATES = ("Created", "Queued", "Processing", "Completed", "Canceled", "Failed")
BATCH_STATES = ("Queued", "Importing", "Complete", "Failed")
RANGES = ("createdAt", "updatedAt")
NUMBER_SETS = ("activityTypeIds", "primaryAttributeValueIds", "programIds")
TEXT_SETS = ("primaryAttributeValues", "statusNames")
FIXED = ("leads", "activities", "program members")


def _number(value: object, optional: bool = True) -> bool:
    if value is None:
        return optional
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        abs(value) < 1e13


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def job_to_dict(job: ExportJob) -> dict:
    data = {k: v for k, v in vars(job).items() if k != "file"}
    data["filter"] = {k: sorted(v) if isinstance(v, set) else list(v) if isinstance(v, tuple)
                      else v for k, v in job.filter.items()}
    data["file"] = job.file.decode() if job.file is not None else None
    return data


def job_from_dict(data: object, custom: set[str]) -> ExportJob:
    if not isinstance(data, dict) or set(data) != set(ExportJob.__dataclass_fields__):
        raise ValueError(f"an export job has the fields {sorted(ExportJob.__dataclass_fields__)}")
    d: dict[str, Any] = dict(data)
    ok = (isinstance(d["id"], str) and d["entity"] in (*FIXED, *custom)
          and d["format"] in SEPARATORS and _texts(d["fields"]) and d["fields"]
          and isinstance(d["headers"], dict) and _texts(list(d["headers"].values()))
          and _texts(list(d["headers"])) and isinstance(d["filter"], dict)
          and _number(d["created_at"], optional=False) and d["status"] in JOB_STATES
          and all(_number(d[k]) for k in ("queued_at", "started_at", "finished_at", "finish_at"))
          and d["slot"] in (None, 0, 1) and (d["rows"] is None or (isinstance(d["rows"], int)
                                                                  and d["rows"] >= 0))
          and (d["file"] is None or isinstance(d["file"], str))
          and (d["error"] is None or isinstance(d["error"], str)))
    if not ok:
        raise ValueError(f"export job {str(d.get('id'))[:40]}: a field has the wrong type")
    kind = "custom" if d["entity"] not in FIXED else d["entity"]
    if kind == "activities" and set(d["fields"]) - set(ACTIVITY_COLUMNS):
        raise ValueError(f"export job {d['id']}: activity exports have the columns "
                         f"{', '.join(ACTIVITY_COLUMNS)}")
    clean: dict = {}
    for key, value in d["filter"].items():
        if key not in FILTERS[kind]:
            raise ValueError(f"export job {d['id']}: unknown filter {str(key)[:40]}")
        if key in RANGES:
            if not (isinstance(value, list) and len(value) == 2 and all(map(_number, value))):
                raise ValueError(f"export job {d['id']}: {key} is [start, end]")
            clean[key] = tuple(value)
        elif key in NUMBER_SETS:
            if not (isinstance(value, list) and all(isinstance(v, int) for v in value)):
                raise ValueError(f"export job {d['id']}: {key} is a list of ids")
            clean[key] = set(value)
        elif key in TEXT_SETS:
            if not _texts(value):
                raise ValueError(f"export job {d['id']}: {key} is a list of strings")
            clean[key] = set(value)
        else:
            clean[key] = value
    if kind in ("leads", "custom") and any(k in clean and not isinstance(clean[k], int)
                               for k in ("staticListId", "staticListName", "smartListId")):
        raise ValueError(f"export job {d['id']}: list filters are list ids")
    if kind == "program members" and not isinstance(clean.get("programId", 0), int):
        raise ValueError(f"export job {d['id']}: programId is a program id")
    d["filter"] = clean
    d["file"] = d["file"].encode() if d["file"] is not None else None
    return ExportJob(**d)


def batch_to_dict(batch: ImportBatch) -> dict:
    data = dict(vars(batch))
    data["failures"] = [[row, why] for row, why in batch.failures]
    data["warnings"] = [[row, why] for row, why in batch.warnings]
    return data


def _reports(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(r, list) and len(r) == 2 and _texts(r[0]) and isinstance(r[1], str)
        for r in value)


def batch_from_dict(data: object, custom: set[str], programs: set[int]) -> ImportBatch:
    if not isinstance(data, dict) or set(data) != set(ImportBatch.__dataclass_fields__):
        raise ValueError("an import batch has the fields "
                         f"{sorted(ImportBatch.__dataclass_fields__)}")
    d: dict[str, Any] = dict(data)
    opts = d["options"]
    ok = (isinstance(d["id"], int) and not isinstance(d["id"], bool) and d["id"] > 0
          and d["entity"] in ("leads", "program members", *custom)
          and d["format"] in DELIMITERS and _texts(d["header"]) and d["header"]
          and isinstance(d["rows"], list) and all(_texts(r) for r in d["rows"])
          and isinstance(opts, dict) and _number(d["created_at"], optional=False)
          and _number(d["done_at"], optional=False) and d["status"] in BATCH_STATES
          and isinstance(d["processed"], int) and isinstance(d["message"], str)
          and _reports(d["failures"]) and _reports(d["warnings"]))
    if ok and d["entity"] == "leads":
        ok = isinstance(opts.get("lookupField"), str) and \
            isinstance(opts.get("partitionName"), str | None) and \
            isinstance(opts.get("listId"), int | None)
    elif ok and d["entity"] == "program members":
        ok = opts.get("programId") in programs and isinstance(opts.get("status"), str)
    if not ok:
        raise ValueError(f"import batch {str(d.get('id'))[:40]}: a field has the wrong type")
    d["failures"] = [(row, why) for row, why in d["failures"]]
    d["warnings"] = [(row, why) for row, why in d["warnings"]]
    return ImportBatch(**d)
