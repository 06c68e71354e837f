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
