"""Both MCP servers under hostile arguments (hypothesis): valid examples with one argument
replaced, added or dropped, through the SDK's in-process client. Every answer is a result or
a tool error that says why; never the SDK's bare crash message ("Error executing tool X",
which it gives for an exception no tool anticipated), and the Marketo mock never answers
the MCP mock's REST calls with a 5xx or its own 611."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from tests.helpers import MUNCHKIN
from tests.mcp_helpers import text
from tests.test_marketo_mcp import CLIENT_ID, ENV, FOLDER, SECRET, STATE
from tests.test_mcp import EXTRA
from vendorsim import Cloud
from vendorsim.mocks.marketo.mcp.server import TOOLS, marketo_mcp
from vendorsim.simulator.mcp.server import build_server
from vendorsim.simulator.mcp.session import Session

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.text(max_size=8), inner, max_size=3), max_leaves=8)

pytestmark = pytest.mark.client("mcp", area="both MCP servers under hostile arguments "
                                "(hypothesis), the SDK's in-process client")


def mutated(example: dict, key: str, value: Any, drop: bool) -> dict:
    """The example with one argument dropped, or replaced (an empty key: the first one's
    value), or added."""
    args = dict(example)
    if drop and args:
        del args[next(iter(args))]
    else:
        args[next(iter(args)) if args and key == "" else key] = value
    return args


SESSION_FUZZED = [t for t in Session.TOOLS if t not in (
    "connect", "run_scenario", "verify_cassette", "check_scenario")]  # no network, no files
SESSION_EXAMPLES: dict[str, dict] = {
    "seed_tenant": {"vendor": "marketo", "tenant": MUNCHKIN, "state": {"leads": [EXTRA]}},
    "read_tenant": {"vendor": "marketo", "tenant": MUNCHKIN},
    "add_fault": {"vendor": "marketo", "status": 503, "times": 1},
    "advance_clock": {"seconds": 30}, "journal": {"limit": 5}, "journal_entry": {"seq": 1},
    "verdicts": {"rule": "retry_too_soon"}, "reset": {"vendor": "marketo"},
}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tool=st.sampled_from(SESSION_FUZZED), key=st.text(max_size=20), value=JSON,
       drop=st.booleans())
def test_vendorsim_tools_refuse_hostile_arguments(tool: str, key: str, value: Any,
                                                  drop: bool) -> None:
    args = mutated(SESSION_EXAMPLES.get(tool, {}), key, value, drop)

    async def main() -> Any:
        async with Client(build_server(Session())) as client:
            return await client.call_tool(tool, args)

    result = asyncio.run(main())
    assert text(result).strip() != f"Error executing tool {tool}", "a crash, not a refusal"


MARKETO_EXAMPLES: dict[str, dict] = {
    "get_leads_by_filter": {"filterType": "email", "filterValues": ["ana@acme.example"]},
    "get_paging_token": {"sinceDatetime": "2026-01-01T00:00:00Z"},
    "get_lead_activities": {"nextPageToken": "x", "activityTypeIds": [1]},
    "add_leads_to_list": {"listId": 1, "leadIds": [1]},
    "get_list_members": {"listId": 1}, "get_list_by_name": {"name": "L"},
    "create_list": {"name": "L", "folder": FOLDER}, "update_list": {"listId": 1},
    "trigger_campaign": {"campaignId": 2001, "leadIds": [1]},
    "get_folder_by_name": {"name": "Default"}, "get_program_by_name": {"name": "W"},
    "bulk_export_create": {"entity": "leads", "filter": {}},
    "bulk_export_status": {"entity": "leads", "exportId": "x"},
    "get_import_status": {"batchId": 1},
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tool=st.sampled_from([t.__name__ for t in TOOLS]), key=st.text(max_size=20),
       value=JSON, drop=st.booleans())
def test_marketo_mcp_tools_refuse_hostile_arguments(tool: str, key: str, value: Any,
                                                    drop: bool) -> None:
    cloud = Cloud("virtual")
    cloud.service("marketo").seed_tenant(MUNCHKIN, credentials=[
        {"client_id": CLIENT_ID, "client_secret": SECRET}], state=STATE)
    args = mutated(MARKETO_EXAMPLES.get(tool, {}), key, value, drop)

    async def main() -> Any:
        async with Client(marketo_mcp(cloud, env=ENV)) as client:
            return await client.call_tool(tool, args)

    result = asyncio.run(main())
    assert text(result).strip() != f"Error executing tool {tool}", "a crash, not a refusal"
    assert all(e.status < 500 and "611" not in e.codes for e in cloud.journal.entries())
