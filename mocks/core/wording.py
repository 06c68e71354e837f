"""Pydantic's error kinds in plain words, shared by the mocks' fault validation and the
scenario loader, so a wrong type reads the same wherever it is written."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

TYPE_WORDS = {"string_type": "expected text", "int_type": "expected a whole number",
              "int_parsing": "expected a whole number", "float_type": "expected a number",
              "float_parsing": "expected a number", "finite_number": "expected a finite number",
              "bool_type": "expected true or false"}
BOUNDS = {"greater_than": "more than", "greater_than_equal": "at least",
          "less_than": "less than", "less_than_equal": "at most"}
PLAIN = {**TYPE_WORDS, "string_too_long": "too long",
         "string_pattern_mismatch": "letters, digits, '.', '_' or '-' only",
         "dict_type": "expected an object", "model_type": "expected an object",
         "list_type": "expected a list", "missing": "required"}


def plain_errors(exc: ValidationError, what: str, model: type[BaseModel] | None = None) -> str:
    """A pydantic error as a person reads it: `fault field 'tenant': expected text`, with
    "did you mean" (from `model`'s settings) for an unknown one."""
    parts = []
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]
               if not str(p).startswith(("function-", "constrained", "str", "int", "float",
                                         "literal[", "list[", "dict["))]
        where = ".".join(loc)
        text = error_text(error, loc[-1] if loc else "", model)
        parts.append(f"{what} field '{where}': {text}" if where else f"{what}: {text}")
    return "; ".join(dict.fromkeys(parts))


def error_text(error: Any, key: str, model: type[BaseModel] | None) -> str:
    """One pydantic error in plain words; an unknown `key` with the closest setting of
    `model` (the object it was found in)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        names = list(model.model_fields) if model is not None else []
        close = difflib.get_close_matches(key, names, n=1)
        return "not a setting here" + (f"; did you mean '{close[0]}'?" if close else
                                       f" (settings: {', '.join(names)})" if names else "")
    if kind == "literal_error":
        return f"use one of {ctx.get('expected', '')}"
    if kind in BOUNDS:
        return f"must be {BOUNDS[kind]} {next(iter(ctx.values()), '')}"
    return PLAIN.get(kind, error["msg"])
