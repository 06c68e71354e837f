"""Demandbase subscription alerts (vendor-apis.md §8.4): a subscription names a destination
URL, which Demandbase checks with a HEAD carrying `X-DemandbaseAPI-ValidationCode` that the
receiver must echo; then it sends alerts, pages of at most 5,000 entities signed with the
subscription's `signingSecret`.

What the portal leaves open is chosen here (facts.py and docs/living-account.md): the path,
the one alert type (accounts joining or leaving the account lists the subscription
watches), the echo in the answer's header of the same name, the signature header and its hex
HMAC-SHA256, the states' meaning (VERIFICATION_PENDING until the echo; RUNNING while the first
alert, the lists' members at that moment, is delivered; then ACTIVE; DISABLED when the
validation or an alert page fails every try), the gathering delay and the retries."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc
from vendorsim.mocks.core.outbox import Delivery, Outbox, https_url

from .. import facts
from .errors import problem
from .grants import Caller, operation

if TYPE_CHECKING:
    from .client import AccountList

WRITABLE = ("name", "destinationUrl", "alertType", "accountListIds")


def sign(secret: str, body: bytes) -> str:
    """The alert page's signature: hex HMAC-SHA256 of the raw body keyed with the UTF-8
    signingSecret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Subscription:
    id: str
    name: str
    url: str
    alert_type: str
    list_ids: tuple[int, ...]  # () watches every list of the client
    secret: str
    created: float
    code: str = ""  # the validation code of the last HEAD
    status: str = "VERIFICATION_PENDING"
    reason: str | None = None  # why DISABLED
    first: bool = False  # the changes gathered are the first alert (the members then)
    first_pages: int = 0  # pages of the first alert still to be delivered (RUNNING)
    alerts: int = 0  # alert pages delivered
    changes: list[dict] = field(default_factory=list)  # gathered, not yet sent

    def render(self, with_secret: bool = False) -> dict:
        shown = {"subscriptionId": self.id, "name": self.name, "destinationUrl": self.url,
                 "alertType": self.alert_type, "accountListIds": list(self.list_ids),
                 "status": self.status, "statusReason": self.reason,
                 "alertPagesDelivered": self.alerts, "createdAt": iso_utc(self.created)}
        return {**shown, "signingSecret": self.secret} if with_secret else shown

    def watches(self, list_id: int) -> bool:
        return not self.list_ids or list_id in self.list_ids


