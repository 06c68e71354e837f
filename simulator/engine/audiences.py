"""Audience evaluation as the CDP documents it (B-B2B-04): audiences that only look at person
attributes and events are streaming (re-evaluated on every change); audiences that use
accounts or opportunities are batch, evaluated on the daily schedule (B-B2B-05)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vendorsim.simulator.scenario.model import Audience, Condition, parse_offset


def is_batch(audience: Audience) -> bool:
    if audience.type == "account":
        return True
    return any(c.attribute.split(".", 1)[0] in ("account", "opportunity") for c in audience.all)


def _scope(condition: Condition) -> tuple[str, str]:
    scope, _, name = condition.attribute.partition(".")
    return ("person", scope) if not name else (scope, name)


def _test(condition: Condition, value: Any) -> bool:
    if condition.exists is not None and (value is not None) != condition.exists:
        return False
    if condition.equals is not None and value != condition.equals:
        return False
    if condition.not_equals is not None and value == condition.not_equals:
        return False
    if condition.in_ is not None and value not in condition.in_:
        return False
    try:
        if condition.gte is not None and not float(value) >= condition.gte:
            return False
        if condition.lte is not None and not float(value) <= condition.lte:
            return False
    except (TypeError, ValueError):
        return False
    return True


@dataclass
class Facts:
    """What conditions can look at besides the profile: its account, the account's
    opportunities, the person's events (with their epoch times) and the time now."""

    accounts: dict[str, dict]
    opportunities: dict[str, list[dict]] = field(default_factory=dict)  # by account id
    events: dict[str, list[tuple[float, dict]]] = field(default_factory=dict)  # by person
    now: float = 0.0


def holds(condition: Condition, profile: dict, account: dict | None,
          facts: Facts | None = None) -> bool:
    """Person and account conditions test one value; opportunity conditions hold when one
    of the account's opportunities passes; event conditions when one of the person's events
    passes (inside `within` of now, when given)."""
    scope, name = _scope(condition)
    if scope == "person":
        return _test(condition, profile.get(name))
    if scope == "account":
        return _test(condition, (account or {}).get(name))
    facts = facts or Facts({})
    if scope == "opportunity":
        opportunities = facts.opportunities.get((account or {}).get("accountId", ""), [])
        return any(_test(condition, o.get(name)) for o in opportunities)
    since = facts.now - parse_offset(condition.within) if condition.within else None
    return any(_test(condition, e.get(name)) and (since is None or when >= since)
               for when, e in facts.events.get(profile.get("personId", ""), []))


def members(audience: Audience, people: dict[str, dict], accounts: dict[str, dict],
            facts: Facts | None = None) -> set[str]:
    """The ids in the audience now (explicit members, or every condition holds): person ids
    for people audiences, account ids for account audiences."""
    facts = facts or Facts(accounts)
    if audience.type == "account":
        if audience.members:
            return {m for m in audience.members if m in accounts}
        return {aid for aid, account in accounts.items()
                if all(holds(c, {}, account, facts) for c in audience.all)}
    if audience.members:
        return {m for m in audience.members if m in people}
    return {pid for pid, person in people.items()
            if all(holds(c, person, accounts.get(person.get("accountId", "")), facts)
                   for c in audience.all)}
