"""Expectation verdicts and reconciliation: what each vendor holds against what the scenario
expects, and every delivery accounted for (delivered, dropped or refused; never silently
lost, B-DB-06)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from vendorsim.mocks.core.domains import normalise_domain
from vendorsim.simulator.destinations.accounts import AccountConnector
from vendorsim.simulator.destinations.marketo import AUDIENCE_SYNC, MarketoConnector
from vendorsim.simulator.scenario.timeline import (
    ExpectedList,
    ExpectedProfiles,
    ExpectedRefusal,
)

from . import Verdict

if TYPE_CHECKING:
    from vendorsim.simulator.engine.run import Engine


def check(engine: Engine) -> list[Verdict]:
    verdicts = []
    databases: dict[str, dict] = {}
    for exp in engine.s.expectations.marketo_leads:
        if exp.munchkin_id not in databases:
            databases[exp.munchkin_id] = engine.vendors.state("marketo", exp.munchkin_id)
        db = databases[exp.munchkin_id]
        leads = [lead for lead in db.get("leads", [])
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
            if exp.partition and lead["partition"] != exp.partition:
                problems.append(f"partition is {lead['partition']}, expected {exp.partition}")
            if exp.lists is not None:
                on = sorted(lst["name"] for lst in db.get("lists", [])
                            if lead["id"] in lst["members"])
                if on != sorted(exp.lists):
                    problems.append(f"on lists {on}, expected {sorted(exp.lists)}")
        verdicts.append(Verdict(label, not problems, "; ".join(problems) or "as expected"))
    for wanted in engine.s.expectations.list_members:
        verdicts.append(_check_list(engine, wanted))
    verdicts += [_check_refused(engine, exp) for exp in engine.s.expectations.refused]
    verdicts += _unexpected_refusals(engine)
    verdicts += [_check_profiles(engine, exp) for exp in engine.s.expectations.profiles]
    verdicts += _reconcile(engine)
    return verdicts


def _unexpected_refusals(engine: Engine) -> list[Verdict]:
    """A refused activation, a refused source connection or a source that could not read
    fails the run unless `expectations.refused` names it: a run that could not do what the
    scenario asked must not pass."""
    wanted = engine.s.expectations.refused
    verdicts = []
    for report in engine.reports.values():
        for reason in report.refused:
            if not any(e.destination == report.id and e.reason.lower() in reason.lower()
                       for e in wanted):
                verdicts.append(Verdict(f"{report.id}: activation refused", False,
                                        f"{reason} (expect it under expectations.refused if "
                                        "this is what the scenario shows)"))
    for source in engine.source_reports.values():
        for reason in ([source.refused] if source.refused else []) + source.errors:
            if not any(e.source == source.id and e.reason.lower() in reason.lower()
                       for e in wanted):
                verdicts.append(Verdict(f"source {source.id}: refused", False,
                                        f"{reason} (expect it under expectations.refused if "
                                        "this is what the scenario shows)"))
    return verdicts


def _reconcile(engine: Engine) -> list[Verdict]:
    """Every account meant for a list is there, or reported dropped or refused; a silent
    loss (B-DB-06) fails the run unless the scenario expects that many drops."""
    verdicts = []
    for (dest_id, audience_id), sent in engine.active.items():
        connector, report = engine.connectors[dest_id], engine.reports[dest_id]
        if not isinstance(connector, AccountConnector):
            continue
        audience = engine.audiences[audience_id]
        held = set(held_domains(engine, connector.kind, connector.config.client_id,
                                audience.name) or [])
        for account_id in sorted(sent):
            if account_id in report.dropped or account_id in report.failed:
                continue
            domain = connector.record(engine.accounts[account_id]).get(connector.domain_field)
            if normalise_domain(domain) not in held:
                report.unaccounted.append(account_id)
    verdicts += reconcile_marketo(engine)
    expected = {d.destination for d in engine.s.expectations.drops}
    for want in engine.s.expectations.drops:  # one verdict each
        found = engine.reports.get(want.destination)
        if found is None:
            verdicts.append(Verdict(f"{want.destination}: drops", False, "no such destination"))
            continue
        lost = len(found.dropped) + len(found.unaccounted)
        ok = want.min <= lost <= (want.max if want.max is not None else lost)
        verdicts.append(Verdict(f"{found.id}: drops", ok,
                                f"{len(found.dropped)} dropped, {len(found.unaccounted)} lost "
                                f"silently (expected {want.min} to "
                                f"{'any' if want.max is None else want.max})"))
    for report in engine.reports.values():
        if report.id in expected:
            continue
        if report.unaccounted:
            verdicts.append(Verdict(f"{report.id}: every delivery accounted for", False,
                                    f"{len(report.unaccounted)} members accepted but not "
                                    f"held: {report.unaccounted[:5]}"))
    return verdicts


def reconcile_marketo(engine: Engine) -> list[Verdict]:
    """Audience-sync Marketo dataflows: every member's lead is on the audience's list, or the
    profile is reported skipped, dropped or failed; anything else is a silent loss. And no
    dataflow may create a second lead for a dedupe value (a duplicate is a failure)."""
    verdicts = []
    for dest_id, connector in engine.connectors.items():
        if isinstance(connector, MarketoConnector):
            verdicts += _duplicates(engine, dest_id, connector)
    for (dest_id, audience_id), sent in engine.active.items():
        connector, report = engine.connectors[dest_id], engine.reports[dest_id]
        if not isinstance(connector, MarketoConnector):
            continue
        state = engine.vendors.state("marketo", connector.config.munchkin_id)
        field_name = connector.config.dedupe_field
        if connector.config.sync_type in AUDIENCE_SYNC:  # the member's lead is on the list
            name = engine.audiences[audience_id].name
            members = set(next((x["members"] for x in state.get("lists", [])
                                if x["name"] == name), []))
            held = {str(lead.get(field_name) or "").lower()
                    for lead in state.get("leads", []) if lead["id"] in members}
        else:  # profile_only: the member has a lead (updated or created)
            held = {str(lead.get(field_name) or "").lower() for lead in state.get("leads", [])}
        for pid in sorted(sent):
            if pid in report.dropped or pid in report.failed or pid in report.skipped:
                continue
            if connector.dedupe_key(engine.people[pid]) not in held:
                report.unaccounted.append(pid)
    return verdicts


def _duplicates(engine: Engine, dest_id: str, connector: MarketoConnector) -> list[Verdict]:
    """Dedupe values with more leads now than the instance was seeded with (and > 1)."""
    munchkin, field_name = connector.config.munchkin_id, connector.config.dedupe_field
    seeded = Counter(str(lead.get(field_name) or "").lower()
                     for inst in engine.s.vendors.marketo if inst.munchkin_id == munchkin
                     for lead in inst.leads)
    now = Counter(str(lead.get(field_name) or "").lower()
                  for lead in engine.vendors.state("marketo", munchkin).get("leads", []))
    doubled = sorted(k for k, n in now.items() if k and n > 1 and n > seeded.get(k, 0))
    if not doubled:
        return []
    return [Verdict(f"{dest_id}: no duplicate leads", False,
                    f"{len(doubled)} {field_name} values now have several leads: {doubled[:5]}")]


def held_domains(engine: Engine, vendor: str, tenant: str, name: str) -> list[str] | None:
    """The domains a Bombora or Demandbase list of that name holds (None: no such list)."""
    lists = engine.vendors.state(vendor, tenant).get("account_lists", [])
    found = next((x for x in lists if x["name"] == name), None)
    return sorted(found["domains"]) if found else None


def _check_list(engine: Engine, exp: ExpectedList) -> Verdict:
    """A Bombora or Demandbase list's members (domains) or count."""
    label = f"{exp.vendor} {exp.tenant} list {exp.list!r}"
    held = held_domains(engine, exp.vendor, exp.tenant, exp.list)
    if held is None:
        return Verdict(label, False, "no such list")
    members = sorted(normalise_domain(m) or m for m in exp.members or [])
    if exp.members is not None and held != members:
        return Verdict(label, False, f"holds {held}, expected {members}")
    if exp.count is not None and len(held) != exp.count:
        return Verdict(label, False, f"holds {len(held)}, expected {exp.count}")
    return Verdict(label, True, f"holds {len(held)} accounts as expected")


