"""The journal keeps what was said (issue 17, first part): request and response bodies of
recent calls, bounded and truncated with a marker, secrets masked, read back one entry at a
time; requests no route matched are marked with the nearest known route."""

from __future__ import annotations

import requests

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud
from vendorsim.mocks.core import journal as journal_module

ADMIN = f"https://{MUNCHKIN}.mktorest.com/__admin"


def test_bodies_are_kept_and_secrets_masked(cloud: Cloud) -> None:
    caller = MarketoCaller().login(client_secret="hunter2-secret")
    caller.sync([{"email": "a@x.example", "firstName": "Ana"}])
    token_call, sync_call = cloud.journal.entries()
    detail = requests.get(f"{ADMIN}/journal/{token_call.seq}").json()
    assert "hunter2-secret" not in str(detail) and "client_secret=***" in detail["bodies"][
        "query"]
    assert '"access_token":"***"' in detail["bodies"]["response"]
    detail = requests.get(f"{ADMIN}/journal/{sync_call.seq}").json()
    assert '"email": "a@x.example"' in detail["bodies"]["request"]
    assert '"status":"created"' in detail["bodies"]["response"]
    listed = requests.get(f"{ADMIN}/journal").json()["requests"]
    assert all("bodies" not in e for e in listed)  # the list stays light


def test_long_bodies_are_truncated_with_a_marker(cloud: Cloud) -> None:
    caller = MarketoCaller().login()
    caller.sync([{"email": f"p{i}@x.example", "firstName": "x" * 60} for i in range(200)])
    entry = cloud.journal.entries(path="/rest/v1/leads.json")[-1]
    request_body = cloud.journal.detail(entry.seq)["bodies"]["request"]  # type: ignore[index]
    assert "…[truncated " in request_body
    assert len(request_body.split("…[truncated")[0]) == journal_module.BODY_LIMIT


def test_bodies_can_be_switched_off_and_age_out(cloud: Cloud) -> None:
    cloud.journal.keep_bodies = False
    MarketoCaller().login()
    (entry,) = cloud.journal.entries()
    assert cloud.journal.detail(entry.seq)["bodies"] is None  # type: ignore[index]
    assert requests.get(f"{ADMIN}/journal/999999").status_code == 404


def test_unmatched_requests_are_marked_with_the_nearest_route(cloud: Cloud) -> None:
    caller = MarketoCaller().login()
    assert caller.get("/rest/v1/lead.json")["errors"][0]["code"] == "610"
    (miss,) = requests.get(f"{ADMIN}/journal", params={"unmatched": "true"}).json()["requests"]
    assert miss["path"] == "/rest/v1/lead.json" and miss["hint"] == "/rest/v1/leads.json"
    matched = requests.get(f"{ADMIN}/journal", params={"unmatched": "false"}).json()
    assert matched["count"] == 1  # the token call
    assert requests.get(f"{ADMIN}/journal", params={"unmatched": "maybe"}).status_code == 400
