"""What happened to an account's sends: the tracking events (SOAP `SentEvent`, `NotSentEvent`,
`OpenEvent`, `ClickEvent`, `BounceEvent`, `UnsubEvent`), each at its time on the clock.

A send draws every recipient's events at once (core/engagement.py), with times to come;
reads show those whose time has come. When an event's time comes its effects apply: an
unsubscribe makes the subscriber Unsubscribed, a hard bounce holds the address (chosen: SFMC
holds an address after bounces, vendorsim after the first hard one), and the Event
Notification Service hears of it. One task on the outbox waits for the next event's time."""

from __future__ import annotations

import heapq
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.ids import IdSequence
from vendorsim.mocks.core.outbox import Outbox

from .subscribers import SubscriberStore

KINDS = {"sent": "SentEvent", "not_sent": "NotSentEvent", "opened": "OpenEvent",
         "clicked": "ClickEvent", "bounced": "BounceEvent", "unsubscribed": "UnsubEvent"}
EVENT_TYPES = {"SentEvent": "Sent", "NotSentEvent": "NotSent", "OpenEvent": "Open",
               "ClickEvent": "Click", "BounceEvent": "HardBounce", "UnsubEvent": "Unsubscribe"}


@dataclass(slots=True)
class Tracked:
    id: int
    object_type: str  # SentEvent, OpenEvent, ...
    at: float
    send_id: int
    subscriber: str
    address: str
    definition: str | None  # the triggered send's or transactional definition's key
    tsd_object_id: str | None
    batch: int
    message_key: str | None = None
    url: str | None = None
    bounce: str | None = None
    smtp: str | None = None
    bot: bool = False

    def record(self) -> dict:
        hard = self.bounce == "Hard bounce"
        record: dict[str, Any] = {
            "ID": self.id, "ObjectID": f"event-{self.id}", "SendID": self.send_id,
            "SubscriberKey": self.subscriber, "EventDate": self.at,
            "EventType": "SoftBounce" if self.bounce and not hard else
            EVENT_TYPES[self.object_type], "TriggeredSendDefinitionObjectID":
            self.tsd_object_id, "BatchID": self.batch, "CreatedDate": self.at}
        if self.url is not None:
            record.update(URL=self.url, URLID=zlib.crc32(self.url.encode()) % 1_000_000)
        if self.bounce is not None:
            record.update(BounceCategory=self.bounce, SMTPCode=self.smtp, BounceType=(
                "immediate" if hard else "delayed"),
                SMTPReason=f"{self.smtp} {'mailbox unavailable' if hard else 'mailbox full'}")
        return record


