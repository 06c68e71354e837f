"""The one JSON body parser every vendor uses (mocks/core/bodies.py) reads what `json.loads`
reads, bytes in any JSON encoding or text, and refuses NaN, Infinity, numbers out of range
and deep nesting as BadBody, never another exception."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from vendorsim.mocks.core.bodies import MAX_DEPTH, BadBody, parse_json

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                          allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


def expected(data: bytes | str) -> object:
    """What json.loads makes of it, or BadBody where the parser must refuse it."""
    try:
        value = json.loads(data, parse_constant=lambda name: math.nan)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return BadBody
    if _bad_numbers(value) or _depth(value) > MAX_DEPTH:
        return BadBody
    return value


def _bad_numbers(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_bad_numbers(v) for v in value.values())
    if isinstance(value, list):
        return any(_bad_numbers(v) for v in value)
    return False


def _depth(value: object) -> int:
    children = value.values() if isinstance(value, dict) else value \
        if isinstance(value, list) else None
    return 0 if children is None else 1 + max((_depth(c) for c in children), default=0)


def parsed(data: bytes | str) -> object:
    try:
        return parse_json(data)
    except BadBody:
        return BadBody


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES, encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le",
                                                    "utf-32-be", "utf-8-sig", "text"]))
def test_json_reads_as_json_loads_reads_it(value: object, encoding: str) -> None:
    text = json.dumps(value)
    data: bytes | str = text if encoding == "text" else text.encode(encoding)
    assert parsed(data) == expected(data) == value


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=40), st.text(max_size=40),
                      st.sampled_from(["\ufeff{}", "[NaN]", "[-Infinity]", "[1e999]",
                                       "[" * 40 + "]" * 40, '{"a": 1', "\ud800"])))
def test_anything_else_is_read_or_refused_as_json_loads_would(data: bytes | str) -> None:
    assert parsed(data) == expected(data)
