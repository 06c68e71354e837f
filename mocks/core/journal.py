"""Request journal: what each vendor was asked and what it answered (WireMock's idea).

Bounded, so that a day of traffic at quota or a soak does not grow without end: the most
recent ENTRIES_KEPT calls (about 300 bytes each: slotted entries), and the bodies of at most
the most recent BODIES_KEPT of them within BODY_BUDGET bytes, whichever is reached first.
Filterable by every column so that a test or a user can ask "which calls got 606 from tenant
X after noon".
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, fields

from .clock import iso_utc, parse_time


@dataclass(slots=True)
class JournalEntry:
    seq: int
    time: float
    vendor: str
    tenant: str | None
    method: str
    path: str
    status: int
    codes: list[str]  # vendor error codes in the answer (Marketo "606", SFMC "50100", ...)
    duration_ms: float
    records: int | None = None  # records in a batch call, when the vendor has batches
    fault: int | None = None  # id of the fault rule that shaped this answer
    dropped: int | None = None  # records accepted but lost by a `drop` fault
    unmatched: bool = False  # no route of the vendor matched the request
    hint: str | None = None  # for an unmatched request: the nearest known route
    client: str | None = None  # the API client (credential) that made the call
    request_hash: int | None = None  # crc32 of query and body: the same request again
    retry_after: float | None = None  # seconds the answer asked the client to wait
    refused: bool = False  # the call as a whole was refused (an error answer)
    token_call: bool = False  # a call that asks for an access token
    additive: str | None = None  # an `additive` fault reshaped the answer: "answer"/"state"
    outbound: bool = False  # a call the vendor made to a customer's endpoint (a callback)

    def to_dict(self) -> dict:
        data = dict(zip(NAMES, _VALUES(self), strict=True))  # flat: cheaper than asdict
        data["codes"] = list(self.codes)
        data["time"] = iso_utc(self.time)
        data["epoch"] = self.time
        return data


NAMES = tuple(f.name for f in fields(JournalEntry))
_VALUES = operator.attrgetter(*NAMES)  # every field's value in one C call (a report reads
# the whole journal: 50,000 entries after a day at quota)


ENTRIES_KEPT = 100_000  # the most recent calls in the journal
BODY_LIMIT = 8 * 1024  # bytes kept of each request and response body
BODIES_KEPT = 5_000  # the most recent calls whose bodies are kept ...
BODY_BUDGET = 16 * 1024 * 1024  # ... within this many bytes in all
SECRET = re.compile(  # values masked when a body or query is read back
    r"""(?P<key>["']?(?:client_secret|access_token|accessToken|refresh_token|password|"""
    r"""token|api_?key)["']?\s*[:=]\s*["']?)(?P<value>[^"'&,}\s]+)""", re.I)
BEARER = re.compile(r"(Bearer\s+)\S+", re.I)


def masked(text: str) -> str:
    """Secrets (client secrets, tokens, passwords) replaced by ***."""
    return BEARER.sub(r"\1***", SECRET.sub(lambda m: m.group("key") + "***", text))


def _size(kept: tuple) -> int:
    query, sent, _, answered, _ = kept
    return len(query) + len(sent) + len(answered)


def _shown(body: bytes, cut: int) -> str:
    text = masked(body.decode("utf-8", "replace"))
    return text + (f"…[truncated {cut} bytes]" if cut else "")


class Journal:
    """Thread-safe ring buffer of JournalEntry, newest last; the bodies of the most recent
    calls beside it (sliced when recorded, masked when read: the hot path stays cheap)."""

    def __init__(self, maxlen: int = ENTRIES_KEPT) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=maxlen)
        # seq -> bodies, oldest first; dropped from the front, which a plain dict does in time
        # growing with what was dropped before it (2.7 against 0.2 µs a call once full)
        self._bodies: OrderedDict[int, tuple] = OrderedDict()
        self._body_bytes = 0
        self._seq = itertools.count(1)
        self.enabled = True
        self.keep_bodies = True  # off for load runs (`vendorsim serve --no-journal-bodies`)

    def record(self, *, bodies: tuple[str, bytes, bytes] | None = None,
               **fields: object) -> JournalEntry | None:
        """`bodies`: (query string, request body, response body) of the call."""
        if not self.enabled:
            return None
        return self.add(JournalEntry(seq=0, **fields), bodies)  # type: ignore[arg-type]  # the fields of JournalEntry

    def add(self, entry: JournalEntry, bodies: tuple[str, bytes, bytes] | None = None
            ) -> JournalEntry:
        """Append an entry built by the caller (its `seq` is given here), with its bodies."""
        if bodies is not None and self.keep_bodies:
            query, sent, answered = bodies
            kept = (query[:BODY_LIMIT], sent[:BODY_LIMIT], max(0, len(sent) - BODY_LIMIT),
                    answered[:BODY_LIMIT], max(0, len(answered) - BODY_LIMIT))
            size = len(kept[0]) + len(kept[1]) + len(kept[3])
        else:
            kept = None
        with self._lock:
            entry.seq = next(self._seq)
            self._entries.append(entry)
            if kept is not None:
                self._bodies[entry.seq] = kept
                self._body_bytes += size
                while len(self._bodies) > BODIES_KEPT or self._body_bytes > BODY_BUDGET:
                    self._body_bytes -= _size(self._bodies.popitem(last=False)[1])
            return entry

    @property
    def body_bytes(self) -> int:
        """Bytes of bodies kept now (at most BODY_BUDGET)."""
        return self._body_bytes

    def detail(self, seq: int) -> dict | None:
        """One entry with its query, request and response bodies (masked, truncated)."""
        with self._lock:
            entry = next((e for e in reversed(self._entries) if e.seq == seq), None)
            kept = self._bodies.get(seq)
        if entry is None:
            return None
        data = entry.to_dict()
        if kept is None:
            data["bodies"] = None  # not kept: switched off, or too old
        else:
            query, sent, sent_cut, answered, answered_cut = kept
            data["bodies"] = {"query": masked(query), "request": _shown(sent, sent_cut),
                              "response": _shown(answered, answered_cut)}
        return data

    def entries(
        self,
        *,
        vendor: str | None = None,
        tenant: str | None = None,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        code: str | None = None,
        since: float | str | None = None,
        until: float | str | None = None,
        limit: int | None = None,
        unmatched: bool | None = None,
    ) -> list[JournalEntry]:
        """Entries matching every given filter (path is a substring, code any of the codes)."""
        since_t = parse_time(since) if since is not None else None
        until_t = parse_time(until) if until is not None else None
        with self._lock:
            snapshot = list(self._entries)
        out = []
        for e in snapshot:
            if vendor and e.vendor != vendor:
                continue
            if tenant and (e.tenant or "").upper() != tenant.upper():
                continue
            if method and e.method != method.upper():
                continue
            if path and path not in e.path:
                continue
            if status is not None and e.status != status:
                continue
            if code and code not in e.codes:
                continue
            if unmatched is not None and e.unmatched != unmatched:
                continue
            if since_t is not None and e.time < since_t:
                continue
            if until_t is not None and e.time >= until_t:
                continue
            out.append(e)
        return out[-limit:] if limit else out

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self, vendor: str | None = None) -> None:
        with self._lock:
            if vendor is None:
                self._entries.clear()
                self._bodies.clear()
                self._body_bytes = 0
            else:
                kept = [e for e in self._entries if e.vendor != vendor]
                self._entries.clear()
                self._entries.extend(kept)
