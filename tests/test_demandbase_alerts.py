"""Demandbase subscription alerts (issue 36; vendor-apis.md §8.4) delivered to a receiver
built with Flask that answers the HEAD validation by echoing its code and checks every alert
page's signature (hex HMAC-SHA256 of the raw body with the signingSecret): the handshake
succeeding and failing, pages of at most 5,000 entities on the virtual clock, receiver faults
and verdicts, hostile bodies, and the same over served ports on 127.0.0.1. Alerts are about
the account lists of B-DB-01 (account audiences activated to Demandbase)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
import requests
from flask import Flask, Response, request

from tests.helpers import on_loopback
from tests.test_demandbase import API, LISTS, token
from tests.test_demandbase_api import run_import
from vendorsim import Cloud
from vendorsim.mocks.demandbase import facts
from vendorsim.mocks.server import ServerRunner

ALERTS = f"{API}{facts.SUBSCRIPTIONS}"
HOOK = "https://hooks.example.com/alerts"


class Receiver:
    """The customer's endpoint: echoes the validation code on HEAD, verifies each page."""

    def __init__(self) -> None:
        self.secret = ""
        self.echo = True
        self.status = 204
        self.codes: list[str | None] = []
        self.pages: list[dict] = []
        self.refused = 0
        self.app = Flask("demandbase-receiver")
        self.app.add_url_rule("/alerts", "alerts", self.receive, methods=["POST", "HEAD"])

    def receive(self) -> Response:
        code = request.headers.get(facts.VALIDATION_HEADER)
        if request.method == "HEAD":
            self.codes.append(code)
            echoed = {facts.VALIDATION_HEADER: code} if self.echo and code else {}
            return Response(status=200, headers=echoed)
        body = request.get_data()
        expected = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get(facts.SIGNATURE_HEADER, ""), expected):
            self.refused += 1
            return Response("bad signature", status=401)
        if self.status >= 300:
            return Response(status=self.status)
        self.pages.append(json.loads(body))
        return Response(status=self.status)


@pytest.fixture
def db(cloud: Cloud) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token().json()['accessToken']}"
    return session


@pytest.fixture
def receiver(cloud: Cloud) -> Receiver:
    found = Receiver()
    cloud.receive("https://hooks.example.com/", found.app)
    return found


def new_list(db: requests.Session, name: str, domains: list[str], base: str = API) -> int:
    made = db.post(f"{base}/accountlists/v1/lists", json={"name": name})
    assert made.status_code == 201, made.text
    if domains:
        added = db.post(f"{base}/accountlists/v1/lists/{made.json()['id']}/accounts", json={
            "accounts": [{"accountName": d, "accountEmailDomain": d} for d in domains]})
        assert added.status_code == 202, added.text
    return int(made.json()["id"])


def subscribe(db: requests.Session, receiver: Receiver, lists: list[int],
              url: str = HOOK, base: str = API) -> dict:
    made = db.post(f"{base}{facts.SUBSCRIPTIONS}", json={
        "name": "Target accounts", "destinationUrl": url, "accountListIds": lists})
    assert made.status_code == 201, made.text
    receiver.secret = made.json()["signingSecret"]
    assert made.json()["status"] == "VERIFICATION_PENDING"
    return dict(made.json())


def state(db: requests.Session, subscription: dict, base: str = API) -> str:
    found = db.get(f"{base}{facts.SUBSCRIPTIONS}/{subscription['subscriptionId']}")
    assert "signingSecret" not in found.json()
    return str(found.json()["status"])


