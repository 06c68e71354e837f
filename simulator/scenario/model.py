"""The scenario file: one replayable situation for the simulator.

Vendor seed state (`seeds`), CDP data (`data`), audiences, dataflows and sources (`flows`),
a timeline on virtual time and expectations (`timeline`). The models check each setting on
its own; `semantics` checks the rules between settings (references, fields, seeds, faults)
with the same file:line messages, and the destination connectors check the platform's own
activation rules at run time, as the CDP does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from .base import MAX_SPAN, Duration, Id, MunchkinId, Strict, Time, parse_offset
from .data import Data, FromFile, Generate
from .flows import (
    AccountDestination,
    Audience,
    Cdp,
    Condition,
    Delivery,
    Destination,
    MarketoDestination,
    MarketoSource,
    SfmcSource,
    Source,
)
from .seeds import ListClient, MarketoInstance, SfmcAccount, Vendors
from .timeline import Expectations, ExpectedLead, Step

EARLIEST = 0.0  # 1970-01-01
LATEST_START = datetime(2200, 1, 1, tzinfo=UTC).timestamp() - MAX_SPAN - 86400


class Scenario(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    """The scenario's name (shown in reports)."""
    description: str = ""
    """What it shows."""
    start: Time = datetime.fromisoformat("2026-01-05T09:00:00+00:00")
    """When the replay starts (virtual time)."""
    vendors: Vendors = Vendors()
    """What each vendor holds before the replay."""
    data: Data = Data()
    """The CDP's accounts, people, opportunities and events."""
    audiences: list[Audience] = []
    """Audiences: people or account, by definition or explicit members."""
    destinations: list[Destination] = []
    """Dataflows: Marketo, Bombora or Demandbase destinations and their audiences."""
    cdp: Cdp = Cdp()
    """Which CDP instance and sandbox this scenario plays."""
    sources: list[Source] = []
    """Sources feeding the CDP: SFMC data extensions, Marketo."""
    timeline: list[Step] = []
    """What happens when."""
    faults: list[dict[str, Any]] = []
    """Fault rules injected into the vendors (as POST /__admin/faults takes them; start/end
    may be offsets such as +1h)."""
    expectations: Expectations = Expectations()
    """What must hold at the end; every expectation gives one PASS/FAIL line."""

    @field_validator("start")
    @classmethod
    def _start(cls, value: datetime) -> datetime:
        """A replay spans up to 400 days from its start; the vendors keep times from 1970
        to 2200, so a start must leave room for that."""
        stamp = (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
        if not EARLIEST <= stamp <= LATEST_START:
            raise ValueError("start must fall between 1970-01-01 and 2198-11-01 (a replay "
                             "may run 400 days; the vendors keep times up to 2200)")
        return value


__all__ = ["AccountDestination", "Audience", "Cdp", "Condition", "Data", "Delivery",
           "Destination", "Duration", "ExpectedLead", "Expectations", "FromFile", "Generate",
           "Id", "ListClient", "MarketoDestination", "MarketoInstance", "MarketoSource",
           "MunchkinId", "Scenario", "SfmcAccount", "SfmcSource", "Source", "Step", "Strict",
           "Vendors", "parse_offset"]
