"""The shape of every vendor's seed and snapshot documents, checked with typed models
before a model reads them: a list where an object goes, text where a list goes, or a setting
no vendor has is a plain message (`seed field 'data_extensions.0': expected an object`), never
a Python error from inside the model (`'list' object has no attribute 'get'`)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .wording import plain_errors

Record = dict[str, Any]  # one record: its fields are the vendor model's to check
Records = list[Record]
Names = list[Annotated[str, Field(max_length=1000)]]


class Shape(BaseModel):
    """A seed document: known keys only (a typo is an error), each of its kind."""

    model_config = ConfigDict(extra="forbid")


class Loose(BaseModel):
    """An item whose own keys the vendor model checks (its nested lists are typed here)."""

    model_config = ConfigDict(extra="allow")


def check_shape(shape: type[BaseModel] | None, document: object, what: str = "seed") -> None:
    """ValueError in plain words when the document does not have the shape."""
    if shape is None:
        return
    try:
        shape.model_validate(document)
    except ValidationError as exc:
        raise ValueError(plain_errors(exc, what, shape)) from None
