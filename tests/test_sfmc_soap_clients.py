"""Real SOAP clients against the SFMC mock (issue 26), in-process and against a server: zeep
loads the served WSDL and calls through it; the official Fuel SDK for Python (suds over
urllib, which vendorsim answers in-process too) reads rows, adds subscribers to lists and
recovers from a 12014 as it does against SFMC. Clients are checks, never the spec."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from vendorsim import Cloud, mock_vendors
from vendorsim.mocks.server import ServerRunner

SUB = "mc-clients"
STATE = {"lists": [{"id": 7, "name": "Newsletter"}], "data_extensions": [
    {"name": "People", "key": "people",
     "fields": [{"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
                {"name": "Age", "type": "Number"}],
     "rows": [{"Email": "a@x.example", "Age": 30}, {"Email": "b@x.example", "Age": 40}]}]}


@pytest.fixture(params=["inprocess", "server"])
def sfmc(request: pytest.FixtureRequest) -> Iterator[tuple[Cloud, str]]:
    """(cloud, auth base URL) in-process or on a server's SFMC port."""
    if request.param == "inprocess":
        with mock_vendors(clock="virtual") as cloud:
            cloud.service("sfmc").seed_tenant(SUB, state=STATE)
            yield cloud, f"https://{SUB}.auth.marketingcloudapis.com"
        return
    with ServerRunner(Cloud("virtual")) as server:
        server.cloud.service("sfmc").seed_tenant(SUB, state=STATE)
        yield server.cloud, f"{server.urls['sfmc']}/{SUB}"


def token(auth: str) -> dict:
    return dict(requests.post(f"{auth}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json())


@pytest.mark.client("zeep", mode="{sfmc}", area="SFMC SOAP: the served WSDL, Retrieve, Create")
def test_zeep_loads_the_wsdl_and_reads_and_writes(sfmc: tuple[Cloud, str]) -> None:
    zeep = pytest.importorskip("zeep", reason="zeep is in the dev extra")
    from lxml import etree

    cloud, auth = sfmc
    answer = token(auth)
    client = zeep.Client(answer["soap_instance_url"] + "etframework.wsdl")
    header = etree.Element("{http://exacttarget.com}fueloauth")
    header.text = answer["access_token"]
    service = client.service
    simple = client.get_type("ns0:SimpleFilterPart")
    found = service.Retrieve(RetrieveRequest={
        "ObjectType": "DataExtensionObject[people]", "Properties": ["Email", "Age"],
        "Filter": simple(Property="Age", SimpleOperator="greaterThan", Value=["35"])},
        _soapheaders=[header])
    assert found.OverallStatus == "OK"
    assert [{p.Name: p.Value for p in r.Properties.Property} for r in found.Results] == [
        {"Email": "b@x.example", "Age": "40"}]
    row = client.get_type("ns0:DataExtensionObject")
    prop = client.get_type("ns0:APIProperty")
    made = service.Create(Options={}, Objects=[row(CustomerKey="people", Properties={
        "Property": [prop(Name="Email", Value="c@x.example"), prop(Name="Age", Value="5")]})],
        _soapheaders=[header])
    assert made.OverallStatus == "OK" and made.Results[0].StatusCode == "OK"
    subscriber = client.get_type("ns0:Subscriber")
    joined = service.Create(Options={}, Objects=[subscriber(
        SubscriberKey="k1", EmailAddress="k1@x.example", Lists=[{"ID": 7}])],
        _soapheaders=[header])
    assert joined.Results[0].NewID == 1
    assert len(cloud.sfmc(SUB).get("people").rows) == 3
    assert cloud.sfmc(SUB).audience.get("k1").lists.keys() == {7}  # type: ignore[union-attr]


@pytest.fixture
def fuel(tmp_path: Path) -> Any:
    module = pytest.importorskip(
        "FuelSDK", reason="Salesforce-FuelSDK is installed by ./dev without its dependencies; "
                          "pip could not install it here")
    return module


def fuel_client(fuel: Any, auth: str, rest: str, tmp_path: Path) -> Any:
    soap = auth.replace(".auth.", ".soap.") if "marketingcloudapis" in auth else auth
    return fuel.ET_Client(False, False, {
        "clientid": "c", "clientsecret": "s", "useOAuth2Authentication": "True",
        "authenticationurl": f"{auth}/", "applicationType": "server",
        "defaultwsdl": f"{soap}/etframework.wsdl", "baseapiurl": rest,
        "wsdl_file_local_loc": os.fspath(tmp_path / "etframework.wsdl")})


@pytest.mark.client("Salesforce-FuelSDK", mode="{sfmc}",
                    area="SFMC SOAP: rows, subscribers, lists, 12014 recovery")
def test_the_fuel_sdk_reads_rows_and_manages_subscribers(
        sfmc: tuple[Cloud, str], fuel: Any, tmp_path: Path) -> None:
    cloud, auth = sfmc
    client = fuel_client(fuel, auth, token(auth)["rest_instance_url"], tmp_path)
    row = fuel.ET_DataExtension_Row()
    row.auth_stub, row.CustomerKey, row.props = client, "people", ["Email", "Age"]
    got = row.get()
    assert got.status is True
    assert sorted(p.Value for r in got.results for p in r.Properties.Property
                  if p.Name == "Email") == ["a@x.example", "b@x.example"]
    sub = fuel.ET_Subscriber()
    sub.auth_stub = client
    sub.props = {"SubscriberKey": "k1", "EmailAddress": "k1@x.example", "Lists": [{"ID": 7}]}
    assert sub.post().status is True
    again = sub.post()
    assert again.status is False and again.results[0].ErrorCode == 12014
    # its helper: create, and on 12014 update the subscriber onto the lists
    added = client.AddSubscriberToList("k1@x.example", [7], "k1")
    assert added.status is True
    members = fuel.ET_List_Subscriber()
    members.auth_stub, members.props = client, ["ListID", "SubscriberKey", "Status"]
    listed = members.get()
    # every subscriber is on All Subscribers (list 1), as in every SFMC account
    assert [(m.ListID, m.SubscriberKey) for m in listed.results] == [(1, "k1"), (7, "k1")]
    assert cloud.sfmc(SUB).audience.get("k1") is not None


@pytest.mark.client("urllib", area="SFMC WSDL and REST over urllib.request")
def test_urllib_is_answered_in_process_and_other_hosts_go_out() -> None:
    """Issue 26 item 7: `urllib.request` calls to vendor hosts reach the mocks in-process (a
    4xx is urllib's HTTPError as usual); other hosts still reach the network layer."""
    import urllib.error
    import urllib.request

    with ServerRunner(Cloud("virtual")) as other, mock_vendors(clock="virtual") as cloud:
        cloud.service("sfmc").seed_tenant(SUB, state=STATE)
        wsdl = urllib.request.urlopen(f"https://{SUB}.soap.marketingcloudapis.com/etframework.wsdl")
        assert wsdl.status == 200 and b"PartnerAPI" in wsdl.read()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"https://{SUB}.rest.marketingcloudapis.com/hub/v1/campaigns")
        assert refused.value.code == 401
        assert cloud.journal.entries()[-1].path == "/hub/v1/campaigns"
        health = urllib.request.urlopen(f"{other.urls['cloud']}/__admin/health")  # a real socket
        assert health.status == 200 and other.cloud is not cloud
