"""Client verdicts tell the vendor's own answers from answers a fault rule injected (issue
22): for every rule, a client is judged on the vendor's real answers; injected ones are
judged only on request (`judge_injected`), by the waits the vendor documents, so a client
that waited what the vendor documents is never blamed for a fault. And a fault with a vendor
code lands only where the vendor can send that code."""

from __future__ import annotations

import pytest
import requests

from tests.helpers import BASE, MUNCHKIN, MarketoCaller, codes
from vendorsim import Cloud

BOMBORA = "https://api.bombora.com"
LISTS = f"{BOMBORA}/account-list/v1/account-list"


def rules(cloud: Cloud, **options: bool) -> dict[str, dict]:
    return {v["rule"]: v for v in cloud.verdicts(**options)}


def bombora_session(client: str = "cdp-bombora") -> requests.Session:
    http = requests.Session()
    token = http.post(f"{BOMBORA}/oauth/token", json={"client_id": client,
                                                        "client_secret": "s"})
    assert token.ok, token.text
    http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return http


# -- fault scoping: a vendor code only where the vendor can send it -------------------------
def test_a_606_fault_without_a_path_leaves_the_token_call_alone(cloud: Cloud) -> None:
    rule = cloud.add_fault(error_code="606", times=3)
    mkto = MarketoCaller().login()  # the README's own example: the token call still works
    answers = [mkto.sync([{"email": f"a{n}@x.example"}]) for n in range(4)]
    assert [codes(a) for a in answers] == [["606"], ["606"], ["606"], []]
    assert cloud.faults.list()[0]["fired"] == 3 and rule.id == 1


@pytest.mark.client("marketorestpython", area="its token under a 606 fault")
def test_the_public_client_gets_its_token_under_a_606_fault(cloud: Cloud) -> None:
    from marketorestpython.client import MarketoClient

    cloud.add_fault(error_code="606", times=1)
    client = MarketoClient(MUNCHKIN, "cdp", "s3cret")
    client.authenticate()  # was KeyError: 'access_token' (the fault answered the token call)
    assert client.token and cloud.faults.list()[0]["fired"] == 0
    assert codes(MarketoCaller().login().sync([{"email": "a@x.example"}])) == ["606"]


def test_an_oauth_code_fault_lands_on_the_identity_endpoint_only(cloud: Cloud) -> None:
    cloud.add_fault(error_code="invalid_client", times=1)
    mkto = MarketoCaller()
    refused = mkto.token()
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert mkto.login().sync([{"email": "a@x.example"}])["success"]


def test_a_path_sends_a_code_wherever_the_user_aims_it(cloud: Cloud) -> None:
    cloud.add_fault(error_code="606", times=1, path="/identity/")
    answer = MarketoCaller().token()
    assert answer.status_code == 200 and codes(answer.json()) == ["606"]


def test_bulk_queue_codes_reach_bulk_routes_only(cloud: Cloud) -> None:
    cloud.add_fault(error_code="1029", times=1)
    mkto = MarketoCaller().login()
    assert mkto.sync([{"email": "a@x.example"}])["success"]
    listed = mkto.get("/bulk/v1/leads/export.json")
    assert codes(listed) == ["1029"]


