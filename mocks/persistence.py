"""Persistent mode for `vendorsim serve --state FILE`: what the mocks hold survives a
restart, a `docker compose restart` and a crash, within a documented window.

The file is what `GET /__admin/state` answers on the host-routed port (`{"vendors": {name:
snapshot}}`), so a state fetched from a running server loads as it is; the older form
`{vendor: snapshot}` loads too. Persistent mode adds the access tokens in use (clients keep
working across a restart) and, on a virtual clock, the time.

It is written atomically (a temporary file beside it, flushed to disk, then renamed over it:
a reader or a crash sees the old file or the new one, never a torn one):
- at shutdown (SIGTERM, SIGINT): nothing acknowledged is lost;
- while running, whenever something may have changed, at most every `interval` seconds and
  never more than a fifth of the time (a save that takes 200 ms waits 800 ms before the
  next), so a SIGKILL loses at most the writes of the last `interval` seconds (or of four
  saves' time, if that is longer); `saved` in `GET /__admin/health` says when it last saved.

LocalStack's persistence (PERSISTENCE=1) snapshots its services to its data directory on
shutdown and, by default, on requests that change state; vendorsim's is one file, saved on a
timer (bounded by the interval) and at shutdown, in the format its admin API already speaks.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.auth import Credential, Token

if TYPE_CHECKING:
    from .cloud import Cloud

DEFAULT_INTERVAL = 1.0  # seconds between saves while something changes
MAX_SHARE = 0.2  # of the time spent saving


class StateFileError(ValueError):
    """A state file that cannot be loaded: one line saying which and why."""


def read_state(path: Path) -> dict:
    """The file's document (JSON, or YAML by its name); StateFileError for a file that is
    unreadable, not JSON/YAML, or not a mapping."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StateFileError(f"cannot read it: {exc}") from None
    try:
        if path.suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = str(exc).split("\n")[0][:200]
        raise StateFileError(f"not valid {'YAML' if path.suffix in ('.yaml', '.yml') else 'JSON'}"
                             f": {reason}") from None
    except Exception as exc:  # yaml.YAMLError and its kin
        raise StateFileError(f"not valid YAML: {str(exc).splitlines()[0][:200]}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StateFileError(f"expected an object of vendors ({{\"vendors\": {{\"marketo\": "
                             f"...}}}} as GET /__admin/state answers), found a "
                             f"{type(data).__name__}")
    return data


def load_into(cloud: Cloud, data: dict) -> None:
    """Restore a state document into the cloud, all or nothing: every vendor checked and
    built aside before any is swapped in. StateFileError says what is wrong."""
    known = {"vendors", "tokens", "clock", "saved_at"}
    parts = data.get("vendors") if "vendors" in data else \
        {k: v for k, v in data.items() if k not in known}
    if not isinstance(parts, dict):
        raise StateFileError("'vendors' is an object of vendor snapshots")
    unknown = sorted(set(parts) - set(cloud.services))
    if unknown:
        raise StateFileError(f"unknown vendor(s) {', '.join(map(str, unknown))}: this server "
                             f"runs {', '.join(cloud.services)}")
    try:
        commits = [cloud.service(name).prepare_restore(snap) for name, snap in parts.items()]
    except (ValueError, KeyError, TypeError) as exc:
        raise StateFileError(str(exc)) from None
    clock = data.get("clock")
    if clock is not None and cloud.clock.virtual:
        try:
            cloud.clock.set(clock)
        except ValueError as exc:
            raise StateFileError(f"clock: {exc}") from None
    for commit in commits:
        commit()
    _restore_tokens(cloud, data.get("tokens"))


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


def _restore_tokens(cloud: Cloud, tokens: object) -> None:
    """Tokens that were live when saved (a token that does not read back is skipped: a
    client then asks for a new one, as after any expiry)."""
    if not isinstance(tokens, dict):
        return
    for name, items in tokens.items():
        service = cloud.services.get(name)
        if service is None or not isinstance(items, list):
            continue
        for item in items:
            try:
                credential = Credential.from_dict(item["credential"])
                service.tokens.restore(str(item["value"]), str(item["tenant"]), credential,
                                       float(item["issued"]), float(item["expires"]))
            except (ValueError, KeyError, TypeError):
                continue


def write_atomically(path: Path, data: dict) -> None:
    """Write the document so that the file is always whole: temporary file, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"), default=str)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a power cut
        finally:
            os.close(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class Saver:
    """Keeps the state file current while the server runs, and writes it at the end."""

    def __init__(self, cloud: Cloud, path: Path, interval: float = DEFAULT_INTERVAL) -> None:
        self.cloud = cloud
        self.path = path
        self.interval = interval
        self.saved_changes = -1
        self.saved_at: float | None = None
        self.last_duration = 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one save at a time
        self._thread = threading.Thread(target=self._run, name="vendorsim:saver", daemon=True)

    def start(self) -> Saver:
        self.cloud.saver = self
        self._thread.start()
        return self

    def save(self) -> bool:
        """Write the file now if anything may have changed since the last save."""
        with self._lock:
            changes = self.cloud.changes
            if changes == self.saved_changes:
                return False
            started = time.perf_counter()
            write_atomically(self.path, document(self.cloud))
            self.last_duration = time.perf_counter() - started
            self.saved_changes, self.saved_at = changes, time.time()
            return True

    def _run(self) -> None:
        while not self._stop.wait(max(self.interval, self.last_duration / MAX_SHARE
                                      - self.last_duration)):
            try:
                self.save()
            except Exception:  # noqa: BLE001 - a failed save is retried; the server goes on
                self.cloud.log_error("vendorsim: saving the state failed")

    def stop(self) -> None:
        """Stop the timer and write the last state (at shutdown)."""
        self._stop.set()
        self._thread.join(timeout=30)
        self.save()
