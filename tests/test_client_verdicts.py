"""Client verdicts (issue 18): small clients written to break one vendor rule each, and a
well-behaved one beside each, judged from the journal; the simulator's own connectors come
out clean on every fixture and example scenario."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.helpers import BASE, MUNCHKIN, MarketoCaller
from vendorsim import Cloud
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "fixtures" / "scenarios").glob("*.yaml")) + \
    sorted((ROOT / "examples").glob("*.yaml"))


def rules(cloud: Cloud) -> dict[str, dict]:
    return {v["rule"]: v for v in cloud.verdicts()}


def test_a_client_that_stays_inside_the_rules_gets_no_verdict(cloud: Cloud) -> None:
    cloud.service("marketo").seed_tenant(MUNCHKIN, limits={"window_calls": 3})
    mkto = MarketoCaller().login()
    for n in range(4):  # the fourth call is answered 606: the client waits the window out
        body = mkto.sync([{"email": f"a{n}@x.example"}])
        if not body["success"]:
            assert body["errors"][0]["code"] == "606"
            cloud.clock.advance(20)
            assert mkto.sync([{"email": f"a{n}@x.example"}])["success"]
    assert cloud.verdicts() == []


def test_calling_straight_back_into_a_606(cloud: Cloud) -> None:
    cloud.service("marketo").seed_tenant(MUNCHKIN, limits={"window_calls": 2})
    mkto = MarketoCaller().login()
    for n in range(4):
        mkto.sync([{"email": f"a{n}@x.example"}])
    found = rules(cloud)["retry_too_soon"]
    assert found["client"] == "cdp" and found["tenant"] == MUNCHKIN
    assert "606" in found["detail"] and len(found["evidence"]) >= 2
    calls = {e.seq: e for e in cloud.journal.entries()}
    assert all("606" in calls[s].codes for s in found["evidence"])


def test_calling_on_after_the_daily_quota(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    cloud.service("marketo").tenant(MUNCHKIN).limiter.exhaust_quota()
    mkto.sync([{"email": "a@x.example"}])
    mkto.sync([{"email": "a@x.example"}])
    assert "607" in rules(cloud)["retry_too_soon"]["detail"]


def test_calling_before_retry_after(cloud: Cloud) -> None:
    cloud.service("bombora").seed_tenant("cdp-bombora", limits={"window_calls": 1})
    http = requests.Session()
    token = http.post("https://api.bombora.com/oauth/token", json={
        "client_id": "cdp-bombora", "client_secret": "s"})
    assert token.ok, token.text
    http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    lists = "https://api.bombora.com/account-list/v1/account-list"
    answers = [http.get(lists) for _ in range(3)]
    assert answers[1].status_code == 429 and answers[1].headers["Retry-After"]
    assert "Retry-After" in rules(cloud)["retry_too_soon"]["detail"]


def test_waiting_out_retry_after_is_fine(cloud: Cloud) -> None:
    cloud.service("bombora").seed_tenant("cdp-bombora", limits={"window_calls": 1})
    http = requests.Session()
    token = http.post("https://api.bombora.com/oauth/token", json={
        "client_id": "cdp-bombora", "client_secret": "s"})
    http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    lists = "https://api.bombora.com/account-list/v1/account-list"
    http.get(lists)
    refused = http.get(lists)
    cloud.clock.advance(float(refused.headers["Retry-After"]))
    assert http.get(lists).ok
    assert cloud.verdicts() == []


def test_sending_a_refused_request_again_unchanged(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example"}], lookupField="nope")  # 1006, response-level
    mkto.sync([{"email": "a@x.example"}], lookupField="nope")
    found = rules(cloud)["repeated_refusal"]
    assert "1006" in found["detail"] and len(found["evidence"]) == 2


def test_fixing_a_refused_request_is_fine(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example"}], lookupField="nope")
    mkto.sync([{"email": "a@x.example"}], lookupField="email")
    assert "repeated_refusal" not in rules(cloud)


def test_bad_credentials_again_and_again(cloud: Cloud) -> None:
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": "cdp", "client_secret": "right"}])
    caller = MarketoCaller()
    assert caller.token("cdp", "wrong").status_code == 401
    assert caller.token("cdp", "wrong").status_code == 401
    assert rules(cloud)["repeated_refusal"]["client"] == "cdp"


def test_the_same_write_accepted_twice(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example", "title": "CTO"}])
    mkto.sync([{"email": "a@x.example", "title": "CTO"}])
    assert "duplicate delivery" in rules(cloud)["duplicate_write"]["detail"]


def test_a_new_token_before_every_call(cloud: Cloud) -> None:
    mkto = MarketoCaller()
    for n in range(4):
        mkto.login()
        mkto.sync([{"email": f"a{n}@x.example"}])
    found = rules(cloud)["token_churn"]
    assert found["client"] == "cdp" and len(found["evidence"]) == 3


def test_a_token_reused_until_it_expires_is_fine(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    for n in range(4):
        mkto.sync([{"email": f"a{n}@x.example"}])
        cloud.clock.advance(3600)  # expired: a new one is due
        mkto.login()
    assert "token_churn" not in rules(cloud)


def test_oversized_batches_and_long_get_uris(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    mkto.sync([{"email": f"a{n}@x.example"} for n in range(301)])
    long = mkto.session.get(f"{BASE}/rest/v1/leads.json", params={
        "filterType": "email",
        "filterValues": ",".join(f"someone{n}@example.com" for n in range(400))})
    assert long.status_code == 414
    found = rules(cloud)["oversized"]
    assert len(found["evidence"]) == 2 and "_method=GET" in found["detail"]


def test_unmatched_routes_with_the_hint(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    mkto.get("/rest/v1/leeds.json")
    assert "did you mean /rest/v1/leads.json" in rules(cloud)["unmatched_route"]["detail"]


def test_verdicts_through_the_admin_api(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    mkto.get("/rest/v1/leeds.json")
    body = requests.get(f"{BASE}/__admin/verdicts", params={"rule": "unmatched_route"}).json()
    assert body["count"] == 1 and body["verdicts"][0]["evidence"]
    assert requests.get(f"{BASE}/__admin/verdicts", params={"client": "x"}).json()["count"] == 0


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_the_simulators_connectors_are_clean(path: Path) -> None:
    report = run_scenario(load_scenario(path))
    assert report.client_verdicts == [], report.client_verdicts


def test_strict_client_marker_fails_a_test_whose_client_broke_a_rule(tmp_path: Path) -> None:
    (tmp_path / "test_client.py").write_text(
        "import pytest, requests\n"
        "@pytest.mark.vendorsim(clock='virtual', strict_client=True)\n"
        "def test_typo(vendorsim):\n"
        "    requests.get('https://123-ABC-456.mktorest.com/rest/v1/leeds.json')\n"
        "@pytest.mark.vendorsim(clock='virtual', strict_client=True)\n"
        "def test_clean(vendorsim):\n"
        "    requests.get('https://123-ABC-456.mktorest.com/identity/oauth/token', params={\n"
        "        'grant_type': 'client_credentials', 'client_id': 'c', 'client_secret': 's'})\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "no:randomly", str(tmp_path)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
    assert "unmatched_route" in done.stdout and "did you mean" in done.stdout
