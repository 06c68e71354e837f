"""Ids are never handed out twice (issue 33): the generic id sequence (mocks/core/ids.py),
and every id Marketo hands out taken from one, so that deleting the newest record, a
snapshot round trip (`GET`/`PUT /__admin/state`, `--state`) or a restart that skips ids
never gives an id a client holds to another record."""

from __future__ import annotations

import copy
import json

import pytest
import requests

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud
from vendorsim.mocks.core.ids import IdSequence, IdSequences

ADMIN = f"https://{MUNCHKIN}.mktorest.com/__admin"
FOLDER = json.dumps({"id": 12, "type": "Folder"})


def test_a_sequence_reserves_before_it_hands_out_beyond_its_limit() -> None:
    seq = IdSequence("leads", first=5)
    reserved: list[int] = []

    def reserve(s: IdSequence) -> None:
        reserved.append(s.next)
        s.limit = s.next + 3

    seq.limit, seq.reserve = 5, reserve
    assert [seq.take() for _ in range(7)] == [5, 6, 7, 8, 9, 10, 11]
    assert reserved == [5, 8, 11]  # once per three ids, before the first of them
    seq.note(3)  # an explicit id below: nothing changes
    seq.note(40)
    seq.continue_from(20)  # below what it hands out next: nothing changes
    assert seq.take() == 41
    twin = copy.deepcopy(seq)  # an all-or-nothing seed's copy keeps persistent mode's hook
    assert twin.reserve is reserve and twin.next == 42 and twin is not seq


@pytest.mark.parametrize("bad", [[1], {"leads": "9"}, {"leads": True}, {"leads": 0},
                                 {"nobody": 9}])
def test_a_snapshot_of_sequences_is_checked(bad: object) -> None:
    group = IdSequences()
    group.sequence("leads")
    with pytest.raises(ValueError, match="nextIds"):
        group.restore(bad)
    group.restore({"leads": 9})
    assert group.snapshot() == {"leads": 9}


def _round_trip(cloud: Cloud) -> None:
    """What a restart does to the state: out through GET /__admin/state, in through PUT."""
    snapshot = requests.get(f"{ADMIN}/state", params={"secrets": "include"}).json()
    cloud.reset()
    assert requests.put(f"{ADMIN}/state", json=snapshot).status_code == 200


def test_the_newest_deleted_records_ids_are_not_reused(cloud: Cloud, mkto: MarketoCaller
                                                       ) -> None:
    lead_ids = [r["id"] for r in mkto.sync([{"email": f"{n}@x.example"} for n in range(3)])
                ["result"]]
    list_ids = [mkto.post("/rest/asset/v1/staticLists.json", data={
        "name": name, "folder": FOLDER})["result"][0]["id"] for name in ("A", "B")]
    company = mkto.post("/rest/v1/companies.json", {"input": [
        {"externalCompanyId": "c1", "company": "C1"}, {"externalCompanyId": "c2"}]})
    company_ids = [r["id"] for r in company["result"]]
    mkto.post("/rest/v1/leads/delete.json", {"input": [{"id": lead_ids[-1]}]})
    mkto.post(f"/rest/asset/v1/staticList/{list_ids[-1]}/delete.json")
    mkto.post("/rest/v1/companies/delete.json", {"deleteBy": "idField",
                                                  "input": [{"id": company_ids[-1]}]})
    _round_trip(cloud)
    mkto.login()
    lead = mkto.sync([{"email": "new@x.example"}])["result"][0]["id"]
    new_list = mkto.post("/rest/asset/v1/staticLists.json", data={
        "name": "C", "folder": FOLDER})["result"][0]["id"]
    new_company = mkto.post("/rest/v1/companies.json", {"input": [
        {"externalCompanyId": "c3"}]})["result"][0]["id"]
    assert lead not in lead_ids and new_list not in list_ids and \
        new_company not in company_ids


def test_custom_activity_type_ids_are_never_reused_and_survive_a_snapshot(
        cloud: Cloud, mkto: MarketoCaller) -> None:
    def create(name: str) -> int:
        spec = {"apiName": name, "name": name, "triggerName": "T", "filterName": "F",
                "primaryAttribute": {"apiName": "p", "name": "P", "dataType": "string"}}
        made = mkto.post("/rest/v1/activities/external/type.json", spec)["result"][0]["id"]
        mkto.post(f"/rest/v1/activities/external/type/{name}/approve.json")
        return int(made)

    first, second = create("first"), create("second")
    assert mkto.post("/rest/v1/activities/external/type/second/delete.json")["success"]
    third = create("third")
    assert third not in (first, second)
    assert mkto.post("/rest/v1/activities/external/type/first/delete.json")["success"]
    _round_trip(cloud)
    types = mkto.login().get("/rest/v1/activities/external/types.json")["result"]
    assert [(t["apiName"], t["id"]) for t in types] == [("third", third)]
    assert create("fourth") not in (first, second, third)


def test_activity_ids_skip_and_paging_reads_across_the_gap(cloud: Cloud, mkto: MarketoCaller
                                                           ) -> None:
    """After a crash persistent mode continues every sequence above its reserved mark: the
    activity log's ids then skip, and tokens, paging and snapshots keep working."""
    mkto.sync([{"email": "a@x.example"}, {"email": "b@x.example"}])  # activities 1, 2
    since = mkto.get("/rest/v1/activities/pagingtoken.json",
                     sinceDatetime="2026-11-23T00:00:00Z")["nextPageToken"]
    db = cloud.marketo(MUNCHKIN)
    db.sequences.sequence("activities").continue_from(1001)  # as after a crash
    mkto.sync([{"email": "c@x.example"}, {"email": "d@x.example"}])  # activities 1001, 1002
    ids, token = [], since
    while True:
        page = mkto.get("/rest/v1/activities.json", nextPageToken=token,
                        activityTypeIds="12", batchSize=1)
        ids += [a["id"] for a in page.get("result", [])]
        token = page["nextPageToken"]
        if not page["moreResult"]:
            break
    assert ids == [1, 2, 1001, 1002]
    _round_trip(cloud)
    assert [a.id for a in cloud.marketo(MUNCHKIN).activity_log.items] == [1, 2, 1001, 1002]
    mkto.login().sync([{"email": "e@x.example"}])
    assert cloud.marketo(MUNCHKIN).activity_log.items[-1].id == 1003


def test_an_activity_row_with_an_id_below_the_one_before_is_refused(cloud: Cloud) -> None:
    rows = [[1, 12, 1.0, None, None, {}, None, None, None, 50],
            [2, 12, 2.0, None, None, {}, None, None, None, 20]]
    answer = requests.post(f"{ADMIN}/tenants", json={"id": MUNCHKIN, "state": {
        "leads": [{"id": 1, "email": "a@x.example"}, {"id": 2, "email": "b@x.example"}],
        "activities": rows}})
    assert answer.status_code == 400 and "above the row before" in answer.json()["error"]
