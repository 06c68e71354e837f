"""SFMC's Event Notification Service (vendor-apis.md §8.1): callbacks (a URL, verified by a
handshake), subscriptions (event categories and filters), and the notifications it sends as
the account's send events happen: batches of at most `maxBatchSize`, signed in
`x-sfmc-ens-signature` (base64 of HMAC-SHA256 of the raw body, keyed with the callback's
signature key decoded from base64: chosen, the documentation's pseudocode leaves the key's
encoding open), answered within 3 s, tried again per the dated policy in the calendar."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from vendorsim.mocks.core.calendar import RuleView
from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.outbox import Delivery, Outbox

from .. import facts
from .errors import SfmcError
from .scopes import Caller, operation
from .tracking import Tracked

CATEGORIES = {"SentEvent": "TransactionalSendEvents.EmailSent",
              "NotSentEvent": "TransactionalSendEvents.EmailNotSent",
              "BounceEvent": "TransactionalSendEvents.EmailBounced",
              "OpenEvent": "EngagementEvents.EmailOpen",
              "ClickEvent": "EngagementEvents.EmailClick",
              "UnsubEvent": "EngagementEvents.EmailUnsubscribe"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def sign(key: str, body: bytes) -> str:
    """The `x-sfmc-ens-signature` of a body: base64(HMAC-SHA256(decoded key, body))."""
    digest = hmac.new(base64.b64decode(key), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Callback:
    id: str
    name: str
    url: str
    max_batch: int
    signature_key: str
    verification_key: str
    verified: bool = False
    failures: list[float] = field(default_factory=list)  # recent failed deliveries
    suspended_until: float = 0.0
    suspension: float = 0.0  # the last suspension's length (it grows)

    def render(self, with_key: bool = False) -> dict:
        shown = {"callbackId": self.id, "callbackName": self.name, "url": self.url,
                 "maxBatchSize": self.max_batch,
                 "status": "verified" if self.verified else "notVerified"}
        return {**shown, "signatureKey": self.signature_key} if with_key else shown


@dataclass
class Subscription:
    id: str
    name: str
    callback_id: str
    categories: tuple[str, ...]
    filters: tuple[str, ...]
    status: str = "active"

    def render(self) -> dict:
        return {"subscriptionId": self.id, "subscriptionName": self.name,
                "callbackId": self.callback_id, "eventCategoryTypes": list(self.categories),
                "filters": list(self.filters), "status": self.status}

    def wants(self, category: str, definition: str | None) -> bool:
        if self.status != "active" or category not in self.categories:
            return False
        keys = [f.split("=", 1)[1] for f in self.filters if f.startswith("definitionKey=")]
        return not keys or definition in keys


class EnsStore:
    """The account's callbacks and subscriptions, and notifications waiting to be sent."""

    def __init__(self, lock: threading.RLock, clock: Clock, outbox: Outbox | None,
                 calendar: RuleView, subdomain: str, member_id: int) -> None:
        self.lock = lock
        self.clock = clock
        self.outbox = outbox
        self.calendar = calendar
        self.subdomain = subdomain
        self.member_id = member_id
        self.callbacks: dict[str, Callback] = {}
        self.subscriptions: dict[str, Subscription] = {}
        self._buffer: dict[str, list[dict]] = {}  # callback id -> notifications to send
        self._flushing = False

    # -- callbacks ---------------------------------------------------------------------
    @operation("ens.write")
    def create_callbacks(self, caller: Caller, body: object) -> list[dict]:
        items = body if isinstance(body, list) else [body]
        if not items or len(items) > 10:
            raise SfmcError(400, "The body is a list of 1 to 10 callbacks.", 10001)
        checked = [self._checked(item, None) for item in items]
        made = []
        for name, url, batch in checked:
            callback = Callback(str(uuid.uuid4()), name, url, batch,
                                base64.b64encode(secrets.token_bytes(32)).decode(),
                                secrets.token_urlsafe(24))
            self.callbacks[callback.id] = callback
            made.append(callback.render(with_key=True))
            self._send(callback, "ens.verify", {"callbackId": callback.id,
                                                "verificationKey": callback.verification_key},
                       timeout=facts.ENS_VERIFY_SECONDS, signed=False)
        return made

    def _checked(self, item: object, itself: str | None) -> tuple[str, str, int]:
        spec = item if isinstance(item, dict) else {}
        name, url = spec.get("callbackName"), spec.get("url")
        batch = spec.get("maxBatchSize", facts.ENS_MAX_BATCH)
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise SfmcError(400, "callbackName is required.", 10001)
        if not isinstance(url, str) or not valid_url(url):
            raise SfmcError(400, "url is https://host[/path], with no port and no query "
                                 "(http and a port allowed on loopback here).", 10001)
        if any(c.url == url and c.id != itself for c in self.callbacks.values()):
            raise SfmcError(400, "A callback with this url exists in the account.", 10001)
        if isinstance(batch, bool) or not isinstance(batch, int) or \
                not facts.ENS_MIN_BATCH <= batch <= facts.ENS_MAX_BATCH:
            raise SfmcError(400, f"maxBatchSize is {facts.ENS_MIN_BATCH} to "
                                 f"{facts.ENS_MAX_BATCH}.", 10001)
        return name, url, batch

    def callback(self, callback_id: object) -> Callback:
        found = self.callbacks.get(callback_id) if isinstance(callback_id, str) else None
        if found is None:
            raise SfmcError(404, f"Callback {str(callback_id)[:60]} was not found.", 10002)
        return found

    @operation("ens.read")
    def list_callbacks(self, caller: Caller) -> list[dict]:
        return [c.render() for c in self.callbacks.values()]

    @operation("ens.read")
    def get_callback(self, caller: Caller, callback_id: str) -> dict:
        return self.callback(callback_id).render()

    @operation("ens.write")
    def update_callback(self, caller: Caller, body: object) -> dict:
        spec = body if isinstance(body, dict) else {}
        found = self.callback(spec.get("callbackId"))
        name, url, batch = self._checked({**found.render(), **spec}, found.id)
        changed = url != found.url
        found.name, found.url, found.max_batch = name, url, batch
        if changed:  # a new URL is verified again
            found.verified = False
            self._send(found, "ens.verify", {"callbackId": found.id, "verificationKey":
                                             found.verification_key},
                       timeout=facts.ENS_VERIFY_SECONDS, signed=False)
        return found.render()

    @operation("ens.write")
    def delete_callback(self, caller: Caller, callback_id: str) -> None:
        found = self.callback(callback_id)
        if any(s.callback_id == found.id for s in self.subscriptions.values()):
            raise SfmcError(400, "Delete the callback's subscriptions first.", 10001)
        del self.callbacks[found.id]

    @operation("ens.write")
    def verify(self, caller: Caller, body: object) -> dict:
        spec = body if isinstance(body, dict) else {}
        found = self.callback(spec.get("callbackId"))
        if not hmac.compare_digest(str(spec.get("verificationKey", "")),
                                   found.verification_key):
            raise SfmcError(400, "The verificationKey does not match.", 10001)
        found.verified = True
        return {"callbackId": found.id, "verified": True}

    @operation("ens.write")
    def regenerate(self, caller: Caller, body: object) -> dict:
        spec = body if isinstance(body, dict) else {}
        found = self.callback(spec.get("callbackId"))
        found.signature_key = base64.b64encode(secrets.token_bytes(32)).decode()
        return found.render(with_key=True)

    # -- subscriptions -------------------------------------------------------------------
    @operation("ens.write")
    def subscribe(self, caller: Caller, body: object) -> list[dict]:
        items = body if isinstance(body, list) else [body]
        made = []
        for item in items[:50]:
            spec = item if isinstance(item, dict) else {}
            callback = self.callback(spec.get("callbackId"))
            categories, filters = spec.get("eventCategoryTypes"), spec.get("filters", [])
            name = spec.get("subscriptionName")
            if not isinstance(name, str) or not name.strip() or not isinstance(
                    categories, list) or not categories or any(
                    c not in CATEGORIES.values() for c in categories):
                raise SfmcError(400, "A subscription needs a subscriptionName and "
                                     "eventCategoryTypes among "
                                     f"{', '.join(CATEGORIES.values())}.", 10001)
            if not isinstance(filters, list) or not all(
                    isinstance(f, str) and f.startswith("definitionKey=") for f in filters):
                raise SfmcError(400, "filters are 'definitionKey=KEY' texts.", 10001)
            status = spec.get("status", "active")
            if status not in ("active", "paused"):
                raise SfmcError(400, "status is active or paused.", 10001)
            found = Subscription(str(uuid.uuid4()), name, callback.id, tuple(categories),
                                 tuple(filters), status)
            self.subscriptions[found.id] = found
            made.append(found.render())
        return made

    @operation("ens.read")
    def list_subscriptions(self, caller: Caller) -> list[dict]:
        return [s.render() for s in self.subscriptions.values()]

    @operation("ens.write")
    def unsubscribe(self, caller: Caller, subscription_id: str) -> None:
        if self.subscriptions.pop(subscription_id, None) is None:
            raise SfmcError(404, f"Subscription {subscription_id[:60]} was not found.", 10002)

    # -- notifications -------------------------------------------------------------------
    def happened(self, event: Tracked) -> None:
        """A send event happened (the tracking store's listener): buffer it for every
        verified callback subscribed to its category, and send the batches."""
        category = CATEGORIES[event.object_type]
        with self.lock:
            for subscription in list(self.subscriptions.values()):
                callback = self.callbacks.get(subscription.callback_id)
                if callback is None or not callback.verified or \
                        not subscription.wants(category, event.definition):
                    continue
                self._buffer.setdefault(callback.id, []).append(self._notification(
                    event, category))
        self.flush()

    def _notification(self, event: Tracked, category: str) -> dict:
        info: dict[str, Any] = {"messageKey": event.message_key or f"{event.send_id}."
                                f"{event.subscriber}", "contactKey": event.subscriber,
                                "to": event.address}
        if event.url:
            info["linkUrl"] = event.url
        if event.bounce:
            info.update(bounceCode=event.smtp, bounceMessage=event.bounce)
        return {"eventCategoryType": category, "timestampUTC": int(event.at * 1000),
                "compositeId": f"{event.send_id}.{event.id}", "definitionKey":
                event.definition, "definitionId": event.tsd_object_id, "mid": self.member_id,
                "eid": self.member_id, "info": info}

    def flush(self) -> None:
        """Send what waits, in batches of each callback's maxBatchSize."""
        with self.lock:
            batches = []
            for callback_id, waiting in list(self._buffer.items()):
                callback = self.callbacks.get(callback_id)
                if callback is None:
                    continue
                while waiting:
                    batch, waiting[:] = waiting[:callback.max_batch], waiting[callback.max_batch:]
                    batches.append((callback, batch))
            self._buffer.clear()
        for callback, batch in batches:
            self._send(callback, "ens", batch, timeout=facts.ENS_ANSWER_SECONDS, signed=True)

    def _send(self, callback: Callback, kind: str, payload: object, *, timeout: float,
              signed: bool) -> None:
        if self.outbox is None:
            return
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"x-sfmc-ens-signature": sign(callback.signature_key, body)} if signed \
            else {}
        newer = self.calendar(facts.ENS_RETRY_RULE)
        waits = facts.ENS_RETRIES_NEW if newer else facts.ENS_RETRIES_OLD
        due = max(self.clock.now(), callback.suspended_until) if not newer else None
        self.outbox.deliver("sfmc", self.subdomain, kind, callback.url, body, headers,
                            timeout=timeout, due=due, max_tries=len(waits) + 1,
                            retry_after=waits, key=f"{callback.id}:{zlib.crc32(body)}",
                            owner=self.lock,
                            done=lambda d: self._done(callback, d, newer))

    def _done(self, callback: Callback, delivery: Delivery, newer: bool) -> None:
        """The older policy suspends a callback that failed twice in 5 minutes: 10 minutes,
        growing to an hour."""
        if delivery.state == "delivered" or newer:
            return
        with self.lock:
            now = self.clock.now()
            callback.failures = [t for t in callback.failures if now - t < 300] + [now]
            if len(callback.failures) >= 2:
                callback.suspension = min(3600.0, max(600.0, callback.suspension * 2))
                callback.suspended_until = now + callback.suspension
                callback.failures.clear()


