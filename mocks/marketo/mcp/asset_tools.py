"""Adobe's Marketo MCP tools on assets and bulk jobs: folders, programs, smart lists, bulk
export and import status. Each makes one Marketo REST call (its docstring's last line)."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from .rest import FolderRef, Id, MaxReturn, Name, Offset, query, rest

Export = Literal["leads", "activities", "program_members"]
EXPORTS = {"leads": "/bulk/v1/leads/export", "activities": "/bulk/v1/activities/export",
           "program_members": "/bulk/v1/program/members/export"}
IMPORTS = {"leads": ("/bulk/v1/leads/batch/", ".json"),
           "program_members": ("/bulk/v1/program/members/import/", "/status.json")}
ExportId = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,64}$",  # a UUID: one path segment
                                description="the job's exportId")]
Stamp = Annotated[str | None, Field(max_length=64, description="ISO-8601")]


# -- folders, programs, smart lists --------------------------------------------------------
async def browse_folders(ctx: Context, root: FolderRef | None = None,
                         maxDepth: Annotated[int | None, Field(ge=1, le=50)] = None,
                         maxReturn: MaxReturn = None, offset: Offset = None,
                         workSpace: Annotated[str | None, Field(max_length=255)] = None
                         ) -> dict:
    """Folders (and programs, as folders of type Program).
    GET /rest/asset/v1/folders.json"""
    return await rest(ctx, "GET", "/rest/asset/v1/folders.json", params=query(
        root=root, maxDepth=maxDepth, maxReturn=maxReturn, offset=offset, workSpace=workSpace))


async def get_folder_by_id(ctx: Context, folderId: Id,
                           type: Literal["Folder", "Program"] = "Folder") -> dict:
    """One folder.
    GET /rest/asset/v1/folder/{folderId}.json"""
    return await rest(ctx, "GET", f"/rest/asset/v1/folder/{folderId}.json",
                      params=query(type=type))


async def get_folder_by_name(ctx: Context, name: Name,
                             workSpace: Annotated[str | None, Field(max_length=255)] = None
                             ) -> dict:
    """Folders with this name.
    GET /rest/asset/v1/folder/byName.json"""
    return await rest(ctx, "GET", "/rest/asset/v1/folder/byName.json",
                      params=query(name=name, workSpace=workSpace))


async def browse_programs(
        ctx: Context, maxReturn: MaxReturn = None, offset: Offset = None,
        filterType: Literal["id", "programId", "folderId", "workspace"] | None = None,
        filterValues: list[str] | None = None, earliestUpdatedAt: Stamp = None,
        latestUpdatedAt: Stamp = None) -> dict:
    """Programs, optionally filtered and by update date.
    GET /rest/asset/v1/programs.json"""
    return await rest(ctx, "GET", "/rest/asset/v1/programs.json", params=query(
        maxReturn=maxReturn, offset=offset, filterType=filterType, filterValues=filterValues,
        earliestUpdatedAt=earliestUpdatedAt, latestUpdatedAt=latestUpdatedAt))


async def get_program_by_id(ctx: Context, programId: Id) -> dict:
    """One program.
    GET /rest/asset/v1/program/{programId}.json"""
    return await rest(ctx, "GET", f"/rest/asset/v1/program/{programId}.json")


async def get_program_by_name(ctx: Context, name: Name) -> dict:
    """One program by its name.
    GET /rest/asset/v1/program/byName.json"""
    return await rest(ctx, "GET", "/rest/asset/v1/program/byName.json",
                      params=query(name=name))


async def browse_smart_lists(ctx: Context, folder: FolderRef | None = None,
                             offset: Offset = None, maxReturn: MaxReturn = None,
                             earliestUpdatedAt: Stamp = None, latestUpdatedAt: Stamp = None
                             ) -> dict:
    """Smart lists, all or those in one folder.
    GET /rest/asset/v1/smartLists.json"""
    return await rest(ctx, "GET", "/rest/asset/v1/smartLists.json", params=query(
        folder=folder, offset=offset, maxReturn=maxReturn,
        earliestUpdatedAt=earliestUpdatedAt, latestUpdatedAt=latestUpdatedAt))


# -- bulk ------------------------------------------------------------------------------------
async def bulk_export_create(
        ctx: Context, entity: Export,
        filter: Annotated[dict, Field(description="e.g. {\"createdAt\": {\"startAt\": ..., "
                                                  "\"endAt\": ...}} (31 days at most)")],
        fields: Annotated[list[str] | None, Field(description="columns; activities: the "
                                                              "default columns if absent")
                          ] = None,
        format: Literal["CSV", "TSV", "SSV"] = "CSV",
        columnHeaderNames: dict[str, str] | None = None) -> dict:
    """Create a bulk export job (status Created; enqueue it next).
    POST /bulk/v1/{entity}/export/create.json"""
    body: dict = {"format": format, "filter": filter}
    if fields is not None:
        body["fields"] = fields
    if columnHeaderNames is not None:
        body["columnHeaderNames"] = columnHeaderNames
    return await rest(ctx, "POST", f"{EXPORTS[entity]}/create.json", json_body=body)


async def bulk_export_enqueue(ctx: Context, entity: Export, exportId: ExportId) -> dict:
    """Queue a created export job (at most 2 process at once, 10 wait).
    POST /bulk/v1/{entity}/export/{exportId}/enqueue.json"""
    return await rest(ctx, "POST", f"{EXPORTS[entity]}/{exportId}/enqueue.json")


async def bulk_export_status(ctx: Context, entity: Export, exportId: ExportId) -> dict:
    """An export job's status (it changes at most once a minute).
    GET /bulk/v1/{entity}/export/{exportId}/status.json"""
    return await rest(ctx, "GET", f"{EXPORTS[entity]}/{exportId}/status.json")


async def bulk_export_file(ctx: Context, entity: Export, exportId: ExportId) -> str:
    """A completed export job's file, as text.
    GET /bulk/v1/{entity}/export/{exportId}/file.json"""
    return str(await rest(ctx, "GET",
                          f"{EXPORTS[entity]}/{exportId}/file.json"))


async def get_import_status(ctx: Context, batchId: Id,
                            entity: Literal["leads", "program_members"] = "leads") -> dict:
    """A bulk import batch's status and counts.
    GET /bulk/v1/leads/batch/{batchId}.json"""
    stem, suffix = IMPORTS[entity]
    return await rest(ctx, "GET", f"{stem}{batchId}{suffix}")


TOOLS = (browse_folders, get_folder_by_id, get_folder_by_name, browse_programs,
         get_program_by_id, get_program_by_name, browse_smart_lists, bulk_export_create,
         bulk_export_enqueue, bulk_export_status, bulk_export_file, get_import_status)