def test_validation_then_the_first_alert_then_changes_in_pages(
        cloud: Cloud, db: requests.Session, receiver: Receiver) -> None:
    """B-DB-01: HEAD echoed → RUNNING; the members then (12,000: pages of ≤ 5,000) → ACTIVE;
    later joins and leaves, gathered a minute, arrive signed."""
    watched = new_list(db, "Tier 1", [f"a{n}.example" for n in range(12_000)])
    new_list(db, "Unwatched", ["other.example"])
    made = subscribe(db, receiver, [watched])
    assert receiver.codes == []  # the HEAD comes after the create answer
    cloud.clock.advance(1)
    assert len(receiver.codes) == 1 and receiver.codes[0]
    assert state(db, made) == "RUNNING"
    cloud.clock.advance(facts.ALERT_DELAY)
    assert [p["entityCount"] for p in receiver.pages] == [5000, 5000, 2000]
    assert {p["totalPages"] for p in receiver.pages} == {3} and receiver.refused == 0
    assert all(p["initial"] and p["subscriptionId"] == made["subscriptionId"]
               for p in receiver.pages)
    assert len({e["domain"] for p in receiver.pages for e in p["entities"]}) == 12_000
    assert state(db, made) == "ACTIVE"
    receiver.pages.clear()
    db.post(f"{LISTS}/{watched}/accounts", json={"accounts": [
        {"accountName": "New", "accountEmailDomain": "new.example"}]})
    db.delete(f"{LISTS}/{watched}/accounts", json={"domains": ["a1.example"]})
    cloud.clock.advance(facts.ALERT_DELAY - 1)
    assert receiver.pages == []  # still gathering
    cloud.clock.advance(1)
    (page,) = receiver.pages
    assert [(e["domain"], e["change"], e["accountListId"]) for e in page["entities"]] == [
        ("new.example", "ADDED", watched), ("a1.example", "REMOVED", watched)]
    assert not page["initial"] and receiver.refused == 0


def test_a_receiver_that_does_not_echo_is_disabled_and_can_try_again(
        cloud: Cloud, db: requests.Session, receiver: Receiver) -> None:
    receiver.echo = False
    made = subscribe(db, receiver, [])
    cloud.clock.advance(2)
    assert state(db, made) == "DISABLED"
    listed = db.get(ALERTS).json()
    assert listed["totalCount"] == 1 and "echo" in listed["data"][0]["statusReason"]
    new_list(db, "L", ["x.example"])
    cloud.clock.advance(600)
    assert receiver.pages == []  # a disabled subscription is sent nothing
    receiver.echo = True
    again = db.post(f"{ALERTS}/{made['subscriptionId']}/validate")
    assert again.status_code == 202 and again.json()["status"] == "VERIFICATION_PENDING"
    cloud.clock.advance(2)
    assert state(db, made) == "RUNNING" and receiver.codes[0] != receiver.codes[-1]
    assert db.post(f"{ALERTS}/{made['subscriptionId']}/validate").status_code == 409


def test_an_unreachable_destination_is_tried_then_disabled(cloud: Cloud,
                                                           db: requests.Session) -> None:
    cloud.receive("https://down.example.com/", lambda m, u, h, b: 503)
    made = db.post(ALERTS, json={"name": "D", "destinationUrl": "https://down.example.com/a"})
    cloud.clock.advance(3600)
    (head,) = cloud.deliveries(vendor="demandbase", kind="validation")
    assert head.method == "HEAD" and head.tries == len(facts.VALIDATION_RETRIES) + 1
    assert state(db, made.json()) == "DISABLED"


def test_a_failing_alert_page_is_retried_then_disables(cloud: Cloud, db: requests.Session,
                                                       receiver: Receiver) -> None:
    made = subscribe(db, receiver, [new_list(db, "L", ["a.example"])])
    receiver.status = 500
    cloud.clock.advance(86400)
    (page,) = cloud.deliveries(vendor="demandbase", kind="alert")
    assert page.state == "failed" and page.tries == len(facts.ALERT_RETRIES) + 1
    db.headers["Authorization"] = f"Bearer {token().json()['accessToken']}"  # a day later
    assert state(db, made) == "DISABLED"


def test_a_bad_signature_fault_skips_the_unsigned_handshake(
        cloud: Cloud, db: requests.Session, receiver: Receiver) -> None:
    """The HEAD carries no signature: the fault waits for the first signed page (else an
    echoing receiver would earn a false receiver_unverified verdict)."""
    cloud.add_receiver_fault("bad_signature", vendor="demandbase")
    made = subscribe(db, receiver, [new_list(db, "L", ["a.example"])])
    cloud.clock.advance(1 + facts.ALERT_DELAY)
    (head,) = cloud.deliveries(vendor="demandbase", kind="validation")
    assert head.fault is None and receiver.refused == 1 and cloud.verdicts() == []
    assert state(db, made) == "RUNNING"  # the refused first page is tried again


