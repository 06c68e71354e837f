"""Marketo campaign email sends and the Call Webhook flow step (issue 36): a requested trigger
campaign or a scheduled batch campaign sends its email on the clock, each lead's activities
drawn from the seeded engagement model and read back through activities.json, lead changes
and a bulk activity export; leads that are not emailable are skipped; hard bounces and
unsubscribes change the lead; webhooks fill their templates, and map 2xx answers (only)
onto the lead. The email activities are what a Marketo source reads as a lead's ongoing
changes (B-B2B-07)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from urllib.parse import parse_qs

import pytest
import requests
from flask import Flask, request

from tests.helpers import MarketoCaller, codes, on_loopback
from tests.marketo.asset_helpers import TEMPLATE
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance

RATES = {"hard_bounce": 0.02, "soft_bounce": 0.03, "open": 0.3, "click": 0.25,
         "unsubscribe": 0.05, "bot_open": 0.0}
HOOK = "https://hooks.example/score"
WORLD = {
    "folders": [{"id": 100, "name": "Events", "folderType": "Marketing Folder"}],
    "programs": [{"id": 7, "name": "Summit", "type": "event", "channel": "Tradeshow",
                  "folderId": 100}],
    "emailTemplates": [{"id": 2001, "name": "Base", "folder": {"id": 23, "type": "Folder"},
                        "content": TEMPLATE, "status": "approved"}],
    "emails": [{"id": 3001, "name": "Invite", "folder": {"id": 7, "type": "Program"},
                "template": 2001, "subject": "Come", "status": "approved"}],
    "lists": [{"id": 5, "name": "Batch audience"}],
    "webhooks": [{"id": 1, "name": "Score", "url": HOOK + "?who={{lead.Email Address}}",
                  "requestType": "POST", "requestTokenEncoding": "JSON",
                  "template": '{"email": {{lead.Email Address}}, "name": {{lead.firstName}},'
                              ' "city": {{lead.city:default=none}}, "offer": {{my.Offer}},'
                              ' "campaign": {{campaign.name}}, "program": {{program.name}},'
                              ' "score": {{lead.leadScore}}, "n": {{lead.Lead Score:default=0}},'
                              ' "invalid": {{lead.emailInvalid:default=false}}, '
                              '"id": {{lead.id}}, "c": {{campaign.id}}}',
                  "customHeaders": [{"name": "X-Api-Key", "value": "k1"},
                                    {"name": "X-Lead", "value": "{{lead.firstName}}"}],
                  "responseType": "JSON",
                  "responseMappings": [{"responseAttribute": "data.score",
                                        "leadField": "leadScore"},
                                       {"responseAttribute": "results[1].title",
                                        "leadField": "title"}]},
                 {"id": 2, "name": "Form", "url": "https://hooks.example/form",
                  "requestTokenEncoding": "Form/Url",
                  "template": "email={{lead.email}}&note={{lead.title}}"}],
    "campaigns": [
        {"id": 11, "name": "Invite", "programId": 7, "isTriggerable": True,
         "flow": [{"type": "sendEmail", "emailId": 3001}]},
        {"id": 12, "name": "Nightly", "programId": 7, "isTriggerable": False,
         "listIds": [5], "flow": [{"type": "sendEmail", "emailId": 3001}]},
        {"id": 13, "name": "Score me", "programId": 7, "isTriggerable": True,
         "flow": [{"type": "callWebhook", "webhookId": 1}]},
        {"id": 14, "name": "Form hook", "isTriggerable": True,
         "flow": [{"type": "wait", "seconds": 600}, {"type": "callWebhook", "webhookId": 2}]}],
    "engagement": {"seed": 7, "rates": RATES},
}
SINCE = "2026-11-23T00:00:00Z"


@pytest.fixture
def world(db: MarketoInstance) -> MarketoInstance:
    db.seed({**WORLD, "leads": [{"id": i, "email": f"l{i}@x.example", "firstName": f"F{i}"}
                                for i in range(1, 1001)]})
    return db


def read_all(mkto: MarketoCaller, path: str, **params: object) -> list[dict]:
    out = []
    next_token = mkto.get("/rest/v1/activities/pagingtoken.json",
                          sinceDatetime=SINCE)["nextPageToken"]
    while True:
        page = mkto.get(path, nextPageToken=next_token, **params)
        assert page["success"], page
        out += page.get("result", [])
        next_token = page["nextPageToken"]
        if not page["moreResult"]:
            return out


def trigger(mkto: MarketoCaller, campaign: int, ids: list[int], **extra: object) -> dict:
    return mkto.post(f"/rest/v1/campaigns/{campaign}/trigger.json",
                     {"input": {"leads": [{"id": i} for i in ids], **extra}})


def send_to_all(mkto: MarketoCaller, cloud: Cloud) -> list[dict]:
    for start in range(1, 1001, 100):
        assert trigger(mkto, 11, list(range(start, start + 100)))["success"]
    cloud.clock.advance(86400 * 30)  # every open, click and unsubscribe has happened
    mkto.login()  # the access token lives an hour
    return read_all(mkto, "/rest/v1/activities.json", activityTypeIds="6,7,8,9,10,11,27")


def test_a_triggered_send_to_1000_leads_matches_the_rates(world: MarketoInstance,
                                                          mkto: MarketoCaller,
                                                          cloud: Cloud) -> None:
    found = send_to_all(mkto, cloud)
    counts = Counter(a["activityTypeId"] for a in found)
    assert counts[6] == 1000  # Send Email for every lead
    assert counts[7] + counts[8] + counts[27] == 1000  # each delivered or bounced
    # the seed's draws: within a few standard deviations of the configured rates
    assert 5 <= counts[8] <= 40 and 12 <= counts[27] <= 55
    assert abs(counts[10] / counts[7] - RATES["open"]) < 0.06
    assert abs(counts[11] / counts[10] - RATES["click"]) < 0.09
    assert 3 <= counts[9] <= 30
    sent = next(a for a in found if a["activityTypeId"] == 6)
    assert sent["primaryAttributeValueId"] == 3001
    assert sent["primaryAttributeValue"] == "Summit.Invite"
    assert sent["campaignId"] == 11
    names = {x["name"] for x in sent["attributes"]}
    assert {"Campaign Run ID", "Step ID", "Choice Number"} <= names
    click = next(a for a in found if a["activityTypeId"] == 11)
    assert {x["name"]: x["value"] for x in click["attributes"]}["Link"] == \
        "https://www.example.com/offer"
    bounce = next(a for a in found if a["activityTypeId"] == 8)
    assert {x["name"]: x["value"] for x in bounce["attributes"]}["Category"] == "1"
    # activities are logged in time order, each once its time has come
    dates = [a["activityDate"] for a in found]
    assert dates == sorted(dates)


def test_the_same_seed_draws_the_same_events(cloud: Cloud, mkto: MarketoCaller,
                                             world: MarketoInstance) -> None:
    first = Counter(a["activityTypeId"] for a in send_to_all(mkto, cloud))
    again = cloud.marketo("999-ZZZ-999")
    again.seed({**WORLD, "leads": [{"id": i, "email": f"l{i}@x.example"}
                                   for i in range(1, 1001)]})
    other = MarketoCaller("https://999-ZZZ-999.mktorest.com").login()
    start = cloud.clock.now()
    for begin in range(1, 1001, 100):
        trigger(other, 11, list(range(begin, begin + 100)))
    cloud.clock.advance(86400 * 30)
    kinds = Counter(a.type_id for a in again.activity_log.items
                    if a.at >= start and a.type_id in (6, 7, 8, 9, 10, 11, 27))
    assert kinds == first


def test_effects_on_leads_and_later_sends_skip_them(world: MarketoInstance,
                                                    mkto: MarketoCaller, cloud: Cloud) -> None:
    found = send_to_all(mkto, cloud)
    bounced = {a["leadId"] for a in found if a["activityTypeId"] == 8}
    unsubscribed = {a["leadId"] for a in found if a["activityTypeId"] == 9}
    assert bounced and unsubscribed
    assert all(world.leads.get(i).values.get("emailInvalid") is True for i in bounced)
    assert all(world.leads.get(i).values.get("unsubscribed") is True for i in unsubscribed)
    changes = read_all(mkto, "/rest/v1/activities/leadchanges.json",
                       fields="emailInvalid,unsubscribed")
    changed = [c for c in changes if c["activityTypeId"] == 13]
    assert {c["leadId"] for c in changed if c["fields"][0]["name"] == "emailInvalid"} == bounced
    assert {"name": "Reason", "value": "Hard bounce"} in changed[0]["attributes"] or \
        {"name": "Reason", "value": "Unsubscribe Email"} in changed[0]["attributes"]
    # a second send skips them: no activity at all for them, counted in the run
    since = cloud.clock.now()
    skipped = sorted(bounced | unsubscribed)[:100]
    assert trigger(mkto, 11, skipped)["success"]
    assert not [a for a in world.activity_log.items if a.at >= since and a.type_id == 6]
    run = world.snapshot(activities=False)["campaignRuns"][-1]
    assert sum(run["skipped"].values()) == len(skipped) and run["sent"] == 0
    assert set(run["skipped"]) <= {"unsubscribed", "emailInvalid"}


def test_leads_seeded_unsubscribed_or_invalid_are_not_sent_to(db: MarketoInstance,
                                                              mkto: MarketoCaller) -> None:
    db.seed({**WORLD, "leads": [{"id": 1, "email": "a@x.example", "unsubscribed": True},
                                {"id": 2, "email": "b@x.example", "emailInvalid": True},
                                {"id": 3}, {"id": 4, "email": "d@x.example"}]})
    assert trigger(mkto, 11, [1, 2, 3, 4])["success"]
    sent = [a for a in db.activity_log.items if a.type_id == 6]
    assert [a.lead_id for a in sent] == [4]
    run = db.snapshot(activities=False)["campaignRuns"][-1]
    assert run["skipped"] == {"unsubscribed": 1, "emailInvalid": 1, "no email address": 1}


def test_a_scheduled_batch_campaign_sends_at_its_time_to_its_lists(
        world: MarketoInstance, mkto: MarketoCaller, cloud: Cloud) -> None:
    world.seed({"lists": [{"id": 6, "name": "Members", "members": [3, 4, 5]}],
                "campaigns": [{"id": 15, "name": "Later", "isTriggerable": False,
                               "listIds": [6], "flow": [{"type": "sendEmail",
                                                         "emailId": 3001}]}]})
    answer = mkto.post("/rest/v1/campaigns/15/schedule.json",
                       {"input": {"runAt": "2026-11-23T15:00:00Z"}})
    assert answer["success"], answer
    assert not [a for a in world.activity_log.items if a.type_id == 6]
    assert world.snapshot(activities=False)["flowsWaiting"][0]["campaignId"] == 15
    cloud.clock.set("2026-11-23T15:00:01Z")
    sent = [a for a in world.activity_log.items if a.type_id == 6]
    assert sorted(a.lead_id for a in sent) == [3, 4, 5]
    assert {a.campaign_id for a in sent} == {15}


def test_a_bulk_activity_export_holds_the_sends(world: MarketoInstance, mkto: MarketoCaller,
                                                cloud: Cloud) -> None:
    found = send_to_all(mkto, cloud)
    made = mkto.post("/bulk/v1/activities/export/create.json", {
        "format": "CSV", "filter": {"createdAt": {"startAt": "2026-11-23T00:00:00Z",
                                                  "endAt": "2026-12-23T23:00:00Z"},
                                    "activityTypeIds": [6, 7, 8, 9, 10, 11, 27]}})
    assert made["success"], made
    job = made["result"][0]["exportId"]
    assert mkto.post(f"/bulk/v1/activities/export/{job}/enqueue.json")["success"]
    for _ in range(60):
        status = mkto.get(f"/bulk/v1/activities/export/{job}/status.json")["result"][0]
        if status["status"] == "Completed":
            break
        cloud.clock.advance(60)
    assert status["status"] == "Completed", status
    text = mkto.session.get(f"{mkto.base}/bulk/v1/activities/export/{job}/file.json").text
    rows = list(csv.DictReader(io.StringIO(text)))
    in_window = Counter(a["activityTypeId"] for a in found
                        if a["activityDate"] <= "2026-12-23T23:00:00Z")
    assert Counter(int(r["activityTypeId"]) for r in rows) == in_window
    assert {r["campaignId"] for r in rows} == {"11"}
    assert json.loads(next(r for r in rows if r["activityTypeId"] == "6")["attributes"])[
        "Step ID"] == 1


def test_rates_by_segment_read_the_leads_fields(db: MarketoInstance,
                                               mkto: MarketoCaller) -> None:
    db.seed({**WORLD, "engagement": {"seed": 3, "rates": {"open": 0.0, "hard_bounce": 0,
                                                          "soft_bounce": 0},
                                     "segments": [{"where": {"leadSource": "Webinar"},
                                                   "rates": {"open": 1.0}}]},
             "leads": [{"id": i, "email": f"s{i}@x.example",
                        "leadSource": "Webinar" if i <= 50 else "Web"} for i in range(1, 101)]})
    assert trigger(mkto, 11, list(range(1, 101)))["success"]
    db.clock.advance(86400 * 30)  # type: ignore[attr-defined]  # a virtual clock
    opened = {a.lead_id for a in db.activity_log.items if a.type_id == 10}
    assert opened == set(range(1, 51))


@pytest.mark.parametrize("engagement", [{"rates": {"open": 2}}, {"seed": -1}, {"colour": 1},
                                        {"segments": [{"where": {}}]}, "lots"])
def test_a_bad_engagement_model_is_refused(db: MarketoInstance, engagement: object) -> None:
    before = db.snapshot(activities=False)["engagement"]
    with pytest.raises(ValueError, match="engagement"):
        db.seed({"engagement": engagement})
    assert db.snapshot(activities=False)["engagement"] == before


def test_activity_types_list_the_email_types(mkto: MarketoCaller) -> None:
    types = {t["id"]: t for t in mkto.get("/rest/v1/activities/types.json")["result"]}
    assert {6, 7, 8, 9, 10, 11, 27, 110} <= set(types)
    assert types[27]["name"] == "Email Bounced Soft"
    assert types[8]["primaryAttribute"] == {"name": "Mailing ID", "dataType": "integer"}


# -- the Call Webhook flow step ---------------------------------------------------------
class Receiver:
    """An in-process endpoint: records each call, answers what it is told."""

    def __init__(self, status: int = 200, body: object = None, fail: Exception | None = None
                 ) -> None:
        self.calls: list[tuple[str, str, dict, bytes]] = []
        self.status, self.body, self.fail = status, body, fail

    def __call__(self, method: str, url: str, headers: dict, body: bytes) -> tuple[int, bytes]:
        self.calls.append((method, url, headers, body))
        if self.fail is not None:
            raise self.fail
        return self.status, json.dumps(self.body).encode()


ANSWER = {"data": {"score": 42}, "results": [{"title": "x"}, {"title": "CTO"}]}


def test_a_webhook_fills_its_template_and_maps_a_2xx_answer(world: MarketoInstance,
                                                             mkto: MarketoCaller,
                                                             cloud: Cloud) -> None:
    receiver = Receiver(200, ANSWER)
    cloud.outbox.receive("https://hooks.example/", receiver)
    world.seed({"leads": [{"id": 2001, "email": 'q"uote@x.example', "firstName": "Zoë"}]})
    answer = trigger(mkto, 13, [2001], tokens=[{"name": "{{my.Offer}}", "value": "50% off"}])
    assert answer["success"], answer
    ((method, url, headers, body),) = receiver.calls
    assert method == "POST" and url == HOOK + "?who=q%22uote%40x.example"
    assert headers["X-Api-Key"] == "k1" and headers["Content-Type"] == "application/json"
    assert headers["X-Lead"] == "Zoë"  # tokens fill custom headers too
    sent = json.loads(body)  # string-type tokens come quoted; numbers and booleans bare
    assert sent == {"email": 'q"uote@x.example', "name": "Zoë", "city": "none",
                    "offer": "50% off", "campaign": "Score me", "program": "Summit",
                    "score": None, "n": 0, "invalid": False, "id": 2001, "c": 13}
    lead = world.leads.get(2001)
    assert lead.values["leadScore"] == 42 and lead.values["title"] == "CTO"
    called = [a for a in world.activity_log.items if a.type_id == 110]
    assert dict(called[0].attributes)["Error Type"] == 0
    (delivery,) = cloud.outbox.deliveries(vendor="marketo", kind="webhook")
    assert delivery.state == "delivered" and delivery.timeout == 30.0
    entry = [e for e in cloud.journal.entries() if e.outbound][-1]
    assert entry.path == HOOK and "callback:webhook" in entry.codes


@pytest.mark.parametrize(("receiver", "error_type"), [
    (Receiver(404, {"data": {"score": 1}}), 2),
    (Receiver(500, ANSWER), 2),
    (Receiver(fail=requests.exceptions.ReadTimeout("read timed out (30 s)")), 1),
    (Receiver(fail=requests.exceptions.ConnectionError("refused")), 3)])
def test_no_mapping_without_a_2xx_answer(world: MarketoInstance, mkto: MarketoCaller,
                                         cloud: Cloud, receiver: Receiver,
                                         error_type: int) -> None:
    cloud.outbox.receive("https://hooks.example/", receiver)
    assert trigger(mkto, 13, [5])["success"]
    assert len(receiver.calls) == 1  # Marketo calls a webhook once: no retry
    lead = world.leads.get(5)
    assert lead.values.get("leadScore") is None and lead.values.get("title") is None
    (called,) = [a for a in world.activity_log.items if a.type_id == 110]
    assert dict(called.attributes)["Error Type"] == error_type


def test_form_encoding_after_a_wait_on_the_clock(world: MarketoInstance, mkto: MarketoCaller,
                                                 cloud: Cloud) -> None:
    receiver = Receiver(200, {})
    cloud.outbox.receive("https://hooks.example/", receiver)
    world.seed({"leads": [{"id": 2002, "email": "a+b@x.example", "title": "R&D lead"}]})
    assert trigger(mkto, 14, [2002])["success"]
    assert receiver.calls == []  # the flow waits 10 minutes first
    cloud.clock.advance(599)
    assert receiver.calls == []
    cloud.clock.advance(2)
    ((_, _, headers, body),) = receiver.calls
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(body.decode()) == {"email": ["a+b@x.example"], "note": ["R&D lead"]}


def test_a_jump_of_the_clock_logs_everything_in_time_order(world: MarketoInstance,
                                                           mkto: MarketoCaller,
                                                           cloud: Cloud) -> None:
    cloud.outbox.receive("https://hooks.example/", Receiver(200, {}))
    start = cloud.clock.now()
    assert trigger(mkto, 11, list(range(1, 101)))["success"]
    assert trigger(mkto, 14, [1])["success"]  # waits 10 minutes, then calls its webhook
    cloud.clock.advance(86400 * 30)  # one jump past every event
    assert world.activity_log.ordered
    times = [a.at for a in world.activity_log.items]
    assert times == sorted(times)
    (called,) = [a for a in world.activity_log.items if a.type_id == 110]
    assert 600 <= called.at - start < 601


def test_a_get_webhook_reaches_a_server_over_http(db: MarketoInstance, mkto: MarketoCaller
                                                  ) -> None:
    """A receiver served on loopback: the URL's tokens are URL-encoded, a GET has no body."""
    seen: list = []
    app = Flask("live")

    @app.get("/lookup")
    def lookup():  # noqa: ANN202 - a view
        seen.append((request.args.to_dict(), request.get_data()))
        return {"company": {"name": "Acme & Co"}}

    with on_loopback(app) as base:
        url = f"{base}/lookup"
        db.seed({"leads": [{"id": 1, "email": "ann+1@x.example"}],
                 "webhooks": [{"id": 3, "name": "Lookup", "requestType": "GET",
                               "url": url + "?email={{lead.email}}&c={{campaign.id}}",
                               "responseMappings": [{"responseAttribute": "company.name",
                                                     "leadField": "company"}]}],
                 "campaigns": [{"id": 21, "name": "Enrich", "isTriggerable": True,
                                "flow": [{"type": "callWebhook", "webhookId": 3}]}]})
        assert trigger(mkto, 21, [1])["success"]
    assert seen == [({"email": "ann+1@x.example", "c": "21"}, b"")]
    assert db.leads.get(1).values["company"] == "Acme & Co"


