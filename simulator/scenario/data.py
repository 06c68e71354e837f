"""The CDP's data in a scenario: inline records, JSONL/CSV files, or generated ones."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from .base import Strict
from .sends import Engagement


class Generate(Strict):
    """Synthetic B2B data (the `vendorsim generate` generator, same seed, same data). With
    duplicate_share, invalid_share or several partitions, the Marketo instances of the
    scenario's Marketo destinations are seeded with the generated leads, as
    `vendorsim generate --format marketo` writes them."""

    count: Annotated[int, Field(ge=1, le=1_000_000)]
    """People to generate (1 to 1,000,000)."""
    seed: int = 0
    """Same seed, same data."""
    accounts: Annotated[int, Field(ge=1, le=100_000)] | None = None
    """Accounts (default: one per 20 people)."""
    locale: str = "en_US"
    """Faker locale of names and places."""
    events_per_person: Annotated[float, Field(ge=0, le=50)] = 0.0
    """Mean web/email/form events per person."""
    sends_per_person: Annotated[float, Field(ge=0, le=12)] = 0.0
    """Mean newsletters each person received (of 12 in the 30 days before the generated
    history ends), with what they did: email.send, .delivered, .bounce, .open, .click and
    .unsubscribe events."""
    engagement: Engagement | None = None
    """What recipients of those newsletters did (the vendors' engagement model; default: its
    rates, this seed)."""
    duplicate_share: Annotated[float, Field(ge=0, le=1)] = 0.0
    """Share of people who also exist as a second Marketo lead in another partition."""
    invalid_share: Annotated[float, Field(ge=0, le=1)] = 0.0
    """Share of people whose record a vendor must refuse (no Marketo lead is seeded)."""
    partitions: Annotated[list[Annotated[str, Field(min_length=1, max_length=50)]],
                          Field(min_length=1, max_length=50)] = ["Default"]
    """Marketo partitions the generated leads live in."""

    @model_validator(mode="after")
    def _accounts_have_people(self) -> Generate:
        if self.accounts is not None and self.accounts > self.count:
            raise ValueError(f"{self.accounts:,} accounts for {self.count:,} people: every "
                             "generated account has at least one person")
        return self


class FromFile(Strict):
    file: str
    """A JSONL or CSV file, relative to the scenario file."""


class Data(Strict):
    generate: Generate | None = None
    """Generated accounts, people, opportunities and events (added to inline and file data)."""
    accounts: list[dict[str, Any]] | FromFile = []
    """Accounts: {accountId, name, domain, industry, ...}, or {file: ...}."""
    people: list[dict[str, Any]] | FromFile = []
    """People (profiles): {personId, email, firstName, lastName, accountId, ...}."""
    opportunities: list[dict[str, Any]] | FromFile = []
    """Opportunities: {opportunityId, accountId, stage, amount, closeDate, ...}."""
    events: list[dict[str, Any]] | FromFile = []
    """Events: {personId, type, timestamp, ...}."""
