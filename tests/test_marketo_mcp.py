"""The mock of Adobe's Marketo Engage MCP server (vendor-apis.md §8.3, docs/mcp.md), driven by
the MCP SDK's own client over streamable HTTP (127.0.0.1) and stdio: Adobe's tool names,
each tool one REST call through the Marketo mock with the caller's credentials, Adobe's
errors for missing, wrong and unapproved credentials, and the instance's limits shared with
REST (606, 615, 607 count MCP and REST calls together)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from mcp.shared.exceptions import MCPError

from tests.helpers import MUNCHKIN, MarketoCaller
from tests.mcp_helpers import ADOBE_TOOLS, data, error, http_session, stdio_session, text
from vendorsim import Cloud
from vendorsim.mocks.marketo.mcp.server import TOOLS, marketo_mcp, serve_http
from vendorsim.mocks.server import ServerRunner

CLIENT_ID, SECRET = "mcp-user", "mcp-secret"
HEADERS = {"X-Marketo-Client-Id": CLIENT_ID, "X-Marketo-Client-Secret": SECRET,
           "X-Marketo-Munchkin-Id": MUNCHKIN}
ENV = {"MARKETO_MCP_PROD_CLIENT_ID": CLIENT_ID, "MARKETO_MCP_PROD_CLIENT_SECRET": SECRET,
       "MARKETO_MCP_PROD_MUNCHKIN_ID": MUNCHKIN}
STATE = {"leads": [{"email": "ana@acme.example", "firstName": "Ana", "lastName": "Silva"},
                   {"email": "bo@globex.example", "firstName": "Bo", "lastName": "Li"}],
         "programs": [{"id": 1001, "name": "Webinar Q1", "type": "webinar"}],
         "campaigns": [{"id": 2001, "name": "Welcome", "programId": 1001},
                       {"id": 2002, "name": "Nightly", "programId": 1001,
                        "isTriggerable": False}]}
FOLDER = {"id": 11, "type": "Folder"}  # the lead database's Default list folder
pytestmark = pytest.mark.client("mcp", mode="server",
                                area="the Marketo Engage MCP mock: tools, errors, REST's limits")


@pytest.fixture
def marketo(cloud: Cloud) -> Cloud:
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": CLIENT_ID, "client_secret": SECRET}], state=STATE)
    return cloud


@pytest.fixture
def url(marketo: Cloud) -> Iterator[str]:
    with serve_http(marketo_mcp(marketo)) as server:
        yield server.url


def rest_calls(cloud: Cloud, after: int) -> list:
    """The REST calls (token calls aside) the journal holds after sequence number `after`."""
    return [e for e in cloud.journal.entries() if e.seq > after and not e.token_call]


def last_seq(cloud: Cloud) -> int:
    entries = cloud.journal.entries()
    return entries[-1].seq if entries else 0


def test_the_tools_are_adobes_names_and_schemas_take_the_rest_parameters(url: str) -> None:
    async def main() -> None:
        async with http_session(url, HEADERS) as session:
            tools = {t.name: t for t in (await session.list_tools()).tools}
        assert set(tools) == {t.__name__ for t in TOOLS}
        assert set(tools) <= ADOBE_TOOLS, set(tools) - ADOBE_TOOLS
        assert len(tools) == 27
        leads = tools["get_leads_by_filter"].input_schema
        assert leads["required"] == ["filterType", "filterValues"]
        assert leads["properties"]["batchSize"]["anyOf"][0]["maximum"] == 300
        assert "GET /rest/v1/leads.json" in (tools["get_leads_by_filter"].description or "")

    asyncio.run(main())


async def _workflow(session: Any, cloud: Cloud) -> dict[str, int]:
    """Every tool once; after each, exactly one REST call, to the tool's documented path."""
    used: dict[str, int] = {}
    lead_id = list_id = 0

    async def call(tool: str, args: dict, path: str) -> Any:
        before = last_seq(cloud)
        result = await session.call_tool(tool, args)
        assert not result.is_error, f"{tool}: {text(result)}"
        made = rest_calls(cloud, before)
        assert [e.path for e in made] == [path.format(lead=lead_id, list=list_id)], tool
        assert made[0].client == CLIENT_ID and made[0].tenant == MUNCHKIN
        used[tool] = used.get(tool, 0) + 1
        answer = text(result)
        return json.loads(answer) if answer.startswith("{") else answer

    assert (await call("describe_lead", {}, "/rest/v1/leads/describe.json"))["result"]
    found = await call("get_leads_by_filter", {"filterType": "email",
                                               "filterValues": ["ana@acme.example"]},
                       "/rest/v1/leads.json")
    lead_id = found["result"][0]["id"]
    made = await call("create_list", {"name": "MCP list", "folder": FOLDER},
                      "/rest/asset/v1/staticLists.json")
    list_id = made["result"][0]["id"]
    got = await call("get_list_by_id", {"listId": list_id}, "/rest/asset/v1/staticList/{list}.json")
    assert got["result"][0]["name"] == "MCP list"
    named = await call("get_list_by_name", {"name": "MCP list"},
                       "/rest/asset/v1/staticList/byName.json")
    assert named["result"][0]["id"] == list_id
    await call("update_list", {"listId": list_id, "description": "made through MCP"},
               "/rest/asset/v1/staticList/{list}.json")
    browsed = await call("browse_lists", {"folder": FOLDER}, "/rest/asset/v1/staticLists.json")
    assert list_id in [x["id"] for x in browsed["result"]]
    added = await call("add_leads_to_list", {"listId": list_id, "leadIds": [lead_id]},
                       "/rest/v1/lists/{list}/leads.json")
    assert added["result"][0]["status"] == "added"
    members = await call("get_list_members", {"listId": list_id, "fields": ["email"]},
                         "/rest/v1/lists/{list}/leads.json")
    assert [m["email"] for m in members["result"]] == ["ana@acme.example"]
    removed = await call("remove_from_list", {"listId": list_id, "leadIds": [lead_id]},
                         "/rest/v1/lists/{list}/leads.json")
    assert removed["result"][0]["status"] == "removed"
    assert (await call("get_activity_types", {}, "/rest/v1/activities/types.json"))["result"]
    token = await call("get_paging_token", {"sinceDatetime": "2026-11-01T00:00:00Z"},
                       "/rest/v1/activities/pagingtoken.json")
    await call("get_lead_activities", {"nextPageToken": token["nextPageToken"],
                                       "activityTypeIds": [24]}, "/rest/v1/activities.json")
    folders = await call("browse_folders", {}, "/rest/asset/v1/folders.json")
    assert 11 in [f["id"] for f in folders["result"]]
    assert (await call("get_folder_by_id", {"folderId": 11},
                       "/rest/asset/v1/folder/11.json"))["result"][0]["name"] == "Default"
    assert (await call("get_folder_by_name", {"name": "Default"},
                       "/rest/asset/v1/folder/byName.json"))["result"][0]["id"] == 11
    programs = await call("browse_programs", {}, "/rest/asset/v1/programs.json")
    assert [p["id"] for p in programs["result"]] == [1001]
    await call("get_program_by_id", {"programId": 1001}, "/rest/asset/v1/program/1001.json")
    await call("get_program_by_name", {"name": "Webinar Q1"}, "/rest/asset/v1/program/byName.json")
    smart = await call("browse_smart_lists", {}, "/rest/asset/v1/smartLists.json")
    assert smart["warnings"] == ["No assets found for the given search criteria."]
    await call("trigger_campaign", {"campaignId": 2001, "leadIds": [lead_id]},
               "/rest/v1/campaigns/2001/trigger.json")
    await call("schedule_campaign", {"campaignId": 2002}, "/rest/v1/campaigns/2002/schedule.json")
    created = await call("bulk_export_create", {
        "entity": "leads", "fields": ["id", "email"],
        "filter": {"createdAt": {"startAt": "2026-11-20T00:00:00Z",
                                 "endAt": "2026-11-30T00:00:00Z"}}},
        "/bulk/v1/leads/export/create.json")
    export = created["result"][0]["exportId"]
    base = f"/bulk/v1/leads/export/{export}"
    await call("bulk_export_enqueue", {"entity": "leads", "exportId": export},
               f"{base}/enqueue.json")
    cloud.clock.advance(180)  # the export runs, and its status may move again (60 s)
    status = await call("bulk_export_status", {"entity": "leads", "exportId": export},
                        f"{base}/status.json")
    assert status["result"][0]["status"] == "Completed", status
    csv = await call("bulk_export_file", {"entity": "leads", "exportId": export},
                     f"{base}/file.json")
    assert csv.splitlines()[0] == "id,email" and "ana@acme.example" in csv
    rest = MarketoCaller().login(CLIENT_ID, SECRET)
    batch = rest.post("/bulk/v1/leads.json", data={"format": "csv"}, files={
        "file": ("leads.csv", b"email,firstName\ncy@initech.example,Cy\n", "text/csv")})
    imported = await call("get_import_status", {"batchId": batch["result"][0]["batchId"]},
                          "/bulk/v1/leads/batch/{batch}.json".replace(
                              "{batch}", str(batch["result"][0]["batchId"])))
    assert imported["result"][0]["status"] in ("Queued", "Importing", "Complete")
    return used