def valid_url(url: str) -> bool:
    """ENS's rule: https, no port, no query; loopback hosts may use http and a port (so a
    receiver under test on this machine can be one)."""
    parts = urlsplit(url)
    if parts.query or parts.fragment or not parts.hostname or len(url) > 2000:
        return False
    if parts.hostname in LOOPBACK:
        return parts.scheme in ("http", "https")
    return parts.scheme == "https" and parts.port is None


def seed_ens(store: EnsStore, data: object) -> None:
    """Callbacks and subscriptions of a snapshot (signature keys and verification kept)."""
    spec = data if isinstance(data, dict) else {}
    for item in spec.get("callbacks") or []:
        if not isinstance(item, dict) or not isinstance(item.get("callbackId"), str):
            raise ValueError("an ENS callback is {callbackId, callbackName, url, ...}")
        name, url, batch = store._checked(item, None)
        key = item.get("signatureKey") or base64.b64encode(secrets.token_bytes(32)).decode()
        store.callbacks[item["callbackId"]] = Callback(
            item["callbackId"], name, url, batch, str(key),
            str(item.get("verificationKey") or secrets.token_urlsafe(24)),
            item.get("verified") is True)
    for item in spec.get("subscriptions") or []:
        if not isinstance(item, dict):
            raise ValueError("an ENS subscription is an object as the snapshot shows it")
        (made,) = store.subscribe(Caller(), item)
        if isinstance(item.get("subscriptionId"), str):
            store.subscriptions[item["subscriptionId"]] = store.subscriptions.pop(
                made["subscriptionId"])
            store.subscriptions[item["subscriptionId"]].id = item["subscriptionId"]


def ens_snapshot(store: EnsStore) -> dict:
    return {"callbacks": [{**c.render(with_key=True), "verificationKey": c.verification_key,
                           "verified": c.verified} for c in store.callbacks.values()],
            "subscriptions": [s.render() for s in store.subscriptions.values()]}
