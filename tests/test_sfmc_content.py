"""SFMC Content Builder (issue 35): assets and categories as the asset API documents them,
and as the most used Node SDK (sfmc-sdk) lists them: paged (`$page`, `$pagesize`), sorted,
filtered; the advanced query; the uniqueness rules; state in snapshots."""

from __future__ import annotations

import pytest
import requests

from vendorsim import Cloud
from vendorsim.mocks.sfmc import facts

SUB = "mc-content"
AUTH = f"https://{SUB}.auth.marketingcloudapis.com"


@pytest.fixture
def rest(cloud: Cloud) -> requests.Session:
    token = requests.post(f"{AUTH}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token['access_token']}"
    session.base = token["rest_instance_url"] + "asset/v1/content/"  # type: ignore[attr-defined]  # a test's note
    return session


def url(rest: requests.Session, path: str) -> str:
    return rest.base + path  # type: ignore[attr-defined, no-any-return]  # set by the fixture


def create(rest: requests.Session, name: str, type_id: int = 208, **more: object) -> dict:
    answer = rest.post(url(rest, "assets"), json={"name": name, "assetType": {"id": type_id},
                                                  **more})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_new_account_has_the_root_folder_and_no_assets(rest: requests.Session) -> None:
    listed = rest.get(url(rest, "assets")).json()
    assert (listed["count"], listed["items"], listed["page"], listed["pageSize"]) == \
        (0, [], 1, facts.CONTENT_PAGE)
    (root,) = rest.get(url(rest, "categories")).json()["items"]
    assert (root["name"], root["parentId"], root["categoryType"]) == \
        ("Content Builder", 0, "asset")


def test_assets_page_sort_and_filter(rest: requests.Session) -> None:
    made = [create(rest, f"Email {n:02d}") for n in range(7)]
    create(rest, "A block", 197, content="<p>x</p>")
    first = rest.get(url(rest, "assets"), params={"$page": 1, "$pagesize": 3}).json()
    assert first["count"] == 8 and [a["id"] for a in first["items"]] == \
        [a["id"] for a in made[:3]]
    last = rest.get(url(rest, "assets"), params={"$page": 3, "$pageSize": 3}).json()
    assert len(last["items"]) == 2
    ordered = rest.get(url(rest, "assets"), params={"$orderBy": "name desc"}).json()["items"]
    assert ordered[0]["name"] == "Email 06" and ordered[-1]["name"] == "A block"
    like = rest.get(url(rest, "assets"), params={"$filter": "Name like 'email 0'"}).json()
    assert like["count"] == 7
    one = rest.get(url(rest, "assets"), params={"$filter": f"id eq {made[2]['id']}"}).json()
    assert [a["name"] for a in one["items"]] == ["Email 02"]
    only = rest.get(url(rest, "assets"), params={"$fields": "name"}).json()["items"][0]
    assert set(only) == {"id", "name"}
    assert rest.get(url(rest, "assets"), params={"$filter": "name ~ x"}).status_code == 400
    assert rest.get(url(rest, "assets"), params={"$pagesize": 0}).status_code == 400


def test_the_advanced_query(rest: requests.Session) -> None:
    create(rest, "Welcome")
    create(rest, "Welcome block", 197)
    create(rest, "Other")
    answer = rest.post(url(rest, "assets/query"), json={
        "query": {"leftOperand": {"property": "name", "simpleOperator": "like",
                                  "value": "welcome"},
                  "logicalOperator": "AND",
                  "rightOperand": {"property": "assetType.name", "simpleOperator": "equal",
                                   "value": "htmlemail"}},
        "page": {"page": 1, "pageSize": 10}, "sort": [{"property": "id", "direction": "DESC"}],
        "fields": ["name", "assetType"]}).json()
    assert answer["count"] == 1 and answer["items"][0]["name"] == "Welcome"
    assert set(answer["items"][0]) == {"id", "name", "assetType"}
    bad = rest.post(url(rest, "assets/query"), json={"query": {"property": "name",
                                                                "simpleOperator": "nope",
                                                                "value": "x"}})
    assert bad.status_code == 400


def test_an_asset_is_read_updated_patched_and_deleted(rest: requests.Session) -> None:
    made = create(rest, "Welcome", views={"subjectline": {"content": "Hi"}})
    assert made["assetType"] == {"id": 208, "name": "htmlemail", "displayName": "HTML Email"}
    assert made["category"]["name"] == "Content Builder" and made["status"]["name"] == "Draft"
    read = rest.get(url(rest, f"assets/{made['id']}")).json()
    assert read["views"]["subjectline"]["content"] == "Hi"
    patched = rest.patch(url(rest, f"assets/{made['id']}"), json={"description": "d"}).json()
    assert patched["description"] == "d" and patched["views"] and patched["version"] == 2
    replaced = rest.put(url(rest, f"assets/{made['id']}"), json={"name": "W2",
                                                                  "assetType": {"id": 208}})
    assert "views" not in replaced.json() and replaced.json()["name"] == "W2"
    assert rest.delete(url(rest, f"assets/{made['id']}")).status_code == 200
    gone = rest.get(url(rest, f"assets/{made['id']}"))
    assert gone.status_code == 404 and gone.json()["errorcode"] == 10002


def test_the_uniqueness_rules(rest: requests.Session) -> None:
    first = create(rest, "Welcome", customerKey="welcome-key")
    twin = rest.post(url(rest, "assets"), json={"name": "welcome", "assetType": {"id": 208}})
    assert twin.status_code == 400 and twin.json()["errorcode"] == facts.DUPLICATE_ASSET_NAME
    create(rest, "Welcome", 197)  # another asset type: allowed
    folder = rest.post(url(rest, "categories"), json={"name": "Spring",
                                                      "parentId": first["category"]["id"]})
    assert folder.status_code == 201
    create(rest, "Welcome", category={"id": folder.json()["id"]})  # another category
    key = rest.post(url(rest, "assets"), json={"name": "X", "assetType": {"id": 208},
                                               "customerKey": "WELCOME-KEY"})
    assert key.status_code == 400 and key.json()["errorcode"] == facts.DUPLICATE_ASSET_KEY
    for body in ({"name": "X"}, {"name": "", "assetType": {"id": 208}},
                 {"name": "X", "assetType": {"id": 99999}},
                 {"name": "X", "assetType": {"id": 208}, "category": {"id": 424242}}):
        assert rest.post(url(rest, "assets"), json=body).status_code == 400, body


def test_categories_nest_and_refuse_what_cannot_be(rest: requests.Session) -> None:
    root = rest.get(url(rest, "categories")).json()["items"][0]["id"]
    child = rest.post(url(rest, "categories"), json={"name": "A", "parentId": root}).json()
    again = rest.post(url(rest, "categories"), json={"name": "a", "parentId": root})
    assert again.status_code == 400
    children = rest.get(url(rest, "categories"), params={"$filter": f"parentId eq {root}"})
    assert [c["name"] for c in children.json()["items"]] == ["A"]
    create(rest, "In A", category={"id": child["id"]})
    assert rest.delete(url(rest, f"categories/{child['id']}")).status_code == 400
    assert rest.delete(url(rest, f"categories/{root}")).status_code == 400


def test_content_round_trips_through_the_state(cloud: Cloud, rest: requests.Session) -> None:
    create(rest, "Welcome", views={"html": {"content": "<p>x</p>"}})
    saved = cloud.service("sfmc").snapshot(SUB)
    cloud.service("sfmc").reset()
    cloud.service("sfmc").restore(saved)
    assert cloud.service("sfmc").snapshot(SUB) == saved
