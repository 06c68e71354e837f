"""The admin API under /__admin/ on a vendor host: reset, state, journal, faults, clock."""

from __future__ import annotations

import pytest
import requests

from tests.helpers import BASE, MUNCHKIN, MarketoCaller, codes
from vendorsim import Cloud, mock_vendors

ADMIN = f"{BASE}/__admin"


def test_health(cloud: Cloud, mkto: MarketoCaller) -> None:
    body = requests.get(f"{ADMIN}/health").json()
    assert body["status"] == "ok" and body["vendors"] == ["marketo"]
    assert body["tenants"] == {"marketo": [MUNCHKIN]}
    assert body["clock"] == {"virtual": True, "now": "2026-11-23T12:00:00Z"}


def test_seed_snapshot_reset_restore_round_trip(cloud: Cloud, mkto: MarketoCaller) -> None:
    created = requests.post(f"{ADMIN}/tenants", json={
        "id": "111-AAA-111",
        "credentials": [{"client_id": "cdp", "client_secret": "x"}],
        "limits": {"window_calls": 50},
        "state": {"partitions": ["EMEA"],
                  "leads": [{"email": "a@x.example", "partition": "EMEA"}]}})
    assert created.status_code == 201
    assert created.json()["limits"]["config"]["window_calls"] == 50
    mkto.sync([{"email": "b@x.example"}])
    full = {"secrets": "include"}  # a reset forgot the secrets: the snapshot must hold them
    snapshot = requests.get(f"{ADMIN}/state", params=full).json()
    assert set(snapshot["tenants"]) == {MUNCHKIN, "111-AAA-111"}
    assert requests.post(f"{ADMIN}/reset").json() == {"reset": "marketo"}
    assert cloud.service("marketo").tenants() == []
    assert requests.put(f"{ADMIN}/state", json=snapshot).status_code == 200
    assert requests.get(f"{ADMIN}/state", params=full).json() == snapshot
    restored = cloud.marketo("111-AAA-111")
    assert restored.partitions[restored.leads[1].partition_id].name == "EMEA"
    assert cloud.service("marketo").tenant("111-AAA-111").limiter.config.window_calls == 50


def test_reset_one_tenant_only(cloud: Cloud, mkto: MarketoCaller) -> None:
    mkto.sync([{"email": "a@x.example"}])
    cloud.marketo("999-ZZZ-999").seed({"leads": [{"email": "z@x.example"}]})
    assert requests.post(f"{ADMIN}/reset", params={"tenant": MUNCHKIN}).status_code == 200
    assert cloud.marketo(MUNCHKIN).leads == {}
    assert len(cloud.marketo("999-ZZZ-999").leads) == 1
    assert requests.post(f"{ADMIN}/reset", params={"tenant": "000-NOP-000"}).status_code == 404


@pytest.mark.parametrize("bad", [
    {"tenants": []},
    {"tenants": {MUNCHKIN: {"state": {"leads": [{"email": "a@x.example", "partition": "Mars"}]}}}},
    {"tenants": {MUNCHKIN: {"state": {"leads": [{"email": "a@x.example", "shoe": 9}]}}}},
    {"tenants": {MUNCHKIN: {"limits": {"speed": 11}}}},
])
def test_bad_restore_is_400_and_keeps_state(cloud: Cloud, mkto: MarketoCaller, bad: dict) -> None:
    mkto.sync([{"email": "keep@x.example"}])
    before = requests.get(f"{ADMIN}/state").json()
    response = requests.put(f"{ADMIN}/state", json=bad)
    assert response.status_code == 400 and "error" in response.json()
    assert requests.get(f"{ADMIN}/state").json() == before