class AlertStore:
    """The subscriptions of one API client and the alerts waiting to be sent."""

    def __init__(self, lock: threading.RLock, clock: Clock, outbox: Outbox | None,
                 client_id: str, lists: dict[int, AccountList]) -> None:
        self.lock = lock
        self.clock = clock
        self.outbox = outbox
        self.client_id = client_id
        self.lists: dict[int, AccountList] = lists  # the client's account lists
        self.subscriptions: dict[str, Subscription] = {}
        self._flush_due: float | None = None

    # -- the API's operations ------------------------------------------------------------
    @operation("subscriptions.write")
    def create(self, caller: Caller, body: object) -> dict:
        """A new subscription (VERIFICATION_PENDING) and its HEAD to the destination."""
        name, url, kind, list_ids = self._checked(body)
        if len(self.subscriptions) >= facts.MAX_SUBSCRIPTIONS:
            raise problem(409, f"A client holds at most {facts.MAX_SUBSCRIPTIONS} "
                               "subscriptions")
        made = Subscription(str(uuid.uuid4()), name, url, kind, list_ids,
                            secrets.token_urlsafe(32), self.clock.now())
        self.subscriptions[made.id] = made
        self._validate(made)
        return made.render(with_secret=True)

    def _checked(self, body: object) -> tuple[str, str, str, tuple[int, ...]]:
        if not isinstance(body, dict):
            raise problem(400, "The body is a JSON object {name, destinationUrl, alertType, "
                               "accountListIds}")
        unknown = sorted(str(k)[:40] for k in body if k not in WRITABLE)
        if unknown:
            raise problem(400, f"Unknown field(s): {', '.join(unknown[:5])}")
        name, url = body.get("name"), body.get("destinationUrl")
        kind = body.get("alertType", facts.ALERT_TYPES[0])
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise problem(400, "name is required (at most 200 characters)")
        if not https_url(url):
            raise problem(400, "destinationUrl is an https URL (http on loopback hosts)")
        if kind not in facts.ALERT_TYPES:
            raise problem(400, f"alertType is one of {', '.join(facts.ALERT_TYPES)}")
        raw = body.get("accountListIds", [])
        if not isinstance(raw, list) or len(raw) > facts.MAX_LISTS_WATCHED:
            raise problem(400, f"accountListIds is a list of at most "
                               f"{facts.MAX_LISTS_WATCHED} account list ids")
        ids = [whole_number(x, 1) if not isinstance(x, str) else None for x in raw]
        missing = [str(x)[:40] for x, i in zip(raw, ids, strict=True)
                   if i is None or i not in self.lists]
        if missing:
            raise problem(404, f"Account list(s) not found: {', '.join(missing[:5])}")
        return name.strip(), str(url), str(kind), tuple(dict.fromkeys(
            i for i in ids if i is not None))

    def get(self, subscription_id: object) -> Subscription:
        found = self.subscriptions.get(subscription_id) \
            if isinstance(subscription_id, str) else None
        if found is None:
            raise problem(404, f"Subscription {str(subscription_id)[:60]} not found")
        return found

    @operation("subscriptions.read")
    def all(self, caller: Caller) -> list[dict]:
        return [s.render() for s in self.subscriptions.values()]

    @operation("subscriptions.read")
    def describe(self, caller: Caller, subscription_id: str) -> dict:
        return self.get(subscription_id).render()

    @operation("subscriptions.write")
    def delete(self, caller: Caller, subscription_id: str) -> None:
        del self.subscriptions[self.get(subscription_id).id]

    @operation("subscriptions.write")
    def revalidate(self, caller: Caller, subscription_id: str) -> dict:
        """Check the destination again (a DISABLED subscription's way back)."""
        found = self.get(subscription_id)
        if found.status in ("RUNNING", "ACTIVE"):
            raise problem(409, f"The subscription is {found.status}")
        self._validate(found)
        return found.render()

    # -- the validation handshake ----------------------------------------------------------
    def _validate(self, found: Subscription) -> None:
        found.status, found.reason = "VERIFICATION_PENDING", None
        found.code = secrets.token_hex(16)
        found.changes.clear()
        found.first, found.first_pages = False, 0
        if self.outbox is not None:
            code = found.code
            self.outbox.deliver(
                "demandbase", self.client_id, "validation", found.url, b"",
                {facts.VALIDATION_HEADER: code}, method="HEAD",
                due=self.clock.now() + facts.VALIDATION_DELAY,
                timeout=facts.ALERT_TIMEOUT, max_tries=len(facts.VALIDATION_RETRIES) + 1,
                retry_after=facts.VALIDATION_RETRIES, key=f"{found.id}:validation:{code}",
                owner=self.lock,
                done=lambda d: self._validated(found.id, code, d))

    def _validated(self, subscription_id: str, code: str, delivery: Delivery) -> None:
        """The HEAD's outcome: echoed → RUNNING (the first alert goes out); else DISABLED."""
        with self.lock:
            found = self.subscriptions.get(subscription_id)
            if found is None or found.code != code or found.status != "VERIFICATION_PENDING":
                return  # deleted, or validated again since
            echoed = delivery.answer_headers.get(facts.VALIDATION_HEADER.lower(), "")
            if delivery.state != "delivered":
                found.status, found.reason = "DISABLED", "validation: no 2xx answer " \
                    f"({delivery.status or delivery.error})"
            elif not hmac.compare_digest(echoed.strip().encode(), code.encode()):
                found.status, found.reason = "DISABLED", "validation: the answer did not " \
                    f"echo {facts.VALIDATION_HEADER}"
            else:  # the first alert: the watched lists' members now, gathered as changes
                found.status = "RUNNING"
                found.changes = [self._entity(x, domain, "ADDED", at)
                                 for x in self.lists.values() if found.watches(x.id)
                                 for domain, at in x.members.items()]
                found.first = bool(found.changes)
                if found.first:  # its time on a virtual clock that jumped, not the jump's end
                    self._schedule(delivery.due)
                else:
                    found.status = "ACTIVE"

    # -- alerts ---------------------------------------------------------------------------
    def changed(self, target: AccountList, domains: list[str], change: str) -> None:
        """Accounts joined (ADDED) or left (REMOVED) a list: gathered for the subscriptions
        watching it, sent ALERT_DELAY seconds after the first change. Called under the
        client's lock by the operation that changed the list."""
        if not domains or not self.subscriptions:
            return
        now = self.clock.now()
        for found in self.subscriptions.values():
            if found.status in ("RUNNING", "ACTIVE") and \
                    found.watches(target.id):
                found.changes.extend(self._entity(target, d, change, now) for d in domains)
        if any(s.changes for s in self.subscriptions.values()):
            self._schedule(now)

    def _schedule(self, since: float) -> None:
        """The next flush, ALERT_DELAY after the first change it sends (`since`)."""
        if self._flush_due is None and self.outbox is not None:
            due = self._flush_due = since + facts.ALERT_DELAY
            self.outbox.at(due, lambda: self.flush(due), self.lock)

    def _entity(self, target: AccountList, domain: str, change: str, at: float) -> dict:
        return {"entityType": "ACCOUNT", "domain": domain, "change": change,
                "accountListId": target.id, "accountListName": target.name,
                "changedAt": iso_utc(at)}

    def flush(self, at: float | None = None) -> None:
        """Send what was gathered, in pages (the outbox's task at the gathering's end, `at`)."""
        with self.lock:
            self._flush_due = None
            at = self.clock.now() if at is None else at
            for found in self.subscriptions.values():
                waiting, found.changes, first = found.changes, [], found.first
                if waiting and found.status in ("RUNNING", "ACTIVE"):
                    found.first = False
                    pages = self._send_pages(found, waiting, first=first, at=at)
                    if first:
                        found.first_pages = pages

    def _send_pages(self, found: Subscription, entities: list[dict], *, first: bool,
                    at: float) -> int:
        if self.outbox is None or not entities:
            return 0
        alert_id = str(uuid.uuid4())
        pages = [entities[i:i + facts.ALERT_PAGE]
                 for i in range(0, len(entities), facts.ALERT_PAGE)]
        for number, page in enumerate(pages, 1):
            body = json.dumps({
                "alertId": alert_id, "subscriptionId": found.id, "alertType": found.alert_type,
                "initial": first, "page": number, "totalPages": len(pages),
                "entityCount": len(page), "createdAt": iso_utc(at),
                "entities": page}, separators=(",", ":")).encode()
            self.outbox.deliver(
                "demandbase", self.client_id, "alert", found.url, body,
                {facts.SIGNATURE_HEADER: sign(found.secret, body)},
                due=at, timeout=facts.ALERT_TIMEOUT, max_tries=len(facts.ALERT_RETRIES) + 1,
                retry_after=facts.ALERT_RETRIES, key=f"{alert_id}:{number}", owner=self.lock,
                done=functools.partial(self._page_done, found.id, first))
        return len(pages)

    def _page_done(self, subscription_id: str, first: bool, delivery: Delivery) -> None:
        with self.lock:
            found = self.subscriptions.get(subscription_id)
            if found is None or found.status == "DISABLED":
                return
            if delivery.state != "delivered":
                found.status, found.reason = "DISABLED", "an alert page failed every try " \
                    f"({delivery.status or delivery.error})"
                return
            found.alerts += 1
            if first:
                found.first_pages -= 1
                if found.first_pages <= 0 and found.status == "RUNNING":
                    found.status = "ACTIVE"

    # -- snapshots -------------------------------------------------------------------------
    def snapshot(self) -> list[dict]:
        return [{**s.render(with_secret=True), "validationCode": s.code}
                for s in self.subscriptions.values()]

    def restore(self, items: object) -> None:
        """Subscriptions of a seed or snapshot, as they were: no new HEAD (a pending one
        waits for `validate`); a RUNNING one is ACTIVE (its first alert's deliveries are not
        in the snapshot)."""
        if not isinstance(items, list):
            raise ValueError("alert_subscriptions is a list")
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("subscriptionId"), str) \
                    or not isinstance(item.get("signingSecret"), str):
                raise ValueError("an alert subscription is an object as the snapshot shows "
                                 "it (subscriptionId, signingSecret, ...)")
            if item["subscriptionId"] in self.subscriptions:
                raise ValueError(f"alert subscription {item['subscriptionId'][:60]!r} twice")
            status = item.get("status", "VERIFICATION_PENDING")
            if status not in ("VERIFICATION_PENDING", "RUNNING", "ACTIVE", "DISABLED"):
                raise ValueError(f"alert subscription status {str(status)[:40]!r}")
            try:
                name, url, kind, list_ids = self._checked(
                    {k: item[k] for k in WRITABLE if k in item})
            except Exception as exc:
                raise ValueError(str(getattr(exc, "body", exc))) from None
            self.subscriptions[item["subscriptionId"]] = Subscription(
                item["subscriptionId"], name, url, kind, list_ids, item["signingSecret"],
                self.clock.now(), str(item.get("validationCode") or ""),
                "ACTIVE" if status == "RUNNING" else status,
                item.get("statusReason") if isinstance(item.get("statusReason"), str)
                else None)
