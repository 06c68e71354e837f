"""Content Builder's asset queries: a condition tree (simple conditions on a property,
dotted for sub-properties, joined by AND/OR), a sort and a page, evaluated over the assets as
the API renders them. The views read `$filter`/`$orderBy` (GET) and the query document
(POST .../assets/query) into these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

OPERATORS = ("equal", "notEqual", "lessThan", "lessThanOrEqual", "greaterThan",
             "greaterThanOrEqual", "like", "contains", "startsWith", "in", "isNull",
             "isNotNull")
MAX_DEPTH = 10


class QueryError(ValueError):
    """A query SFMC would refuse (400)."""


@dataclass(frozen=True)
class Condition:
    prop: str
    operator: str
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Both:
    operator: str  # AND | OR
    left: Condition | Both
    right: Condition | Both


Query = Condition | Both


def value_of(asset: dict, prop: str) -> Any:
    """A property of a rendered asset, `a.b` reading into objects, without case."""
    current: Any = asset
    for part in prop.split("."):
        if not isinstance(current, dict):
            return None
        current = next((v for k, v in current.items() if k.lower() == part.lower()), None)
    return current


def matcher(query: Query | None, depth: int = 0) -> Callable[[dict], bool]:
    if query is None:
        return lambda asset: True
    if depth > MAX_DEPTH:
        raise QueryError("The query nests too deeply")
    if isinstance(query, Both):
        left, right = matcher(query.left, depth + 1), matcher(query.right, depth + 1)
        if query.operator.upper() == "AND":
            return lambda asset: left(asset) and right(asset)
        if query.operator.upper() == "OR":
            return lambda asset: left(asset) or right(asset)
        raise QueryError("logicalOperator is AND or OR")
    return _condition(query)


def _condition(condition: Condition) -> Callable[[dict], bool]:
    op, prop, values = condition.operator, condition.prop, condition.values
    if op not in OPERATORS:
        raise QueryError(f"Unknown operator {op[:40]}")
    if op in ("isNull", "isNotNull"):
        return lambda asset: (value_of(asset, prop) in (None, "")) == (op == "isNull")
    if not values:
        raise QueryError(f"The condition on {prop[:60]} has no value")
    wanted = [_comparable(v) for v in values]

    def test(asset: dict) -> bool:
        held = _comparable(value_of(asset, prop))
        if held is None:
            return op == "notEqual"
        first = wanted[0]
        try:
            if op == "equal":
                return held == first
            if op == "notEqual":
                return held != first
            if op == "in":
                return held in wanted
            if op in ("like", "contains"):
                return str(first).strip("%") in str(held)
            if op == "startsWith":
                return str(held).startswith(str(first))
            return {"lessThan": held < first, "lessThanOrEqual": held <= first,
                    "greaterThan": held > first, "greaterThanOrEqual": held >= first}[op]
        except TypeError:  # a number against text: no match, as no value compares so
            return False

    return test


def _comparable(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.lstrip("-").isascii() and text.lstrip("-").isdigit() and len(text) < 19:
        return int(text)
    return text.lower()


def sort_key(prop: str) -> Callable[[dict], tuple]:
    def key(asset: dict) -> tuple:
        value = _comparable(value_of(asset, prop))
        return (value is None, str(type(value)), value if value is not None else 0)
    return key


def run(assets: list[dict], query: Query | None, sort: list[tuple[str, bool]], page: int,
        size: int, fields: list[str] | None) -> tuple[int, list[dict]]:
    """How many assets match, and one page of them (only `fields`, with id, when given)."""
    keep = matcher(query)
    found = [a for a in assets if keep(a)]
    for prop, descending in reversed(sort or [("id", False)]):
        found.sort(key=sort_key(prop), reverse=descending)
    chunk = found[(page - 1) * size: page * size]
    if fields:
        chunk = [{k: v for k, v in a.items() if k == "id" or k.lower() in
                  {f.lower() for f in fields}} for a in chunk]
    return len(found), chunk
