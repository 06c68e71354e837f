"""Bulk extract and bulk import (B-B2B-07 backfills through bulk extract): job states on the
virtual clock, files, queue limits, the daily allowance, date ranges, retention, imports with
failures files, and their codes."""

from __future__ import annotations

import hashlib

import pytest

from tests.helpers import MarketoCaller, codes
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance

RANGE = {"startAt": "2026-11-01T00:00:00Z", "endAt": "2026-11-30T00:00:00Z"}


def create(mkto: MarketoCaller, entity: str = "leads", **body: object) -> dict:
    body = {"fields": ["id", "email"], "filter": {"createdAt": RANGE}, **body}
    return mkto.post(f"/bulk/v1/{entity}/export/create.json", body)


def job(mkto: MarketoCaller, entity: str = "leads", **body: object) -> str:
    created = create(mkto, entity, **body)
    assert created["success"], created
    return created["result"][0]["exportId"]


def status(mkto: MarketoCaller, export_id: str, entity: str = "leads") -> dict:
    return mkto.get(f"/bulk/v1/{entity}/export/{export_id}/status.json")["result"][0]


def test_lead_export_moves_through_its_states(cloud: Cloud, mkto: MarketoCaller) -> None:
    mkto.sync([{"email": "a@x.example"}, {"email": "b,c@x.example"}])
    export_id = job(mkto, format="TSV")
    assert status(mkto, export_id)["status"] == "Created"
    assert codes(mkto.get(f"/bulk/v1/leads/export/{export_id}/file.json")) == ["1003"]
    enqueued = mkto.post(f"/bulk/v1/leads/export/{export_id}/enqueue.json")["result"][0]
    # Adobe's documented enqueue answer: Queued with queuedAt, though a free slot started it
    assert enqueued["status"] == "Queued" and "queuedAt" in enqueued
    assert "startedAt" not in enqueued
    cloud.clock.advance(59)  # done after 5 s, but the status refreshes every 60 s
    assert status(mkto, export_id)["status"] == "Queued"
    assert codes(mkto.get(f"/bulk/v1/leads/export/{export_id}/file.json")) == ["1003"]
    cloud.clock.advance(1)
    done = status(mkto, export_id)
    assert done["status"] == "Completed" and done["numberOfRecords"] == 2
    data = mkto.session.get(f"{mkto.base}/bulk/v1/leads/export/{export_id}/file.json").content
    assert data == b"id\temail\n1\ta@x.example\n2\tb,c@x.example\n"
    assert done["fileSize"] == len(data)
    assert done["fileChecksum"] == "sha256:" + hashlib.sha256(data).hexdigest()
    part = mkto.session.get(f"{mkto.base}/bulk/v1/leads/export/{export_id}/file.json",
                            headers={"Range": "bytes=0-7"})
    assert part.status_code == 206 and part.content == data[:8]


def test_two_process_at_once_and_ten_may_wait(cloud: Cloud, mkto: MarketoCaller) -> None:
    ids = [job(mkto) for _ in range(11)]
    for export_id in ids[:10]:
        assert mkto.post(f"/bulk/v1/leads/export/{export_id}/enqueue.json")["success"]
    full = mkto.post(f"/bulk/v1/leads/export/{ids[10]}/enqueue.json")
    assert codes(full) == ["1029"] and "queue" in full["errors"][0]["message"]
    states = [status(mkto, i)["status"] for i in ids[:10]]
    assert states == ["Queued"] * 10  # two started at once: not shown before the refresh
    again = mkto.post(f"/bulk/v1/leads/export/{ids[0]}/enqueue.json")
    assert codes(again) == ["1029"]  # job already queued
    cloud.clock.advance(5)  # two done, two more started: not shown before the next refresh
    states = [status(mkto, i)["status"] for i in ids[:10]]
    assert states == ["Queued"] * 10
    cloud.clock.advance(55)
    shown = [status(mkto, i) for i in ids[:10]]
    assert [s["status"] for s in shown] == ["Completed"] * 10
    starts = sorted(s["startedAt"] for s in shown)  # two slots: each start shared by two
    assert all(starts[n] == starts[n + 1] for n in range(0, 10, 2))


