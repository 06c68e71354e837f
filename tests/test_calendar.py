"""The vendor calendar (issue 25, vendor-apis.md §7.2-7.3): each dated rule on both sides of
its date, judged by the tenant's clock, a tenant's or the server's pin (`as_of`) and opt-outs
by name; `GET /__admin/calendar`; the SFMC secret rotation. The same rules against a server
and a container: tests/test_target.py."""

from __future__ import annotations

import pytest
import requests

from tests.helpers import BASE, MUNCHKIN, MarketoCaller, codes
from vendorsim import Cloud, mock_vendors

PARTITIONS = f"{BASE}/rest/v1/leads/partitions.json"
SUB = "mc-calendar"
SFMC = f"https://{SUB}.auth.marketingcloudapis.com"
ADMIN = f"{BASE}/__admin"
DAY = 86400


def query_token_codes(token: str) -> list[str]:
    body = requests.get(PARTITIONS, params={"access_token": token}).json()
    return [] if body["success"] else codes(body)


def test_query_token_works_the_day_before_and_is_refused_from_2026_08_31(cloud: Cloud) -> None:
    cloud.clock.set("2026-08-30T23:59:59Z")
    token = MarketoCaller().token().json()["access_token"]
    assert query_token_codes(token) == []
    form = requests.post(f"{BASE}/rest/v1/leads.json", data={
        "_method": "GET", "filterType": "id", "filterValues": "1", "access_token": token})
    assert form.json()["success"] is True
    cloud.clock.advance(1)  # 2026-08-31T00:00:00Z
    assert query_token_codes(token) == ["600"]
    form = requests.post(f"{BASE}/rest/v1/leads.json", data={
        "_method": "GET", "filterType": "id", "filterValues": "1", "access_token": token})
    assert codes(form.json()) == ["600"]
    header = requests.get(PARTITIONS, headers={"Authorization": f"Bearer {token}"})
    assert header.json()["success"] is True  # the header keeps working


def test_the_instance_setting_refuses_query_tokens_before_the_date(cloud: Cloud) -> None:
    cloud.clock.set("2026-01-05T09:00:00Z")
    token = MarketoCaller().token().json()["access_token"]
    assert query_token_codes(token) == []
    cloud.marketo(MUNCHKIN).seed({"settings": {"reject_query_token": True}})
    assert query_token_codes(token) == ["600"]


def test_a_tenant_pin_and_an_opt_out_decide_over_the_clock(cloud: Cloud) -> None:
    token = MarketoCaller().token().json()["access_token"]  # the clock: 2026-11-23
    assert query_token_codes(token) == ["600"]
    pinned = requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/calendar", json={"as_of": "2026-08-30"})
    assert pinned.json() == {"as_of": "2026-08-30T00:00:00Z", "opt_out": []}
    assert query_token_codes(token) == []
    requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/calendar", json={"as_of": "2026-08-31"})
    assert query_token_codes(token) == ["600"]
    requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/calendar",
                 json={"opt_out": ["marketo.query_token"]})
    assert query_token_codes(token) == []
    state = requests.get(f"{ADMIN}/state").json()["tenants"][MUNCHKIN]
    assert state["calendar"] == {"as_of": None, "opt_out": ["marketo.query_token"]}


def test_the_server_pin_applies_to_every_tenant_and_a_tenant_pin_wins(cloud: Cloud) -> None:
    token = MarketoCaller().token().json()["access_token"]
    assert requests.put(f"{ADMIN}/calendar", json={"as_of": "2026-01-01"}).status_code == 200
    assert query_token_codes(token) == []
    requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/calendar", json={"as_of": "2026-09-01"})
    assert query_token_codes(token) == ["600"]


