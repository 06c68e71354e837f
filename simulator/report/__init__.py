"""What a run produced: per dataflow and source, and a verdict per expectation. One object,
rendered by `vendorsim run` (terminal, JSON) and `report/html.py`.

One reconciliation: every number any rendering shows is read from a `FlowReport` (one
dataflow: a destination and one of its audiences) or is a sum of them, and says what it
counts: **profiles** (each entry or exit of a profile in a delivery, which ends delivered,
skipped by design, dropped by the delivery policy or failed at the vendor: always
`sent = delivered + skipped + dropped + failed`), **records** (what the vendor wrote: leads
updated and created, list adds and removals; one profile can be several records) or
**calls** (API calls, throttled answers among them, retries, and the virtual seconds spent
waiting). `tests/test_report_reconciliation.py` checks the calls against the journal.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

FATES = ("delivered", "skipped", "dropped", "failed")
RECORDS = ("leads updated", "leads created", "list adds", "list removals")
CALLS = ("calls", "throttled", "retries", "waited")
STATUSES = ("realized", "existing", "exited")


def zeros(names: tuple[str, ...]) -> dict[str, float]:
    return dict.fromkeys(names, 0.0)


def counts(names: tuple[str, ...]) -> dict[str, int]:
    return dict.fromkeys(names, 0)


@dataclass
class FlowReport:
    """One dataflow (a destination and one audience it activates): its batches and every
    figure the reports show for it."""

    destination: str
    audience: str
    entries: int = 0  # profiles entering, summed over deliveries
    exits: int = 0  # profiles exiting
    fates: dict[str, int] = field(default_factory=lambda: counts(FATES))
    records: dict[str, int] = field(default_factory=lambda: counts(RECORDS))
    calls: dict[str, float] = field(default_factory=lambda: zeros(CALLS))
    statuses: dict[str, int] = field(default_factory=lambda: counts(STATUSES))
    batches: list[dict] = field(default_factory=list)  # one per delivery, with its times

    @property
    def sent(self) -> int:
        return self.entries + self.exits


@dataclass
class DestinationReport:
    """A destination: its dataflows, the profiles it could not deliver with the reasons,
    and its refused activations. Every total is the sum of its dataflows."""

    id: str
    type: str
    flows: dict[str, FlowReport] = field(default_factory=dict)  # by audience id
    failed: dict[str, str] = field(default_factory=dict)  # profile id -> the vendor's reason
    dropped: dict[str, str] = field(default_factory=dict)  # given up by the delivery policy
    skipped: dict[str, str] = field(default_factory=dict)  # not written, by design (B-MKT-14)
    unaccounted: list[str] = field(default_factory=list)  # meant to be there, silently missing
    refused: list[str] = field(default_factory=list)

    def flow(self, audience: str) -> FlowReport:
        found = self.flows.get(audience)
        if found is None:
            found = self.flows[audience] = FlowReport(self.id, audience)
        return found

    def total(self, part: str, name: str) -> float:
        """A figure summed over the dataflows: part is fates, records, calls or statuses."""
        return sum(getattr(f, part)[name] for f in self.flows.values())

    # the totals by name (tests and scripts read these)
    sent_entries = property(lambda self: sum(f.entries for f in self.flows.values()))
    sent_exits = property(lambda self: sum(f.exits for f in self.flows.values()))
    updated = property(lambda self: int(self.total("records", "leads updated")))
    created = property(lambda self: int(self.total("records", "leads created")))
    listed = property(lambda self: int(self.total("records", "list adds")))
    unlisted = property(lambda self: int(self.total("records", "list removals")))
    calls = property(lambda self: int(self.total("calls", "calls")))
    throttled = property(lambda self: int(self.total("calls", "throttled")))
    retries = property(lambda self: int(self.total("calls", "retries")))
    waited = property(lambda self: self.total("calls", "waited"))
    statuses = property(lambda self: {k: int(self.total("statuses", k)) for k in STATUSES
                                      if self.total("statuses", k)})
    batches = property(lambda self: [b for f in self.flows.values() for b in f.batches])

    def summary(self) -> dict[str, str]:
        """The figures `vendorsim run` shows per destination (terminal and HTML alike),
        each labelled with what it counts."""
        sent = self.sent_entries + self.sent_exits
        statuses = "/".join(str(int(self.total("statuses", k))) for k in STATUSES)
        return {
            "profiles sent (entries + exits)":
                f"{sent:,} ({self.sent_entries:,} + {self.sent_exits:,})",
            "profiles delivered": f"{int(self.total('fates', 'delivered')):,}",
            "profiles skipped (by design)": f"{int(self.total('fates', 'skipped')):,}",
            "profiles dropped (delivery policy)": f"{int(self.total('fates', 'dropped')):,}",
            "profiles failed (vendor refused)": f"{int(self.total('fates', 'failed')):,}",
            "profiles lost silently": f"{len(self.unaccounted):,}",
            "statuses sent (realized/existing/exited)": statuses,
            "records: leads updated": f"{self.updated:,}",
            "records: leads created": f"{self.created:,}",
            "records: list adds": f"{self.listed:,}",
            "records: list removals": f"{self.unlisted:,}",
            "calls: API calls": f"{self.calls:,}",
            "calls: throttled answers": f"{self.throttled:,}",
            "calls: retries": f"{self.retries:,}",
            "waiting to retry (virtual s)": f"{self.waited:,.0f}",
            "audiences refused": f"{len(self.refused):,}"}


def batch_record(audience: str, sent: float, done: float, fates: dict[str, int],
                 calls: dict[str, float]) -> dict:
    """One delivery of a dataflow: when it was sent and done (virtual epoch seconds), what
    became of its profiles, the calls and retries it took."""
    profiles = sum(fates.values())
    outcome = "dropped" if fates["dropped"] else "failed" if fates["failed"] \
        else "retried" if calls["retries"] else "delivered"
    return {"dataflow": audience, "sent": sent, "done": done, "profiles": profiles,
            **{k: fates[k] for k in FATES}, "calls": int(calls["calls"]),
            "retries": int(calls["retries"]), "outcome": outcome}


def dataflow_rows(report: Report) -> list[dict]:
    """Per dataflow (destination/audience): batches, first sent and last done (virtual UTC,
    MM-DDTHH:MM), profiles sent and their fates, calls and retries (activation included),
    the worst outcome; the same figures the destination totals sum."""
    from vendorsim.mocks.core.clock import iso_utc

    rows = []
    for dest in report.destinations:
        for audience, flow in dest.flows.items():
            batches = flow.batches
            worst = next((b["outcome"] for b in batches if b["outcome"] in ("dropped",
                                                                              "failed")),
                         "retried" if flow.calls["retries"] else "delivered")
            rows.append({
                "dataflow": f"{dest.id}/{audience}", "batches": len(batches),
                "sent": iso_utc(min(b["sent"] for b in batches))[5:16] if batches else "-",
                "done": iso_utc(max(b["done"] for b in batches))[5:16] if batches else "-",
                "profiles": flow.sent, **{k: flow.fates[k] for k in FATES},
                "calls": int(flow.calls["calls"]), "retries": int(flow.calls["retries"]),
                "outcome": worst if batches else "nothing sent"})
    return rows


@dataclass
class Verdict:
    expectation: str
    passed: bool
    detail: str


@dataclass
class SourceReport:
    id: str
    runs: int = 0
    rows: int = 0
    profiles_created: int = 0
    profiles_updated: int = 0
    calls: int = 0  # API calls the source made (the journal holds them too)
    errors: list[str] = field(default_factory=list)
    skipped_rows: int = 0  # rows without an identity, or events of unknown profiles
    first_seen: dict[str, str] = field(default_factory=dict)  # identity -> when it arrived
    last_change: dict[str, str] = field(default_factory=dict)  # identity -> last changed
    refused: str = ""  # the CDP refused this connection (B-B2B-02)
    feeds: str = ""  # accepted, but feeds another CDP instance/sandbox than the one simulated


@dataclass
class Report:
    scenario: str
    destinations: list[DestinationReport]
    verdicts: list[Verdict]
    journal: list[dict]
    sources: list[SourceReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # --strict makes these fail the run
    holdings: dict[str, dict[str, dict]] = field(default_factory=dict)  # vendor -> tenant ->
    # the state it holds at the end (Marketo without its activity log)
    client_verdicts: list[dict] = field(default_factory=list)  # how the run's connectors
    # treated the vendors (mocks/core/verdicts.py): the simulator's own must be clean
    header: dict[str, str] = field(default_factory=dict)  # file, description, version, seed,
    # when it ran, the virtual span, the target: what every rendering opens with
    sends: list[dict] = field(default_factory=list)  # each send step: what was asked of the
    # vendor, what it accepted (destinations/sends.py SendRequest)
    engagement: list[dict] = field(default_factory=list)  # per vendor send (SFMC Send job,
    # Marketo email): sent, delivered, bounced, opened, clicked, unsubscribed by the end

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.verdicts)


def to_json(report: Report) -> dict:
    """The report as `vendorsim run --json` writes it: everything, plus each destination's
    totals and the dataflow rows, the same figures the terminal and the HTML page show."""
    data = dataclasses.asdict(report)
    data["passed"] = report.passed
    for dest, out in zip(report.destinations, data["destinations"], strict=True):
        out["totals"] = dest.summary()
    data["dataflows"] = dataflow_rows(report)
    return data
