"""Validation errors in plain words: what is wrong at this place and how to fix it, never a
library's internal wording ("Unable to extract tag using discriminator", "instance of
Condition"), with "did you mean" for a misspelt setting."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from vendorsim.mocks.core.wording import BOUNDS, TYPE_WORDS

PLAIN = {
    **TYPE_WORDS,
    "dict_type": "expected a mapping of settings (name: value)",
    "model_type": "expected a mapping of settings (name: value)",
    "model_attributes_type": "expected a mapping of settings (name: value)",
    "list_type": "expected a list (items starting with '- ')",
    "int_from_float": "expected a whole number",
    "bool_parsing": "expected true or false",
    "datetime_type": "expected a time such as 2026-01-05T09:00:00Z",
    "datetime_parsing": "expected a time such as 2026-01-05T09:00:00Z",
    "datetime_from_date_parsing": "expected a time such as 2026-01-05T09:00:00Z",
    "missing": "this setting is required: add it",
}


def suggest(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'munchkin_id'?` when a choice is close, else ''."""
    choices = [c for c in choices if c]
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not found and word:  # a prefix also counts: munchkin -> munchkin_id
        found = [c for c in choices if c.startswith(word) or word.startswith(c)][:1]
    return f"; did you mean '{found[0]}'?" if found else ""


def model_at(root: type[BaseModel], data: Any, loc: tuple) -> type[BaseModel] | None:
    """The model whose settings live at `loc` (to list what may be written there): each list
    item's own (a Bombora destination after a Marketo one), None where keys are free."""
    annotation: Any = root
    value = data
    for part in loc:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
            annotation = _item(annotation)
            continue
        fields = getattr(_pick(annotation, value), "model_fields", None) or {}
        name = next((n for n, f in fields.items() if part in (n, f.alias)), None)
        if name is None:
            return None
        value = value.get(part) if isinstance(value, dict) else None
        annotation = fields[name].annotation
    return _pick(annotation, value)


def _item(annotation: Any) -> Any:
    """What a list annotation holds (through Optional, unions and Annotated)."""
    for arg in [annotation, *typing.get_args(annotation)]:
        if typing.get_origin(arg) is typing.Annotated:
            arg = typing.get_args(arg)[0]
        if typing.get_origin(arg) in (list, tuple):
            return typing.get_args(arg)[0]
    return None


def _pick(annotation: Any, value: Any) -> type[BaseModel] | None:
    """The model class an annotation stands for, for this value (optionals, tagged unions
    chosen by the value's `type`); None for a list, a free mapping or a plain value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _pick(args[0], value)
    if origin is None or origin in (list, tuple, dict):
        return None
    models = [m for m in (_pick(a, value) for a in args) if m is not None]
    kind = value.get("type") if isinstance(value, dict) else None
    for model in models:
        tag = model.model_fields.get("type")
        if tag is not None and kind in typing.get_args(tag.annotation):
            return model
    return models[0] if models else None


def plain_errors(exc: ValidationError, data: Any,
                 root: type[BaseModel] | None = None) -> Iterator[tuple[tuple, str]]:
    """(location, message) for each pydantic error, in plain words."""
    from .model import Scenario

    root = root or Scenario
    for error in exc.errors():
        loc = _in_data(tuple(p for p in error["loc"] if not _internal(p)), data)
        kind = error["type"]
        ctx = error.get("ctx") or {}
        if kind == "extra_forbidden":
            parent = model_at(root, data, loc[:-1])
            allowed = sorted(parent.model_fields) if parent else []
            hint = suggest(str(loc[-1]), allowed)
            text = f"'{loc[-1]}' is not a setting here{hint}" + (
                "" if hint or not allowed else f" (settings: {', '.join(allowed)})")
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            tags = ctx.get("expected_tags", "")
            given = ctx.get("tag", "")
            if given == "sfmc_v1":
                text = ("the SFMC V1 source is deprecated (January 2026); use type: sfmc, "
                        "the V2 source (B-SFMC-04)")
            else:
                text = (f"type must be one of {tags}" + (f", not '{given}'" if given else
                                                          ": add a 'type:' line"))
            loc = (*loc, "type") if given else loc
        elif kind == "literal_error":
            given = error.get("input")
            expected = ctx.get("expected", "")
            text = f"'{given}' is not allowed here: use one of {expected}" + suggest(
                str(given), [e.strip(" '") for e in str(expected).replace(" or ", ", ")
                             .split(",")])
        elif kind == "string_pattern_mismatch":
            text = f"'{error.get('input')}' is not in the expected form ({_form(loc)})"
        elif kind == "value_error":
            text = str(error["msg"]).removeprefix("Value error, ")
        elif kind in PLAIN:
            text = PLAIN[kind]
        elif kind in ("too_short", "too_long"):
            bound = ctx.get("min_length" if kind == "too_short" else "max_length")
            text = f"needs {'at least' if kind == 'too_short' else 'at most'} {bound} " \
                   f"{'item' if bound == 1 else 'items'}"
            if isinstance(error.get("input"), str):
                text = text.replace("item", "character")
        elif kind in BOUNDS:
            text = f"must be {BOUNDS[kind]} {next(iter(ctx.values()), '')}"
        else:
            text = str(error["msg"])
        yield loc, text


def _in_data(loc: tuple, data: Any) -> tuple:
    """The location without the union tags pydantic puts in it (destinations.0.marketo.x is
    destinations.0.x in the file)."""
    kept: list = []
    value = data
    for part in loc:
        if isinstance(value, dict) and isinstance(part, str) and part not in value \
                and value.get("type") == part:
            continue
        kept.append(part)
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            value = None
    return tuple(kept)


def _internal(part: object) -> bool:
    """pydantic's own location parts (union member names, validator names)."""
    text = str(part)
    return not isinstance(part, int) and (
        text[:1].isupper() or "[" in text or text.startswith(("function-", "constrained",
                                                               "list[", "dict[")))


def _form(loc: tuple) -> str:
    last = str(loc[-1]) if loc else ""
    return {"munchkin_id": "NNN-AAA-NNN, e.g. 123-ABC-456",
            "subdomain": "lower-case letters, digits and dashes",
            "id": "letters, digits, '.', '_' and '-'"}.get(last, "see the schema")
