"""Persistent mode's reservations of ids ahead, so no id is handed out twice after a crash.

Every id sequence of every tenant (mocks/core/ids.py) may hand out ids below its `limit`;
the ledger makes sure each limit is on disk before it is used:
- each save writes, with the state, a mark per sequence some way ahead of what it has
  handed out (`next` + its chunk, 1,000 at first), and raises the limits to those marks;
- a sequence that reaches its limit between saves reserves more at once, writing the
  marks to `NAME.ids` beside the state file (small, written whole, fsynced) before the id
  is handed out; its chunk doubles each time (up to ~1 million), so a bulk import costs a
  handful of such writes;
- at start, every sequence continues at or above the marks of both files, for tenants
  that come back too (a tenant the crash lost keeps its marks until it is seen again);
- a clean shutdown saves the exact `next` of each sequence and removes `NAME.ids`, so a
  restart after SIGTERM continues where it stopped, with no jump.
A reservation that cannot be written (disk full) does not fail the vendor call: the id is
handed out, and the ledger's `problem` says ids may repeat after a crash (health degraded).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.ids import MAX_CHUNK, UNBOUNDED, IdSequence, IdSequences
from .state_file import StateFileError, reason, write_atomically

if TYPE_CHECKING:
    from .cloud import Cloud

Key = tuple[str, ...]  # (vendor, tenant, kind of id)
log = logging.getLogger("vendorsim.persistence")


class IdLedger:
    """The marks reserved on disk, by vendor, tenant and kind of id."""

    def __init__(self, cloud: Cloud, sidecar: Callable[[], Path]) -> None:
        self.cloud = cloud
        self.sidecar = sidecar  # where reservations between saves go (beside the target)
        self.marks: dict[Key, int] = {}  # on disk: ids below a mark may have been handed out
        self.problem: str | None = None
        self._lock = threading.Lock()

    # -- start ---------------------------------------------------------------------
    def load(self, saved: object) -> None:
        """Take the marks a state file holds (its `ids`), and those of `NAME.ids` beside
        it; StateFileError for either that does not read."""
        self._merge(unnest(saved, "its 'ids'"))
        path = self.sidecar()
        if path.exists():
            try:
                data = json.loads(path.read_bytes())
            except (OSError, ValueError) as exc:
                raise StateFileError(
                    f"cannot read its id reservations {path} ({exc}): delete that file to "
                    "start anyway, knowing that ids handed out before a crash may then be "
                    "handed out again") from None
            self._merge(unnest(data, str(path)))

    def forget_sidecar(self) -> None:
        """Remove `NAME.ids` (a clean shutdown saved exact marks; or a state file that is
        gone leaves its reservations stale)."""
        try:
            self.sidecar().unlink(missing_ok=True)
        except OSError as exc:
            log.warning("vendorsim: cannot remove %s: %s", self.sidecar(), reason(exc))

    def _merge(self, marks: dict[Key, int]) -> None:
        for key, value in marks.items():
            self.marks[key] = max(self.marks.get(key, 0), value)

    # -- sequences -----------------------------------------------------------------
    def adopt(self, vendor: str, tenant: str, backend: object) -> None:
        """A tenant's new model: its sequences continue above their marks and reserve
        before they hand out an id beyond what is on disk."""
        sequences = getattr(backend, "sequences", None)
        if not isinstance(sequences, IdSequences):
            return  # a vendor model that has not adopted id sequences yet
        for seq in sequences:
            seq.key = (vendor, tenant, seq.name)
            seq.continue_from(self.marks.get(seq.key, 0))
            seq.limit = seq.next  # nothing beyond is reserved yet
            seq.reserve = self.reserve

    def reserve(self, seq: IdSequence) -> None:
        """Called by a sequence at its limit: put a mark ahead of it on disk first."""
        with self._lock:
            if seq.next < seq.limit:
                return  # another thread reserved meanwhile
            mark = max(self.marks.get(seq.key, 0), seq.next + seq.chunk)
            seq.chunk = min(seq.chunk * 2, MAX_CHUNK)
            marks = {**self.marks, seq.key: mark}
            path = self.sidecar()
            try:
                write_atomically(path, json.dumps(nest(marks)).encode())
                self.marks = marks
                if self.problem:
                    log.warning("vendorsim: id reservations are written again (%s)", path)
                self.problem = None
            except OSError as exc:
                if self.problem is None:
                    log.error("vendorsim: cannot reserve ids in %s: %s; ids handed out from "
                              "now may be handed out again after a crash", path, reason(exc))
                self.problem = (f"cannot reserve ids in {path}: {reason(exc)} (ids handed out "
                                "now may be handed out again after a crash)")
            seq.limit = mark  # the vendor call goes on either way

    def sequences(self) -> Iterator[IdSequence]:
        """Every id sequence of every tenant the cloud holds now."""
        for service in self.cloud.services.values():
            for tenant in service.tenants():
                found = getattr(tenant.backend, "sequences", None)
                if isinstance(found, IdSequences):
                    yield from found

    # -- saves ---------------------------------------------------------------------
    def for_save(self, ahead: bool) -> dict[Key, int]:
        """The marks a save writes: ahead of every sequence (while serving), or exactly
        where each is (at a clean shutdown, when nothing is served any more)."""
        with self._lock:
            marks = dict(self.marks)
        for seq in self.sequences():
            if seq.limit == UNBOUNDED:
                continue  # not adopted (built outside persistent mode's view)
            value = seq.next + seq.chunk if ahead else seq.next
            marks[seq.key] = max(marks.get(seq.key, 0), value) if ahead else value
        return marks

    def saved(self, marks: dict[Key, int]) -> None:
        """A save put these marks on disk: sequences may hand out ids up to them."""
        live = list(self.sequences())  # before the lock: listing tenants takes theirs
        with self._lock:
            self._merge(marks)
            for seq in live:
                mark = marks.get(seq.key)
                if mark is not None and seq.limit != UNBOUNDED and mark > seq.limit:
                    seq.limit = mark


def nest(marks: dict[Key, int]) -> dict[str, Any]:
    """{vendor: {tenant: {kind: mark}}} for JSON."""
    out: dict[str, Any] = {}
    for (vendor, tenant, kind), value in sorted(marks.items()):
        out.setdefault(vendor, {}).setdefault(tenant, {})[kind] = value
    return out


def unnest(data: object, where: str) -> dict[Key, int]:
    """The marks of {vendor: {tenant: {kind: mark}}}; StateFileError for another shape."""
    if data is None:
        return {}
    marks: dict[Key, int] = {}
    for vendor, tenants in data.items() if isinstance(data, dict) else [(None, None)]:
        for tenant, kinds in tenants.items() if isinstance(tenants, dict) else [(None, None)]:
            for kind, value in kinds.items() if isinstance(kinds, dict) else [(None, None)]:
                if isinstance(value, bool) or not isinstance(value, int) or \
                        not 0 < value < UNBOUNDED:
                    raise StateFileError(f"{where} is not {{vendor: {{tenant: {{kind of id: "
                                         "the next id}}}}")
                marks[(str(vendor), str(tenant), str(kind))] = value
    return marks
