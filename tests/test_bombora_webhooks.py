"""Bombora's Webhooks API (issue 36; vendor-apis.md §8.5) delivering to a receiver built with
Flask that checks `X-Bombora-Signature-256` (HMAC-SHA256 of the UTF-8 body with the
destination's secret): destinations and event enablement (409 on deleting a destination with
an enabled event), AccountListAccountsUpdated as account lists change (the lists of B-BOM-01),
per-event statistics, retries on the virtual clock, receiver faults and verdicts, hostile
bodies, snapshots, and the same over served ports on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
import requests
from flask import Flask, Response, request

from tests.helpers import on_loopback
from tests.test_bombora import API, LISTS, new_list, token
from vendorsim import Cloud
from vendorsim.mocks.bombora import facts
from vendorsim.mocks.server import ServerRunner

HOOKS = f"{API}{facts.WEBHOOKS}"
DESTINATIONS = f"{HOOKS}/destinations"
HOOK = "https://hooks.example.com/bombora"
SECRET = "a-secret-of-sixteen-or-more"
EVENT = "AccountListAccountsUpdated"


class Receiver:
    """The customer's endpoint: verifies each delivery's signature before taking it."""

    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.status = 200
        self.events: list[dict] = []
        self.refused = 0
        self.app = Flask("bombora-receiver")
        self.app.add_url_rule("/bombora", "bombora", self.receive, methods=["POST"])

    def receive(self) -> Response:
        body = request.get_data()
        expected = hmac.new(self.secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get(facts.SIGNATURE_HEADER, ""), expected):
            self.refused += 1
            return Response("bad signature", status=401)
        if self.status >= 300:
            return Response(status=self.status)
        event = json.loads(body.decode("utf-8"))
        assert request.headers[facts.EVENT_HEADER] == event["eventType"]
        self.events.append(event)
        return Response(status=self.status)


@pytest.fixture
def bombora(cloud: Cloud) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token().json()['access_token']}"
    return session


@pytest.fixture
def receiver(cloud: Cloud) -> Receiver:
    found = Receiver()
    cloud.receive("https://hooks.example.com/", found.app)
    return found


def destination(session: requests.Session, url: str = HOOK, base: str = API,
                **extra: object) -> str:
    made = session.post(f"{base}{facts.WEBHOOKS}/destinations",
                        json={"name": "CRM", "url": url, "secret": SECRET, **extra})
    assert made.status_code == 201, made.text
    assert made.json()["secret"] == SECRET and made.json()["enabledEvents"] == []
    found = str(made.json()["id"])
    enabled = session.put(f"{base}{facts.WEBHOOKS}/destinations/{found}/events/{EVENT}")
    assert enabled.status_code == 200 and enabled.json()["enabled"] is True
    return found


def test_list_changes_are_delivered_signed_and_counted(cloud: Cloud,
                                                       bombora: requests.Session,
                                                       receiver: Receiver) -> None:
    """B-BOM-01: an account audience's list changes; the destination hears of each change."""
    hook = destination(bombora)
    list_id = new_list(bombora, "Tier 1")
    assert bombora.post(f"{LISTS}/{list_id}/accounts", json=[
        {"domain": "acme.com"}, {"domain": "globex.com"}]).ok
    assert bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "acme.com"}]).ok
    assert bombora.delete(f"{LISTS}/{list_id}/accounts", json=["globex.com"]).ok
    assert bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "bad"}]).ok  # none
    cloud.clock.advance(1)
    assert receiver.refused == 0
    assert [(e["eventType"], e["data"]["accountListId"], e["data"]["accountsAdded"],
             e["data"]["accountsUpdated"], e["data"]["accountsRemoved"],
             e["data"]["accountTotal"]) for e in receiver.events] == [
        (EVENT, list_id, 2, 0, 0, 2), (EVENT, list_id, 0, 1, 0, 2),
        (EVENT, list_id, 0, 0, 1, 1)]
    assert len({e["eventId"] for e in receiver.events}) == 3
    stats = bombora.get(f"{DESTINATIONS}/{hook}/events/{EVENT}/statistics").json()
    assert (stats["delivered"], stats["failed"], stats["pending"], stats["tries"],
            stats["lastStatusCode"]) == (3, 0, 0, 3, 200)
    events = bombora.get(f"{DESTINATIONS}/{hook}/events").json()
    assert [e["event"] for e in events] == list(facts.EVENTS)
    assert [e["enabled"] for e in events] == [True, False, False, False]


