"""Retrieve filters: `SimpleFilterPart` (Property, SimpleOperator, Value[] or DateValue[]) and
`ComplexFilterPart` (LeftOperand, LogicalOperator AND|OR, RightOperand, AdditionalOperands),
turned into a predicate over a record (property name -> typed value).

Values compare by the property's type: a data extension column's (Number, Decimal, Date,
Boolean through the column's own check), an object property's (ID numbers, dates); text
without case, as SFMC's SQL collation does. A filter on a property the object type does not
have, or a value its type cannot hold, is an error of the whole Retrieve.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from .xml import kid, kids, local, text, texts, xsi_type

Record = dict[str, Any]
Predicate = Callable[[Record], bool]
# turns a filter's text value into the property's type; ValueError when it cannot
Coerce = Callable[[str, str], Any]
OPERATORS = ("equals", "notEquals", "greaterThan", "lessThan", "greaterThanOrEqual",
             "lessThanOrEqual", "isNull", "isNotNull", "IN", "like", "between",
             "beginsWith", "endsWith", "contains", "notContains")


class FilterError(ValueError):
    """A filter SFMC would refuse; the Retrieve answers `Error: <message>`."""


def predicate(part: Element | None, known: Callable[[str], bool], coerce: Coerce) -> Predicate:
    """The predicate of a Filter element (None: every record)."""
    if part is None:
        return lambda record: True
    return _part(part, known, coerce, 0)


def _part(part: Element, known: Callable[[str], bool], coerce: Coerce, depth: int) -> Predicate:
    if depth > 20:
        raise FilterError("The filter is nested too deeply")
    kind = xsi_type(part) or ("ComplexFilterPart" if kid(part, "LeftOperand") is not None
                              else "SimpleFilterPart")
    if kind == "ComplexFilterPart":
        return _complex(part, known, coerce, depth)
    if kind != "SimpleFilterPart":
        raise FilterError(f"Unsupported filter part type {kind}")
    return _simple(part, known, coerce)


def _complex(part: Element, known: Callable[[str], bool], coerce: Coerce,
             depth: int) -> Predicate:
    operator = (text(part, "LogicalOperator") or "").upper()
    if operator not in ("AND", "OR"):
        raise FilterError("LogicalOperator must be AND or OR")
    operands = [kid(part, "LeftOperand"), kid(part, "RightOperand")]
    extra = kid(part, "AdditionalOperands")
    if extra is not None:
        operands += list(kids(extra, "Operand"))
    parts = [_part(o, known, coerce, depth + 1) for o in operands if o is not None]
    if len(parts) < 2:
        raise FilterError("A ComplexFilterPart needs a LeftOperand and a RightOperand")
    if operator == "AND":
        return lambda record: all(p(record) for p in parts)
    return lambda record: any(p(record) for p in parts)


def _simple(part: Element, known: Callable[[str], bool], coerce: Coerce) -> Predicate:
    name = text(part, "Property") or ""
    operator = text(part, "SimpleOperator") or ""
    if not name or not known(name):
        raise FilterError(f"The filter property '{name[:100]}' is not a property of this "
                          f"object")
    if operator not in OPERATORS:
        raise FilterError(f"Unsupported SimpleOperator '{operator[:40]}'")
    raw = texts(kids(part, "Value")) + texts(kids(part, "DateValue"))
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


def element_name(element: Element) -> str:
    return local(element.tag) if isinstance(element.tag, str) else ""
