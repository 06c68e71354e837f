"""In-process mode: requests and httpx reach the mocks, other traffic passes through."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator

import httpx
import pytest
import requests

from tests.helpers import BASE, MUNCHKIN, MarketoCaller
from vendorsim import Cloud, mock_vendors

TOKEN_QUERY = "/identity/oauth/token?grant_type=client_credentials&client_id=a&client_secret=b"


@pytest.fixture
def local_site() -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 that is not a vendor: its traffic must pass through."""

    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            body = b"not a vendor"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.client("requests", area="intercepted; other hosts pass")
def test_context_manager_intercepts_and_passes_other_hosts(local_site: str) -> None:
    with mock_vendors() as cloud:
        assert requests.get(BASE + TOKEN_QUERY).status_code == 200
        assert requests.get(local_site).text == "not a vendor"
        assert len(cloud.journal) == 1


def test_every_entry_starts_from_a_fresh_cloud() -> None:
    with mock_vendors() as first:
        first.marketo(MUNCHKIN).seed({"leads": [{"email": "a@x.example"}]})
    with mock_vendors() as second:
        assert second is not first and second.marketo(MUNCHKIN).leads == {}


def test_interception_ends_with_the_block() -> None:
    with mock_vendors():
        pass
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(BASE + TOKEN_QUERY, timeout=1)


decorated_calls: list[int] = []


@mock_vendors(clock="virtual")
def sync_one_lead() -> None:
    caller = MarketoCaller().login()
    decorated_calls.append(caller.sync([{"email": "d@x.example"}])["result"][0]["id"])


def test_decorator_gives_each_call_its_own_cloud() -> None:
    sync_one_lead()
    sync_one_lead()
    assert decorated_calls[-2:] == [1, 1]


def test_a_given_cloud_can_be_shared() -> None:
    cloud = Cloud("virtual")
    with mock_vendors(cloud=cloud):
        MarketoCaller().login().sync([{"email": "kept@x.example"}])
    with mock_vendors(cloud=cloud):
        assert len(cloud.marketo(MUNCHKIN).leads) == 1


@pytest.mark.client("httpx", area="Client intercepted; other hosts pass")
def test_httpx_default_clients_are_intercepted(local_site: str) -> None:
    with mock_vendors() as cloud:
        with httpx.Client() as client:
            token = client.get(BASE + TOKEN_QUERY).json()["access_token"]
            body = client.post(f"{BASE}/rest/v1/leads.json",
                               json={"input": [{"email": "h@x.example"}]},
                               headers={"Authorization": f"Bearer {token}"}).json()
            assert body["result"][0]["status"] == "created"
            assert client.get(local_site).text == "not a vendor"
        assert len(cloud.marketo(MUNCHKIN).leads) == 1


@pytest.mark.client("httpx", area="AsyncClient intercepted")
def test_httpx_async_clients_are_intercepted() -> None:
    async def call() -> dict:
        async with httpx.AsyncClient() as client:
            return (await client.get(BASE + TOKEN_QUERY)).json()

    with mock_vendors():
        assert asyncio.run(call())["token_type"] == "bearer"


@pytest.mark.client("httpx", area="cloud.httpx_transport(), httpx_async_transport()")
def test_explicit_httpx_transports() -> None:
    cloud = Cloud("virtual")
    with httpx.Client(transport=cloud.httpx_transport()) as client:
        assert client.get(BASE + TOKEN_QUERY).json()["expires_in"] == 3599

    async def call() -> int:
        async with httpx.AsyncClient(transport=cloud.httpx_async_transport()) as client:
            return (await client.get(f"{BASE}/rest/v1/leads/partitions.json")).status_code

    assert asyncio.run(call()) == 200
    assert len(cloud.journal) == 2


def test_pytest_fixture_and_marker(vendorsim: Cloud) -> None:
    assert not vendorsim.clock.virtual  # real clock unless the marker says otherwise
    assert requests.get(BASE + TOKEN_QUERY).status_code == 200


@pytest.mark.vendorsim(clock="virtual", strict=True)
def test_pytest_marker_configures_the_fixture(vendorsim: Cloud) -> None:
    assert vendorsim.clock.virtual and vendorsim.strict
    assert requests.get(BASE + TOKEN_QUERY).status_code == 401



@pytest.mark.client("requests", area="cloud.requests_session()")
def test_a_requests_session_answered_by_the_mocks_without_interception() -> None:
    """cloud.requests_session(): the engine's cheap path, no `responses` patching active."""
    cloud = Cloud("virtual")
    session = cloud.requests_session()
    token = session.get("https://123-ABC-456.mktorest.com/identity/oauth/token",
                        params={"grant_type": "client_credentials", "client_id": "vendorsim",
                                "client_secret": "vendorsim"})
    assert token.status_code == 200 and token.reason == "OK"
    assert token.headers["content-type"].startswith("application/json")
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    cloud.add_fault(error_code="606", times=1)
    answer = session.get("https://123-ABC-456.mktorest.com/rest/v1/leads/describe.json",
                         headers=bearer).json()
    assert answer["errors"][0]["code"] == "606"
    assert [e.path for e in cloud.journal.entries()][-1] == "/rest/v1/leads/describe.json"
