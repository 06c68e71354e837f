"""What an installed package may do, REST and SOAP alike (B-SFMC-03, issue 32): every scope x
operation x transport. A token without the scope an operation needs is refused (REST: 403,
errorcode 20002; SOAP: a fault naming the scope) and changes nothing; a token with only that
scope is let through. The rule is the model's (each operation checks its caller), so the two
transports cannot disagree; a test below checks every public operation declares its scope."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
import requests

from tests.soap_helpers import SoapCaller, row_object
from vendorsim import Cloud
from vendorsim.mocks.sfmc import facts
from vendorsim.mocks.sfmc.model import (
    contacts,
    content,
    emails,
    engagement,
    ens,
    extensions,
    folders,
    messaging,
    rowset,
    subscribers,
)

SUB = "mc-scopes"
AUTH = f"https://{SUB}.auth.marketingcloudapis.com"
PEOPLE = {"name": "People", "key": "people", "fields": [
    {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
    {"name": "Age", "type": "Number"}], "rows": [{"Email": "ann@x.example", "Age": 3}]}
STATE = {"data_extensions": [PEOPLE], "lists": [{"id": 7, "name": "Seven"}],
         "emails": [{"id": 1000, "name": "Welcome", "subject": "Hi"}],
         "subscribers": [{"key": "k1", "email": "k1@x.example", "lists": [{"id": 7}]}],
         "campaigns": [{"name": "C"}]}
Call = Callable[[SoapCaller], requests.Response]


def rest(method: str, path: str, body: object = None) -> Call:
    def go(caller: SoapCaller) -> requests.Response:
        return requests.request(method, caller.rest + path.lstrip("/"), json=body,
                                headers={"Authorization": f"Bearer {caller.token}"})
    return go


def soap(action: str, body: str) -> Call:
    return lambda caller: caller.call(action, body)


def retrieve(object_type: str, prop: str) -> Call:
    return soap("Retrieve", f"<et:RetrieveRequestMsg><et:RetrieveRequest><et:ObjectType>"
                            f"{object_type}</et:ObjectType><et:Properties>{prop}"
                            "</et:Properties></et:RetrieveRequest></et:RetrieveRequestMsg>")


def write(action: str, objects: str) -> Call:
    return soap(action, f"<et:{action}Request><et:Options/>{objects}</et:{action}Request>")


SUBSCRIBER = ('<et:Objects xsi:type="et:Subscriber"><et:SubscriberKey>k9</et:SubscriberKey>'
              "<et:EmailAddress>k9@x.example</et:EmailAddress></et:Objects>")
LIST = '<et:Objects xsi:type="et:List"><et:ListName>Nine</et:ListName></et:Objects>'
EMAIL = ('<et:Objects xsi:type="et:Email"><et:Name>Hello</et:Name><et:Subject>Hi</et:Subject>'
         "</et:Objects>")
CLEAR = ("<et:PerformRequestMsg><et:Action>ClearData</et:Action><et:Definitions>"
         '<et:Definition xsi:type="et:DataExtension"><et:CustomerKey>people</et:CustomerKey>'
         "</et:Definition></et:Definitions></et:PerformRequestMsg>")
NEW_DE = ('<et:Objects xsi:type="et:DataExtension"><et:Name>New</et:Name><et:CustomerKey>new'
          "</et:CustomerKey><et:Fields><et:Field><et:Name>F</et:Name><et:FieldType>Text"
          "</et:FieldType></et:Field></et:Fields></et:Objects>")
TABLE: list[tuple[str, str, Call]] = [
    # (area.kind, what, the call)
    ("data_extensions.read", "REST rowset", rest("GET", "data/v1/customobjectdata/key/people/"
                                                        "rowset")),
    ("data_extensions.read", "REST describe", rest("GET", "data/v1/customobjects/key:people")),
    ("data_extensions.read", "REST search", rest("GET", "data/v1/customobjects?$search=p")),
    ("data_extensions.read", "SOAP rows", retrieve("DataExtensionObject[people]", "Email")),
    ("data_extensions.read", "SOAP data extensions", retrieve("DataExtension", "Name")),
    ("data_extensions.read", "SOAP fields", retrieve("DataExtensionField", "Name")),
    ("data_extensions.write", "REST upsert", rest("POST", "hub/v1/dataevents/key:people/rowset",
                                                   [{"keys": {"Email": "b@x.example"},
                                                     "values": {"Age": 1}}])),
    ("data_extensions.write", "REST put row", rest("PUT", "hub/v1/dataevents/key:people/rows/"
                                                         "Email:c@x.example",
                                                   {"values": {"Age": 2}})),
    ("data_extensions.write", "REST async", rest("POST", "data/v1/async/dataextensions/"
                                                        "key:people/rows",
                                                 {"items": [{"Email": "d@x.example"}]})),
    ("data_extensions.write", "REST create", rest("POST", "data/v1/customobjects", {
        "name": "New", "key": "new", "fields": [{"name": "F", "type": "Text"}]})),
    ("data_extensions.write", "SOAP create row",
     write("Create", row_object("people", Email="e@x.example"))),
    ("data_extensions.write", "SOAP delete row", soap(
        "Delete", '<et:DeleteRequest><et:Options/><et:Objects xsi:type="et:DataExtensionObject">'
        "<et:CustomerKey>people</et:CustomerKey><et:Keys><et:Key><et:Name>Email</et:Name>"
        "<et:Value>ann@x.example</et:Value></et:Key></et:Keys></et:Objects>"
        "</et:DeleteRequest>")),
    ("data_extensions.write", "SOAP create data extension", write("Create", NEW_DE)),
    ("data_extensions.write", "SOAP perform ClearData", soap("Perform", CLEAR)),
    ("subscribers.read", "SOAP subscribers", retrieve("Subscriber", "SubscriberKey")),
    ("subscribers.read", "SOAP lists", retrieve("List", "ListName")),
    ("subscribers.read", "SOAP memberships", retrieve("ListSubscriber", "ListID")),
    ("subscribers.read", "REST attribute sets", rest("GET", "contacts/v1/"
                                                            "attributeSetDefinitions")),
    ("subscribers.read", "REST email search", rest("POST", "contacts/v1/addresses/email/search",
                                                    {"channelAddressList": ["a@x.example"]})),
    ("subscribers.write", "REST contact", rest("POST", "contacts/v1/contacts", {
        "contactKey": "C1", "attributeSets": [{"name": "People", "items": [
            {"values": [{"name": "Email", "value": "f@x.example"}]}]}]})),
    ("subscribers.write", "SOAP create subscriber", write("Create", SUBSCRIBER)),
    ("subscribers.write", "SOAP create list", write("Create", LIST)),
    ("subscribers.write", "SOAP delete subscriber", soap(
        "Delete", '<et:DeleteRequest><et:Options/><et:Objects xsi:type="et:Subscriber">'
                  "<et:SubscriberKey>k1</et:SubscriberKey></et:Objects></et:DeleteRequest>")),
    ("journeys.execute", "REST entry event", rest("POST", "interaction/v1/events", {
        "ContactKey": "C1", "EventDefinitionKey": "E"})),
    ("email.send", "REST triggered send", rest(
        "POST", "messaging/v1/messageDefinitionSends/key:T/send",
        {"To": {"Address": "g@x.example"}})),
    ("campaigns.read", "REST campaigns", rest("GET", "hub/v1/campaigns")),
    ("campaigns.write", "REST create campaign", rest("POST", "hub/v1/campaigns", {"name": "N"})),
    ("content.read", "REST assets", rest("GET", "asset/v1/content/assets")),
    ("content.read", "REST asset query", rest("POST", "asset/v1/content/assets/query", {
        "query": {"property": "name", "simpleOperator": "equal", "value": "x"}})),
    ("content.read", "REST categories", rest("GET", "asset/v1/content/categories")),
    ("content.write", "REST create asset", rest("POST", "asset/v1/content/assets", {
        "name": "A", "assetType": {"id": 208}})),
    ("content.write", "REST create category", rest("POST", "asset/v1/content/categories",
                                                    {"name": "F"})),
    ("email.read", "SOAP emails", retrieve("Email", "Name")),
    ("email.read", "SOAP folders", retrieve("DataFolder", "Name")),
    ("email.write", "SOAP create email", write("Create", EMAIL)),
    ("email.write", "REST message definition", rest("POST", "messaging/v1/email/definitions",
                                                     {"definitionKey": "d", "name": "D"})),
    ("sends.read", "SOAP sends", retrieve("Send", "ID")),
    ("sends.write", "SOAP list send", write("Create", '<et:Objects xsi:type="et:Send">'
                                                      "<et:Email><et:ID>1000</et:ID></et:Email>"
                                                      "<et:List><et:ID>7</et:ID></et:List>"
                                                      "</et:Objects>")),
    ("tracking.read", "SOAP sent events", retrieve("SentEvent", "SubscriberKey")),
    ("tracking.write", "SOAP create an event", write("Create", '<et:Objects '
                                                               'xsi:type="et:OpenEvent" />')),
    ("ens.read", "REST callbacks", rest("GET", "platform/v1/ens-callbacks")),
    ("ens.write", "REST create callback", rest("POST", "platform/v1/ens-callbacks", [
        {"callbackName": "C", "url": "https://hooks.example.com/ens"}])),
    ("messages.send", "REST transactional message", rest(
        "POST", "messaging/v1/email/messages/m-1",
        {"definitionKey": "d", "recipient": {"contactKey": "C", "to": "c@x.example"}})),
    ("messages.read", "REST message definitions", rest("GET",
                                                       "messaging/v1/email/definitions")),
]


def caller_with(cloud: Cloud, scopes: set[str]) -> SoapCaller:
    cloud.service("sfmc").seed_tenant(SUB, state=STATE, credentials=[
        {"client_id": "pkg", "client_secret": "s", "scopes": sorted(scopes)}])
    return SoapCaller(AUTH, "pkg")


def refused(answer: requests.Response, scope: str) -> bool:
    if answer.headers.get("Content-Type", "").startswith("text/xml"):
        return answer.status_code == 500 and "<soap:Fault>" in answer.text and \
            scope in answer.text
    return answer.status_code == 403 and answer.json()["errorcode"] == facts.NO_PRIVILEGE


def allowed(answer: requests.Response) -> bool:
    if answer.headers.get("Content-Type", "").startswith("text/xml"):
        return answer.status_code == 200 and "<soap:Fault>" not in answer.text and \
            "Insufficient" not in answer.text
    return answer.status_code < 300


@pytest.mark.parametrize(("operation", "what", "go"), TABLE, ids=[t[1] for t in TABLE])
def test_a_package_without_the_scope_is_refused_and_changes_nothing(
        cloud: Cloud, operation: str, what: str, go: Call) -> None:
    needed = facts.SCOPES[operation]
    caller = caller_with(cloud, set(facts.DEFAULT_SCOPES) - {needed})
    before = cloud.service("sfmc").snapshot(SUB)
    answer = go(caller)
    assert refused(answer, needed), (answer.status_code, answer.text[:300])
    assert cloud.service("sfmc").snapshot(SUB) == before


@pytest.mark.parametrize(("operation", "what", "go"), TABLE, ids=[t[1] for t in TABLE])
def test_a_package_with_only_that_scope_is_let_through(
        cloud: Cloud, operation: str, what: str, go: Call) -> None:
    answer = go(caller_with(cloud, {facts.SCOPES[operation]}))
    assert allowed(answer), (answer.status_code, answer.text[:300])


def test_every_area_and_kind_is_in_the_table() -> None:
    """The table covers every scope rule there is (a new one gets its rows)."""
    assert {operation for operation, _, _ in TABLE} == set(facts.SCOPES)
    assert {transport for _, what, _ in TABLE for transport in what.split()[:1]} == \
        {"REST", "SOAP"}


STORES = [extensions.DataExtensionStore, rowset.RowQueries, subscribers.SubscriberStore,
          contacts.ContactStore, engagement.Engagement, content.ContentStore,
          emails.EmailStore, folders.FolderStore, ens.EnsStore, messaging.Messaging]
UNSCOPED = {"get", "find", "by_id", "apply_due", "seed", "snapshot", "get_list", "restore",
            "set_status", "render", "email", "triggered_send", "implicit", "root", "check",
            "callback", "happened", "flush"}


@pytest.mark.parametrize("store", STORES, ids=lambda s: s.__name__)
def test_every_public_operation_of_the_model_checks_its_scope(store: type) -> None:
    """A model operation a view can call names its scope (and so takes the lock); only
    look-ups other operations use, and seeding, do not."""
    for name, member in inspect.getmembers(store, inspect.isfunction):
        if name.startswith("_") or name in UNSCOPED:
            continue
        assert getattr(member, "operation", None) in facts.SCOPES, \
            f"{store.__name__}.{name} checks no scope"
