"""The saver of persistent mode: keeps the state file current while the server runs, checks
before each save that the file is still the one it wrote, and at shutdown says whether the
file holds the last acknowledged write (mocks/persistence.py has the rules)."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .core.auth import Token
from .id_ledger import IdLedger, nest
from .state_file import (
    CHANGED,
    OURS,
    VANISHED,
    Watched,
    reason,
    rescue,
    unlock,
    write_atomically,
)

if TYPE_CHECKING:
    from .cloud import Cloud

DEFAULT_INTERVAL = 1.0  # seconds between saves while something changes
MAX_SHARE = 0.2  # of the time spent saving
EVENTS_KEPT = 20  # notable events shown in health
log = logging.getLogger("vendorsim.persistence")


def encode(document: dict) -> bytes:
    """The document as compact JSON (orjson; the standard library for what it refuses,
    such as integers beyond 64 bits)."""
    import orjson

    try:
        return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS, default=str)
    except (TypeError, orjson.JSONEncodeError):
        import json

        return json.dumps(document, separators=(",", ":"), default=str).encode()


def document(cloud: Cloud) -> dict:
    """The state to persist: the admin API's state answer, the tokens, the virtual time."""
    data: dict[str, Any] = {"vendors": {name: service.snapshot()
                                        for name, service in cloud.services.items()},
                            "saved_at": time.time()}
    data["tokens"] = {name: [_token(t) for t in service.tokens.live()]
                      for name, service in cloud.services.items()}
    if cloud.clock.virtual:
        data["clock"] = cloud.clock.now()
    return data


def _token(token: Token) -> dict:
    return {"value": token.value, "tenant": token.tenant, "issued": token.issued_at,
            "expires": token.expires_at, "credential": token.credential.to_dict()}


def clock_time(when: float | None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)) if when else "the start"


