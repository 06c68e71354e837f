"""Audience evaluation as the CDP documents it (B-B2B-04): audiences that only look at person
attributes and events are streaming (re-evaluated on every change); audiences that use
accounts or opportunities are batch, evaluated on the daily schedule (B-B2B-05)."""

from __future__ import annotations

from typing import Any

from simulator.scenario.model import Audience, Condition


def is_batch(audience: Audience) -> bool:
    if audience.type == "account":
        return True
    return any(c.attribute.split(".", 1)[0] in ("account", "opportunity") for c in audience.all)


def _value(condition: Condition, profile: dict, account: dict | None) -> Any:
    scope, _, name = condition.attribute.partition(".")
    if not name:  # a bare name is a person attribute
        scope, name = "person", scope
    if scope == "person":
        return profile.get(name)
    if scope == "account":
        return (account or {}).get(name)
    raise ValueError(f"conditions on {scope!r} are not evaluated yet: use person.* or account.*")


def holds(condition: Condition, profile: dict, account: dict | None) -> bool:
    value = _value(condition, profile, account)
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


def members(audience: Audience, people: dict[str, dict],
            accounts: dict[str, dict]) -> set[str]:
    """The ids in the audience now (explicit members, or every condition holds): person ids
    for people audiences, account ids for account audiences."""
    if audience.type == "account":
        if audience.members:
            return {m for m in audience.members if m in accounts}
        return {aid for aid, account in accounts.items()
                if all(holds(c, {}, account) for c in audience.all)}
    if audience.members:
        return {m for m in audience.members if m in people}
    return {pid for pid, person in people.items()
            if all(holds(c, person, accounts.get(person.get("accountId", "")))
                   for c in audience.all)}
