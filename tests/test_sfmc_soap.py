"""SFMC's SOAP API (issue 26, vendor-apis.md §7.1): transport, auth, faults, hostile XML,
Retrieve with filters and paging, writes, subscribers and lists, Perform, Describe, one state
with REST. Real clients (zeep, the Fuel SDK) and server mode: test_sfmc_soap_clients.py."""

from __future__ import annotations

import time

import pytest
import requests

from tests.soap_helpers import UPSERT, SoapCaller, envelope, row_object, simple
from vendorsim import Cloud
from vendorsim.mocks.sfmc import facts
from vendorsim.mocks.sfmc.model.scopes import SYSTEM

SUB = "mc-soap"
AUTH = f"https://{SUB}.auth.marketingcloudapis.com"
SOAP_HOST = f"https://{SUB}.soap.marketingcloudapis.com"
PEOPLE = {"name": "People", "key": "people", "fields": [
    {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
    {"name": "Age", "type": "Number"}, {"name": "Joined", "type": "Date"},
    {"name": "Tier", "type": "Text", "length": 20}]}
ROWS = [{"Email": "ann@x.example", "Age": 30, "Joined": "2026-01-05", "Tier": "gold"},
        {"Email": "bob@x.example", "Age": 41, "Joined": "2026-03-01", "Tier": "silver"},
        {"Email": "cy@x.example", "Age": 25, "Tier": ""}]


@pytest.fixture
def soap(cloud: Cloud) -> SoapCaller:
    cloud.service("sfmc").seed_tenant(SUB, state={
        "data_extensions": [{**PEOPLE, "rows": ROWS}],
        "lists": [{"id": 7, "name": "Newsletter"}]})
    return SoapCaller(AUTH)


def emails(results: list[dict]) -> list[str]:
    return sorted(r["Properties"]["Email"] for r in results)


def test_the_token_points_at_a_soap_endpoint_in_any_case(soap: SoapCaller) -> None:
    assert soap.url == f"{SOAP_HOST}/Service.asmx"
    for path in ("Service.asmx", "service.asmx", "SERVICE.ASMX"):
        answer = requests.post(f"{SOAP_HOST}/{path}", data=envelope(
            "<et:RetrieveRequestMsg><et:RetrieveRequest><et:ObjectType>List</et:ObjectType>"
            "<et:Properties>ListName</et:Properties></et:RetrieveRequest>"
            "</et:RetrieveRequestMsg>", soap.token),
            headers={"Content-Type": "text/xml", "SOAPAction": "Retrieve"})
        assert answer.status_code == 200 and "Newsletter" in answer.text
        assert answer.headers["Content-Type"].startswith("text/xml")


def test_the_wsdl_names_this_host_and_imports_its_fault_schema(soap: SoapCaller) -> None:
    for path in ("etframework.wsdl", "ETFramework.wsdl", "Service.asmx?wsdl"):
        wsdl = requests.get(f"{SOAP_HOST}/{path}")
        assert wsdl.status_code == 200
        assert f'location="{SOAP_HOST}/Service.asmx"' in wsdl.text
        assert f'schemaLocation="{SOAP_HOST}/ETFrameworkFault.xsd"' in wsdl.text
    assert requests.get(f"{SOAP_HOST}/ETFrameworkFault.xsd").status_code == 200


@pytest.mark.parametrize("token, fault", [
    (None, facts.NO_SECURITY_HEADER), ("not-a-token", facts.LOGIN_FAILED)])
def test_a_call_without_a_good_token_is_a_fault(soap: SoapCaller, token: str | None,
                                               fault: str) -> None:
    answer = soap.call("Retrieve", "<et:RetrieveRequestMsg/>", token=token)
    assert answer.status_code == 500 and f"<faultstring>{fault}</faultstring>" in answer.text


def test_an_expired_token_is_the_fault_sdks_retry_on(cloud: Cloud, soap: SoapCaller) -> None:
    cloud.clock.advance(facts.TOKEN_TTL)
    answer = soap.call("Retrieve", "<et:RetrieveRequestMsg/>")
    assert answer.status_code == 500
    assert "<faultstring>Token Expired</faultstring>" in answer.text


def test_the_legacy_oauth_header_and_another_tenants_token(cloud: Cloud,
                                                          soap: SoapCaller) -> None:
    legacy = (f'<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/'
              f'envelope/"><s:Header><oAuth xmlns="http://exacttarget.com"><oAuthToken>'
              f"{soap.token}</oAuthToken></oAuth></s:Header><s:Body><RetrieveRequestMsg "
              'xmlns="http://exacttarget.com/wsdl/partnerAPI"><RetrieveRequest><ObjectType>List'
              "</ObjectType><Properties>ID</Properties></RetrieveRequest></RetrieveRequestMsg>"
              "</s:Body></s:Envelope>")
    answer = requests.post(soap.url, data=legacy, headers={"Content-Type": "text/xml"})
    assert answer.status_code == 200 and "<ID>7</ID>" in answer.text
    other = SoapCaller("https://mc-other.auth.marketingcloudapis.com")
    refused = soap.call("Retrieve", "<et:RetrieveRequestMsg/>", token=other.token)
    assert refused.status_code == 500 and facts.LOGIN_FAILED in refused.text


def test_soap_throttling_is_http_500_on_the_tenants_limits(cloud: Cloud,
                                                          soap: SoapCaller) -> None:
    cloud.service("sfmc").set_limits(SUB, {"window_calls": 2, "window_seconds": 60})
    statuses = [soap.call("Retrieve", "<et:RetrieveRequestMsg><et:RetrieveRequest><et:Object"
                          "Type>List</et:ObjectType><et:Properties>ID</et:Properties>"
                          "</et:RetrieveRequest></et:RetrieveRequestMsg>").status_code
                for _ in range(3)]
    assert statuses == [200, 200, 500]
    cloud.clock.advance(60)
    assert soap.retrieve("List", ["ID"])[0] == "OK"


HOSTILE = {
    "entity bomb": '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                   '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                   '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>',
    "external entity": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                       '"file:///etc/passwd">]><x>&e;</x>',
    "deep": "<a>" * 5000 + "</a>" * 5000,
    "not xml": "{'json': true}",
    "truncated": '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">',
    "soap 1.2": '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>'
                "<x/></e:Body></e:Envelope>",
    "empty body": '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
                  "<soap:Body/></soap:Envelope>",
    "bad bytes": "\udcff",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_xml_is_a_fault_and_changes_nothing(cloud: Cloud, soap: SoapCaller,
                                                   name: str) -> None:
    before = cloud.service("sfmc").snapshot(SUB)
    started = time.perf_counter()
    answer = requests.post(soap.url, data=HOSTILE[name].encode("utf-8", "surrogateescape"),
                           headers={"Content-Type": "text/xml"})
    assert answer.status_code == 500 and "<soap:Fault>" in answer.text
    assert "Traceback" not in answer.text and time.perf_counter() - started < 5
    assert cloud.service("sfmc").snapshot(SUB) == before


@pytest.mark.parametrize("filter_xml, expected", [
    (simple("Tier", "equals", "GOLD"), ["ann@x.example"]),
    (simple("Tier", "notEquals", "gold"), ["bob@x.example", "cy@x.example"]),
    (simple("Age", "greaterThan", "30"), ["bob@x.example"]),
    (simple("Age", "lessThan", "30"), ["cy@x.example"]),
    (simple("Age", "greaterThanOrEqual", "30"), ["ann@x.example", "bob@x.example"]),
    (simple("Age", "lessThanOrEqual", "30"), ["ann@x.example", "cy@x.example"]),
    (simple("Tier", "isNull"), ["cy@x.example"]),
    (simple("Tier", "isNotNull"), ["ann@x.example", "bob@x.example"]),
    (simple("Age", "IN", "25", "41"), ["bob@x.example", "cy@x.example"]),
    (simple("Email", "like", "%n@x.%"), ["ann@x.example"]),
    (simple("Email", "like", "_ob@%"), ["bob@x.example"]),
    (simple("Age", "between", "26", "41"), ["ann@x.example", "bob@x.example"]),
    (simple("Joined", "greaterThan", "2026-02-01T00:00:00", tag="DateValue"),
     ["bob@x.example"]),
    ('<et:Filter xsi:type="et:ComplexFilterPart"><et:LeftOperand xsi:type="et:SimpleFilterPart">'
     "<et:Property>Age</et:Property><et:SimpleOperator>greaterThan</et:SimpleOperator>"
     "<et:Value>26</et:Value></et:LeftOperand><et:LogicalOperator>AND</et:LogicalOperator>"
     '<et:RightOperand xsi:type="et:SimpleFilterPart"><et:Property>Tier</et:Property>'
     "<et:SimpleOperator>equals</et:SimpleOperator><et:Value>silver</et:Value>"
     "</et:RightOperand></et:Filter>", ["bob@x.example"]),
    ('<et:Filter xsi:type="et:ComplexFilterPart"><et:LeftOperand xsi:type="et:SimpleFilterPart">'
     "<et:Property>Age</et:Property><et:SimpleOperator>equals</et:SimpleOperator>"
     "<et:Value>25</et:Value></et:LeftOperand><et:LogicalOperator>OR</et:LogicalOperator>"
     '<et:RightOperand xsi:type="et:SimpleFilterPart"><et:Property>Age</et:Property>'
     "<et:SimpleOperator>equals</et:SimpleOperator><et:Value>30</et:Value></et:RightOperand>"
     '<et:AdditionalOperands><et:Operand xsi:type="et:SimpleFilterPart"><et:Property>Age'
     "</et:Property><et:SimpleOperator>equals</et:SimpleOperator><et:Value>41</et:Value>"
     "</et:Operand></et:AdditionalOperands></et:Filter>",
     ["ann@x.example", "bob@x.example", "cy@x.example"]),
])
def test_retrieve_rows_with_each_filter(soap: SoapCaller, filter_xml: str,
                                        expected: list[str]) -> None:
    status, _, results = soap.retrieve("DataExtensionObject[people]", ["Email", "Age"],
                                       filter_xml)
    assert status == "OK" and emails(results) == expected
    assert all(r["_type"] == "DataExtensionObject" for r in results)


def test_rows_read_as_rest_reads_them_and_only_what_was_asked(soap: SoapCaller) -> None:
    _, _, results = soap.retrieve("DataExtensionObject[People]", ["Email", "Joined"],
                                  simple("Email", "equals", "ann@x.example"))
    assert results[0]["Properties"] == {"Email": "ann@x.example",
                                        "Joined": "1/5/2026 12:00:00 AM"}


@pytest.mark.parametrize("object_type, props, filter_xml, error", [
    ("DataExtensionObject[people]", ["Nope"], "", "do not match with the fields"),
    ("DataExtensionObject[people]", [], "", "Properties(s) are required"),
    ("DataExtensionObject[missing]", ["Email"], "", "does not exist"),
    ("Account", ["ID"], "", "Unable to retrieve ObjectType 'Account'"),
    ("DataExtensionObject[people]", ["Email"], simple("Age", "equals", "old"), "not valid"),
    ("DataExtensionObject[people]", ["Email"], simple("Age", "sortOf", "1"), "SimpleOperator"),
    ("DataExtensionObject[people]", ["Email"], simple("Nope", "equals", "1"), "not a property"),
    ("Subscriber", ["SubscriberKey"], simple("Age", "equals", "1"), "not a property"),
])
def test_a_bad_retrieve_answers_error_in_overall_status(soap: SoapCaller, object_type: str,
                                                        props: list[str], filter_xml: str,
                                                        error: str) -> None:
    status, _, results = soap.retrieve(object_type, props, filter_xml)
    assert status.startswith("Error: ") and error in status and results == []


def test_retrieve_pages_at_2500_with_continue_request(cloud: Cloud, soap: SoapCaller) -> None:
    account = cloud.sfmc(SUB)
    account.data.upsert_rows(SYSTEM, "people", [
        {"keys": {"Email": f"p{n}@bulk.example"}, "values": {"Age": n}} for n in range(5001)])
    status, request_id, first = soap.retrieve("DataExtensionObject[people]", ["Email"],
                                              simple("Email", "like", "%@bulk.example"))
    assert (status, len(first)) == ("MoreDataAvailable", 2500)
    status, again, second = soap.retrieve("", [], cont=request_id)
    assert (status, again, len(second)) == ("MoreDataAvailable", request_id, 2500)
    status, _, last = soap.retrieve("", [], cont=request_id)
    assert (status, len(last)) == ("OK", 1)
    assert len(set(emails(first + second + last))) == 5001
    status, _, _ = soap.retrieve("", [], cont=request_id)
    assert status.startswith("Error: ") and "unknown or finished" in status


def test_data_extensions_and_their_fields(soap: SoapCaller) -> None:
    _, _, found = soap.retrieve("DataExtension", ["Name", "CustomerKey", "ObjectID"])
    assert [(d["Name"], d["CustomerKey"]) for d in found] == [("People", "people")]
    _, _, fields = soap.retrieve("DataExtensionField", ["Name", "FieldType", "IsPrimaryKey",
                                                        "MaxLength", "Ordinal"],
                                 simple("DataExtension.CustomerKey", "equals", "people"))
    assert [(f["Name"], f["FieldType"], f["IsPrimaryKey"]) for f in fields] == [
        ("Email", "EmailAddress", "true"), ("Age", "Number", "false"),
        ("Joined", "Date", "false"), ("Tier", "Text", "false")]
    assert fields[3]["MaxLength"] == "20" and fields[0]["Ordinal"] == "0"


def test_rows_written_over_soap_are_read_over_rest_and_back(cloud: Cloud,
                                                          soap: SoapCaller) -> None:
    status, results = soap.write("Create", row_object("people", Email="dee@x.example", Age=7))
    assert status == "OK" and results[0]["StatusCode"] == "OK" and results[0]["NewID"] == "0"
    auth = {"Authorization": f"Bearer {soap.token}"}
    rest = requests.get(f"{soap.rest}data/v1/customobjectdata/key/people/rowset",
                        headers=auth, params={"$filter": "Email eq 'dee@x.example'"}).json()
    assert rest["items"][0]["values"]["age"] == "7"
    requests.post(f"{soap.rest}hub/v1/dataevents/key:people/rowset", headers=auth,
                  json=[{"keys": {"Email": "eve@x.example"}, "values": {"Age": 9}}])
    _, _, found = soap.retrieve("DataExtensionObject[people]", ["Age"],
                                simple("Email", "equals", "eve@x.example"))
    assert found[0]["Properties"] == {"Age": "9"}


def test_create_update_upsert_delete_rows_with_per_object_results(cloud: Cloud,
                                                                 soap: SoapCaller) -> None:
    status, results = soap.write("Create", row_object("people", Email="ann@x.example") +
                                 row_object("people", Email="new@x.example"))
    assert status == "Has Errors"
    assert [(r["StatusCode"], r["OrdinalID"], r.get("ErrorCode")) for r in results] == [
        ("Error", "0", str(facts.DUPLICATE_ROW)), ("OK", "1", None)]
    assert soap.write("Update", row_object("people", Email="zed@x.example", Age=1))[0] == \
        "Error"
    assert soap.write("Update", row_object("people", Email="zed@x.example", Age=1),
                      UPSERT)[0] == "OK"
    assert soap.write("Create", row_object("people", Email="ann@x.example", Age=99),
                      UPSERT)[0] == "OK"
    assert soap.write("Create", row_object("people", Email="bad@x.example",
                                           Age="old"))[1][0]["StatusCode"] == "Error"
    assert soap.write("Delete", row_object("people", "Keys", Email="bob@x.example"))[0] == "OK"
    assert soap.write("Delete", row_object("people", "Keys", Email="bob@x.example"))[0] == \
        "Error"
    rows = {r["Email"]: r for r in cloud.sfmc(SUB).get("people").rows.values()}
    assert set(rows) == {"ann@x.example", "cy@x.example", "new@x.example", "zed@x.example"}
    assert str(rows["ann@x.example"]["Age"]) == "99"


SUBSCRIBER = ('<et:Objects xsi:type="et:Subscriber"><et:EmailAddress>{email}</et:EmailAddress>'
              "<et:SubscriberKey>{key}</et:SubscriberKey>{extra}</et:Objects>")


def subscriber(key: str, email: str, extra: str = "") -> str:
    return SUBSCRIBER.format(key=key, email=email, extra=extra)


def test_subscribers_lists_and_memberships(cloud: Cloud, soap: SoapCaller) -> None:
    on_list = "<et:Lists><et:ID>7</et:ID><et:Status>Active</et:Status></et:Lists>"
    status, results = soap.write("Create", subscriber("k1", "k1@x.example", on_list))
    assert status == "OK" and results[0]["NewID"] == "1"
    status, results = soap.write("Create", subscriber("K1", "k1@x.example"))
    assert (status, results[0]["ErrorCode"]) == ("Error", str(facts.DUPLICATE_SUBSCRIBER))
    assert soap.write("Create", subscriber("k2", "not-an-email"))[0] == "Error"
    assert soap.write("Update", subscriber("k1", "k1@x.example",
                                           "<et:Status>Unsubscribed</et:Status>"))[0] == "OK"
    _, _, found = soap.retrieve("Subscriber", ["SubscriberKey", "Status", "UnsubscribedDate"],
                                simple("SubscriberKey", "equals", "k1"))
    assert found[0]["Status"] == "Unsubscribed" and found[0]["UnsubscribedDate"]
    _, _, members = soap.retrieve("ListSubscriber", ["ListID", "SubscriberKey", "Status"],
                                  simple("ListID", "equals", "7"))
    assert [(m["ListID"], m["SubscriberKey"]) for m in members] == [("7", "k1")]
    status, results = soap.write("Create", '<et:Objects xsi:type="et:List"><et:ListName>VIP'
                                           "</et:ListName></et:Objects>")
    vip = results[0]["NewID"]
    assert status == "OK" and soap.write("Update", f'<et:Objects xsi:type="et:List"><et:ID>{vip}'
                                                   "</et:ID><et:Description>best</et:Description>"
                                                   "</et:Objects>")[0] == "OK"
    assert soap.write("Delete", f'<et:Objects xsi:type="et:List"><et:ID>{vip}</et:ID>'
                                "</et:Objects>")[0] == "OK"
    assert soap.write("Delete", subscriber("k1", "k1@x.example"))[0] == "OK"
    assert cloud.sfmc(SUB).audience.subscribers == {}


def test_subscribers_and_lists_round_trip_through_the_state(cloud: Cloud,
                                                           soap: SoapCaller) -> None:
    soap.write("Create", subscriber("k1", "k1@x.example",
                                    "<et:Lists><et:ID>7</et:ID></et:Lists>"))
    admin = f"https://{SUB}.rest.marketingcloudapis.com/__admin/state"
    saved = requests.get(admin).json()
    assert saved["tenants"][SUB]["state"]["subscribers"][0]["lists"] == [
        {"id": 7, "status": "Active"}]
    requests.post(f"https://{SUB}.rest.marketingcloudapis.com/__admin/reset")
    assert requests.put(admin, json=saved).status_code == 200
    assert requests.get(admin).json()["tenants"][SUB]["state"]["subscribers"] == \
        saved["tenants"][SUB]["state"]["subscribers"]


@pytest.mark.parametrize("state", [
    {"subscribers": [{"key": "a", "email": "nope"}]},
    {"subscribers": [{"key": "a", "email": "a@x.example", "lists": [{"id": 99}]}]},
    {"lists": [{"id": "x", "name": "L"}]},
    {"lists": [{"name": ""}]},
    {"subscribers": "a"},
])
def test_bad_subscriber_seeds_are_refused_whole(cloud: Cloud, state: dict) -> None:
    with pytest.raises(ValueError):
        cloud.service("sfmc").seed_tenant(SUB, state=state)
    assert cloud.sfmc(SUB).audience.subscribers == {}


def test_perform_clear_data_and_describe(cloud: Cloud, soap: SoapCaller) -> None:
    msg = soap.body("Perform", "<et:PerformRequestMsg><et:Options/><et:Action>ClearData"
                               '</et:Action><et:Definitions><et:Definition xsi:type="et:Data'
                               'Extension"><et:CustomerKey>people</et:CustomerKey>'
                               "</et:Definition></et:Definitions></et:PerformRequestMsg>")
    assert "OK" in [c.text for c in msg.iter() if c.tag.endswith("OverallStatus")]
    assert cloud.sfmc(SUB).get("people").rows == {}
    described = soap.body("Describe", "<et:DefinitionRequestMsg><et:DescribeRequests>"
                                      "<et:ObjectDefinitionRequest><et:ObjectType>Subscriber"
                                      "</et:ObjectType></et:ObjectDefinitionRequest>"
                                      "</et:DescribeRequests></et:DefinitionRequestMsg>")
    names = [c.text for c in described.iter() if c.tag.endswith("}Name")]
    assert "SubscriberKey" in names and "EmailAddress" in names


def test_a_data_extension_created_over_soap_takes_rest_rows(cloud: Cloud,
                                                           soap: SoapCaller) -> None:
    created = ('<et:Objects xsi:type="et:DataExtension"><et:CustomerKey>leads</et:CustomerKey>'
               "<et:Name>Leads</et:Name><et:Fields><et:Field><et:Name>Id</et:Name><et:FieldType>"
               "Text</et:FieldType><et:IsPrimaryKey>true</et:IsPrimaryKey><et:MaxLength>36"
               "</et:MaxLength></et:Field><et:Field><et:Name>Score</et:Name><et:FieldType>"
               "Number</et:FieldType></et:Field></et:Fields></et:Objects>")
    assert soap.write("Create", created)[0] == "OK"
    auth = {"Authorization": f"Bearer {soap.token}"}
    requests.post(f"{soap.rest}hub/v1/dataevents/key:leads/rowset", headers=auth,
                  json=[{"keys": {"Id": "L1"}, "values": {"Score": 5}}]).raise_for_status()
    assert soap.write("Create", created)[0] == "Error"  # the key is taken
    assert soap.write("Delete", '<et:Objects xsi:type="et:DataExtension"><et:CustomerKey>'
                                "leads</et:CustomerKey></et:Objects>")[0] == "OK"
    assert "leads" not in cloud.sfmc(SUB).extensions


def test_writes_need_the_packages_scope(cloud: Cloud) -> None:
    cloud.service("sfmc").seed_tenant(SUB, state={"data_extensions": [PEOPLE]}, credentials=[
        {"client_id": "reader", "client_secret": "s", "scopes": ["data_extensions_read"]}])
    reader = SoapCaller(AUTH, "reader")
    assert reader.retrieve("DataExtensionObject[people]", ["Email"])[0] == "OK"
    answer = reader.call("Create", "<et:CreateRequest><et:Options/>" +
                         row_object("people", Email="x@x.example") + "</et:CreateRequest>")
    assert answer.status_code == 500 and "data_extensions_write" in answer.text


def test_an_injected_fault_on_soap_is_a_soap_fault(cloud: Cloud, soap: SoapCaller) -> None:
    cloud.add_fault(status=503, path="(?i)service.asmx", times=1)
    answer = soap.call("Retrieve", "<et:RetrieveRequestMsg/>")
    assert answer.status_code == 503 and "<soap:Fault>" in answer.text
    cloud.add_fault(chaos="throttle", path="(?i)service.asmx", times=1)
    throttled = soap.call("Retrieve", "<et:RetrieveRequestMsg/>")
    assert throttled.status_code == 500 and facts.SOAP_THROTTLED in throttled.text


def test_unimplemented_operations_say_so(soap: SoapCaller) -> None:
    answer = soap.call("Execute", "<et:ExecuteRequestMsg/>")
    assert answer.status_code == 500 and "not implemented by vendorsim" in answer.text


def test_the_dashboard_shows_subscribers_and_lists(cloud: Cloud, soap: SoapCaller) -> None:
    soap.write("Create", subscriber("k1", "k1@x.example"))
    try:
        summary = requests.get(cloud.dashboard() + "summary.json", timeout=10)
    finally:
        cloud.close_dashboard()
    (tenant,) = summary.json()["vendors"]["sfmc"]
    counts = {c["name"]: c["count"] for c in tenant["state"]}
    assert counts["subscribers"] == 1 and counts["lists"] == 1


def test_a_data_extension_is_named_by_its_key_or_else_its_name(cloud: Cloud,
                                                              soap: SoapCaller) -> None:
    cloud.service("sfmc").seed_tenant(SUB, state={"data_extensions": [
        {"name": "Leads", "key": "k-leads", "fields": [
            {"name": "Id", "type": "Text", "isPrimaryKey": True}], "rows": [{"Id": "L1"}]}]})
    for name in ("k-leads", "Leads"):
        status, _, found = soap.retrieve(f"DataExtensionObject[{name}]", ["Id"])
        assert (status, [r["Properties"] for r in found]) == ("OK", [{"Id": "L1"}])
    named = ('<et:Objects xsi:type="et:DataExtensionObject"><et:Name>Leads</et:Name>'
             "<et:Properties><et:Property><et:Name>Id</et:Name><et:Value>L2</et:Value>"
             "</et:Property></et:Properties></et:Objects>")
    assert soap.write("Create", named)[0] == "OK"
    assert len(cloud.sfmc(SUB).get("k-leads").rows) == 2
