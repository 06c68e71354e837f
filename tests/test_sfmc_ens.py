"""SFMC's Event Notification Service (issue 36; vendor-apis.md §8.1) delivering to a receiver
built with Flask that checks every signature by the documented algorithm: the verification
handshake, subscriptions by category and definition, batches of at most maxBatchSize, 10,000
notifications with none lost, retries and suspension as the dated policy says, and the
verdicts a sloppy receiver earns."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
import requests
from flask import Flask, request

from vendorsim import Cloud
from vendorsim.mocks.sfmc import facts

SUB = "mc-ens"
AUTH = f"https://{SUB}.auth.marketingcloudapis.com"
HOOK = "https://hooks.example.com/ens"
ALL = ["TransactionalSendEvents.EmailSent", "TransactionalSendEvents.EmailNotSent",
       "TransactionalSendEvents.EmailBounced", "EngagementEvents.EmailOpen",
       "EngagementEvents.EmailClick", "EngagementEvents.EmailUnsubscribe"]


class Receiver:
    """The customer's endpoint: checks the signature as Salesforce documents it (decode the
    base64 header, HMAC-SHA256 the raw body with the callback's key, compare)."""

    def __init__(self) -> None:
        self.key: bytes | None = None
        self.verification: dict = {}
        self.batches: list[list[dict]] = []
        self.refused = 0
        self.status = 200
        self.app = Flask("receiver")
        self.app.add_url_rule("/ens", "ens", self.receive, methods=["POST"])

    def receive(self) -> tuple[str, int]:
        body = request.get_data()
        signature = request.headers.get("x-sfmc-ens-signature")
        if signature is None:  # the verification post
            self.verification = json.loads(body)
            return "", 200
        expected = hmac.new(self.key or b"", body, hashlib.sha256).digest()
        if not hmac.compare_digest(base64.b64decode(signature), expected):
            self.refused += 1
            return "bad signature", 401
        if self.status != 200:
            return "", self.status
        self.batches.append(json.loads(body))
        return "", 204


@pytest.fixture
def receiver(cloud: Cloud) -> Receiver:
    found = Receiver()
    cloud.receive("https://hooks.example.com/", found.app)
    return found