def test_a_flask_app_receives_a_webhook_in_process(world: MarketoInstance,
                                                   mkto: MarketoCaller, cloud: Cloud) -> None:
    app = Flask("receiver")
    got: list = []

    @app.post("/score")
    def score():  # noqa: ANN202 - a view
        got.append((request.headers["X-Api-Key"], request.get_json()))
        return ANSWER

    cloud.receive("https://hooks.example/", app)
    assert trigger(mkto, 13, [9])["success"]
    assert got[0][0] == "k1" and got[0][1]["email"] == "l9@x.example"
    assert world.leads.get(9).values["leadScore"] == 42


def test_the_admin_state_shows_webhooks_and_runs(world: MarketoInstance,
                                                 mkto: MarketoCaller) -> None:
    assert trigger(mkto, 11, [1, 2])["success"]
    state = requests.get(f"{mkto.base}/__admin/state").json()["tenants"]["123-ABC-456"]
    assert [h["name"] for h in state["state"]["webhooks"]] == ["Score", "Form"]
    assert state["state"]["campaignRuns"][0]["sent"] == 2


def test_receiver_faults_apply_to_webhooks(world: MarketoInstance, mkto: MarketoCaller,
                                           cloud: Cloud) -> None:
    receiver = Receiver(200, ANSWER)
    cloud.outbox.receive("https://hooks.example/", receiver)
    cloud.outbox.add_fault("late", vendor="marketo", delay=120)
    assert trigger(mkto, 13, [6])["success"]
    assert receiver.calls == []
    cloud.clock.advance(121)
    assert len(receiver.calls) == 1 and world.leads.get(6).values["leadScore"] == 42


