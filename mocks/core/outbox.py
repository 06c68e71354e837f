"""What the vendors do on their own, on the clock: the work they schedule (an email's opens
coming in, a job finishing) and the calls they make to the customer's systems (SFMC's Event
Notification Service, Marketo's webhooks, Demandbase's and Bombora's alerts).

Tasks and deliveries wait in one queue ordered by time. They run when their time has come:
after each vendor call (outside every model lock, so a receiver may call the vendor back), on
a virtual clock each time it moves, on a real clock from a thread that wakes for each. A
delivery goes to the receiver's URL: in-process to a WSGI app or a callable registered for
that URL (`receive`), else over HTTP with the vendor's timeout. Each
is signed by the vendor, journalled (as an outbound call) and kept in a bounded log with its
outcome; a failed one is tried again as the vendor's policy says. Faults aimed at receivers
(a duplicate, a delivery out of order or late, a bad signature) test the receiving code.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from .routing import call_wsgi

if TYPE_CHECKING:
    from .clock import Clock
    from .journal import Journal

DELIVERIES_KEPT = 10_000  # the most recent deliveries in the log
RECEIVER_FAULTS = ("duplicate", "out_of_order", "late", "bad_signature")
# a WSGI app, or f(method, url, headers, body) -> status, (status, body) or
# (status, body, headers)
Receiver = Callable[..., Any]
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class Delivery:
    """One call a vendor makes to a customer's endpoint, and what became of it."""

    id: int
    vendor: str
    tenant: str | None
    kind: str  # ens, ens.verify, webhook, alert, validation, ...
    url: str
    body: bytes
    headers: dict[str, str]
    due: float
    timeout: float
    method: str = "POST"
    tries: int = 0
    max_tries: int = 1
    retry_after: tuple[float, ...] = ()  # seconds before each further try
    state: str = "pending"  # pending | delivered | failed
    status: int | None = None
    elapsed: float | None = None  # seconds the receiver took to answer
    error: str | None = None
    fault: str | None = None  # a receiver fault this delivery carries
    key: str = ""  # what it delivers (a batch or event id): duplicates share it
    answer: bytes = b""
    answer_headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    done: Callable[[Delivery], None] | None = field(default=None, repr=False)
    owner: object = field(default=None, repr=False)  # the model that asked for it

    def to_dict(self) -> dict:
        return {"id": self.id, "vendor": self.vendor, "tenant": self.tenant, "kind": self.kind,
                "url": self.url, "method": self.method, "tries": self.tries,
                "state": self.state, "status": self.status, "elapsed": self.elapsed,
                "error": self.error, "fault": self.fault, "key": self.key,
                "headers": dict(self.headers), "bytes": len(self.body),
                "body": self.body[:4096].decode("utf-8", "replace")}


@dataclass
class ReceiverFault:
    id: int
    kind: str
    vendor: str | None = None
    tenant: str | None = None
    times: int | None = 1
    delay: float = 60.0  # `late`: how much later; `out_of_order`: held back by this much
    fired: int = 0

    def matches(self, delivery: Delivery) -> bool:
        """Whether it applies: a bad signature only to a signed delivery (not to a
        handshake such as ENS's verification post or Demandbase's HEAD)."""
        return (self.times is None or self.fired < self.times) and \
            self.vendor in (None, delivery.vendor) and \
            self.tenant in (None, delivery.tenant) and \
            (self.kind != "bad_signature" or
             any("signature" in name.lower() for name in delivery.headers))


