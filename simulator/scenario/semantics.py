"""The rules between a scenario's settings, checked before anything runs: every reference
(audiences, dataflows, sources, people, accounts, instances, clients, lists), every fault
and seed through the mocks' own validation (a dry run on a scratch cloud), and every
condition attribute and mapping source against the fields the scenario's data has. Each
problem is (location, message) so the loader can name the line; notes are advice that does
not stop a run (old syntax)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .base import MAX_SPAN, parse_offset, step_time
from .budget import BYTES_PER_FILE_BYTE, BYTES_PER_PERSON, Budget, generated, size
from .consistency import advice, consistency
from .messages import suggest
from .model import (
    AccountDestination,
    MarketoDestination,
    MarketoInstance,
    MarketoSource,
    Scenario,
    SfmcAccount,
)
from .records import (
    ID_KEY,
    DataRecords,
    check_records,
    generated_id,
    ids_of,
    known_fields,
    read_data,
    records_of,
)
from .send_rules import send_problems
from .vocabulary import impossible_values, unmatched_audiences

Found = Iterator[tuple[tuple, str]]


def review(s: Scenario, raw: dict, base: Path | None = None, set_aside: set[str] | None = None,
           budget: Budget | None = None
           ) -> tuple[list[tuple[tuple, str]], list[tuple[tuple, str]]]:
    """The problems of a scenario whose settings are each right on their own (they stop a
    run) and its notes (advice; a `warning:` fails `--strict`), from one reading of its data
    files. A problem that names a part set aside for a problem of its own (`set_aside`) is
    not reported again. Data the replay could not hold within `budget` is a problem too."""
    budget = budget or Budget.default()
    data = read_data(s, base, budget)
    records = records_of(data)
    fields = known_fields(s, records)
    refused_seeds = list(_seeds(s))
    bad = {loc[1:3] for loc, _ in refused_seeds}  # (vendor, index) the mock refused
    problems = [*_memory(s, data, budget), *check_records(s, data), *_ids(s), *_references(s),
                *_members(s, records), *_identities(s),
                *_steps(s, fields, records), *_expectations(s, fields), *_faults(s),
                *refused_seeds, *_conditions(s, fields), *_mappings(s, raw, fields),
                *_sources(s, bad), *consistency(s), *impossible_values(s, records),
                *send_problems(s, ids_of(records, "person"), fields["person"])]
    hidden = {f"'{name}'" for name in set_aside or ()}
    problems = [p for p in problems if not any(name in p[1] for name in hidden)]
    notes = _notes(s, raw, fields) + list(unmatched_audiences(s, records)) + list(advice(s))
    return list(dict.fromkeys(problems)), notes


def _notes(s: Scenario, raw: dict, fields: dict[str, set[str]]) -> list[tuple[tuple, str]]:
    """Advice that does not stop a run: mappings written in the old bare form, mapped
    attributes no record has (they will not be sent)."""
    found = []
    for i, dest in enumerate(s.destinations):
        scope = "person" if isinstance(dest, MarketoDestination) else "account"
        for target, source in dest.mappings.items():
            if fields[scope] and source not in fields[scope] and \
                    not suggest(source, fields[scope]):
                found.append((("destinations", i, "mappings", target),
                              f"note: no {scope} in this scenario has '{source}': "
                              f"'{target}' will not be sent"))
    for i, dest in enumerate(raw.get("destinations") or []):
        mappings = dest.get("mappings") if isinstance(dest, dict) else None
        for target, source in (mappings or {}).items():
            if isinstance(source, str) and "." not in source:
                scope = "account" if dest.get("type") in ("bombora", "demandbase") else "person"
                found.append((("destinations", i, "mappings", target),
                              f"note: write '{scope}.{source}' (the conditions' syntax); the "
                              f"bare '{source}' is the old form, still accepted"))
    return found


def _memory(s: Scenario, data: DataRecords, budget: Budget) -> Found:
    """The replay holds all its data at once: estimated from the generator's settings and
    the sizes of the data, before anything is generated."""
    spec = s.data.generate
    needed, parts = generated(
        spec.count, spec.events_per_person + 3 * spec.sends_per_person) if spec else (0, "")
    inline = sum(1 for found in data.records.values() for _, origin in found
                 if origin[0] != "@file")
    if inline:
        needed += inline * BYTES_PER_PERSON
        parts += f"{' + ' if parts else ''}{inline:,} inline records × {size(BYTES_PER_PERSON)}"
    if data.file_bytes:
        needed += data.file_bytes * BYTES_PER_FILE_BYTE
        parts += f"{' + ' if parts else ''}{size(data.file_bytes)} of data files × " \
                 f"{BYTES_PER_FILE_BYTE}"
    refused = budget.over(needed, f"this data ({parts})")
    if refused:
        yield ("data", "generate") if spec else ("data",), (
            f"{refused}: {'generate fewer people or events' if spec else 'use less data'}")


# -- references -----------------------------------------------------------------------------
def _members(s: Scenario, records: dict[str, list[dict]]) -> Found:
    """Explicit audience members name people (accounts for account audiences) of the data,
    of `generate:`, or profiles a source creates (`<source id>:<identity>`)."""
    people, accounts = ids_of(records, "person"), ids_of(records, "account")
    created = tuple(f"{x.id}:" for x in s.sources if getattr(x, "kind", "profiles")
                    == "profiles")
    accounts_open = any(getattr(x, "account_mapping", None) for x in s.sources)
    for i, audience in enumerate(s.audiences):
        scope = "account" if audience.type == "account" else "person"
        known = accounts if scope == "account" else people
        if scope == "account" and accounts_open:
            continue  # account ids come from Marketo companies during the run
        for j, member in enumerate(audience.members):
            if member in known or generated_id(s, scope, member) or \
                    scope == "person" and member.startswith(created):
                continue
            part = "accounts" if scope == "account" else "people"
            yield (("audiences", i, "members", j),
                   f"unknown {scope} '{member}'{suggest(member, known)}: members are "
                   f"{ID_KEY[scope]}s of data.{part}; this one would never be in the audience")


def _identities(s: Scenario) -> Found:
    """A source matches rows to profiles on `identity`: an attribute its mapping writes."""
    for i, source in enumerate(s.sources):
        written = set(source.mapping.values())
        if source.identity not in written:
            yield (("sources", i, "identity"),
                   f"'{source.identity}' is not an attribute this source writes"
                   f"{suggest(source.identity, written)} (its mapping writes "
                   f"{', '.join(sorted(written)) or 'nothing'}): no row could be matched to "
                   "a profile")


def _ids(s: Scenario) -> Found:
    seen: dict[str, tuple] = {}
    for kind, items in (("audiences", s.audiences), ("destinations", s.destinations),
                        ("sources", s.sources)):
        for i, item in enumerate(items):
            key = ("audience:" if kind == "audiences" else "flow:") + item.id
            if key in seen:
                yield (kind, i, "id"), f"the id '{item.id}' is used twice; ids must be unique"
            seen[key] = (kind, i)


def _references(s: Scenario) -> Found:
    audiences = [a.id for a in s.audiences]
    for i, dest in enumerate(s.destinations):
        for j, name in enumerate(dest.audiences):
            if name not in audiences:
                yield (("destinations", i, "audiences", j),
                       f"unknown audience '{name}'{suggest(name, audiences)}; define it under "
                       "'audiences'")


def _steps(s: Scenario, fields: dict[str, set[str]], records: dict[str, list[dict]]) -> Found:
    flows = {d.id: d for d in s.destinations}
    audiences = {a.id for a in s.audiences}
    sources = {x.id for x in s.sources}
    people, accounts = ids_of(records, "person"), ids_of(records, "account")
    start = s.start.timestamp()
    for i, step in enumerate(s.timeline):
        where = ("timeline", i)
        when = step_time(step.at, s.start)
        if when is not None:
            offset = when - start
            if not 0 <= offset <= MAX_SPAN:
                yield (*where, "at"), (f"{step.at} is not within 400 days after the scenario's "
                                       f"start ({s.start.isoformat()})")
        if step.destination is not None and step.destination not in flows:
            yield (*where, "destination"), (f"unknown destination '{step.destination}'"
                                            f"{suggest(step.destination, flows)}")
        if step.audience is not None and step.audience not in audiences:
            yield (*where, "audience"), (f"unknown audience '{step.audience}'"
                                         f"{suggest(step.audience, audiences)}")
        elif step.action == "activate" and step.destination in flows and \
                step.audience not in flows[step.destination].audiences:
            yield (*where, "audience"), (f"destination '{step.destination}' does not activate "
                                         f"'{step.audience}': add it to its audiences")
        if step.source is not None and step.source not in sources:
            yield (*where, "source"), (f"unknown source '{step.source}'"
                                       f"{suggest(step.source, sources)}")
        for scope, value, known in (("person", step.person, people),
                                    ("account", step.account, accounts)):
            if value is not None and value not in (known or set()) and \
                    not generated_id(s, scope, value):
                part = "people" if scope == "person" else "accounts"
                yield (*where, scope), (f"unknown {scope} '{value}'{suggest(value, known or [])}"
                                        f"; add it under data.{part} (or generate: data)")


def _expectations(s: Scenario, fields: dict[str, set[str]]) -> Found:
    flows = {d.id for d in s.destinations}
    sources = {x.id for x in s.sources}
    munchkins = {i.munchkin_id.upper() for i in s.vendors.marketo} | {
        d.munchkin_id.upper() for d in s.destinations if isinstance(d, MarketoDestination)} | {
        x.munchkin_id.upper() for x in s.sources if isinstance(x, MarketoSource)}
    for i, lead in enumerate(s.expectations.marketo_leads):
        if lead.munchkin_id.upper() not in munchkins:
            yield (("expectations", "marketo_leads", i, "munchkin_id"),
                   f"no Marketo instance '{lead.munchkin_id}' in this scenario"
                   f"{suggest(lead.munchkin_id, munchkins)}")
    audience_names = {a.id: a.name for a in s.audiences}
    for i, exp in enumerate(s.expectations.list_members):
        tenants = {d.client_id for d in s.destinations if isinstance(d, AccountDestination)
                   and d.type == exp.vendor} | {c.client_id for c in
                                                getattr(s.vendors, exp.vendor)}
        if exp.tenant not in tenants:
            yield (("expectations", "list_members", i, "tenant"),
                   f"no {exp.vendor} client '{exp.tenant}' in this scenario"
                   f"{suggest(exp.tenant, tenants)}")
        lists = {audience_names.get(a, "") for d in s.destinations
                 if isinstance(d, AccountDestination) and d.type == exp.vendor
                 and d.client_id == exp.tenant for a in d.audiences} | {
            str(x.get("name")) for c in getattr(s.vendors, exp.vendor)
            if c.client_id == exp.tenant for x in c.account_lists}
        if exp.list not in lists:
            yield (("expectations", "list_members", i, "list"),
                   f"no list named '{exp.list}' can exist at {exp.vendor} '{exp.tenant}' "
                   "(lists are named after the audiences activated there)"
                   f"{suggest(exp.list, lists)}")
        if exp.members is None and exp.count is None:
            yield (("expectations", "list_members", i),
                   "say what the list must hold: members (domains) or count")
    for i, drop in enumerate(s.expectations.drops):
        if drop.destination not in flows:
            yield (("expectations", "drops", i, "destination"),
                   f"unknown destination '{drop.destination}'{suggest(drop.destination, flows)}")
        if drop.max is not None and drop.max < drop.min:
            yield ("expectations", "drops", i, "max"), "max is below min"
    for i, refusal in enumerate(s.expectations.refused):
        if refusal.destination is not None and refusal.destination not in flows:
            yield (("expectations", "refused", i, "destination"),
                   f"unknown destination '{refusal.destination}'"
                   f"{suggest(refusal.destination, flows)}")
        if refusal.source is not None and refusal.source not in sources:
            yield (("expectations", "refused", i, "source"),
                   f"unknown source '{refusal.source}'{suggest(refusal.source, sources)}")
    for i, wanted in enumerate(s.expectations.profiles):
        for name in [*wanted.match, *wanted.attributes]:
            if fields["person"] and name not in fields["person"]:
                yield (("expectations", "profiles", i),
                       f"profiles have no attribute '{name}'"
                       f"{suggest(name, fields['person'])}")


def _faults(s: Scenario) -> Found:
    from vendorsim.mocks.core.clock import VirtualClock
    from vendorsim.mocks.core.faults import FaultPlan, FaultSpecError

    plan = FaultPlan(VirtualClock(s.start.timestamp()))
    for i, spec in enumerate(s.faults):
        spec = dict(spec)
        try:
            for key in ("start", "end"):
                if isinstance(spec.get(key), str) and spec[key].startswith("+"):
                    spec[key] = s.start.timestamp() + parse_offset(spec[key])
            plan.add(spec)
        except (FaultSpecError, ValueError) as exc:
            yield ("faults", i), str(exc)


def _seeds(s: Scenario) -> Found:
    """Every vendor's seed state through the mock's own validation, on a scratch cloud; a
    key or value of the wrong shape at its own line, with the vendor's closest key."""
    from vendorsim.mocks.cloud import Cloud
    from vendorsim.mocks.core.auth import Credential
    from vendorsim.mocks.core.seeds import SeedShapeError

    scratch = Cloud("virtual")
    for vendor in ("marketo", "sfmc", "bombora", "demandbase"):
        for i, item in enumerate(getattr(s.vendors, vendor)):
            tenant = str(getattr(item, "munchkin_id", None) or getattr(item, "subdomain", None)
                         or getattr(item, "client_id", ""))
            state = item.seed_state() if isinstance(item, SfmcAccount | MarketoInstance) \
                else item.model_dump(exclude={"client_id", "credentials", "limits",
                                              "api_tokens"})
            service = scratch.service(vendor)
            try:
                service.default_limits.updated(**item.limits)
            except ValueError as exc:
                yield ("vendors", vendor, i, "limits"), f"limits refused: {exc}"
                continue
            for j, credential in enumerate(item.credentials):
                try:
                    Credential.from_dict(credential)
                except ValueError as exc:
                    yield ("vendors", vendor, i, "credentials", j), str(exc)
            try:
                service.seed_tenant(tenant, credentials=item.credentials, state=state)
            except SeedShapeError as exc:  # at the line of the key, in the vendor's words
                for loc, text in exc.problems:
                    said = f"'{loc[-1]}' is {text}" if text.startswith("not a setting") \
                        else text
                    yield ("vendors", vendor, i, *loc), f"the {vendor} seed: {said}"
            except ValueError as exc:
                yield ("vendors", vendor, i), f"the {vendor} seed is refused: {exc}"