def test_deleting_a_destination_with_an_enabled_event_is_a_409(bombora: requests.Session,
                                                               receiver: Receiver) -> None:
    hook = destination(bombora)
    refused = bombora.delete(f"{DESTINATIONS}/{hook}")
    assert refused.status_code == 409 and EVENT in refused.json()["message"]
    assert bombora.delete(f"{DESTINATIONS}/{hook}/events/{EVENT}").json()["enabled"] is False
    assert bombora.delete(f"{DESTINATIONS}/{hook}").status_code == 204
    assert bombora.get(DESTINATIONS).json() == []
    assert bombora.get(f"{DESTINATIONS}/{hook}").status_code == 404


def test_a_disabled_event_is_not_delivered(cloud: Cloud, bombora: requests.Session,
                                           receiver: Receiver) -> None:
    hook = destination(bombora)
    bombora.delete(f"{DESTINATIONS}/{hook}/events/{EVENT}")
    list_id = new_list(bombora, "L")
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "acme.com"}])
    cloud.clock.advance(60)
    assert receiver.events == [] and cloud.deliveries(vendor="bombora") == []


def test_failures_are_retried_by_the_chosen_policy(cloud: Cloud, bombora: requests.Session,
                                                   receiver: Receiver) -> None:
    hook = destination(bombora)
    receiver.status = 503
    list_id = new_list(bombora, "L")
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "acme.com"}])
    stats = bombora.get(f"{DESTINATIONS}/{hook}/events/{EVENT}/statistics").json()
    assert (stats["pending"], stats["failed"]) == (1, 0)  # the first try failed: retried
    cloud.clock.advance(sum(facts.WEBHOOK_RETRIES) - 1)
    assert cloud.deliveries(vendor="bombora") == []  # the last try is still to come
    cloud.clock.advance(1)
    (failed,) = cloud.deliveries(vendor="bombora")
    assert failed.state == "failed" and failed.tries == len(facts.WEBHOOK_RETRIES) + 1
    stats = bombora.get(f"{DESTINATIONS}/{hook}/events/{EVENT}/statistics").json()
    assert (stats["delivered"], stats["failed"], stats["pending"], stats["tries"],
            stats["lastStatusCode"]) == (0, 1, 0, len(facts.WEBHOOK_RETRIES) + 1, 503)


def test_receiver_faults_and_verdicts(cloud: Cloud, bombora: requests.Session,
                                      receiver: Receiver) -> None:
    destination(bombora)
    list_id = new_list(bombora, "L")
    cloud.add_receiver_fault("bad_signature", vendor="bombora")
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "a.com"}])
    assert receiver.refused == 1 and cloud.verdicts() == []
    cloud.add_receiver_fault("duplicate", vendor="bombora")
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "b.com"}])
    cloud.clock.advance(1)
    assert receiver.events[-1]["eventId"] == receiver.events[-2]["eventId"]
    cloud.add_receiver_fault("out_of_order", vendor="bombora", delay=30)
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "c.com"}])
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "d.com"}])
    cloud.clock.advance(30)
    assert [e["data"]["accountTotal"] for e in receiver.events[-2:]] == [4, 3]
    sloppy: list[bytes] = []
    cloud.receive("https://sloppy.example.com/", lambda m, u, h, b: sloppy.append(b) or 200)
    destination(bombora, url="https://sloppy.example.com/b")
    cloud.add_receiver_fault("bad_signature", vendor="bombora", times=2)
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "e.com"}])
    assert sloppy
    assert [(v["rule"], v["client"]) for v in cloud.verdicts()] == [
        ("receiver_unverified", "https://sloppy.example.com/b")]


@pytest.mark.parametrize("body", [
    None, [], "x", {"name": "N"}, {"url": HOOK}, {"name": " ", "url": HOOK},
    {"name": "N", "url": "http://hooks.example.com/b"}, {"name": "N", "url": ["x"]},
    {"name": "N", "url": "https://hooks.example.com/b#frag"},
    {"name": "N", "url": "https://user:pw@hooks.example.com/b"},
    {"name": "N", "url": HOOK, "secret": "short"}, {"name": "N", "url": HOOK, "secret": 12},
    {"name": "N", "url": HOOK, "secret": "x" * 15 + "\n"},
    {"name": "N", "url": HOOK, "events": [EVENT]}, {"name": "N" * 201, "url": HOOK}])
