"""Bombora mock: OAuth, the Account List API, domain handling and name reuse (B-BOM-06)."""

from __future__ import annotations

import httpx
import pytest
import requests

from vendorsim import Cloud
from vendorsim.mocks.core.domains import normalise_domain

API = "https://api.bombora.com"
LISTS = f"{API}/account-list/v1/account-list"


def token(client_id: str = "cdp", secret: str = "s") -> requests.Response:
    return requests.post(f"{API}/oauth/token", json={"client_id": client_id,
                                                     "client_secret": secret})


@pytest.fixture
def bombora(cloud: Cloud) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token().json()['access_token']}"
    return session


def new_list(session: requests.Session, name: str, kind: str = "Manual", **spec: object) -> str:
    response = session.post(LISTS, json={"type": kind, "metadata": {"name": name},
                                         "specification": spec})
    assert response.status_code == 200, response.text
    return response.json()["id"]


def test_token(cloud: Cloud) -> None:
    body = token().json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 86400
    assert body["access_token"].count(".") == 2


def test_credentials(cloud: Cloud) -> None:
    cloud.service("bombora").seed_tenant("cdp", credentials=[{"client_id": "cdp",
                                                              "client_secret": "right"}])
    assert token("cdp", "wrong").status_code == 401
    assert token("cdp", "wrong").json() == {"message": "Invalid client credentials"}
    missing = requests.post(f"{API}/oauth/token", json={"client_id": "cdp"})
    assert missing.status_code == 400
    assert requests.get(LISTS).status_code == 401
    assert requests.get(LISTS, headers={"Authorization": "Bearer x"}).json() == {
        "message": "Unauthorized"}


def test_create_read_update_delete(bombora: requests.Session) -> None:
    list_id = new_list(bombora, "CDP - Tier 1")
    listed = bombora.get(LISTS).json()
    assert [(x["id"], x["type"], x["name"], x["accountTotal"]) for x in listed] == [
        (list_id, "Manual", "CDP - Tier 1", 0)]
    renamed = bombora.put(f"{LISTS}/{list_id}", json={"metadata": {"name": "Tier 1"}})
    assert renamed.json()["name"] == "Tier 1"
    assert bombora.delete(f"{LISTS}/{list_id}").status_code == 204
    assert bombora.get(f"{LISTS}/{list_id}").status_code == 404


def test_same_name_is_refused(cloud: Cloud, bombora: requests.Session) -> None:
    """B-BOM-06: an audience name used before cannot be activated again (another dataflow)."""
    new_list(bombora, "Enterprise accounts")
    again = bombora.post(LISTS, json={"type": "Manual",
                                      "metadata": {"name": "enterprise ACCOUNTS"}})
    assert again.status_code == 409 and "already exists" in again.json()["message"]
    assert len(cloud.bombora("cdp").lists) == 1


@pytest.mark.parametrize(("body", "status"), [
    ({"type": "Weird", "metadata": {"name": "x"}}, 422),
    ({"type": "Manual", "metadata": {}}, 422),
    ({"type": "Derived", "metadata": {"name": "d"}, "specification": {"parentId": "nope"}}, 422),
    ([1, 2], 400),
])
def test_bad_list_bodies(cloud: Cloud, bombora: requests.Session, body: object,
                         status: int) -> None:
    response = bombora.post(LISTS, json=body)
    assert response.status_code == status and response.json()["message"]
    assert cloud.bombora("cdp").lists == {}


def test_accounts_upsert_normalise_and_read_back(bombora: requests.Session) -> None:
    list_id = new_list(bombora, "L")
    result = bombora.post(f"{LISTS}/{list_id}/accounts", json=[
        {"domain": "https://WWW.Acme.com/about/"}, {"domain": "globex.example"},
        {"domain": "not a domain"}, {"domain": 42}, {"domain": "initech.io", "id": "crm-7"}])
    assert result.status_code == 200
    assert result.json() == {"accepted": 3, "rejected": [
        {"index": 2, "domain": "not a domain", "message": "Invalid domain"},
        {"index": 3, "domain": 42, "message": "Invalid domain"}]}
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": "acme.com"}])
    assert bombora.get(f"{LISTS}/{list_id}/accounts/domains").json() == [
        "acme.com", "globex.example", "initech.io"]
    assert bombora.get(f"{LISTS}/{list_id}").json()["accountTotal"] == 3


