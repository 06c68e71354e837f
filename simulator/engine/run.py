"""Replay a scenario on the virtual clock against the in-process mocks: vendor seed state,
faults, the timeline, SFMC ingestion on its schedule, streaming and daily-batch audience
evaluation, deliveries through the destination connectors, then the checks of
`simulator.report.checks`.

The engine only talks HTTP to the vendors (through the in-process interceptors), so the same
connector code can later target a server or a real sandbox.
"""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime

import requests

from mocks import Cloud, mock_vendors
from simulator.destinations.accounts import AccountConnector
from simulator.destinations.marketo import ActivationRefused, MarketoConnector
from simulator.generate import GeneratorConfig, ProfileGenerator
from simulator.report import DestinationReport, Report, SourceReport
from simulator.report.checks import check
from simulator.scenario.loader import LoadedScenario, read_records
from simulator.scenario.model import (
    AccountDestination,
    Audience,
    MarketoDestination,
    Step,
    parse_offset,
)
from simulator.sources.sfmc import SfmcConnector, SourceError

from .audiences import is_batch, members

DAY = 86400.0
HOSTS = {"bombora": "https://api.bombora.com", "demandbase": "https://uapi.demandbase.com"}


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
        self._generated()
        self.connectors: dict[str, MarketoConnector | AccountConnector] = {}
        self.sources = {src.id: SfmcConnector(src, _session()) for src in self.s.sources}
        self.source_reports = {src.id: SourceReport(src.id) for src in self.s.sources}
        self.reports: dict[str, DestinationReport] = {}
        self.active: dict[tuple[str, str], set[str]] = {}  # (dest, audience) -> members sent
        self._queue: list = []
        self._seq = itertools.count()

    # -- set-up ----------------------------------------------------------------------
    def _generated(self) -> None:
        """`data: generate: {count, seed}` adds synthetic accounts and people (issue 6)."""
        spec = self.s.data.generate
        if spec is None:
            return
        config = GeneratorConfig(**{**spec.model_dump(), "partitions": tuple(spec.partitions)})
        for block in ProfileGenerator(config).blocks():
            self.accounts[block.account["accountId"]] = block.account
            for person in block.people:
                self.people[person["personId"]] = person

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
        for account in vendors.sfmc:
            self.cloud.service("sfmc").seed_tenant(
                account.subdomain, credentials=account.credentials, limits=account.limits,
                state={"data_extensions": account.data_extensions})
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
                    dest, f"https://{dest.munchkin_id}.mktorest.com", _session(), sleep)
            elif isinstance(dest, AccountDestination):
                if dest.type == "demandbase" and dest.api_token:
                    self.cloud.service("demandbase").add_api_token(  # type: ignore[attr-defined]
                        dest.client_id, dest.api_token)
                self.connectors[dest.id] = AccountConnector(dest, HOSTS[dest.type], _session(),
                                                            sleep)

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
            for source in self.s.sources:  # B-SFMC-05: ingestion on its schedule
                every = parse_offset(source.schedule)
                when = self.start
                while when <= end:
                    self._push(when, "ingest", source.id)
                    when += every
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
                elif kind == "ingest":
                    self._ingest(payload)
            verdicts = check(self)
        return Report(self.s.name, list(self.reports.values()), verdicts,
                      [e.to_dict() for e in self.cloud.journal.entries()],
                      list(self.source_reports.values()))

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
        elif step.action == "ingest":
            self._ingest(step.source or "")
        elif step.action == "upsert_rows":
            self._upsert_rows(step.source or "", step.rows)

    def _now_iso(self) -> str:
        """The virtual time as SFMC's Date columns and filters take it."""
        return self.cloud.clock.utcnow().strftime("%Y-%m-%dT%H:%M:%S")

    def _upsert_rows(self, source_id: str, rows: list[dict]) -> None:
        """A marketer edits the source's data extension in SFMC (vendor-side change)."""
        config = self.sources[source_id].config
        account = self.cloud.sfmc(config.subdomain)
        de = account.get(config.data_extension)
        stamp = self._now_iso()
        for row in rows:
            values = dict(row)
            if config.modified_column:
                values.setdefault(config.modified_column, stamp)
            checked, problems = de.check_row({}, values)
            if problems:
                raise ValueError(f"upsert_rows into {config.data_extension}: {problems}")
            de.put(checked)

    def _ingest(self, source_id: str) -> None:
        """One ingestion run: rows become profile attributes; streaming audiences follow."""
        connector, report = self.sources[source_id], self.source_reports[source_id]
        identity = connector.config.identity
        by_identity = {str(p.get(identity, "")).lower(): p for p in self.people.values()}
        try:
            for row in connector.rows(self._now_iso()):
                attrs = connector.to_profile(row)
                key = str(attrs.get(identity, "")).lower()
                if not key:
                    continue
                person = by_identity.get(key)
                if person is None:
                    person = {"personId": f"{source_id}:{key}"}
                    self.people[person["personId"]] = by_identity[key] = person
                    report.profiles_created += 1
                else:
                    report.profiles_updated += 1
                person.update(attrs)
        except SourceError as exc:
            report.errors.append(str(exc))
        report.runs, report.rows = connector.runs, connector.rows_read
        self._evaluate(batch=False)

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


def _session() -> requests.Session:
    """In-process calls never pass a proxy: skip requests' scan of the environment for proxy
    settings on every call (it was a fifth of a small call's cost)."""
    session = requests.Session()
    session.trust_env = False
    return session


def run_scenario(loaded: LoadedScenario) -> Report:
    return Engine(loaded).run()