def test_a_webhook_receiver_refusing_a_duplicate_gets_a_verdict(world: MarketoInstance,
                                                                 mkto: MarketoCaller,
                                                                 cloud: Cloud) -> None:
    answers = iter([(200, json.dumps(ANSWER).encode()), (409, b"seen")])
    cloud.receive("https://hooks.example/", lambda m, u, h, b: next(answers))
    cloud.add_receiver_fault("duplicate", vendor="marketo")
    assert trigger(mkto, 13, [8])["success"]
    cloud.clock.advance(1)
    verdicts = [v for v in cloud.verdicts() if v["rule"].startswith("receiver_")]
    assert [(v["rule"], v["vendor"]) for v in verdicts] == \
        [("receiver_not_idempotent", "marketo")]
    assert world.leads.get(8).values["leadScore"] == 42  # the first delivery's mapping
    assert len([a for a in world.activity_log.items if a.type_id == 110]) == 1


def test_webhooks_are_state_in_snapshots(world: MarketoInstance, cloud: Cloud) -> None:
    state = world.snapshot(activities=False)
    assert [h["id"] for h in state["webhooks"]] == [1, 2]
    assert state["webhooks"][0]["responseMappings"][0] == {"responseAttribute": "data.score",
                                                           "leadField": "leadScore"}
    copy = cloud.marketo("222-RRR-222")
    copy.restore(state)
    assert copy.snapshot(activities=False)["webhooks"] == state["webhooks"]
    assert copy.snapshot(activities=False)["campaigns"] == state["campaigns"]


