"""Email engagement in generated histories: a calendar of newsletter sends over the 30 days
before `as_of`, each person receiving some of them, and what each recipient did with each
drawn from the same engagement model the vendors' sends follow (`mocks/core/engagement.py`):
the same seed gives the same history, and a person's events depend only on the model's seed,
the send and the person, never on how many others were generated (memory stays flat)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from vendorsim.mocks.core.engagement import EngagementModel

SENDS = 12  # newsletters in the 30 days before as_of, one every 2.5 days
SPACING = 30 * 86400 // SENDS
EVENT_TYPES = {"sent": "email.send", "delivered": "email.delivered",
               "bounced": "email.bounce", "opened": "email.open", "clicked": "email.click",
               "unsubscribed": "email.unsubscribe"}


def calendar(as_of: datetime) -> list[tuple[str, float]]:
    """The sends every history draws from: (campaign, epoch seconds), oldest first; the
    last goes out two days before as_of, so its opens have had time to happen."""
    last = as_of.timestamp() - 2 * 86400
    return [(f"Newsletter {n + 1:02d}", last - (SENDS - 1 - n) * SPACING)
            for n in range(SENDS)]


def email_events(person: dict, count: int, model: EngagementModel,
                 sends: list[tuple[str, float]], as_of: datetime, rng: random.Random
                 ) -> list[dict]:
    """The events of `count` sends to one person (no address: none), up to as_of."""
    address = person.get("email")
    if not isinstance(address, str) or not count:
        return []
    end = as_of.timestamp()
    picked = sorted(rng.sample(range(len(sends)), min(count, len(sends))))
    events: list[dict] = []
    for n in picked:
        campaign, sent_at = sends[n]
        for event in model.outcomes(campaign, person["personId"], person, sent_at):
            if event.at > end:
                break  # the history ends at as_of; later events have not happened
            item = {"eventId": f"M-{person['personId'][2:]}-{n + 1}-{len(events) + 1}",
                    "personId": person["personId"], "type": EVENT_TYPES[event.kind],
                    "timestamp": _iso(event.at), "campaign": campaign}
            if event.get("url"):
                item["url"] = event.get("url")
            if event.get("category"):
                item["bounceCategory"] = event.get("category")
            if event.get("bot"):
                item["bot"] = True
            events.append(item)
    return events


def _iso(epoch: float) -> str:
    return (datetime(1970, 1, 1) + timedelta(seconds=int(epoch))).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