def test_sfmc_rest_codes_spare_the_token_endpoint(cloud: Cloud) -> None:
    cloud.add_fault(vendor="sfmc", error_code="50100", times=1)
    token = requests.post("https://acme.auth.marketingcloudapis.com/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})
    assert token.status_code == 200, token.text
    rows = requests.get("https://acme.rest.marketingcloudapis.com/data/v1/customobjectdata/"
                        "key/x/rowset", headers={
                            "Authorization": f"Bearer {token.json()['access_token']}"})
    assert rows.status_code == 429


def test_chaos_throttling_spares_the_token_call(cloud: Cloud) -> None:
    cloud.add_fault(chaos="throttle", times=1)
    mkto = MarketoCaller().login()
    assert codes(mkto.sync([{"email": "a@x.example"}])) == ["606"]


# -- retry_too_soon ------------------------------------------------------------------------
def test_waiting_the_documented_20_s_after_injected_606s_is_never_blamed(cloud: Cloud) -> None:
    cloud.add_fault(error_code="606", times=3)
    mkto = MarketoCaller().login()
    for n in range(4):
        mkto.sync([{"email": f"a{n}@x.example"}])
        cloud.clock.advance(21)
    assert cloud.verdicts() == [] and cloud.verdicts(judge_injected=True) == []


def test_straight_back_after_an_injected_606_is_judged_only_on_request(cloud: Cloud) -> None:
    rule = cloud.add_fault(error_code="606", times=2)
    mkto = MarketoCaller().login()
    for n in range(3):
        mkto.sync([{"email": f"a{n}@x.example"}])
        cloud.clock.advance(5)
    assert cloud.verdicts() == []
    found = rules(cloud, judge_injected=True)["retry_too_soon"]
    assert found["answers"] == "injected" and found["faults"] == [rule.id]
    assert "documents waiting 20 s" in found["detail"] and "fault rule" in found["detail"]


def test_straight_back_into_the_real_606_says_it_was_the_vendors_limit(cloud: Cloud) -> None:
    cloud.service("marketo").seed_tenant(MUNCHKIN, limits={"window_calls": 2})
    mkto = MarketoCaller().login()
    for n in range(4):
        mkto.sync([{"email": f"a{n}@x.example"}])
    found = rules(cloud)["retry_too_soon"]
    assert found["answers"] == "vendor" and found["faults"] == []
    assert "had not cleared" in found["detail"]


def test_injected_615_waits_a_second_and_607_until_the_quota_resets(cloud: Cloud) -> None:
    cloud.add_fault(error_code="615", times=1)
    cloud.add_fault(error_code="607", times=1)
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example"}])  # 615
    cloud.clock.advance(1)
    mkto.sync([{"email": "a@x.example"}])  # 607 (the clock: 12:00 UTC, 06:00 in Chicago)
    cloud.clock.advance(3600)
    mkto.sync([{"email": "a@x.example"}])  # an hour later: still before Chicago's midnight
    found = rules(cloud, judge_injected=True)["retry_too_soon"]
    assert "607" in found["detail"] and len(found["evidence"]) == 2


def test_an_injected_607_waited_out_to_midnight_in_chicago_is_fine(cloud: Cloud) -> None:
    cloud.add_fault(error_code="607", times=1)
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example"}])
    cloud.clock.set("2026-11-24T06:00:01Z")  # 00:00:01 in Chicago (the token expired)
    assert mkto.login().sync([{"email": "a@x.example"}])["success"]
    assert cloud.verdicts(judge_injected=True) == []


def test_an_injected_429_before_its_retry_after(cloud: Cloud) -> None:
    cloud.add_fault(vendor="bombora", status=429, times=1, path="account-list")
    http = bombora_session()
    assert http.get(LISTS).status_code == 429
    assert http.get(LISTS).ok
    assert cloud.verdicts() == []
    assert "Retry-After" in rules(cloud, judge_injected=True)["retry_too_soon"]["detail"]


def test_the_real_429_before_its_retry_after(cloud: Cloud) -> None:
    cloud.service("bombora").seed_tenant("cdp-bombora", limits={"window_calls": 1})
    http = bombora_session()
    for _ in range(3):
        http.get(LISTS)
    assert rules(cloud)["retry_too_soon"]["answers"] == "vendor"


# -- repeated_refusal ----------------------------------------------------------------------
def test_resending_after_an_injected_refusal_is_judged_only_on_request(cloud: Cloud) -> None:
    cloud.add_fault(error_code="1003", times=2, path="leads")
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example"}])
    mkto.sync([{"email": "a@x.example"}])
    assert "repeated_refusal" not in rules(cloud)
    assert rules(cloud, judge_injected=True)["repeated_refusal"]["answers"] == "injected"


def test_resending_after_the_real_refusal(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example"}], lookupField="nope")
    mkto.sync([{"email": "a@x.example"}], lookupField="nope")
    assert rules(cloud)["repeated_refusal"]["answers"] == "vendor"


# -- duplicate_write -----------------------------------------------------------------------
def test_a_write_sent_twice_is_a_duplicate_whatever_faults_there_are(cloud: Cloud) -> None:
    cloud.add_fault(latency=2, times=1)  # a slow answer: the client's own timeout resends
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example", "title": "CTO"}])
    mkto.sync([{"email": "a@x.example", "title": "CTO"}])
    assert "duplicate_write" in rules(cloud)


def test_a_write_resent_after_an_injected_failure_is_no_duplicate(cloud: Cloud) -> None:
    cloud.add_fault(status=503, times=1, path="leads")
    mkto = MarketoCaller().login()
    mkto.session.post(f"{BASE}/rest/v1/leads.json", json={"input": [{"email": "a@x.example"}]})
    mkto.sync([{"email": "a@x.example"}])
    assert cloud.verdicts() == [] and cloud.verdicts(judge_injected=True) == []


# -- token_churn ---------------------------------------------------------------------------
def test_new_tokens_after_injected_601s_are_no_churn(cloud: Cloud) -> None:
    cloud.add_fault(error_code="601", times=4, path="leads")
    mkto = MarketoCaller().login()
    for n in range(5):
        if codes(mkto.sync([{"email": f"a{n}@x.example"}])) == ["601"]:
            mkto.login()
    assert "token_churn" not in rules(cloud, judge_injected=True)


def test_new_tokens_after_real_602s_are_no_churn(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    for n in range(4):
        cloud.service("marketo").tokens.clear(MUNCHKIN)  # as POST .../expire-tokens does
        if codes(mkto.sync([{"email": f"a{n}@x.example"}])):
            mkto.login()
    assert "token_churn" not in rules(cloud)


# -- oversized -----------------------------------------------------------------------------
def test_an_injected_413_is_judged_only_on_request(cloud: Cloud) -> None:
    cloud.add_fault(status=413, times=1, path="leads")
    mkto = MarketoCaller().login()
    assert mkto.session.post(f"{BASE}/rest/v1/leads.json",
                             json={"input": [{"email": "a@x.example"}]}).status_code == 413
    assert "oversized" not in rules(cloud)
    assert rules(cloud, judge_injected=True)["oversized"]["answers"] == "injected"


def test_a_batch_over_300_is_oversized_with_faults_about(cloud: Cloud) -> None:
    cloud.add_fault(error_code="606", times=1, path="lists")
    mkto = MarketoCaller().login()
    mkto.sync([{"email": f"a{n}@x.example"} for n in range(301)])
    assert "300" in rules(cloud)["oversized"]["detail"]


# -- unmatched_route -----------------------------------------------------------------------
def test_a_route_the_vendor_lacks_is_the_clients_with_or_without_faults(cloud: Cloud) -> None:
    cloud.add_fault(status=503, times=1, path="leeds")
    mkto = MarketoCaller().login()
    mkto.get("/rest/v1/leeds.json")
    assert "unmatched_route" in rules(cloud)


# -- naming the client -----------------------------------------------------------------------
def test_a_client_the_vendor_cannot_name_is_an_unknown_client(cloud: Cloud) -> None:
    requests.get(f"{BASE}/rest/v1/leeds.json")  # no token: nobody the vendor knows
    found = rules(cloud)["unmatched_route"]
    assert found["client"] == "unknown client"


def test_the_marker_can_judge_injected_answers(tmp_path: object) -> None:
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "test_client.py").write_text(
        "import pytest, requests\n"
        "BASE = 'https://123-ABC-456.mktorest.com'\n"
        "def hammer(cloud):\n"
        "    cloud.add_fault(error_code='606', times=2)\n"
        "    s = requests.Session()\n"
        "    t = s.get(BASE + '/identity/oauth/token', params={'grant_type': "
        "'client_credentials', 'client_id': 'c', 'client_secret': 's'}).json()\n"
        "    s.headers['Authorization'] = 'Bearer ' + t['access_token']\n"
        "    for _ in range(3):\n"
        "        s.post(BASE + '/rest/v1/leads.json', json={'input': [{'email': 'a@x.io'}]})\n"
        "@pytest.mark.vendorsim(clock='virtual', strict_client=True)\n"
        "def test_default(vendorsim):\n"
        "    hammer(vendorsim)\n"
        "@pytest.mark.vendorsim(clock='virtual', strict_client=True, judge_injected=True)\n"
        "def test_judged(vendorsim):\n"
        "    hammer(vendorsim)\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(folder)], capture_output=True, text=True, cwd=folder,
                          timeout=120)
    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
    assert "test_judged" in done.stdout and "injected answers" in done.stdout