def test_pending_activities_survive_a_snapshot(world: MarketoInstance, mkto: MarketoCaller,
                                               cloud: Cloud) -> None:
    assert trigger(mkto, 11, list(range(1, 101)))["success"]
    state = world.snapshot()
    assert state["pendingEmailActivities"]
    copy = cloud.marketo("333-SSS-333")
    copy.restore(state)
    cloud.clock.advance(86400 * 30)
    mine = Counter(a.type_id for a in world.activity_log.items)
    theirs = Counter(a.type_id for a in copy.activity_log.items)
    assert mine == theirs
    # restored once the events' time has come (a snapshot that lay on disk): logged after
    # the snapshot's activities, in time order, ids above theirs
    late = cloud.marketo("444-TTT-444")
    late.restore(state)
    assert Counter(a.type_id for a in late.activity_log.items) == mine
    ids = [a.id for a in late.activity_log.items]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and late.activity_log.ordered


# -- hostile input -----------------------------------------------------------------------
@pytest.mark.parametrize("tokens", [
    "x", [{"name": "my.Offer", "value": "v"}], [{"name": "{{my.Offer}}", "value": 3}],
    [{"name": "{{lead.email}}", "value": "v"}], [{"value": "v"}], [None],
    [{"name": "{{my.x}}", "value": "v"}] * 101])