@pytest.fixture
def rest(cloud: Cloud) -> requests.Session:
    cloud.service("sfmc").seed_tenant(SUB, state={"engagement": {"seed": 3, "rates": {
        "hard_bounce": 0.0, "soft_bounce": 0.0, "open": 1.0, "click": 1.0,
        "unsubscribe": 0.0}}})
    answer = requests.post(f"{AUTH}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {answer['access_token']}"
    session.base = answer["rest_instance_url"]  # type: ignore[attr-defined]  # a test's note
    return session


def call(rest: requests.Session, method: str, path: str, body: object = None
         ) -> requests.Response:
    return rest.request(method, rest.base + path, json=body)  # type: ignore[attr-defined, no-any-return]  # set by the fixture


def subscribed(rest: requests.Session, receiver: Receiver, batch: int = 1000) -> str:
    made = call(rest, "POST", "platform/v1/ens-callbacks", [
        {"callbackName": "Receiver", "url": HOOK, "maxBatchSize": batch}])
    assert made.status_code == 201, made.text
    callback = made.json()[0]
    receiver.key = base64.b64decode(callback["signatureKey"])
    assert receiver.verification == {"callbackId": callback["callbackId"],
                                     "verificationKey": receiver.verification.get(
                                         "verificationKey")}
    assert call(rest, "POST", "platform/v1/ens-verify", receiver.verification).ok
    (listed,) = call(rest, "GET", "platform/v1/ens-callbacks").json()
    assert listed["status"] == "verified" and "signatureKey" not in listed
    assert call(rest, "POST", "platform/v1/ens-subscriptions", [{
        "subscriptionName": "all", "callbackId": callback["callbackId"],
        "eventCategoryTypes": ALL, "filters": ["definitionKey=receipt"]}]).status_code == 201
    return str(callback["callbackId"])


def send(rest: requests.Session, first: int, count: int, key: str = "receipt") -> None:
    answer = call(rest, "POST", "messaging/v1/email/messages/", {
        "definitionKey": key, "recipients": [
            {"contactKey": f"C{n}", "to": f"c{n}@x.example", "messageKey": f"{key}-{n}"}
            for n in range(first, first + count)]})
    assert answer.status_code == 202, answer.text


def test_10000_notifications_all_delivered_all_signed(cloud: Cloud, rest: requests.Session,
                                                      receiver: Receiver) -> None:
    subscribed(rest, receiver, batch=500)
    for first in range(0, 3400, 1700):  # 3 events each (sent, open, click): 10,200
        send(rest, first, 1700)
    send(rest, 0, 50, key="other")  # another definition: filtered out
    cloud.clock.advance(30 * 86400)
    got = [n for batch in receiver.batches for n in batch]
    assert receiver.refused == 0 and len(got) == 10_200
    assert max(len(b) for b in receiver.batches) <= 500
    assert len({(n["compositeId"], n["eventCategoryType"]) for n in got}) == 10_200
    assert {n["definitionKey"] for n in got} == {"receipt"}
    assert {n["eventCategoryType"] for n in got} == {
        "TransactionalSendEvents.EmailSent", "EngagementEvents.EmailOpen",
        "EngagementEvents.EmailClick"}
    assert all(d.state == "delivered" for d in cloud.deliveries(kind="ens"))


def test_a_bad_signature_is_caught_by_a_receiver_that_checks(
        cloud: Cloud, rest: requests.Session, receiver: Receiver) -> None:
    subscribed(rest, receiver)
    cloud.add_receiver_fault("bad_signature", vendor="sfmc")
    send(rest, 0, 1)
    cloud.clock.advance(60)
    assert receiver.refused == 1
    assert [v["rule"] for v in cloud.verdicts()] == []  # it checked: no verdict


def test_a_receiver_that_accepts_anything_gets_a_verdict(cloud: Cloud,
                                                         rest: requests.Session) -> None:
    sloppy: list[bytes] = []
    cloud.receive("https://hooks.example.com/", lambda m, u, h, body: sloppy.append(body) or 200)
    made = call(rest, "POST", "platform/v1/ens-callbacks", [{"callbackName": "S", "url": HOOK}])
    callback = made.json()[0]
    verification = json.loads(sloppy[0])
    assert call(rest, "POST", "platform/v1/ens-verify", verification).ok
    call(rest, "POST", "platform/v1/ens-subscriptions", [{
        "subscriptionName": "s", "callbackId": callback["callbackId"],
        "eventCategoryTypes": ALL}])
    cloud.add_receiver_fault("bad_signature", vendor="sfmc")
    send(rest, 0, 1)
    cloud.clock.advance(60)
    assert "receiver_unverified" in {v["rule"] for v in cloud.verdicts()}


def test_an_unverified_callback_gets_nothing(cloud: Cloud, rest: requests.Session,
                                             receiver: Receiver) -> None:
    made = call(rest, "POST", "platform/v1/ens-callbacks", [{"callbackName": "R", "url": HOOK}])
    call(rest, "POST", "platform/v1/ens-subscriptions", [{
        "subscriptionName": "all", "callbackId": made.json()[0]["callbackId"],
        "eventCategoryTypes": ALL}])
    send(rest, 0, 5)
    cloud.clock.advance(600)
    assert receiver.batches == []
    bad = call(rest, "POST", "platform/v1/ens-verify", {
        "callbackId": made.json()[0]["callbackId"], "verificationKey": "wrong"})
    assert bad.status_code == 400


@pytest.mark.parametrize(("as_of", "tries"), [("2025-06-01", 3), ("2026-06-01", 13)])
def test_failed_deliveries_follow_the_dated_policy(cloud: Cloud, rest: requests.Session,
                                                   receiver: Receiver, as_of: str,
                                                   tries: int) -> None:
    cloud.clock.set(f"{as_of}T00:00:00Z")
    rest.headers["Authorization"] = "Bearer " + requests.post(f"{AUTH}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c",
        "client_secret": "s"}).json()["access_token"]
    subscribed(rest, receiver)
    receiver.status = 503
    sent = call(rest, "POST", "messaging/v1/email/messages/one", {
        "definitionKey": "receipt", "recipient": {"contactKey": "C", "to": "c@x.example"}})
    assert sent.status_code == 202, sent.text
    cloud.clock.advance(30)  # the sent event, delivered in its own batch
    cloud.clock.advance(8 * 86400)
    (first, *_) = [d for d in cloud.deliveries(kind="ens")]
    assert first.state == "failed" and first.tries == tries


def test_a_slow_receiver_is_counted_as_failing(cloud: Cloud, rest: requests.Session,
                                               receiver: Receiver,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    subscribed(rest, receiver)
    monkeypatch.setattr(facts, "ENS_ANSWER_SECONDS", 0.0)  # any answer is too slow now
    send(rest, 0, 1)
    cloud.clock.advance(60)
    assert "receiver_slow" in {v["rule"] for v in cloud.verdicts()}


def test_callback_urls_are_checked(rest: requests.Session) -> None:
    for url in ("http://hooks.example.com/ens", "https://hooks.example.com:8443/ens",
                "https://hooks.example.com/ens?x=1", "ftp://x"):
        answer = call(rest, "POST", "platform/v1/ens-callbacks", [{"callbackName": "C",
                                                                  "url": url}])
        assert answer.status_code == 400, url
    for batch in (99, 1001, "10"):
        assert call(rest, "POST", "platform/v1/ens-callbacks", [
            {"callbackName": "C", "url": HOOK, "maxBatchSize": batch}]).status_code == 400