class Outbox:
    """The cloud's queue of vendor work and outbound calls, and their log."""

    def __init__(self, clock: Clock, journal: Journal) -> None:
        self.clock = clock
        self.journal = journal
        self._lock = threading.Lock()
        # (due, seq, task or delivery, the model that scheduled it: see forget)
        self._queue: list[tuple[float, int, Any, object]] = []
        self._seq = itertools.count(1)
        self._ids = itertools.count(1)
        self.log: deque[Delivery] = deque(maxlen=DELIVERIES_KEPT)
        self.receivers: list[tuple[str, Receiver]] = []
        self.faults: list[ReceiverFault] = []
        self._running = threading.local()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        if getattr(clock, "virtual", False):
            clock.listeners.append(self.run_due)  # type: ignore[attr-defined]  # a VirtualClock

    # -- scheduling --------------------------------------------------------------------
    def at(self, due: float, task: Callable[[], None], owner: object = None) -> None:
        """Run `task` once the clock reaches `due` (a vendor's own work; `owner`: the
        tenant model it belongs to, by its lock)."""
        self._push(due, task, owner)

    def deliver(self, vendor: str, tenant: str | None, kind: str, url: str, body: bytes,
                headers: dict[str, str], *, timeout: float, due: float | None = None,
                max_tries: int = 1, retry_after: Iterable[float] = (), key: str = "",
                method: str = "POST", done: Callable[[Delivery], None] | None = None,
                owner: object = None) -> Delivery:
        """Schedule a call to a customer's endpoint (now, or at `due`)."""
        delivery = Delivery(next(self._ids), vendor, tenant, kind, url, body, dict(headers),
                            self.clock.now() if due is None else due, timeout, method,
                            max_tries=max_tries, retry_after=tuple(retry_after), key=key,
                            done=done, owner=owner)
        for fault in self._faults_for(delivery):
            self._apply_fault(fault, delivery)
        self._push(delivery.due, delivery, owner)
        return delivery

    def _push(self, due: float, item: Any, owner: object = None) -> None:
        with self._lock:
            heapq.heappush(self._queue, (due, next(self._seq), item, owner))
            self._wake.notify()
        if not getattr(self.clock, "virtual", False):
            self._start_thread()

    def due(self) -> bool:
        """Whether anything waits whose time has come (a cheap check for every call)."""
        queue = self._queue
        return bool(queue) and queue[0][0] <= self.clock.now()

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    # -- running -----------------------------------------------------------------------
    def run_due(self, *_: object) -> int:
        """Run every task and delivery whose time has come; how many ran. Not re-entered
        from within a delivery (a receiver that moves the clock waits for the next pass)."""
        if getattr(self._running, "active", False):
            return 0
        self._running.active = True
        ran = 0
        try:
            while True:
                with self._lock:
                    if not self._queue or self._queue[0][0] > self.clock.now():
                        return ran
                    item = heapq.heappop(self._queue)[2]
                ran += 1
                if isinstance(item, Delivery):
                    self._attempt(item)
                else:
                    item()
        finally:
            self._running.active = False

    def _start_thread(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._loop, daemon=True,
                                            name="vendorsim-outbox")
        self._thread.start()

    def _loop(self) -> None:
        """Real clock: wake for the next due item (or a new one), run what is due."""
        while True:
            with self._lock:
                wait = self._queue[0][0] - self.clock.now() if self._queue else 3600.0
                if wait > 0:
                    self._wake.wait(timeout=min(wait, 3600.0))
            self.run_due()

    # -- one delivery ------------------------------------------------------------------
    def _attempt(self, delivery: Delivery) -> None:
        delivery.tries += 1
        started = time.perf_counter()
        try:
            status, answer_headers, answer = self._send(delivery)
            delivery.status, delivery.answer, delivery.error = status, answer[:65536], None
            delivery.answer_headers = answer_headers
        except Exception as exc:  # a receiver that cannot be reached: a failed try
            delivery.status, delivery.error = None, f"{type(exc).__name__}: {str(exc)[:200]}"
        delivery.elapsed = round(time.perf_counter() - started, 4)
        slow = delivery.elapsed > delivery.timeout
        if slow and delivery.error is None:
            delivery.error = f"answered in {delivery.elapsed:.1f} s, over the vendor's " \
                             f"{delivery.timeout:g} s"
        ok = delivery.status is not None and 200 <= delivery.status < 300 and not slow
        self._journal(delivery)
        if ok:
            delivery.state = "delivered"
        elif delivery.tries < delivery.max_tries:
            waits = delivery.retry_after or (60.0,)
            # on a virtual clock that jumped, each try happens at its own time, not at the
            # jump's end (a day's tries are all made when the clock passes a day)
            base = delivery.due if getattr(self.clock, "virtual", False) else self.clock.now()
            delivery.due = base + waits[min(delivery.tries - 1, len(waits) - 1)]
            self._push(delivery.due, delivery, delivery.owner)
            return
        else:
            delivery.state = "failed"
        with self._lock:
            self.log.append(delivery)
        if delivery.done is not None:
            delivery.done(delivery)

    def _send(self, delivery: Delivery) -> tuple[int, dict[str, str], bytes]:
        """The receiver's status, headers (names lower-cased) and body."""
        receiver = self._receiver(delivery.url)
        headers = {"Content-Type": "application/json", **delivery.headers}
        if receiver is None:
            answer = requests.request(delivery.method, delivery.url, data=delivery.body,
                                      headers=headers, timeout=delivery.timeout)
            return answer.status_code, {k.lower(): v for k, v in answer.headers.items()}, \
                answer.content
        if hasattr(receiver, "wsgi_app") or getattr(receiver, "__vendorsim_wsgi__", False):
            status, pairs, body = call_wsgi(receiver, delivery.method, delivery.url, headers,
                                            delivery.body)
            return status, {k.lower(): v for k, v in pairs}, body
        found = receiver(delivery.method, delivery.url, headers, delivery.body)
        status, body, extra = (tuple(found) + (b"", {}))[:3] if isinstance(found, tuple) \
            else (found, b"", {})
        named = {str(k).lower(): str(v) for k, v in extra.items()} \
            if isinstance(extra, dict) else {}
        return int(status), named, body if isinstance(body, bytes) else str(body).encode()

    def _receiver(self, url: str) -> Receiver | None:
        for prefix, receiver in self.receivers:
            if url.startswith(prefix):
                return receiver
        return None

    def _journal(self, delivery: Delivery) -> None:
        parts = urlsplit(delivery.url)
        self.journal.record(
            time=self.clock.now(), vendor=delivery.vendor, tenant=delivery.tenant,
            method=delivery.method, path=f"{parts.scheme}://{parts.netloc}{parts.path}",
            status=delivery.status or 0,
            codes=[f"callback:{delivery.kind}"] + ([f"fault:{delivery.fault}"]
                                                  if delivery.fault else []) +
            (["receiver:slow"] if (delivery.elapsed or 0) > delivery.timeout else []),
            request_hash=zlib.crc32(delivery.body),
            duration_ms=round((delivery.elapsed or 0) * 1000, 3), client="receiver",
            refused=delivery.status is None or delivery.status >= 300, outbound=True,
            bodies=("", delivery.body, delivery.answer))

    # -- receivers and their faults ----------------------------------------------------
    def receive(self, url_prefix: str, receiver: Receiver) -> None:
        """Answer deliveries to URLs starting with `url_prefix` in-process: a WSGI app (Flask)
        or f(method, url, headers, body) -> status, (status, body) or (status, body,
        headers)."""
        if not url_prefix.startswith(("http://", "https://")):
            raise ValueError("a receiver's URL prefix starts with http:// or https://")
        with self._lock:
            self.receivers = [(p, r) for p, r in self.receivers if p != url_prefix]
            self.receivers.append((url_prefix, receiver))
            self.receivers.sort(key=lambda pr: -len(pr[0]))  # the longest prefix first

    def add_fault(self, kind: str, *, vendor: str | None = None, tenant: str | None = None,
                  times: int | None = 1, delay: float = 60.0) -> ReceiverFault:
        """A fault on the next deliveries: `duplicate` (sent twice), `out_of_order` (held
        back `delay` s, so later ones overtake it), `late` (sent `delay` s late),
        `bad_signature` (signed with the wrong key)."""
        if kind not in RECEIVER_FAULTS:
            raise ValueError(f"a receiver fault is one of {', '.join(RECEIVER_FAULTS)}")
        if times is not None and (isinstance(times, bool) or not isinstance(times, int)
                                  or times < 1):
            raise ValueError("times is a whole number from 1 (or null: every delivery)")
        if isinstance(delay, bool) or not isinstance(delay, int | float) or \
                not 0 <= delay <= 86400 * 7:
            raise ValueError("delay is 0 to 604800 seconds")
        fault = ReceiverFault(next(self._ids), kind, vendor, tenant, times, float(delay))
        with self._lock:
            self.faults.append(fault)
        return fault

    def _faults_for(self, delivery: Delivery) -> list[ReceiverFault]:
        with self._lock:
            found = [f for f in self.faults if f.matches(delivery)]
            for fault in found:
                fault.fired += 1
            return found

    def _apply_fault(self, fault: ReceiverFault, delivery: Delivery) -> None:
        delivery.fault = fault.kind
        if fault.kind in ("late", "out_of_order"):
            delivery.due += fault.delay
        elif fault.kind == "bad_signature":
            for name in list(delivery.headers):
                if "signature" in name.lower():
                    delivery.headers[name] = "c2lnbmVkIHdpdGggdGhlIHdyb25nIGtleQ=="
        elif fault.kind == "duplicate":
            twin = Delivery(next(self._ids), delivery.vendor, delivery.tenant, delivery.kind,
                            delivery.url, delivery.body, dict(delivery.headers),
                            delivery.due + 1.0, delivery.timeout, delivery.method,
                            key=delivery.key, fault="duplicate", owner=delivery.owner)
            self._push(twin.due, twin, twin.owner)

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def forget(self, owner: object) -> int:
        """Drop what a tenant model that is gone (a reset, a restore, a refused restore
        built aside) still had waiting: a model nobody can reach must not call the customer's
        systems. How many items were dropped."""
        if owner is None:
            return 0
        with self._lock:
            kept = [entry for entry in self._queue if entry[3] is not owner]
            dropped = len(self._queue) - len(kept)
            if dropped:
                heapq.heapify(kept)
                self._queue[:] = kept
            return dropped

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self.log.clear()
            self.faults.clear()

    def deliveries(self, vendor: str | None = None, tenant: str | None = None,
                   kind: str | None = None) -> list[Delivery]:
        with self._lock:
            return [d for d in self.log if vendor in (None, d.vendor) and
                    tenant in (None, d.tenant) and kind in (None, d.kind)]


def https_url(url: object, *, port: bool = True) -> bool:
    """A receiver URL the vendors take: https with a host and no fragment (`port`: whether
    one may be named); loopback hosts may use http and any port, so that a receiver under
    test on this machine can be one."""
    if not isinstance(url, str) or len(url) > 2000 or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        named_port = parts.port
    except ValueError:
        return False
    if parts.fragment or not parts.hostname or parts.username or parts.password:
        return False
    if parts.hostname in LOOPBACK:
        return parts.scheme in ("http", "https")
    return parts.scheme == "https" and (port or named_port is None)
