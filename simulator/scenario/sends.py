"""Email a vendor sends in a scenario: the account's engagement model (what recipients do
with the email, `mocks/core/engagement.py`) and the timeline's `send` step (a marketer or
the CDP asking the vendor to send, through the vendor's public API)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import Id, Strict

Share = Annotated[float, Field(ge=0, le=1)]


class Rates(Strict):
    """Shares of recipients, 0 to 1 (unset: the model's defaults, or the account's rates
    in a segment)."""

    hard_bounce: Share | None = None
    """Hard bounces, of those sent (default 0.01)."""
    soft_bounce: Share | None = None
    """Soft bounces, of those sent (default 0.02)."""
    open: Share | None = None
    """Opens, of those delivered (default 0.25)."""
    click: Share | None = None
    """Clicks, of those who opened (default 0.2)."""
    unsubscribe: Share | None = None
    """Unsubscribes, of those who opened (default 0.01)."""
    bot_open: Share | None = None
    """Opens by link scanners within seconds, of those delivered (default 0)."""

    @model_validator(mode="after")
    def _bounces(self) -> Rates:
        if (self.hard_bounce or 0) + (self.soft_bounce or 0) > 1:
            raise ValueError("hard_bounce and soft_bounce add up to more than 1")
        return self


class Segment(Strict):
    where: Annotated[dict[str, str | int | float | bool], Field(min_length=1, max_length=20)]
    """Recipient attributes that must all match (compared as text, without case)."""
    rates: Rates = Rates()
    """The rates this segment overrides."""


class Engagement(Strict):
    """An account's engagement model: the same seed gives the same events for the same send
    and recipient, in any process."""

    seed: Annotated[int, Field(ge=0, lt=2**63)] = 0
    """Same seed, same opens, clicks, bounces and unsubscribes."""
    rates: Rates = Rates()
    """Shares of recipients (defaults: hard 0.01, soft 0.02, open 0.25, click 0.2,
    unsubscribe 0.01, bot_open 0)."""
    open_delay_hours: Annotated[float, Field(ge=0, le=720)] | None = None
    """Median hours from delivery to open (log-normal; default 4)."""
    open_delay_sigma: Annotated[float, Field(ge=0, le=5)] | None = None
    """Spread of the open delay (default 1)."""
    click_delay_minutes: Annotated[float, Field(ge=0, le=1440)] | None = None
    """Median minutes from open to click (default 2)."""
    delivery_seconds: Annotated[float, Field(ge=0, le=86400)] | None = None
    """Seconds from send to delivered or bounced (default 30)."""
    urls: Annotated[list[Annotated[str, Field(pattern=r"^https?://\S{1,1990}$")]],
                    Field(min_length=1, max_length=100)] | None = None
    """Links recipients click (default https://www.example.com/offer)."""
    segments: Annotated[list[Segment], Field(max_length=50)] = []
    """Rates by recipient attribute: the first segment that matches applies."""

    def to_seed(self) -> dict:
        """The mock's `engagement` seed (unset settings left to its defaults)."""
        out = self.model_dump(exclude_none=True, exclude={"rates", "segments"})
        out["rates"] = self.rates.model_dump(exclude_none=True)
        out["segments"] = [{"where": s.where, "rates": s.rates.model_dump(exclude_none=True)}
                           for s in self.segments]
        return out


KIND_NEEDS = {"triggered": ("definition",), "transactional": ("definition",),
              "journey": ("definition",),
              "list": ("email", "lists"), "campaign": ("campaign",)}
KIND_VENDOR = {"triggered": "sfmc", "transactional": "sfmc", "list": "sfmc", "journey": "sfmc",
               "campaign": "marketo"}


class Send(Strict):
    """A send the vendor makes when the step comes: SFMC's triggered send, transactional
    message or list send, or a Marketo trigger campaign requested for people."""

    vendor: Literal["sfmc", "marketo"]
    """Which vendor sends."""
    tenant: Annotated[str, Field(min_length=1, max_length=100)]
    """The SFMC account's subdomain, or the Marketo instance's Munchkin ID."""
    kind: Literal["triggered", "transactional", "list", "journey", "campaign"]
    """SFMC: triggered, transactional, list or journey (an entry event); Marketo: campaign."""
    definition: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """triggered/transactional: the send definition's key; journey: the entry event
    definition's key."""
    email: Annotated[int, Field(ge=1)] | None = None
    """list: the SFMC Email ID."""
    lists: Annotated[list[Annotated[int, Field(ge=1)]], Field(max_length=50)] = []
    """list: the SFMC List IDs (1: All Subscribers)."""
    campaign: Annotated[int, Field(ge=1)] | None = None
    """campaign: the Marketo smart campaign's id (a trigger campaign)."""
    tokens: Annotated[dict[str, str], Field(max_length=100)] = {}
    """campaign: My Tokens for this run, {"{{my.offer}}": "Spring"}."""
    audience: Id | None = None
    """Recipients: the people in this audience when the step comes."""
    people: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]],
                      Field(max_length=100_000)] = []
    """Recipients: these people (personIds)."""
    address: Annotated[str, Field(min_length=1, max_length=100)] = "email"
    """The profile attribute holding each recipient's email address."""
    key: Annotated[str, Field(min_length=1, max_length=100)] = "personId"
    """The profile attribute SFMC keys the recipient by (SubscriberKey, contactKey)."""
    attributes: Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]],
                          Field(max_length=50)] = []
    """Profile attributes sent along (SFMC: subscriber attributes), which engagement
    segments can match."""
    client_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """The API client (default: the tenant's first seeded credential, else a Marketo
    destination's; an account seeded without credentials takes any)."""
    client_secret: Annotated[str, Field(max_length=200)] | None = None
    """Its secret."""

    @model_validator(mode="after")
    def _what_each_kind_needs(self) -> Send:
        if KIND_VENDOR[self.kind] != self.vendor:
            raise ValueError(f"a '{self.kind}' send is made by {KIND_VENDOR[self.kind]}, "
                             f"not {self.vendor}")
        missing = [name for name in KIND_NEEDS[self.kind] if not getattr(self, name)]
        if missing:
            raise ValueError(f"a '{self.kind}' send needs {' and '.join(missing)}")
        if self.kind == "list" and (self.audience or self.people):
            raise ValueError("a list send goes to the lists' subscribers: no audience or "
                             "people")
        if self.kind != "list" and not (self.audience or self.people):
            raise ValueError(f"a '{self.kind}' send needs recipients: audience or people")
        if self.audience and self.people:
            raise ValueError("name the recipients one way: audience or people")
        return self


FIGURES = ("sent", "not sent", "delivered", "bounced", "hard bounced", "soft bounced",
           "opened", "clicked", "unsubscribed")
Figure = Literal["sent", "not sent", "delivered", "bounced", "hard bounced", "soft bounced",
                 "opened", "clicked", "unsubscribed"]


class ExpectedSend(Strict):
    """What a vendor's sends must show by the replay's end (the report's engagement rows
    of that account and kind, summed)."""

    vendor: Literal["sfmc", "marketo"]
    """Which vendor sent."""
    tenant: Annotated[str, Field(min_length=1, max_length=100)]
    """The SFMC subdomain or Marketo Munchkin ID."""
    kind: Literal["triggered", "transactional", "list", "journey", "campaign"] | None = None
    """Only sends of this kind (default: every send of the account)."""
    at_least: dict[Figure, Annotated[int, Field(ge=0)]] = {}
    """Figures that must reach these counts: {sent: 100, opened: 1}."""
    at_most: dict[Figure, Annotated[int, Field(ge=0)]] = {}
    """Figures that must not pass these counts: {hard bounced: 5}."""


__all__ = ["FIGURES", "Engagement", "ExpectedSend", "Rates", "Segment", "Send"]
