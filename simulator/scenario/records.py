"""The CDP's data as a scenario gives it (inline, in JSONL/CSV files beside it, generated),
read once with where each record came from, so that a mistake in a data file is reported at
that file's line and one inline at the scenario's; and the rules the records must keep
before a run can use them: every person, account and opportunity has an id of its own
(text or a whole number, used once), every reference between records names one that exists,
event times can be read."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from .budget import BYTES_PER_FILE_BYTE, Budget, size
from .data import FromFile
from .model import Scenario

SCOPES = ("person", "account", "opportunity", "event")
PART = {"person": "people", "account": "accounts", "opportunity": "opportunities",
        "event": "events"}
ID_KEY = {"person": "personId", "account": "accountId", "opportunity": "opportunityId"}
MAX_FILE = 2 * 1024**3
MAX_LINE = 1024**2  # characters of one JSONL record: a longer line is no profile
MAX_NESTING = 32  # levels of lists and objects in one record; profiles are flat
Found = Iterator[tuple[tuple, str]]


@dataclass
class DataRecords:
    """Each scope's records with their origin: a location in the scenario (inline) or
    `("@file", path, line)`; and the problems met reading the files."""

    records: dict[str, list[tuple[dict, tuple]]] = field(
        default_factory=lambda: {scope: [] for scope in SCOPES})
    problems: list[tuple[tuple, str]] = field(default_factory=list)
    file_bytes: int = 0  # the size of the data files read

    def plain(self, scope: str) -> list[dict]:
        return [record for record, _ in self.records[scope]]


def read_data(s: Scenario, base: Path | None, budget: Budget | None = None) -> DataRecords:
    """Every record with its origin; a file too large for the memory budget is not read."""
    budget = budget or Budget.default()
    out = DataRecords()
    for scope in SCOPES:
        part = getattr(s.data, PART[scope])
        where = ("data", PART[scope])
        if not isinstance(part, FromFile):
            out.records[scope] = [(r, (*where, i)) for i, r in enumerate(part)]
            continue
        if base is None:
            continue
        path = base / part.file
        try:
            path = path.resolve()
            if not path.is_file():
                out.problems.append(((*where, "file"), f"no file {path}"))
                continue
            length = path.stat().st_size
            if length > MAX_FILE:
                out.problems.append(((*where, "file"), f"{path} is larger than 2 GB"))
                continue
            too_much = budget.over(length * BYTES_PER_FILE_BYTE, f"{path.name} ({size(length)})")
            if too_much:  # refused unread: a sparse 1.5 GB file is no MemoryError
                out.problems.append(((*where, "file"), f"{too_much}: split the data or "
                                                        "use fewer records"))
                continue
            out.file_bytes += length
            for record, line, problem in file_records(path):
                if problem:
                    out.problems.append((("@file", path, line), problem))
                else:
                    out.records[scope].append((record, ("@file", path, line)))
        except RuntimeError:  # Python 3.11's resolve() on a symbolic link loop
            out.problems.append(((*where, "file"), f"cannot read {path}: a symbolic link "
                                                    "loop"))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            out.problems.append(((*where, "file"), f"cannot read {path}: {exc}"))
    return out


def file_records(path: Path) -> Iterator[tuple[dict, int, str]]:
    """(record, line, problem) for each record of a CSV (header row) or JSONL file. Lines
    end at \\n, \\r\\n or \\r only, as editors number them (a U+2028 inside a JSON string
    is text); a line longer than MAX_LINE stops the reading there."""
    with path.open(newline="" if path.suffix == ".csv" else None, encoding="utf-8") as handle:
        if path.suffix == ".csv":
            reader = csv.DictReader(handle)
            for row in reader:
                if None in row:
                    yield {}, reader.line_num, "more cells than the header has columns"
                else:
                    yield dict(row), reader.line_num, ""
            return
        number = 0
        while text := handle.readline(MAX_LINE + 1):
            number += 1
            if len(text) > MAX_LINE and not text.endswith("\n"):
                yield {}, number, (f"this line is longer than {MAX_LINE:,} characters (one "
                                   "JSON object per line); the rest of the file is not read")
                return
            if text.strip():
                yield _record(text, number)


def _record(text: str, number: int) -> tuple[dict, int, str]:
    deep = (f"nested more than {MAX_NESTING} levels deep: a record's values are text, "
            "numbers, or small lists and objects")
    try:
        record = json.loads(text)
    except ValueError as exc:
        return {}, number, f"not JSON ({str(exc)[:80]}): one JSON object per line"
    except RecursionError:  # nested beyond what the parser follows
        return {}, number, deep
    if not isinstance(record, dict):
        return {}, number, "each line is one JSON object ({\"personId\": ...})"
    if text.count("{") + text.count("[") > MAX_NESTING and _depth(record) > MAX_NESTING:
        return {}, number, deep
    return record, number, ""


def _depth(value: object) -> int:
    """Levels of lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item \
            if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if level + 1 > MAX_NESTING:
                    return level + 1
                stack.append((child, level + 1))
        deepest = max(deepest, level)
    return deepest


# -- the rules the records keep --------------------------------------------------------------
def _an_id(value: object) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool) and str(value) != ""


