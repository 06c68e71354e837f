"""Settings that are each right on their own but contradict each other or the vendors, so
that a run would quietly do something else than the scenario says: a partition the instance
does not have, a tenant given twice, an audience with no definition, a condition no value can
pass, a fault aimed at a vendor or tenant the scenario does not use, a deactivation before the
activation, an expectation that contradicts itself or names what cannot exist, a source
scheduled so often the replay could not finish."""

from __future__ import annotations

import math
from collections.abc import Iterator

from .base import MAX_SPAN, parse_offset, step_time
from .messages import suggest
from .model import AccountDestination, MarketoDestination, MarketoSource, Scenario, SfmcSource

Found = Iterator[tuple[tuple, str]]
MAX_RUNS = 10_000  # scheduled ingestion runs of one source over the replay
VENDORS = ("marketo", "sfmc", "bombora", "demandbase")


def consistency(s: Scenario) -> Found:
    yield from _tenants_once(s)
    yield from _limits(s)
    yield from _partitions(s)
    yield from _audiences(s)
    yield from _fault_targets(s)
    yield from _activation_order(s)
    yield from _expectations(s)
    yield from _schedules(s)


def advice(s: Scenario) -> Found:
    """Notes: what will surely be refused at run time (it fails the run unless expected)."""
    for loc, text in _credentials(s):
        yield loc, f"note: {text}"


def tenants(s: Scenario) -> dict[str, set[str]]:
    """Every tenant each vendor has in this scenario (seeded, or used by a flow)."""
    found: dict[str, set[str]] = {vendor: set() for vendor in VENDORS}
    for inst in s.vendors.marketo:
        found["marketo"].add(inst.munchkin_id.upper())
    for account in s.vendors.sfmc:
        found["sfmc"].add(account.subdomain.lower())
    for vendor in ("bombora", "demandbase"):
        found[vendor] |= {c.client_id for c in getattr(s.vendors, vendor)}
    for dest in s.destinations:
        if isinstance(dest, MarketoDestination):
            found["marketo"].add(dest.munchkin_id.upper())
        else:
            found[dest.type].add(dest.client_id)
    for src in s.sources:
        if isinstance(src, MarketoSource):
            found["marketo"].add(src.munchkin_id.upper())
        else:
            found["sfmc"].add(src.subdomain.lower())
    return found


def _limits(s: Scenario) -> Found:
    """Limits that let no call through: the replay could deliver nothing."""
    for vendor in VENDORS:
        for i, item in enumerate(getattr(s.vendors, vendor)):
            limits = item.limits if isinstance(item.limits, dict) else {}
            if limits.get("daily_quota") == 0 and limits.get("enabled", True) is not False:
                yield (("vendors", vendor, i, "limits", "daily_quota"),
                       "a daily quota of 0 refuses every call all day, every day: nothing "
                       "could be delivered (to provoke 607, add a fault with error_code 607, "
                       "or exhaust the quota)")


def _tenants_once(s: Scenario) -> Found:
    for vendor, key in (("marketo", "munchkin_id"), ("sfmc", "subdomain"),
                        ("bombora", "client_id"), ("demandbase", "client_id")):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(s.vendors, vendor)):
            name = str(getattr(item, key)).upper()
            if name in seen:
                yield (("vendors", vendor, i, key),
                       f"{vendor} '{getattr(item, key)}' is given twice (also item "
                       f"{seen[name] + 1}); give each {key} once")
            seen.setdefault(name, i)


def _partitions_of(s: Scenario, munchkin: str) -> set[str]:
    names = {"Default"}
    for inst in s.vendors.marketo:
        if inst.munchkin_id.upper() == munchkin.upper():
            names |= {p if isinstance(p, str) else str(p.get("name")) for p in inst.partitions}
    spec = s.data.generate
    if spec is not None:
        names |= set(spec.partitions)
    return names


def _partitions(s: Scenario) -> Found:
    for i, dest in enumerate(s.destinations):
        if isinstance(dest, MarketoDestination) and dest.partition and \
                dest.partition not in _partitions_of(s, dest.munchkin_id):
            known = sorted(_partitions_of(s, dest.munchkin_id))
            yield (("destinations", i, "partition"),
                   f"Marketo {dest.munchkin_id} has no partition '{dest.partition}'"
                   f"{suggest(dest.partition, known)} (it has {', '.join(known)}): add it "
                   "under the instance's partitions")
    for i, lead in enumerate(s.expectations.marketo_leads):
        if lead.partition and lead.partition not in _partitions_of(s, lead.munchkin_id):
            yield (("expectations", "marketo_leads", i, "partition"),
                   f"Marketo {lead.munchkin_id} has no partition '{lead.partition}': no lead "
                   "can be in it")


