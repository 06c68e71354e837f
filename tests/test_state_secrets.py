"""The model's own secrets are masked in `GET /__admin/state` like credentials' (issue 33):
Bombora destinations' `secret`, Demandbase alerts' `signingSecret`, SFMC ENS callbacks'
`signatureKey`, Marketo webhooks' custom header values. `?secrets=include` shows them; a
masked state put back into the server keeps the secrets it holds for the same records; put
where no such record is, it is refused by name, never stored as the key."""

from __future__ import annotations

import requests

from tests.helpers import MUNCHKIN
from vendorsim import Cloud
from vendorsim.mocks.core.auth import MASKED
from vendorsim.mocks.core.state_secrets import mask_state

BOMBORA = "https://api.bombora.com/__admin"
SECRET = "a-secret-of-sixteen-or-more"
HOOK = "https://hooks.example.com/bombora"


def destinations(state: dict, tenant: str) -> list[dict]:
    return state["tenants"][tenant]["state"]["webhook_destinations"]


def seeded(cloud: Cloud) -> str:
    answer = requests.post(f"{BOMBORA}/tenants", json={"id": "bom1", "state": {
        "webhook_destinations": [{"id": "d1", "name": "CRM", "url": HOOK, "secret": SECRET}]}})
    assert answer.status_code == 201, answer.text
    return "bom1"


def test_a_destinations_secret_is_masked_unless_asked(cloud: Cloud) -> None:
    tenant = seeded(cloud)
    shown = requests.get(f"{BOMBORA}/state").json()
    assert destinations(shown, tenant)[0]["secret"] == MASKED
    assert SECRET not in requests.get(f"{BOMBORA}/state").text
    full = requests.get(f"{BOMBORA}/state", params={"secrets": "include"}).json()
    assert destinations(full, tenant)[0]["secret"] == SECRET


def test_a_masked_state_put_back_keeps_the_servers_secret(cloud: Cloud) -> None:
    tenant = seeded(cloud)
    shown = requests.get(f"{BOMBORA}/state").json()
    destinations(shown, tenant)[0]["name"] = "CRM renamed"
    assert requests.put(f"{BOMBORA}/state", json=shown).status_code == 200
    full = requests.get(f"{BOMBORA}/state", params={"secrets": "include"}).json()
    assert destinations(full, tenant)[0] == {**destinations(full, tenant)[0],
                                             "name": "CRM renamed", "secret": SECRET}


def test_a_masked_secret_with_no_record_behind_it_is_refused(cloud: Cloud) -> None:
    tenant = seeded(cloud)
    shown = requests.get(f"{BOMBORA}/state").json()
    destinations(shown, tenant)[0]["id"] = "d2"  # another record: the server holds no secret
    refused = requests.put(f"{BOMBORA}/state", json=shown)
    assert refused.status_code == 400
    assert "masked" in refused.json()["error"] and "secrets=include" in refused.json()["error"]
    requests.post(f"{BOMBORA}/reset")
    shown["tenants"][tenant]["state"]["webhook_destinations"][0]["id"] = "d1"
    again = requests.put(f"{BOMBORA}/state", json=shown)  # after a reset: nothing to keep
    assert again.status_code == 400 and "masked" in again.json()["error"]
    assert requests.get(f"{BOMBORA}/state").json()["tenants"] == {}  # nothing half-loaded


def test_only_the_secret_places_are_masked() -> None:
    state = {"leads": [{"id": 1, "secret": "a lead's own field"}],
             "webhooks": [{"name": "W", "customHeaders": [{"name": "X-Key", "value": "k"}],
                           "url": "https://x.example/{{lead.secret}}"}],
             "ens": {"callbacks": [{"callbackId": "c", "signatureKey": "k"}]},
             "alert_subscriptions": [{"subscriptionId": "s", "signingSecret": "k"}]}
    masked = mask_state(state)
    assert masked["leads"] == state["leads"]
    assert masked["webhooks"][0]["customHeaders"] == [{"name": "X-Key", "value": MASKED}]
    assert masked["webhooks"][0]["url"] == state["webhooks"][0]["url"]
    assert masked["ens"]["callbacks"][0]["signatureKey"] == MASKED
    assert masked["alert_subscriptions"][0]["signingSecret"] == MASKED
    assert state["ens"]["callbacks"][0]["signatureKey"] == "k"  # a copy


def test_a_marketo_webhooks_header_values_are_masked(cloud: Cloud) -> None:
    admin = f"https://{MUNCHKIN}.mktorest.com/__admin"
    answer = requests.post(f"{admin}/tenants", json={"id": MUNCHKIN, "state": {"webhooks": [
        {"id": 1, "name": "CRM sync", "url": "https://crm.example.com/hook",
         "requestType": "POST", "template": "{}",
         "customHeaders": [{"name": "X-Api-Key", "value": "k-123"}]}]}})
    assert answer.status_code == 201, answer.text
    shown = requests.get(f"{admin}/state").json()
    (hook,) = shown["tenants"][MUNCHKIN]["state"]["webhooks"]
    assert hook["customHeaders"] == [{"name": "X-Api-Key", "value": MASKED}]
    assert requests.put(f"{admin}/state", json=shown).status_code == 200
    full = requests.get(f"{admin}/state", params={"secrets": "include"}).json()
    (kept,) = full["tenants"][MUNCHKIN]["state"]["webhooks"]
    assert kept["customHeaders"] == [{"name": "X-Api-Key", "value": "k-123"}]
