"""Persistent mode (issue 23): `vendorsim serve --state FILE` brings back every acknowledged
write after a SIGTERM, and after a SIGKILL every write older than the save window; the
file is never torn; what `GET /__admin/state` answers loads as `--state`; a bad state file is
one line naming the file and the problem (exit 2), never a traceback. (Issue 33's safety
checks: test_persistence_safety.py; kill-and-restart chaos: test_restart_chaos.py.)"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.served import Served

WINDOW = 1.0  # --save-every in these tests


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "state.json"


def test_sigterm_keeps_every_acknowledged_write(state: Path) -> None:
    server = Served("--state", str(state), "--save-every", "60").login()
    for n in range(55):
        server.write(n)
    server.stop(signal.SIGTERM)  # at once: the 60 s timer never fired
    assert server.process.returncode == 0
    again = Served("--state", str(state)).login()
    try:
        assert again.count() == 55
        again.write(55)  # new ids follow the old ones
        assert again.count() == 56
    finally:
        again.stop()


def test_sigkill_loses_nothing_older_than_the_save_window(state: Path) -> None:
    server = Served("--state", str(state), "--save-every", str(WINDOW)).login()
    for n in range(40):
        server.write(n)
    acknowledged = time.monotonic()
    while server.unsaved() and \
            time.monotonic() - acknowledged < 10 * WINDOW:  # a save holding the last write
        time.sleep(0.05)  # polls what the server reports, bounded: not a blind wait
    waited = time.monotonic() - acknowledged
    server.stop(signal.SIGKILL)
    assert waited <= WINDOW + 2.0, waited  # the documented window, and a save's time
    again = Served("--state", str(state)).login()
    try:
        assert again.count() == 40
    finally:
        again.stop()


def test_a_client_keeps_its_token_across_a_restart(state: Path) -> None:
    server = Served("--state", str(state)).login()
    server.write(1)
    token = server.http.headers["Authorization"]
    server.stop()
    again = Served("--state", str(state))
    again.http.headers["Authorization"] = token
    try:
        again.write(2)  # no 601: the token was saved with the state
    finally:
        again.stop()


def test_the_file_is_never_torn(state: Path) -> None:
    """Saves race writes; every read of the file at any moment is a whole document."""
    server = Served("--state", str(state), "--save-every", "0.05", "--no-limits").login()
    try:
        seen = 0
        for n in range(200):
            server.write(n)
            if state.exists():
                json.loads(state.read_text())  # never a half-written file
                seen += 1
        assert seen
    finally:
        server.stop()
    assert not [p for p in state.parent.iterdir() if p.name.startswith(".state.json.")]


def test_what_get_state_answers_loads_as_state(tmp_path: Path) -> None:
    server = Served().login()
    for n in range(3):
        server.write(n)
    fetched = tmp_path / "fetched.json"
    fetched.write_text(requests.get(f"{server.urls['cloud']}/__admin/state").text)
    server.stop()
    again = Served("--state", str(fetched), "--state-readonly")
    try:
        assert again.count() == 3
    finally:
        again.stop()
    per_vendor = tmp_path / "marketo.json"  # the older form: {vendor: snapshot}
    per_vendor.write_text(json.dumps({"marketo": json.loads(fetched.read_text())["vendors"]
                                      ["marketo"]}))
    third = Served("--state", str(per_vendor), "--state-readonly")
    try:
        assert third.count() == 3
    finally:
        third.stop()


@pytest.mark.parametrize(("name", "text", "words"), [
    ("list.yaml", "- marketo\n- sfmc\n", "found a list"),
    ("array.json", "[1, 2]", "found a list"),
    ("broken.yaml", "vendors: {marketo: [\n", "not valid YAML"),
    ("broken.json", "{\"vendors\": ", "not valid JSON"),
    ("number.json", "42", "found a int"),
    ("vendor.json", "{\"vendors\": {\"mailchimp\": {}}}", "unknown vendor(s) mailchimp"),
    ("tenants.json", "{\"marketo\": {\"tenants\": [1]}}", "'tenants' object"),
    ("lead.json", "{\"marketo\": {\"tenants\": {\"123-ABC-456\": {\"state\": {\"leads\": "
                  "[[1]]}}}}}", "123-ABC-456"),
])
def test_a_bad_state_file_is_one_plain_line(tmp_path: Path, name: str, text: str,
                                            words: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    done = subprocess.run([sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port",
                           "0", "--state", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0] and words in lines[0], done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
