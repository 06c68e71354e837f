"""A deliberately thin Marketo REST caller for tests: plain requests, no retries."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import yaml
from waitress.server import create_server

from vendorsim.simulator.engine.run import Report, run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

MUNCHKIN = "123-ABC-456"
BASE = f"https://{MUNCHKIN}.mktorest.com"


class MarketoCaller:
    """Calls one instance; `login()` gets a bearer token the way every client does."""

    def __init__(self, base: str = BASE) -> None:
        self.base = base
        self.session = requests.Session()

    def token(self, client_id: str = "cdp", client_secret: str = "s3cret",
              **extra: str) -> requests.Response:
        return self.session.get(f"{self.base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": client_id,
            "client_secret": client_secret, **extra})

    def login(self, client_id: str = "cdp", client_secret: str = "s3cret") -> MarketoCaller:
        response = self.token(client_id, client_secret)
        assert response.status_code == 200, response.text
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return self

    def get(self, path: str, **params: object) -> dict:
        return self.session.get(self.base + path, params=params).json()

    def post(self, path: str, json: object = None, **kwargs: object) -> dict:
        return self.session.post(self.base + path, json=json, **kwargs).json()

    def delete(self, path: str, **kwargs: object) -> dict:
        return self.session.delete(self.base + path, **kwargs).json()

    def sync(self, records: list, **options: object) -> dict:
        return self.post("/rest/v1/leads.json", {"input": records, **options})


def codes(body: dict) -> list[str]:
    """Response-level error codes of an envelope."""
    return [e["code"] for e in body.get("errors", [])]


def reasons(result: dict) -> list[str]:
    return [r["code"] for r in result.get("reasons", [])]


SCENARIO_START = "2026-01-05T09:00:00Z"


def scenario(tmp_path: Path, audience: dict, timeline: list, **extra: object) -> Report:
    """Replay a one-audience Marketo scenario; `extra` replaces top-level keys."""
    doc = {
        "name": "t", "start": SCENARIO_START,
        "vendors": {"marketo": [{"munchkin_id": "123-ABC-456"}]},
        "data": {"accounts": [{"accountId": "A1", "industry": "Retail"}],
                 "people": [{"personId": "P1", "email": "p1@x.example", "firstName": "P",
                             "lastName": "One", "seniority": "VP", "accountId": "A1"}]},
        "audiences": [{"id": "a", "name": "Audience A", **audience}],
        "destinations": [{"id": "m", "type": "marketo", "munchkin_id": "123-ABC-456",
                          "sync_type": "audience_and_profile",
                          "person_action": "update_existing_and_create_new",
                          "mappings": {"email": "email", "firstName": "firstName",
                                       "lastName": "lastName"}, "audiences": ["a"]}],
        "timeline": [{"at": "+0s", "action": "activate", "destination": "m", "audience": "a"},
                     *timeline],
        **extra}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    return run_scenario(load_scenario(path))


@contextmanager
def on_loopback(app: Callable) -> Iterator[str]:
    """A WSGI app (a test's receiver) served by waitress on 127.0.0.1: its base URL."""
    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