def test_cancel_frees_a_slot(cloud: Cloud, mkto: MarketoCaller) -> None:
    ids = [job(mkto) for _ in range(3)]
    for export_id in ids:
        mkto.post(f"/bulk/v1/leads/export/{export_id}/enqueue.json")
    assert mkto.post(f"/bulk/v1/leads/export/{ids[0]}/cancel.json")["result"][0]["status"] == \
        "Canceled"
    cloud.clock.advance(60)
    third = status(mkto, ids[2])  # started the moment the canceled job left its slot
    assert third["status"] == "Completed" and third["startedAt"] == third["queuedAt"]
    assert codes(mkto.post(f"/bulk/v1/leads/export/{ids[0]}/cancel.json")) == ["1003"]


def test_create_checks_fields_filter_format_and_range(mkto: MarketoCaller) -> None:
    assert codes(create(mkto, fields=["id", "nope"])) == ["1006"]
    assert codes(create(mkto, fields=[])) == ["701"]
    assert codes(create(mkto, format="XLS")) == ["1003"]
    assert codes(create(mkto, filter={})) == ["701"]
    long_range = {"startAt": "2026-01-01T00:00:00Z", "endAt": "2026-03-01T00:00:00Z"}
    assert codes(create(mkto, filter={"createdAt": long_range})) == ["1003"]
    assert codes(create(mkto, filter={"createdAt": RANGE, "updatedAt": RANGE})) == ["1003"]
    assert codes(create(mkto, filter={"smartListId": 3})) == ["1035"]
    assert codes(create(mkto, filter={"staticListId": 999})) == ["1013"]
    assert codes(mkto.get("/bulk/v1/leads/export/nope/status.json")) == ["1003"]


def test_daily_allowance_in_bytes(cloud: Cloud, mkto: MarketoCaller,
                                  db: MarketoInstance) -> None:
    mkto.sync([{"email": f"l{i}@x.example"} for i in range(50)])
    db.exports.quota_bytes = 100
    first = job(mkto)
    mkto.post(f"/bulk/v1/leads/export/{first}/enqueue.json")
    cloud.clock.advance(60)
    assert status(mkto, first)["fileSize"] > 100
    refused = create(mkto)
    assert codes(refused) == ["1029"] and "quota" in refused["errors"][0]["message"]


def test_files_are_kept_seven_days(cloud: Cloud, mkto: MarketoCaller) -> None:
    export_id = job(mkto)
    mkto.post(f"/bulk/v1/leads/export/{export_id}/enqueue.json")
    cloud.clock.advance(6 * 86400)
    mkto.login()
    assert mkto.session.get(f"{mkto.base}/bulk/v1/leads/export/{export_id}/file.json").ok
    cloud.clock.advance(2 * 86400)
    mkto.login()
    assert codes(mkto.get(f"/bulk/v1/leads/export/{export_id}/file.json")) == ["1003"]
    assert mkto.get("/bulk/v1/leads/export.json")["result"] == []


