"""Then steps: what the vendors hold (read through the same interface in every target
mode), what the CDP holds, and what the run's report says."""

from __future__ import annotations

import re

from pytest_bdd import parsers, then

from vendorsim.simulator.report import Report

from .world import MUNCHKIN, World, cell, rows


def _ran(report: Report | None, world: World) -> Report:
    assert report is not None, f"the scenario did not run: {world.problems}"
    return report


LIST_ADDS = {"marketo": re.compile(r"^/rest/v1/lists/\d+/leads\.json$"),
             "demandbase": re.compile(r"^/accountlists/v1/lists/[^/]+/accounts$"),
             "bombora": re.compile(r"^/account-list/v1/account-list/[^/]+/accounts$")}


def _names(text: str) -> list[str]:
    return [] if text.strip().lower() in ("none", "") else [n.strip() for n in text.split(",")]


def _lead(world: World, email: str, munchkin: str = MUNCHKIN) -> dict:
    found = [lead for lead in world.leads(munchkin)
             if str(lead.get("email", "")).lower() == email.lower()]
    assert len(found) == 1, f"{len(found)} leads with email {email} in {munchkin}"
    return found[0]


def _lists_of(world: World, lead: dict, munchkin: str = MUNCHKIN) -> list[str]:
    return sorted(name for name, members in world.marketo_lists(munchkin).items()
                  if lead["id"] in members)


# -- Marketo -----------------------------------------------------------------------------
@then(parsers.parse('the lead "{email}" has the {field} "{value}"'))
def lead_field(world: World, email: str, field: str, value: str) -> None:
    world.ran()
    assert _lead(world, email).get(field) == cell(value)


@then(parsers.re(r'(?:in "(?P<munchkin>[^"]+)" )?the lead "(?P<email>[^"]+)" is '
                 r'(?P<where>on|not on) the list "(?P<name>[^"]+)"'))
def lead_on_list(world: World, munchkin: str | None, email: str, where: str,
                 name: str) -> None:
    world.ran()
    lists = _lists_of(world, _lead(world, email, munchkin or MUNCHKIN), munchkin or MUNCHKIN)
    assert (name in lists) == (where == "on"), f"{email} is on {lists}"


@then(parsers.re(r'the unmatched profile "(?P<email>[^"]+)" (?P<outcome>creates no lead|'
                 r'becomes a lead in partition "(?P<partition>[^"]+)" on '
                 r'(?:no list|the list "(?P<name>[^"]+)"))'))
def unmatched_profile(world: World, email: str, outcome: str, partition: str | None,
                      name: str | None) -> None:
    world.ran()
    found = [lead for lead in world.leads() if lead.get("email") == email]
    if outcome == "creates no lead":
        assert found == [], f"a lead was created: {found}"
        return
    lead = _lead(world, email)
    assert lead["partition"] == partition
    assert _lists_of(world, lead) == ([name] if name else [])


@then("Marketo holds the leads:")
def marketo_holds(world: World, datatable: list) -> None:
    """Exactly these leads (compared on the table's columns; `lists`: names or none)."""
    world.ran()
    expected = rows(datatable)
    held = []
    for lead in world.leads():
        seen = {k: lead.get(k) for k in datatable[0] if k != "lists"}
        if "lists" in datatable[0]:
            seen["lists"] = ", ".join(_lists_of(world, lead)) or "none"
        held.append(seen)
    key = lambda r: sorted((k, str(v)) for k, v in r.items())  # noqa: E731
    assert sorted(map(key, held)) == sorted(map(key, expected))


@then("no lead is written to Marketo")
def no_lead_written(world: World, report: Report | None) -> None:
    report = _ran(report, world)
    seeded = sum(len(i.get("leads", [])) for i in world.doc["vendors"].get("marketo", []))
    assert len(world.leads()) == seeded
    assert all(not members for members in world.marketo_lists().values())
    writes = [e for e in report.journal if e["vendor"] == "marketo" and e["method"] == "POST"
              and e["records"]]
    assert writes == [], writes


@then(parsers.parse('{vendor} receives list additions at "{offsets}"'))
def list_additions_at(world: World, report: Report | None, vendor: str, offsets: str) -> None:
    """The virtual times of the successful list additions (offsets from the start)."""
    report = _ran(report, world)
    kind = vendor.lower()
    times = sorted({round(e["epoch"] - world.ran_start()) for e in report.journal
                    if e["vendor"] == kind and e["method"] == "POST" and not e["codes"]
                    and e["status"] < 400 and LIST_ADDS[kind].match(e["path"])})
    assert times == [round(world.seconds(o)) for o in _names(offsets)], times


