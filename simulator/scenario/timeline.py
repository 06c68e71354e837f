"""A scenario's timeline (what happens when, on virtual time) and its expectations (what the
vendors and the CDP must hold at the end)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from .base import MAX_SPAN, Strict, parse_offset
from .sends import ExpectedSend, Send

NEEDS = {"activate": ("destination", "audience"), "deactivate": ("destination", "audience"),
         "change": (), "event": ("person",), "ingest": ("source",),
         "upsert_rows": ("source", "rows"), "advance": ("by",), "evaluate": (),
         "send": ("send",)}


class Step(Strict):
    at: datetime | str | int | float
    """When: an offset from the start (+30s, 2h, 1h30m, or seconds) or an ISO time."""
    action: Literal["change", "event", "ingest", "activate", "deactivate", "advance",
                    "evaluate", "upsert_rows", "send"]
    """What happens."""
    person: str | None = None
    """change/event: the person (a personId of the data)."""
    account: str | None = None
    """change: the account (an accountId of the data)."""
    set: dict[str, Any] = {}
    """change: the attributes set."""
    event: dict[str, Any] = {}
    """event: the event's fields (type, url, ...)."""
    source: str | None = None
    """ingest/upsert_rows: the source."""
    destination: str | None = None
    """activate/deactivate: the dataflow."""
    audience: str | None = None
    """activate/deactivate: the audience."""
    by: str | None = None
    """advance: a duration."""
    rows: list[dict[str, Any]] = []
    """upsert_rows: rows a marketer writes into the source."""
    send: Send | None = None
    """send: what the vendor sends, and to whom."""

    @field_validator("at")
    @classmethod
    def _at(cls, value: datetime | str | int | float) -> datetime | str | int | float:
        if isinstance(value, datetime):
            return value
        if isinstance(value, str) and not value.startswith("+") and "T" in value:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            parse_offset(value)
        return value

    @field_validator("by")
    @classmethod
    def _by(cls, value: str | None) -> str | None:
        if value is not None:
            parse_offset(value)
        return value

    @model_validator(mode="after")
    def _what_each_action_needs(self) -> Step:
        missing = [name for name in NEEDS[self.action] if not getattr(self, name)]
        if self.action == "change" and not (self.person or self.account):
            missing.append("person (or account)")
        if missing:
            raise ValueError(f"a '{self.action}' step needs {' and '.join(missing)}")
        return self


class ExpectedLead(Strict):
    munchkin_id: str
    """The Marketo instance."""
    match: dict[str, Any]
    """Fields identifying the lead (e.g. email); {} matches every lead (with count)."""
    fields: dict[str, Any] = {}
    """Values the lead must hold."""
    partition: str | None = None
    """The partition it must be in."""
    lists: list[str] | None = None
    """The static lists (names) it must be on, exactly."""
    count: Annotated[int, Field(ge=0, le=1_000_000)] = 1
    """How many leads match (0: none may exist)."""


class ExpectedList(Strict):
    vendor: Literal["bombora", "demandbase"]
    """Whose list."""
    tenant: str
    """The client id."""
    list: str
    """The list's name."""
    members: builtins.list[str] | None = None  # `list` is a field here
    """The domains it must hold, exactly."""
    count: Annotated[int, Field(ge=0)] | None = None
    """Or how many."""


class ExpectedDrops(Strict):
    destination: str
    """The dataflow."""
    min: Annotated[int, Field(ge=0)] = 0
    """At least this many deliveries dropped or lost."""
    max: Annotated[int, Field(ge=0)] | None = None
    """At most this many."""


class ExpectedRefusal(Strict):
    destination: str | None = None
    """A dataflow whose activation must be refused ..."""
    source: str | None = None
    """... or a source whose connection must be refused."""
    reason: str = ""
    """Text the refusal must contain."""

    @model_validator(mode="after")
    def _one(self) -> ExpectedRefusal:
        if (self.destination is None) == (self.source is None):
            raise ValueError("name either a destination or a source")
        return self


class ExpectedProfiles(Strict):
    match: Annotated[dict[str, Any], Field(min_length=1)]
    """Attributes identifying the profiles."""
    attributes: dict[str, Any] = {}
    """Values they must hold."""
    count: Annotated[int, Field(ge=0)] = 1
    """How many profiles match."""


class Expectations(Strict):
    marketo_leads: list[ExpectedLead] = []
    """Leads Marketo must hold."""
    list_members: list[ExpectedList] = []
    """Bombora/Demandbase lists and their members."""
    drops: list[ExpectedDrops] = []
    """Deliveries the run may (must) report dropped or lost."""
    refused: list[ExpectedRefusal] = []
    """Activations or source connections that must be refused (any other refusal fails)."""
    profiles: list[ExpectedProfiles] = []
    """The CDP's profiles at the end."""
    sends: list[ExpectedSend] = []
    """What the vendors' sends show by the end: sent, delivered, opened, clicked, ..."""


__all__ = ["MAX_SPAN", "ExpectedDrops", "ExpectedLead", "ExpectedList", "ExpectedProfiles",
           "ExpectedRefusal", "Expectations", "Step"]
