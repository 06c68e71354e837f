"""The MCP side of a tool call: the server object that carries the bridge, the one helper
every tool calls (`rest`), and the argument types tools share. Tools take Marketo's own
REST parameter names (Adobe does not publish its tools' argument schemas: docs/mcp.md)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import partial
from typing import Annotated, Any, Literal, cast

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from typing_extensions import TypedDict  # pydantic reads only this one on Python 3.11

from .bridge import Bridge, Failed, Refused, credentials_from

Id = Annotated[int, Field(ge=1, le=2**31 - 1, description="a Marketo id")]
Ids = Annotated[list[Id], Field(min_length=1, description="Marketo ids")]
BatchSize = Annotated[int | None, Field(ge=1, le=300, description="records a page (max 300)")]
PageToken = Annotated[str | None, Field(max_length=2000,
                                        description="nextPageToken of the previous page")]
Offset = Annotated[int | None, Field(ge=0, description="assets to skip")]
MaxReturn = Annotated[int | None, Field(ge=1, le=200, description="assets a page (max 200)")]
Name = Annotated[str, Field(min_length=1, max_length=255)]
Text = Annotated[str | None, Field(max_length=2000)]
Names = Annotated[list[str] | None, Field(max_length=1000, description="field API names")]


class FolderRef(TypedDict):
    """An asset-API folder parameter, e.g. {"id": 12, "type": "Folder"}."""

    id: int
    type: Literal["Folder", "Program"]


class Token(TypedDict):
    """A program token for a campaign run, e.g. {"name": "{{my.city}}", "value": "Paris"}."""

    name: str
    value: str


class MarketoMcpServer(MCPServer):
    """Adobe's Marketo Engage MCP server, mocked: its tools reach Marketo through `bridge`;
    `env` holds the stdio bridge's credentials (a stdio request carries no headers)."""

    def __init__(self, bridge: Bridge, env: Mapping[str, str] | None = None) -> None:
        super().__init__("Marketo Engage MCP (vendorsim mock)", log_level="WARNING",
                         instructions="Marketo Engage operations; every tool makes one "
                                      "Marketo REST call with your credentials, under your "
                                      "instance's API limits.")
        self.bridge = bridge
        self.env = os.environ if env is None else env


def query(**params: object) -> dict[str, str]:
    """Query parameters as Marketo reads them: lists comma-separated, objects as JSON,
    booleans lower-case, absent ones left out."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            out[key] = ",".join(str(v) for v in value)
        elif isinstance(value, dict):
            out[key] = json.dumps(value)
        else:
            out[key] = str(value)
    return out


async def rest(ctx: Context, method: str, path: str, *, params: Mapping[str, str] | None = None,
               json_body: Any = None, form: Mapping[str, str] | None = None) -> Any:
    """The tool's one REST call, made with the caller's credentials on a worker thread (so
    calls of several callers are in flight together, as Marketo's 10-at-once limit sees
    them); Adobe's error texts as the tool's error."""
    server = cast(MarketoMcpServer, ctx.mcp_server)
    try:
        creds = credentials_from(ctx.headers, server.env)
        return await anyio.to_thread.run_sync(partial(
            server.bridge.call, creds, method, path, query=params, json_body=json_body,
            form=form))
    except Refused as exc:
        raise ToolError(exc.text) from None
    except Failed as exc:
        raise ToolError(str(exc)) from None