def test_every_tool_makes_one_rest_call_to_its_documented_path(marketo: Cloud, url: str
                                                               ) -> None:
    async def main() -> dict[str, int]:
        async with http_session(url, HEADERS) as session:
            return await _workflow(session, marketo)

    used = asyncio.run(main())
    assert set(used) == {t.__name__ for t in TOOLS}  # every tool, each with one call
    tokens = [e for e in marketo.journal.entries() if e.token_call]
    assert [e.client for e in tokens[:1]] == [CLIENT_ID]  # the MCP server's token call
    assert all(e.status == 200 and not e.codes for e in marketo.journal.entries())


def test_bad_arguments_are_tool_errors_and_marketos_errors_come_back_with_their_code(
        marketo: Cloud, url: str) -> None:
    async def main() -> None:
        async with http_session(url, HEADERS) as session:
            before = last_seq(marketo)
            missing = error(await session.call_tool("get_leads_by_filter",
                                                    {"filterType": "email"}))
            assert "filterValues" in missing and "Field required" in missing
            assert "listId" in error(await session.call_tool("add_leads_to_list", {
                "listId": -1, "leadIds": [1]}))
            assert "leads" in error(await session.call_tool("bulk_export_create", {
                "entity": "contacts", "filter": {}}))
            assert "valid integer" in error(await session.call_tool("get_list_by_id",
                                                                    {"listId": "abc"}))
            assert "Unknown tool" in error(await session.call_tool("delete_leads", {}))
            assert rest_calls(marketo, before) == []  # refused before any REST call
            folder = error(await session.call_tool("create_list", {
                "name": "L", "folder": {"id": 9999, "type": "Folder"}}))
            assert folder.startswith("Error executing tool create_list: Marketo error 710: ")
            assert json.loads(folder.splitlines()[1])["errors"][0]["code"] == "710"
            unknown = error(await session.call_tool("get_leads_by_filter", {
                "filterType": "nosuchfield", "filterValues": ["x"]}))
            assert "Marketo error 10" in unknown
            hostile = error(await session.call_tool("bulk_export_status", {
                "entity": "leads", "exportId": "../../rest/v1/leads.json?x=&"}))
            assert "exportId" in hostile and "pattern" in hostile  # no path of its own making
            made = rest_calls(marketo, before)
            assert [e.path for e in made] == ["/rest/asset/v1/staticLists.json",
                                              "/rest/v1/leads.json"]
            assert all("611" not in e.codes and e.status < 500 for e in made)

    asyncio.run(main())


