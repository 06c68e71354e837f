"""Server mode: waitress on 127.0.0.1, per-vendor and host-routed ports, under load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner

THREADS = 8  # client threads: below Marketo's 10 in flight, so no 615 (test_in_flight.py)


def test_per_vendor_port_and_host_routing_serve_the_same_state(
        vendorsim_server: ServerRunner) -> None:
    caller = MarketoCaller(vendorsim_server.base_url("marketo", MUNCHKIN)).login()
    assert caller.sync([{"email": "a@x.example"}])["result"][0]["status"] == "created"
    routed = requests.get(f"{vendorsim_server.urls['cloud']}/rest/v1/leads.json",
                          params={"filterType": "email", "filterValues": "a@x.example"},
                          headers={"Host": f"{MUNCHKIN.lower()}.mktorest.com",
                                   **caller.session.headers}).json()
    assert routed["result"][0]["id"] == 1


def test_cloud_admin_on_the_host_routed_port(vendorsim_server: ServerRunner) -> None:
    base = vendorsim_server.urls["cloud"]
    MarketoCaller(vendorsim_server.base_url("marketo", MUNCHKIN)).login()
    health = requests.get(f"{base}/__admin/health").json()
    assert health["tenants"]["marketo"] == [MUNCHKIN]
    state = requests.get(f"{base}/__admin/state").json()
    assert MUNCHKIN in state["vendors"]["marketo"]["tenants"]
    requests.post(f"{base}/__admin/clock/advance", json={"seconds": 5})
    assert requests.post(f"{base}/__admin/reset").status_code == 200
    assert requests.get(f"{base}/__admin/health").json()["tenants"]["marketo"] == []


def test_tenant_is_required_first_in_the_path(vendorsim_server: ServerRunner) -> None:
    response = requests.get(vendorsim_server.urls["marketo"] + "/")
    assert response.status_code == 404 and "123-ABC-456" in response.json()["error"]


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Make the interpreter switch threads every few bytecodes, so that a missing lock
    shows up as a race instead of hiding behind the GIL's 5 ms time slice."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_hammering_sync_loses_and_duplicates_nothing(vendorsim_server: ServerRunner,
                                                     frequent_thread_switches: None) -> None:
    """Many threads upsert overlapping emails: every email ends up exactly once."""
    vendorsim_server.cloud.service("marketo").seed_tenant(MUNCHKIN, limits={"enabled": False})
    base = vendorsim_server.base_url("marketo", MUNCHKIN)
    emails = [f"user{i}@load.example" for i in range(400)]
    batches = [[{"email": e, "title": f"t{n}"} for e in emails[n % 4 * 100:(n % 4 + 1) * 100]]
               for n in range(24)]

    def send(batch: list) -> list[str]:
        caller = MarketoCaller(base).login()
        return [r["status"] for r in caller.sync(batch)["result"]]

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [s for batch in pool.map(send, batches) for s in batch]
    assert statuses.count("created") == 400
    assert statuses.count("updated") == 24 * 100 - 400
    db = vendorsim_server.cloud.marketo(MUNCHKIN)
    assert len(db.leads) == 400
    assert all(len(db.find("email", e)) == 1 for e in emails)


def test_limiter_admits_exactly_100_per_window_under_concurrency(
        vendorsim_server: ServerRunner, frequent_thread_switches: None) -> None:
    base = vendorsim_server.base_url("marketo", MUNCHKIN)
    token = MarketoCaller(base).token().json()["access_token"]

    def call(_: int) -> str:
        body = requests.get(f"{base}/rest/v1/leads/partitions.json",
                            headers={"Authorization": f"Bearer {token}"}).json()
        return "ok" if body["success"] else body["errors"][0]["code"]

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(call, range(160)))  # virtual clock: one 20 s window
    assert results.count("ok") == 100 and results.count("606") == 60
    vendorsim_server.cloud.clock.advance(20)
    with ThreadPoolExecutor(THREADS) as pool:
        again = list(pool.map(call, range(120)))
    assert again.count("ok") == 100


def test_vendorsim_serve_command_prints_urls_and_serves(tmp_path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"marketo": {"tenants": {MUNCHKIN: {"state": {
        "leads": [{"email": "seeded@x.example"}]}}}}}))
    process = subprocess.Popen(
        [sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port", "0", "--state",
         str(state)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        for line in process.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if line.startswith("VENDORSIM_URLS "):
                break
        urls = json.loads(lines[-1].split(" ", 1)[1])
        assert any("host-routed" in line for line in lines)
        caller = MarketoCaller(f"{urls['marketo']}/{MUNCHKIN}").login()
        found = caller.get("/rest/v1/leads.json", filterType="email",
                           filterValues="seeded@x.example")
        assert found["result"][0]["email"] == "seeded@x.example"
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_sfmc_clients_that_drop_the_tenant_prefix(tmp_path: Path) -> None:
    """Issue 16: a client building its URLs with urljoin(base, "/v2/token") loses the
    `/{subdomain}` prefix; the SFMC port serves those paths for the default tenant."""
    from urllib.parse import urljoin

    cloud = Cloud("virtual")
    runner = ServerRunner(cloud, port=0).start()
    try:
        port = runner.urls["sfmc"]
        unset = requests.post(urljoin(f"{port}/mc-one/", "/v2/token"), json={})
        assert unset.status_code == 404 and "--default-tenant" in unset.json()["error"]
        cloud.service("sfmc").seed_tenant("mc-one", state={"data_extensions": [
            {"name": "Contacts", "key": "contacts", "fields": [{"name": "Email"}],
             "rows": [{"Email": "a@x.example"}]}]})
        token = requests.post(urljoin(f"{port}/mc-one/", "/v2/token"), json={
            "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
        assert token["rest_instance_url"] == f"{port}/"
        rows = requests.get(urljoin(token["rest_instance_url"],
                                    "/data/v1/customobjectdata/key/contacts/rowset"),
                            headers={"Authorization": f"Bearer {token['access_token']}"})
        assert rows.status_code == 200 and rows.json()["count"] == 1
        cloud.service("sfmc").seed_tenant("mc-two")  # two tenants: only a configured default
        assert requests.post(f"{port}/v2/token", json={}).status_code == 404
        cloud.default_tenants["sfmc"] = "mc-two"
        assert requests.post(f"{port}/v2/token", json={
            "grant_type": "client_credentials", "client_id": "c",
            "client_secret": "s"}).status_code == 200
    finally:
        runner.stop()


def test_a_host_header_that_is_no_host_name_is_a_plain_400(vendorsim_server: ServerRunner
                                                           ) -> None:
    """Issue 23: `Host: x..y` answered Marketo's 611/610 (werkzeug's BadHost inside)."""
    marketo = f"{vendorsim_server.urls['marketo']}/{MUNCHKIN}/rest/v1/leads.json"
    answer = requests.get(marketo, headers={"Host": "x..y"})
    assert answer.status_code == 400 and "nginx" in answer.text
    for vendor in ("sfmc", "bombora", "demandbase"):
        answer = requests.get(f"{vendorsim_server.urls[vendor]}/t/anything",
                              headers={"Host": "x..y"})
        assert answer.status_code == 400 and answer.headers["Content-Type"].startswith(
            "application/json"), (vendor, answer.text)
    admin = requests.get(f"{vendorsim_server.urls['cloud']}/__admin/health",
                         headers={"Host": "x..y"})
    assert admin.status_code == 400 and "error" in admin.json()


def test_stopping_a_server_whose_trigger_is_closed_closes_it_anyway() -> None:
    """A waitress loop that ended on an error leaves its trigger closed: stopping it must
    not fail with EBADF (seen once in the drift recorder's stop under load)."""
    runner = ServerRunner(Cloud("virtual"), port=0, vendor_ports=False, threads=1).start()
    server = runner._servers[0]
    server.trigger.close()
    runner.stop()
    assert server._map == {}
