"""The shape of every vendor's seed and snapshot documents, checked with typed models
before a model reads them: a list where an object goes, text where a list goes, or a setting
no vendor has is a plain message (`seed field 'data_extensions.0': expected an object`), never
a Python error from inside the model (`'list' object has no attribute 'get'`).

Each problem also keeps where it is (`SeedShapeError.problems`), so that a scenario file can
name the line of a misspelt seed key, and an unknown key is answered with the closest setting
of the object it is in (`kye` in a data extension: did you mean 'key'?), not of the document.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .wording import error_text

Record = dict[str, Any]  # one record: its fields are the vendor model's to check
Records = list[Record]
Names = list[Annotated[str, Field(max_length=1000)]]


class Shape(BaseModel):
    """A seed document, or an item of one: known keys only (a typo is an error), each of its
    kind."""

    model_config = ConfigDict(extra="forbid")


class Loose(BaseModel):
    """An item whose own keys the vendor model checks (its nested lists are typed here)."""

    model_config = ConfigDict(extra="allow")


class SeedShapeError(ValueError):
    """A seed document that does not have its shape: `problems` are (location in the
    document, message) pairs; the text is all of them, `seed field 'x.0.y': message`."""

    def __init__(self, problems: list[tuple[tuple, str]], what: str) -> None:
        self.problems = problems
        super().__init__("; ".join(dict.fromkeys(
            f"{what} field '{'.'.join(str(p) for p in loc)}': {text}" if loc else
            f"{what}: {text}" for loc, text in problems)))


def check_shape(shape: type[BaseModel] | None, document: object, what: str = "seed") -> None:
    """SeedShapeError (a ValueError) in plain words when the document does not have the
    shape."""
    if shape is None:
        return
    try:
        shape.model_validate(document)
    except ValidationError as exc:
        raise SeedShapeError(shape_problems(exc, shape), what) from None


def shape_problems(exc: ValidationError, shape: type[BaseModel]) -> list[tuple[tuple, str]]:
    """(location, message) for each error, the union members pydantic tried left out of the
    location; an unknown key with the closest setting of the object it is in."""
    found: dict[tuple, list[str]] = {}
    inputs: dict[tuple, object] = {}
    for error in exc.errors():
        loc, parent = _walk(shape, error["loc"])
        text = error_text(error, str(loc[-1]) if loc else "", parent)
        found.setdefault(loc, [])
        if text not in found[loc]:
            found[loc].append(text)
        inputs[loc] = error.get("input")
    out = []
    for loc, texts in found.items():
        deeper = any(other[:len(loc)] == loc and len(other) > len(loc) for other in found)
        if deeper and isinstance(inputs[loc], dict):
            continue  # an object where text or an object may go: its own problems say more
        out.append((loc, texts[0] + "".join(" or " + t.removeprefix("expected ")
                                            for t in texts[1:])))
    return out


def model_at(shape: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model of the object at `loc` in a document of `shape` (None: a free record)."""
    return _walk(shape, (*loc, ""))[1]


def _walk(shape: type[BaseModel], raw: tuple) -> tuple[tuple, type[BaseModel] | None]:
    """The location as the document has it (without the union members pydantic names) and
    the model of the object holding its last part (None: a free record)."""
    annotation: Any = shape
    parent: type[BaseModel] | None = None
    out: list = []
    for part in raw:
        if isinstance(part, int):
            out.append(part)
            annotation = _inner(annotation, list)
            continue
        members = _models_in(annotation)
        member = next((m for m in members if m.__name__ == part), None)
        if member is not None or _tag(str(part)):
            annotation = member or annotation
            continue
        model = members[0] if len(members) == 1 else None
        parent = model
        fields = model.model_fields if model is not None else {}
        annotation = fields[part].annotation if part in fields else _inner(annotation, dict)
        out.append(part)
    return tuple(out), parent


def _tag(part: str) -> bool:
    """pydantic's own location parts: the member of a union tried (`str`, `list[...]`)."""
    return part in ("str", "int", "float", "bool") or part.startswith(
        ("function-", "constrained", "literal[", "list[", "dict[", "nullable["))


def _inner(annotation: Any, origin: type) -> Any:
    """What a list (or a dict's values) of this annotation holds, through Optional."""
    for arg in [annotation, *typing.get_args(annotation)]:
        if typing.get_origin(arg) is origin:
            return typing.get_args(arg)[-1]
    return None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [a for a in typing.get_args(annotation)
            if isinstance(a, type) and issubclass(a, BaseModel)]
