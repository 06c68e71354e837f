"""VCR.py with the in-process mocks (issue 33): a cassette records what the mocks answered,
with `requests`, `httpx` (sync and async) and `urllib`, whichever context is entered first;
played back, VCR answers and the mocks see nothing; a cassette that may not record refuses
with VCR's own error; and no vendor call ever reaches DNS (the real vendor, on a networked
machine), whatever else patched the HTTP stack."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

import httpx
import pytest
import requests
import yaml

vcr = pytest.importorskip("vcr", reason="VCR.py (the dev extra's vcrpy) is not installed")
from vcr.errors import CannotOverwriteExistingCassetteException  # noqa: E402

from vendorsim.mocks.cloud import Cloud  # noqa: E402
from vendorsim.mocks.inprocess import mock_vendors  # noqa: E402
from vendorsim.mocks.interceptors import InterceptionConflict  # noqa: E402

MUNCHKIN = "123-ABC-456"
TOKEN_URL = (f"https://{MUNCHKIN}.mktorest.com/identity/oauth/token?grant_type="
             "client_credentials&client_id=cid&client_secret=secret")
HTTPX_SEND = httpx.HTTPTransport.handle_request  # what a recorder saved before vendorsim


def with_requests() -> tuple[int, str]:
    answer = requests.get(TOKEN_URL, timeout=10)
    return answer.status_code, answer.text


def with_httpx() -> tuple[int, str]:
    answer = httpx.get(TOKEN_URL)
    return answer.status_code, answer.text


def with_httpx_async() -> tuple[int, str]:
    async def call() -> tuple[int, str]:
        async with httpx.AsyncClient() as client:
            answer = await client.get(TOKEN_URL)
            return answer.status_code, answer.text

    return asyncio.run(call())


def with_urllib() -> tuple[int, str]:
    with urllib.request.urlopen(TOKEN_URL, timeout=10) as answer:  # noqa: S310 - a mock host
        return answer.status, answer.read().decode()


CLIENTS: dict[str, Callable[[], tuple[int, str]]] = {
    "requests": with_requests, "httpx": with_httpx, "httpx-async": with_httpx_async,
    "urllib": with_urllib}


@contextmanager
def nested(order: str, cassette: Path, **options: object) -> Iterator[Cloud]:
    """The two contexts, VCR's entered first or vendorsim's."""
    with ExitStack() as stack:
        if order == "vcr-outside":
            stack.enter_context(vcr.use_cassette(str(cassette), **options))
            cloud = stack.enter_context(mock_vendors(clock="virtual"))
        else:
            cloud = stack.enter_context(mock_vendors(clock="virtual"))
            stack.enter_context(vcr.use_cassette(str(cassette), **options))
        yield cloud


@pytest.mark.parametrize("order", ["vcr-outside", "vcr-inside"])
@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.client("vcrpy", area="a cassette records and plays back ({client})")
def test_a_cassette_records_what_the_mocks_answered_and_plays_it_back(
        tmp_path: Path, client: str, order: str) -> None:
    cassette = tmp_path / "token.yaml"
    with nested(order, cassette) as cloud:
        status, body = CLIENTS[client]()
    assert status == 200 and "access_token" in json.loads(body)
    assert len(cloud.journal) == 1  # the mocks answered it
    recorded = yaml.safe_load(cassette.read_text())["interactions"]
    assert len(recorded) == 1, recorded
    assert recorded[0]["request"]["uri"].lower() == TOKEN_URL.lower()
    assert recorded[0]["response"]["status"]["code"] == 200
    kept = recorded[0]["response"]["body"]["string"]
    assert json.loads(kept) == json.loads(body)  # what the client got is what was recorded

    with nested(order, cassette) as cloud:
        again = CLIENTS[client]()
    assert again == (status, body) or json.loads(again[1]) == json.loads(body)
    assert len(cloud.journal) == 0  # played back by VCR: the mocks saw nothing


@pytest.mark.parametrize("order", ["vcr-outside", "vcr-inside"])
@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.client("vcrpy", area="a cassette that may not record refuses ({client})")
def test_a_cassette_that_may_not_record_refuses_with_vcrs_own_error(
        tmp_path: Path, client: str, order: str) -> None:
    cassette = tmp_path / "empty.yaml"
    cassette.write_text("interactions: []\nversion: 1\n")
    with nested(order, cassette, record_mode="none") as cloud, \
            pytest.raises(CannotOverwriteExistingCassetteException):
        CLIENTS[client]()
    assert len(cloud.journal) == 0


def test_a_connection_fault_is_raised_and_not_recorded(tmp_path: Path) -> None:
    cassette = tmp_path / "fault.yaml"
    with nested("vcr-outside", cassette) as cloud:
        cloud.add_fault(vendor="marketo", connection="reset", times=1)
        with pytest.raises(requests.ConnectionError):
            with_requests()
        assert with_requests()[0] == 200
    assert len(yaml.safe_load(cassette.read_text())["interactions"]) == 1


def test_a_vendor_call_that_gets_past_interception_never_reaches_dns() -> None:
    """Something patched httpx's transport below vendorsim with the real send (a recorder
    vendorsim does not know): the call fails naming the conflict, and nothing is looked up."""
    looked_up: list[object] = []
    with mock.patch("socket.getaddrinfo", side_effect=looked_up.append), \
            mock_vendors(clock="virtual"), \
            mock.patch.object(httpx.HTTPTransport, "handle_request", HTTPX_SEND), \
            pytest.raises(InterceptionConflict, match=r"got past vendorsim's interception"):
        httpx.get(TOKEN_URL)
    assert looked_up == []


def test_other_hosts_are_looked_up_as_usual() -> None:
    """The DNS guard refuses only the hosts an active cloud serves."""
    import socket

    with mock_vendors(clock="virtual", vendors=["marketo"]):
        assert socket.getaddrinfo("localhost", 80)
        with pytest.raises(InterceptionConflict):
            socket.getaddrinfo(f"{MUNCHKIN}.mktorest.com", 443)
    assert socket.getaddrinfo("localhost", 80)