def test_credentials_missing_wrong_or_not_enabled_are_refused_as_adobe_documents(
        marketo: Cloud, url: str) -> None:
    listing = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    accept = {"Accept": "application/json, text/event-stream"}

    async def main() -> None:
        async with httpx2.AsyncClient() as http:
            none = await http.post(url, json=listing, headers=accept)
            assert (none.status_code, none.json()) == (
                401, {"error": "Marketo credentials not provided"})
            partial = await http.post(url, json=listing, headers={
                **accept, **{k: v for k, v in HEADERS.items() if "Secret" not in k}})
            assert partial.status_code == 401
            wrong = await http.post(url, json=listing, headers={
                **accept, **HEADERS, "X-Marketo-Client-Secret": "nope"})
            assert (wrong.status_code, wrong.json()) == (401, {"error": "401 Unauthorized"})
            odd = await http.post(url, json=listing, headers={
                **accept, **HEADERS, "X-Marketo-Munchkin-Id": "../evil.example#"})
            assert (odd.status_code, odd.json()) == (403, {"error": "403 Forbidden"})
        with pytest.raises(BaseException) as failed:  # the SDK client cannot even start
            async with http_session(url, {}):
                pass
        assert failed.group_contains(MCPError) if isinstance(failed.value, BaseExceptionGroup) \
            else isinstance(failed.value, MCPError)

    asyncio.run(main())
    refused = [e for e in marketo.journal.entries() if e.token_call and e.status == 401]
    assert [e.client for e in refused] == [CLIENT_ID]  # only the wrong secret reached Marketo
    assert rest_calls(marketo, 0) == []


