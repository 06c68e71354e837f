"""The CDP's data as a replay holds it: profiles (people), accounts, and the facts audience
conditions read besides them (opportunities, events with their times), from the scenario's
inline records, its data files and `generate:`; plus the Marketo seed the generator makes for
dedupe scenarios. Ids are text here (`vendorsim check` made sure each is text or a whole
number): `P1` in a step and `personId: P1` in a file, or 7 and "7", are one record."""

from __future__ import annotations

from collections.abc import Callable

from vendorsim.simulator.generate import GeneratorConfig, ProfileGenerator
from vendorsim.simulator.generate.writers import marketo_leads
from vendorsim.simulator.scenario.loader import LoadedScenario, read_records
from vendorsim.simulator.scenario.records import event_time

from .audiences import Facts


class CdpData:
    def __init__(self, loaded: LoadedScenario, now: Callable[[], float]) -> None:
        s = loaded.scenario
        self.now = now  # the replay's virtual time (events without a time happen now)
        self.people = {p["personId"]: p for p in _with_text_ids(
            read_records(loaded, s.data.people, "people"), "personId", "accountId")}
        self.accounts = {a["accountId"]: a for a in _with_text_ids(
            read_records(loaded, s.data.accounts, "accounts"), "accountId")}
        self.facts = Facts(self.accounts)  # opportunities and events for the conditions
        for opportunity in _with_text_ids(read_records(
                loaded, s.data.opportunities, "opportunities"), "accountId"):
            self.facts.opportunities.setdefault(opportunity.get("accountId", ""), []) \
                .append(opportunity)
        for event in _with_text_ids(read_records(loaded, s.data.events, "events"),
                                    "personId"):
            self.add_event(event)
        self.generated_leads: list[dict] = []
        self._generated(loaded)

    def _generated(self, loaded: LoadedScenario) -> None:
        """`data: generate: {count, seed}` adds synthetic accounts and people. With
        duplicates, invalid records or several partitions, it also yields the Marketo seed
        `vendorsim generate --format marketo` writes (leads of the valid people, each in its
        partition, duplicates a day older in another), for the Marketo destinations."""
        spec = loaded.scenario.data.generate
        if spec is None:
            return
        config = GeneratorConfig(**{**spec.model_dump(exclude={"engagement"}),
                                    "partitions": tuple(spec.partitions), "engagement":
                                    spec.engagement.to_seed() if spec.engagement else None})
        seeds_marketo = bool(spec.duplicate_share or spec.invalid_share
                             or len(spec.partitions) > 1)
        for block in ProfileGenerator(config).blocks():
            if seeds_marketo:
                self.generated_leads += marketo_leads(block)
            self.accounts[block.account["accountId"]] = block.account
            for person in block.people:
                self.people[person["personId"]] = person
            if block.opportunities:
                self.facts.opportunities[block.account["accountId"]] = block.opportunities
            for event in block.events:
                self.add_event(event)

    def add_event(self, event: dict, when: float | None = None) -> None:
        """An event of a person, at its own time (or `when`, or now)."""
        stamp = event.get("timestamp")
        if when is None:
            parsed = event_time(str(stamp)) if stamp else None
            when = parsed if parsed is not None else self.now()
        self.facts.events.setdefault(event.get("personId", ""), []).append((when, event))


def _with_text_ids(records: list[dict], *keys: str) -> list[dict]:
    """Copies of the records with their id fields as text."""
    return [{**r, **{k: str(r[k]) for k in keys if r.get(k) is not None}} for r in records]
