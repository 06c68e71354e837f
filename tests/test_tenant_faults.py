"""A fault aimed at a tenant fires on that tenant's calls and no other's, for every vendor,
transport and mode (issue 33): the pipeline identifies a call's tenant once, before faults,
from its host or path (Marketo, SFMC) or, where one host serves every client (Bombora,
Demandbase), from the token it carries or the client a token call names. The journal and
the metrics carry that tenant too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import requests

from vendorsim import Cloud, mock_vendors
from vendorsim.mocks.server import ServerRunner

T1, T2 = "ten-one", "ten-two"
SOAP_LIST = ('<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/'
             'envelope/"><s:Header><fueloauth xmlns="http://exacttarget.com">{token}'
             '</fueloauth></s:Header><s:Body><RetrieveRequestMsg xmlns="http://exacttarget.com/'
             'wsdl/partnerAPI"><RetrieveRequest><ObjectType>List</ObjectType><Properties>'
             "ListName</Properties></RetrieveRequest></RetrieveRequestMsg></s:Body>"
             "</s:Envelope>")


@dataclass
class Vendor:
    """How a client of one vendor gets a token and makes one API call, for a tenant."""

    name: str
    token: Callable[[str, str], requests.Response]  # (base, tenant)
    call: Callable[[str, str, requests.Response], requests.Response]  # (base, tenant, token)
    tenant_id: Callable[[str], str] = str  # the tenant as the vendor names it


def marketo_token(base: str, tenant: str) -> requests.Response:
    return requests.get(f"{base}/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})


def marketo_call(base: str, tenant: str, token: requests.Response) -> requests.Response:
    return requests.get(f"{base}/rest/v1/leads.json", params={
        "filterType": "id", "filterValues": "1"},
        headers={"Authorization": f"Bearer {token.json()['access_token']}"})


def sfmc_token(base: str, tenant: str) -> requests.Response:
    return requests.post(f"{base}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})


def sfmc_rest(base: str, tenant: str, token: requests.Response) -> requests.Response:
    answer = token.json()
    return requests.get(answer["rest_instance_url"] + "hub/v1/campaigns",
                        headers={"Authorization": f"Bearer {answer['access_token']}"})


def sfmc_soap(base: str, tenant: str, token: requests.Response) -> requests.Response:
    answer = token.json()
    return requests.post(answer["soap_instance_url"] + "Service.asmx",
                         data=SOAP_LIST.format(token=answer["access_token"]).encode(),
                         headers={"Content-Type": "text/xml", "SOAPAction": "Retrieve"})


def bombora_token(base: str, tenant: str) -> requests.Response:
    return requests.post(f"{base}/oauth/token", json={"client_id": tenant,
                                                      "client_secret": "s"})


def bombora_call(base: str, tenant: str, token: requests.Response) -> requests.Response:
    return requests.get(f"{base}/account-list/v1/account-list",
                        headers={"Authorization": f"Bearer {token.json()['access_token']}"})


def demandbase_token(base: str, tenant: str) -> requests.Response:
    return requests.post(f"{base}/auth/v1/token", data={
        "grant_type": "client_credentials", "client_id": tenant, "client_secret": "s"})


def demandbase_call(base: str, tenant: str, token: requests.Response) -> requests.Response:
    return requests.get(f"{base}/accountlists/v1/lists",
                        headers={"Authorization": f"Bearer {token.json()['accessToken']}"})


VENDORS = {
    "marketo REST": Vendor("marketo", marketo_token, marketo_call, str.upper),
    "sfmc REST": Vendor("sfmc", sfmc_token, sfmc_rest),
    "sfmc SOAP": Vendor("sfmc", sfmc_token, sfmc_soap),
    "bombora REST": Vendor("bombora", bombora_token, bombora_call),
    "demandbase REST": Vendor("demandbase", demandbase_token, demandbase_call),
}
HOSTS = {"marketo": "https://{tenant}.mktorest.com",
         "sfmc": "https://{tenant}.auth.marketingcloudapis.com",
         "bombora": "https://api.bombora.com", "demandbase": "https://uapi.demandbase.com"}


@pytest.fixture(params=["in-process", "server"])
def mode(request: pytest.FixtureRequest) -> Iterator[tuple[Cloud, Callable[[str, str], str]]]:
    """A cloud, and where a client of a vendor reaches a tenant in this mode."""
    with mock_vendors(clock="virtual") as cloud:
        if request.param == "in-process":
            yield cloud, lambda vendor, tenant: HOSTS[vendor].format(tenant=tenant)
            return
        runner = ServerRunner(cloud, port=0).start()
        try:
            yield cloud, runner.base_url
        finally:
            runner.stop()


def good(answer: requests.Response) -> bool:
    return answer.status_code == 200 and "<soap:Fault>" not in answer.text


@pytest.mark.parametrize("which", VENDORS)
def test_a_fault_aimed_at_a_tenant_fires_on_its_calls_only(
        mode: tuple[Cloud, Callable[[str, str], str]], which: str) -> None:
    cloud, base_of = mode
    vendor = VENDORS[which]
    bases = {t: base_of(vendor.name, t) for t in (T1, T2)}
    tokens = {t: vendor.token(bases[t], t) for t in (T1, T2)}
    assert all(good(t) for t in tokens.values())
    cloud.add_fault(vendor=vendor.name, tenant=vendor.tenant_id(T1), status=503, times=1,
                    path="(?i)/(rest|hub|account|service)")
    assert good(vendor.call(bases[T2], T2, tokens[T2]))  # not aimed at T2
    hit = vendor.call(bases[T1], T1, tokens[T1])
    assert hit.status_code == 503 or (hit.status_code == 500 and "<soap:Fault>" in hit.text), \
        hit.text[:200]
    assert good(vendor.call(bases[T1], T1, tokens[T1]))  # times=1: spent
    journalled = cloud.journal.entries(vendor=vendor.name, tenant=vendor.tenant_id(T1))
    assert [e.status for e in journalled][-3:] == [200, hit.status_code, 200]
    assert {e.tenant for e in cloud.journal.entries(vendor=vendor.name)} == \
        {vendor.tenant_id(T1), vendor.tenant_id(T2)}


@pytest.mark.parametrize("which", ["marketo REST", "sfmc REST", "bombora REST",
                                   "demandbase REST"])
def test_a_fault_aimed_at_a_tenant_fires_on_its_token_calls(
        mode: tuple[Cloud, Callable[[str, str], str]], which: str) -> None:
    cloud, base_of = mode
    vendor = VENDORS[which]
    cloud.add_fault(vendor=vendor.name, tenant=vendor.tenant_id(T1), status=503, times=1)
    assert good(vendor.token(base_of(vendor.name, T2), T2))
    assert vendor.token(base_of(vendor.name, T1), T1).status_code == 503
    assert good(vendor.token(base_of(vendor.name, T1), T1))


def test_metrics_carry_the_tenant_of_one_host_vendors(cloud: Cloud) -> None:
    token = bombora_token(HOSTS["bombora"], T1)
    bombora_call(HOSTS["bombora"], T1, token)
    metrics = cloud.metrics.render().decode()
    assert f'tenant="{T1}"' in metrics and 'vendor="bombora",tenant="none"' not in metrics
