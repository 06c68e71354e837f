"""Persistent mode never lies (issue 33): an unusable path is refused at start; a state file
deleted under the server is written back; one changed by someone else is never overwritten
(the server's state goes to a rescue file and shutdown fails, naming it); a save that fails
is visible (health `degraded`, stderr) and shutdown fails instead of exiting 0 with writes
lost; temporary files never stay behind; two servers never share one file; an id handed out
before a SIGKILL is never handed out again."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.served import Served, refused
from vendorsim.mocks import state_file

GARBAGE = "this is not a state file {{{"


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return lines[0]


def saved_with(server: Served, leads: int) -> None:
    """Write `leads` leads and wait until a save after the last one finished."""
    for n in range(leads):
        server.write(n)
    server.wait_saved()


def test_a_state_file_deleted_while_serving_is_written_back(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    server = Served("--state", str(state), "--save-every", "0.2").login()
    saved_with(server, 60)
    state.unlink()
    server.wait_for(lambda: server.health()["persistence"]["events"], 15, "vanish event")
    event = server.health()["persistence"]["events"][-1]
    assert "vanished" in event["message"] and "written again" in event["message"], event
    assert server.stop() == 0, server.stderr()
    assert "vanished" in server.stderr()
    again = Served("--state", str(state))
    try:
        assert again.count() == 60
    finally:
        again.stop()


def test_a_state_file_changed_by_someone_else_is_never_overwritten(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    server = Served("--state", str(state), "--save-every", "0.2").login()
    saved_with(server, 60)
    state.write_text(GARBAGE)
    server.wait_for(lambda: server.health()["status"] == "degraded", 15, "degraded health")
    problem = server.health()["persistence"]["problem"]
    assert "changed" in problem and str(state) in problem, problem
    server.write(60)  # acknowledged after the conflict: it must not be lost either
    assert server.stop() == 1
    line = server.stderr().strip().splitlines()[-1]
    assert str(state) in line and "changed" in line, line
    rescued = sorted(tmp_path.glob("state.rescued-*.json"))
    assert len(rescued) == 1 and str(rescued[0]) in line, (line, list(tmp_path.iterdir()))
    assert state.read_text() == GARBAGE  # someone else's file, kept as they wrote it
    again = Served("--state", str(rescued[0]))
    try:
        assert again.count() == 61
    finally:
        again.stop()
    done = refused("--state", str(state))  # the garbage itself is refused, naming the rescue
    assert done.returncode == 2
    assert "not valid JSON" in one_line(done.stderr) and rescued[0].name in done.stderr


def _read_only_folder(folder: Path) -> list[str] | None:
    """A command prefix under which `folder` is read-only even for root (a read-only tmpfs
    in a private mount namespace); for other users the folder's mode is enough."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode != 0:
        return None
    return ["unshare", "-m", "sh", "-c",
            f"mount -t tmpfs -o ro none '{folder}' && exec \"$@\"", "sh"]


