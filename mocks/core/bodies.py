"""What every vendor checks before a request body or number reaches a model.

Real vendor fronts refuse bodies that are too large or too deeply nested, and JSON that is not
JSON (NaN, Infinity). Here that is one parser for every vendor and the admin API: a body that
fails it is the vendor's "bad request" answer, never an exception deep inside a model, and
nothing non-finite or absurdly nested is ever stored (so state stays serialisable).
"""

from __future__ import annotations

import json
import math
import re

MAX_DEPTH = 32  # nesting of objects/arrays; vendor payloads need 4
MAX_INT = 2**63 - 1  # what the vendors' 64-bit ids hold
DIGITS = re.compile(r"[+-]?[0-9]+")


class BadBody(ValueError):
    """The body is not acceptable JSON; the message says why in plain words."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadBody(f"the number {text[:40]} is out of range")
    return value


def _no_constants(name: str) -> float:
    raise BadBody(f"{name} is not a JSON value")


_DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_no_constants)  # made once:
# `json.loads` with hooks builds a decoder and its scanner on every call


def parse_json(data: bytes | str, max_depth: int = MAX_DEPTH) -> object:
    """The JSON value of a body; BadBody when it is not JSON, holds NaN/Infinity, numbers out
    of range, or nests deeper than `max_depth`."""
    try:
        if isinstance(data, bytes | bytearray):  # as json.loads reads bytes
            data = data.decode(json.detect_encoding(data), "surrogatepass")
        elif data.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", data, 0)
        value = _DECODER.decode(data)
    except BadBody:
        raise
    except RecursionError:
        raise BadBody(f"the body nests deeper than {max_depth} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadBody(f"not valid JSON: {str(exc)[:120]}") from None
    if too_deep(value, max_depth):
        raise BadBody(f"the body nests deeper than {max_depth} levels")
    return value


def too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether objects/arrays nest deeper than `limit`: a walk level by level (no recursion
    to exhaust). Exact type checks: parsed JSON holds plain dicts and lists only, and this
    runs on every batch a vendor receives."""
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        deeper = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                kind = type(child)
                if kind is dict or kind is list:
                    deeper.append(child)
        level = deeper
    return False


def whole_number(value: object, low: int = -MAX_INT, high: int = MAX_INT) -> int | None:
    """`value` as an int when it is one (an int, a whole float, or digits), within bounds;
    None otherwise. Booleans are not numbers here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > 20 or not DIGITS.fullmatch(text):  # ASCII only: '¹'.isdigit() too
            return None
        value = int(text)
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None
