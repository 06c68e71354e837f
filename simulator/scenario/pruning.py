"""Validate a scenario so that one pass reports every mistake: a part whose own settings are
wrong (an audience, a destination, a step, a vendor instance, an expectation, a top-level
setting) is set aside and the rest validated again, so the rules between settings are still
checked on what remains. A reference to a part set aside is not reported a second time."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .messages import plain_errors
from .model import Scenario

ATTEMPTS = 8  # validations before giving up on what remains (each sets aside more)
PLACEHOLDERS = {"name": "scenario"}  # required top-level settings, kept to go on


@dataclass
class Validated:
    """What validation left: the scenario (None when nothing could be built), the problems
    (locations in the file), the names of the parts set aside, the data the scenario was
    built from, and how to turn a location in that data into one in the file."""

    scenario: Scenario | None
    problems: list[tuple[tuple, str]]
    set_aside: set[str] = field(default_factory=set)
    data: dict = field(default_factory=dict)
    to_file: Callable[[tuple], tuple] = lambda loc: loc


def validate_what_can_be(data: dict) -> Validated:
    try:
        return Validated(Scenario.model_validate(data), [], set(), data)
    except ValidationError as exc:
        first = list(plain_errors(exc, data))
    work = copy.deepcopy(data)
    origin: dict[tuple, list[int]] = {}  # a list's path -> original index of each item left
    problems = list(first)
    set_aside: set[str] = set()
    found = first

    def to_file(loc: tuple) -> tuple:
        return _original(loc, origin)

    for _ in range(ATTEMPTS):
        units = {_unit(loc) for loc, _ in found}
        if None in units:  # a problem of the whole file: nothing to set aside
            return Validated(None, problems, set_aside)
        for unit in sorted((u for u in units if u is not None), key=lambda u: (len(u), u),
                           reverse=True):
            set_aside |= _names(_get(data, unit), data)
            _remove(work, unit, origin)
        try:
            return Validated(Scenario.model_validate(work), problems, set_aside, work, to_file)
        except ValidationError as exc:
            found = [(to_file(loc), text) for loc, text in plain_errors(exc, work)]
            problems += [p for p in found if p not in problems]
    return Validated(None, problems, set_aside)


def _unit(loc: tuple) -> tuple | None:
    """The part to set aside for a problem at `loc`: the item of the first list on the way
    (an audience, a step, a vendor instance, a person), else the top-level setting."""
    if not loc:
        return None
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            return loc[:depth + 1]
        if depth == 1 and loc[0] in ("vendors", "data", "expectations", "cdp"):
            return loc[:2]
    return loc[:1]


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _names(item: Any, data: dict) -> set[str]:
    """The names a set-aside part is referred to by elsewhere: its ids, and for a
    destination the names of the audiences it sends (the lists named after them)."""
    if isinstance(item, list):  # a whole vendor's instances
        return {name for part in item for name in _names(part, data)}
    if not isinstance(item, dict):
        return set()
    keys = ("id", "munchkin_id", "subdomain", "client_id", "personId", "accountId")
    names = {str(item[k]) for k in keys if isinstance(item.get(k), str | int)
             and not isinstance(item.get(k), bool)}
    sent = item.get("audiences")
    audiences = data.get("audiences")
    if isinstance(sent, list) and isinstance(audiences, list):
        names |= {str(a.get("name")) for a in audiences
                  if isinstance(a, dict) and a.get("id") in sent and a.get("name")}
    return names


def _original(loc: tuple, origin: dict[tuple, list[int]]) -> tuple:
    """A location in the pruned copy, as a location in the file."""
    out: list = []
    for part in loc:
        kept = origin.get(tuple(out))
        if isinstance(part, int) and kept is not None and part < len(kept):
            part = kept[part]
        out.append(part)
    return tuple(out)


def _remove(work: dict, unit: tuple, origin: dict[tuple, list[int]]) -> None:
    """Take the part at `unit` (a location in the file) out of the pruned copy."""
    parent_path, last = unit[:-1], unit[-1]
    parent = _get(work, _current(parent_path, origin))
    if isinstance(last, int) and isinstance(parent, list):
        kept = origin.setdefault(parent_path, list(range(len(parent))))
        if last in kept:
            index = kept.index(last)
            del parent[index]
            del kept[index]
    elif isinstance(parent, dict) and last in parent:
        if not parent_path and last in PLACEHOLDERS:
            parent[last] = PLACEHOLDERS[last]
        else:
            del parent[last]


def _current(path: tuple, origin: dict[tuple, list[int]]) -> tuple:
    """A location in the file, as a location in the pruned copy."""
    out: list = []
    file_path: list = []
    for part in path:
        kept = origin.get(tuple(file_path))
        file_path.append(part)
        if isinstance(part, int) and kept is not None:
            part = kept.index(part) if part in kept else len(kept)
        out.append(part)
    return tuple(out)
