"""Given steps for sources: an SFMC account and its data extension, the SFMC source, Marketo
as a source and the connection topologies of B-B2B-02, and vendor-side changes."""

from __future__ import annotations

from pytest_bdd import given, parsers

from .world import World, rows

SUBDOMAIN = "mc-acme"
CONTACT_FIELDS = [
    {"name": "ContactKey", "type": "Text", "isPrimaryKey": True},
    {"name": "EmailAddress", "type": "EmailAddress"},
    {"name": "FirstName", "type": "Text"},
    {"name": "LastName", "type": "Text"},
    {"name": "LifecycleStage", "type": "Text"},
    {"name": "ModifiedDate", "type": "Date"},
]
CONTACT_MAPPING = {"EmailAddress": "email", "FirstName": "firstName", "LastName": "lastName",
                   "LifecycleStage": "lifecycleStage"}
OLD = "2026-01-01T00:00:00"


def _source(world: World, kind: str) -> dict:
    return next(s for s in reversed(world.doc["sources"]) if s["type"] == kind)


def _data_extension(world: World, key: str) -> dict:
    account = world.doc["vendors"]["sfmc"][0]
    return next(d for d in account["data_extensions"] if d["key"] == key)


@given(parsers.parse('an SFMC account "{subdomain}" with the contacts data extension '
                     '"{key}":'))
def sfmc_account(world: World, subdomain: str, key: str, datatable: list) -> None:
    contacts = [{"ModifiedDate": OLD, **row} for row in rows(datatable)]
    world.doc["vendors"].setdefault("sfmc", []).append({
        "subdomain": subdomain, "data_extensions": [
            {"name": key.capitalize(), "key": key, "fields": CONTACT_FIELDS,
             "rows": contacts}]})


@given(parsers.parse('the data extension "{key}" holds {count:d} more generated contacts'))
def generated_contacts(world: World, key: str, count: int) -> None:
    _data_extension(world, key)["rows"] += [
        {"ContactKey": f"G{i}", "EmailAddress": f"g{i}@generated.example", "FirstName": "Gen",
         "LastName": f"N{i}", "LifecycleStage": "lead", "ModifiedDate": OLD}
        for i in range(count)]


@given(parsers.parse('an SFMC source reading "{key}" every hour'))
def sfmc_source(world: World, key: str) -> None:
    world.doc["sources"].append({
        "id": "sfmc-contacts", "type": "sfmc", "subdomain": SUBDOMAIN, "data_extension": key,
        "mapping": dict(CONTACT_MAPPING), "identity": "email",
        "modified_column": "ModifiedDate", "schedule": "1h"})


@given(parsers.parse('an SFMC activity data extension "{key}":'))
def sfmc_activity(world: World, key: str, datatable: list) -> None:
    world.doc["vendors"]["sfmc"][0]["data_extensions"].append({
        "name": key.capitalize(), "key": key, "rows": rows(datatable), "fields": [
            {"name": "EventKey", "type": "Text", "isPrimaryKey": True},
            {"name": "EmailAddress", "type": "EmailAddress"},
            {"name": "EventType", "type": "Text"}, {"name": "EventDate", "type": "Date"}]})


@given(parsers.parse('an SFMC events source reading "{key}" every hour'))
def sfmc_events_source(world: World, key: str) -> None:
    world.doc["sources"].append({
        "id": f"sfmc-{key}", "type": "sfmc", "subdomain": SUBDOMAIN, "data_extension": key,
        "kind": "events", "identity": "email", "schedule": "1h",
        "mapping": {"EmailAddress": "email", "EventType": "type", "EventDate": "timestamp"}})


@given(parsers.parse('a marketer sets in "{key}" at "{at}":'))
def marketer_edits(world: World, key: str, at: str, datatable: list) -> None:
    source = next(s for s in world.doc["sources"] if s.get("data_extension") == key)
    world.at(at, "upsert_rows", source=source["id"], rows=rows(datatable))


@given(parsers.parse('the source reads "{key}" instead'))
def source_reads(world: World, key: str) -> None:
    """A key that is no data extension: the scenario shows the source failing, so it says
    so (otherwise `vendorsim check` refuses the reference, and a refusal fails the run)."""
    source = _source(world, "sfmc")
    source["data_extension"] = key
    world.doc.setdefault("expectations", {}).setdefault("refused", []).append(
        {"source": source["id"], "reason": "SFMC 404"})


@given(parsers.parse('the installed package\'s scopes are "{scopes}"'))
def package_scopes(world: World, scopes: str) -> None:
    world.doc["vendors"]["sfmc"][0]["credentials"] = [
        {"client_id": "vendorsim", "client_secret": "vendorsim",
         "scopes": [s.strip() for s in scopes.split(",")]}]


@given(parsers.parse('SFMC knows the installed package "{client_id}" with the secret '
                     '"{secret}"'))
def sfmc_package(world: World, client_id: str, secret: str) -> None:
    world.doc["vendors"]["sfmc"][0]["credentials"] = [
        {"client_id": client_id, "client_secret": secret}]


@given(parsers.parse('the source\'s client secret is "{secret}"'))
def source_secret(world: World, secret: str) -> None:
    _source(world, "sfmc")["client_secret"] = secret


@given(parsers.parse('the source is the "{kind}" type'))
def source_type(world: World, kind: str) -> None:
    world.doc["sources"][-1]["type"] = kind


# -- Marketo as a source (B-B2B-01/02/07) -----------------------------------------------
@given("Marketo source connections:")
def marketo_connections(world: World, datatable: list) -> None:
    for row in rows(datatable):
        world.marketo(row["munchkin_id"])
        world.doc["sources"].append({
            "id": row["source"], "type": "marketo", "munchkin_id": row["munchkin_id"],
            "cdp_instance": row["cdp_instance"], "sandbox": row["sandbox"]})


@given(parsers.parse('a Marketo source reading "{munchkin}" with a backfill of "{backfill}"'))
def marketo_source(world: World, munchkin: str, backfill: str) -> None:
    world.doc["sources"].append({
        "id": f"marketo-{munchkin}", "type": "marketo", "munchkin_id": munchkin,
        "backfill": backfill, "mapping": {"email": "email", "firstName": "firstName",
                                          "lastName": "lastName", "title": "title"}})


@given(parsers.parse('Marketo "{munchkin}" changes the lead "{email}" to the title "{title}" '
                     'at "{at}"'))
def marketo_lead_change(world: World, munchkin: str, email: str, title: str, at: str) -> None:
    world.at(at, "upsert_rows", source=f"marketo-{munchkin}",
             rows=[{"email": email, "title": title}])
