"""Persistent mode for `vendorsim serve --state FILE`: what the mocks hold survives a
restart, a `docker compose restart` and a crash, within a documented window, and the
server never says it kept what it did not (docs/persistence-and-admin.md).

The file is what `GET /__admin/state?secrets=include` answers on the host-routed port
(`{"vendors": {name: snapshot}}`), so a state fetched from a running server loads as it is;
the older form `{vendor: snapshot}` loads too. Persistent mode adds the access tokens in use
(clients keep working across a restart), on a virtual clock the time, and the id marks
reserved ahead (mocks/id_ledger.py).

Saved whole (mocks/state_file.py) at start (proving the file can be written), while running
whenever something may have changed, at most every `interval` seconds and never more than a
fifth of the time (a save that takes 200 ms waits 800 ms before the next), and at shutdown.
So a SIGKILL loses at most the writes of the last `interval` seconds (or of four saves'
time, if that is longer), and never an id: ids are reserved on disk before they are used.

Nothing silent: a file deleted under the server is written again (an event in health); a
file someone else changed is never overwritten: the state goes to a rescue file instead,
health says `degraded`, and shutdown exits 1 naming it; a save that fails makes health
`degraded` with the reason (stderr too), and shutdown exits 1 saying where the unsaved
writes went (a rescue file) or that they are lost. Exit 0 only when the file holds the
last acknowledged write.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .core.auth import Credential
from .saver import Saver, document
from .state_file import StateFileError, lock, rescued_beside, sweep, unlock, usable

if TYPE_CHECKING:
    from .cloud import Cloud

__all__ = ["Saver", "StateFileError", "document", "load_into", "open_state", "read_state"]


def open_state(cloud: Cloud, given: Path, interval: float, readonly: bool = False
               ) -> Saver | None:
    """Persistent mode's start: refuse a path that can never work, hold the file's lock,
    sweep temporary files, load the file and its id reservations, and save once (a file
    that cannot be replaced is refused now, not at the first save). The saver, not yet
    saving on its timer (`start()`); None with `readonly` (the file is only loaded).
    StateFileError: one line naming the file and the problem."""
    if readonly:
        _load(cloud, given, given, None)
        return None
    try:
        path = usable(given)
        held = lock(path)
    except StateFileError as exc:
        raise StateFileError(f"cannot use {given} as the state file: {exc}") from None
    sweep(path)
    saver = Saver(cloud, path, interval, held)
    cloud.saver = saver  # tenants built from now on reserve their ids (VendorService)
    try:
        if path.exists():
            data = _read(given, path)
            try:
                saver.ledger.load(data.get("ids"))
            except StateFileError as exc:
                raise StateFileError(f"cannot load {given}: {exc}") from None
            _load(cloud, given, path, data)
        else:
            saver.ledger.forget_sidecar()  # reservations of a file that is gone
        problem = saver.first_save()
        if problem:
            raise StateFileError(f"cannot use {given} as the state file: {problem}")
    except StateFileError:
        cloud.saver = None
        unlock(held)  # a caller that goes on (in Python) may try again
        raise
    return saver


def _read(given: Path, path: Path) -> dict:
    try:
        return read_state(path)
    except StateFileError as exc:
        rescued = rescued_beside(path)
        hint = f" (the state of an earlier run was rescued to {rescued[0]})" if rescued else ""
        raise StateFileError(f"cannot load {given}: {exc}{hint}") from None


def _load(cloud: Cloud, given: Path, path: Path, data: dict | None) -> None:
    try:
        load_into(cloud, read_state(path) if data is None else data)
    except StateFileError as exc:
        raise StateFileError(f"cannot load {given}: {exc}") from None


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
    known = {"vendors", "tokens", "clock", "saved_at", "snapshot_at", "ids"}
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


