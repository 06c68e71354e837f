"""Retrieve filters as the model reads them: a tree of `Simple` parts (property, operator,
values) and `Complex` parts (AND/OR over operands), which the SOAP views build from
`SimpleFilterPart` and `ComplexFilterPart`, turned here into a predicate over a record
(property name -> typed value).

Values compare by the property's type, which the object table (or a data extension's
column) gives: numbers, dates, booleans, text without case as SFMC's SQL collation does. A
filter on a property the object does not have, or a value its type cannot hold, is an error
of the whole Retrieve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]
Predicate = Callable[[Record], bool]
# a property's type for a filter's text value: the typed value, ValueError when it cannot be
Coerce = Callable[[str, str], Any]
OPERATORS = ("equals", "notEquals", "greaterThan", "lessThan", "greaterThanOrEqual",
             "lessThanOrEqual", "isNull", "isNotNull", "IN", "like", "between",
             "beginsWith", "endsWith", "contains", "notContains")
MAX_DEPTH = 20  # nested ComplexFilterParts


class FilterError(ValueError):
    """A filter SFMC would refuse; the Retrieve answers `Error: <message>`."""


@dataclass(frozen=True)
class Simple:
    prop: str
    operator: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Complex:
    operator: str  # AND | OR
    parts: tuple[Simple | Complex, ...]


Filter = Simple | Complex


def predicate(part: Filter | None, known: Callable[[str], bool], coerce: Coerce) -> Predicate:
    """The predicate of a filter (None: every record)."""
    if part is None:
        return lambda record: True
    return _part(part, known, coerce, 0)


def _part(part: Filter, known: Callable[[str], bool], coerce: Coerce, depth: int) -> Predicate:
    if depth > MAX_DEPTH:
        raise FilterError("The filter is nested too deeply")
    if isinstance(part, Complex):
        return _complex(part, known, coerce, depth)
    return _simple(part, known, coerce)


def _complex(part: Complex, known: Callable[[str], bool], coerce: Coerce,
             depth: int) -> Predicate:
    operator = part.operator.upper()
    if operator not in ("AND", "OR"):
        raise FilterError("LogicalOperator must be AND or OR")
    parts = [_part(o, known, coerce, depth + 1) for o in part.parts]
    if len(parts) < 2:
        raise FilterError("A ComplexFilterPart needs a LeftOperand and a RightOperand")
    if operator == "AND":
        return lambda record: all(p(record) for p in parts)
    return lambda record: any(p(record) for p in parts)


def _simple(part: Simple, known: Callable[[str], bool], coerce: Coerce) -> Predicate:
    name, operator, raw = part.prop, part.operator, list(part.values)
    if not name or not known(name):
        raise FilterError(f"The filter property '{name[:100]}' is not a property of this "
                          f"object")
    if operator not in OPERATORS:
        raise FilterError(f"Unsupported SimpleOperator '{operator[:40]}'")
    if operator in ("isNull", "isNotNull"):
        wanted_null = operator == "isNull"
        return lambda record: _empty(record.get(name)) == wanted_null
    if not raw:
        raise FilterError(f"The filter on '{name}' has no Value")
    if operator in ("like", "beginsWith", "endsWith", "contains", "notContains"):
        return _text_match(name, operator, raw[0])
    try:
        values = [coerce(name, v) for v in raw]
    except ValueError as exc:
        raise FilterError(f"The filter value for '{name}' is not valid: {exc}") from None
    if operator == "between":
        if len(values) != 2:
            raise FilterError("between takes two values")
        low, high = values
        return lambda record: _compare(record.get(name), low) >= 0 and \
            _compare(record.get(name), high) <= 0
    if operator == "IN":
        return lambda record: any(_compare(record.get(name), v) == 0 for v in values)
    value = values[0]
    tests = {"equals": lambda c: c == 0, "notEquals": lambda c: c != 0,
             "greaterThan": lambda c: c > 0, "lessThan": lambda c: c < 0,
             "greaterThanOrEqual": lambda c: c >= 0, "lessThanOrEqual": lambda c: c <= 0}
    test = tests[operator]
    if operator == "notEquals":
        return lambda record: _empty(record.get(name)) or test(_compare(record.get(name), value))
    return lambda record: not _empty(record.get(name)) and \
        test(_compare(record.get(name), value))


def _empty(value: object) -> bool:
    return value is None or value == ""


def _compare(left: object, right: object) -> int:
    """-1, 0, 1; text without case; a value missing or of another type sorts first."""
    if _empty(left):
        return -1
    if isinstance(left, str) and isinstance(right, str):
        left, right = left.lower(), right.lower()
    try:
        return (left > right) - (left < right)  # type: ignore[operator]  # same-typed values
    except TypeError:
        return -1


def _text_match(name: str, operator: str, pattern: str) -> Predicate:
    wanted = pattern.lower()
    tests: dict[str, Callable[[str], bool]] = {
        "like": lambda v: like(v, wanted), "beginsWith": lambda v: v.startswith(wanted),
        "endsWith": lambda v: v.endswith(wanted), "contains": lambda v: wanted in v,
        "notContains": lambda v: wanted not in v}
    test = tests[operator]
    negate = operator == "notContains"

    def matches(record: Record) -> bool:
        value = record.get(name)
        return negate if _empty(value) else test(str(value).lower())

    return matches


def like(value: str, pattern: str) -> bool:
    """SQL LIKE (`%` any run, `_` one character) without backtracking: each `%`-separated
    segment at its leftmost place, in order (linear in the value times the pattern)."""
    parts = pattern.split("%")

    def at(i: int, seg: str) -> bool:
        return len(value) - i >= len(seg) and all(
            c == "_" or value[i + j] == c for j, c in enumerate(seg))

    if len(parts) == 1:
        return len(value) == len(pattern) and at(0, pattern)
    first, *middle, last = parts
    if not at(0, first):
        return False
    position = len(first)
    for seg in middle:
        found = next((i for i in range(position, len(value) - len(seg) + 1) if at(i, seg)),
                     -1)
        if found < 0:
            return False
        position = found + len(seg)
    return len(value) - position >= len(last) and at(len(value) - len(last), last)