def check_records(s: Scenario, data: DataRecords) -> Found:
    """Ids present, of a usable type and unique; references that resolve; readable times."""
    yield from data.problems
    ids: dict[str, set[str]] = {}
    for scope in ("person", "account", "opportunity"):
        key = ID_KEY[scope]
        seen: dict[str, tuple] = {}
        required = scope != "opportunity"
        for record, origin in data.records[scope]:
            value = record.get(key)
            if value is None and not required:
                continue
            if value is None:
                yield _at(origin, key), (f"this {scope} has no {key}: every {scope} needs "
                                         "one (text or a whole number, used once)")
            elif not _an_id(value):
                yield _at(origin, key), (f"{key} must be text or a whole number, not "
                                         f"{type(value).__name__} {str(value)[:40]!r}")
            elif str(value) in seen:
                yield _at(origin, key), (f"{key} '{value}' is used twice (also "
                                         f"{_where(seen[str(value)])}); ids must be unique")
            else:
                seen[str(value)] = origin
        ids[scope] = set(seen)
    accounts_known = (bool(data.records["account"]) or s.data.generate is not None) and \
        not any(getattr(x, "account_mapping", None) for x in s.sources)
    for scope, key, target in (("person", "accountId", "account"),
                               ("opportunity", "accountId", "account"),
                               ("event", "personId", "person")):
        for record, origin in data.records[scope]:
            value = record.get(key)
            if value is None:
                if scope != "person":
                    yield _at(origin, key), (f"this {scope} has no {key}: say which "
                                             f"{target} it belongs to")
                continue
            if not _an_id(value):
                yield _at(origin, key), f"{key} must be text or a whole number"
            elif (target == "person" or accounts_known) and str(value) not in ids[target] \
                    and not generated_id(s, target, str(value)):
                yield _at(origin, key), (f"no {target} '{value}' in this scenario's data: "
                                         f"add it under data.{PART[target]}")
    for record, origin in data.records["event"]:
        stamp = record.get("timestamp")
        if stamp is not None and event_time(str(stamp)) is None:
            yield _at(origin, "timestamp"), (f"'{str(stamp)[:40]}' is not a time: write "
                                             "2026-01-05T09:00:00Z")


def _at(origin: tuple, key: str) -> tuple:
    return origin if origin[:1] == ("@file",) else (*origin, key)


def _where(origin: tuple) -> str:
    if origin[:1] == ("@file",):
        return f"{Path(origin[1]).name} line {origin[2]}"
    return ".".join(str(p) for p in origin)


def event_time(stamp: str) -> float | None:
    """ISO-8601, or SFMC's rendering of Date columns (`1/5/2026 8:00:00 AM`); no zone: UTC;
    None when it is neither."""
    from datetime import UTC

    try:
        parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.strptime(stamp, "%m/%d/%Y %I:%M:%S %p")
        except ValueError:
            return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


# -- what the records hold -------------------------------------------------------------------
@cache
def generated_fields() -> dict[str, frozenset[str]]:
    from vendorsim.simulator.generate import GeneratorConfig, ProfileGenerator

    block = next(ProfileGenerator(GeneratorConfig(count=1, events_per_person=3,
                                                  opportunities_per_account=3,
                                                  sends_per_person=12)).blocks())
    event = {k: v for e in block.events for k, v in e.items()}  # every kind's fields
    return {"person": frozenset(block.people[0]), "account": frozenset(block.account),
            "opportunity": frozenset(block.opportunities[0] if block.opportunities else {}),
            "event": frozenset(event)}


def known_fields(s: Scenario, records: dict[str, list[dict]]) -> dict[str, set[str]]:
    """What each scope's records can hold: inline and file data, generated data, attributes
    steps set, what sources write into profiles and events."""
    fields: dict[str, set[str]] = {scope: set() for scope in SCOPES}
    for scope, found in records.items():
        for record in found:
            fields[scope].update(record)
    if not any(fields.values()) and s.data.generate is None and not s.sources:
        return fields  # no data at all: nothing to check names against
    if s.data.generate is not None:
        for scope, names in generated_fields().items():
            fields[scope].update(names)
    for scope, ids in (("person", {"personId"}), ("account", {"accountId"}),
                       ("event", {"personId", "type", "timestamp"})):
        if fields[scope]:
            fields[scope].update(ids)
    for step in s.timeline:
        if step.action == "change":
            fields["account" if step.account else "person"].update(step.set)
        elif step.action == "event":
            fields["event"].update(step.event)
    for source in s.sources:
        kind = getattr(source, "kind", "profiles")
        fields["event" if kind == "events" else "person"].update(source.mapping.values())
        account_mapping = getattr(source, "account_mapping", None)
        if account_mapping:  # a Marketo source's companies become accounts (B-B2B-01)
            fields["person"].add("accountId")
            fields["account"].update({"accountId", *account_mapping.values()})
            fields["opportunity"].update({"opportunityId", "accountId", "roles", *getattr(
                source, "opportunity_mapping", {}).values()})
    return fields


def ids_of(records: dict[str, list[dict]], scope: str) -> set[str]:
    """The person or account ids the data has (generated ids are checked by pattern)."""
    key = "personId" if scope == "person" else "accountId"
    return {str(r.get(key)) for r in records[scope] if _an_id(r.get(key))}


def generated_id(s: Scenario, scope: str, value: str) -> bool:
    """Whether `value` is an id `data: generate:` produces (P-000000001, ACC-0000001)."""
    spec = s.data.generate
    if spec is None or scope not in ("person", "account"):
        return False
    prefix, width, count = (("P-", 9, spec.count) if scope == "person" else
                            ("ACC-", 7, spec.accounts or max(1, round(spec.count / 20))))
    digits = value[len(prefix):]
    return value.startswith(prefix) and len(digits) == width and digits.isdigit() and \
        1 <= int(digits) <= count


def records_of(data: DataRecords) -> dict[str, list[dict[str, Any]]]:
    return {scope: data.plain(scope) for scope in SCOPES}