def test_journal_records_and_filters(cloud: Cloud, mkto: MarketoCaller) -> None:
    mkto.sync([{"email": "a@x.example"}, {"email": "a@x.example", "shoe": 1}])
    cloud.clock.advance(60)
    mkto.get("/rest/v1/leads.json")  # 701
    everything = requests.get(f"{ADMIN}/journal").json()
    assert everything["count"] == 3
    sync = everything["requests"][1]
    assert sync["method"] == "POST" and sync["path"] == "/rest/v1/leads.json"
    assert sync["records"] == 2 and sync["codes"] == ["1006"] and sync["tenant"] == MUNCHKIN
    assert sync["time"] == "2026-11-23T12:00:00Z"
    assert requests.get(f"{ADMIN}/journal", params={"code": "701"}).json()["count"] == 1
    later = requests.get(f"{ADMIN}/journal", params={"since": "2026-11-23T12:00:30Z"}).json()
    assert [e["codes"] for e in later["requests"]] == [["701"]]
    assert requests.get(f"{ADMIN}/journal", params={"method": "GET", "path": "oauth"}).json()[
        "count"] == 1
    assert requests.get(f"{ADMIN}/journal", params={"status": "x"}).status_code == 400
    requests.delete(f"{ADMIN}/journal")
    assert requests.get(f"{ADMIN}/journal").json()["count"] == 0


def test_fault_for_the_next_n_calls(cloud: Cloud, mkto: MarketoCaller) -> None:
    fault = requests.post(f"{ADMIN}/faults", json={
        "error_code": "611", "times": 2, "path": "leads\\.json", "method": "POST"})
    assert fault.status_code == 201 and fault.json()["vendor"] == "marketo"
    results = [codes(mkto.sync([{"email": "a@x.example"}])) for _ in range(3)]
    assert results == [["611"], ["611"], []]
    assert codes(mkto.get("/rest/v1/leads/partitions.json")) == []
    listed = requests.get(f"{ADMIN}/faults").json()["faults"]
    assert listed[0]["fired"] == 2
    assert [e.fault for e in cloud.journal.entries(path="leads.json", method="POST")] == [
        listed[0]["id"], listed[0]["id"], None]


def test_fault_in_a_time_window_with_606_text(cloud: Cloud, mkto: MarketoCaller) -> None:
    requests.post(f"{ADMIN}/faults", json={"error_code": "606", "duration": 30})
    body = mkto.get("/rest/v1/leads/partitions.json")
    assert body["errors"][0]["message"] == "Max rate limit '100' exceeded with in '20' secs"
    cloud.clock.advance(30)
    assert mkto.get("/rest/v1/leads/partitions.json")["success"] is True


def test_http_status_fault_and_latency_on_the_clock(cloud: Cloud, mkto: MarketoCaller) -> None:
    cloud.add_fault(status=503, times=1)
    response = mkto.session.get(f"{BASE}/rest/v1/leads/partitions.json")
    assert response.status_code == 503
    cloud.add_fault(latency=2.5, times=1)
    before = cloud.clock.now()
    assert mkto.get("/rest/v1/leads/partitions.json")["success"] is True
    assert cloud.clock.now() - before == pytest.approx(2.5)


def test_seeded_probability_is_reproducible(cloud: Cloud, mkto: MarketoCaller) -> None:
    def run() -> list[bool]:
        cloud.faults.clear()
        cloud.add_fault(error_code="608", probability=0.3, seed=42)
        return [mkto.get("/rest/v1/leads/partitions.json")["success"] for _ in range(40)]

    first, second = run(), run()
    assert first == second
    assert 5 <= first.count(False) <= 20


@pytest.mark.parametrize("spec", [
    {}, {"error_code": "606", "probability": 2}, {"status": 99}, {"error_code": "606", "times": 0},
    {"error_code": "606", "path": "("}, {"error_code": "606", "colour": "red"},
    {"latency": "slow"},
])
def test_bad_fault_specs_are_400(cloud: Cloud, spec: dict) -> None:
    response = requests.post(f"{ADMIN}/faults", json=spec)
    assert response.status_code == 400 and response.json()["error"]
    assert requests.get(f"{ADMIN}/faults").json()["faults"] == []


