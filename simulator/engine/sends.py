"""The engine's side of a `send` step: who the recipients are when the step comes (an
audience's people at that moment, or the people named), and, when the replay ends, what each
vendor sent and what its recipients did, read back from the vendor.

SFMC: each `Send` job of the account with its tracking events whose time has come (sent,
not sent, bounced hard and soft, unique opens and clicks, unsubscribes; delivered is sent
minus bounces, as SFMC counts it), from the tenant's state at the end. Marketo: the email
activities (Send Email 6, Email Delivered 7, Email Bounced 8, Email Bounced Soft 27,
Unsubscribe Email 9, Open Email 10, Click Email 11) since the replay's start, read through
`activities.json` like any client, one row per email (the activity's primary attribute)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from vendorsim.mocks.core.clock import iso_utc
from vendorsim.simulator.clients.http import Unreachable
from vendorsim.simulator.clients.marketo import Dropped, MarketoClient, Rejected
from vendorsim.simulator.report import Verdict
from vendorsim.simulator.scenario.sends import FIGURES, ExpectedSend, Send

from .audiences import Facts, members

if TYPE_CHECKING:
    from .run import Engine

ENGAGEMENT = FIGURES
MARKETO_TYPES = {6: "sent", 7: "delivered", 8: "hard bounced", 27: "soft bounced",
                 9: "unsubscribed", 10: "opened", 11: "clicked"}
MAX_PAGES = 10_000  # activity pages read back per instance (300 each)


def recipients(spec: Send, people: dict[str, dict], accounts: dict[str, dict], facts: Facts,
               audiences: dict) -> list[dict]:
    """The profiles a send goes to, now (a list send: none; the vendor's lists decide)."""
    if spec.audience is not None:
        audience = audiences[spec.audience]
        return [people[pid] for pid in sorted(members(audience, people, accounts, facts))]
    return [people[pid] for pid in dict.fromkeys(spec.people) if pid in people]


def sfmc_engagement(tenant: str, state: dict, end: float) -> list[dict]:
    """One row per Send job of an SFMC account's state (a journey's jobs, one per contact
    that entered, in one row per journey and email): what it sent and what followed by `end`
    (epoch seconds)."""
    jobs = {j["id"]: j for j in state.get("send_jobs") or [] if isinstance(j, dict)}
    row_of = {i: ("journey", j.get("definition"), j.get("email")) if j.get("kind") == "journey"
              else i for i, j in jobs.items()}
    tally: dict[object, Counter] = defaultdict(Counter)
    people: dict[tuple[object, str], set[str]] = defaultdict(set)
    for event in state.get("tracking") or []:
        if not isinstance(event, dict) or float(event.get("at", 0)) > end:
            continue
        send, kind = row_of.get(int(event.get("send") or 0)), event.get("type")
        if kind == "BounceEvent":
            hard = event.get("bounce") == "Hard bounce"
            tally[send]["hard bounced" if hard else "soft bounced"] += 1
        elif kind in ("OpenEvent", "ClickEvent"):
            people[(send, kind)].add(str(event.get("subscriber")))
        else:
            tally[send][{"SentEvent": "sent", "NotSentEvent": "not sent",
                         "UnsubEvent": "unsubscribed"}.get(str(kind), str(kind))] += 1
    rows, seen = [], set()
    for send_id, job in sorted(jobs.items()):
        row = row_of[send_id]
        if row in seen:
            continue  # a journey's later jobs: in its first job's row
        seen.add(row)
        count = tally[row]
        count["opened"] = len(people[(row, "OpenEvent")])
        count["clicked"] = len(people[(row, "ClickEvent")])
        count["bounced"] = count["hard bounced"] + count["soft bounced"]
        count["delivered"] = count["sent"] - count["bounced"]
        what = job.get("definition") or ", ".join(f"list {n}" for n in job.get("lists") or [])
        rows.append({"vendor": "sfmc", "tenant": tenant,
                     "send": f"Send {send_id}" if row == send_id else f"journey {what}",
                     "kind": job.get("kind", ""), "email": job.get("emailName", ""),
                     "what": what or "", **{k: int(count[k]) for k in ENGAGEMENT}})
    return rows


def marketo_engagement(tenant: str, client: MarketoClient, start: float) -> list[dict]:
    """One row per email sent in a Marketo instance since `start`, from its activities;
    nothing when the instance answers with an error (an instance that logs no email
    activities yet)."""
    since = datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    tally: dict[str, Counter] = defaultdict(Counter)
    people: dict[tuple[str, str], set[int]] = defaultdict(set)
    try:
        token = client.call("GET", "/rest/v1/activities/pagingtoken.json", "best_effort",
                            params={"sinceDatetime": since}).get("nextPageToken")
        for _ in range(MAX_PAGES):
            body = client.call("GET", "/rest/v1/activities.json", "best_effort", params={
                "nextPageToken": token, "activityTypeIds": ",".join(map(str, MARKETO_TYPES))})
            _count(body.get("result") or [], tally, people)
            token = body.get("nextPageToken")
            if not body.get("moreResult") or not token:
                break
    except (Dropped, Rejected, Unreachable):
        return []
    rows = []
    for email, count in sorted(tally.items()):
        count["opened"] = len(people[(email, "opened")])
        count["clicked"] = len(people[(email, "clicked")])
        count["bounced"] = count["hard bounced"] + count["soft bounced"]
        rows.append({"vendor": "marketo", "tenant": tenant, "send": email, "kind": "campaign",
                     "email": email, "what": "", **{k: int(count[k]) for k in ENGAGEMENT}})
    return rows


def _count(activities: Iterable[object], tally: dict[str, Counter],
           people: dict[tuple[str, str], set[int]]) -> None:
    for activity in activities:
        if not isinstance(activity, dict):
            continue
        kind = MARKETO_TYPES.get(activity.get("activityTypeId"))  # type: ignore[arg-type]  # any value: .get answers None
        if kind is None:
            continue
        email = str(activity.get("primaryAttributeValue") or "(email)")
        if kind in ("opened", "clicked"):
            people[(email, kind)].add(activity.get("leadId"))  # type: ignore[arg-type]  # an id or None, counted alike
        else:
            tally[email][kind] += 1
        tally[email]  # noqa: B018 - every email sent gets its row


def make_send(engine: Engine, spec: Send) -> None:
    """A send step on its own process (one per vendor tenant, so sends to one account go in
    order): the recipients as they are now, then the vendor's API."""
    engine.facts.now = now = engine.scheduler.now
    people = recipients(spec, engine.people, engine.accounts, engine.facts, engine.audiences)
    engine.sender.send(iso_utc(now), spec, people)


def read_engagement(engine: Engine, held: dict[str, dict[str, dict]]) -> list[dict]:
    """What each vendor sent and what followed, by the replay's end: SFMC from the states
    held, Marketo through the API of each instance a send step asked (its waits move the
    vendors' clock, as the replay has ended)."""
    end = engine.scheduler.now
    rows = [row for tenant, state in sorted(held.get("sfmc", {}).items())
            for row in sfmc_engagement(tenant, state, end)]
    vendors = engine.vendors

    def wait(seconds: float) -> None:
        vendors.set_clock(vendors.now() + seconds, forward=True)

    for tenant in sorted({r.tenant.upper() for r in engine.sender.requests
                          if r.vendor == "marketo"}):
        spec = next(r for r in engine.s.timeline if r.send and r.send.vendor == "marketo"
                    and r.send.tenant.upper() == tenant).send
        client_id, secret = engine.sender.credentials(spec)  # type: ignore[arg-type]  # found above
        client = MarketoClient(vendors.base_url("marketo", tenant), client_id, secret,
                               vendors.session(), wait, vendors.now)
        rows += marketo_engagement(tenant, client, engine.start)
    return rows


def check_sends(expected: list[ExpectedSend], rows: list[dict]) -> list[Verdict]:
    """One verdict per expectation on the vendors' sends, from the report's rows."""
    verdicts = []
    for exp in expected:
        mine = [r for r in rows if r["vendor"] == exp.vendor and
                r["tenant"].upper() == exp.tenant.upper() and exp.kind in (None, r["kind"])]
        total = {k: sum(r[k] for r in mine) for k in FIGURES}
        problems = [f"{k} {total[k]}, expected at least {n}" for k, n in exp.at_least.items()
                    if total[k] < n]
        problems += [f"{k} {total[k]}, expected at most {n}" for k, n in exp.at_most.items()
                     if total[k] > n]
        if not mine:
            problems.insert(0, "no such send")
        label = f"{exp.vendor} {exp.tenant} {exp.kind or 'all'} sends"
        verdicts.append(Verdict(label, not problems, "; ".join(problems) or
                                ", ".join(f"{k} {total[k]}" for k in FIGURES if total[k])))
    return verdicts
