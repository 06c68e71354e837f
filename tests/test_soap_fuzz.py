"""Fuzzing SFMC's SOAP API (issue 26): envelopes drawn from every valid request shape the
tests use (Retrieve with filters, the writes, Perform, Describe), mutated (wrong types,
unknown names, odd text, bad nesting, missing parts), plus arbitrary bytes. Every answer is a
SOAP envelope with HTTP 200 or a documented fault (HTTP 500), never a traceback; the state
still snapshots and restores afterwards. Against a server too (issue 32), with the valid shapes
scaled past every limit and declared in any encoding: its peak memory stays within 200 MB of
where it started and another tenant's state never changes. `VENDORSIM_FUZZ_EXAMPLES` sets the
count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.soap_helpers import SoapCaller, envelope
from vendorsim import mock_vendors

SUB = "mc-fuzz"
EXAMPLES = int(os.environ.get("VENDORSIM_FUZZ_EXAMPLES", "300"))
TYPES = ["DataExtensionObject[people]", "DataExtensionObject[nope]", "DataExtension",
         "DataExtensionField", "Subscriber", "List", "ListSubscriber", "Email", "", "x" * 300]
PROPS = ["Email", "Age", "Joined", "SubscriberKey", "EmailAddress", "Status", "ListID", "ID",
         "ListName", "CustomerKey", "Name", "DataExtension.CustomerKey", "", "Nope"]
OPERATORS = ["equals", "notEquals", "greaterThan", "lessThan", "greaterThanOrEqual",
             "lessThanOrEqual", "isNull", "isNotNull", "IN", "like", "between", "beginsWith",
             "contains", "bogus", ""]
values = st.one_of(st.sampled_from(["1", "-5", "2026-01-05", "2026-01-05T00:00:00", "%a%_",
                                    "true", "ann@x.example", "", "9" * 40, "NaN"]),
                   st.text(max_size=30).map(lambda t: escape(t.replace("\x00", ""))))


WRAP = "FILTERPARTNAME"  # the element a filter part is wrapped in, filled in by its parent


def tag(name: str, inner: str) -> str:
    return f"<et:{name}>{inner}</et:{name}>"


@st.composite
def filters(draw: st.DrawFn, depth: int = 0) -> str:
    if depth < 3 and draw(st.booleans()):
        left, right = draw(filters(depth + 1)), draw(filters(depth + 1))
        op = draw(st.sampled_from(["AND", "OR", "XOR", ""]))
        return (f'<et:{WRAP} xsi:type="et:ComplexFilterPart">'
                f'{left.replace(WRAP, "LeftOperand")}{tag("LogicalOperator", op)}'
                f'{right.replace(WRAP, "RightOperand")}</et:{WRAP}>')
    kind = draw(st.sampled_from(["SimpleFilterPart", "ComplexFilterPart", "Other", ""]))
    vals = "".join(tag(draw(st.sampled_from(["Value", "DateValue"])), v)
                   for v in draw(st.lists(values, max_size=3)))
    return (f'<et:{WRAP} xsi:type="et:{kind}">{tag("Property", draw(st.sampled_from(PROPS)))}'
            f"{tag('SimpleOperator', draw(st.sampled_from(OPERATORS)))}{vals}</et:{WRAP}>")


@st.composite
def bodies(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["retrieve", "write", "perform", "describe", "junk"]))
    if kind == "retrieve":
        props = "".join(tag("Properties", p) for p in draw(st.lists(st.sampled_from(PROPS),
                                                                    max_size=4)))
        flt = draw(filters()).replace(WRAP, "Filter") if draw(st.booleans()) else ""
        cont = tag("ContinueRequest", draw(values)) if draw(st.booleans()) else ""
        return tag("RetrieveRequestMsg", tag("RetrieveRequest", tag(
            "ObjectType", draw(st.sampled_from(TYPES))) + props + flt + cont))
    if kind == "write":
        action = draw(st.sampled_from(["Create", "Update", "Delete"]))
        objects = ""
        for _ in range(draw(st.integers(0, 3))):
            xsi = draw(st.sampled_from(["DataExtensionObject", "Subscriber", "List",
                                        "DataExtension", "Email", ""]))
            fields = "".join(tag(draw(st.sampled_from(
                ["CustomerKey", "Name", "SubscriberKey", "EmailAddress", "Status", "ID",
                 "ListName", "Type", "Lists", "Fields", "Attributes"])), draw(values))
                for _ in range(draw(st.integers(0, 4))))
            props = "".join(tag("Property", tag("Name", draw(st.sampled_from(PROPS))) +
                                tag("Value", draw(values)))
                            for _ in range(draw(st.integers(0, 3))))
            holder = draw(st.sampled_from(["Properties", "Keys"]))
            if holder == "Keys":
                props = props.replace("Property", "Key")
            objects += f'<et:Objects xsi:type="et:{xsi}">{fields}{tag(holder, props)}</et:Objects>'

        upsert = draw(st.sampled_from(["", "<et:SaveOptions><et:SaveOption><et:PropertyName>*"
                                           "</et:PropertyName><et:SaveAction>UpdateAdd"
                                           "</et:SaveAction></et:SaveOption></et:SaveOptions>"]))
        return tag(f"{action}Request", tag("Options", upsert) + objects)
    if kind == "perform":
        return tag("PerformRequestMsg", tag("Action", draw(st.sampled_from(
            ["ClearData", "Start", ""]))) + tag("Definitions", tag("Definition", tag(
                "CustomerKey", draw(values)))))
    if kind == "describe":
        return tag("DefinitionRequestMsg", tag("DescribeRequests", tag(
            "ObjectDefinitionRequest", tag("ObjectType", draw(st.sampled_from(TYPES))))))
    return draw(st.text(max_size=200).map(escape))


def check(answer: requests.Response) -> None:
    assert answer.status_code in (200, 500), answer.text[:500]
    assert "<soap:Envelope" in answer.text and "Traceback" not in answer.text
    if answer.status_code == 500:
        assert "<soap:Fault>" in answer.text


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=bodies(), raw=st.binary(max_size=300), use_raw=st.booleans())
def test_no_soap_body_breaks_the_mock(body: str, raw: bytes, use_raw: bool) -> None:
    with mock_vendors(clock="virtual") as cloud:
        service = cloud.service("sfmc")
        service.seed_tenant(SUB, state={
            "data_extensions": [{"name": "People", "key": "people", "fields": [
                {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
                {"name": "Age", "type": "Number"}, {"name": "Joined", "type": "Date"}],
                "rows": [{"Email": "ann@x.example", "Age": 3}]}],
            "lists": [{"id": 7, "name": "L"}],
            "subscribers": [{"key": "k", "email": "k@x.example", "lists": [{"id": 7}]}]})
        soap = SoapCaller(f"https://{SUB}.auth.marketingcloudapis.com")
        data = raw if use_raw else envelope(body, soap.token).encode()
        check(requests.post(soap.url, data=data, headers={"Content-Type": "text/xml"}))
        saved = service.snapshot(SUB)
        service.restore(saved)  # whatever was written still loads
        assert service.snapshot(SUB)["tenants"][SUB]["state"] == saved["tenants"][SUB]["state"]


# -- against a server: sizes, encodings, another tenant, memory -----------------------------
ENCODINGS = ["UTF-8", "utf-8", "ISO-8859-1", "UTF-16", "x-klingon", "ascii", ""]


@st.composite
def big_bodies(draw: st.DrawFn) -> str:
    """A valid shape scaled towards and past the limits: many Properties, many Objects,
    long text, many filter operands."""
    times = draw(st.sampled_from([1, 10, 1000, 3000, 5000]))
    kind = draw(st.sampled_from(["properties", "objects", "text", "operands"]))
    if kind == "properties":
        props = "".join(tag("Properties", f"P{n % draw(st.sampled_from([1, 7, times]))}")
                        for n in range(times))
        return tag("RetrieveRequestMsg", tag("RetrieveRequest", tag(
            "ObjectType", "DataExtensionObject[people]") + props))
    if kind == "objects":
        xsi = draw(st.sampled_from(["DataExtensionObject", "List", "Subscriber"]))
        one = (f'<et:Objects xsi:type="et:{xsi}">{tag("CustomerKey", "people")}'
               f'{tag("ListName", "L")}{tag("SubscriberKey", "k")}'
               f'{tag("EmailAddress", "k@x.example")}</et:Objects>')
        return tag("CreateRequest", tag("Options", "") + one * times)
    if kind == "text":
        return tag("RetrieveRequestMsg", tag("RetrieveRequest", tag(
            "ObjectType", "x" * times * 100) + tag("Properties", "Email")))
    simple = (f'<et:Operand xsi:type="et:SimpleFilterPart">{tag("Property", "Email")}'
              f'{tag("SimpleOperator", "equals")}{tag("Value", "a@x.example")}</et:Operand>')
    return tag("RetrieveRequestMsg", tag("RetrieveRequest", tag(
        "ObjectType", "DataExtensionObject[people]") + tag("Properties", "Email") + tag(
        "Filter", tag("LeftOperand", "") + tag("LogicalOperator", "OR") +
        tag("RightOperand", "") + tag("AdditionalOperands", simple * times))))


def encoded(body: str, token: str | None, encoding: str) -> bytes:
    text = envelope(body, token)
    if not encoding:
        return text.encode()
    text = text.replace('encoding="UTF-8"', f'encoding="{encoding}"')
    try:
        return text.encode(encoding)
    except LookupError:
        return text.encode()
    except UnicodeEncodeError:
        return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def server() -> Iterator[dict]:
    """One `vendorsim serve` process for the examples, on loopback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    urls: dict = {}
    for line in process.stdout:  # type: ignore[union-attr]
        if line.startswith("VENDORSIM_URLS "):
            urls = json.loads(line.split(" ", 1)[1])
            break
    assert urls, process.stderr.read()  # type: ignore[union-attr]
    cloud = urls["cloud"]
    for sub in (SUB, "mc-bystander"):
        requests.post(f"{urls['sfmc']}/__admin/tenants", json={"id": sub, "state": {
            "data_extensions": [{"name": "People", "key": "people", "fields": [
                {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True}],
                "rows": [{"Email": "ann@x.example"}]}],
            "lists": [{"id": 7, "name": "L"}]}}).raise_for_status()
    soap = SoapCaller(f"{urls['sfmc']}/{SUB}")
    yield {"process": process, "urls": urls, "soap": soap,
           "bystander": requests.get(f"{cloud}/__admin/state").json()}
    process.terminate()
    process.wait(timeout=30)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.skipif(not Path("/proc/self/status").exists(),
                    reason="reads the server's peak memory from /proc (Linux only)")
@settings(max_examples=max(20, EXAMPLES // 6), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(body=st.one_of(bodies(), big_bodies()), encoding=st.sampled_from(ENCODINGS))
def test_a_server_answers_every_body_within_its_memory(server: dict, body: str,
                                                       encoding: str) -> None:
    soap: SoapCaller = server["soap"]
    start = server.setdefault("start_rss", peak_rss_mb(server["process"].pid))
    answer = requests.post(soap.url, data=encoded(body, soap.token, encoding),
                           headers={"Content-Type": "text/xml"})
    check(answer)
    assert peak_rss_mb(server["process"].pid) - start < 200
    state = requests.get(f"{server['urls']['cloud']}/__admin/state").json()
    bystander = server["bystander"]["vendors"]["sfmc"]["tenants"]["mc-bystander"]
    assert state["vendors"]["sfmc"]["tenants"]["mc-bystander"] == bystander