def _audiences(s: Scenario) -> Found:
    for i, audience in enumerate(s.audiences):
        if not audience.all and not audience.members:
            yield (("audiences", i, "all") if "all" in audience.model_fields_set
                   else ("audiences", i),
                   "an audience needs a definition ('all:' with at least one condition) or "
                   "'members'; an empty one would select every profile")
        for j, c in enumerate(audience.all):
            where = ("audiences", i, "all", j)
            tests = [c.equals, c.not_equals, c.in_, c.exists, c.gte, c.lte]
            if all(t is None for t in tests):
                yield where, ("a condition needs a test: equals, not_equals, in, exists, gte "
                              "or lte")
            for name, bound in (("gte", c.gte), ("lte", c.lte)):
                if bound is not None and not math.isfinite(bound):
                    yield (*where, name), f"{name} must be a finite number, not {bound}"
            if c.gte is not None and c.lte is not None and c.gte > c.lte:
                yield where, f"gte {c.gte:g} is above lte {c.lte:g}: no value can pass"
            if c.in_ is not None and not c.in_:
                yield (*where, "in"), "'in: []' lists no value: no profile can pass"
            if c.in_ and c.equals is not None and c.equals not in c.in_:
                yield where, f"equals {c.equals!r} is not in the 'in' list: no value can pass"
            if c.exists is False and (c.equals is not None or c.in_ or c.gte is not None
                                      or c.lte is not None):
                yield where, "exists: false with a value test: no value can pass"
            if c.within and not c.attribute.startswith("event."):
                yield (*where, "within"), "within applies to event.* conditions only"


def _fault_targets(s: Scenario) -> Found:
    from vendorsim.mocks.cloud import _vendor_classes

    used = tenants(s)
    classes = _vendor_classes()
    in_use = [v for v in VENDORS if used[v]]
    for i, spec in enumerate(s.faults):
        vendor, tenant = spec.get("vendor"), spec.get("tenant")
        if isinstance(vendor, str) and vendor in VENDORS and not used[vendor]:
            yield (("faults", i, "vendor"),
                   f"this scenario uses no {vendor} (it uses {', '.join(in_use) or 'none'}): "
                   "the fault would never fire")
        if isinstance(tenant, str):
            vendors = [vendor] if isinstance(vendor, str) and vendor in VENDORS else VENDORS
            known = {t for v in vendors for t in used[v]}
            if not any(classes[v].normalise_tenant(classes[v], tenant)  # type: ignore[arg-type]  # a tenant id from the scenario
                       in used[v] for v in vendors):
                yield (("faults", i, "tenant"),
                       f"no tenant '{tenant}' in this scenario{suggest(tenant, known)}: the "
                       "fault would never fire")
        code = spec.get("error_code")
        if isinstance(code, str | int) and not isinstance(code, bool) and in_use:
            vendors = [vendor] if vendor in VENDORS else [
                v for v in in_use if not isinstance(tenant, str) or
                classes[v].normalise_tenant(classes[v], tenant) in used[v]] or in_use  # type: ignore[arg-type]  # a tenant id from the scenario
            if not any(known_code(v, str(code)) for v in vendors):
                yield (("faults", i, "error_code"),
                       f"'{code}' is not an error code {' or '.join(vendors)} answers with")


def known_code(vendor: str, code: str) -> bool:
    """Whether the vendor documents this error code (fault rules can inject it)."""
    from vendorsim.mocks.core.service import OAUTH_CODES

    if code in OAUTH_CODES or code.isdigit() and 100 <= int(code) <= 599 and vendor != "marketo":
        return True
    if vendor == "marketo":
        from vendorsim.mocks.marketo.facts import MESSAGES

        return code in MESSAGES
    if vendor == "sfmc":
        return code.isdigit()  # SFMC's errorcode is any number the REST API answers
    return True


def _activation_order(s: Scenario) -> Found:
    first: dict[tuple, float] = {}
    start = s.start.timestamp()
    timed = []
    for i, step in enumerate(s.timeline):
        when = step_time(step.at, s.start)
        timed.append((when if when is not None else start + parse_offset(step.at), i, step))
    for when, i, step in sorted(timed, key=lambda t: (t[0], t[1])):
        key = (step.destination, step.audience)
        if step.action == "activate":
            first.setdefault(key, when)
        elif step.action == "deactivate" and key not in first:
            yield (("timeline", i),
                   f"'{step.audience}' is deactivated on '{step.destination}' before any "
                   "step activates it there")