def test_activity_and_program_member_exports(cloud: Cloud, mkto: MarketoCaller,
                                             db: MarketoInstance) -> None:
    mkto.sync([{"email": "a@x.example"}])
    db.seed({"programs": [{"id": 7, "name": "Webinar", "type": "webinar",
                           "members": [{"leadId": 1, "status": "Member"}]}]})
    activity_job = job(mkto, "activities", fields=None, filter={
        "createdAt": RANGE, "activityTypeIds": [12]})
    member_job = job(mkto, "program/members", fields=["leadId", "email", "progressionStatus"],
                     filter={"programId": 7})
    for entity, export_id in (("activities", activity_job), ("program/members", member_job)):
        mkto.post(f"/bulk/v1/{entity}/export/{export_id}/enqueue.json")
    cloud.clock.advance(60)
    activities = mkto.session.get(
        f"{mkto.base}/bulk/v1/activities/export/{activity_job}/file.json").text
    assert activities.splitlines()[0].startswith("marketoGUID,leadId,activityDate")
    assert activities.splitlines()[1].split(",")[1:4:2] == ["1", "12"]
    members = mkto.session.get(
        f"{mkto.base}/bulk/v1/program/members/export/{member_job}/file.json").text
    assert members == "leadId,email,progressionStatus\n1,a@x.example,Member\n"
    assert codes(create(mkto, "activities", fields=None,
                        filter={"activityTypeIds": [1]})) == ["1003"]
    assert codes(create(mkto, "program/members", fields=["leadId"],
                        filter={"programId": 99})) == ["1013"]


def upload(mkto: MarketoCaller, data: bytes, path: str = "/bulk/v1/leads.json",
           **form: str) -> dict:
    return mkto.session.post(mkto.base + path, files={"file": ("f.csv", data)},
                             data={"format": "csv", **form}).json()


def test_lead_import_applies_rows_and_keeps_failures(cloud: Cloud, mkto: MarketoCaller,
                                                     db: MarketoInstance) -> None:
    body = upload(mkto, b"email,firstName,numberOfEmployees\n"
                        b"a@x.example,A,10\nb@x.example,B,many\n")
    batch = body["result"][0]
    assert batch["status"] == "Queued" and db.leads == {}
    assert codes(mkto.get(f"/bulk/v1/leads/batch/{batch['batchId']}/failures.json")) == \
        ["1019"]
    cloud.clock.advance(3)
    done = mkto.get(f"/bulk/v1/leads/batch/{batch['batchId']}.json")["result"][0]
    assert (done["status"], done["numOfLeadsProcessed"], done["numOfRowsFailed"]) == \
        ("Complete", 1, 1)
    assert [lead.values["email"] for lead in db.leads.values()] == ["a@x.example"]
    failures = mkto.session.get(
        f"{mkto.base}/bulk/v1/leads/batch/{batch['batchId']}/failures.json").text
    assert failures.splitlines()[0] == "email,firstName,numberOfEmployees,Import Failure Reason"
    assert failures.splitlines()[1].startswith("b@x.example,B,many,")


