"""A tenant model that is gone leaves no work behind (issue 33, nothing silent): what a model
scheduled on the cloud's outbox (a campaign flow's wait and webhook, ENS callbacks, alerts) is
marked with the model's lock and dropped when the service replaces the model (a reset of the
tenant or the vendor, a `PUT /__admin/state`, a restore refused half-way). Before, the old
model's webhook still reached the customer's endpoint after a reset, and twice after a
restore (the old model's and the restored one's)."""

from __future__ import annotations

import requests

from tests.helpers import MUNCHKIN, MarketoCaller
from tests.marketo.test_campaign_sends import WORLD, Receiver, trigger
from vendorsim import Cloud

ADMIN = f"https://{MUNCHKIN}.mktorest.com/__admin"


def waiting_webhook(cloud: Cloud, mkto: MarketoCaller) -> Receiver:
    """Campaign 14 waits 10 minutes, then calls its webhook for lead 2002."""
    receiver = Receiver(200, {})
    cloud.outbox.receive("https://hooks.example/", receiver)
    cloud.marketo(MUNCHKIN).seed({**WORLD, "leads": [{"id": 2002, "email": "a@x.example"}]})
    assert trigger(mkto, 14, [2002])["success"]
    assert cloud.outbox.pending() == 1 and receiver.calls == []
    return receiver


def test_a_reset_tenant_calls_nobody(cloud: Cloud, mkto: MarketoCaller) -> None:
    receiver = waiting_webhook(cloud, mkto)
    assert requests.post(f"{ADMIN}/reset", params={"tenant": MUNCHKIN}).status_code == 200
    assert cloud.outbox.pending() == 0
    cloud.clock.advance(601)
    assert receiver.calls == []


def test_a_reset_vendor_calls_nobody(cloud: Cloud, mkto: MarketoCaller) -> None:
    receiver = waiting_webhook(cloud, mkto)
    cloud.reset("marketo")
    cloud.clock.advance(601)
    assert receiver.calls == [] and cloud.outbox.pending() == 0


def test_a_restored_tenant_calls_once(cloud: Cloud, mkto: MarketoCaller) -> None:
    receiver = waiting_webhook(cloud, mkto)
    state = requests.get(f"{ADMIN}/state", params={"secrets": "include"}).json()
    assert state["tenants"][MUNCHKIN]["state"]["flowsWaiting"]
    assert requests.put(f"{ADMIN}/state", json=state).status_code == 200
    cloud.clock.advance(601)
    assert len(receiver.calls) == 1  # the restored model's wait; the replaced one's dropped


def test_a_refused_restore_leaves_no_work_behind(cloud: Cloud, mkto: MarketoCaller) -> None:
    receiver = waiting_webhook(cloud, mkto)
    state = requests.get(f"{ADMIN}/state", params={"secrets": "include"}).json()
    state["tenants"]["999-BAD-999"] = {"state": {"leads": "not a list"}}
    refused = requests.put(f"{ADMIN}/state", json=state)
    assert refused.status_code == 400
    assert cloud.outbox.pending() == 1  # the model in service keeps its own wait
    cloud.clock.advance(601)
    assert len(receiver.calls) == 1  # not also the restore's, built aside and refused