def test_delete_faults(cloud: Cloud) -> None:
    rule = requests.post(f"{ADMIN}/faults", json={"error_code": "611"}).json()
    assert requests.delete(f"{ADMIN}/faults/{rule['id']}").status_code == 200
    assert requests.delete(f"{ADMIN}/faults/{rule['id']}").status_code == 404
    requests.post(f"{ADMIN}/faults", json={"error_code": "611"})
    requests.delete(f"{ADMIN}/faults")
    assert requests.get(f"{ADMIN}/faults").json()["faults"] == []


def test_clock_endpoints(cloud: Cloud) -> None:
    assert requests.post(f"{ADMIN}/clock/advance", json={"seconds": 90}).json()["now"] == \
        "2026-11-23T12:01:30Z"
    assert requests.post(f"{ADMIN}/clock/set", json={"time": "2027-01-01T00:00:00Z"}).json()[
        "now"] == "2027-01-01T00:00:00Z"
    assert requests.post(f"{ADMIN}/clock/advance", json={"seconds": -1}).status_code == 400


def test_real_clock_cannot_be_moved() -> None:
    with mock_vendors():
        response = requests.post(f"{ADMIN}/clock/advance", json={"seconds": 5})
        assert response.status_code == 409


def test_tenant_routes(cloud: Cloud, mkto: MarketoCaller) -> None:
    assert requests.post(f"{ADMIN}/tenants/{MUNCHKIN}/credentials",
                         json={"client_id": "ro", "client_secret": "s",
                               "permissions": ["read"]}).status_code == 201
    assert MarketoCaller().token("ro", "wrong").status_code == 401
    limits = requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/limits", json={"concurrent": 2}).json()
    assert limits["concurrent"] == 2
    assert requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/limits",
                        json={"turbo": True}).status_code == 400
    assert requests.post(f"{ADMIN}/tenants/{MUNCHKIN}/expire-tokens").json()["expired"] == 1
    assert codes(mkto.get("/rest/v1/leads/partitions.json")) == ["602"]
    mkto.login()
    requests.post(f"{ADMIN}/tenants/{MUNCHKIN}/exhaust-quota")
    assert codes(mkto.get("/rest/v1/leads/partitions.json")) == ["607"]
    seeded = requests.post(f"{ADMIN}/tenants/{MUNCHKIN}/seed",
                           json={"leads": [{"email": "s@x.example"}]})
    assert seeded.status_code == 200 and len(cloud.marketo(MUNCHKIN).leads) == 1
    assert requests.get(f"{ADMIN}/tenants/000-NOP-000").status_code == 404
    described = requests.get(f"{ADMIN}/tenants/{MUNCHKIN}").json()
    assert described["credentials"] == ["ro"] and described["limits"]["quota_used_today"] > 0


def test_a_seed_that_fails_halfway_changes_nothing(cloud: Cloud, mkto: MarketoCaller) -> None:
    db = cloud.marketo(MUNCHKIN)
    db.seed({"leads": [{"email": "kept@x.example"}]})
    before = requests.get(f"{ADMIN}/state").json()
    response = requests.post(f"{ADMIN}/tenants/{MUNCHKIN}/seed", json={
        "partitions": ["EMEA"], "settings": {"dedupe_by_partition": True},
        "leads": [{"email": "new@x.example"}, {"email": "bad@x.example", "shoeSize": 9}]})
    assert response.status_code == 400 and "shoeSize" in response.json()["error"]
    assert requests.get(f"{ADMIN}/state").json() == before
    assert cloud.marketo(MUNCHKIN) is db and [lead.values["email"] for lead in
                                              db.leads.values()] == ["kept@x.example"]
    assert mkto.sync([{"email": "after@x.example"}])["result"][0]["id"] == 2
