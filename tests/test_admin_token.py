"""An admin API that can be closed (issue 33): with an admin token every `/__admin/` call on
every port (and in-process) needs `Authorization: Bearer TOKEN`, else 401 in JSON; health
answers its status only; the dashboard takes the token once and keeps a cookie; vendor calls
are untouched. Secrets are masked in `GET /__admin/state` unless `?secrets=include`; a
masked state put back keeps the server's secrets, and `--state` refuses one, saying why. The
clients of the admin API (`vendorsim run --target`, VendorsimContainer) send the token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.helpers import MUNCHKIN, MarketoCaller
from tests.served import Served, refused
from vendorsim import Cloud
from vendorsim.mocks.core.auth import MASKED
from vendorsim.mocks.server import ServerRunner, exposure_warning

TOKEN = "t0ken-that-is-long-enough"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
SECRET = "s3cret-of-the-cdp"


@pytest.fixture
def closed() -> Iterator[ServerRunner]:
    cloud = Cloud("virtual")
    cloud.admin_token = TOKEN
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": "cdp", "client_secret": SECRET}])
    with ServerRunner(cloud, port=0, threads=4) as runner:
        yield runner


@pytest.mark.parametrize("where", ["cloud", "marketo", "prefixed"])
def test_every_admin_call_needs_the_token(closed: ServerRunner, where: str) -> None:
    base = {"cloud": closed.urls["cloud"], "marketo": closed.urls["marketo"],
            "prefixed": f"{closed.urls['cloud']}/marketo"}[where]
    for method, path in (("GET", "/state"), ("GET", "/journal"), ("POST", "/reset"),
                         ("GET", "/tenants"), ("GET", "/metrics"), ("GET", "/openapi.json")):
        for headers in ({}, {"Authorization": "Bearer wrong-token-of-some-length"},
                        {"Authorization": TOKEN}):
            answer = requests.request(method, f"{base}/__admin{path}", headers=headers,
                                      timeout=10)
            assert answer.status_code == 401, (method, path, headers, answer.text)
            assert "admin token" in answer.json()["error"]
            assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert requests.request(method, f"{base}/__admin{path}", headers=BEARER,
                                timeout=10).status_code == 200
    assert closed.cloud.service("marketo").find_tenant(MUNCHKIN) is None  # reset, with it


def test_in_process_admin_calls_need_it_too() -> None:
    from vendorsim import mock_vendors

    with mock_vendors() as cloud:
        cloud.admin_token = TOKEN
        admin = f"https://{MUNCHKIN}.mktorest.com/__admin/state"
        assert requests.get(admin).status_code == 401
        assert requests.get(admin, headers=BEARER).status_code == 200


def test_health_answers_its_status_to_anyone_and_the_rest_with_the_token(
        closed: ServerRunner) -> None:
    health = f"{closed.urls['cloud']}/__admin/health"
    assert requests.get(health, timeout=10).json() == {"status": "ok"}
    full = requests.get(health, headers=BEARER, timeout=10).json()
    assert full["status"] == "ok" and MUNCHKIN in full["tenants"]["marketo"]


def test_vendor_calls_need_no_admin_token(closed: ServerRunner) -> None:
    caller = MarketoCaller(f"{closed.urls['marketo']}/{MUNCHKIN}").login("cdp", SECRET)
    assert caller.sync([{"email": "a@x.example"}])["result"][0]["status"] == "created"


def test_the_dashboard_takes_the_token_once_and_keeps_a_cookie(closed: ServerRunner) -> None:
    page = f"{closed.urls['cloud']}/__admin/ui/"
    assert requests.get(page, timeout=10).status_code == 401
    assert requests.get(page, params={"token": "wrong-token-of-some-length"},
                        timeout=10).status_code == 401
    browser = requests.Session()
    entry = browser.get(page, params={"token": TOKEN}, allow_redirects=False, timeout=10)
    assert entry.status_code == 303 and entry.headers["Location"].endswith("/__admin/ui/")
    cookie = entry.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/__admin" in cookie
    assert browser.get(page, timeout=10).status_code == 200
    assert browser.get(f"{page}summary.json", timeout=10).status_code == 200
    assert browser.get(f"{closed.urls['cloud']}/__admin/journal", timeout=10).status_code == 200
    other_site = browser.post(f"{closed.urls['cloud']}/__admin/reset", timeout=10,
                              headers={"Origin": "https://evil.example"})
    assert other_site.status_code == 403  # the cookie does not make a cross-site write


def test_serve_takes_the_token_from_the_environment_and_refuses_a_weak_one(
        tmp_path: Path) -> None:
    done = refused("--admin-token", "short")
    assert done.returncode == 2 and "16-500 characters" in done.stderr
    assert "Traceback" not in done.stderr
    server = Served(env={"VENDORSIM_ADMIN_TOKEN": TOKEN}, admin_token=TOKEN)
    try:
        assert requests.get(f"{server.urls['cloud']}/__admin/state",
                            timeout=10).status_code == 401
        assert server.admin("GET", "/state").status_code == 200
    finally:
        assert server.stop() == 0


def test_the_exposure_warning_says_whether_the_admin_api_is_closed() -> None:
    assert "--admin-token" in (exposure_warning("0.0.0.0", 8080) or "")
    assert "needs the admin token" in (exposure_warning("0.0.0.0", 8080, closed=True) or "")
    assert exposure_warning("127.0.0.1", 8080, closed=True) is None


def test_secrets_are_masked_unless_asked(closed: ServerRunner) -> None:
    sfmc = closed.cloud.service("sfmc")
    sfmc.seed_tenant("mc-one", credentials=[{"client_id": "pkg", "client_secret": "old-one",
                                             "staged_secret": "new-one"}])
    state = f"{closed.urls['cloud']}/__admin/state"
    shown = requests.get(state, headers=BEARER, timeout=10)
    for secret in (SECRET, "old-one", "new-one"):
        assert secret not in shown.text
    creds = shown.json()["vendors"]["sfmc"]["tenants"]["mc-one"]["credentials"][0]
    assert creds["client_secret"] == creds["staged_secret"] == MASKED
    full = requests.get(state, headers=BEARER, params={"secrets": "include"}, timeout=10)
    assert SECRET in full.text and "new-one" in full.text
    bad = requests.get(state, headers=BEARER, params={"secrets": "yes"}, timeout=10)
    assert bad.status_code == 400
    one = requests.get(f"{closed.urls['marketo']}/__admin/tenants/{MUNCHKIN}", headers=BEARER,
                       timeout=10)
    assert one.status_code == 200 and SECRET not in one.text  # listings: client ids only


def test_a_masked_state_put_back_keeps_the_servers_secrets(closed: ServerRunner) -> None:
    state = f"{closed.urls['cloud']}/__admin/state"
    masked = requests.get(state, headers=BEARER, timeout=10).json()
    assert requests.put(state, headers=BEARER, json=masked, timeout=10).status_code == 200
    MarketoCaller(f"{closed.urls['marketo']}/{MUNCHKIN}").login("cdp", SECRET)  # still works
    requests.post(f"{closed.urls['cloud']}/__admin/reset", headers=BEARER, timeout=10)
    refused_put = requests.put(state, headers=BEARER, json=masked, timeout=10)
    assert refused_put.status_code == 400
    assert "masked" in refused_put.json()["error"] and "secrets=include" in \
        refused_put.json()["error"]


def test_state_refuses_a_masked_snapshot_in_one_line(closed: ServerRunner, tmp_path: Path
                                                     ) -> None:
    masked = tmp_path / "masked.json"
    masked.write_text(json.dumps(requests.get(f"{closed.urls['cloud']}/__admin/state",
                                              headers=BEARER, timeout=10).json()))
    for args in (("--state", str(masked)), ("--state", str(masked), "--state-readonly")):
        done = refused(*args)
        assert done.returncode == 2, done.stderr
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and str(masked) in lines[0] and "masked" in lines[0], lines
        assert "secrets=include" in lines[0]


def test_vendorsim_run_against_a_closed_server_sends_the_token(
        closed: ServerRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from vendorsim.simulator.engine.remote import RemoteVendors
    from vendorsim.simulator.engine.vendors import TargetError

    monkeypatch.delenv("VENDORSIM_ADMIN_TOKEN", raising=False)
    with pytest.raises(TargetError, match="VENDORSIM_ADMIN_TOKEN"):
        RemoteVendors.discover(closed.urls["cloud"])
    monkeypatch.setenv("VENDORSIM_ADMIN_TOKEN", TOKEN)
    with RemoteVendors.discover(closed.urls["cloud"]) as vendors:  # resets through admin
        vendors.seed("marketo", MUNCHKIN, None, None, {"leads": [{"email": "r@x.example"}]})
        assert vendors.state("marketo", MUNCHKIN)["leads"][0]["email"] == "r@x.example"


@pytest.mark.client("testcontainers", mode="server", area="admin token on its own calls")
def test_the_testcontainers_module_sends_its_token(closed: ServerRunner,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """VendorsimContainer(admin_token=...) puts it in the container's environment and on its
    own admin calls (checked against a local server: no Docker engine needed)."""
    pytest.importorskip("testcontainers", reason="testcontainers is the testcontainers extra")
    import testcontainers.core.container as tc

    from vendorsim.testcontainers import VendorsimContainer

    monkeypatch.setattr(tc, "DockerClient", lambda **kwargs: None)  # no engine is asked
    with pytest.raises(ValueError, match="16-500"):
        VendorsimContainer("vendorsim:latest", admin_token="short")
    container = VendorsimContainer("vendorsim:latest", admin_token=TOKEN)
    assert container.env["VENDORSIM_ADMIN_TOKEN"] == TOKEN
    monkeypatch.setattr(container, "url", lambda vendor="cloud": closed.urls[vendor])
    assert container.verdicts() == []
    assert container.seed("marketo", "999-ZZZ-999", {"leads": []})["id"] == "999-ZZZ-999"
    assert VendorsimContainer("vendorsim:latest")._headers() == {
        "Content-Type": "application/json"}
