"""vendorsim beside the user's own HTTP mocks (issue 11): the user's hosts keep their mocked
answers, vendor hosts are answered by vendorsim, whichever is started first."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import httpx
import pytest
import requests
import requests_mock
import responses
import respx

from vendorsim import Cloud, mock_vendors
from vendorsim.mocks.interceptors import InterceptionConflict

CRM = "https://crm.example.com/api/contacts"
TOKEN = ("https://123-ABC-456.mktorest.com/identity/oauth/token"
         "?grant_type=client_credentials&client_id=a&client_secret=b")


def both_answer_with_requests() -> None:
    assert requests.get(CRM).json() == {"crm": True}
    assert requests.get(TOKEN).json()["token_type"] == "bearer"


def both_answer_with_httpx() -> None:
    with httpx.Client() as client:
        assert client.get(CRM).json() == {"crm": True}
        assert client.get(TOKEN).json()["token_type"] == "bearer"


@contextmanager
def responses_mock() -> Iterator[None]:
    with responses.RequestsMock() as rsps:
        rsps.get(CRM, json={"crm": True})
        yield


@contextmanager
def responses_started() -> Iterator[None]:
    responses.start()
    responses.get(CRM, json={"crm": True})
    try:
        yield
    finally:
        responses.stop()
        responses.reset()


@contextmanager
def requests_mocker() -> Iterator[None]:
    with requests_mock.Mocker() as m:  # real_http=False: unknown hosts are refused
        m.get(CRM, json={"crm": True})
        yield


@contextmanager
def respx_router(using: str = "httpcore") -> Iterator[None]:
    with respx.mock(using=using, assert_all_called=False) as router:
        router.get(CRM).respond(json={"crm": True})
        yield


USER_MOCKS: dict[str, tuple[Callable[[], AbstractContextManager], Callable[[], None]]] = {
    "responses.RequestsMock": (responses_mock, both_answer_with_requests),
    "responses.start": (responses_started, both_answer_with_requests),
    "requests_mock.Mocker": (requests_mocker, both_answer_with_requests),
    "respx (httpcore)": (respx_router, both_answer_with_httpx),
    "respx (using=httpx)": (lambda: respx_router("httpx"), both_answer_with_httpx),
}


DISTRIBUTIONS = {"responses.RequestsMock": "responses", "responses.start": "responses",
                 "requests_mock.Mocker": "requests-mock", "respx (httpcore)": "respx",
                 "respx (using=httpx)": "respx"}


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.client(
    DISTRIBUTIONS[name], area=f"beside the user's mocks: {name}, nested either way"))
    for name in USER_MOCKS])
@pytest.mark.parametrize("vendorsim_first", [True, False], ids=["vendorsim-outside",
                                                               "vendorsim-inside"])
def test_user_mock_and_vendorsim_nested_either_way(name: str, vendorsim_first: bool) -> None:
    user_mock, calls = USER_MOCKS[name]
    if vendorsim_first:
        with mock_vendors(), user_mock():
            calls()
    else:
        with user_mock(), mock_vendors():
            calls()
    # and afterwards nothing is left patched: the user's mock alone refuses vendor hosts
    get = httpx.get if "respx" in name else requests.get
    with user_mock():
        assert get(CRM).json() == {"crm": True}
        with pytest.raises(Exception):  # noqa: B017 - each library raises its own error
            get(TOKEN)


@responses.activate
@pytest.mark.client("responses", area="beside the user's mocks: @responses.activate")
def test_responses_decorator_inside_the_fixture(vendorsim: Cloud) -> None:
    responses.get(CRM, json={"crm": True})
    both_answer_with_requests()
    assert vendorsim.journal.entries(path="/identity/oauth/token")


@pytest.mark.client("requests-mock", area="beside the user's mocks: its fixture")
def test_requests_mock_fixture_with_the_fixture(requests_mock: requests_mock.Mocker,
                                                vendorsim: Cloud) -> None:
    requests_mock.get(CRM, json={"crm": True})
    both_answer_with_requests()


@pytest.mark.client("pytest-httpx", area="beside the user's mocks: httpx_mock, either order")
@pytest.mark.parametrize("order", ["vendorsim-first", "httpx_mock-first"])
def test_pytest_httpx_either_fixture_order(request: pytest.FixtureRequest, order: str) -> None:
    names = ["vendorsim", "httpx_mock"]
    if order != "vendorsim-first":
        names.reverse()
    fixtures = {name: request.getfixturevalue(name) for name in names}
    fixtures["httpx_mock"].add_response(url=CRM, json={"crm": True})
    both_answer_with_httpx()

    async def call() -> None:
        async with httpx.AsyncClient() as client:
            assert (await client.get(TOKEN)).json()["token_type"] == "bearer"
    asyncio.run(call())


def test_a_user_mock_registering_a_vendor_url_is_told_the_fix() -> None:
    with mock_vendors(), responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(TOKEN, json={"access_token": "mine"})
        with pytest.raises(InterceptionConflict, match="cloud.add_fault"):
            requests.get(TOKEN)