def test_receiver_faults_and_verdicts(cloud: Cloud, db: requests.Session,
                                      receiver: Receiver) -> None:
    """A checking receiver refuses a bad signature (no verdict); a sloppy one earns one."""
    subscribe(db, receiver, [])
    cloud.clock.advance(2)
    cloud.add_receiver_fault("bad_signature", vendor="demandbase")
    new_list(db, "L", ["a.example"])
    cloud.clock.advance(facts.ALERT_DELAY)
    assert receiver.refused == 1 and cloud.verdicts() == []
    cloud.add_receiver_fault("duplicate", vendor="demandbase")
    new_list(db, "M", ["b.example"])
    cloud.clock.advance(facts.ALERT_DELAY + 2)
    assert [p["entities"][0]["domain"] for p in receiver.pages][-2:] == ["b.example"] * 2
    sloppy: list[bytes] = []

    def anything(method: str, url: str, headers: dict, body: bytes) -> tuple:
        sloppy.append(body)
        return 200, b"", {facts.VALIDATION_HEADER: headers.get(facts.VALIDATION_HEADER, "")}

    cloud.receive("https://sloppy.example.com/", anything)
    db.post(ALERTS, json={"name": "S", "destinationUrl": "https://sloppy.example.com/a"})
    cloud.clock.advance(2)
    cloud.add_receiver_fault("bad_signature", vendor="demandbase", times=2)  # both pages
    new_list(db, "N", ["c.example"])
    cloud.clock.advance(facts.ALERT_DELAY)
    assert sloppy and receiver.refused >= 2  # a refused page is tried again, still badly signed
    assert [(v["rule"], v["client"]) for v in cloud.verdicts()] == [
        ("receiver_unverified", "https://sloppy.example.com/a")]


@pytest.mark.parametrize("body", [
    None, [], "x", {"name": "N"}, {"destinationUrl": HOOK},
    {"name": "", "destinationUrl": HOOK}, {"name": "N", "destinationUrl": "http://x.com/a"},
    {"name": "N", "destinationUrl": "ftp://x.com"}, {"name": "N", "destinationUrl": 7},
    {"name": "N", "destinationUrl": "https://"}, {"name": "N", "destinationUrl": HOOK + " x"},
    {"name": "N", "destinationUrl": HOOK, "alertType": "EVERYTHING"},
    {"name": "N", "destinationUrl": HOOK, "accountListIds": "1"},
    {"name": "N", "destinationUrl": HOOK, "accountListIds": [True]},
    {"name": "N", "destinationUrl": HOOK, "accountListIds": [999999]},
    {"name": "N", "destinationUrl": HOOK, "accountListIds": ["11416"]},
    {"name": "N", "destinationUrl": HOOK, "status": "ACTIVE"},
    {"name": "N" * 201, "destinationUrl": HOOK}])
def test_hostile_bodies_are_refused_whole(cloud: Cloud, db: requests.Session,
                                          body: object) -> None:
    answer = db.post(ALERTS, data=json.dumps(body) if body is not None else b"{",
                     headers={"Content-Type": "application/json"})
    assert answer.status_code in (400, 404), answer.text
    assert set(answer.json()) == {"errorCode", "errorMessage", "diagnosticCode"}
    assert db.get(ALERTS).json() == {"totalCount": 0, "data": []}
    assert cloud.deliveries(vendor="demandbase") == []


