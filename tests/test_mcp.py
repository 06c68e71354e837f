"""`vendorsim mcp` (docs/mcp.md) driven by the MCP SDK's own client, over stdio (a subprocess)
and streamable HTTP (127.0.0.1): every tool and resource, tool errors for bad arguments, and
the session the issue asks for: seed -> fault -> run a scenario -> verdicts, on an embedded
cloud and on a running server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from mcp import ClientSession

from tests.helpers import MUNCHKIN
from tests.mcp_helpers import data, error, http_session, stdio_session
from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner
from vendorsim.simulator.mcp.server import build_server, serve_http
from vendorsim.simulator.mcp.session import Session

ROOT = Path(__file__).resolve().parent.parent
DEMO = str(ROOT / "fixtures" / "scenarios" / "demo.yaml")  # B-MKT-12, B-MKT-13, B-MKT-14
CASSETTE = str(ROOT / "tests" / "drift" / "own_suite.yaml")
EXTRA = {"email": "zed@x.example", "firstName": "Zed", "lastName": "Q"}


@asynccontextmanager
async def over_http() -> AsyncIterator[ClientSession]:
    with serve_http(build_server(Session())) as server:
        async with http_session(server.url) as session:
            yield session


@asynccontextmanager
async def over_stdio() -> AsyncIterator[ClientSession]:
    async with stdio_session(["mcp"]) as session:
        yield session


pytestmark = pytest.mark.client("mcp", mode="server",
                                area="vendorsim mcp: tools, resources, seed-fault-run-verdict")

TRANSPORTS: dict[str, Callable[[], AbstractAsyncContextManager[ClientSession]]] = {
    "http": over_http, "stdio": over_stdio}


async def seed_fault_run_verdict(session: ClientSession, fresh: bool = False) -> dict:
    """The issue's session: seed a tenant, inject a fault, run a scenario, read verdicts."""
    seeded = data(await session.call_tool("seed_tenant", {
        "vendor": "marketo", "tenant": MUNCHKIN, "state": {"leads": [EXTRA]}}))
    assert seeded["id"] == MUNCHKIN and seeded["seeded"] is True
    rule = data(await session.call_tool("add_fault", {
        "vendor": "marketo", "error_code": "606", "times": 2, "path": "leads.json"}))
    report = data(await session.call_tool("run_scenario", {"path": DEMO, "fresh": fresh}))
    judged = data(await session.call_tool("verdicts", {"judge_injected": True}))
    thrown = data(await session.call_tool("journal", {"code": "606"}))
    state = data(await session.call_tool("read_tenant", {"vendor": "marketo",
                                                         "tenant": MUNCHKIN}))
    return {"rule": rule, "report": report, "verdicts": judged, "throttled": thrown,
            "emails": {lead["email"] for lead in
                       state["tenants"][MUNCHKIN]["state"]["leads"]}}