def test_the_calendar_lists_the_rules_and_what_holds_for_a_tenant(cloud: Cloud) -> None:
    MarketoCaller().token()
    cloud.clock.set("2026-09-15T00:00:00Z")
    body = requests.get(f"{ADMIN}/calendar", params={"tenant": MUNCHKIN}).json()
    rules = {r["name"]: r for r in body["vendors"]["marketo"]["rules"]}
    assert rules["marketo.query_token"]["in_force"] is True
    assert rules["marketo.activities_big_list"]["in_force"] is False
    assert rules["marketo.activities_big_list"]["effective"] == "2026-09-30"
    assert all(r["source"] and r["answer"] for r in rules.values())
    assert body["vendors"]["marketo"]["tenants"][0]["tenant"] == MUNCHKIN
    everything = requests.get(f"{ADMIN}/calendar").json()  # on a vendor host: that vendor
    assert list(everything["vendors"]) == ["marketo"]


@pytest.mark.parametrize("body, error", [
    ({"as_of": "next tuesday"}, "as_of"),
    ({"as_of": True}, "as_of"),
    ({"opt_out": ["marketo.no_such_rule"]}, "no dated rule"),
    ({"opt_out": "marketo.query_token"}, "list of rule names"),
    ({"as_off": "2026-01-01"}, "unknown calendar field"),
    ({"opt_out": ["sfmc.secret_expiry"]}, "no dated rule"),  # not a Marketo rule
])
def test_a_bad_pin_is_refused_and_changes_nothing(cloud: Cloud, body: dict,
                                                  error: str) -> None:
    MarketoCaller().token()
    answer = requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/calendar", json=body)
    assert answer.status_code == 400 and error in answer.json()["error"]
    assert cloud.service("marketo").tenant(MUNCHKIN).calendar.empty


def test_the_cloud_and_mock_vendors_take_a_pin_and_refuse_unknown_rules() -> None:
    with mock_vendors(clock="virtual", as_of="2026-06-01") as cloud:
        token = MarketoCaller().token().json()["access_token"]
        assert query_token_codes(token) == []
        assert cloud.calendar.to_dict()["as_of"] == "2026-06-01T00:00:00Z"
    with pytest.raises(ValueError, match="no dated rule"):
        Cloud("virtual", opt_out=["marketo.nope"])


def big_list(cloud: Cloud, size: int) -> int:
    """A static list of `size` leads, seeded."""
    leads = [{"id": n, "email": f"p{n}@big.example"} for n in range(1, size + 1)]
    cloud.marketo(MUNCHKIN).seed({"leads": leads, "lists": [
        {"id": 7, "name": f"Big {size}", "members": list(range(1, size + 1))}]})
    return 7


@pytest.mark.parametrize("path, extra", [
    ("/rest/v1/activities.json", {"activityTypeIds": "12"}),
    ("/rest/v1/activities/leadchanges.json", {"fields": "email"}),
])
def test_activities_on_a_list_of_10000_are_refused_from_2026_09_30(
        cloud: Cloud, path: str, extra: dict) -> None:
    list_id = big_list(cloud, 10_000)
    mkto = MarketoCaller().login()
    cloud.clock.set("2026-09-29T12:00:00Z")
    next_token = mkto.get("/rest/v1/activities/pagingtoken.json",
                          sinceDatetime="2026-01-01T00:00:00Z")["nextPageToken"]
    before = mkto.get(path, nextPageToken=next_token, listId=list_id, **extra)
    assert before["success"] is True
    cloud.clock.set("2026-09-30T00:00:00Z")
    after = mkto.get(path, nextPageToken=next_token, listId=list_id, **extra)
    assert codes(after) == ["1003"] and "10000" in after["errors"][0]["message"]
    assert mkto.get(path, nextPageToken=next_token, **extra)["success"] is True  # no listId
    requests.put(f"{ADMIN}/tenants/{MUNCHKIN}/calendar",
                 json={"opt_out": ["marketo.activities_big_list"]})
    assert mkto.get(path, nextPageToken=next_token, listId=list_id, **extra)["success"]