def test_bad_tokens_are_refused_whole(world: MarketoInstance, mkto: MarketoCaller,
                                      tokens: object) -> None:
    before = len(world.activity_log.items)
    answer = trigger(mkto, 11, [1], tokens=tokens)
    assert codes(answer) == ["1003"], answer
    assert len(world.activity_log.items) == before


@pytest.mark.parametrize("spec", [{"runAt": "soon"}, {"tokens": [{"name": "{{my.x}}"}]},
                                  {"tokens": {"name": "{{my.x}}", "value": "v"}}])
def test_a_bad_schedule_is_refused_whole(world: MarketoInstance, mkto: MarketoCaller,
                                         spec: dict) -> None:
    answer = mkto.post("/rest/v1/campaigns/12/schedule.json", {"input": spec})
    assert codes(answer) == ["1003"], answer
    state = world.snapshot(activities=False)
    assert state["flowsWaiting"] == [] and state["campaignRuns"] == []
    assert not [c["runs"] for c in state["campaigns"] if c["runs"]]


@pytest.mark.parametrize(("change", "message"), [
    ({"flow": [{"type": "sendEmail", "emailId": 999}]}, "email 999 is not seeded"),
    ({"flow": [{"type": "callWebhook", "webhookId": 1}], "isTriggerable": False},
     "valid only in a trigger campaign"),
    ({"flow": [{"type": "callWebhook", "webhookId": 77}]}, "webhook 77 is not seeded"),
    ({"flow": [{"type": "sendEmail", "emailId": "3001"}]}, "emailId is a whole number"),
    ({"flow": [{"type": "launch"}]}, "flow step 1"),
    ({"flow": [{"type": "wait", "seconds": -1}]}, "seconds is 0"),
    ({"flow": "sendEmail"}, "flow is a list"),
    ({"listIds": ["5"]}, "listIds is a list"),
    ({"listIds": [404]}, "list 404 is not seeded")])