def _conditions(s: Scenario, fields: dict[str, set[str]]) -> Found:
    for i, audience in enumerate(s.audiences):
        for j, condition in enumerate(audience.all):
            scope, dot, name = condition.attribute.partition(".")
            if not dot:
                scope, name = "person", scope
            if audience.type == "account" and scope == "person":
                yield (("audiences", i, "all", j, "attribute"),
                       f"'{condition.attribute}': an account audience looks at account.*, "
                       "opportunity.* fields")
                continue
            known = fields[scope]
            if known and name not in known - {"personId"} | ({"personId"} if
                                                             scope == "person" else set()):
                yield (("audiences", i, "all", j, "attribute"),
                       f"no {scope} field '{name}' in this scenario's data"
                       f"{suggest(name, known)}: the audience would match nothing")


def _mappings(s: Scenario, raw: dict, fields: dict[str, set[str]]) -> Found:
    for i, dest in enumerate(s.destinations):
        scope = "person" if isinstance(dest, MarketoDestination) else "account"
        written = (raw.get("destinations") or [])[i].get("mappings") or {}
        for target, source in written.items():
            where = ("destinations", i, "mappings", target)
            given_scope, dot, name = source.partition(".")
            if dot and given_scope != scope:
                yield where, (f"'{source}': a {dest.type} destination maps {scope}.* "
                              "attributes")
                continue
            name = name if dot else source
            hint = suggest(name, fields[scope])
            if fields[scope] and name not in fields[scope] and hint:  # a likely typo
                yield where, f"no {scope} attribute '{name}' in this scenario's data{hint}"