class Saver:
    """Saves the cloud to `path` on a timer and at the end, never over someone else's file."""

    def __init__(self, cloud: Cloud, path: Path, interval: float = DEFAULT_INTERVAL,
                 held: IO[str] | None = None) -> None:
        self.cloud = cloud
        self.path = path
        self.interval = interval
        self.target = path  # where saves go: the file, or a rescue file after a conflict
        self.watched = Watched(path)
        self.ledger = IdLedger(cloud, lambda: self.target.with_name(self.target.name + ".ids"))
        self.held = held  # the lock file (mocks/state_file.py), open while the process lives
        self.saved_changes = -1
        self.saved_at: float | None = None  # when a save last finished (wall time)
        self.snapshot_at: float | None = None  # when the state it saved was read
        self.last_duration = 0.0
        self.failure: str | None = None  # why the last save failed
        self.failing_since: float | None = None
        self.conflict: str | None = None  # the file changed under the server
        self.events: deque[dict] = deque(maxlen=EVENTS_KEPT)
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one save at a time
        self._thread = threading.Thread(target=self._run, name="vendorsim:saver", daemon=True)

    # -- what the server reports ---------------------------------------------------
    def adopt(self, vendor: str, tenant: str, backend: object) -> None:
        """A tenant's new model (VendorService.make_backend): its ids get reserved."""
        self.ledger.adopt(vendor, tenant, backend)

    @property
    def problem(self) -> str | None:
        """Why the file may not hold what the server acknowledged (None: it does)."""
        return self.conflict or self.failure or self.ledger.problem

    def describe(self) -> dict[str, Any]:
        """Persistent mode in `GET /__admin/health`."""
        return {"file": str(self.path), "writing_to": str(self.target),
                "saved_at": self.saved_at, "snapshot_at": self.snapshot_at,
                "save_seconds": round(self.last_duration, 3), "interval": self.interval,
                "unsaved_calls": max(0, self.cloud.changes - self.saved_changes),
                "problem": self.problem, "events": list(self.events)}

    def _event(self, message: str, level: int = logging.WARNING) -> None:
        log.log(level, "vendorsim: %s", message)
        self.events.append({"at": clock_time(time.time()), "message": message})

    # -- saving --------------------------------------------------------------------
    def first_save(self) -> str | None:
        """Save at start (proving the file can be written); why it failed, or None."""
        with self._lock:
            try:
                self._write(ahead=True, changes=self.cloud.changes)
            except OSError as exc:
                return f"cannot write it: {reason(exc)}"
        return None

    def start(self) -> Saver:
        self._thread.start()
        return self

    def save(self, final: bool = False) -> bool:
        """Write the file when anything may have changed since the last save or the file is
        not what was written; at shutdown (`final`) always, with exact id marks. False when
        nothing needed saving or the save failed (`failure` says why)."""
        with self._lock:
            changes = self.cloud.changes
            status = self._check()
            if status == OURS and changes == self.saved_changes and not final:
                return False
            try:
                self._write(ahead=not final, changes=changes)
            except OSError as exc:
                self._failed(exc)
                return False
            if status == VANISHED:
                self._event(f"{self.target} vanished (deleted or moved) while the server ran;"
                            " written again from the server's state")
            if self.failure is not None:
                self._event(f"saving {self.target} works again")
                self.failure = self.failing_since = None
            return True

    def _check(self) -> str:
        """Whether the target still holds the last save (OURS), is gone (VANISHED: the save
        writes it again), or was changed (CHANGED: left alone, saves go to a rescue file)."""
        status = self.watched.check()
        if status != CHANGED:
            return status
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self.target = self.path.with_name(f"{self.path.stem}.rescued-{stamp}{self.path.suffix}")
        self.watched = Watched(self.target)
        self.conflict = (f"{self.path} was changed by something else at {clock_time(time.time())}"
                         f"; it is not overwritten: the server's state is saved to "
                         f"{self.target} instead")
        self._event(self.conflict, logging.ERROR)
        return CHANGED

    def _encoded(self, ahead: bool) -> tuple[bytes, dict, float]:
        """The state as the file holds it, the id marks in it, when it was read."""
        snapshot_at = time.time()
        data = document(self.cloud)
        marks = self.ledger.for_save(ahead)  # read after the state: they cover all of it
        data["ids"], data["snapshot_at"] = nest(marks), snapshot_at
        return encode(data), marks, snapshot_at

    def _write(self, ahead: bool, changes: int) -> None:
        started = time.perf_counter()
        encoded, marks, snapshot_at = self._encoded(ahead)
        written = write_atomically(self.target, encoded)
        self.watched.remember(written, encoded)
        self.ledger.saved(marks)
        self.last_duration = time.perf_counter() - started
        self.saved_changes, self.saved_at, self.snapshot_at = changes, time.time(), snapshot_at

    def _failed(self, exc: OSError) -> None:
        text = f"cannot save {self.target}: {reason(exc)}"
        if text != self.failure:
            log.error("vendorsim: %s; retrying every %g s (what the server was asked since "
                      "%s is not on disk)", text, self.interval, clock_time(self.snapshot_at))
        if self.failing_since is None:
            self.failing_since = time.time()
        self.failure = text

    def _run(self) -> None:
        while not self._stop.wait(max(self.interval, self.last_duration / MAX_SHARE
                                      - self.last_duration)):
            try:
                self.save()
            except Exception as exc:  # noqa: BLE001 - a bug of ours: reported, retried
                self.cloud.log_error("vendorsim: saving the state failed")
                self.failure = f"internal error while saving: {type(exc).__name__}: {exc}"

    # -- the end -------------------------------------------------------------------
    def finish(self) -> tuple[int, str | None]:
        """At shutdown (nothing is served any more): stop the timer, save the last state;
        the exit status (0 only when the file holds everything acknowledged) and what to
        tell the person."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        try:
            self.save(final=True)
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not lose the state
            self.cloud.log_error("vendorsim: saving the state failed")
            self.failure = f"internal error while saving: {type(exc).__name__}: {exc}"
        if self.held is not None:
            unlock(self.held)
            self.held = None
        if self.failure is None:
            self.ledger.forget_sidecar()  # the target holds the exact id marks now
        if self.failure is None and self.conflict is None:
            return 0, None
        if self.failure is None:
            return 1, (f"vendorsim serve: {self.path} was changed by something else while "
                       "the server ran, so it was not overwritten; the server's state is in "
                       f"{self.target} (load it with --state {self.target})")
        lost = (f"what the server was asked since {clock_time(self.snapshot_at)} "
                f"({max(0, self.cloud.changes - self.saved_changes)} calls)")
        try:
            where = rescue(self.path, self._encoded(ahead=False)[0])
        except OSError as exc:
            return 1, (f"vendorsim serve: the state was not saved to {self.path} "
                       f"({self.failure}) nor rescued ({reason(exc)}): {lost} is lost")
        return 1, (f"vendorsim serve: the state was not saved to {self.path} ({self.failure});"
                   f" {lost} is in {where} (load it with --state {where})")
