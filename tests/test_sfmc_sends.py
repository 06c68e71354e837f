"""A living SFMC account (issue 36): born with what every account holds, sending on the clock
(triggered sends, journeys, list sends, transactional messages), its recipients' events drawn
from a seeded engagement model, visible over SOAP with their effects on subscribers, and
heard by the Event Notification Service."""

from __future__ import annotations

import math

import pytest
import requests

from tests.soap_helpers import SoapCaller, envelope, flat, local, simple
from vendorsim import Cloud, mock_vendors
from vendorsim.mocks.sfmc import facts

SUB = "mc-living"
AUTH = f"https://{SUB}.auth.marketingcloudapis.com"
RATES = {"hard_bounce": 0.02, "soft_bounce": 0.03, "open": 0.3, "click": 0.25,
         "unsubscribe": 0.05, "bot_open": 0.0}


@pytest.fixture
def soap(cloud: Cloud) -> SoapCaller:
    cloud.service("sfmc").seed_tenant(SUB, state={"engagement": {"seed": 7, "rates": RATES}})
    return SoapCaller(AUTH)


def rest(soap: SoapCaller, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, soap.rest + path, json=body,
                            headers={"Authorization": f"Bearer {soap.token}"})


def retrieve_all(soap: SoapCaller, object_type: str, props: list[str],
                 filter_xml: str = "") -> list[dict]:
    status, request_id, found = soap.retrieve(object_type, props, filter_xml)
    while status == "MoreDataAvailable":
        status, _, more = soap.retrieve("", [], cont=request_id)
        found += more
    assert status == "OK", status
    return found


def test_a_new_account_holds_what_every_account_does(soap: SoapCaller) -> None:
    (everyone,) = retrieve_all(soap, "List", ["ID", "ListName", "Type"],
                               simple("ListName", "equals", "All Subscribers"))
    assert everyone["ID"] == str(facts.ALL_SUBSCRIBERS_ID)
    folders = retrieve_all(soap, "DataFolder", ["ID", "Name", "ContentType"])
    assert {f["ContentType"] for f in folders} >= {"dataextension", "email", "list",
                                                    "triggered_send"}
    kinds = retrieve_all(soap, "SendClassification", ["CustomerKey"])
    assert "Default Commercial" in {k["CustomerKey"] for k in kinds}
    made = soap.write("Create", '<et:Objects xsi:type="et:DataExtension"><et:Name>D</et:Name>'
                                "<et:Fields><et:Field><et:Name>F</et:Name></et:Field>"
                                "</et:Fields></et:Objects>")
    assert made[0] == "OK"
    (de,) = retrieve_all(soap, "DataExtension", ["Name", "CategoryID"])
    data_folder = next(f["ID"] for f in folders if f["ContentType"] == "dataextension")
    assert de["CategoryID"] == data_folder


def test_describe_and_retrieve_agree_for_every_object(soap: SoapCaller) -> None:
    from vendorsim.mocks.sfmc.model.objects import ROW_TYPE, TYPES

    for name in TYPES:
        if name == ROW_TYPE:
            continue
        body = soap.body("Describe", "<et:DefinitionRequestMsg><et:DescribeRequests>"
                                     f"<et:ObjectDefinitionRequest><et:ObjectType>{name}"
                                     "</et:ObjectType></et:ObjectDefinitionRequest>"
                                     "</et:DescribeRequests></et:DefinitionRequestMsg>")
        props = [flat(p) for d in body if local(d.tag) == "ObjectDefinition"
                 for p in d if local(p.tag) == "Properties"]
        retrievable = [p["Name"] for p in props if p["IsRetrievable"] == "true"]
        assert retrievable, name
        status, _, _ = soap.retrieve(name, retrievable)
        assert status == "OK", (name, status)


def later(cloud: Cloud, seconds: float) -> SoapCaller:
    """The clock `seconds` later, and a caller with a token of that time."""
    cloud.clock.advance(seconds)
    return SoapCaller(AUTH)