def test_bad_flows_are_refused_at_seeding(world: MarketoInstance, change: dict,
                                          message: str) -> None:
    before = world.snapshot(activities=False)
    with pytest.raises(ValueError, match=message):
        world.seed({"campaigns": [{"id": 30, "name": "Bad", "isTriggerable": True, **change}]})
    assert world.snapshot(activities=False) == before


@pytest.mark.parametrize(("hook", "message"), [
    ({"url": "ftp://x"}, "url is an http"),
    ({"requestType": "PUT"}, "requestType is one of"),
    ({"requestTokenEncoding": "XML"}, "requestTokenEncoding"),
    ({"responseType": "XML"}, "responseType"),
    ({"customHeaders": [{"name": "X\r\nEvil", "value": "1"}]}, "customHeaders"),
    ({"customHeaders": [{"name": "X", "value": "a\nb"}]}, "customHeaders"),
    ({"responseMappings": [{"responseAttribute": "a..b", "leadField": "title"}]},
     "responseMappings"),
    ({"responseMappings": [{"responseAttribute": "a", "leadField": "noSuchField"}]},
     "responseMappings"),
    ({"responseMappings": [{"responseAttribute": "a", "leadField": "id"}]},
     "responseMappings"),
    ({"template": 5}, "template is text"),
    ({"colour": "red"}, "unknown key")])
