"""The values a scenario's profiles can hold, field by field, and what follows for its
audiences. A condition on a value no profile can ever have (the generator writes `C-Level`,
the condition says `CXO`) is an error, with "did you mean"; an audience that matches no
profile of the data at the start, and that no step or source can change, is a warning
(`vendorsim check --strict` and `run --strict` fail on it).

A field's values are known (closed) when every way a value can get there is known: inline and
file records, the generator's fixed vocabularies, what `change` and `event` steps set. A
source that writes the field, or a generated field drawn from open pools (names, emails),
leaves it open: nothing is claimed about it."""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterator
from typing import Any

from .model import Audience, MarketoSource, Scenario

Found = Iterator[tuple[tuple, str]]
GENERATED_EVALUATION = 20_000  # people generated to evaluate audiences on (more: skipped)


def closed_vocabularies() -> dict[tuple[str, str], set[Any]]:
    """The generator's fields with a fixed set of values."""
    from vendorsim.simulator.generate.pools import (
        EVENT_TYPES,
        INDUSTRIES,
        LIFECYCLE,
        OPPORTUNITY_STAGES,
        SENIORITY,
        SIZE_BANDS,
    )

    return {("person", "seniority"): set(SENIORITY),
            ("person", "lifecycleStage"): {name for name, _ in LIFECYCLE},
            ("account", "industry"): set(INDUSTRIES),
            ("account", "sizeBand"): {band for _, band in SIZE_BANDS},
            ("opportunity", "stage"): {name for name, _ in OPPORTUNITY_STAGES},
            ("event", "type"): {name for name, _ in EVENT_TYPES}}


def _key(value: Any) -> Hashable:
    return value if isinstance(value, Hashable) else repr(value)


def domains(s: Scenario, records: dict[str, list[dict]]) -> dict[tuple[str, str],
                                                                  set[Any] | None]:
    """(scope, field) -> every value it can hold, or None when that cannot be known."""
    out: dict[tuple[str, str], set[Any] | None] = {}

    def add(scope: str, name: str, value: Any) -> None:
        known = out.setdefault((scope, name), set())
        if known is not None:
            known.add(_key(value))

    for scope, found in records.items():
        for record in found:
            for name, value in record.items():
                add(scope, name, value)
    if s.data.generate is not None:
        from .records import generated_fields

        closed = closed_vocabularies()
        for scope, names in generated_fields().items():
            for name in names:
                if (scope, name) in closed:
                    for value in closed[(scope, name)]:
                        add(scope, name, value)
                elif scope == "person" and name == "partition":
                    for value in s.data.generate.partitions:
                        add(scope, name, value)
                else:
                    out[(scope, name)] = None
    for step in s.timeline:
        if step.action == "change":
            for name, value in step.set.items():
                add("account" if step.account else "person", name, value)
        elif step.action == "event":
            for name, value in step.event.items():
                add("event", name, value)
    for source in s.sources:
        scope = "event" if getattr(source, "kind", "profiles") == "events" else "person"
        for attribute in source.mapping.values():
            out[(scope, attribute)] = None
        if isinstance(source, MarketoSource):
            for attribute in source.account_mapping.values():
                out[("account", attribute)] = None
            for attribute in source.opportunity_mapping.values():
                out[("opportunity", attribute)] = None
    return out


def _scope(attribute: str) -> tuple[str, str]:
    scope, dot, name = attribute.partition(".")
    return ("person", scope) if not dot else (scope, name)


def _number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, bool)


def impossible_values(s: Scenario, records: dict[str, list[dict]]) -> Found:
    """Conditions that test for a value no profile, account, opportunity or event of this
    scenario can ever hold."""
    known = domains(s, records)
    for i, audience in enumerate(s.audiences):
        for j, condition in enumerate(audience.all):
            scope, name = _scope(condition.attribute)
            values = known.get((scope, name))
            if not values:  # open, or a field the data lacks (reported on its own)
                continue
            wanted = [("equals", condition.equals)] if condition.equals is not None else []
            wanted += [("in", v) for v in condition.in_ or []]
            for setting, value in wanted:
                if _key(value) not in values:
                    texts = sorted(str(v) for v in values)
                    close = difflib.get_close_matches(str(value), texts, n=1, cutoff=0.4)
                    shown = ", ".join(texts[:12]) + (" ..." if len(texts) > 12 else "")
                    yield (("audiences", i, "all", j, setting),
                           f"no {scope} in this scenario can have {name} {value!r}"
                           + (f"; did you mean {close[0]!r}?" if close else "")
                           + f" (the values it can have: {shown})")
            if (condition.gte is not None or condition.lte is not None) and \
                    not any(_number(v) for v in values):
                yield (("audiences", i, "all", j),
                       f"no {scope} in this scenario has a number in {name}: gte/lte can "
                       "never pass")


def unmatched_audiences(s: Scenario, records: dict[str, list[dict]]) -> Found:
    """Warnings: audiences a destination sends that match no profile of the data at the
    start, when no step or source can change what their conditions look at."""
    used = {a for d in s.destinations for a in d.audiences}
    changing = {name for step in s.timeline if step.action in ("change", "event")
                for name in (*step.set, *step.event)}
    if s.sources:
        return
    data = _evaluation_data(s, records)
    if data is None:
        return
    from vendorsim.simulator.engine.audiences import members

    people, accounts, facts = data
    for i, audience in enumerate(s.audiences):
        if audience.id not in used or _changeable(audience, changing):
            continue
        if any(c.within for c in audience.all):
            continue  # depends on when the events fall: no claim at the start
        if not members(audience, people, accounts, facts):
            yield (("audiences", i),
                   f"warning: audience '{audience.name}' matches no "
                   f"{'account' if audience.type == 'account' else 'profile'} of this "
                   "scenario's data, and no step changes what it looks at: check its "
                   "conditions and the data")


def _changeable(audience: Audience, changing: set[str]) -> bool:
    return any(_scope(c.attribute)[1] in changing for c in audience.all) or \
        bool(audience.members)


def _evaluation_data(s: Scenario, records: dict[str, list[dict]]
                     ) -> tuple[dict, dict, Any] | None:
    """The people, accounts and facts at the start (None: too many generated to look)."""
    from vendorsim.simulator.engine.audiences import Facts

    people = {str(p.get("personId")): p for p in records["person"]}
    accounts = {str(a.get("accountId")): a for a in records["account"]}
    facts = Facts(accounts)
    facts.now = s.start.timestamp()
    for opportunity in records["opportunity"]:
        facts.opportunities.setdefault(str(opportunity.get("accountId", "")), []) \
            .append(opportunity)
    for event in records["event"]:
        facts.events.setdefault(str(event.get("personId", "")), []).append((facts.now, event))
    spec = s.data.generate
    if spec is not None:
        if spec.count > GENERATED_EVALUATION or spec.events_per_person or \
                spec.sends_per_person:
            return None
        from vendorsim.simulator.generate import GeneratorConfig, ProfileGenerator

        config = GeneratorConfig(**{**spec.model_dump(exclude={"engagement"}),
                                    "partitions": tuple(spec.partitions)})
        for block in ProfileGenerator(config).blocks():
            accounts[block.account["accountId"]] = block.account
            for person in block.people:
                people[person["personId"]] = person
            facts.opportunities[block.account["accountId"]] = block.opportunities
    return people, accounts, facts
