"""The MCP SDK's own client, as the MCP tests use it: a session over streamable HTTP (with
headers) or over stdio (a `vendorsim mcp` subprocess), and readers of tool results."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TextIO

import httpx2
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult

VENDORSIM = str(Path(sys.executable).parent / "vendorsim")
# Adobe's operations page (help/mcp-server-operations.md), every name it lists
ADOBE_LIST = """
bulk_export_create bulk_export_enqueue bulk_export_file bulk_export_status get_import_status
browse_channels browse_tag_types get_channel_by_name get_tag_type_by_name approve_email
browse_emails create_email get_email_by_id get_email_by_name get_email_content
update_email_content browse_folders create_folder delete_folder get_folder_by_id
get_folder_by_name get_folder_content update_folder add_field_set add_field_to_form
add_field_visibility_rule add_rich_text_field approve_form browse_forms clone_form create_form
delete_field_from_fieldset delete_form delete_form_field discard_form_draft get_form_by_id
get_form_by_name get_form_field_metadata get_form_fields get_forms_used_by
get_program_member_fields get_thank_you_page set_field_autofill update_field_positions
update_form update_form_field add_leads_to_list describe_lead get_activity_types
get_lead_activities get_leads_by_filter get_leads_by_smart_list get_paging_token
approve_program browse_email_batch_programs browse_nurture_programs browse_program_details
browse_program_events browse_programs browse_scheduled_programs clone_program create_program
delete_program_tag get_program_by_id get_program_by_name get_program_creation_options
get_program_smart_list get_programs_by_tag unapprove_program update_program update_program_tag
activate_smart_campaign add_flow_step browse_smart_campaigns create_smart_campaign
facet_smart_campaigns get_smart_campaign_auto_suggest get_smart_campaign_by_id
get_smart_campaign_by_name get_smart_campaign_flow_step_by_name
get_smart_campaign_flow_step_type_by_name get_smart_campaign_flow_step_types
get_smart_campaign_flow_steps get_smart_campaign_rule_by_name get_smart_campaign_rules
get_smart_campaign_scheduled_runs get_smart_campaign_used_by get_smart_list_by_campaign_id
schedule_campaign trigger_campaign update_flow_step_choice update_smart_campaign
add_smart_list_rule browse_smart_lists clone_smart_list create_smart_list
delete_all_smart_list_rules get_smart_list_auto_suggest get_smart_list_by_id
get_smart_list_by_name get_smart_list_rule_by_name get_smart_list_rules get_smart_list_used_by
remove_smart_list_rule_constraint reorder_smart_list_rules update_smart_list_filter_logic
update_smart_list_rule approve_snippet browse_snippets clone_snippet create_snippet
delete_snippet discard_snippet_draft facet_snippets get_snippet_by_id get_snippet_content
get_snippet_dynamic_content unapprove_snippet update_snippet update_snippet_content
update_snippet_dynamic_content browse_lists create_list get_list_by_id get_list_by_name
get_list_members remove_from_list update_list create_calendar_token create_token delete_token
get_calendar_tokens get_tokens_by_folder
"""
ADOBE_TOOLS = set(ADOBE_LIST.split())


@asynccontextmanager
async def http_session(url: str, headers: dict[str, str] | None = None
                       ) -> AsyncIterator[ClientSession]:
    """An initialized session with the server at `url`, every request carrying `headers`."""
    timeout = httpx2.Timeout(30.0, read=300.0)
    async with httpx2.AsyncClient(headers=headers or {}, timeout=timeout) as http, \
            streamable_http_client(url, http_client=http) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        yield session


@asynccontextmanager
async def stdio_session(args: list[str], env: dict[str, str] | None = None,
                        errlog: TextIO | None = None) -> AsyncIterator[ClientSession]:
    """An initialized session with `vendorsim ARGS` started as a subprocess (stdio)."""
    params = StdioServerParameters(command=VENDORSIM, args=args, env=env)
    async with stdio_client(params, errlog=errlog or sys.stderr) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        yield session


def text(result: CallToolResult) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


def data(result: CallToolResult) -> Any:
    """A successful tool result's JSON (the test fails with the tool's error otherwise)."""
    assert not result.is_error, text(result)
    return json.loads(text(result))


def error(result: CallToolResult) -> str:
    """A failed tool result's message (the test fails if the tool succeeded)."""
    assert result.is_error, f"expected a tool error, got {text(result)[:500]}"
    message = text(result)
    assert "Traceback" not in message, message
    return message
