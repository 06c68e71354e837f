"""Every request form Marketo accepts, and its answers to malformed ones (§1.3)."""

from __future__ import annotations

import pytest
import requests

from tests.helpers import BASE, MarketoCaller, codes
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance


def test_post_with_method_get_carries_the_query_in_a_form_body(mkto: MarketoCaller,
                                                               db: MarketoInstance) -> None:
    db.seed({"leads": [{"email": "a@x.example"}]})
    body = mkto.post("/rest/v1/leads.json", data={
        "_method": "GET", "filterType": "email", "filterValues": "a@x.example",
        "fields": "email"})
    assert body["result"] == [{"id": 1, "email": "a@x.example"}]


def test_method_get_also_carries_the_access_token(cloud: Cloud, db: MarketoInstance) -> None:
    cloud.clock.set("2026-08-30T00:00:00Z")  # refused from 2026-08-31: tests/test_calendar.py
    token = MarketoCaller().token().json()["access_token"]
    body = requests.post(f"{BASE}/rest/v1/leads.json", data={
        "_method": "GET", "filterType": "id", "filterValues": "1", "access_token": token}).json()
    assert body["success"] is True


def test_long_query_gets_414_and_works_as_method_get(mkto: MarketoCaller,
                                                     db: MarketoInstance) -> None:
    emails = ",".join(f"person{i:04d}@long-domain.example" for i in range(290))
    response = mkto.session.get(f"{BASE}/rest/v1/leads.json",
                                params={"filterType": "email", "filterValues": emails})
    assert response.status_code == 414
    body = mkto.post("/rest/v1/leads.json", data={
        "_method": "GET", "filterType": "email", "filterValues": emails})
    assert body["success"] is True and body["result"] == []


def test_body_over_one_megabyte_is_413_and_stores_nothing(mkto: MarketoCaller,
                                                          db: MarketoInstance) -> None:
    records = [{"email": f"{i}@x.example", "address": "x" * 4000} for i in range(270)]
    response = mkto.session.post(f"{BASE}/rest/v1/leads.json", json={"input": records})
    assert response.status_code == 413 and "nginx" in response.text
    assert db.leads == {}


@pytest.mark.parametrize(("data", "content_type", "code"), [
    (b'{"input": [', "application/json", "609"),
    (b"[1, 2]", "application/json", "609"),
    (b"\xff\xfe", "application/json", "609"),
    (b'{"input": [{"email": "a@x.example"}]}', "text/plain", "612"),
    (b"input=a", "application/x-www-form-urlencoded", "612"),
    (b"", "application/json", "609"),
])
def test_malformed_bodies(mkto: MarketoCaller, db: MarketoInstance, data: bytes,
                          content_type: str, code: str) -> None:
    response = mkto.session.post(f"{BASE}/rest/v1/leads.json", data=data,
                                 headers={"Content-Type": content_type})
    assert response.status_code == 200
    assert codes(response.json()) == [code]
    assert db.leads == {}


def test_charset_in_content_type_is_fine(mkto: MarketoCaller, db: MarketoInstance) -> None:
    response = mkto.session.post(f"{BASE}/rest/v1/leads.json",
                                 data=b'{"input": [{"email": "a@x.example"}]}',
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.json()["result"][0]["status"] == "created"


def test_unknown_route_610_and_wrong_method_605(mkto: MarketoCaller) -> None:
    assert codes(mkto.get("/rest/v1/nothing.json")) == ["610"]
    wrong = mkto.session.put(f"{BASE}/rest/v1/leads.json", json={"input": []}).json()
    assert codes(wrong) == ["605"]
    assert codes(mkto.get("/rest/v1/leads/delete.json")) == ["605"]


def test_errors_never_leak_tracebacks(mkto: MarketoCaller, db: MarketoInstance) -> None:
    weird = [None, 7, [], {"input": None}, {"input": [None]}, {"input": [{"email": None}]},
             {"input": [{"email": ["a"]}]}, {"input": [{}]}, {"lookupField": 3, "input": [{}]},
             {"partitionName": {"x": 1}, "input": [{"email": "a@x.example"}]}]
    for payload in weird:
        response = mkto.session.post(f"{BASE}/rest/v1/leads.json", json=payload)
        assert response.status_code == 200, payload
        body = response.json()
        assert "Traceback" not in response.text
        assert "611" not in codes(body), payload  # 611 would mean the mock itself broke
    assert db.leads == {}
