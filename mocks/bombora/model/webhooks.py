"""Bombora's Webhooks API (vendor-apis.md §8.5): destinations (a URL and a secret), the
events each has enabled, and the deliveries: one event a POST, signed in
`X-Bombora-Signature-256` (hex HMAC-SHA256 of the UTF-8 body keyed with the destination's
secret), counted per event. A destination with an enabled event cannot be deleted (409).

Chosen where Bombora is silent (facts.py, docs/living-account.md): the shapes, the secret
generated when none is given and shown only when set, the timeout and the retries. The mock
has no signal definitions, so the SignalDefinition* events can be enabled but never fire."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
import threading
import uuid
from dataclasses import dataclass, field

from vendorsim.mocks.core.bearer import ApiError
from vendorsim.mocks.core.clock import Clock, iso_utc
from vendorsim.mocks.core.locking import locked
from vendorsim.mocks.core.outbox import Delivery, Outbox, https_url

from .. import facts
from .errors import problem

WRITABLE = ("name", "url", "secret")


def sign(secret: str, body: bytes) -> str:
    """X-Bombora-Signature-256: hex HMAC-SHA256(secret, UTF-8 body)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _no_stats() -> dict:
    return {"delivered": 0, "failed": 0, "pending": 0, "tries": 0, "lastStatusCode": None,
            "lastDeliveryDate": None}


@dataclass
class Destination:
    id: str
    name: str
    url: str
    secret: str
    created: float
    modified: float
    enabled: list[str] = field(default_factory=list)
    stats: dict[str, dict] = field(default_factory=dict)  # event -> delivery statistics

    def render(self, with_secret: bool = False) -> dict:
        shown = {"id": self.id, "name": self.name, "url": self.url,
                 "enabledEvents": list(self.enabled), "createdDate": iso_utc(self.created),
                 "modifiedDate": iso_utc(self.modified)}
        return {**shown, "secret": self.secret} if with_secret else shown

    def statistics(self, event: str) -> dict:
        return {"event": event, "enabled": event in self.enabled,
                **self.stats.get(event, _no_stats())}