def _expectations(s: Scenario) -> Found:
    for i, lead in enumerate(s.expectations.marketo_leads):
        if lead.count == 0 and (lead.fields or lead.partition or lead.lists is not None):
            yield (("expectations", "marketo_leads", i),
                   "count: 0 says no such lead exists; fields, partition or lists can then "
                   "not be checked: drop them or the count")
        lists = {str(x.get("name")) for inst in s.vendors.marketo
                 if inst.munchkin_id.upper() == lead.munchkin_id.upper() for x in inst.lists}
        names = {a.id: a.name for a in s.audiences}
        lists |= {names.get(a, "") for d in s.destinations if isinstance(d, MarketoDestination)
                  and d.munchkin_id.upper() == lead.munchkin_id.upper() for a in d.audiences}
        for j, name in enumerate(lead.lists or []):
            if name not in lists:
                yield (("expectations", "marketo_leads", i, "lists", j),
                       f"no list named '{name}' can exist in Marketo '{lead.munchkin_id}' (lists "
                       f"are seeded or named after the audiences sent there)"
                       f"{suggest(name, lists)}")
    for i, exp in enumerate(s.expectations.list_members):
        if exp.members is not None and exp.count is not None and \
                exp.count != len(set(exp.members)):
            yield (("expectations", "list_members", i),
                   f"count {exp.count} but {len(set(exp.members))} members listed: keep one")
    activated = {step.destination for step in s.timeline if step.action == "activate"}
    for i, refusal in enumerate(s.expectations.refused):
        if refusal.destination and refusal.destination not in activated and \
                any(d.id == refusal.destination for d in s.destinations):
            yield (("expectations", "refused", i, "destination"),
                   f"'{refusal.destination}' is never activated, so it can never be refused: "
                   "add an activate step")


def _schedules(s: Scenario) -> Found:
    start = s.start.timestamp()
    ends = [step_time(step.at, s.start) or start + parse_offset(step.at)
            for step in s.timeline]
    span = min(max(ends, default=start) - start, MAX_SPAN)
    for i, src in enumerate(s.sources):
        every = parse_offset(src.schedule)
        after = parse_offset(src.backfill) if isinstance(src, MarketoSource) else 0.0
        if every <= 0:
            yield ("sources", i, "schedule"), "a schedule of 0 never ends: give a duration"
            continue
        runs = int(max(0.0, span - after) // every) + 1
        if runs > MAX_RUNS:
            yield (("sources", i, "schedule"),
                   f"every {src.schedule} over this timeline is {runs:,} ingestion runs (at "
                   f"most {MAX_RUNS:,}): schedule it less often")


def _credentials(s: Scenario) -> Found:
    """A flow whose client the tenant's seeded credentials hold with another secret is
    refused at run time (lenient mocks take clients they do not know); unless the scenario
    expects that refusal, it is a mistake."""
    refused = {e.destination for e in s.expectations.refused} | \
        {e.source for e in s.expectations.refused}
    seeded: dict[tuple[str, str], dict[str, str]] = {}
    for vendor in VENDORS:
        for item in getattr(s.vendors, vendor):
            tenant = getattr(item, "munchkin_id", None) or getattr(item, "subdomain", None) \
                or getattr(item, "client_id", None)
            seeded[(vendor, str(tenant).upper())] = {
                str(c.get("client_id")): str(c.get("client_secret"))
                for c in item.credentials if isinstance(c, dict)}
    flows: list[tuple[str, int, str, str, object]] = []
    for i, dest in enumerate(s.destinations):
        if isinstance(dest, AccountDestination) and dest.api_token:
            continue
        tenant = dest.munchkin_id if isinstance(dest, MarketoDestination) else dest.client_id
        flows.append(("destinations", i, dest.type, tenant, dest))
    for i, src in enumerate(s.sources):
        tenant = src.subdomain if isinstance(src, SfmcSource) else src.munchkin_id
        flows.append(("sources", i, src.type, tenant, src))
    for part, i, vendor, tenant, flow in flows:
        secrets = seeded.get((vendor, tenant.upper()), {})
        client, secret = flow.client_id, flow.client_secret  # type: ignore[attr-defined]  # a Marketo dataflow has a client
        if client in secrets and secrets[client] != secret and \
                flow.id not in refused:  # type: ignore[attr-defined]  # a Marketo dataflow has an id
            yield ((part, i, "client_secret"),
                   f"{vendor} {tenant} holds client '{client}' with another secret: the "
                   "connection would be refused (expect it under expectations.refused if "
                   "that is the point)")
