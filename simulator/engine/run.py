"""Replay a scenario on the virtual clock against the in-process mocks (first slice of the
simulator: people audiences to Marketo; the other destinations, sources, delivery policies
and faults of issue 4 come next).

The engine only talks HTTP to the vendors (through the in-process interceptors), so the same
connector code can later target a server or a real sandbox.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from datetime import datetime

from mocks import Cloud, mock_vendors
from mocks.bombora.models import normalise_domain
from simulator.destinations.accounts import AccountConnector
from simulator.destinations.marketo import ActivationRefused, MarketoConnector
from simulator.scenario.loader import LoadedScenario, read_records
from simulator.scenario.model import (
    AccountDestination,
    Audience,
    MarketoDestination,
    Step,
    parse_offset,
)

from .audiences import is_batch, members

DAY = 86400.0
HOSTS = {"bombora": "https://api.bombora.com", "demandbase": "https://uapi.demandbase.com"}


@dataclass
class DestinationReport:
    id: str
    type: str
    sent_entries: int = 0
    sent_exits: int = 0
    updated: int = 0
    created: int = 0
    not_created: int = 0
    listed: int = 0
    unlisted: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    unaccounted: list[str] = field(default_factory=list)  # meant to be there, silently missing
    refused: list[str] = field(default_factory=list)
    calls: int = 0
    throttled: int = 0


@dataclass
class Verdict:
    expectation: str
    passed: bool
    detail: str


@dataclass
class Report:
    scenario: str
    destinations: list[DestinationReport]
    verdicts: list[Verdict]
    journal: list[dict]

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.verdicts)


class Engine:
    def __init__(self, loaded: LoadedScenario) -> None:
        self.loaded = loaded
        self.s = loaded.scenario
        self.cloud = Cloud("virtual")
        self.cloud.clock.set(self.s.start)  # type: ignore[attr-defined]
        self.start = self.cloud.clock.now()
        self.audiences = {a.id: a for a in self.s.audiences}
        self.people = {p["personId"]: dict(p) for p in read_records(loaded, self.s.data.people,
                                                                     "people")}
        self.accounts = {a["accountId"]: dict(a) for a in read_records(
            loaded, self.s.data.accounts, "accounts")}
        self.connectors: dict[str, MarketoConnector | AccountConnector] = {}
        self.reports: dict[str, DestinationReport] = {}
        self.active: dict[tuple[str, str], set[str]] = {}  # (dest, audience) -> members sent
        self._queue: list = []
        self._seq = itertools.count()

    # -- set-up ----------------------------------------------------------------------
    def _faults(self) -> None:
        """Scenario faults; `start`/`end` may be offsets from the scenario start (+1h)."""
        for spec in self.s.faults:
            spec = dict(spec)
            for key in ("start", "end"):
                if isinstance(spec.get(key), str) and spec[key].startswith("+"):
                    spec[key] = self.start + parse_offset(spec[key])
            self.cloud.add_fault(**spec)

    def _seed(self) -> None:
        vendors = self.s.vendors
        marketo = self.cloud.service("marketo")
        for inst in vendors.marketo:
            state = inst.model_dump(exclude={"munchkin_id", "credentials", "limits"})
            marketo.seed_tenant(inst.munchkin_id, credentials=inst.credentials,
                                limits=inst.limits, state=state)
        for vendor in ("bombora", "demandbase"):
            for client in getattr(vendors, vendor):
                self.cloud.service(vendor).seed_tenant(
                    client.client_id, credentials=client.credentials, limits=client.limits,
                    state={"account_lists": client.account_lists})
        sleep = self.cloud.clock.advance  # type: ignore[attr-defined]
        for dest in self.s.destinations:
            self.reports[dest.id] = DestinationReport(dest.id, dest.type)
            if isinstance(dest, MarketoDestination):
                self.connectors[dest.id] = MarketoConnector(
                    dest, f"https://{dest.munchkin_id}.mktorest.com", sleep=sleep)
            elif isinstance(dest, AccountDestination):
                if dest.type == "demandbase" and dest.api_token:
                    self.cloud.service("demandbase").add_api_token(  # type: ignore[attr-defined]
                        dest.client_id, dest.api_token)
                self.connectors[dest.id] = AccountConnector(dest, HOSTS[dest.type], sleep=sleep)

    # -- the event loop --------------------------------------------------------------
    def _at(self, step: Step) -> float:
        if isinstance(step.at, str) and "T" in step.at and not step.at.startswith("+"):
            return datetime.fromisoformat(step.at.replace("Z", "+00:00")).timestamp()
        return self.start + parse_offset(step.at)

    def _push(self, when: float, kind: str, payload: object) -> None:
        heapq.heappush(self._queue, (when, next(self._seq), kind, payload))

    def run(self) -> Report:
        with mock_vendors(cloud=self.cloud):
            self._seed()
            self._faults()
            for step in self.s.timeline:
                self._push(self._at(step), "step", step)
            end = max((w for w, *_ in self._queue), default=self.start)
            for day in range(1, int((end - self.start) // DAY) + 2):  # B-B2B-05: daily batch
                self._push(self.start + day * DAY, "batch", None)
            while self._queue:
                when, _, kind, payload = heapq.heappop(self._queue)
                if when > self.cloud.clock.now():
                    self.cloud.clock.set(when)  # type: ignore[attr-defined]
                if kind == "step":
                    self._step(payload)
                elif kind == "deliver":
                    self._deliver(*payload)
                elif kind == "batch":
                    self._evaluate(batch=True)
            verdicts = self._check()
        return Report(self.s.name, list(self.reports.values()), verdicts,
                      [e.to_dict() for e in self.cloud.journal.entries()])

    def _step(self, step: Step) -> None:
        if step.action == "activate":
            self._activate(step.destination or "", step.audience or "")
        elif step.action == "deactivate":
            self.active.pop((step.destination or "", step.audience or ""), None)
        elif step.action == "change":
            if step.account:  # account audiences see it at the next daily batch (B-B2B-04)
                self.accounts.setdefault(step.account, {"accountId": step.account}) \
                    .update(step.set)
            else:
                self.people.setdefault(step.person or "", {"personId": step.person}) \
                    .update(step.set)
            self._evaluate(batch=False)
        elif step.action == "advance":
            self.cloud.clock.advance(parse_offset(step.by or "0s"))  # type: ignore[attr-defined]
        elif step.action == "evaluate":
            self._evaluate(batch=True)

    def _activate(self, dest_id: str, audience_id: str) -> None:
        report = self.reports[dest_id]
        connector = self.connectors.get(dest_id)
        audience = self.audiences[audience_id]
        if connector is None:
            return
        try:
            connector.activate(audience)
        except ActivationRefused as exc:
            report.refused.append(f"{audience.name}: {exc}")
            return
        self.active[(dest_id, audience_id)] = set()
        self._evaluate(batch=True, only=(dest_id, audience_id))

    def _evaluate(self, batch: bool, only: tuple[str, str] | None = None) -> None:
        """Queue entries and exits; streaming ones within the destination's latency."""
        for (dest_id, audience_id), sent in self.active.items():
            if only and (dest_id, audience_id) != only:
                continue
            audience = self.audiences[audience_id]
            if is_batch(audience) and not batch:
                continue  # B-B2B-04: account/opportunity audiences wait for the daily batch
            now_in = members(audience, self.people, self.accounts)
            entering, exiting = sorted(now_in - sent), sorted(sent - now_in)
            if not entering and not exiting:
                continue
            sent.clear()
            sent.update(now_in)
            delay = 0.0 if batch else parse_offset(
                self.connectors[dest_id].config.delivery.streaming_latency)  # B-B2B-06
            self._push(self.cloud.clock.now() + delay, "deliver",
                       (dest_id, audience, entering, exiting))

    def _deliver(self, dest_id: str, audience: Audience, entering: list[str],
                 exiting: list[str]) -> None:
        connector, report = self.connectors[dest_id], self.reports[dest_id]
        pool = self.accounts if audience.type == "account" else self.people
        outcome = connector.deliver(audience, [pool[i] for i in entering],
                                    [pool[i] for i in exiting])
        report.sent_entries += len(entering)
        report.sent_exits += len(exiting)
        report.updated += len(outcome.updated)
        report.created += len(outcome.created)
        report.not_created += len(outcome.not_created)
        report.listed += len(outcome.listed)
        report.unlisted += len(outcome.unlisted)
        report.failed.update(outcome.failed)
        report.dropped.update(outcome.dropped)
        report.calls, report.throttled = connector.calls, connector.throttled

    # -- expectations ------------------------------------------------------------------
    def _check(self) -> list[Verdict]:
        verdicts = []
        for exp in self.s.expectations.marketo_leads:
            db = self.cloud.marketo(exp.munchkin_id)
            leads = [lead for lead in db.leads.values()
                     if all(str(lead.get(k)).lower() == str(v).lower()
                            for k, v in exp.match.items())]
            label = f"Marketo {exp.munchkin_id} lead {exp.match}"
            problems = []
            if len(leads) != exp.count:
                problems.append(f"{len(leads)} leads match, expected {exp.count}")
            for lead in leads if exp.count == 1 and len(leads) == 1 else []:
                for name, value in exp.fields.items():
                    if lead.get(name) != value:
                        problems.append(f"{name} is {lead.get(name)!r}, expected {value!r}")
                if exp.partition and db.partitions[lead.partition_id].name != exp.partition:
                    problems.append(f"partition is {db.partitions[lead.partition_id].name}, "
                                    f"expected {exp.partition}")
                if exp.lists is not None:
                    on = sorted(lst.name for lst in db.lists.lists.values()
                                if lead.id in lst.members)
                    if on != sorted(exp.lists):
                        problems.append(f"on lists {on}, expected {sorted(exp.lists)}")
            verdicts.append(Verdict(label, not problems, "; ".join(problems) or "as expected"))
        for exp in self.s.expectations.list_members:
            verdicts.append(self._check_list(exp))
        verdicts += self._reconcile()
        return verdicts

    def _reconcile(self) -> list[Verdict]:
        """Every account meant for a list is there, or reported dropped or refused; a silent
        loss (B-DB-06) fails the run unless the scenario expects that many drops."""
        verdicts = []
        for (dest_id, audience_id), sent in self.active.items():
            connector, report = self.connectors[dest_id], self.reports[dest_id]
            if not isinstance(connector, AccountConnector):
                continue
            audience = self.audiences[audience_id]
            field = "companyWebsiteDomain" if connector.kind == "bombora" \
                else "accountEmailDomain"
            held = set(self._held(connector, audience.name))
            for account_id in sorted(sent):
                if account_id in report.dropped or account_id in report.failed:
                    continue
                domain = connector.record(self.accounts[account_id]).get(field)
                if normalise_domain(domain) not in held:
                    report.unaccounted.append(account_id)
        expected = {d["destination"]: d for d in self.s.expectations.drops}
        for report in self.reports.values():
            lost = len(report.dropped) + len(report.unaccounted)
            if report.id in expected:
                want = expected[report.id]
                ok = lost >= want.get("min", 0) and lost <= want.get("max", lost)
                verdicts.append(Verdict(f"{report.id}: drops", ok,
                                        f"{len(report.dropped)} dropped, "
                                        f"{len(report.unaccounted)} lost silently"))
            elif report.unaccounted:
                verdicts.append(Verdict(f"{report.id}: every delivery accounted for", False,
                                        f"{len(report.unaccounted)} accounts accepted but not "
                                        f"held: {report.unaccounted[:5]}"))
        return verdicts

    def _held(self, connector: AccountConnector, name: str) -> list[str]:
        tenant = connector.config.client_id
        if connector.kind == "bombora":
            found = next((x for x in self.cloud.bombora(tenant).lists.values()
                          if x.name == name), None)
            return [a["domain"] for a in found.accounts.values()] if found else []
        found = self.cloud.demandbase(tenant).list_by_name(name)
        return list(found.members) if found else []

    def _check_list(self, exp: dict) -> Verdict:
        """`{vendor: bombora|demandbase, tenant: client id, list: name, members|count}`."""
        vendor, tenant, name = exp.get("vendor"), exp.get("tenant"), exp.get("list")
        label = f"{vendor} {tenant} list {name!r}"
        if vendor == "bombora":
            found = next((x for x in self.cloud.bombora(tenant).lists.values()
                          if x.name == name), None)
            held = sorted(a["domain"] for a in found.accounts.values()) if found else None
        elif vendor == "demandbase":
            found = self.cloud.demandbase(tenant).list_by_name(name)
            held = sorted(found.members) if found else None
        else:
            return Verdict(label, False, "vendor must be bombora or demandbase")
        if held is None:
            return Verdict(label, False, "no such list")
        if "members" in exp and held != sorted(exp["members"]):
            return Verdict(label, False, f"holds {held}, expected {sorted(exp['members'])}")
        if "count" in exp and len(held) != exp["count"]:
            return Verdict(label, False, f"holds {len(held)}, expected {exp['count']}")
        return Verdict(label, True, f"holds {len(held)} accounts as expected")


def run_scenario(loaded: LoadedScenario) -> Report:
    return Engine(loaded).run()