def test_unknown_ids_limits_and_auth(cloud: Cloud, db: requests.Session) -> None:
    assert db.get(f"{ALERTS}/nope").status_code == 404
    assert db.delete(f"{ALERTS}/nope").status_code == 404
    assert requests.get(ALERTS).status_code == 401
    for n in range(facts.MAX_SUBSCRIPTIONS):
        assert db.post(ALERTS, json={"name": f"S{n}", "destinationUrl": HOOK}).ok
    assert db.post(ALERTS, json={"name": "more", "destinationUrl": HOOK}).status_code == 409
    first = db.get(ALERTS).json()["data"][0]["subscriptionId"]
    assert db.delete(f"{ALERTS}/{first}").status_code == 204
    assert db.get(ALERTS).json()["totalCount"] == facts.MAX_SUBSCRIPTIONS - 1


def test_subscriptions_are_in_snapshots(cloud: Cloud, db: requests.Session,
                                        receiver: Receiver) -> None:
    made = subscribe(db, receiver, [new_list(db, "L", [])])
    cloud.clock.advance(2)
    service = cloud.service("demandbase")
    saved = service.snapshot()
    (kept,) = saved["tenants"]["cdp"]["state"]["alert_subscriptions"]
    assert kept["signingSecret"] == made["signingSecret"] and kept["status"] == "ACTIVE"
    cloud.reset("demandbase")
    assert db.get(ALERTS).status_code == 401  # tokens went with the reset
    service.restore(saved)
    db.headers["Authorization"] = f"Bearer {token().json()['accessToken']}"
    assert [s["status"] for s in db.get(ALERTS).json()["data"]] == ["ACTIVE"]
    broken = json.loads(json.dumps(saved))
    broken["tenants"]["cdp"]["state"]["alert_subscriptions"][0]["status"] = "ON"
    with pytest.raises(ValueError, match="status"):
        service.restore(broken)


def test_an_import_that_replaces_a_list_alerts_both_ways(
        cloud: Cloud, db: requests.Session, receiver: Receiver) -> None:
    """An import's list (B-DB-01's activation path) watched by a seeded subscription."""
    cloud.service("demandbase").seed_tenant("cdp", state={
        "account_lists": [{"id": 500, "name": "Retail", "domains": ["old.example"]}],
        "alert_subscriptions": [{"subscriptionId": "s1", "name": "Retail",
                                 "destinationUrl": HOOK, "signingSecret": "k" * 20,
                                 "status": "ACTIVE", "accountListIds": [500]}]})
    receiver.secret = "k" * 20
    run_import(cloud, db, "accountName,accountEmailDomain\nAcme,acme.example\n")
    cloud.clock.advance(facts.ALERT_DELAY)
    changes = sorted((e["domain"], e["change"]) for p in receiver.pages for e in p["entities"])
    assert changes == [("acme.example", "ADDED"), ("old.example", "REMOVED")]
    assert receiver.refused == 0 and receiver.codes == []  # seeded ACTIVE: no new HEAD
    with pytest.raises(ValueError, match="not found"):
        cloud.service("demandbase").seed_tenant("other", state={"alert_subscriptions": [
            {"subscriptionId": "s2", "name": "N", "destinationUrl": HOOK,
             "signingSecret": "k", "accountListIds": [1]}]})


@pytest.fixture
def live_receiver() -> Iterator[tuple[str, Receiver]]:
    """The receiver served on loopback by waitress."""
    found = Receiver()
    with on_loopback(found.app) as base:
        yield f"{base}/alerts", found


def test_over_served_ports(cloud: Cloud, live_receiver: tuple[str, Receiver]) -> None:
    """vendorsim on a port of 127.0.0.1, the receiver on another: HEAD, then signed pages."""
    url, found = live_receiver
    with ServerRunner(cloud, port=0) as server:
        base = server.urls["demandbase"]
        session = requests.Session()
        got = session.post(f"{base}/auth/v1/token", data={
            "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})
        session.headers["Authorization"] = f"Bearer {got.json()['accessToken']}"
        made = subscribe(session, found, [new_list(session, "L", ["a.example"], base)],
                         url=url, base=base)
        cloud.clock.advance(1 + facts.ALERT_DELAY)
        assert state(session, made, base) == "ACTIVE"
    assert len(found.codes) == 1 and found.refused == 0
    assert [e["domain"] for e in found.pages[0]["entities"]] == ["a.example"]
