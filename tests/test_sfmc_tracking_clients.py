"""The official Fuel SDK for Python reading what a living account holds (issue 36): every
tracking object after a triggered send, the send, its email and folders, and Describe (which
needs the WSDL's ArrayOfObjectDefinitionRequest), in-process and against a server. The SDK is
a check, never the spec."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from vendorsim import Cloud, mock_vendors
from vendorsim.mocks.server import ServerRunner

SUB = "mc-tracking"
STATE = {"engagement": {"seed": 11, "rates": {"hard_bounce": 0.05, "soft_bounce": 0.05,
                                              "open": 0.6, "click": 0.5, "unsubscribe": 0.2}}}


@pytest.fixture(params=["inprocess", "server"])
def sfmc(request: pytest.FixtureRequest) -> Iterator[tuple[Cloud, str]]:
    if request.param == "inprocess":
        with mock_vendors(clock="virtual") as cloud:
            cloud.service("sfmc").seed_tenant(SUB, state=STATE)
            yield cloud, f"https://{SUB}.auth.marketingcloudapis.com"
        return
    with ServerRunner(Cloud("virtual")) as server:
        server.cloud.service("sfmc").seed_tenant(SUB, state=STATE)
        yield server.cloud, f"{server.urls['sfmc']}/{SUB}"


@pytest.fixture
def fuel() -> Any:
    return pytest.importorskip(
        "FuelSDK", reason="Salesforce-FuelSDK is installed by ./dev without its dependencies; "
                          "pip could not install it here")


def client(fuel: Any, auth: str, tmp_path: Path) -> Any:
    token = requests.post(f"{auth}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    soap = auth.replace(".auth.", ".soap.") if "marketingcloudapis" in auth else auth
    return fuel.ET_Client(False, False, {
        "clientid": "c", "clientsecret": "s", "useOAuth2Authentication": "True",
        "authenticationurl": f"{auth}/", "applicationType": "server",
        "defaultwsdl": f"{soap}/etframework.wsdl", "baseapiurl": token["rest_instance_url"],
        "wsdl_file_local_loc": os.fspath(tmp_path / "etframework.wsdl")})


def triggered(auth: str, count: int) -> None:
    token = requests.post(f"{auth}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    for n in range(count):
        answer = requests.post(
            token["rest_instance_url"] + "messaging/v1/messageDefinitionSends/key:welcome/send",
            json={"To": {"Address": f"p{n}@x.example", "SubscriberKey": f"p{n}"}},
            headers={"Authorization": f"Bearer {token['access_token']}"})
        assert answer.status_code == 202


@pytest.mark.client("Salesforce-FuelSDK", mode="{sfmc}", area="SFMC SOAP: every tracking object")
def test_the_fuel_sdk_reads_every_tracking_object(sfmc: tuple[Cloud, str], fuel: Any,
                                                  tmp_path: Path) -> None:
    cloud, auth = sfmc
    triggered(auth, 60)
    cloud.clock.advance(30 * 86400)
    sdk = client(fuel, auth, tmp_path)
    seen = {}
    for name in ("ET_SentEvent", "ET_OpenEvent", "ET_ClickEvent", "ET_BounceEvent",
                 "ET_UnsubEvent"):
        reader = getattr(fuel, name)()
        reader.auth_stub = sdk
        reader.props = ["SendID", "SubscriberKey", "EventDate", "EventType"]
        got = reader.get()
        assert got.status is True, (name, got.message)
        seen[name] = len(got.results)
        assert all(r.SubscriberKey.startswith("p") for r in got.results)
    assert seen["ET_SentEvent"] == 60 and 0 < seen["ET_OpenEvent"] < 60
    assert seen["ET_BounceEvent"] > 0 and seen["ET_UnsubEvent"] > 0
    send = fuel.ET_Send()
    send.auth_stub, send.props = sdk, ["ID", "EmailName", "NumberSent", "UniqueOpens"]
    (job,) = send.get().results
    assert (job.NumberSent, job.UniqueOpens) == (60, seen["ET_OpenEvent"])


@pytest.mark.client("Salesforce-FuelSDK", mode="{sfmc}",
                    area="SFMC SOAP: Describe, folders, emails")
def test_the_fuel_sdk_describes_and_reads_folders_and_emails(
        sfmc: tuple[Cloud, str], fuel: Any, tmp_path: Path) -> None:
    _, auth = sfmc
    sdk = client(fuel, auth, tmp_path)
    described = fuel.ET_Describe(sdk, "Email")
    assert described.status is True
    names = {p.Name for p in described.results[0].Properties}
    assert {"Name", "Subject", "HTMLBody"} <= names
    folder = fuel.ET_Folder()
    folder.auth_stub, folder.props = sdk, ["ID", "Name", "ContentType"]
    got = folder.get()
    assert got.status is True and "dataextension" in {f.ContentType for f in got.results}
    email = fuel.ET_Email()
    email.auth_stub = sdk
    email.props = {"Name": "Hello", "Subject": "Hi", "HTMLBody": "<p>x</p>",
                   "CustomerKey": "hello"}
    assert email.post().status is True
    email.props = ["ID", "Name", "Subject"]
    assert [e.Name for e in email.get().results] == ["Hello"]