def test_hostile_bodies_are_refused_whole(cloud: Cloud, bombora: requests.Session,
                                          body: object) -> None:
    answer = bombora.post(DESTINATIONS, data=json.dumps(body) if body is not None else b"{",
                          headers={"Content-Type": "application/json"})
    assert answer.status_code in (400, 422), answer.text
    assert list(answer.json()) == ["message"]
    assert bombora.get(DESTINATIONS).json() == []


def test_unknown_events_ids_updates_and_auth(bombora: requests.Session,
                                            receiver: Receiver) -> None:
    hook = destination(bombora)
    assert bombora.put(f"{DESTINATIONS}/{hook}/events/Everything").status_code == 404
    assert bombora.put(f"{DESTINATIONS}/nope/events/{EVENT}").status_code == 404
    assert bombora.get(f"{DESTINATIONS}/{hook}/events/x/statistics").status_code == 404
    assert requests.get(DESTINATIONS).status_code == 401
    moved = bombora.put(f"{DESTINATIONS}/{hook}", json={"url": "https://hooks.example.com/2"})
    assert moved.json()["url"].endswith("/2") and "secret" not in moved.json()
    bad = bombora.put(f"{DESTINATIONS}/{hook}", json={"url": "ftp://x"})
    assert bad.status_code == 422
    assert bombora.get(f"{DESTINATIONS}/{hook}").json()["url"].endswith("/2")
    assert [e["event"] for e in bombora.get(f"{HOOKS}/events").json()] == list(facts.EVENTS)
    for n in range(facts.MAX_DESTINATIONS - 1):
        assert bombora.post(DESTINATIONS, json={"name": f"D{n}", "url": HOOK}).ok
    assert bombora.post(DESTINATIONS, json={"name": "more", "url": HOOK}).status_code == 409


def test_destinations_are_in_snapshots(cloud: Cloud, bombora: requests.Session,
                                       receiver: Receiver) -> None:
    hook = destination(bombora)
    service = cloud.service("bombora")
    saved = service.snapshot()
    (kept,) = saved["tenants"]["cdp"]["state"]["webhook_destinations"]
    assert (kept["id"], kept["secret"], kept["enabledEvents"]) == (hook, SECRET, [EVENT])
    cloud.reset("bombora")
    service.restore(saved)
    bombora.headers["Authorization"] = f"Bearer {token().json()['access_token']}"
    list_id = new_list(bombora, "L")
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "a.com"}])
    assert len(receiver.events) == 1 and receiver.refused == 0
    broken = json.loads(json.dumps(saved))
    broken["tenants"]["cdp"]["state"]["webhook_destinations"][0]["enabledEvents"] = ["x"]
    with pytest.raises(ValueError, match="enabledEvents"):
        service.restore(broken)


@pytest.fixture
def live_receiver() -> Iterator[tuple[str, Receiver]]:
    """The receiver served on loopback by waitress."""
    found = Receiver()
    with on_loopback(found.app) as base:
        yield f"{base}/bombora", found


def test_over_served_ports(cloud: Cloud, live_receiver: tuple[str, Receiver]) -> None:
    url, found = live_receiver
    with ServerRunner(cloud, port=0) as server:
        base = server.urls["bombora"]
        session = requests.Session()
        got = session.post(f"{base}/oauth/token", json={"client_id": "c",
                                                        "client_secret": "s"})
        session.headers["Authorization"] = f"Bearer {got.json()['access_token']}"
        destination(session, url=url, base=base)
        made = session.post(f"{base}{facts.ACCOUNT_LISTS}", json={
            "type": "Manual", "metadata": {"name": "L"}})
        session.post(f"{base}{facts.ACCOUNT_LISTS}/{made.json()['id']}/accounts",
                     json=[{"domain": "acme.com"}])
        cloud.clock.advance(1)
    assert found.refused == 0 and [e["data"]["accountTotal"] for e in found.events] == [1]