def check_session(found: dict) -> None:
    report = found["report"]
    assert report["passed"] is True, report["expectations"]
    assert report["expectations"]["total"] == 3 and report["expectations"]["failed"] == 0
    assert report["destinations"][0]["calls: throttled answers"] == "2"  # the fault's two
    assert report["destinations"][0]["calls: retries"] == "2"
    throttled = found["throttled"]["entries"]
    assert [e["fault"] for e in throttled] == [found["rule"]["id"]] * 2
    assert all(e["codes"] == ["606"] and e["tenant"] == MUNCHKIN for e in throttled)
    rules = {v["rule"] for v in found["verdicts"]["verdicts"]}
    assert rules and rules <= {"retry_too_soon", "repeated_refusal"}
    evidence = {n for v in found["verdicts"]["verdicts"] for n in v["evidence"]}
    assert evidence & {e["seq"] for e in throttled}  # judged on the injected 606s
    assert {"zed@x.example", "cy@initech.example", "dee@umbrella.example"} <= found["emails"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_an_mcp_client_drives_seed_fault_run_verdict(transport: str) -> None:
    async def main() -> dict:
        async with TRANSPORTS[transport]() as session:
            tools = {t.name for t in (await session.list_tools()).tools}
            assert tools == set(Session.TOOLS)
            return await seed_fault_run_verdict(session)

    check_session(asyncio.run(main()))


def test_every_tool_and_resource(tmp_path: Path) -> None:
    async def main() -> None:
        async with over_http() as s:
            started = data(await s.call_tool("start_cloud", {"clock": "virtual"}))
            assert (started["mode"], started["clock"]["virtual"]) == ("embedded", True)
            await seed_fault_run_verdict(s)
            assert data(await s.call_tool("status", {}))["last_call"] > 10
            assert len(data(await s.call_tool("list_faults", {}))["faults"]) == 1
            tenants = data(await s.call_tool("list_tenants", {"vendor": "marketo"}))
            assert [t["id"] for t in tenants["tenants"]["marketo"]] == [MUNCHKIN]
            first = data(await s.call_tool("journal", {"limit": 5}))
            second = data(await s.call_tool("journal", {"limit": 5,
                                                        "after": first["next_after"]}))
            seqs = [e["seq"] for e in first["entries"] + second["entries"]]
            assert first["more"] and seqs == sorted(set(seqs)) and len(seqs) == 10
            entry = data(await s.call_tool("journal_entry", {"seq": seqs[1]}))
            assert entry["seq"] == seqs[1] and entry["bodies"]["response"].startswith("{")
            outline = data(await s.call_tool("read_tenant", {
                "vendor": "marketo", "tenant": MUNCHKIN, "max_chars": 1000}))
            assert outline["truncated"] is True and outline["chars"] > 1000
            before = data(await s.call_tool("status", {}))["clock"]["now"]
            moved = data(await s.call_tool("advance_clock", {"seconds": 3600}))
            assert moved["now"][:13] > before[:13]
            assert data(await s.call_tool("advance_clock", {"to": "2030-01-01T00:00:00Z"}
                                          ))["now"].startswith("2030-01-01")
            assert data(await s.call_tool("clear_faults", {}))["cleared"] is True
            assert data(await s.call_tool("list_faults", {}))["faults"] == []
            assert data(await s.call_tool("check_scenario", {"path": DEMO}))["valid"] is True
            verified = data(await s.call_tool("verify_cassette", {"cassettes": [CASSETTE]}))
            assert verified["calls"] == 2 and verified["drift"] is False
            out = tmp_path / "report.json"
            rerun = data(await s.call_tool("run_scenario", {"path": DEMO, "fresh": True,
                                                            "report_json": str(out)}))
            assert rerun["passed"] and json.loads(out.read_text())["passed"] is True
            data(await s.call_tool("reset", {"vendor": "marketo"}))
            assert data(await s.call_tool("list_tenants", {}))["tenants"]["marketo"] == []
            catalogue = (await s.read_resource("vendorsim://behaviours")).contents[0]
            assert "B-MKT-12" in getattr(catalogue, "text", "")
            for vendor, path in (("marketo", "/rest/v1/leads.json"), ("admin", "/__admin/faults"),
                                 ("sfmc", "/v2/token")):
                document = (await s.read_resource(f"vendorsim://openapi/{vendor}")).contents[0]
                assert any(p.endswith(path) for p in json.loads(getattr(document, "text", ""))
                           ["paths"]), (vendor, path)
            wsdl = (await s.read_resource("vendorsim://wsdl/sfmc")).contents[0]
            assert "<definitions" in getattr(wsdl, "text", "") and "Retrieve" in wsdl.text
            with pytest.raises(Exception, match="no OpenAPI document"):
                await s.read_resource("vendorsim://openapi/oracle")

    asyncio.run(main())


def test_bad_arguments_are_tool_errors_that_say_what_to_fix() -> None:
    cases: list[tuple[str, dict, str]] = [
        ("seed_tenant", {"vendor": "oracle", "tenant": "x"}, "'marketo'"),
        ("seed_tenant", {"vendor": "marketo", "tenant": MUNCHKIN, "state": {"leads": "x"}},
         "tenant not seeded"),
        ("seed_tenant", {"vendor": "marketo"}, "tenant"),
        ("add_fault", {}, "fault"),
        ("add_fault", {"status": 42}, "greater than or equal to 100"),
        ("add_fault", {"error_code": "606", "path": "("}, "path"),
        ("journal", {"limit": 501}, "less than or equal to 500"),
        ("journal_entry", {"seq": 999999}, "no journal entry"),
        ("read_tenant", {"vendor": "sfmc", "tenant": "nobody"}, "no sfmc tenant"),
        ("reset", {"tenant": MUNCHKIN}, "needs its vendor"),
        ("advance_clock", {}, "seconds or to"),
        ("advance_clock", {"seconds": -5}, "greater than 0"),
        ("run_scenario", {}, "path or its text"),
        ("run_scenario", {"path": "/nonexistent/scenario.yaml"}, "scenario.yaml"),
        ("run_scenario", {"text": "name: x\nstart: nope\n"}, "<text>:2:"),
        ("run_scenario", {"path": DEMO, "as_of": "someday"}, "not run"),
        ("verify_cassette", {"cassettes": ["/nonexistent.yaml"]}, "not verified"),
        ("verify_cassette", {"cassettes": []}, "at least 1"),
        ("start_cloud", {"clock": "sundial"}, "'virtual'"),
        ("start_cloud", {"as_of": "someday"}, "cloud not started"),
        ("connect", {"url": "ftp://example"}, "http://"),
        ("connect", {"url": "http://127.0.0.1:9"}, "not connected"),
        ("no_such_tool", {}, "Unknown tool"),
    ]

    async def main() -> None:
        async with over_http() as s:
            for tool, args, expected in cases:
                message = error(await s.call_tool(tool, args))
                assert expected in message, (tool, args, message)
            data(await s.call_tool("start_cloud", {"clock": "real"}))
            assert "the clock is real" in error(await s.call_tool("advance_clock",
                                                                  {"seconds": 1}))

    asyncio.run(main())
    invalid = Session().check_scenario(text="name: x\nstart: nope\n")
    assert invalid["valid"] is False and invalid["problems"][0].startswith("<text>:2:")


def test_pointed_at_a_running_server_the_session_shapes_the_run() -> None:
    """connect: tenants, faults, runs and verdicts go through the server's admin API; a run
    adds to what the session seeded (fresh: the server is reset first)."""
    cloud = Cloud("virtual")

    async def main(url: str) -> tuple[dict, dict]:
        async with over_http() as s:
            connected = data(await s.call_tool("connect", {"url": url}))
            assert connected["mode"] == "remote" and connected["url"] == url
            kept = await seed_fault_run_verdict(s)
            data(await s.call_tool("seed_tenant", {"vendor": "marketo", "tenant": MUNCHKIN,
                                                   "state": {"leads": [EXTRA]}}))
            data(await s.call_tool("run_scenario", {"path": DEMO, "fresh": True}))
            state = data(await s.call_tool("read_tenant", {"vendor": "marketo",
                                                           "tenant": MUNCHKIN}))
            return kept, state

    with ServerRunner(cloud, port=0, threads=4) as server:
        kept, state = asyncio.run(main(server.urls["cloud"]))
    check_session(kept)
    leads = state["tenants"][MUNCHKIN]["state"]["leads"]
    assert "zed@x.example" not in {lead["email"] for lead in leads}  # fresh: reset first
    assert cloud.journal.entries()[-1].tenant == MUNCHKIN  # the server's own journal


@pytest.mark.parametrize("argv", [
    ["mcp", "--enable", "123-ABC-456"], ["mcp", "--rest-port", "9000"],
    ["mcp", "--target", "http://127.0.0.1:9", "--clock", "real"],
    ["mcp", "--marketo", "--target", "http://127.0.0.1:9", "--rest-port", "9000"],
    ["mcp", "--port", "9000"],
])
def test_options_that_would_do_nothing_are_refused(argv: list[str],
                                                   capsys: pytest.CaptureFixture) -> None:
    from vendorsim.simulator.cli import main

    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("vendorsim mcp: ")


def test_an_unreachable_target_is_refused_before_serving(capsys: pytest.CaptureFixture
                                                         ) -> None:
    from vendorsim.simulator.cli import main

    for argv in (["mcp", "--target", "http://127.0.0.1:9"],
                 ["mcp", "--marketo", "--target", "http://127.0.0.1:9"]):
        assert main(argv) == 2
        assert "--target: cannot reach http://127.0.0.1:9" in capsys.readouterr().err


def test_a_bug_of_ours_is_one_line_not_a_bare_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception in a run reaches the client as vendorsim's one-line internal
    error (the CLI's wording), the traceback staying in the server's log."""
    import vendorsim.simulator.engine.run as engine

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(engine, "run_scenario", broken)

    async def main() -> str:
        from mcp import Client

        async with Client(build_server(Session())) as client:
            return error(await client.call_tool("run_scenario", {"path": DEMO}))

    assert "internal error: RuntimeError: planted (please report it" in asyncio.run(main())
