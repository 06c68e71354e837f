"""The HTTP edges a user never meant to hit (issue 33): a Host that is no host name is a
plain 400 and no logged traceback, in-process and on every port; a 405 says in `Allow` what
the path takes; a path holding digits that are not ASCII is the vendor's 404, not a 500."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import requests

from vendorsim import Cloud, mock_vendors
from vendorsim.mocks.server import ServerRunner

LONG_LABEL = "a" * 64  # a DNS label is at most 63 characters
HOSTS = [f"{LONG_LABEL}.mktorest.com", f"{LONG_LABEL}.auth.marketingcloudapis.com",
         "x." * 200 + "mktorest.com", "bad host.mktorest.com"]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerRunner]:
    with mock_vendors() as cloud:
        runner = ServerRunner(cloud, port=0).start()
        yield runner
        runner.stop()


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("port", ["cloud", "marketo", "sfmc"])
def test_a_host_that_is_no_host_name_is_a_plain_400(
        server: ServerRunner, host: str, port: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        answer = requests.get(f"{server.urls[port]}/123-ABC-456/rest/v1/leads.json",
                              headers={"Host": host})
    assert answer.status_code in (400, 404), answer.text[:200]
    assert "611" not in answer.text and "Traceback" not in answer.text
    assert not [r for r in caplog.records if r.exc_info], caplog.text[-500:]


def test_a_bad_host_in_process_is_a_plain_400(cloud: Cloud,
                                              caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        answer = requests.get(f"https://{LONG_LABEL}.mktorest.com/rest/v1/leads.json")
    assert answer.status_code == 400 and "611" not in answer.text
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(("vendor", "path", "allowed"), [
    ("sfmc", "/sub1/v2/token", "OPTIONS, POST"),
    ("bombora", "/oauth/token", "OPTIONS, POST"),
    ("demandbase", "/auth/v1/token", "OPTIONS, POST"),
    ("cloud", "/__admin/reset", "OPTIONS, POST")])
def test_a_405_says_what_the_path_takes(server: ServerRunner, vendor: str, path: str,
                                        allowed: str) -> None:
    answer = requests.put(server.urls[vendor] + path)
    assert answer.status_code == 405
    assert answer.headers["Allow"] == allowed


def test_non_ascii_digits_in_an_id_are_the_vendors_404(cloud: Cloud) -> None:
    token = requests.post("https://sub1.auth.marketingcloudapis.com/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    answer = requests.get(token["rest_instance_url"] + "hub/v1/campaigns/%C2%B24",
                          headers={"Authorization": f"Bearer {token['access_token']}"})
    assert answer.status_code == 404 and answer.json()["errorcode"] == 10002