def test_bad_webhooks_are_refused_at_seeding(db: MarketoInstance, hook: dict,
                                             message: str) -> None:
    with pytest.raises(ValueError, match=message):
        db.seed({"webhooks": [{"id": 9, "name": "W", "url": "https://h.example/", **hook}]})
    assert db.snapshot(activities=False)["webhooks"] == []


def test_a_hostile_answer_maps_nothing_and_breaks_nothing(world: MarketoInstance,
                                                          mkto: MarketoCaller,
                                                          cloud: Cloud) -> None:
    for body in (b"not json", b'{"data": [1]}', b'{"data": {"score": {"deep": 1}}}',
                 b"\xff\xfe", b'{"data": {"score": "many"}}', b'{"data": {"score": 1e300}}'):
        cloud.outbox.receive("https://hooks.example/",
                             lambda m, u, h, b, body=body: (200, body))
        assert trigger(mkto, 13, [7])["success"]
    assert world.leads.get(7).values.get("leadScore") is None
    assert len([a for a in world.activity_log.items if a.type_id == 110]) == 6


# -- a public client reads a day of sends ---------------------------------------------------
@pytest.mark.client("marketorestpython", area="activities and bulk activity export of sends")
def test_a_public_client_reads_a_day_of_sends(world: MarketoInstance, mkto: MarketoCaller,
                                              cloud: Cloud) -> None:
    client_module = pytest.importorskip("marketorestpython.client",
                                        reason="marketorestpython is in the dev extra")
    for start in range(1, 301, 100):
        assert trigger(mkto, 11, list(range(start, start + 100)))["success"]
    cloud.clock.advance(86400)  # a day of opens and clicks
    kinds = ["6", "7", "8", "9", "10", "11", "27"]
    mine = Counter(a.type_id for a in world.activity_log.items if str(a.type_id) in kinds)
    client = client_module.MarketoClient("123-ABC-456", "client-id", "client-secret")
    read = client.execute(method="get_lead_activities", activityTypeIds=kinds,
                          sinceDatetime="2026-11-23T00:00:00Z")
    assert Counter(a["activityTypeId"] for a in read) == mine
    job = client.execute(method="create_activities_export_job", filters={
        "createdAt": {"startAt": "2026-11-23T00:00:00Z", "endAt": "2026-11-24T12:00:00Z"},
        "activityTypeIds": [int(k) for k in kinds]})[0]["exportId"]
    client.execute(method="enqueue_activities_export_job", job_id=job)
    for _ in range(30):
        status = client.execute(method="get_activities_export_job_status", job_id=job)[0]
        if status["status"] == "Completed":
            break
        cloud.clock.advance(60)
    assert status["status"] == "Completed", status
    text = client.execute(method="get_activities_export_job_file", job_id=job)
    rows = list(csv.DictReader(io.StringIO(text.decode() if isinstance(text, bytes) else text)))
    assert Counter(int(r["activityTypeId"]) for r in rows) == mine