def _sources(s: Scenario, bad: set[tuple]) -> Found:
    """SFMC sources against the data extensions seeded for them (seeds the mock refused are
    reported on their own and not read here)."""
    accounts = {a.subdomain: a for i, a in enumerate(s.vendors.sfmc) if ("sfmc", i) not in bad}
    seeded = {a.subdomain for a in s.vendors.sfmc}
    meant_to_fail = {e.source for e in s.expectations.refused}
    for i, source in enumerate(s.sources):
        if source.type != "sfmc" or source.id in meant_to_fail:
            continue
        if source.subdomain not in seeded:
            yield (("sources", i, "subdomain"),
                   f"no SFMC account '{source.subdomain}' in this scenario"
                   f"{suggest(source.subdomain, accounts)}: seed it (and its data extension) "
                   "under vendors.sfmc")
            continue
        if source.subdomain not in accounts:
            continue
        extensions = {str(d.get("key") or d.get("name")).lower(): d
                      for d in accounts[source.subdomain].data_extensions}
        de = extensions.get(source.data_extension.lower())
        if de is None:
            yield (("sources", i, "data_extension"),
                   f"SFMC account '{source.subdomain}' has no data extension "
                   f"'{source.data_extension}'{suggest(source.data_extension, extensions)}")
            continue
        columns = {str(f.get("name")).lower(): f for f in de.get("fields") or []}
        for column in source.mapping:
            if column.lower() not in columns:
                yield (("sources", i, "mapping", column),
                       f"data extension '{source.data_extension}' has no column '{column}'"
                       f"{suggest(column.lower(), columns)}")
        if source.modified_column and columns.get(source.modified_column.lower(), {}).get(
                "type") != "Date":
            yield (("sources", i, "modified_column"),
                   f"'{source.modified_column}' is not a Date column of "
                   f"'{source.data_extension}'")
