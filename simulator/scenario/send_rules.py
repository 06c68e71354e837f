"""The rules between a `send` step and the rest of the scenario, checked before anything
runs: the vendor's account is in the scenario, what the send names (definition, email, lists)
is seeded there when the account defines any, and the recipients are people the data has,
with the attribute holding their address."""

from __future__ import annotations

from collections.abc import Iterator

from .messages import suggest
from .model import MarketoDestination, MarketoSource, Scenario, SfmcAccount
from .records import generated_id

Found = Iterator[tuple[tuple, str]]


def _ids(items: list[dict], *names: str) -> set[str]:
    return {str(item.get(name)).lower() for item in items for name in names
            if isinstance(item, dict) and item.get(name) is not None}


def _sfmc(account: SfmcAccount, where: tuple, send: object) -> Found:
    """What an SFMC send names against what its account is seeded with (an account that
    defines no send definition takes any key, as the mock does)."""
    kind = getattr(send, "kind", "")
    definition = str(getattr(send, "definition", "") or "")
    if kind == "triggered":
        known = _ids(account.triggered_send_definitions, "key")
        if known and definition.lower() not in known:
            yield (*where, "definition"), (f"no triggered send definition '{definition}' in "
                                           f"SFMC {account.subdomain}{suggest(definition, known)}")
    if kind == "transactional":
        known = _ids(account.message_definitions, "definitionKey")
        if known and definition.lower() not in known:
            yield (*where, "definition"), (f"no transactional send definition '{definition}' "
                                           f"in SFMC {account.subdomain}"
                                           f"{suggest(definition, known)}")
    if kind == "journey":
        known = {str(e).lower() for e in account.event_definitions if isinstance(e, str)} | \
            _ids([e for e in account.event_definitions if isinstance(e, dict)], "key")
        if known and definition.lower() not in known:
            yield (*where, "definition"), (f"no entry event definition '{definition}' in "
                                           f"SFMC {account.subdomain}{suggest(definition, known)}")
    if kind == "list":
        emails = _ids(account.emails, "id")
        email = str(getattr(send, "email", ""))
        if email not in emails:
            yield (*where, "email"), (f"no email {email} in SFMC {account.subdomain}: seed it "
                                      "under its emails ({id, name, subject})")
        lists = _ids(account.lists, "id") | {"1"}  # All Subscribers
        for j, list_id in enumerate(getattr(send, "lists", [])):
            if str(list_id) not in lists:
                yield (*where, "lists", j), (f"no list {list_id} in SFMC {account.subdomain}: "
                                             "seed it under its lists (1 is All Subscribers)")


def send_problems(s: Scenario, people: set[str], person_fields: set[str]) -> Found:
    """Every send step's references, at the line of the setting that is wrong."""
    sfmc = {a.subdomain: a for a in s.vendors.sfmc}
    munchkins = {i.munchkin_id.upper() for i in s.vendors.marketo} | {
        d.munchkin_id.upper() for d in s.destinations if isinstance(d, MarketoDestination)} | {
        x.munchkin_id.upper() for x in s.sources if isinstance(x, MarketoSource)}
    audiences = {a.id: a for a in s.audiences}
    for i, exp in enumerate(s.expectations.sends):
        known = set(sfmc) if exp.vendor == "sfmc" else munchkins
        if (exp.tenant if exp.vendor == "sfmc" else exp.tenant.upper()) not in known:
            yield (("expectations", "sends", i, "tenant"),
                   f"no {exp.vendor} account '{exp.tenant}' in this scenario"
                   f"{suggest(exp.tenant, known)}")
    for i, step in enumerate(s.timeline):
        send = step.send
        if send is None:
            continue
        where = ("timeline", i, "send")
        if step.action != "send":
            yield where, f"a '{step.action}' step makes no send: write action: send"
            continue
        if send.vendor == "sfmc" and send.tenant not in sfmc:
            yield (*where, "tenant"), (f"no SFMC account '{send.tenant}' in this scenario"
                                       f"{suggest(send.tenant, sfmc)}: seed it under "
                                       "vendors.sfmc")
        elif send.vendor == "sfmc":
            yield from _sfmc(sfmc[send.tenant], where, send)
        if send.vendor == "marketo" and send.tenant.upper() not in munchkins:
            yield (*where, "tenant"), (f"no Marketo instance '{send.tenant}' in this scenario"
                                       f"{suggest(send.tenant.upper(), munchkins)}")
        if send.audience is not None:
            found = audiences.get(send.audience)
            if found is None:
                yield (*where, "audience"), (f"unknown audience '{send.audience}'"
                                             f"{suggest(send.audience, audiences)}")
            elif found.type == "account":
                yield (*where, "audience"), (f"audience '{send.audience}' holds accounts: "
                                             "email goes to people")
        for j, person in enumerate(send.people):
            if person not in people and not generated_id(s, "person", person):
                yield (*where, "people", j), (f"unknown person '{person}'"
                                              f"{suggest(person, people)}; add it under "
                                              "data.people (or generate: data)")
        for name, value in (("address", send.address), ("key", send.key),
                            *((("attributes", j), a) for j, a in enumerate(send.attributes))):
            if person_fields and value not in person_fields and send.kind != "list":
                place = name if isinstance(name, tuple) else (name,)
                yield (*where, *place), (f"profiles have no attribute '{value}'"
                                         f"{suggest(value, person_fields)}")
