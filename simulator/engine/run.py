"""Replay a scenario on the virtual clock against the in-process mocks: vendor seed state,
faults, the timeline, SFMC ingestion on its schedule, streaming and daily-batch audience
evaluation, deliveries through the destination connectors, then the checks of
`vendorsim.simulator.report.checks`.

The connectors only talk HTTP to the vendors; `vendorsim.simulator.engine.vendors` says where
those are (the embedded mocks, or a running vendorsim): one scenario replays the same on either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from vendorsim.mocks import Cloud
from vendorsim.mocks.core.clock import iso_utc
from vendorsim.simulator.destinations.accounts import AccountConnector
from vendorsim.simulator.destinations.bombora import BomboraConnector
from vendorsim.simulator.destinations.demandbase import DemandbaseConnector
from vendorsim.simulator.destinations.exports import export
from vendorsim.simulator.destinations.marketo import (
    ActivationRefused,
    MarketoConnector,
    skip_reason,
)
from vendorsim.simulator.destinations.sends import Sender
from vendorsim.simulator.report import FATES, DestinationReport, Report, batch_record
from vendorsim.simulator.report.checks import check
from vendorsim.simulator.scenario.base import step_time
from vendorsim.simulator.scenario.loader import LoadedScenario
from vendorsim.simulator.scenario.model import (
    AccountDestination,
    Audience,
    MarketoDestination,
    Step,
    parse_offset,
)
from vendorsim.simulator.sources.marketo import MarketoSourceConnector
from vendorsim.simulator.sources.sfmc import SourceError

from .audiences import is_batch, members
from .collector import replaying
from .data import CdpData
from .processes import Scheduler
from .sends import check_sends, make_send, read_engagement
from .sources import absorb_b2b, build_sources, ingestion_times
from .vendors import InProcessVendors, Vendors, holdings

DAY = 86400.0
ACCOUNT_CONNECTORS = {"bombora": BomboraConnector, "demandbase": DemandbaseConnector}


class Engine:
    def __init__(self, loaded: LoadedScenario, vendors: Vendors | None = None,
                 progress: Callable[[float, float], None] | None = None) -> None:
        self.loaded = loaded
        self.progress = progress  # called with (virtual seconds done, seconds to go)
        self.s = loaded.scenario
        self.vendors = vendors or InProcessVendors()
        self.start = self.s.start.timestamp()
        self.scheduler = Scheduler(self.start, self._set_clock)  # the one virtual time
        self.audiences = {a.id: a for a in self.s.audiences}
        self.data = CdpData(loaded, lambda: self.scheduler.now)
        self.people, self.accounts, self.facts = \
            self.data.people, self.data.accounts, self.data.facts
        self.connectors: dict[str, MarketoConnector | AccountConnector] = {}
        self.holds: dict[tuple, tuple[float, int]] = {}  # Marketo throttle waits per client
        self.sources, self.source_reports = build_sources(
            self.s, self.vendors, self._wait, lambda: self.scheduler.now, self.holds)
        self.reports: dict[str, DestinationReport] = {}
        self.sender = Sender(self.s, self.vendors.base_url, self.vendors.session, self._wait,
                             lambda: self.scheduler.now, self.scheduler.pace, self.holds)
        self.active: dict[tuple[str, str], set[str]] = {}  # (dest, audience) -> members sent
        self.matched: set[str] = set()  # audiences that held a profile at some evaluation
        self.judge_injected = False  # client verdicts on answers faults injected, too
        self.as_of: tuple[str | None, tuple[str, ...]] = (None, ())  # calendar pin, opt-outs

    @property
    def cloud(self) -> Cloud:
        """The embedded mocks (in-process runs only), to inspect from Python."""
        return self.vendors.cloud  # type: ignore[attr-defined]  # only in-process vendors have one

    # -- set-up ----------------------------------------------------------------------
    def _faults(self) -> None:
        """Scenario faults; `start`/`end` may be offsets from the scenario start (+1h)."""
        for spec in map(dict, self.s.faults):  # copies: the offsets become times
            for key in ("start", "end"):
                if isinstance(spec.get(key), str) and spec[key].startswith("+"):
                    spec[key] = self.start + parse_offset(spec[key])
            self.vendors.add_fault(spec)

    def _seed(self) -> None:
        vendors, target = self.s.vendors, self.vendors
        for inst in vendors.marketo:
            target.seed("marketo", inst.munchkin_id, inst.credentials, inst.limits,
                        inst.seed_state())
        for account in vendors.sfmc:
            target.seed("sfmc", account.subdomain, account.credentials, account.limits,
                        account.seed_state())
        for vendor in ("bombora", "demandbase"):
            for client in getattr(vendors, vendor):
                target.seed(vendor, client.client_id, client.credentials, client.limits,
                            {"account_lists": client.account_lists})
                for token in client.api_tokens:
                    target.add_api_token(client.client_id, token)
        if self.data.generated_leads:  # generate: with duplicates, invalid records, partitions
            partitions = [p for p in self.s.data.generate.partitions  # type: ignore[union-attr]  # generated_leads: there is a generate block
                          if p != "Default"]
            for munchkin in dict.fromkeys(d.munchkin_id.upper() for d in self.s.destinations
                                          if isinstance(d, MarketoDestination)):
                target.seed("marketo", munchkin, None, None,
                            {"partitions": partitions, "leads": self.data.generated_leads})
        sleep, pace, holds = self._wait, self.scheduler.pace, self.holds
        for dest in self.s.destinations:
            self.reports[dest.id] = DestinationReport(dest.id, dest.type)
            if isinstance(dest, MarketoDestination):
                self.connectors[dest.id] = MarketoConnector(
                    dest, target.base_url("marketo", dest.munchkin_id), target.session(), sleep,
                    lambda: self.scheduler.now, pace, holds)
            elif isinstance(dest, AccountDestination):
                self.connectors[dest.id] = ACCOUNT_CONNECTORS[dest.type](
                    dest, target.base_url(dest.type), target.session(), sleep, pace)

    # -- the event loop --------------------------------------------------------------
    def _at(self, step: Step) -> float:
        when = step_time(step.at, self.s.start)
        return when if when is not None else self.start + parse_offset(step.at)

    def _set_clock(self, when: float) -> None:
        self.vendors.set_clock(when, forward=True)

    def _wait(self, seconds: float) -> None:
        """What a connector's retry delay is: a wait of its dataflow's process."""
        if not self.scheduler.sleep(seconds):
            raise AssertionError("a connector waited outside its dataflow's process")

    def run(self) -> Report:
        ran_at = datetime.now(UTC)
        with self.vendors:
            if self.as_of != (None, ()):  # the vendors as of a date (docs/how-to/calendar.md)
                self.vendors.pin_calendar(*self.as_of)
            self.vendors.set_clock(self.start)
            self._seed()
            self._faults()
            plan = self.scheduler
            times = [self._at(step) for step in self.s.timeline]
            for when, step in sorted(zip(times, self.s.timeline, strict=True),
                                     key=lambda pair: pair[0]):
                plan.at(when, partial(self._step, step))
            end = max(times, default=self.start)
            for source_id, connector in self.sources.items():  # B-SFMC-05, B-B2B-07
                for when in ingestion_times(connector, self.start, end):
                    plan.give(f"source {source_id}", partial(self._ingest, source_id), when)
            # B-B2B-05: the daily batch, through the day after the timeline (virtual clocks;
            # on a real clock only the batches within the timeline are waited for)
            days = int((end - self.start) // DAY) + (1 if self.vendors.virtual else 0)
            for day in range(1, days + 1):
                plan.at(self.start + day * DAY, lambda: self._evaluate(batch=True))
            if self.progress:
                plan.progress = lambda now: self.progress(  # type: ignore[misc]  # self.progress is set
                    now - self.start, max(end, now) - self.start)
            clock = getattr(getattr(self.vendors, "cloud", None), "clock", None)
            hooked = clock if hasattr(clock, "sleeper") else None
            if hooked is not None:  # a latency inside a mock's request: a wait of the process
                hooked.sleeper = plan.sleep
            try:
                plan.run()
            finally:
                plan.stop()
                if hooked is not None:
                    hooked.sleeper = None
            with self.vendors.settled():  # each tenant's state read once from here on
                verdicts = check(self)
                journal = self.vendors.journal()
                held = holdings(self.vendors, journal, self._seeded())
                judged = self.vendors.client_verdicts(self.judge_injected)
                engagement = read_engagement(self, held)  # after the journal: not the replay's
            verdicts += check_sends(self.s.expectations.sends, engagement)
        for source_id, connector in self.sources.items():
            self.source_reports[source_id].calls = int(connector.tally.total("calls"))
        warnings = [f"client verdict {v['rule']} on {v['vendor']}"
                    f"{' ' + v['tenant'] if v['tenant'] else ''} ({v['client']}): "
                    f"{v['detail']} [journal {', '.join(map(str, v['evidence'][:10]))}]"
                    for v in judged]
        warnings += [f"audience '{self.audiences[a].name}' ({a}) activated to {d} matched no "
                    "profile during the run: check its conditions and the data"
                    for d, a in self.active if a not in self.matched]
        return Report(self.s.name, list(self.reports.values()), verdicts, journal,
                      list(self.source_reports.values()), warnings, held, judged,
                      self._header(ran_at), [vars(r) for r in self.sender.requests], engagement)

    def _header(self, ran_at: datetime) -> dict[str, str]:
        """What a report opens with: which scenario, which vendorsim, which data, when."""
        from vendorsim import __version__

        spec = self.s.data.generate
        target = getattr(self.vendors, "urls", {}).get("cloud")
        return {"scenario file": str(self.loaded.path), "name": self.s.name,
                "description": " ".join(self.s.description.split()) or "(none)",
                "vendorsim": __version__,
                "seed": str(spec.seed) if spec is not None else "no generated data",
                "ran at": ran_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                "virtual time": f"{iso_utc(self.start)} to {iso_utc(self.scheduler.now)}",
                "vendors": target or "embedded (in-process) mocks",
                "vendor calendar": f"as of {self.as_of[0]}" if self.as_of[0] else
                "on the virtual clock", **({"opted out": ", ".join(self.as_of[1])}
                                           if self.as_of[1] else {})}

    def _seeded(self) -> list[tuple[str, str]]:
        v = self.s.vendors
        return [("marketo", m.munchkin_id.upper()) for m in v.marketo] + \
            [("sfmc", a.subdomain) for a in v.sfmc] + \
            [(name, c.client_id) for name in ("bombora", "demandbase") for c in getattr(v, name)]

    def _step(self, step: Step) -> None:
        flow = f"{step.destination}/{step.audience}"  # a dataflow: destination x audience
        if step.action == "activate":
            self.scheduler.give(flow, lambda: self._activate(step.destination or "",
                                                             step.audience or ""))
        elif step.action == "deactivate":  # after the deliveries already under way
            self.scheduler.give(flow, lambda: self.active.pop(
                (step.destination or "", step.audience or ""), None))
        elif step.action == "change":
            if step.account:  # account audiences see it at the next daily batch (B-B2B-04)
                self.accounts.setdefault(step.account, {"accountId": step.account}) \
                    .update(step.set)
            else:
                self.people.setdefault(step.person or "", {"personId": step.person}) \
                    .update(step.set)
            self._evaluate(batch=False)
        elif step.action == "event":  # a person-level event: streaming audiences follow
            now = self.scheduler.now
            stamp = iso_utc(now)
            self.data.add_event({"personId": step.person, "timestamp": stamp, **step.event}, now)
            self._evaluate(batch=False)
        elif step.action == "advance":  # the replay goes on at least this long
            self.scheduler.at(self.scheduler.now + parse_offset(step.by or "0s"),
                              lambda: None)
        elif step.action == "evaluate":
            self._evaluate(batch=True)
        elif step.action == "ingest":
            self.scheduler.give(f"source {step.source}",
                                lambda: self._ingest(step.source or ""))
        elif step.action == "send" and step.send:  # one process per vendor account
            self.scheduler.give(f"sends {step.send.vendor} {step.send.tenant}",
                                partial(make_send, self, step.send))
        elif step.action == "upsert_rows":  # a marketer's edit: its own process (it may
            # wait, as any call to a vendor may), before the source's next run
            self.scheduler.give(f"edits {step.source}", lambda: self._edit(step))

    def _edit(self, step: Step) -> None:
        try:
            self._upsert_rows(step.source or "", step.rows)
        except (ValueError, SourceError) as exc:  # shown in the report, not a traceback
            self.source_reports[step.source or ""].errors.append(f"upsert_rows: {exc}")

    def _now_iso(self, now: float | None = None) -> str:
        """The virtual time (now, unless given) as SFMC's Date columns and filters take it."""
        when = self.scheduler.now if now is None else now
        return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%S")

    def _upsert_rows(self, source_id: str, rows: list[dict]) -> None:
        """A marketer edits the source's data (an SFMC data extension, Marketo leads)."""
        connector = self.sources[source_id]
        if isinstance(connector, MarketoSourceConnector):
            connector.upsert_leads(rows)
            return
        config = connector.config
        stamp = self._now_iso()
        stamped = [{config.modified_column: stamp, **row} if config.modified_column else row
                   for row in rows]
        self.vendors.upsert_rows(config.subdomain, config.data_extension, stamped)

    def _ingest(self, source_id: str) -> None:
        """One ingestion run: rows become profile attributes (or, for an `events` source,
        events of the profile they name); streaming audiences follow."""
        connector, report = self.sources[source_id], self.source_reports[source_id]
        identity = connector.config.identity
        events = getattr(connector.config, "kind", "profiles") == "events"
        by_identity = {str(p.get(identity, "")).lower(): p for p in self.people.values()}
        now = self.scheduler.now
        stamp = iso_utc(now)
        try:
            for row in connector.rows(self._now_iso(now)):
                attrs = connector.to_profile(row)
                key = str(attrs.get(identity, "")).lower()
                person = by_identity.get(key)
                if not key or (events and person is None):
                    report.skipped_rows += 1  # no identity, or an event of nobody known
                    continue
                if events and person is not None:
                    fields = {k: v for k, v in attrs.items() if k != identity}
                    self.data.add_event({"personId": person["personId"], "timestamp": stamp,
                                     **fields})
                    continue
                if person is None:
                    person = {"personId": f"{source_id}:{key}"}
                    self.people[person["personId"]] = by_identity[key] = person
                    report.profiles_created += 1
                    report.first_seen[key] = stamp
                else:
                    report.profiles_updated += 1
                if any(person.get(k) != v for k, v in attrs.items()):
                    report.last_change[key] = stamp
                person.update(attrs)
            absorb_b2b(connector, self.accounts, self.facts.opportunities)
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
        flow = report.flow(audience_id)  # its calls count from the activation on
        try:
            connector.activate(audience)
        except ActivationRefused as exc:
            report.refused.append(f"{audience.name}: {exc}")
            return
        finally:
            flow.calls = connector.tally.mine()  # this dataflow's process: its own calls
        self.active[(dest_id, audience_id)] = set()
        self._evaluate(batch=True, only=(dest_id, audience_id))

    def _evaluate(self, batch: bool, only: tuple[str, str] | None = None) -> None:
        """Queue entries and exits; streaming ones within the destination's latency."""
        self.facts.now = self.scheduler.now
        for (dest_id, audience_id), sent in list(self.active.items()):
            if only and (dest_id, audience_id) != only:
                continue
            audience = self.audiences[audience_id]
            if is_batch(audience) and not batch:
                continue  # B-B2B-04: account/opportunity audiences wait for the daily batch
            now_in = members(audience, self.people, self.accounts, self.facts)
            if now_in:
                self.matched.add(audience_id)
            entering, exiting = sorted(now_in - sent), sorted(sent - now_in)
            if not entering and not exiting:
                continue
            sent.clear()
            sent.update(now_in)
            delay = 0.0 if batch else parse_offset(
                self.connectors[dest_id].config.delivery.streaming_latency)  # B-B2B-06
            pool = self.accounts if audience.type == "account" else self.people
            stamp = iso_utc(self.facts.now)
            status = "existing" if only else "realized"  # members before the activation
            exports = [export(pool[i], audience_id, status, stamp) for i in entering] + \
                [export(pool[i], audience_id, "exited", stamp) for i in exiting]
            self.scheduler.give(f"{dest_id}/{audience_id}", partial(
                self._deliver, dest_id, audience, entering, exiting, exports),
                self.facts.now + delay)

    def _deliver(self, dest_id: str, audience: Audience, entering: list[str],
                 exiting: list[str], exports: list[dict]) -> None:
        """One delivery on the dataflow's process; its figures go to the dataflow's report
        (the one reconciliation every rendering reads)."""
        connector, report = self.connectors[dest_id], self.reports[dest_id]
        flow = report.flow(audience.id)
        sent_at, before = self.scheduler.now, connector.tally.mine()
        outcome = connector.deliver_exports(audience, exports)
        flow.calls = after = connector.tally.mine()
        why = skip_reason(connector.config) if isinstance(
            connector, MarketoConnector) else "nothing to write"
        fates = outcome.fates([*entering, *exiting], why)
        counted = {k: 0 for k in FATES}
        for pid, (fate, reason) in fates.items():
            counted[fate] += 1
            flow.fates[fate] += 1
            if fate != "delivered":
                getattr(report, fate)[pid] = reason
        flow.batches.append(batch_record(audience.id, sent_at, self.scheduler.now, counted,
                                         {k: after[k] - before[k] for k in after}))
        for item in exports:
            flow.statuses[item["segmentMembership"]["ups"][audience.id]["status"]] += 1
        flow.entries += len(entering)
        flow.exits += len(exiting)
        for name, bucket in (("leads updated", outcome.updated),
                             ("leads created", outcome.created),
                             ("list adds", outcome.listed), ("list removals", outcome.unlisted)):
            flow.records[name] += len(bucket)


@replaying()  # the collector walks less often what a replay makes (collector.py)
def run_scenario(loaded: LoadedScenario, vendors: Vendors | None = None,
                 progress: Callable[[float, float], None] | None = None,
                 read_timeout: float | None = None, judge_injected: bool = False,
                 as_of: str | None = None, opt_out: tuple[str, ...] = ()) -> Report:
    """Replay a loaded scenario on the embedded mocks, or on `vendors`; `read_timeout`: seconds
    a call may take before it counts as unanswered; `judge_injected`: client verdicts judge
    answers of the scenario's faults too; `as_of`, `opt_out`: the vendors' dated changes."""
    vendors = vendors or InProcessVendors()
    vendors.read_timeout = read_timeout
    engine = Engine(loaded, vendors, progress)
    engine.judge_injected, engine.as_of = judge_injected, (as_of, tuple(opt_out))
    return engine.run()