def test_a_list_of_9999_still_filters_activities_after_the_date(cloud: Cloud) -> None:
    list_id = big_list(cloud, 9_999)
    mkto = MarketoCaller().login()
    next_token = mkto.get("/rest/v1/activities/pagingtoken.json",
                          sinceDatetime="2026-01-01T00:00:00Z")["nextPageToken"]
    body = mkto.get("/rest/v1/activities.json", nextPageToken=next_token, listId=list_id,
                    activityTypeIds="12")
    assert body["success"] is True


def sfmc_token(secret: str, client_id: str = "pkg") -> requests.Response:
    return requests.post(f"{SFMC}/v2/token", json={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})


def seed_package(cloud: Cloud, issued_at: str | None = None) -> None:
    cloud.service("sfmc").seed_tenant(SUB, credentials=[{
        "client_id": "pkg", "client_secret": "old",
        **({"issued_at": issued_at} if issued_at else {})}])


def test_a_secret_180_days_old_is_refused_once_the_rule_holds(cloud: Cloud) -> None:
    cloud.clock.set("2026-12-01T00:00:00Z")
    seed_package(cloud)
    cloud.clock.advance(180 * DAY - 1)
    assert sfmc_token("old").status_code == 200
    cloud.clock.advance(1)
    refused = sfmc_token("old")
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"


def test_before_2026_09_30_secrets_do_not_expire(cloud: Cloud) -> None:
    cloud.clock.set("2026-09-29T00:00:00Z")
    seed_package(cloud, issued_at="2025-01-01T00:00:00Z")  # 636 days old
    assert sfmc_token("old").status_code == 200
    cloud.clock.set("2026-09-30T00:00:00Z")
    assert sfmc_token("old").status_code == 401
    cloud.pin_calendar(opt_out=["sfmc.secret_expiry"])
    assert sfmc_token("old").status_code == 200


def test_staged_rotation_both_secrets_work_until_activation(cloud: Cloud) -> None:
    admin = f"https://{SUB}.rest.marketingcloudapis.com/__admin/tenants/{SUB}/credentials/pkg"
    cloud.clock.set("2026-12-01T00:00:00Z")
    seed_package(cloud)
    cloud.clock.advance(170 * DAY)
    staged = requests.post(f"{admin}/secret/stage", json={"secret": "new"})
    assert staged.status_code == 200
    assert staged.json()["expires_at"] == "2027-05-30T00:00:00Z"
    assert staged.json()["staged_expires_at"] == "2027-11-16T00:00:00Z"
    assert sfmc_token("old").status_code == 200 and sfmc_token("new").status_code == 200
    again = requests.post(f"{admin}/secret/stage", json={})
    assert again.status_code == 409 and "5-minute" in again.json()["error"]
    assert requests.post(f"{admin}/secret/activate").status_code == 200
    assert sfmc_token("old").status_code == 401 and sfmc_token("new").status_code == 200
    cloud.clock.advance(20 * DAY)  # the old secret's 180 days are over, the new one's not
    assert sfmc_token("new").status_code == 200
    assert requests.post(f"{admin}/secret/activate").status_code == 409  # nothing staged
    missing = requests.post(admin.replace("/pkg", "/nobody") + "/secret/stage", json={})
    assert missing.status_code == 404
    saved = requests.get(f"https://{SUB}.rest.marketingcloudapis.com/__admin/state",
                         params={"secrets": "include"}).json()
    cred = saved["tenants"][SUB]["credentials"][0]
    assert cred["client_secret"] == "new" and cred["issued_at"] == "2027-05-20T00:00:00Z"


def test_marketo_has_no_secret_rotation(cloud: Cloud) -> None:
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": "cdp", "client_secret": "s3cret"}])
    answer = requests.post(f"{ADMIN}/tenants/{MUNCHKIN}/credentials/cdp/secret/stage", json={})
    assert answer.status_code == 404