def send_to(soap: SoapCaller, count: int, key: str = "welcome") -> None:
    for n in range(count):
        answer = rest(soap, "POST", f"messaging/v1/messageDefinitionSends/key:{key}/send",
                      {"To": {"Address": f"p{n}@x.example", "SubscriberKey": f"p{n}"}})
        assert answer.status_code == 202, answer.text


def tally(soap: SoapCaller) -> dict[str, int]:
    return {kind: len(retrieve_all(soap, kind, ["SubscriberKey"]))
            for kind in ("SentEvent", "OpenEvent", "ClickEvent", "BounceEvent", "UnsubEvent",
                         "NotSentEvent")}


def test_a_triggered_send_to_1000_follows_the_model(cloud: Cloud, soap: SoapCaller) -> None:
    send_to(soap, 1000)
    assert tally(soap)["OpenEvent"] == 0  # nothing opened yet: it happens on the clock
    soap = later(cloud, 30 * 86400)
    counts = tally(soap)
    assert counts["SentEvent"] == 1000 and counts["NotSentEvent"] == 0

    def near(value: int, share: float, of: int) -> bool:  # within 4 standard deviations
        return abs(value - share * of) <= 4 * math.sqrt(of * share * (1 - share)) + 1

    bounced = counts["BounceEvent"]
    assert near(bounced, RATES["hard_bounce"] + RATES["soft_bounce"], 1000)
    assert near(counts["OpenEvent"], RATES["open"], 1000 - bounced)
    assert near(counts["ClickEvent"], RATES["click"], counts["OpenEvent"])
    (job,) = retrieve_all(soap, "Send", ["ID", "NumberSent", "UniqueOpens", "HardBounces",
                                         "SoftBounces", "Unsubscribes"])
    assert (int(job["NumberSent"]), int(job["UniqueOpens"]), int(job["Unsubscribes"])) == \
        (1000, counts["OpenEvent"], counts["UnsubEvent"])
    with mock_vendors(clock="virtual") as again:  # the same seed: the same events
        again.clock.set(cloud.clock.now() - 30 * 86400)
        again.service("sfmc").seed_tenant(SUB, state={"engagement": {"seed": 7,
                                                                     "rates": RATES}})
        twin = SoapCaller(AUTH)
        send_to(twin, 1000)
        assert tally(later(again, 30 * 86400)) == counts


def test_unsubscribes_and_hard_bounces_change_subscribers_and_later_sends(
        cloud: Cloud, soap: SoapCaller) -> None:
    send_to(soap, 300)
    soap = later(cloud, 30 * 86400)
    gone = {e["SubscriberKey"] for e in retrieve_all(soap, "UnsubEvent", ["SubscriberKey"])}
    held = {e["SubscriberKey"] for e in retrieve_all(
        soap, "BounceEvent", ["SubscriberKey", "BounceCategory"])
        if e["BounceCategory"] == "Hard bounce"}
    assert gone and held
    statuses = {s["SubscriberKey"]: s["Status"]
                for s in retrieve_all(soap, "Subscriber", ["SubscriberKey", "Status"])}
    assert {statuses[k] for k in gone} == {"Unsubscribed"} and \
        {statuses[k] for k in held - gone} == {"Held"}
    send_to(soap, 300)  # the same people again
    skipped = {e["SubscriberKey"] for e in retrieve_all(soap, "NotSentEvent",
                                                        ["SubscriberKey"])}
    assert skipped == gone | held


def test_a_list_send_goes_to_each_subscriber_once(cloud: Cloud, soap: SoapCaller) -> None:
    cloud.service("sfmc").seed_tenant(SUB, state={
        "emails": [{"id": 1000, "name": "News", "subject": "This week"}],
        "lists": [{"id": 7, "name": "A"}, {"id": 8, "name": "B"}],
        "subscribers": [{"key": f"s{n}", "email": f"s{n}@x.example",
                         "lists": [{"id": 7}, {"id": 8}] if n % 2 else [{"id": 7}]}
                        for n in range(20)]})
    status, results = soap.write("Create", '<et:Objects xsi:type="et:Send"><et:Email><et:ID>'
                                           "1000</et:ID></et:Email><et:List><et:ID>7</et:ID>"
                                           "</et:List><et:List><et:ID>8</et:ID></et:List>"
                                           "</et:Objects>")
    assert status == "OK" and int(results[0]["NewID"]) > 0
    (job,) = retrieve_all(soap, "Send", ["ID", "EmailName", "NumberTargeted"])
    assert (job["EmailName"], job["NumberTargeted"]) == ("News", "20")
    per_list = retrieve_all(soap, "ListSend", ["SendID", "NumberSent"])
    assert len(per_list) == 2