UNUSABLE = {
    "a folder": lambda tmp: (tmp / "folder", None),
    "under a regular file": lambda tmp: (tmp / "file" / "state.json", None),
    "under /proc": lambda tmp: (Path("/proc/vendorsim-state.json"), None),
    "under /proc/self": lambda tmp: (Path("/proc/self/vendorsim-state.json"), None),
    "a device": lambda tmp: (Path("/dev/null"), None),
    "a read-only folder": lambda tmp: (tmp / "ro" / "state.json", _read_only_folder(tmp / "ro")),
}


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_an_unusable_state_path_is_refused_at_start(tmp_path: Path, case: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("a regular file")
    path, wrap = UNUSABLE[case](tmp_path)
    if wrap is None and case == "a read-only folder":
        pytest.skip("running as root without `unshare -m`: no way to make a folder read-only")
    done = refused("--state", str(path), wrap=wrap)
    assert done.returncode == 2, (done.returncode, done.stderr)
    line = one_line(done.stderr)
    assert str(path) in line and "state file" in line, line


def test_a_failing_save_is_visible_and_shutdown_fails(tmp_path: Path) -> None:
    folder, temp = tmp_path / "data", tmp_path / "tmp"
    temp.mkdir()
    state = folder / "state.json"
    server = Served("--state", str(state), "--save-every", "0.2",
                    env={"TMPDIR": str(temp)}).login()
    saved_with(server, 30)
    folder.rename(tmp_path / "moved")
    folder.write_text("a regular file where the folder was")  # every save fails from now on
    server.write(30)
    server.wait_for(lambda: server.health()["status"] == "degraded", 15, "degraded health")
    problem = server.health()["persistence"]["problem"]
    assert problem.startswith(f"cannot save {state}: ") and str(folder) in problem, problem
    assert server.stop() == 1
    err = server.stderr()
    assert "Traceback" not in err and "internal error" not in err, err
    last = err.strip().splitlines()[-1]
    assert "not saved" in last and str(state) in last, last
    rescued = sorted(temp.glob("vendorsim-rescued-*.json"))
    assert len(rescued) == 1 and str(rescued[0]) in last, last
    assert oct(rescued[0].stat().st_mode & 0o777) == "0o600"  # it holds secrets
    again = Served("--state", str(rescued[0]))
    try:
        assert again.count() == 31
    finally:
        again.stop()


def test_temporary_files_are_swept_at_start_and_never_left(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    stale = [tmp_path / ".state.json.tmp.4242.abcdefgh", tmp_path / ".state.json.k2j3h4x_"]
    stale[0].write_bytes(b"x" * 9_600_000)  # as a SIGKILL mid-save leaves one
    stale[1].write_text("{")  # the name the first persistent mode gave its temporary files
    keep = [tmp_path / ".state.json.mine", tmp_path / "other.json"]
    for path in keep:
        path.write_text("not ours")
    server = Served("--state", str(state), "--save-every", "0.05", "--no-limits").login()
    try:
        for n in range(100):
            server.write(n)
    finally:
        assert server.stop() == 0
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in keep)
    assert not [p.name for p in tmp_path.iterdir() if ".tmp." in p.name]


def test_a_save_that_fails_midway_leaves_no_temporary_file(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        state_file.write_atomically(tmp_path / "state.json", b"{}")
    assert list(tmp_path.iterdir()) == []


def test_two_servers_never_share_one_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = Served("--state", str(state))
    try:
        done = refused("--state", str(state))
        assert done.returncode == 2
        assert "another vendorsim" in one_line(done.stderr)
    finally:
        assert first.stop() == 0


def test_ids_handed_out_before_a_sigkill_are_never_handed_out_again(tmp_path: Path) -> None:
    """The lead and list ids of writes lost to a SIGKILL (60 s save window) are not given
    to other records after the restart: the server reserved them on disk first."""
    state = tmp_path / "state.json"
    server = Served("--state", str(state), "--save-every", "60", "--no-limits").login()
    before = {server.write(n) for n in range(100)}
    made = server.http.post(f"{server.base}/rest/asset/v1/staticLists.json", data={
        "name": "Lost", "folder": json.dumps({"id": 12, "type": "Folder"})}).json()
    lists_before = {item["id"] for item in made["result"]}
    server.stop(signal.SIGKILL)
    again = Served("--state", str(state), "--save-every", "60", "--no-limits").login()
    try:
        after = {again.write(n) for n in range(100, 200)}
        made = again.http.post(f"{again.base}/rest/asset/v1/staticLists.json", data={
            "name": "New", "folder": json.dumps({"id": 12, "type": "Folder"})}).json()
        assert not before & after, sorted(before & after)[:10]
        assert not lists_before & {item["id"] for item in made["result"]}
    finally:
        again.stop()


def test_a_refused_start_in_python_lets_the_file_go(tmp_path: Path) -> None:
    """open_state refusing a file releases its lock (a caller may fix it and go on); a
    clean finish leaves the state file alone beside nothing."""
    from vendorsim.mocks.cloud import Cloud
    from vendorsim.mocks.persistence import StateFileError, open_state

    state = tmp_path / "state.json"
    state.write_text(GARBAGE)
    with pytest.raises(StateFileError, match="not valid JSON"):
        open_state(Cloud(), state, 1.0)
    state.write_text("{}")
    saver = open_state(Cloud(), state, 1.0)
    assert saver is not None and saver.finish() == (0, None)
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
