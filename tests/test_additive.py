"""The tolerant-reader fault (issue 25, vendor-apis.md §7.4): `additive` answers carry what the
vendors' change policies allow without notice, mean the same, and a client that breaks on
them gets the `intolerant_reader` verdict; tolerant clients (a public one, the simulator's
connectors) keep working with no verdict."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
import requests

from tests.helpers import BASE, MUNCHKIN, MarketoCaller, codes
from vendorsim import Cloud
from vendorsim.mocks.core.additive import ADDED
from vendorsim.mocks.core.faults import FaultSpecError
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))
TOKEN = f"{BASE}/identity/oauth/token"
CREDENTIALS = {"grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}


def rules(cloud: Cloud) -> list[str]:
    return [v["rule"] for v in cloud.verdicts()]


def test_an_additive_answer_means_the_same(cloud: Cloud) -> None:
    plain = MarketoCaller().login()
    plain.sync([{"email": "a@x.example", "firstName": "Ann"}])
    before = plain.get("/rest/v1/leads.json", filterType="email", filterValues="a@x.example")
    cloud.add_fault(additive=True)
    after = plain.get("/rest/v1/leads.json", filterType="email", filterValues="a@x.example")
    assert after.pop(ADDED) and list(after) == list(reversed(list(before)))
    assert after["result"] == before["result"] and after["success"] is True
    assert list(after["result"][0]) == list(reversed(list(before["result"][0])))
    assert cloud.journal.entries()[-1].additive == "answer"


def test_a_longer_token_works_and_error_texts_change_but_not_codes(cloud: Cloud) -> None:
    cloud.add_fault(additive=True)
    plain = requests.get(TOKEN, params=CREDENTIALS).json()["access_token"]
    assert len(plain) > 40  # a uuid and a pod, and more
    auth = {"Authorization": f"Bearer {plain}"}
    assert requests.get(f"{BASE}/rest/v1/leads/partitions.json", headers=auth).json()["success"]
    refused = requests.get(f"{BASE}/rest/v1/leads/partitions.json",
                           headers={"Authorization": "Bearer nope"}).json()
    assert codes(refused) == ["601"] and refused["errors"][0]["message"] != \
        "Access token invalid"
    assert "Access token invalid" in refused["errors"][0]["message"]


def export_job() -> tuple[MarketoCaller, str]:
    """A logged-in caller and a lead export job created (not yet enqueued)."""
    mkto = MarketoCaller().login()
    mkto.sync([{"email": "a@x.example"}])
    job = mkto.post("/bulk/v1/leads/export/create.json", json={
        "fields": ["email"], "format": "CSV", "filter": {"createdAt": {
            "startAt": "2026-11-01T00:00:00Z", "endAt": "2026-11-30T00:00:00Z"}}})
    return mkto, job["result"][0]["exportId"]


def test_a_job_in_progress_shows_a_new_state_until_it_is_done(cloud: Cloud) -> None:
    mkto, export_id = export_job()
    cloud.add_fault(additive=True)
    mkto.post(f"/bulk/v1/leads/export/{export_id}/enqueue.json")
    status = mkto.get(f"/bulk/v1/leads/export/{export_id}/status.json")["result"][0]
    assert status["status"] in ("Pending", "Running")  # Queued / Processing, renamed
    assert cloud.journal.entries()[-1].additive == "state"
    cloud.clock.advance(120)
    assert mkto.get(f"/bulk/v1/leads/export/{export_id}/status.json")["result"][0][
        "status"] == "Completed"  # final states are never renamed


def test_additive_reshapes_the_vendors_answer_and_forces_none() -> None:
    with pytest.raises(FaultSpecError, match="does not go with error_code"):
        Cloud("virtual").add_fault(additive=True, error_code="606")


@pytest.mark.client("marketorestpython", area="the additive (tolerant-reader) fault")
def test_a_public_client_is_a_tolerant_reader(cloud: Cloud, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    client_module = pytest.importorskip("marketorestpython.client",
                                        reason="marketorestpython is in the dev extra")
    http_lib = pytest.importorskip("marketorestpython.helper.http_lib")
    import time

    monkeypatch.setattr(http_lib, "time", types.SimpleNamespace(time=time.time,
                                                                sleep=lambda s: None))
    cloud.add_fault(additive=True)
    client = client_module.MarketoClient(MUNCHKIN, "client-id", "client-secret")
    created = client.execute(method="create_update_leads", leads=[{"email": "a@x.example"}],
                             action="createOrUpdate", lookupField="email")
    assert created[0]["status"] == "created"
    assert client.execute(method="get_lead_partitions")[0]["name"] == "Default"
    assert all(e.additive for e in cloud.journal.entries())
    assert rules(cloud) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_simulators_connectors_are_tolerant_readers(path: Path) -> None:
    plain = run_scenario(load_scenario(path))
    loaded = load_scenario(path)
    loaded.scenario.faults.append({"additive": True})
    reshaped = run_scenario(loaded)
    assert reshaped.passed, [v for v in reshaped.verdicts if not v.passed]
    assert [v.passed for v in reshaped.verdicts] == [v.passed for v in plain.verdicts]
    assert any(e.get("additive") for e in reshaped.journal)
    assert reshaped.client_verdicts == [], reshaped.client_verdicts


def test_a_client_that_cuts_the_token_is_told(cloud: Cloud) -> None:
    cloud.add_fault(additive=True)
    token = requests.get(TOKEN, params=CREDENTIALS).json()["access_token"]
    stored = token[:39]  # a uuid:pod column, as wide as the tokens it had seen
    answer = requests.get(f"{BASE}/rest/v1/leads/partitions.json",
                          headers={"Authorization": f"Bearer {stored}"}).json()
    assert codes(answer) == ["601"]
    (verdict,) = cloud.verdicts()
    assert verdict["rule"] == "intolerant_reader" and verdict["client"] == "c"
    assert "token whole" in verdict["detail"] and verdict["answers"] == "injected"


def test_a_client_with_a_closed_schema_is_told(cloud: Cloud) -> None:
    """A client that checks the token answer against the attributes it knows, and asks
    again when it sees another; then reads a lead, fails to validate it, reads again."""
    cloud.add_fault(additive=True)
    known = {"access_token", "token_type", "expires_in", "scope"}
    for _ in range(2):
        answer = requests.get(TOKEN, params=CREDENTIALS).json()
        if set(answer) <= known:
            break
    auth = {"Authorization": f"Bearer {answer['access_token']}"}
    for _ in range(2):
        read = requests.get(f"{BASE}/rest/v1/leads/partitions.json", headers=auth).json()
        if set(read) <= {"success", "result", "requestId"}:
            break
    (verdict,) = cloud.verdicts()
    assert verdict["rule"] == "intolerant_reader"
    assert len(verdict["evidence"]) == 4 and "another token" in verdict["detail"]


def test_no_verdict_for_a_client_polling_a_new_state(cloud: Cloud) -> None:
    mkto, export_id = export_job()
    mkto.post(f"/bulk/v1/leads/export/{export_id}/enqueue.json")
    cloud.add_fault(additive=True)
    for _ in range(3):  # the same status call again: polling a state, not distrust
        mkto.get(f"/bulk/v1/leads/export/{export_id}/status.json")
    assert rules(cloud) == []


def test_sfmc_and_demandbase_jobs_in_progress_show_new_states(cloud: Cloud) -> None:
    sub = "mc-additive"
    cloud.service("sfmc").seed_tenant(sub, state={"data_extensions": [
        {"name": "People", "key": "people", "fields": [{"name": "K", "isPrimaryKey": True}]}]})
    base = f"https://{sub}.auth.marketingcloudapis.com"
    cloud.add_fault(additive=True)
    token = requests.post(f"{base}/v2/token", json=CREDENTIALS).json()
    rest = token["rest_instance_url"]
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    queued = requests.post(f"{rest}data/v1/async/dataextensions/key:people/rows",
                           headers=auth, json={"items": [{"K": "1"}]}).json()
    status = requests.get(f"{rest}data/v1/async/{queued['requestId']}/status",
                          headers=auth).json()["status"]
    assert status["requestStatus"] == "Validating"  # Pending, renamed

    demandbase = "https://uapi.demandbase.com"
    value = requests.post(f"{demandbase}/auth/v1/token",
                          data={"client_id": "c", "client_secret": "s"}).json()
    auth = {"Authorization": f"Bearer {value['accessToken']}"}
    job = requests.post(f"{demandbase}/import/v1/job", headers=auth,
                        json={"entityType": "account", "dataImportName": "T"}).json()
    assert requests.get(f"{demandbase}/import/v1/job/{job['id']}",
                        headers=auth).json()["state"] == "queued"  # new, renamed
    requests.put(f"{demandbase}/import/v1/job/{job['id']}/data?listAction=insert",
                 headers=auth, data=b"accountName,accountEmailDomain\nAcme,acme.com\n")
    cloud.clock.advance(30)
    done = requests.get(f"{demandbase}/import/v1/job/{job['id']}", headers=auth).json()
    assert done["state"] == "completed" and done["recordsProcessed"] == 1
    assert rules(cloud) == []
