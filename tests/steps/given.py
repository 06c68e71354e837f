"""Given steps: vendor state, CDP data, audiences, dataflows, sources, faults and the
timeline, written into the world's scenario document."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers

from .world import ACCOUNT_MAPPINGS, MUNCHKIN, PEOPLE_MAPPINGS, World, cell, rows

NONE = ("none", "not applicable", "")
CLIENTS = {"bombora": "cdp-bombora", "demandbase": "cdp-demandbase"}


def _names(text: str) -> list[str]:
    return [] if text.strip().lower() in NONE else [n.strip() for n in text.split(",")]


# -- vendors ---------------------------------------------------------------------------
@given(parsers.parse('a Marketo instance with the partitions "{partitions}"'))
def marketo_instance(world: World, partitions: str) -> None:
    world.marketo()["partitions"] = _names(partitions)


@given(parsers.parse('a Marketo instance "{munchkin}"'))
def another_marketo_instance(world: World, munchkin: str) -> None:
    world.marketo(munchkin)


@given(parsers.parse('a Marketo instance "{munchkin}" holding the leads:'))
def marketo_instance_with_leads(world: World, munchkin: str, datatable: list) -> None:
    world.marketo(munchkin)["leads"] += rows(datatable)


@given("Marketo holds the leads:")
def marketo_leads(world: World, datatable: list) -> None:
    world.marketo()["leads"] += rows(datatable)


@given(parsers.parse('Marketo\'s API user "{client_id}" lacks the permission "{permission}"'))
def marketo_user_without(world: World, client_id: str, permission: str) -> None:
    granted = sorted({"read", "edit_person", "edit_assets"} - {permission})
    world.marketo().setdefault("credentials", []).append(
        {"client_id": client_id, "client_secret": "vendorsim", "permissions": granted})


@given(parsers.parse('Marketo answers "{code}" to the next {times:d} calls that write leads'))
def marketo_throttles(world: World, code: str, times: int) -> None:
    world.doc["faults"].append({"vendor": "marketo", "error_code": code, "times": times,
                                "method": "POST", "path": "^/rest/v1/(leads|lists)"})


@given(parsers.re(r"Demandbase answers HTTP (?P<status>\d{3}) to the next (?P<times>\d+) calls? "
                  r"that adds? accounts"))
def demandbase_fault(world: World, status: str, times: str) -> None:
    world.doc["faults"].append({"vendor": "demandbase", "status": int(status),
                                "times": int(times), "method": "POST",
                                "path": "^/accountlists/v1/lists/[^/]+/accounts$"})


@given(parsers.parse("Demandbase admits {calls:d} calls a minute"))
def demandbase_limits(world: World, calls: int) -> None:
    _list_client(world, "demandbase")["limits"] = {"window_calls": calls,
                                                   "window_seconds": 60}


@given(parsers.parse('{vendor} knows the API client "{client_id}" with the secret "{secret}"'))
def account_vendor_client(world: World, vendor: str, client_id: str, secret: str) -> None:
    _list_client(world, vendor.lower())["credentials"] = [
        {"client_id": client_id, "client_secret": secret}]


@given(parsers.parse('the Demandbase user\'s API token is "{token}"'))
def demandbase_token(world: World, token: str) -> None:
    _list_client(world, "demandbase").setdefault("api_tokens", []).append(token)


def _list_client(world: World, vendor: str) -> dict:
    clients = world.doc["vendors"].setdefault(vendor, [])
    if not clients:
        clients.append({"client_id": CLIENTS[vendor]})
    return clients[0]


# -- CDP data and audiences ------------------------------------------------------------
@given("the profiles:")
def profiles(world: World, datatable: list) -> None:
    people = {p["personId"]: p for p in world.doc["data"]["people"]}
    for row in rows(datatable):
        people.setdefault(row["personId"], {}).update(row)
    world.doc["data"]["people"] = list(people.values())


@given(parsers.parse('the profiles have the attribute "{attribute}":'))
def profile_attribute(world: World, attribute: str, datatable: list) -> None:
    values = {r["personId"]: r.get(attribute) for r in rows(datatable)}
    for person in world.doc["data"]["people"]:
        if person["personId"] in values:
            person[attribute] = values[person["personId"]]


@given("the accounts:")
def accounts(world: World, datatable: list) -> None:
    world.doc["data"]["accounts"] += rows(datatable)


@given(parsers.parse('the people audience "{name}" of profiles whose {attribute} is "{value}"'))
def people_audience(world: World, name: str, attribute: str, value: str) -> None:
    path = f"account.{attribute[len('account') + 3:]}" if attribute.startswith("account's ") \
        else f"person.{attribute}"
    world.add_audience(name, all=[{"attribute": path, "equals": cell(value)}])


@given(parsers.parse('the people audience "{name}" of profiles with a "{kind}" event'))
def event_audience(world: World, name: str, kind: str) -> None:
    world.add_audience(name, all=[{"attribute": "event.type", "equals": kind}])


@given(parsers.parse('the people audience "{name}" of profiles whose account has an '
                     'opportunity at stage "{stage}"'))
def opportunity_audience(world: World, name: str, stage: str) -> None:
    world.add_audience(name, all=[{"attribute": "opportunity.stage", "equals": stage}])


@given("the opportunities:")
def opportunities(world: World, datatable: list) -> None:
    world.doc["data"].setdefault("opportunities", []).extend(rows(datatable))


@given(parsers.parse('the profile "{person}" has a "{kind}" event at "{at}"'))
def person_event(world: World, person: str, kind: str, at: str) -> None:
    world.at(at, "event", person=person, event={"type": kind})


@given(parsers.parse('the account audience "{name}" of accounts whose {attribute} is "{value}"'))
def account_audience(world: World, name: str, attribute: str, value: str) -> None:
    world.add_audience(name, type="account",
                       all=[{"attribute": f"account.{attribute}", "equals": cell(value)}])


@given(parsers.parse('the custom upload "{name}" of the {kind} "{members}"'))
def custom_upload(world: World, name: str, kind: str, members: str) -> None:
    world.add_audience(name, type="people" if kind == "people" else "account",
                       origin="custom_upload", members=_names(members))


# -- timeline ----------------------------------------------------------------------------
@given(parsers.parse('the profile "{person}" changes its {attribute} to "{value}" at "{at}"'))
def profile_change(world: World, person: str, attribute: str, value: str, at: str) -> None:
    world.at(at, "change", person=person, set={attribute: cell(value)})


@given(parsers.parse('the replay runs until "{at}"'))
def replay_until(world: World, at: str) -> None:
    world.at(at, "advance", by="0s")


# -- dataflows -----------------------------------------------------------------------------
def _marketo_dataflow(world: World, munchkin: str, sync: str, action: str, partition: str,
                      **extra: Any) -> None:
    world.marketo(munchkin)
    settings: dict[str, Any] = {"munchkin_id": munchkin, "sync_type": sync,
                                "mappings": dict(PEOPLE_MAPPINGS), **extra}
    if action.lower() not in NONE:
        settings["person_action"] = action
    if partition.lower() not in NONE:
        settings["partition"] = partition
    world.add_destination("marketo", **settings)


@given(parsers.parse('a Marketo dataflow with sync type "{sync}", person action "{action}" '
                     'and partition "{partition}"'))
def marketo_dataflow(world: World, sync: str, action: str, partition: str) -> None:
    _marketo_dataflow(world, MUNCHKIN, sync, action, partition)


@given(parsers.re(r'a Marketo dataflow to "(?P<munchkin>[^"]+)" with sync type "(?P<sync>[^"]+)",'
                  r' person action "(?P<action>[^"]+)" and partition "(?P<partition>[^"]+)"'))
def marketo_dataflow_to(world: World, munchkin: str, sync: str, action: str,
                        partition: str) -> None:
    _marketo_dataflow(world, munchkin, sync, action, partition)


@given(parsers.re(r'a Marketo dataflow to "(?P<munchkin>[^"]+)" from the CDP instance '
                  r'"(?P<instance>[^"]+)" with sync type "(?P<sync>[^"]+)", person action '
                  r'"(?P<action>[^"]+)" and partition "(?P<partition>[^"]+)"'))
def marketo_dataflow_from(world: World, munchkin: str, instance: str, sync: str, action: str,
                          partition: str) -> None:
    _marketo_dataflow(world, munchkin, sync, action, partition, cdp_instance=instance)


@given("a legacy Marketo dataflow mapping only the email")
def legacy_dataflow(world: World) -> None:
    world.marketo()
    world.add_destination("marketo", munchkin_id=MUNCHKIN, sync_type="audience_only",
                          legacy=True, mappings={"email": "email"})


@given(parsers.parse('{another} {vendor} dataflow for the audience "{name}"'))
def account_dataflow(world: World, another: str, vendor: str, name: str) -> None:
    kind = vendor.lower()
    _list_client(world, kind)
    audience = next(a["id"] for a in world.doc["audiences"] if a["name"] == name)
    world.add_destination(kind, client_id=CLIENTS[kind], audiences=[audience],
                          mappings=dict(ACCOUNT_MAPPINGS[kind]))


@given("the dataflow settings:")
def dataflow_settings(world: World, datatable: list) -> None:
    for setting, value in datatable[1:]:
        world.destination[setting] = cell(value)


@given(parsers.parse('the dataflow delivers under the "{policy}" policy'))
def delivery_policy(world: World, policy: str) -> None:
    world.destination.setdefault("delivery", {})["policy"] = policy


@given(parsers.parse('the dataflow delivers under the "{policy}" policy, {size:d} account per '
                     'request'))
def delivery_policy_and_size(world: World, policy: str, size: int) -> None:
    world.destination["delivery"] = {"policy": policy, "max_users_per_request": size}


@given(parsers.parse('the dataflow delivers within "{latency}"'))
def streaming_latency(world: World, latency: str) -> None:
    world.destination.setdefault("delivery", {})["streaming_latency"] = latency
