"""A program's asset-API fields in seeds and snapshots (workspace, tags, costs, email program
dates, approval, times), each checked so a restored program never breaks a later call."""

from __future__ import annotations

from datetime import date

from vendorsim.mocks.core.clock import iso_utc, parse_time

from .program_records import Program

DEFAULT_PROGRAM_FOLDER = 15  # /Marketing Activities/Default (assets/folders.py)


def _texts(value: object, keys: tuple[str, ...]) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), str) for k in keys)


def seed_asset_fields(program: Program, spec: dict) -> None:
    """Read the optional asset fields of a program seed (ValueError when one is wrong)."""
    where = f"program {program.id}"
    workspace = spec.get("workspace", "Default")
    if not isinstance(workspace, str) or not 0 < len(workspace) <= 255:
        raise ValueError(f"{where}: workspace is a name")
    program.workspace = workspace
    tags = spec.get("tags") or []
    if not isinstance(tags, list) or not all(_texts(t, ("tagType", "tagValue")) for t in tags):
        raise ValueError(f"{where}: tags are [{{tagType, tagValue}}]")
    program.tags = [{"tagType": t["tagType"], "tagValue": t["tagValue"]} for t in tags]
    costs = spec.get("costs") or []
    if isinstance(costs, list):  # a YAML scenario's dates arrive as dates
        costs = [{**c, "startDate": c["startDate"].isoformat()}
                 if isinstance(c, dict) and isinstance(c.get("startDate"), date) else c
                 for c in costs]
    if not isinstance(costs, list) or not all(
            _texts(c, ("startDate",)) and type(c.get("cost")) is int
            and isinstance(c.get("note", ""), str) for c in costs):
        raise ValueError(f"{where}: costs are [{{startDate, cost (whole), note}}]")
    program.costs = [{k: c[k] for k in ("startDate", "cost", "note") if k in c} for c in costs]
    for key, attr in (("startDate", "start_date"), ("endDate", "end_date")):
        value = spec.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{where}: {key} is an ISO-8601 date-time")
        setattr(program, attr, value)
    for key, attr in (("approved", "approved"), ("active", "active")):
        value = spec.get(key, False)
        if not isinstance(value, bool):
            raise ValueError(f"{where}: {key} is true or false")
        setattr(program, attr, value)
    try:
        if "createdAt" in spec:
            program.created_at = parse_time(spec["createdAt"])
        program.updated_at = parse_time(spec["updatedAt"]) if "updatedAt" in spec \
            else program.created_at
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"{where}: createdAt and updatedAt are ISO-8601") from None


def asset_fields(program: Program) -> dict:
    """What a snapshot keeps of a program's asset fields."""
    return {"workspace": program.workspace, "tags": [dict(t) for t in program.tags],
            "costs": [dict(c) for c in program.costs], "startDate": program.start_date,
            "endDate": program.end_date, "approved": program.approved,
            "active": program.active, "createdAt": iso_utc(program.created_at),
            "updatedAt": iso_utc(program.updated_at)}
