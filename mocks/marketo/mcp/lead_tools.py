"""Adobe's Marketo MCP tools on the lead database: leads, activities, static lists and
smart campaigns. Each makes one Marketo REST call (the path in its docstring's last line)."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from .rest import (
    BatchSize,
    FolderRef,
    Id,
    Ids,
    MaxReturn,
    Name,
    Names,
    Offset,
    PageToken,
    Text,
    Token,
    query,
    rest,
)


# -- leads and activities ------------------------------------------------------------------
async def get_leads_by_filter(
        ctx: Context,
        filterType: Annotated[str, Field(min_length=1, max_length=255,
                                         description="a searchable field, e.g. email or id")],
        filterValues: Annotated[list[str], Field(min_length=1, description="values to match")],
        fields: Names = None, batchSize: BatchSize = None,
        nextPageToken: PageToken = None) -> dict:
    """Leads whose filterType field holds one of filterValues.
    GET /rest/v1/leads.json"""
    return await rest(ctx, "GET", "/rest/v1/leads.json", params=query(
        filterType=filterType, filterValues=filterValues, fields=fields, batchSize=batchSize,
        nextPageToken=nextPageToken))


async def describe_lead(ctx: Context) -> dict:
    """Every lead field: its REST name, type and whether it is read-only.
    GET /rest/v1/leads/describe.json"""
    return await rest(ctx, "GET", "/rest/v1/leads/describe.json")


async def get_activity_types(ctx: Context) -> dict:
    """The instance's activity types (standard and custom).
    GET /rest/v1/activities/types.json"""
    return await rest(ctx, "GET", "/rest/v1/activities/types.json")


async def get_paging_token(
        ctx: Context,
        sinceDatetime: Annotated[str, Field(min_length=1, max_length=64,
                                            description="ISO-8601, e.g. 2026-01-01T00:00:00Z")]
) -> dict:
    """A paging token for activities and lead changes since a date.
    GET /rest/v1/activities/pagingtoken.json"""
    return await rest(ctx, "GET", "/rest/v1/activities/pagingtoken.json",
                      params=query(sinceDatetime=sinceDatetime))


async def get_lead_activities(
        ctx: Context,
        nextPageToken: Annotated[str, Field(min_length=1, max_length=2000,
                                            description="from get_paging_token")],
        activityTypeIds: Annotated[list[int], Field(min_length=1,
                                                    description="up to 10 type ids")],
        leadIds: Annotated[list[int] | None, Field(description="up to 30 lead ids")] = None,
        listId: Annotated[int | None, Field(ge=1)] = None,
        assetIds: list[int] | None = None, batchSize: BatchSize = None) -> dict:
    """Activities of the given types from a paging token on.
    GET /rest/v1/activities.json"""
    return await rest(ctx, "GET", "/rest/v1/activities.json", params=query(
        nextPageToken=nextPageToken, activityTypeIds=activityTypeIds, leadIds=leadIds,
        listId=listId, assetIds=assetIds, batchSize=batchSize))


# -- static lists --------------------------------------------------------------------------
async def add_leads_to_list(ctx: Context, listId: Id, leadIds: Ids) -> dict:
    """Add leads to a static list (up to 300 a call).
    POST /rest/v1/lists/{listId}/leads.json"""
    return await rest(ctx, "POST", f"/rest/v1/lists/{listId}/leads.json",
                      json_body={"input": [{"id": i} for i in leadIds]})


async def remove_from_list(ctx: Context, listId: Id, leadIds: Ids) -> dict:
    """Remove leads from a static list (up to 300 a call).
    DELETE /rest/v1/lists/{listId}/leads.json"""
    return await rest(ctx, "DELETE", f"/rest/v1/lists/{listId}/leads.json",
                      json_body={"input": [{"id": i} for i in leadIds]})


async def get_list_members(ctx: Context, listId: Id, fields: Names = None,
                           batchSize: BatchSize = None, nextPageToken: PageToken = None
                           ) -> dict:
    """The leads of a static list, a page at a time.
    GET /rest/v1/lists/{listId}/leads.json"""
    return await rest(ctx, "GET", f"/rest/v1/lists/{listId}/leads.json", params=query(
        fields=fields, batchSize=batchSize, nextPageToken=nextPageToken))


async def browse_lists(ctx: Context, folder: FolderRef | None = None, offset: Offset = None,
                       maxReturn: MaxReturn = None) -> dict:
    """Static lists (asset API), all or those in one folder.
    GET /rest/asset/v1/staticLists.json"""
    return await rest(ctx, "GET", "/rest/asset/v1/staticLists.json", params=query(
        folder=folder, offset=offset, maxReturn=maxReturn))


async def get_list_by_id(ctx: Context, listId: Id) -> dict:
    """One static list (asset API).
    GET /rest/asset/v1/staticList/{listId}.json"""
    return await rest(ctx, "GET", f"/rest/asset/v1/staticList/{listId}.json")


async def get_list_by_name(ctx: Context, name: Name) -> dict:
    """One static list by its name (asset API).
    GET /rest/asset/v1/staticList/byName.json"""
    return await rest(ctx, "GET", "/rest/asset/v1/staticList/byName.json",
                      params=query(name=name))


async def create_list(ctx: Context, name: Name, folder: FolderRef,
                      description: Text = None) -> dict:
    """Create a static list in a folder (709 when the name is taken).
    POST /rest/asset/v1/staticLists.json"""
    return await rest(ctx, "POST", "/rest/asset/v1/staticLists.json", form=query(
        name=name, folder=folder, description=description))


async def update_list(ctx: Context, listId: Id, name: Annotated[str | None, Field(
        min_length=1, max_length=255)] = None, description: Text = None) -> dict:
    """Rename a static list or change its description.
    POST /rest/asset/v1/staticList/{listId}.json"""
    return await rest(ctx, "POST", f"/rest/asset/v1/staticList/{listId}.json", form=query(
        name=name, description=description))


# -- smart campaigns -----------------------------------------------------------------------
async def trigger_campaign(ctx: Context, campaignId: Id, leadIds: Ids,
                           tokens: list[Token] | None = None) -> dict:
    """Run a requestable (trigger) campaign for up to 100 leads.
    POST /rest/v1/campaigns/{campaignId}/trigger.json"""
    spec: dict = {"leads": [{"id": i} for i in leadIds]}
    if tokens:
        spec["tokens"] = tokens
    return await rest(ctx, "POST", f"/rest/v1/campaigns/{campaignId}/trigger.json",
                      json_body={"input": spec})


async def schedule_campaign(
        ctx: Context, campaignId: Id,
        runAt: Annotated[str | None, Field(max_length=64, description="ISO-8601; now if "
                                                                       "absent")] = None,
        tokens: list[Token] | None = None) -> dict:
    """Schedule a batch campaign to run now or at runAt.
    POST /rest/v1/campaigns/{campaignId}/schedule.json"""
    spec: dict = {}
    if runAt is not None:
        spec["runAt"] = runAt
    if tokens:
        spec["tokens"] = tokens
    return await rest(ctx, "POST", f"/rest/v1/campaigns/{campaignId}/schedule.json",
                      json_body={"input": spec})


TOOLS = (get_leads_by_filter, describe_lead, get_activity_types, get_paging_token,
         get_lead_activities, add_leads_to_list, remove_from_list, get_list_members,
         browse_lists, get_list_by_id, get_list_by_name, create_list, update_list,
         trigger_campaign, schedule_campaign)
