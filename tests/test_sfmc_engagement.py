"""SFMC's REST calls besides data extensions (issue 26, vendor-apis.md §7.2): journey entry
events, triggered sends, campaigns, the legacy SOAP endpoint discovery, the 401 header
fuel-rest refreshes on, and the Contacts API's Email Addresses attribute set."""

from __future__ import annotations

import pytest
import requests

from vendorsim import Cloud

SUB = "mc-engage"
AUTH = f"https://{SUB}.auth.marketingcloudapis.com"


@pytest.fixture
def rest(cloud: Cloud) -> tuple[str, dict]:
    answer = requests.post(f"{AUTH}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    return answer["rest_instance_url"], {"Authorization": f"Bearer {answer['access_token']}"}


def test_an_entry_event_is_recorded_and_checked(cloud: Cloud, rest: tuple[str, dict]) -> None:
    base, auth = rest
    fired = requests.post(f"{base}interaction/v1/events", headers=auth, json={
        "ContactKey": "C1", "EventDefinitionKey": "APIEvent-1", "Data": {"Email": "c@x.example"}})
    assert fired.status_code == 201 and fired.json()["eventInstanceId"]
    assert cloud.sfmc(SUB).engagement.events[0]["contactKey"] == "C1"
    for body in ({"EventDefinitionKey": "E"}, {"ContactKey": "C1"}, [1],
                 {"ContactKey": "C1", "EventDefinitionKey": "E", "Data": "x"}):
        answer = requests.post(f"{base}interaction/v1/events", headers=auth, json=body)
        assert answer.status_code == 400 and answer.json()["errorcode"] == 10001
    cloud.service("sfmc").seed_tenant(SUB, state={"event_definitions": ["APIEvent-1"]})
    unknown = requests.post(f"{base}interaction/v1/events", headers=auth, json={
        "ContactKey": "C1", "EventDefinitionKey": "Other"})
    assert unknown.status_code == 400 and unknown.json()["errorcode"] == 30000


def test_a_triggered_send_is_accepted_with_its_message_key(cloud: Cloud,
                                                          rest: tuple[str, dict]) -> None:
    base, auth = rest
    url = f"{base}messaging/v1/messageDefinitionSends/key:welcome/send"
    sent = requests.post(url, headers=auth, json={"To": {"Address": "c@x.example",
                                                         "SubscriberKey": "C1"}})
    assert sent.status_code == 202
    assert sent.json()["requestId"] and sent.json()["responses"][0]["messageKey"]
    bad = requests.post(url, headers=auth, json={"To": {"Address": "nope"}})
    assert bad.status_code == 400
    cloud.service("sfmc").seed_tenant(SUB, state={"triggered_sends": ["welcome"]})
    missing = requests.post(url.replace("welcome", "other"), headers=auth,
                            json={"To": {"Address": "c@x.example"}})
    assert missing.status_code == 404 and missing.json()["errorcode"] == 30001


def test_campaigns(rest: tuple[str, dict]) -> None:
    base, auth = rest
    made = requests.post(f"{base}hub/v1/campaigns", headers=auth,
                         json={"name": "Spring", "campaignCode": "SPR"}).json()
    assert made["name"] == "Spring" and made["id"] == "1"
    listed = requests.get(f"{base}hub/v1/campaigns", headers=auth).json()
    assert listed["count"] == 1 and listed["items"][0]["campaignCode"] == "SPR"
    assert requests.get(f"{base}hub/v1/campaigns/1", headers=auth).status_code == 200
    assert requests.post(f"{base}hub/v1/campaigns", headers=auth,
                         json={"campaignCode": "X"}).status_code == 400
    assert requests.delete(f"{base}hub/v1/campaigns/1", headers=auth).status_code == 200
    assert requests.get(f"{base}hub/v1/campaigns/1", headers=auth).status_code == 404


def test_soap_endpoint_discovery_and_the_401_header(rest: tuple[str, dict]) -> None:
    base, auth = rest
    found = requests.get(f"{base}platform/v1/endpoints/soap", headers=auth).json()
    assert found == {"url": f"https://{SUB}.soap.marketingcloudapis.com/Service.asmx"}
    refused = requests.get(f"{base}platform/v1/endpoints/soap",
                           headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_the_email_addresses_attribute_set(cloud: Cloud, rest: tuple[str, dict]) -> None:
    base, auth = rest
    made = requests.post(f"{base}contacts/v1/contacts", headers=auth, json={
        "contactKey": "C7", "attributeSets": [{"name": "Email Addresses", "items": [{"values": [
            {"name": "Email Address", "value": "c7@x.example"},
            {"name": "HTML Enabled", "value": True}]}]}]})
    assert made.status_code == 200 and made.json()["rowsAffected"] == 1
    found = requests.post(f"{base}contacts/v1/addresses/email/search", headers=auth,
                          json={"channelAddressList": ["c7@x.example"]}).json()
    assert found["channelAddressResponseEntities"][0]["contactKeyDetails"][0]["contactKey"] == \
        "C7"
    bad = requests.post(f"{base}contacts/v1/contacts", headers=auth, json={
        "contactKey": "C8", "attributeSets": [{"name": "Email Addresses", "items": [
            {"values": [{"name": "Email Address", "value": "nope"}]}]}]})
    assert bad.status_code == 400 and "C8" not in cloud.sfmc(SUB).contacts.contacts
    sets = requests.get(f"{base}contacts/v1/attributeSetDefinitions", headers=auth).json()
    assert any(s["definitionName"]["value"] == "Email Addresses" and s["isSystemDefined"]
               for s in sets["items"])
