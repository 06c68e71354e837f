"""Request journal: what each vendor was asked and what it answered (WireMock's idea).

Bounded, so that a day of traffic at quota does not grow without end; filterable by every
column so that a test or a user can ask "which calls got 606 from tenant X after noon".
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass, fields

from .clock import iso_utc, parse_time


@dataclass
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

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in FIELDS}  # flat: cheaper than asdict
        data["codes"] = list(self.codes)
        data["time"] = iso_utc(self.time)
        data["epoch"] = self.time
        return data


FIELDS = fields(JournalEntry)


class Journal:
    """Thread-safe ring buffer of JournalEntry, newest last."""

    def __init__(self, maxlen: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=maxlen)
        self._seq = itertools.count(1)
        self.enabled = True

    def record(self, **fields: object) -> JournalEntry | None:
        if not self.enabled:
            return None
        with self._lock:
            entry = JournalEntry(seq=next(self._seq), **fields)  # type: ignore[arg-type]
            self._entries.append(entry)
            return entry

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
            else:
                kept = [e for e in self._entries if e.vendor != vendor]
                self._entries.clear()
                self._entries.extend(kept)