class TrackingStore:
    """The account's tracking events, by type, and the ones whose time has not come."""

    def __init__(self, lock: threading.RLock, clock: Clock, outbox: Outbox | None,
                 audience: SubscriberStore, ids: IdSequence | None = None) -> None:
        self.lock = lock
        self.clock = clock
        self.outbox = outbox
        self.audience = audience
        self.by_type: dict[str, list[Tracked]] = {name: [] for name in KINDS.values()}
        self._waiting: list[tuple[float, int, Tracked]] = []
        self.ids = ids or IdSequence("trackingEvents", 1)
        self._task_at: float | None = None
        self.listeners: list[Callable[[Tracked], None]] = []  # the ENS, when it happens

    def add(self, kind: str, at: float, event_id: int | None = None, **fields: Any) -> Tracked:
        """An event of a recipient (under the account's lock, from a send; a snapshot's
        keeps its id)."""
        if event_id is not None:
            self.ids.note(event_id)
        event = Tracked(self.ids.take() if event_id is None else event_id, KINDS[kind], at,
                        **fields)
        self.by_type[event.object_type].append(event)
        heapq.heappush(self._waiting, (at, event.id, event))
        return event

    def schedule(self) -> None:
        """Make sure a task waits for the next event's time (after a send)."""
        if not self._waiting or self.outbox is None:
            return
        first = self._waiting[0][0]
        if self._task_at is None or first < self._task_at:
            self._task_at = first
            self.outbox.at(first, self.catch_up, self.lock)

    def catch_up(self) -> None:
        """Apply every event whose time has come: its effects, and who listens."""
        happened: list[Tracked] = []
        with self.lock:
            now = self.clock.now()
            while self._waiting and self._waiting[0][0] <= now:
                event = heapq.heappop(self._waiting)[2]
                self._apply(event)
                happened.append(event)
            self._task_at = None
            self.schedule()
        for event in happened:
            for listener in self.listeners:
                listener(event)

    def _apply(self, event: Tracked) -> None:
        if event.object_type == "UnsubEvent":
            self.audience.set_status(event.subscriber, "Unsubscribed", event.at)
        elif event.object_type == "BounceEvent" and event.bounce == "Hard bounce":
            self.audience.set_status(event.subscriber, "Held", event.at)

    def visible(self, object_type: str) -> list[Tracked]:
        """The events of a type whose time has come (their effects applied)."""
        self.catch_up()
        now = self.clock.now()
        return [e for e in self.by_type[object_type] if e.at <= now]

    def counts(self, send_id: int, list_ids: set[str] | None = None) -> dict[str, int]:
        """A send's counts as its Send object shows them (unique opens and clicks)."""
        now = self.clock.now()

        def of(object_type: str, unique: bool = False) -> int:
            found = [e for e in self.by_type[object_type]
                     if e.send_id == send_id and e.at <= now]
            return len({e.subscriber for e in found}) if unique else len(found)

        bounces = [e for e in self.by_type["BounceEvent"]
                   if e.send_id == send_id and e.at <= now]
        hard = sum(e.bounce == "Hard bounce" for e in bounces)
        sent = of("SentEvent")
        return {"NumberSent": sent, "NumberDelivered": sent - len(bounces),
                "NumberErrored": 0, "HardBounces": hard,
                "SoftBounces": len(bounces) - hard, "OtherBounces": 0,
                "UniqueOpens": of("OpenEvent", True), "UniqueClicks": of("ClickEvent", True),
                "Unsubscribes": of("UnsubEvent")}

    def restore(self, events: list) -> None:
        """Events of a snapshot: those whose time has passed (their effects are in the
        subscribers' statuses) shown, the others waiting."""
        now = self.clock.now()
        seen: set[int] = set()
        for spec in events:
            if not isinstance(spec, dict) or spec.get("type") not in self.by_type:
                raise ValueError("tracking events are objects as the snapshot shows them")
            if spec.get("id") in seen:
                raise ValueError(f"tracking event id {spec['id']} is in the snapshot twice")
            kind = next(k for k, v in KINDS.items() if v == spec["type"])
            event = self.add(kind, float(spec["at"]), whole_number(spec.get("id"), 1),
                             send_id=int(spec["send"]),
                             subscriber=str(spec["subscriber"]),
                             address=str(spec.get("address") or ""),
                             definition=spec.get("definition"), tsd_object_id=spec.get("tsd"),
                             batch=int(spec.get("batch") or 0),
                             message_key=spec.get("messageKey"), url=spec.get("url"),
                             bounce=spec.get("bounce"), smtp=spec.get("smtp"),
                             bot=spec.get("bot") is True)
            seen.add(event.id)
            if event.at <= now:  # already applied when the snapshot was taken
                self._waiting.remove((event.at, event.id, event))
        heapq.heapify(self._waiting)
        self.schedule()

    def snapshot(self) -> list[dict]:
        return [{"id": e.id, "type": e.object_type, "at": e.at, "send": e.send_id, "subscriber":
                 e.subscriber, "address": e.address, "definition": e.definition,
                 "tsd": e.tsd_object_id, "batch": e.batch, "messageKey": e.message_key,
                 "url": e.url, "bounce": e.bounce, "smtp": e.smtp, "bot": e.bot}
                for events in self.by_type.values() for e in events]
