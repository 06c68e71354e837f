"""SFMC's and Demandbase's ids on id sequences too (issue 33): a deleted record's id is never
handed to another, snapshots carry where each sequence stands (`nextIds`), records keep
their ids through a snapshot round trip, and persistent mode reserves them ahead, so a
SIGKILL never makes the restart hand out an id a client already holds."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import requests

from tests.served import Served
from tests.test_demandbase import API, token
from vendorsim import Cloud

SUB = "mc-ids"
REST = f"https://{SUB}.rest.marketingcloudapis.com"


def sfmc_auth(base: str) -> tuple[str, dict]:
    answer = requests.post(f"{base}/v2/token", json={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()
    return answer["rest_instance_url"], {"Authorization": f"Bearer {answer['access_token']}"}


def campaign(base: str, auth: dict, name: str) -> int:
    made = requests.post(f"{base}hub/v1/campaigns", headers=auth, json={"name": name})
    assert made.status_code in (200, 201), made.text
    return int(made.json()["id"])


def round_trip(admin: str, cloud: Cloud) -> None:
    snapshot = requests.get(f"{admin}/state", params={"secrets": "include"}).json()
    cloud.reset()
    answer = requests.put(f"{admin}/state", json=snapshot)
    assert answer.status_code == 200, answer.text


def test_sfmc_campaigns_keep_their_ids_and_a_deleted_ones_is_not_reused(cloud: Cloud) -> None:
    base, auth = sfmc_auth(f"https://{SUB}.auth.marketingcloudapis.com")
    first, second, third = (campaign(base, auth, n) for n in ("A", "B", "C"))
    assert requests.delete(f"{base}hub/v1/campaigns/{first}", headers=auth).status_code == 200
    assert requests.delete(f"{base}hub/v1/campaigns/{third}", headers=auth).status_code == 200
    before = cloud.sfmc(SUB).sequences.snapshot()
    round_trip(f"{REST}/__admin", cloud)
    assert cloud.sfmc(SUB).sequences.snapshot() == before  # every sequence where it stood
    base, auth = sfmc_auth(f"https://{SUB}.auth.marketingcloudapis.com")
    kept = requests.get(f"{base}hub/v1/campaigns/{second}", headers=auth)
    assert kept.status_code == 200 and kept.json()["name"] == "B"  # not renumbered to 1
    assert campaign(base, auth, "D") not in (first, second, third)


def test_every_whole_number_id_of_an_sfmc_account_is_on_a_sequence(cloud: Cloud) -> None:
    account = cloud.sfmc(SUB)
    assert set(account.sequences.snapshot()) == {
        "folders", "subscribers", "lists", "contentCategories", "contentAssets", "emails",
        "trackingEvents", "sendJobs", "sendBatches", "campaigns"}
    account.sequences.sequence("sendJobs").continue_from(5000)  # as after a crash
    base, auth = sfmc_auth(f"https://{SUB}.auth.marketingcloudapis.com")
    cloud.service("sfmc").seed_tenant(SUB, state={"triggered_sends": ["welcome"]})
    sent = requests.post(f"{base}messaging/v1/messageDefinitionSends/key:welcome/send",
                         headers=auth, json={"To": {"Address": "c@x.example",
                                                    "SubscriberKey": "C1"}})
    assert sent.status_code == 202
    assert [job.id for job in account.sends.jobs.values()] == [5000]


@pytest.mark.parametrize("bad", [{"sendJobs": "9"}, {"nobody": 9}, {"campaigns": 0}])
def test_a_snapshots_next_ids_are_checked(cloud: Cloud, bad: dict) -> None:
    answer = requests.post(f"{REST}/__admin/tenants", json={"id": SUB,
                                                            "state": {"nextIds": bad}})
    assert answer.status_code == 400 and "nextIds" in answer.text


def test_demandbase_list_ids_continue_above_a_snapshots_mark(cloud: Cloud) -> None:
    db = requests.Session()
    db.headers["Authorization"] = f"Bearer {token().json()['accessToken']}"
    made = db.post(f"{API}/accountlists/v1/lists", json={"name": "Retail"}).json()["id"]
    cloud.demandbase("cdp").sequences.sequence("listsAndJobs").continue_from(20_000)  # a crash
    round_trip(f"{API}/__admin", cloud)
    db.headers["Authorization"] = f"Bearer {token().json()['accessToken']}"
    again = db.post(f"{API}/accountlists/v1/lists", json={"name": "Travel"}).json()["id"]
    assert int(again) >= 20_000 and again != made


def test_sfmc_ids_handed_out_before_a_sigkill_are_never_handed_out_again(tmp_path: Path
                                                                        ) -> None:
    state = tmp_path / "state.json"
    server = Served("--state", str(state), "--save-every", "60", "--no-limits")
    base, auth = sfmc_auth(f"{server.urls['sfmc']}/{SUB}")
    before = {campaign(base, auth, f"c{n}") for n in range(20)}
    server.stop(signal.SIGKILL)
    again = Served("--state", str(state), "--save-every", "60", "--no-limits")
    try:
        base, auth = sfmc_auth(f"{again.urls['sfmc']}/{SUB}")
        after = {campaign(base, auth, f"d{n}") for n in range(20)}
        assert not before & after, sorted(before & after)
    finally:
        again.stop()