# -- Bombora and Demandbase ------------------------------------------------------------
def _list(world: World, vendor: str, name: str) -> list[str] | None:
    from .given import CLIENTS

    kind = vendor.lower()
    lists = world.vendors.state(kind, CLIENTS[kind]).get("account_lists", [])
    found = next((x for x in lists if x["name"] == name), None)
    return sorted(found["domains"]) if found else None


@then(parsers.parse('the {vendor} list "{name}" holds the domains "{domains}"'))
def list_holds(world: World, vendor: str, name: str, domains: str) -> None:
    world.ran()
    assert _list(world, vendor, name) == sorted(_names(domains))


@then(parsers.parse('the {vendor} list "{name}" does not exist'))
def list_absent(world: World, vendor: str, name: str) -> None:
    world.ran()
    assert _list(world, vendor, name) is None


@then(parsers.parse('no account {vendor} stores carries the field "{field}"'))
def field_never_exported(world: World, vendor: str, field: str) -> None:
    from .given import CLIENTS

    world.ran()
    kind = vendor.lower()
    state = world.vendors.state(kind, CLIENTS[kind])
    stored = state.get("accounts") or [{"domain": d} for x in state.get("account_lists", [])
                                       for d in x["domains"]]
    assert stored and all(field not in account for account in stored), stored


@then(parsers.parse('some accounts are dropped, and the report names exactly those missing '
                    'from the {vendor} list "{name}"'))
def drops_named(world: World, vendor: str, name: str) -> None:
    report = world.dest_report(vendor.lower())
    accounts = {a["accountId"]: a["domain"] for a in world.doc["data"]["accounts"]}
    members = {a for a, d in accounts.items()
               if next(x for x in world.doc["data"]["accounts"]
                       if x["accountId"] == a).get("industry") == "Retail"}
    held = set(_list(world, vendor, name) or [])
    missing = sorted(a for a in members if accounts[a] not in held)
    assert report.dropped, "nothing was dropped: the throttling did not bite"
    assert sorted(report.dropped) == missing


# -- the report --------------------------------------------------------------------------
@then(parsers.parse('the activation is refused because "{text}"'))
def activation_refused(world: World, report: Report | None, text: str) -> None:
    refused = [r for d in _ran(report, world).destinations for r in d.refused]
    assert any(text in r for r in refused), refused


@then(parsers.parse('the second dataflow\'s activation is refused because "{text}"'))
def second_refused(world: World, report: Report | None, text: str) -> None:
    first, second = _ran(report, world).destinations[-2:]
    assert first.refused == [] and any(text in r for r in second.refused), second.refused


@then("no activation is refused")
def none_refused(world: World, report: Report | None) -> None:
    assert [r for d in _ran(report, world).destinations for r in d.refused] == []


@then(parsers.parse('the scenario is refused because "{text}"'))
def scenario_refused(world: World, text: str) -> None:
    assert world.report is None and text in world.problems, world.problems


@then(parsers.parse('every profile is reported failed because "{text}"'))
def all_failed(world: World, text: str) -> None:
    report = world.dest_report()
    people = {p["personId"] for p in world.doc["data"]["people"]}
    assert set(report.failed) == people
    assert all(text in reason for reason in report.failed.values()), report.failed


@then(parsers.parse('the report skips "{person}" because "{text}"'))
def skipped(world: World, person: str, text: str) -> None:
    assert text in world.dest_report().skipped.get(person, ""), world.dest_report().skipped


@then("the report drops nothing")
def drops_nothing(world: World, report: Report | None) -> None:
    assert all(d.dropped == {} for d in _ran(report, world).destinations)


@then("every member is accounted for")
def accounted(world: World, report: Report | None) -> None:
    report = _ran(report, world)
    assert all(d.unaccounted == [] for d in report.destinations)
    assert report.passed, [v for v in report.verdicts if not v.passed]


@then("every member is delivered exactly once")
def delivered_once(world: World, report: Report | None) -> None:
    report = _ran(report, world)
    assert report.passed, [v for v in report.verdicts if not v.passed]
    for dest in report.destinations:
        assert (dest.dropped, dest.failed, dest.unaccounted) == ({}, {}, [])
    emails = [str(lead.get("email")).lower() for lead in world.leads()]
    assert len(emails) == len(set(emails)), "a lead was created twice"
