"""What recipients do with an email a vendor sends, on the clock: a seeded, configurable
engagement model shared by every vendor that sends (SFMC's sends, Marketo's campaign
emails). For each recipient of a send it draws, deterministically from the model's seed, the
send's id and the recipient's key, the events that follow: sent, then delivered or bounced
(hard or soft), then perhaps opened (after a log-normal delay), clicked, unsubscribed; bots
open at once when the model says they do. The vendor stores the events with their times;
reads show those whose time has come, and their effects (an unsubscribe, a hard bounce)
apply then.

Rates can differ by segment: the first segment whose `where` matches the recipient's
attributes (all of its name/value pairs, values compared as text without case) overrides
the rates it names.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

RATES = ("hard_bounce", "soft_bounce", "open", "click", "unsubscribe", "bot_open")
MAX_SEGMENTS = 50


@dataclass(frozen=True)
class Event:
    """One thing that happened to one recipient of one send."""

    kind: str  # sent | delivered | bounced | opened | clicked | unsubscribed
    at: float
    detail: tuple[tuple[str, Any], ...] = ()  # bounce category/SMTP code, url, bot

    def get(self, name: str, default: Any = None) -> Any:
        return next((v for k, v in self.detail if k == name), default)


@dataclass(frozen=True)
class Rates:
    """Shares of recipients (0-1): bounces of those sent, opens of those delivered, clicks and
    unsubscribes of those who opened, bot opens of those delivered."""

    hard_bounce: float = 0.01
    soft_bounce: float = 0.02
    open: float = 0.25
    click: float = 0.2
    unsubscribe: float = 0.01
    bot_open: float = 0.0


@dataclass(frozen=True)
class EngagementModel:
    """The model a tenant's sends follow (its `engagement` seed; these defaults otherwise)."""

    seed: int = 0
    rates: Rates = Rates()
    open_delay_hours: float = 4.0  # median time from delivery to open (log-normal)
    open_delay_sigma: float = 1.0
    click_delay_minutes: float = 2.0  # median time from open to click
    delivery_seconds: float = 30.0  # from send to delivered (or bounced)
    segments: tuple[tuple[tuple[tuple[str, str], ...], Rates], ...] = ()
    urls: tuple[str, ...] = ("https://www.example.com/offer",)

    @classmethod
    def from_dict(cls, data: object) -> EngagementModel:
        """A model from a seed document; ValueError naming what is wrong."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ValueError("engagement is an object {seed, rates, segments, ...}")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"engagement: unknown setting(s) {', '.join(sorted(unknown))} "
                             f"(settings: {', '.join(sorted(known))})")
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise ValueError("engagement seed is a whole number from 0")
        rates = _rates(data.get("rates"), Rates(), "engagement rates")
        segments = data.get("segments") or []
        if not isinstance(segments, list) or len(segments) > MAX_SEGMENTS:
            raise ValueError(f"engagement segments is a list of at most {MAX_SEGMENTS}")
        parsed = []
        for n, segment in enumerate(segments):
            where = segment.get("where") if isinstance(segment, dict) else None
            if not isinstance(where, dict) or not where or set(segment) - {"where", "rates"}:
                raise ValueError(f"engagement segment {n}: {{where: {{attribute: value}}, "
                                 "rates: {...}}")
            parsed.append((tuple((str(k).lower(), str(v).lower()) for k, v in where.items()),
                           _rates(segment.get("rates"), rates, f"engagement segment {n}")))
        urls = data.get("urls", list(cls.urls))
        if not isinstance(urls, list) or not urls or not all(
                isinstance(u, str) and u.startswith(("http://", "https://")) and len(u) < 2000
                for u in urls):
            raise ValueError("engagement urls is a list of http(s) URLs")
        numbers = {}
        for name, low, high in (("open_delay_hours", 0.0, 24 * 30), ("open_delay_sigma", 0, 5),
                                ("click_delay_minutes", 0.0, 24 * 60),
                                ("delivery_seconds", 0.0, 86400)):
            value = data.get(name, getattr(cls, name))
            if isinstance(value, bool) or not isinstance(value, int | float) or \
                    not math.isfinite(value) or not low <= value <= high:
                raise ValueError(f"engagement {name} is a number from {low} to {high}")
            numbers[name] = float(value)
        return cls(seed=seed, rates=rates, segments=tuple(parsed), urls=tuple(urls),
                   **numbers)

    def to_dict(self) -> dict:
        return {"seed": self.seed, "rates": vars(self.rates) | {},
                "open_delay_hours": self.open_delay_hours,
                "open_delay_sigma": self.open_delay_sigma,
                "click_delay_minutes": self.click_delay_minutes,
                "delivery_seconds": self.delivery_seconds, "urls": list(self.urls),
                "segments": [{"where": dict(where), "rates": vars(rates) | {}}
                             for where, rates in self.segments]}

    def rates_for(self, attributes: Mapping[str, object]) -> Rates:
        lowered = {str(k).lower(): str(v).lower() for k, v in attributes.items()}
        for where, rates in self.segments:
            if all(lowered.get(name) == value for name, value in where):
                return rates
        return self.rates

    def outcomes(self, send_id: object, recipient: str, attributes: Mapping[str, object],
                 sent_at: float) -> list[Event]:
        """The events of one recipient of one send, in time order; the same for the same
        seed, send and recipient."""
        draw = random.Random(_stable(self.seed, send_id, recipient))
        rates = self.rates_for(attributes)
        events = [Event("sent", sent_at)]
        landed = sent_at + self.delivery_seconds * (0.5 + draw.random())
        bounce = draw.random()
        if bounce < rates.hard_bounce:
            return [*events, Event("bounced", landed, (("category", "Hard bounce"),
                                                       ("smtp", "550")))]
        if bounce < rates.hard_bounce + rates.soft_bounce:
            return [*events, Event("bounced", landed, (("category", "Soft bounce"),
                                                       ("smtp", "452")))]
        events.append(Event("delivered", landed))
        opened_at = None
        if draw.random() < rates.bot_open:
            opened_at = landed + draw.uniform(1.0, 10.0)  # a scanner opens at once
            events.append(Event("opened", opened_at, (("bot", True),)))
        elif draw.random() < rates.open:
            opened_at = landed + 3600.0 * self.open_delay_hours * math.exp(
                self.open_delay_sigma * draw.gauss(0.0, 1.0))
            events.append(Event("opened", opened_at))
        if opened_at is None:
            return events
        if draw.random() < rates.click:
            clicked_at = opened_at + 60.0 * self.click_delay_minutes * math.exp(
                0.5 * draw.gauss(0.0, 1.0))
            events.append(Event("clicked", clicked_at, (("url", draw.choice(self.urls)),)))
        if draw.random() < rates.unsubscribe:
            events.append(Event("unsubscribed", opened_at + draw.uniform(5.0, 600.0)))
        return sorted(events, key=lambda e: e.at)


def _rates(data: object, base: Rates, what: str) -> Rates:
    if data is None:
        return base
    if not isinstance(data, dict) or set(data) - set(RATES):
        raise ValueError(f"{what}: an object of {', '.join(RATES)}")
    for name, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not 0 <= value <= 1:
            raise ValueError(f"{what}: {name} is a share from 0 to 1")
    merged = replace(base, **{k: float(v) for k, v in data.items()})
    if merged.hard_bounce + merged.soft_bounce > 1:
        raise ValueError(f"{what}: hard_bounce and soft_bounce add up to more than 1")
    return merged


def _stable(*parts: object) -> int:
    """A seed from the parts, the same in every process (unlike `hash`)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass
class Sendable:
    """A recipient as a send sees it: their key, address and attributes."""

    key: str
    address: str
    attributes: dict[str, object] = field(default_factory=dict)
