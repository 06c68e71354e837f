"""Bounded SOAP (issue 32): every limit SFMC's SOAP front has, or vendorsim chose where SFMC
publishes none (docs/reference/sfmc.md), answers a fault before any work is done and changes
nothing: elements and depth counted while parsing (no tree of the attack is ever built), an
unknown encoding, the size of a body, Properties a Retrieve names, objects a write carries,
open Retrieve cursors (which hold record keys, never answers). A server's memory stays
bounded under a 30 MB hostile body (RSS measured in its own process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.soap_helpers import SoapCaller, envelope, flat, local, row_object, text
from vendorsim import Cloud
from vendorsim.mocks.sfmc import facts

SUB = "mc-bounds"
OTHER = "mc-other"
PEOPLE = {"name": "People", "key": "people", "fields": [
    {"name": "Email", "type": "EmailAddress", "isPrimaryKey": True},
    {"name": "Age", "type": "Number"}]}


def seeded(cloud: Cloud, rows: int = 1) -> SoapCaller:
    for sub in (SUB, OTHER):
        cloud.service("sfmc").seed_tenant(sub, state={"data_extensions": [
            {**PEOPLE, "rows": [{"Email": f"p{n}@x.example", "Age": n} for n in range(rows)]}]})
    return SoapCaller(f"https://{SUB}.auth.marketingcloudapis.com")


def retrieve_body(inner: str) -> str:
    return ("<et:RetrieveRequestMsg><et:RetrieveRequest><et:ObjectType>"
            f"DataExtensionObject[people]</et:ObjectType>{inner}</et:RetrieveRequest>"
            "</et:RetrieveRequestMsg>")


def fault(answer: requests.Response, words: str) -> None:
    assert answer.status_code == 500, answer.text[:300]
    assert "<soap:Fault>" in answer.text and words in answer.text, answer.text[:300]


@pytest.fixture
def soap(cloud: Cloud) -> SoapCaller:
    return seeded(cloud, rows=3)


def unchanged(cloud: Cloud, before: dict) -> None:
    assert cloud.service("sfmc").snapshot() == before


def test_many_empty_elements_are_refused_while_parsing(cloud: Cloud, soap: SoapCaller) -> None:
    before = cloud.service("sfmc").snapshot()
    body = retrieve_body("<et:Properties>Email</et:Properties>" +
                         "<a/>" * (facts.MAX_XML_ELEMENTS + 10))
    fault(soap.call("Retrieve", body), f"{facts.MAX_XML_ELEMENTS:,} elements")
    unchanged(cloud, before)


def test_deep_nesting_is_refused_while_parsing(cloud: Cloud, soap: SoapCaller) -> None:
    depth = facts.MAX_XML_DEPTH + 5
    fault(soap.call("Retrieve", retrieve_body("<a>" * depth + "</a>" * depth)), "deeper")


@pytest.mark.parametrize("encoding", ["x-klingon", "ebcdic-cp-us", "utf-16"])
def test_an_encoding_it_cannot_read_is_a_fault_not_an_error(
        cloud: Cloud, soap: SoapCaller, encoding: str) -> None:
    data = envelope(retrieve_body("<et:Properties>Email</et:Properties>"), soap.token) \
        .replace('encoding="UTF-8"', f'encoding="{encoding}"').encode()
    answer = requests.post(soap.url, data=data, headers={"Content-Type": "text/xml"})
    assert answer.status_code == 500 and "<soap:Fault>" in answer.text, answer.text[:300]
    assert "Traceback" not in answer.text and not answer.text.startswith("{")


def test_a_body_over_the_size_limit_is_refused_unread(cloud: Cloud, soap: SoapCaller) -> None:
    padding = " " * (facts.MAX_SOAP_BODY + 1)
    fault(soap.call("Retrieve", retrieve_body("<et:Properties>Email</et:Properties>") +
                    padding), "MB")


def test_a_retrieve_names_a_bounded_number_of_properties(cloud: Cloud,
                                                         soap: SoapCaller) -> None:
    many = "".join(f"<et:Properties>P{n}</et:Properties>"
                   for n in range(facts.MAX_RETRIEVE_PROPERTIES + 1))
    fault(soap.call("Retrieve", retrieve_body(many)), "Properties")
    repeated = "<et:Properties>Email</et:Properties>" * 50_000  # one property, named often
    status, _, rows = _retrieve_raw(soap, retrieve_body(repeated))
    assert status == "OK" and len(rows) == 3 and all(set(r) == {"Email"} for r in rows)


def _retrieve_raw(soap: SoapCaller, body: str) -> tuple[str, str, list[dict]]:
    msg = soap.body("Retrieve", body)
    return (text(msg, "OverallStatus"), text(msg, "RequestID"),
            [flat(r).get("Properties", {}) for r in msg if local(r.tag) == "Results"])


def test_a_write_carries_a_bounded_number_of_objects(cloud: Cloud, soap: SoapCaller) -> None:
    before = cloud.service("sfmc").snapshot()
    too_many = "".join(row_object("people", Email=f"n{n}@x.example")
                       for n in range(facts.MAX_WRITE_OBJECTS + 1))
    fault(soap.call("Create", f"<et:CreateRequest><et:Options/>{too_many}</et:CreateRequest>"),
          "Objects")
    unchanged(cloud, before)


def test_thousands_of_list_creates_check_each_name_once(cloud: Cloud, soap: SoapCaller) -> None:
    """Names are indexed: a full request of list creates, with a duplicate name at the end,
    gives one result per list and refuses only the duplicate."""
    lists = "".join(f'<et:Objects xsi:type="et:List"><et:ListName>L{n}</et:ListName>'
                    "</et:Objects>" for n in range(facts.MAX_WRITE_OBJECTS - 1))
    lists += '<et:Objects xsi:type="et:List"><et:ListName>l0</et:ListName></et:Objects>'
    status, results = soap.write("Create", lists)
    assert status == "Has Errors"
    assert [r["StatusCode"] for r in results].count("OK") == facts.MAX_WRITE_OBJECTS - 1
    assert "already exists" in results[-1]["StatusMessage"]
    assert len(cloud.sfmc(SUB).audience.lists) == facts.MAX_WRITE_OBJECTS  # and All Subscribers


def test_a_tenant_keeps_a_bounded_number_of_open_cursors(
        cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facts, "SOAP_PAGE", 2)  # the same rule on smaller pages: quicker
    monkeypatch.setattr(facts, "SOAP_CURSORS_KEPT", 5)
    soap = seeded(cloud, rows=facts.SOAP_PAGE + 1)
    first = None
    for _ in range(facts.SOAP_CURSORS_KEPT + 1):
        status, request_id, _ = soap.retrieve("DataExtensionObject[people]", ["Email"])
        assert status == "MoreDataAvailable"
        first = first or request_id
    status, _, _ = soap.retrieve("", [], cont=first)
    assert status.startswith("Error: ") and "unknown or finished" in status
    assert len(cloud.sfmc(SUB).soap.cursors) == facts.SOAP_CURSORS_KEPT


def test_a_cursor_holds_record_keys_not_answers(cloud: Cloud) -> None:
    """A row deleted between two pages is not sent; one changed is sent as it is now."""
    soap = seeded(cloud, rows=facts.SOAP_PAGE + 2)
    status, request_id, page = soap.retrieve("DataExtensionObject[people]", ["Email", "Age"])
    assert status == "MoreDataAvailable" and len(page) == facts.SOAP_PAGE
    de = cloud.sfmc(SUB).get("people")
    cursor = cloud.sfmc(SUB).soap.cursors[request_id]
    assert all(isinstance(key, tuple) for key in cursor.keys)  # keys, not rendered nodes
    last, gone = (f"p{facts.SOAP_PAGE + 1}@x.example",), (f"p{facts.SOAP_PAGE}@x.example",)
    del de.rows[gone]
    de.rows[last]["Age"] = -1
    status, _, rest = soap.retrieve("", [], cont=request_id)
    assert status == "OK"
    assert [(r["Properties"]["Email"], r["Properties"]["Age"]) for r in rest] == \
        [(last[0], "-1")]


def test_hostile_bodies_leave_another_tenant_alone(cloud: Cloud, soap: SoapCaller) -> None:
    other = cloud.service("sfmc").snapshot(OTHER)
    for body in ("<a/>" * (facts.MAX_XML_ELEMENTS + 1), "<a>" * 200,
                 retrieve_body("<et:Properties>Nope</et:Properties>")):
        assert soap.call("Retrieve", body).status_code in (200, 500)
    assert cloud.service("sfmc").snapshot(OTHER) == other


# -- a server's memory under a hostile body -------------------------------------------------
def _rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


@pytest.mark.skipif(not Path("/proc/self/status").exists(),
                    reason="reads a server's peak memory from /proc (Linux only)")
def test_a_30_mb_hostile_body_leaves_a_server_within_200_mb() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port", "0",
        ], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        urls: dict = {}
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith("VENDORSIM_URLS "):
                urls = json.loads(line.split(" ", 1)[1])
                break
        assert urls, process.stderr.read()  # type: ignore[union-attr]
        base = f"{urls['sfmc']}/{SUB}"
        token = requests.post(f"{base}/v2/token", json={
            "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
        soap = token["soap_instance_url"] + "Service.asmx"
        head = envelope(retrieve_body("<et:Properties>Email</et:Properties>"),
                        token["access_token"])
        requests.post(soap, data=head.encode(), headers={"Content-Type": "text/xml"})
        start = _rss_kb(process.pid, "VmHWM")
        cut = head.index("</et:RetrieveRequest>")
        for size in (15, 30):  # within the size limit (elements counted), and over it
            body = (head[:cut] + "<a/>" * (size * 1024 * 1024 // 4) + head[cut:]).encode()
            answer = requests.post(soap, data=body, headers={"Content-Type": "text/xml"})
            assert answer.status_code == 500 and "<soap:Fault>" in answer.text
        grown = (_rss_kb(process.pid, "VmHWM") - start) / 1024
        assert grown < 200, f"peak RSS grew {grown:.0f} MB"
    finally:
        process.terminate()
        process.wait(timeout=30)
