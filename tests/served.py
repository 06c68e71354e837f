"""`vendorsim serve` as a real process for the persistence and admin-token tests: free
loopback ports, stderr kept in a file (a pipe nobody reads could fill and stall the server),
and the few calls those tests make through public HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import requests

from tests.helpers import MUNCHKIN

SERVE = [sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port", "0"]


class Served:
    """A `vendorsim serve` process; `wrap` puts a command in front (e.g. `unshare`)."""

    def __init__(self, *args: str, env: dict[str, str] | None = None,
                 wrap: list[str] | None = None, admin_token: str | None = None) -> None:
        self.errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - read after the process ends
        self.process = subprocess.Popen(
            [*(wrap or []), *SERVE, *args], stdout=subprocess.PIPE, stderr=self.errors,
            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        self.admin_headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
        self.urls: dict = {}
        for line in self.process.stdout:  # type: ignore[union-attr]  # PIPE was asked for
            if line.startswith("VENDORSIM_URLS "):
                self.urls = json.loads(line.split(" ", 1)[1])
                break
        if not self.urls:
            self.process.wait(timeout=30)
            raise AssertionError(f"vendorsim serve did not start: {self.stderr()}")
        self.base = f"{self.urls['marketo']}/{MUNCHKIN}"
        self.http = requests.Session()

    def stderr(self) -> str:
        self.errors.seek(0)
        return self.errors.read()

    def login(self, client_id: str = "c", secret: str = "s") -> Served:
        token = self.http.get(f"{self.base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": client_id,
            "client_secret": secret}, timeout=30)
        assert token.status_code == 200, token.text
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        return self

    def write(self, n: int) -> int:
        """Create lead n; its id."""
        body = self.http.post(f"{self.base}/rest/v1/leads.json", json={
            "input": [{"email": f"lead{n}@x.example", "title": f"T{n}"}]}, timeout=30).json()
        assert body["success"] and body["result"][0]["status"] == "created", body
        return int(body["result"][0]["id"])

    def admin(self, method: str, path: str, **kwargs: object) -> requests.Response:
        return requests.request(method, f"{self.urls['cloud']}/__admin{path}",  # type: ignore[arg-type]  # requests' keyword arguments
                                headers=self.admin_headers, timeout=30, **kwargs)

    def state(self) -> dict:
        return dict(self.admin("GET", "/state", params={"secrets": "include"}).json())

    def count(self) -> int:
        tenant = self.state()["vendors"]["marketo"]["tenants"].get(MUNCHKIN)
        return len(tenant["state"]["leads"]) if tenant else 0

    def health(self) -> dict:
        return dict(self.admin("GET", "/health").json())

    def unsaved(self) -> int:
        """Calls answered since the state of the last finished save was read."""
        return int(self.health()["persistence"]["unsaved_calls"])

    def wait_saved(self, limit: float = 15.0) -> None:
        """Until a finished save holds every call answered so far, bounded: the test polls
        what the server says instead of sleeping a guessed time."""
        self.wait_for(lambda: self.unsaved() == 0, limit, "a save")

    def wait_for(self, done: Callable[[], object], limit: float, what: str) -> None:
        deadline = time.monotonic() + limit
        while not done():
            assert time.monotonic() < deadline, f"no {what} within {limit} s: {self.health()}"
            time.sleep(0.05)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=60)


def refused(*args: str, env: dict[str, str] | None = None, wrap: list[str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `vendorsim serve` expecting it to refuse to start: if it starts serving instead,
    it is stopped and the answer says so (returncode -1)."""
    process = subprocess.Popen([*(wrap or []), *SERVE, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    out = ""
    for line in process.stdout:  # type: ignore[union-attr]  # PIPE was asked for
        out += line
        if line.startswith("VENDORSIM_URLS "):
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=timeout)
            return subprocess.CompletedProcess(process.args, -1, out, err)
    _, err = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)