def test_an_instance_not_enabled_for_mcp_gets_403(marketo: Cloud) -> None:
    async def main(url: str) -> None:
        async with httpx2.AsyncClient() as http:
            answer = await http.post(url, headers={**HEADERS, "Accept": "application/json"},
                                     json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert (answer.status_code, answer.json()) == (403, {"error": "403 Forbidden"})
        async with http_session(url, {**HEADERS, "X-Marketo-Munchkin-Id": "999-ZZZ-999"}
                                ) as session:
            assert len((await session.list_tools()).tools) == 27

    with serve_http(marketo_mcp(marketo, enabled={"999-zzz-999"})) as server:
        asyncio.run(main(server.url))


def test_rest_and_mcp_calls_share_the_rate_window(marketo: Cloud, url: str) -> None:
    """100 REST calls, then the instance's 101st call in 20 s is refused through MCP too."""
    rest = MarketoCaller().login(CLIENT_ID, SECRET)
    for _ in range(100):
        assert rest.get("/rest/v1/leads/describe.json")["success"] is True

    async def main() -> str:
        async with http_session(url, HEADERS) as session:
            return error(await session.call_tool("describe_lead", {}))

    refused = asyncio.run(main())
    assert "Too many requests: Marketo error 606: Max rate limit '100' exceeded with in " \
           "'20' secs" in refused
    last = rest_calls(marketo, 0)[-1]
    assert (last.codes, last.client, last.path) == (["606"], CLIENT_ID,
                                                    "/rest/v1/leads/describe.json")
    marketo.clock.advance(21)  # the window passes for both

    async def again() -> dict:
        async with http_session(url, HEADERS) as session:
            return data(await session.call_tool("describe_lead", {}))

    assert asyncio.run(again())["success"] is True


def test_mcp_calls_count_against_rest_and_the_daily_quota(marketo: Cloud, url: str) -> None:
    marketo.service("marketo").set_limits(MUNCHKIN, {"window_calls": 5})

    async def main() -> None:
        async with http_session(url, HEADERS) as session:
            for _ in range(5):
                data(await session.call_tool("get_activity_types", {}))

    asyncio.run(main())
    assert MarketoCaller().login(CLIENT_ID, SECRET).get(
        "/rest/v1/leads/describe.json")["errors"][0]["code"] == "606"
    marketo.clock.advance(21)
    marketo.service("marketo").find_tenant(MUNCHKIN).limiter.exhaust_quota()  # type: ignore[union-attr]

    async def quota() -> str:
        async with http_session(url, HEADERS) as session:
            return error(await session.call_tool("get_activity_types", {}))

    assert "Too many requests: Marketo error 607: Daily quota reached" in asyncio.run(quota())


def test_calls_in_flight_count_together_615_through_mcp() -> None:
    """Ten slow REST calls in flight, then an MCP call: Marketo's 11th concurrent call. The
    MCP session is open (and its token earned) before the slow calls start, so the tool call
    follows them at once."""
    cloud = Cloud("real")
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": CLIENT_ID, "client_secret": SECRET}])
    cloud.add_fault(vendor="marketo", path="describe", latency=5.0)
    limiter = cloud.service("marketo").find_tenant(MUNCHKIN).limiter  # type: ignore[union-attr]
    token = cloud.requests_session().get(
        f"https://{MUNCHKIN}.mktorest.com/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": CLIENT_ID,
            "client_secret": SECRET}).json()["access_token"]

    def slow() -> None:
        cloud.requests_session().get(f"https://{MUNCHKIN}.mktorest.com/rest/v1/leads/"
                                     "describe.json", headers={"Authorization": f"Bearer {token}"})

    threads = [threading.Thread(target=slow) for _ in range(10)]

    async def main(url: str) -> str:
        async with http_session(url, HEADERS) as mcp_session:
            data(await mcp_session.call_tool("get_activity_types", {}))
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 30
            while limiter.snapshot()["in_flight"] < 10 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            assert limiter.snapshot()["in_flight"] == 10
            return error(await mcp_session.call_tool("get_activity_types", {}))

    with serve_http(marketo_mcp(cloud)) as server:
        refused = asyncio.run(main(server.url))
    for thread in threads:
        thread.join(30)
    assert "Too many requests: Marketo error 615: Concurrent access limit '10' reached" in refused


