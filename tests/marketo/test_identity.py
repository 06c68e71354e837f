"""Identity endpoint and token checks (vendor-apis.md §1.2, B-MKT-15)."""

from __future__ import annotations

import re

import requests

from tests.helpers import BASE, MUNCHKIN, MarketoCaller, codes
from vendorsim import Cloud, mock_vendors


def test_token_has_marketo_shape_and_headers(cloud: Cloud) -> None:
    response = MarketoCaller().token()
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert re.fullmatch(r"[0-9a-f-]{36}:ab", body["access_token"])
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"


def test_same_token_with_falling_expires_in_until_expiry(cloud: Cloud) -> None:
    caller = MarketoCaller()
    first = caller.token().json()
    cloud.clock.advance(6)
    second = caller.token().json()
    assert second["access_token"] == first["access_token"]
    assert second["expires_in"] == 3593
    cloud.clock.advance(3600)
    third = caller.token().json()
    assert third["access_token"] != first["access_token"]
    assert third["expires_in"] == 3599


def test_token_also_accepted_as_post_form(cloud: Cloud) -> None:
    response = requests.post(f"{BASE}/identity/oauth/token", data={
        "grant_type": "client_credentials", "client_id": "a", "client_secret": "b"})
    assert response.status_code == 200 and "access_token" in response.json()


def test_missing_and_unknown_grant_type_are_oauth_errors(cloud: Cloud) -> None:
    missing = requests.get(f"{BASE}/identity/oauth/token", params={"client_id": "a"})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    wrong = MarketoCaller().token(grant_type="password")
    assert wrong.status_code == 400 and wrong.json()["error"] == "unsupported_grant_type"


def test_seeded_client_with_wrong_secret_gets_401_even_in_lenient_mode(cloud: Cloud) -> None:
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": "cdp", "client_secret": "right"}])
    response = MarketoCaller().token("cdp", "wrong")
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client",
                               "error_description": "Bad client credentials"}


def test_strict_mode_knows_only_seeded_credentials() -> None:
    with mock_vendors(strict=True) as cloud:
        assert MarketoCaller().token("anyone", "anything").status_code == 401
        cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
            {"client_id": "cdp", "client_secret": "right", "user": "api@acme.example"}])
        ok = MarketoCaller().token("cdp", "right")
        assert ok.status_code == 200 and ok.json()["scope"] == "api@acme.example"
        other = MarketoCaller("https://999-ZZZ-999.mktorest.com").token("cdp", "right")
        assert other.status_code == 401


def test_missing_invalid_and_expired_tokens(cloud: Cloud) -> None:
    anonymous = requests.get(f"{BASE}/rest/v1/leads/partitions.json").json()
    assert codes(anonymous) == ["600"] and anonymous["success"] is False
    bogus = requests.get(f"{BASE}/rest/v1/leads/partitions.json",
                         headers={"Authorization": "Bearer nope:ab"}).json()
    assert codes(bogus) == ["601"]
    caller = MarketoCaller().login()
    assert caller.get("/rest/v1/leads/partitions.json")["success"] is True
    cloud.clock.advance(3600)
    assert codes(caller.get("/rest/v1/leads/partitions.json")) == ["602"]


def test_token_of_one_instance_is_invalid_on_another(cloud: Cloud) -> None:
    caller = MarketoCaller().login()
    other = MarketoCaller("https://999-ZZZ-999.mktorest.com")
    other.session.headers.update(caller.session.headers)
    assert codes(other.get("/rest/v1/leads/partitions.json")) == ["601"]


def test_user_without_edit_person_cannot_write_leads(cloud: Cloud) -> None:
    """B-MKT-15: the API user needs Edit Person; without it writes are refused (603)."""
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": "reader", "client_secret": "s", "permissions": ["read"]}])
    caller = MarketoCaller().login("reader", "s")
    assert codes(caller.sync([{"email": "a@x.example"}])) == ["603"]
    assert caller.get("/rest/v1/leads/describe.json")["success"] is True
    assert cloud.marketo(MUNCHKIN).leads == {}


def test_expire_tokens_fault_makes_next_call_602(cloud: Cloud) -> None:
    caller = MarketoCaller().login()
    cloud.service("marketo").tokens.expire(MUNCHKIN)
    assert codes(caller.get("/rest/v1/leads/partitions.json")) == ["602"]
    caller.login()
    assert caller.get("/rest/v1/leads/partitions.json")["success"] is True
