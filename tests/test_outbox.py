"""The outbox (issue 36): the vendors' own work and their calls to the customer's systems, on
the clock. Deliveries reach in-process receivers (a Flask app, a callable) or a real
server on loopback, are tried again as the vendor's policy says, journalled as outbound
calls, and the receiver faults (duplicate, out of order, late, bad signature) give verdicts
on the receiving code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from flask import Flask, request

from tests.helpers import on_loopback
from vendorsim import Cloud
from vendorsim.mocks.core.clock import VirtualClock
from vendorsim.mocks.core.journal import Journal
from vendorsim.mocks.core.outbox import Outbox
from vendorsim.mocks.server import ServerRunner

HOOK = "https://hooks.example.com/in"


class Receiver:
    """A customer's endpoint: keeps what it got, answers as told."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.got: list[tuple[dict, bytes]] = []

    def __call__(self, method: str, url: str, headers: dict, body: bytes) -> int:
        self.got.append((headers, body))
        return self.status


def test_a_delivery_waits_for_its_time_on_the_virtual_clock(cloud: Cloud) -> None:
    got = Receiver()
    cloud.receive("https://hooks.example.com/", got)
    cloud.outbox.deliver("sfmc", "sub", "test", HOOK, b'{"n":1}', {}, timeout=3,
                         due=cloud.clock.now() + 60)
    assert got.got == []
    cloud.clock.advance(59)
    assert got.got == []
    cloud.clock.advance(1)
    assert got.got == [({"Content-Type": "application/json"}, b'{"n":1}')]
    (entry,) = [e for e in cloud.journal.entries() if e.outbound]
    assert (entry.vendor, entry.path, entry.status, entry.codes) == \
        ("sfmc", HOOK, 200, ["callback:test"])


def test_a_failed_delivery_is_tried_again_then_given_up(cloud: Cloud) -> None:
    got = Receiver(status=500)
    cloud.receive(HOOK, got)
    delivery = cloud.outbox.deliver("sfmc", "sub", "test", HOOK, b"{}", {}, timeout=3,
                                    max_tries=3, retry_after=(10, 20))
    cloud.outbox.run_due()
    assert (len(got.got), delivery.state) == (1, "pending")
    cloud.clock.advance(10)
    assert len(got.got) == 2
    cloud.clock.advance(20)
    assert (len(got.got), delivery.state, delivery.tries) == (3, "failed", 3)
    assert cloud.deliveries(kind="test")[0] is delivery


def test_a_flask_app_receives_in_process(cloud: Cloud) -> None:
    app = Flask("receiver")
    seen = []

    @app.post("/in")
    def hook():  # noqa: ANN202 - a view
        seen.append(request.get_json())
        return "", 204

    cloud.receive("https://hooks.example.com/", app)
    cloud.outbox.deliver("bombora", "c", "test", HOOK, b'{"a":1}', {}, timeout=3)
    cloud.outbox.run_due()
    assert seen == [{"a": 1}] and cloud.deliveries()[0].status == 204


@pytest.fixture
def live_receiver() -> Iterator[tuple[str, list]]:
    """A receiver served on loopback by a second cloud's server (any HTTP server would do)."""
    seen: list = []
    app = Flask("live")

    @app.post("/live")
    def live():  # noqa: ANN202 - a view
        seen.append(request.get_data())
        return "ok"

    with on_loopback(app) as base:
        yield f"{base}/live", seen


def test_a_delivery_goes_over_http_to_a_server(cloud: Cloud,
                                               live_receiver: tuple[str, list]) -> None:
    url, seen = live_receiver
    cloud.outbox.deliver("demandbase", "c", "test", url, b"hello", {}, timeout=5)
    cloud.outbox.run_due()
    assert seen == [b"hello"] and cloud.deliveries()[0].state == "delivered"


def test_receiver_faults_and_the_verdicts_they_give(cloud: Cloud) -> None:
    sloppy = Receiver()
    cloud.receive(HOOK, sloppy)
    cloud.add_receiver_fault("bad_signature", vendor="sfmc")
    cloud.outbox.deliver("sfmc", "sub", "ens", HOOK, b"{}", {"x-sfmc-ens-signature": "good"},
                         timeout=3)
    cloud.outbox.run_due()
    assert sloppy.got[0][0]["x-sfmc-ens-signature"] != "good"
    verdicts = cloud.verdicts()
    assert [(v["rule"], v["client"]) for v in verdicts] == [("receiver_unverified", HOOK)]


def test_duplicates_late_and_out_of_order_deliveries(cloud: Cloud) -> None:
    got = Receiver()
    cloud.receive(HOOK, got)
    cloud.add_receiver_fault("duplicate")
    cloud.outbox.deliver("sfmc", "s", "ens", HOOK, b"first", {}, timeout=3)
    cloud.clock.advance(1)
    assert [b for _, b in got.got] == [b"first", b"first"]
    cloud.add_receiver_fault("out_of_order", delay=30)
    cloud.outbox.deliver("sfmc", "s", "ens", HOOK, b"second", {}, timeout=3)
    cloud.outbox.deliver("sfmc", "s", "ens", HOOK, b"third", {}, timeout=3)
    cloud.clock.advance(30)
    assert [b for _, b in got.got][2:] == [b"third", b"second"]


def test_a_receiver_refusing_a_duplicate_is_not_idempotent(cloud: Cloud) -> None:
    answers = iter([200, 409])
    cloud.receive(HOOK, lambda method, url, headers, body: next(answers))
    cloud.add_receiver_fault("duplicate")
    cloud.outbox.deliver("sfmc", "s", "ens", HOOK, b"x", {}, timeout=3)
    cloud.clock.advance(1)
    assert [v["rule"] for v in cloud.verdicts()] == ["receiver_not_idempotent"]


def test_the_admin_api_lists_deliveries_and_takes_faults(cloud: Cloud) -> None:
    got = Receiver()
    cloud.receive(HOOK, got)
    with ServerRunner(cloud, port=0) as server:
        admin = f"{server.urls['sfmc']}/__admin"
        added = requests.post(f"{admin}/callbacks/faults", json={"kind": "late", "delay": 5})
        assert added.status_code == 201
        assert requests.post(f"{admin}/callbacks/faults",
                             json={"kind": "nope"}).status_code == 400
        cloud.outbox.deliver("sfmc", "s", "ens", HOOK, b"x", {}, timeout=3)
        assert requests.get(f"{admin}/callbacks").json()["pending"] == 1
        cloud.clock.advance(5)
        listed = requests.get(f"{admin}/callbacks").json()
        assert [(d["fault"], d["state"]) for d in listed["deliveries"]] == \
            [("late", "delivered")]


def test_a_task_runs_when_its_time_comes() -> None:
    clock = VirtualClock(0)
    outbox = Outbox(clock, Journal())
    ran: list[float] = []
    outbox.at(100, lambda: ran.append(clock.now()))
    outbox.at(50, lambda: ran.append(clock.now()))
    clock.advance(200)
    assert ran == [200, 200] and outbox.pending() == 0