def test_import_limits_and_refusals(mkto: MarketoCaller) -> None:
    assert codes(upload(mkto, b"email,nope\na@x.example,1\n")) == ["1006"]
    assert codes(upload(mkto, b"\xff\xfe")) == ["1003"]
    assert codes(mkto.post("/bulk/v1/leads.json", {"file": "x"})) == ["613"]
    for _ in range(10):
        assert upload(mkto, b"email\na@x.example\n")["success"]
    assert codes(upload(mkto, b"email\na@x.example\n")) == ["1016"]
    big = b"email\n" + b"a@x.example\n" * (11 * 1024 * 1024 // 12)
    assert mkto.session.post(mkto.base + "/bulk/v1/leads.json",
                             files={"file": ("f.csv", big)}).status_code == 413


@pytest.mark.parametrize("fmt,sep", [("tsv", "\t"), ("ssv", ";")])
def test_import_formats(cloud: Cloud, mkto: MarketoCaller, db: MarketoInstance, fmt: str,
                        sep: str) -> None:
    data = f"email{sep}firstName\na@x.example{sep}A, Jr\n".encode()
    upload(mkto, data, format=fmt)
    cloud.clock.advance(3)
    mkto.get("/rest/v1/leads/describe.json")  # any call lets due jobs run
    assert db.leads[1].values == {"email": "a@x.example", "firstName": "A, Jr"}


def test_program_member_and_custom_object_imports(cloud: Cloud, mkto: MarketoCaller,
                                                  db: MarketoInstance) -> None:
    db.seed({"programs": [{"id": 7, "name": "Webinar"}], "customObjects": [
        {"apiName": "car_c", "displayName": "Car", "fields": [
            {"name": "vin", "dataType": "string", "isDedupe": True},
            {"name": "model", "dataType": "string"}]}]})
    members = upload(mkto, b"email,registrationCode\na@x.example,R1\n",
                     "/bulk/v1/program/7/members/import.json", programMemberStatus="Member")
    cars = upload(mkto, b"vin,model\nV1,Saab\nV1,Volvo\n",
                  "/bulk/v1/customobjects/car_c/import.json")
    assert codes(upload(mkto, b"email\n", "/bulk/v1/program/7/members/import.json")) == ["701"]
    cloud.clock.advance(3)
    member_status = mkto.get(f"/bulk/v1/program/members/import/"
                             f"{members['result'][0]['batchId']}/status.json")["result"][0]
    assert member_status["status"] == "Complete" and member_status["numOfRowsProcessed"] == 1
    assert db.programs.members[7][1].values == {"registrationCode": "R1"}
    car_status = mkto.get(f"/bulk/v1/customobjects/car_c/import/"
                          f"{cars['result'][0]['batchId']}/status.json")["result"][0]
    # the same key twice in one file: the second row fails as a duplicate (1036)
    assert (car_status["numOfObjectsProcessed"], car_status["numOfRowsFailed"]) == (1, 1)
    found = mkto.get("/rest/v1/customobjects/car_c.json", filterType="vin", filterValues="V1",
                     fields="model")["result"]
    assert found == [{"seq": 0, "model": "Saab"}]


def test_jobs_and_batches_survive_a_snapshot(cloud: Cloud, mkto: MarketoCaller,
                                             db: MarketoInstance) -> None:
    mkto.sync([{"email": "a@x.example"}])
    done, waiting = job(mkto, filter={"createdAt": RANGE}), job(mkto, "activities", fields=None,
                                                               filter={"createdAt": RANGE,
                                                                       "activityTypeIds": [12]})
    mkto.post(f"/bulk/v1/leads/export/{done}/enqueue.json")
    upload(mkto, b"email\nb@x.example\nc@x.example,extra\n")
    cloud.clock.advance(10)
    mkto.get("/rest/v1/leads/describe.json")  # due work runs
    state = db.snapshot()
    fresh = MarketoInstance("X", db.clock)
    fresh.restore(state)
    assert fresh.snapshot() == state
    assert fresh.exports.jobs[done].file == db.exports.jobs[done].file
    assert fresh.exports.jobs[waiting].filter["activityTypeIds"] == {12}
    assert fresh.imports.batches[1001].failures == db.imports.batches[1001].failures


def test_a_job_whose_list_went_away_fails_alone(cloud: Cloud, mkto: MarketoCaller,
                                               db: MarketoInstance) -> None:
    """The list a queued export selects is deleted: that job fails, other calls go on."""
    db.seed({"lists": [{"id": 5, "name": "L"}]})
    export_id = job(mkto, filter={"staticListId": 5})
    mkto.post("/rest/asset/v1/staticList/5/delete.json")
    mkto.post(f"/bulk/v1/leads/export/{export_id}/enqueue.json")
    cloud.clock.advance(60)
    failed = status(mkto, export_id)
    assert failed["status"] == "Failed" and "not found" in failed["errorMsg"]
    assert mkto.get("/rest/v1/leads/describe.json")["success"] is True


def test_a_hostile_snapshot_of_jobs_is_refused_whole(db: MarketoInstance) -> None:
    good = db.snapshot()
    for bad in ({"exportJobs": [{"id": "x"}]}, {"importBatches": [{"id": True}]},
                {"exportQuotaBytes": -1}, {"exportSlots": ["a", "b"]}):
        fresh = MarketoInstance("X", db.clock)
        with pytest.raises(ValueError):
            fresh.restore({**good, **bad})
        assert fresh.exports.jobs == {} and fresh.imports.batches == {}
