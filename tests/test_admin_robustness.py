"""The admin API under hostile input (issue 12): typed and bounded bodies answered with 400
and nothing changed, all-or-nothing writes across tenants and vendors, a lossless snapshot
round trip, and no cross-site writes."""

from __future__ import annotations

import pytest
import requests

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud

HOST = f"https://{MUNCHKIN}.mktorest.com"
ADMIN = f"{HOST}/__admin"
CLOUD_ADMIN = "https://vendorsim.local/__admin"  # no vendor Host: the cloud-wide admin API
DEMANDBASE = "https://uapi.demandbase.com"


def vendor_calls_still_work(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    assert mkto.sync([{"email": "ok@x.example"}])["success"] is True
    assert requests.get(f"{ADMIN}/state").status_code == 200
    assert cloud.requests_session().get(f"{CLOUD_ADMIN}/state").status_code == 200


@pytest.mark.parametrize("path,body", [
    ("/faults", {"error_code": "606", "tenant": 5}),
    ("/faults", {"error_code": "606", "times": "3"}),
    ("/faults", {"latency": "slow"}),
    ("/faults", {"error_code": "606", "path": "("}),
    ("/faults", {"error_code": "606", "start": "9999-01-01T00:00:00Z"}),
    ("/clock/advance", {"seconds": "NaN"}),
    ("/clock/advance", {"seconds": 1e300}),
    ("/clock/advance", {"seconds": -5}),
    ("/clock/set", {"time": "9999-01-01T00:00:00Z"}),
    ("/clock/set", {"time": 1e30}),
    ("/tenants", {"id": ""}),
    ("/tenants", {"id": "x" * 500}),
    ("/tenants", {"id": 5}),
    ("/tenants", {"id": "999-BAD-999", "limits": {"window_calls": "lots"}}),
    ("/tenants", {"id": "999-BAD-999", "limits": {"quota_timezone": "Mars/Olympus"}}),
    ("/tenants", {"id": "999-BAD-999", "limits": {"max_batch": None}}),
    ("/tenants", {"id": "999-BAD-999", "credentials": [{"client_id": 1}]}),
    ("/tenants", {"id": "999-BAD-999", "credentials": "abc"}),
    ("/tenants", {"id": "999-BAD-999", "state": {"leads": [{"email": "a@x.example",
                                                             "createdAt": 1e30}]}}),
    ("/tenants", {"id": "999-BAD-999", "state": {"settings": {"pod": ["x"]}}}),
    ("/tenants", {"id": "999-BAD-999", "state": {"fields": [{"name": "f", "length": "x"}]}}),
])
def test_bad_admin_bodies_are_400_and_change_nothing(cloud: Cloud, path: str,
                                                     body: dict) -> None:
    MarketoCaller().login()  # the instance exists
    before = cloud.requests_session().get(f"{CLOUD_ADMIN}/state").json()
    clock = cloud.clock.now()
    answer = requests.post(f"{ADMIN}{path}", json=body)
    assert answer.status_code == 400, answer.text
    assert "error" in answer.json()
    assert cloud.requests_session().get(f"{CLOUD_ADMIN}/state").json() == before
    assert cloud.clock.now() == clock and cloud.faults.list() == []
    assert cloud.service("marketo").find_tenant("999-BAD-999") is None
    vendor_calls_still_work(cloud)


def test_bad_limits_on_an_existing_tenant(cloud: Cloud) -> None:
    MarketoCaller().login()
    for body in ({"window_calls": "lots"}, {"max_batch": None}, {"window_seconds": -1},
                 {"quota_timezone": "../../etc/passwd"}, {"enabled": "yes"}):
        assert requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/limits", json=body).status_code == 400
    vendor_calls_still_work(cloud)


def test_admin_errors_on_the_marketo_host_are_admin_errors(cloud: Cloud) -> None:
    answer = requests.post(f"{ADMIN}/faults", data="[" * 2000,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and "error" in answer.json()
    missing = requests.get(f"{ADMIN}/no-such-thing")
    assert missing.status_code == 404 and "error" in missing.json()


def test_a_restore_with_a_bad_second_part_changes_nothing(cloud: Cloud) -> None:
    cloud.marketo(MUNCHKIN).seed({"leads": [{"email": "kept@x.example"}]})
    before = cloud.requests_session().get(f"{CLOUD_ADMIN}/state").json()
    good = before["vendors"]["marketo"]["tenants"][MUNCHKIN]
    replaced = {**good, "state": {"leads": [{"email": "new@x.example"}]}}
    for body in (
        {"vendors": {"marketo": {"tenants": {MUNCHKIN: replaced,
                                             "111-BAD-111": {"state": {"leads": "x"}}}}}},
        {"vendors": {"marketo": {"tenants": {MUNCHKIN: replaced}},
                     "sfmc": {"tenants": {"sub": {"state": {"data_extensions": [{}]}}}}}},
        {"vendors": {"marketo": {"tenants": {MUNCHKIN: replaced}}, "nope": {}}},
    ):
        answer = cloud.requests_session().put(f"{CLOUD_ADMIN}/state", json=body)
        assert answer.status_code == 400, answer.text
        assert cloud.requests_session().get(f"{CLOUD_ADMIN}/state").json() == before


def test_the_snapshot_round_trip_is_lossless_for_every_vendor(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example", "firstName": "A"}])
    session = requests.Session()
    token = session.post(f"{DEMANDBASE}/auth/v1/token", data={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    session.headers["Authorization"] = f"Bearer {token['accessToken']}"
    job = session.post(f"{DEMANDBASE}/import/v1/job", json={
        "entityType": "account", "dataImportName": "Q1"}).json()
    session.put(f"{DEMANDBASE}/import/v1/job/{job['id']}/data", params={"listAction": "insert"},
                data=b"accountName,accountEmailDomain\nAcme,acme.com\n")
    cloud.clock.advance(5)  # the job is still processing
    snapshot = cloud.requests_session().get(f"{CLOUD_ADMIN}/state").json()
    cloud.reset()
    assert cloud.requests_session().put(f"{CLOUD_ADMIN}/state", json=snapshot).status_code == 200
    assert cloud.requests_session().get(f"{CLOUD_ADMIN}/state").json() == snapshot
    cloud.clock.advance(60)  # and the restored job finishes as the original would have
    jobs = cloud.demandbase("c").snapshot()["jobs"]
    assert [j["state"] for j in jobs] == ["completed"]
    assert cloud.demandbase("c").snapshot()["account_lists"][0]["domains"] == ["acme.com"]


def test_cross_site_admin_writes_are_refused(cloud: Cloud) -> None:
    cloud.marketo(MUNCHKIN).seed({"leads": [{"email": "kept@x.example"}]})
    page = requests.post(f"{ADMIN}/reset", data="x", headers={
        "Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert page.status_code == 403
    form = requests.post(f"{ADMIN}/reset", data={"a": "b"})
    assert form.status_code == 415
    assert len(cloud.marketo(MUNCHKIN).leads) == 1
    same_origin = requests.post(f"{ADMIN}/journal", headers={"Origin": HOST.lower()})
    assert same_origin.status_code != 403  # its own origin may write (405 here: no route)
    assert requests.post(f"{ADMIN}/reset").status_code == 200  # a non-browser client


BAD_SEEDS = {
    "marketo": [{"partitions": [5]}, {"lists": [{"name": 5}]}, {"lists": [{"members": ["x"]}]},
                {"leads": [{"id": "x"}]}, {"leads": ["a"]}, {"folders": [{"name": []}]},
                {"leads": [{"email": "a@x.example", "partition": ["EMEA"]}]}],
    "sfmc": [{"data_extensions": [{"name": "X", "fields": [{"name": "A"}], "rows": ["r"]}]},
             {"data_extensions": ["x"]}, {"data_extensions": [{"name": "X", "fields": 5}]}],
    "bombora": [{"account_lists": [{"name": "X", "domains": [5]}]}, {"account_lists": "x"},
                {"account_lists": [{"name": "X", "type": "Derived"}]}],
    "demandbase": [{"account_lists": [{"name": 5}]}, {"account_lists": [{"name": "X",
                                                                         "domains": "acme"}]}],
}
VENDOR_HOSTS = {"marketo": HOST, "sfmc": "https://sub.rest.marketingcloudapis.com",
                "bombora": "https://api.bombora.com", "demandbase": DEMANDBASE}


@pytest.mark.parametrize("vendor", sorted(BAD_SEEDS))
def test_bad_seeds_of_every_vendor_are_400_and_change_nothing(cloud: Cloud,
                                                              vendor: str) -> None:
    tenant = {"marketo": MUNCHKIN, "sfmc": "sub"}.get(vendor, "client")
    http = cloud.requests_session()
    admin = f"{VENDOR_HOSTS[vendor]}/__admin"
    assert http.post(f"{admin}/tenants", json={"id": tenant}).status_code == 201
    before = http.get(f"{admin}/state").json()
    for seed in BAD_SEEDS[vendor]:
        for answer in (http.post(f"{admin}/tenants/{tenant}/seed", json=seed),
                       http.post(f"{admin}/tenants", json={"id": "other-1", "state": seed})):
            assert answer.status_code == 400, (seed, answer.text)
    assert http.get(f"{admin}/state").json() == before


WRONG_SHAPES = {  # issue 23: these answered 400 with a Python error in the text
    "sfmc": [{"data_extensions": [[{}]]}, {"data_extensions": [{"name": "X", "rows": [[]]}]},
             {"contacts": "x"}],
    "bombora": [{"account_lists": [[]]}, {"account_lists": [{"name": "X", "domains": "a"}]}],
    "demandbase": [{"account_lists": [[]]}, {"jobs": [5]}, {"accounts": {"a": 1}}],
    "marketo": [{"leads": [[]]}, {"leeds": []}, {"namedAccountListMembers": {"g": "x"}},
                {"activities": [{}]}],
}


@pytest.mark.parametrize("vendor", sorted(WRONG_SHAPES))
def test_seeds_of_the_wrong_shape_are_plain_words(cloud: Cloud, vendor: str) -> None:
    tenant = {"marketo": MUNCHKIN, "sfmc": "sub"}.get(vendor, "client")
    http = cloud.requests_session()
    admin = f"{VENDOR_HOSTS[vendor]}/__admin"
    assert http.post(f"{admin}/tenants", json={"id": tenant}).status_code == 201
    for seed in WRONG_SHAPES[vendor]:
        answer = http.post(f"{admin}/tenants/{tenant}/seed", json=seed)
        assert answer.status_code == 400, (seed, answer.text)
        error = answer.json()["error"]
        assert "seed field '" in error, error
        for python in ("Error", "object has no attribute", "NoneType", "'list'", "'dict'"):
            assert python not in error, error


def test_an_empty_tenant_filter_reads_every_tenant(cloud: Cloud) -> None:
    http = cloud.requests_session()
    answer = http.get(f"{HOST}/__admin/state", params={"tenant": ""})
    assert answer.status_code == 200 and "tenants" in answer.json()
