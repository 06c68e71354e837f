"""What a run produced: per destination and source, and a verdict per expectation. One
object, rendered by `vendorsim run` (terminal, JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    skipped: dict[str, str] = field(default_factory=dict)  # not written, by design (B-MKT-14)
    unaccounted: list[str] = field(default_factory=list)  # meant to be there, silently missing
    refused: list[str] = field(default_factory=list)
    calls: int = 0
    throttled: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # segmentMembership statuses sent
    retries: int = 0  # attempts repeated under the delivery policy
    waited: float = 0.0  # virtual seconds spent waiting to retry (throttling, outages)
    batches: list[dict] = field(default_factory=list)  # one per delivery, with its times

    def summary(self) -> dict[str, str]:
        """The figures `vendorsim run` shows per destination (terminal and HTML alike)."""
        statuses = "/".join(str(self.statuses.get(k, 0))
                            for k in ("realized", "existing", "exited"))
        return {"entries sent": str(self.sent_entries), "exits sent": str(self.sent_exits),
                "realized/existing/exited": statuses, "leads updated": str(self.updated),
                "leads created": str(self.created), "skipped": str(len(self.skipped)),
                "list adds": str(self.listed), "list removals": str(self.unlisted),
                "dropped": str(len(self.dropped)), "failed": str(len(self.failed)),
                "lost silently": str(len(self.unaccounted)),
                "refused audiences": str(len(self.refused)), "API calls": str(self.calls),
                "throttled answers": str(self.throttled), "retries": str(self.retries),
                "waiting to retry": f"{self.waited:,.0f} s"}


def batch_record(audience: str, sent: float, done: float, profiles: int, retries: int,
                 outcome: object) -> dict:
    """One delivery of a dataflow: when it was sent and done (virtual epoch seconds), how
    many retries it took, and what became of its profiles."""
    delivered = sum(len(getattr(outcome, k)) for k in ("updated", "created", "listed",
                                                         "unlisted"))
    return {"dataflow": audience, "sent": sent, "done": done, "profiles": profiles,
            "retries": retries, "delivered": delivered,
            "dropped": len(outcome.dropped), "failed": len(outcome.failed),  # type: ignore
            "outcome": "dropped" if outcome.dropped else "failed" if outcome.failed  # type: ignore
            else "retried" if retries else "delivered"}


def dataflow_rows(report: Report) -> list[dict]:
    """Per dataflow (destination/audience): batches, first sent and last done (virtual UTC,
    MM-DDTHH:MM), retries, profiles delivered (ok), dropped, failed."""
    from vendorsim.mocks.core.clock import iso_utc

    rows = []
    for dest in report.destinations:
        flows: dict[str, list[dict]] = {}
        for batch in dest.batches:
            flows.setdefault(batch["dataflow"], []).append(batch)
        for audience, batches in flows.items():
            worst = next((b["outcome"] for b in batches if b["outcome"] in ("dropped",
                                                                              "failed")),
                         "retried" if any(b["retries"] for b in batches) else "delivered")
            rows.append({"dataflow": f"{dest.id}/{audience}", "batches": len(batches),
                         "sent": iso_utc(min(b["sent"] for b in batches))[5:16],
                         "done": iso_utc(max(b["done"] for b in batches))[5:16],
                         "retries": sum(b["retries"] for b in batches),
                         "ok": sum(b["delivered"] for b in batches),
                         "dropped": sum(b["dropped"] for b in batches),
                         "failed": sum(b["failed"] for b in batches), "outcome": worst})
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

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.verdicts)
