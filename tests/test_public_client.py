"""A Marketo client people already use (marketorestpython, from PyPI), unchanged.

It builds `https://{munchkin}.mktorest.com` itself, sends the token as a query parameter or
bearer header, and uses `_method=GET` form bodies: the mock must serve it as Marketo does.
The client paces itself with wall-clock sleeps (5 calls/s); the tests replace only its
`time.sleep` so that they spend no wall time.
"""

from __future__ import annotations

import types

import pytest

from tests.helpers import MUNCHKIN
from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner

marketorestpython = pytest.importorskip(
    "marketorestpython.client", reason="marketorestpython is in the dev extra")
http_lib = pytest.importorskip("marketorestpython.helper.http_lib")


@pytest.fixture(autouse=True)
def no_wall_clock_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    fake_time = types.SimpleNamespace(time=time.time, sleep=lambda seconds: None)
    monkeypatch.setattr(http_lib, "time", fake_time)


def exercise(client: object) -> dict:
    """A CDP-ish round trip through the client's public methods."""
    created = client.execute(method="create_update_leads", leads=[  # type: ignore[attr-defined]
        {"email": "ana@acme.example", "firstName": "Ana", "lastName": "Silva"},
        {"email": "bo@globex.example", "firstName": "Bo"}], action="createOrUpdate",
        lookupField="email")
    found = client.execute(method="get_multiple_leads_by_filter_type",  # type: ignore[attr-defined]
                           filterType="email", filterValues=["ana@acme.example"],
                           fields=["email", "firstName", "leadPartitionId"])
    new_list = client.execute(method="create_list", name="CDP audience",  # type: ignore[attr-defined]
                              folderId=12, folderType="Folder")
    list_id = new_list[0]["id"]
    added = client.execute(method="add_leads_to_list", listId=list_id,  # type: ignore[attr-defined]
                           id=[r["id"] for r in created])
    members = client.execute(method="get_multiple_leads_by_list_id",  # type: ignore[attr-defined]
                             listId=list_id)
    partitions = client.execute(method="get_lead_partitions")  # type: ignore[attr-defined]
    return {"created": created, "found": found, "added": added, "members": members,
            "partitions": partitions, "list": new_list[0]}


def check(result: dict) -> None:
    assert [r["status"] for r in result["created"]] == ["created", "created"]
    assert result["found"] == [{"id": 1, "email": "ana@acme.example", "firstName": "Ana",
                                "leadPartitionId": 1}]
    assert [r["status"] for r in result["added"]] == ["added", "added"]
    assert sorted(m["email"] for m in result["members"]) == ["ana@acme.example",
                                                             "bo@globex.example"]
    assert result["partitions"][0]["name"] == "Default"
    assert result["list"]["name"] == "CDP audience"


@pytest.mark.client("marketorestpython", area="leads: sync, filter; static lists; partitions")
def test_public_client_in_process(cloud: Cloud) -> None:
    client = marketorestpython.MarketoClient(MUNCHKIN, "client-id", "client-secret")
    check(exercise(client))
    assert {e.path for e in cloud.journal.entries()} >= {"/identity/oauth/token",
                                                          "/rest/v1/leads.json"}


@pytest.mark.client("marketorestpython", area="errors: bad credentials (401), 709")
def test_public_client_sees_the_vendor_errors(cloud: Cloud) -> None:
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": "client-id", "client_secret": "right"}])
    client = marketorestpython.MarketoClient(MUNCHKIN, "client-id", "wrong")
    with pytest.raises(Exception, match="Bad client credentials"):
        client.execute(method="get_lead_partitions")
    good = marketorestpython.MarketoClient(MUNCHKIN, "client-id", "right")
    good.execute(method="create_list", name="Twice", folderId=12, folderType="Folder")
    with pytest.raises(Exception, match="709"):
        good.execute(method="create_list", name="Twice", folderId=12, folderType="Folder")


@pytest.mark.client("marketorestpython", area="601 recovery (a new token, the call again)")
def test_public_client_reauthenticates_after_an_injected_601(cloud: Cloud) -> None:
    """The client's own recovery path: on 601 it asks for a token and calls again.

    (Its backoff on 606 is not exercised: it sleeps on the wall clock, and its retry
    re-sends a request whose token it has already popped, which real Marketo answers
    with 600, as this mock does.)"""
    cloud.add_fault(error_code="601", times=1, path="partitions")
    client = marketorestpython.MarketoClient(MUNCHKIN, "client-id", "client-secret")
    assert client.execute(method="get_lead_partitions")[0]["name"] == "Default"
    assert [e.codes for e in cloud.journal.entries(path="partitions")] == [["601"], []]


@pytest.mark.client("marketorestpython", mode="server",
                    area="leads: sync, filter; static lists; partitions")
def test_public_client_against_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Server mode: the client's host is built from the Munchkin ID, so point it at the
    per-vendor port by replacing only that attribute."""
    with ServerRunner(Cloud("virtual"), port=0) as server:
        client = marketorestpython.MarketoClient(MUNCHKIN, "client-id", "client-secret")
        client.host = server.base_url("marketo", MUNCHKIN)
        check(exercise(client))