class Webhooks:
    """The webhook destinations of one API client."""

    def __init__(self, lock: threading.RLock, clock: Clock, outbox: Outbox | None,
                 client_id: str) -> None:
        self.lock = lock
        self.clock = clock
        self.outbox = outbox
        self.client_id = client_id
        self.destinations: dict[str, Destination] = {}

    def get(self, destination_id: str) -> Destination:
        found = self.destinations.get(destination_id)
        if found is None:
            raise problem(404, f"Destination '{destination_id[:100]}' not found")
        return found

    @staticmethod
    def event(name: str) -> str:
        if name not in facts.EVENTS:
            raise problem(404, f"Unknown event '{name[:100]}'; events are "
                               f"{', '.join(facts.EVENTS)}")
        return name

    @staticmethod
    def _checked(body: object, current: Destination | None) -> tuple[str, str, str | None]:
        if not isinstance(body, dict):
            raise problem(400, "The request body must be a JSON object {name, url, secret}")
        unknown = sorted(str(k)[:40] for k in body if k not in WRITABLE)
        if unknown:
            raise problem(400, f"Unknown field(s): {', '.join(unknown[:5])}")
        name = body.get("name", current.name if current else None)
        url = body.get("url", current.url if current else None)
        secret = body.get("secret")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise problem(422, "name is required (at most 200 characters)")
        if not https_url(url):
            raise problem(422, "url is an https URL (http on loopback hosts)")
        if secret is not None and (not isinstance(secret, str) or
                                   not 16 <= len(secret) <= 256 or not secret.isprintable()):
            raise problem(422, "secret is text of 16 to 256 printable characters")
        return name.strip(), str(url), secret

    # -- destinations ----------------------------------------------------------------------
    @locked
    def create(self, body: object) -> dict:
        name, url, secret = self._checked(body, None)
        if len(self.destinations) >= facts.MAX_DESTINATIONS:
            raise problem(409, f"A client holds at most {facts.MAX_DESTINATIONS} destinations")
        now = self.clock.now()
        made = Destination(str(uuid.uuid4()), name, url, secret or secrets.token_hex(32),
                           now, now)
        self.destinations[made.id] = made
        return made.render(with_secret=True)

    @locked
    def all(self) -> list[dict]:
        return [d.render() for d in self.destinations.values()]

    @locked
    def describe(self, destination_id: str) -> dict:
        return self.get(destination_id).render()

    @locked
    def update(self, destination_id: str, body: object) -> dict:
        found = self.get(destination_id)
        name, url, secret = self._checked(body, found)
        found.name, found.url = name, url
        if secret is not None:
            found.secret = secret
        found.modified = self.clock.now()
        return found.render(with_secret=secret is not None)

    @locked
    def delete(self, destination_id: str) -> None:
        found = self.get(destination_id)
        if found.enabled:
            raise problem(409, "Disable the destination's events first: "
                               f"{', '.join(found.enabled)}")
        del self.destinations[found.id]

    # -- events ------------------------------------------------------------------------------
    @locked
    def events(self, destination_id: str) -> list[dict]:
        found = self.get(destination_id)
        return [found.statistics(name) for name in facts.EVENTS]

    @locked
    def enable(self, destination_id: str, name: str, on: bool) -> dict:
        found, event = self.get(destination_id), self.event(name)
        if on and event not in found.enabled:
            found.enabled.append(event)
        elif not on and event in found.enabled:
            found.enabled.remove(event)
        return found.statistics(event)

    @locked
    def statistics(self, destination_id: str, name: str) -> dict:
        return self.get(destination_id).statistics(self.event(name))

    # -- deliveries ----------------------------------------------------------------------------
    def happened(self, event: str, data: dict) -> None:
        """An event: one signed POST to each destination that enabled it (called under the
        client's lock by the operation that made it happen)."""
        if self.outbox is None:
            return
        for found in self.destinations.values():
            if event not in found.enabled:
                continue
            event_id = str(uuid.uuid4())
            body = json.dumps({"eventId": event_id, "eventType": event,
                               "occurredAt": iso_utc(self.clock.now()), "data": data},
                              separators=(",", ":")).encode()
            found.stats.setdefault(event, _no_stats())["pending"] += 1
            self.outbox.deliver(
                "bombora", self.client_id, "webhook", found.url, body,
                {facts.SIGNATURE_HEADER: sign(found.secret, body),
                 facts.EVENT_HEADER: event, facts.DELIVERY_HEADER: event_id},
                timeout=facts.WEBHOOK_TIMEOUT, max_tries=len(facts.WEBHOOK_RETRIES) + 1,
                retry_after=facts.WEBHOOK_RETRIES, key=event_id, owner=self.lock,
                done=functools.partial(self._done, found.id, event))

    def _done(self, destination_id: str, event: str, delivery: Delivery) -> None:
        with self.lock:
            found = self.destinations.get(destination_id)
            if found is None:
                return
            stats = found.stats.setdefault(event, _no_stats())
            stats["pending"] = max(0, stats["pending"] - 1)
            stats["delivered" if delivery.state == "delivered" else "failed"] += 1
            stats["tries"] += delivery.tries
            stats["lastStatusCode"] = delivery.status
            stats["lastDeliveryDate"] = iso_utc(delivery.due)  # its last try's time

    # -- seeds and snapshots -------------------------------------------------------------------
    def snapshot(self) -> list[dict]:
        return [{**d.render(with_secret=True)} for d in self.destinations.values()]

    def seed(self, items: object) -> None:
        """Destinations of a seed or snapshot: {id?, name, url, secret?, enabledEvents?}."""
        if not isinstance(items, list):
            raise ValueError("webhook_destinations is a list")
        for item in items:
            if not isinstance(item, dict):
                raise ValueError("a webhook destination is {id, name, url, secret, "
                                 "enabledEvents}")
            spec = dict(item)
            ident, enabled = spec.pop("id", None), spec.pop("enabledEvents", None) or []
            for key in ("createdDate", "modifiedDate"):
                spec.pop(key, None)
            try:
                made = self.create(spec)
            except ApiError as exc:
                raise ValueError(str(exc.body)) from None
            if ident is not None:
                if not isinstance(ident, str) or not ident or ident in self.destinations:
                    raise ValueError(f"webhook destination id {str(ident)[:60]!r} is not new")
                self.destinations[ident] = self.destinations.pop(made["id"])
                self.destinations[ident].id = ident
            if not isinstance(enabled, list) or any(e not in facts.EVENTS for e in enabled):
                raise ValueError(f"enabledEvents are among {', '.join(facts.EVENTS)}")
            self.destinations[ident or made["id"]].enabled = list(dict.fromkeys(enabled))