def test_duplicate_identifiers_refuse_the_request(cloud: Cloud, bombora: requests.Session) -> None:
    list_id = new_list(bombora, "L")
    response = bombora.post(f"{LISTS}/{list_id}/accounts",
                            json=[{"domain": "acme.com"}, {"domain": "WWW.ACME.COM"}])
    assert response.status_code == 400 and "Duplicate" in response.json()["message"]
    assert bombora.get(f"{LISTS}/{list_id}/accounts/domains").json() == []


def test_only_manual_lists_take_accounts_and_parents_cannot_go(bombora: requests.Session) -> None:
    parent = new_list(bombora, "Parent")
    child = new_list(bombora, "Child", "Derived", parentId=parent)
    assert bombora.post(f"{LISTS}/{child}/accounts",
                        json=[{"domain": "acme.com"}]).status_code == 422
    assert bombora.delete(f"{LISTS}/{parent}").status_code == 409


def test_remove_some_or_clear(bombora: requests.Session) -> None:
    list_id = new_list(bombora, "L")
    bombora.post(f"{LISTS}/{list_id}/accounts", json=[{"domain": d} for d in
                                                      ("a.com", "b.com", "c.com")])
    assert bombora.delete(f"{LISTS}/{list_id}/accounts", json=["www.b.com"]).status_code == 204
    assert bombora.get(f"{LISTS}/{list_id}/accounts/domains").json() == ["a.com", "c.com"]
    bombora.delete(f"{LISTS}/{list_id}/accounts")
    bombora.delete(f"{LISTS}/{list_id}/accounts")  # idempotent
    assert bombora.get(f"{LISTS}/{list_id}/accounts/domains").json() == []


def test_throttling(cloud: Cloud, bombora: requests.Session) -> None:
    cloud.service("bombora").set_limits("cdp", {"window_calls": 2})
    statuses = [bombora.get(LISTS).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert bombora.get(LISTS).headers["Retry-After"] == "60"


def test_clients_are_separate_tenants(cloud: Cloud, bombora: requests.Session) -> None:
    new_list(bombora, "Mine")
    other = token("other").json()["access_token"]
    assert requests.get(LISTS, headers={"Authorization": f"Bearer {other}"}).json() == []


@pytest.mark.parametrize(("raw", "domain"), [
    ("Acme.COM", "acme.com"), ("http://www.acme.com", "acme.com"), ("acme.co.uk/", "acme.co.uk"),
    ("acme", None), ("", None), ("www.", None), (None, None),
])
def test_domain_normalisation(raw: object, domain: str | None) -> None:
    assert normalise_domain(raw) == domain


def test_happy_path_through_httpx_transport() -> None:
    cloud = Cloud("virtual")
    with httpx.Client(transport=cloud.httpx_transport(), base_url=API) as client:
        value = client.post("/oauth/token", json={"client_id": "a", "client_secret": "b"}).json()
        auth = {"Authorization": f"Bearer {value['access_token']}"}
        list_id = client.post("/account-list/v1/account-list", headers=auth, json={
            "type": "Manual", "metadata": {"name": "H"}}).json()["id"]
        client.post(f"/account-list/v1/account-list/{list_id}/accounts", headers=auth,
                    json=[{"domain": "acme.com"}])
    assert [a["domain"] for a in cloud.bombora("a").lists[list_id].accounts.values()] == [
        "acme.com"]


def test_cdp_mapping_name_is_taken_for_the_domain(bombora: requests.Session) -> None:
    """B-BOM-05: the CDP maps accountOrganization.domain to companyWebsiteDomain."""
    list_id = new_list(bombora, "From the CDP")
    bombora.post(f"{LISTS}/{list_id}/accounts",
                 json=[{"companyWebsiteDomain": "www.Initech.io"}])
    assert bombora.get(f"{LISTS}/{list_id}/accounts/domains").json() == ["initech.io"]


def test_strict_mode_knows_only_seeded_clients() -> None:
    from vendorsim import mock_vendors

    with mock_vendors(strict=True) as cloud:
        assert token("anyone", "x").status_code == 401
        cloud.service("bombora").seed_tenant("cdp", credentials=[{"client_id": "cdp",
                                                                  "client_secret": "s"}])
        assert token("cdp", "s").status_code == 200