def test_an_expired_token_is_renewed_and_faults_reach_the_tool(marketo: Cloud, url: str
                                                                ) -> None:
    async def main() -> None:
        async with http_session(url, HEADERS) as session:
            data(await session.call_tool("describe_lead", {}))
            marketo.service("marketo").tokens.expire(MUNCHKIN)
            before = last_seq(marketo)
            assert data(await session.call_tool("describe_lead", {}))["success"] is True
            calls = [(e.token_call, e.codes) for e in marketo.journal.entries()
                     if e.seq > before]
            assert calls == [(False, ["602"]), (True, []), (False, [])]
            marketo.add_fault(vendor="marketo", status=503, times=1)
            assert "Marketo answered HTTP 503" in error(
                await session.call_tool("describe_lead", {}))

    asyncio.run(main())


def test_stdio_with_the_bridge_environment_in_front_of_a_running_server() -> None:
    """`vendorsim mcp --marketo --target URL` on stdio: credentials from the environment
    Adobe's bridge reads; its REST calls reach the running server's Marketo."""
    cloud = Cloud("virtual")
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": CLIENT_ID, "client_secret": SECRET}], state=STATE)

    async def main(target: str) -> tuple[dict, str]:
        args = ["mcp", "--marketo", "--target", target]
        async with stdio_session(args, ENV) as session:
            assert len((await session.list_tools()).tools) == 27
            found = data(await session.call_tool("get_leads_by_filter", {
                "filterType": "email", "filterValues": ["bo@globex.example"]}))
        async with stdio_session(args, {}) as session:
            missing = error(await session.call_tool("describe_lead", {}))
        return found, missing

    with ServerRunner(cloud, port=0, vendor_ports=False, threads=4) as server:
        found, missing = asyncio.run(main(server.urls["cloud"]))
    assert found["result"][0]["email"] == "bo@globex.example"
    assert "Marketo credentials not provided" in missing
    assert [(e.path, e.client) for e in rest_calls(cloud, 0)] == [
        ("/rest/v1/leads.json", CLIENT_ID)]
