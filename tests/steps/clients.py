"""Steps for client verdicts (issue 18): small clients, each written here to keep or break
one vendor rule, run against the vendors the feature targets (in-process or a server)."""

from __future__ import annotations

import requests
from pytest_bdd import given, parsers, then, when

from vendorsim.simulator.engine.remote import RemoteVendors

from .world import MUNCHKIN, World


class Client:
    """A bare Marketo client whose habits the step chooses."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.http: requests.Session = world.vendors.session()
        self.base = world.vendors.base_url("marketo", MUNCHKIN)

    def login(self) -> None:
        body = self.http.get(f"{self.base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "cdp",
            "client_secret": "s3cret"}).json()
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"

    def sync(self, leads: list[dict], **options: object) -> dict:
        return self.http.post(f"{self.base}/rest/v1/leads.json",
                              json={"input": leads, **options}).json()

    def wait(self, seconds: float) -> None:
        """Waiting on the vendors' (virtual) clock."""
        self.world.vendors.set_clock(self.world.vendors.now() + seconds, forward=True)


@given(parsers.parse("a Marketo instance allowing {calls:d} calls in its 20-second window"))
def small_window(world: World, calls: int) -> None:
    if isinstance(world.vendors, RemoteVendors):  # a shared server or container: start clean
        world.vendors.__enter__()  # resets it (the engine's runs do the same)
    world.vendors.seed("marketo", MUNCHKIN, None, {"window_calls": calls}, {})


@when(parsers.parse("a client syncs {count:d} leads one call at a time, {habit}"),
      target_fixture="client")
def sync_one_at_a_time(world: World, count: int, habit: str) -> Client:
    client = Client(world)
    client.login()
    for n in range(count):
        body = client.sync([{"email": f"lead{n}@x.example"}])
        impatient = habit == "calling straight back after each 606"
        while not body["success"] and body["errors"][0]["code"] == "606":
            if impatient:
                impatient = False  # once straight back (refused again), then it waits
            else:
                client.wait(20)
            body = client.sync([{"email": f"lead{n}@x.example"}])
    return client


@when("a client sends a sync with an unknown lookup field twice", target_fixture="client")
def refused_twice(world: World) -> Client:
    client = Client(world)
    client.login()
    for _ in range(2):
        assert client.sync([{"email": "a@x.example"}], lookupField="nope")["success"] is False
    return client


@when("a client sends the same lead twice", target_fixture="client")
def same_write_twice(world: World) -> Client:
    client = Client(world)
    client.login()
    for _ in range(2):
        assert client.sync([{"email": "a@x.example", "title": "CTO"}])["success"]
    return client


@when(parsers.parse("a client logs in before each of {count:d} calls"),
      target_fixture="client")
def token_every_call(world: World, count: int) -> Client:
    client = Client(world)
    for n in range(count):
        client.login()
        client.sync([{"email": f"lead{n}@x.example"}])
    return client


@when(parsers.parse('a client calls "{path}"'), target_fixture="client")
def calls_path(world: World, path: str) -> Client:
    client = Client(world)
    client.login()
    client.http.get(f"{client.base}{path}")
    return client


@then("the client has no verdict")
def no_verdict(world: World) -> None:
    assert world.vendors.client_verdicts() == []


@then(parsers.parse('the client is judged "{rule}" with its journal evidence'))
def judged(world: World, rule: str) -> None:
    found = [v for v in world.vendors.client_verdicts() if v["rule"] == rule]
    assert len(found) == 1 and found[0]["client"] == "cdp", world.vendors.client_verdicts()
    journal = {e["seq"]: e for e in world.vendors.journal()}
    assert found[0]["evidence"] and all(seq in journal for seq in found[0]["evidence"])
    assert found[0]["source"]


@then(parsers.parse('the verdict says "{text}"'))
def verdict_says(world: World, text: str) -> None:
    assert any(text in v["detail"] for v in world.vendors.client_verdicts())