def test_a_journey_sends_its_email_after_the_entry(cloud: Cloud, soap: SoapCaller) -> None:
    cloud.service("sfmc").seed_tenant(SUB, state={
        "emails": [{"id": 1000, "name": "Welcome", "subject": "Hi"}],
        "event_definitions": [{"key": "APIEvent-1", "email": 1000, "delay": 3600}]})
    answer = rest(soap, "POST", "interaction/v1/events", {
        "ContactKey": "C1", "EventDefinitionKey": "APIEvent-1",
        "Data": {"EmailAddress": "c1@x.example"}})
    assert answer.status_code == 201
    assert retrieve_all(soap, "SentEvent", ["SubscriberKey"]) == []
    soap = later(cloud, 3600)
    assert [e["SubscriberKey"] for e in retrieve_all(soap, "SentEvent", ["SubscriberKey"])] \
        == ["C1"]


def test_transactional_messages(cloud: Cloud, soap: SoapCaller) -> None:
    one = rest(soap, "POST", "messaging/v1/email/messages/m-1", {
        "definitionKey": "receipt", "recipient": {"contactKey": "C1", "to": "c1@x.example"}})
    assert one.status_code == 202 and one.json()["responses"] == [{"messageKey": "m-1"}]
    again = rest(soap, "POST", "messaging/v1/email/messages/m-1", {
        "definitionKey": "receipt", "recipient": {"contactKey": "C1", "to": "c1@x.example"}})
    assert again.status_code == 400 and again.json()["errorcode"] == \
        facts.DUPLICATE_MESSAGE_KEY
    soap = later(cloud, facts.MESSAGE_KEY_HOURS * 3600)
    status = rest(soap, "GET", "messaging/v1/email/messages/m-1").json()
    assert status["eventCategoryType"].startswith(("TransactionalSendEvents",
                                                   "EngagementEvents"))
    assert rest(soap, "POST", "messaging/v1/email/messages/m-1", {
        "definitionKey": "receipt", "recipient": {"contactKey": "C1",
                                                  "to": "c1@x.example"}}).status_code == 202
    many = [{"contactKey": f"C{n}", "to": f"c{n}@x.example", "messageKey": f"b-{n}"}
            for n in range(facts.MESSAGE_RECIPIENTS + 1)]
    assert rest(soap, "POST", "messaging/v1/email/messages/", {
        "definitionKey": "receipt", "recipients": many}).status_code == 400
    batch = rest(soap, "POST", "messaging/v1/email/messages/", {
        "definitionKey": "receipt", "recipients": many[:3] + [{"to": "nope"}]}).json()
    assert [("errorcode" in r) for r in batch["responses"]] == [False, False, False, True]
    with_attributes = [{**r, "attributes": {"A": "1"}} for r in many[:501]]
    assert rest(soap, "POST", "messaging/v1/email/messages/", {
        "definitionKey": "receipt", "recipients": with_attributes}).status_code == 400


def test_envelope_is_still_soap(soap: SoapCaller) -> None:
    """The tracking objects answer in the partner API's envelope, as every Retrieve."""
    answer = requests.post(soap.url, data=envelope(
        "<et:RetrieveRequestMsg><et:RetrieveRequest><et:ObjectType>OpenEvent</et:ObjectType>"
        "<et:Properties>SubscriberKey</et:Properties></et:RetrieveRequest>"
        "</et:RetrieveRequestMsg>", soap.token).encode(), headers={"Content-Type": "text/xml"})
    assert answer.status_code == 200 and "RetrieveResponseMsg" in answer.text