def _check_refused(engine: Engine, exp: ExpectedRefusal) -> Verdict:
    """A destination's activation or a source connection refused, with this text."""
    text = exp.reason
    if exp.source is not None:
        report = engine.source_reports.get(exp.source)
        reasons = ([report.refused] if report.refused else []) + report.errors if report \
            else []
        label = f"source {exp.source} refused"
    else:
        dest = engine.reports.get(str(exp.destination))
        reasons = dest.refused if dest else []
        label = f"{exp.destination} refused"
    found = [r for r in reasons if text.lower() in r.lower()]
    return Verdict(f"{label} ({text})", bool(found),
                   found[0] if found else f"refusals: {reasons or 'none'}")


def _check_profiles(engine: Engine, exp: ExpectedProfiles) -> Verdict:
    """The CDP's profiles matching `match` (count) and their attributes."""
    match, want = exp.match, exp.attributes
    found = [p for p in engine.people.values()
             if all(str(p.get(k)).lower() == str(v).lower() for k, v in match.items())]
    label = f"profile {match}"
    if len(found) != exp.count:
        return Verdict(label, False, f"{len(found)} profiles match, expected {exp.count}")
    wrong = [f"{k} is {p.get(k)!r}, expected {v!r}" for p in found for k, v in want.items()
             if p.get(k) != v]
    return Verdict(label, not wrong, "; ".join(wrong) or "as expected")
