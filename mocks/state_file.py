"""The state file of persistent mode as a file: refused at start when it cannot work, held by
one server at a time, written whole, watched, swept of temporary files, rescued.

- Usable or refused: a folder, a device, a path under a regular file, a folder that cannot
  be written (read-only, `/proc`) are refused before the server starts (`StateFileError`,
  one line); the first save happens at start, so a file that cannot be replaced is too.
- One writer: `.NAME.lock` beside it is locked (flock) while the server runs; a second
  server on the same file is refused. Shutdown removes it.
- Whole: written to `.NAME.tmp.PID.RANDOM` beside it, flushed to disk, renamed over it;
  a temporary file is removed when the write fails, and the ones a crash left behind are
  swept at start (also `.NAME.XXXXXXXX`, the names earlier versions gave them).
- Watched: the saver remembers what it wrote (inode, size, time, and a digest of the
  bytes); before each save it checks the file is still that. A file that vanished is
  written again; one whose bytes changed is someone else's and is never overwritten.
- Rescued: when the server's state cannot go to the file, it goes to a rescue file,
  `STEM.rescued-TIME.SUFFIX` beside it or, when that folder is unusable,
  `vendorsim-rescued-TIME-PID.json` in the system's temporary folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from typing import IO


class StateFileError(ValueError):
    """A state file that cannot be used or loaded: one line saying which and why."""


OURS, VANISHED, CHANGED = "ours", "vanished", "changed"
OLD_TEMP = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}")  # mkstemp's names before .tmp.


def usable(path: Path) -> Path:
    """The path to write (symbolic links followed), its folder created if missing;
    StateFileError (the reason) when it can never hold a state file."""
    path = path.expanduser().resolve()
    if path.is_dir():
        raise StateFileError(f"it is a folder (give a file in it, e.g. "
                             f"{path / 'state.json'})")
    if path.exists() and not path.is_file():
        raise StateFileError("it is not a regular file (a device, a pipe or a socket)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StateFileError(f"cannot create its folder: {reason(exc)}") from None
    return path


def lock(path: Path) -> IO[str]:
    """Hold `.NAME.lock` beside the file while the server runs (flock; `unlock` removes
    it); StateFileError (the reason) when another process holds it or the folder cannot be
    written."""
    where = path.with_name(f".{path.name}.lock")
    while True:
        try:
            handle = open(where, "a+", encoding="utf-8")  # noqa: SIM115 - held until unlock
        except OSError as exc:
            raise StateFileError(f"cannot write in its folder: {reason(exc)}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.seek(0)
            holder = handle.read(20).strip() or "?"
            handle.close()
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise StateFileError(f"another vendorsim serve (pid {holder}) keeps it"
                                     ) from None
            raise StateFileError(f"cannot lock {where}: {reason(exc)}") from None
        try:  # the one at that name now, not one its holder removed meanwhile
            if os.stat(where).st_ino == os.fstat(handle.fileno()).st_ino:
                break
        except FileNotFoundError:
            pass
        handle.close()
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def unlock(handle: IO[str]) -> None:
    """Remove the lock file, then let it go (a server starting meanwhile takes a new one)."""
    with contextlib.suppress(OSError):
        os.unlink(handle.name)
    handle.close()


def sweep(path: Path) -> list[Path]:
    """Remove the temporary files an interrupted save left beside the file (only while
    holding its lock: no other server is writing them)."""
    names = {path.name, f"{path.name}.ids"}
    rescued = re.compile(re.escape(path.stem) + r"\.rescued-[0-9TZ]+" + re.escape(path.suffix))
    removed = []
    for entry in path.parent.iterdir():
        name = entry.name
        head = name[1:].split(".tmp.", 1)[0] if ".tmp." in name else None
        old = OLD_TEMP.fullmatch(name)
        if name.startswith(".") and (head in names or (head and rescued.fullmatch(head)) or
                                     (old is not None and old["name"] == path.name)):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def write_atomically(path: Path, data: bytes) -> os.stat_result:
    """Write the bytes so that the file is always whole (temporary file beside it, fsync,
    rename, fsync of the folder); what the new file's stat says."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.tmp.{os.getpid()}.",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            written = os.fstat(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # folders some file systems
            raise                                            # cannot fsync
    finally:
        os.close(directory)
    return written


class Watched:
    """What the saver last wrote to a path, to tell whether the file is still that."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stat: tuple | None = None
        self._digest: bytes | None = None

    def remember(self, written: os.stat_result, data: bytes) -> None:
        self._stat = _identity(written)
        self._digest = hashlib.sha256(data).digest()

    def check(self) -> str:
        """OURS (or never written yet), VANISHED, or CHANGED (other bytes are there)."""
        if self._stat is None:
            return OURS
        try:
            now = os.stat(self.path)
        except OSError:  # gone, its folder gone or replaced: nothing of anyone's is there
            return VANISHED
        if _identity(now) == self._stat:
            return OURS
        if not stat.S_ISREG(now.st_mode) or now.st_size != self._stat[2]:
            return CHANGED
        try:  # touched, copied back, or chmod: still ours if the bytes are
            same = hashlib.sha256(self.path.read_bytes()).digest() == self._digest
        except OSError:
            return CHANGED
        if same:
            self._stat = _identity(now)
        return OURS if same else CHANGED


def _identity(found: os.stat_result) -> tuple:
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def rescue(path: Path, data: bytes) -> Path:
    """Write the bytes to a rescue file beside `path`, else in the temporary folder; the
    rescue file's path (OSError when neither can be written)."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    beside = path.with_name(f"{path.stem}.rescued-{stamp}{path.suffix}")
    try:
        write_atomically(beside, data)
        return beside
    except OSError:
        elsewhere = Path(tempfile.gettempdir()) / f"vendorsim-rescued-{stamp}-{os.getpid()}.json"
        write_atomically(elsewhere, data)
        return elsewhere


def rescued_beside(path: Path) -> list[Path]:
    """Rescue files an earlier run left beside the path, newest first."""
    try:
        return sorted(path.parent.glob(f"{glob_escape(path.stem)}.rescued-*{path.suffix}"),
                      reverse=True)
    except OSError:
        return []


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def reason(exc: OSError) -> str:
    """An OS error in a few words: what and which file."""
    return f"{exc.strerror or type(exc).__name__}" + (f" ({exc.filename})" if exc.filename
                                                        else "")
