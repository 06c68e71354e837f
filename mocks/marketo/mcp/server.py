"""The Marketo MCP mock assembled: the tools on a `MarketoMcpServer`, served over streamable
HTTP (the credential headers checked on every request, as Adobe's server does) or stdio (the
credentials from the environment, as Adobe's stdio bridge takes them).

    with serve_http(marketo_mcp(cloud)) as server:
        server.url  # http://127.0.0.1:PORT/mcp: send X-Marketo-Client-Id, -Secret, -Munchkin-Id
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import anyio

from vendorsim.mocks.core.routing import call_wsgi
from vendorsim.mocks.mcp_http import AsgiServer

from .. import facts
from . import asset_tools, lead_tools
from .bridge import Bridge, Failed, Refused, RestCaller, credentials_from
from .rest import MarketoMcpServer

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud

TOOLS: tuple[Callable, ...] = lead_tools.TOOLS + asset_tools.TOOLS


def build_server(call_rest: RestCaller, *, enabled: Iterable[str] | None = None,
                 env: Mapping[str, str] | None = None) -> MarketoMcpServer:
    """Every tool, reaching Marketo through `call_rest`; `enabled`: the Munchkin IDs enabled
    for MCP (None: all)."""
    server = MarketoMcpServer(Bridge(call_rest, None if enabled is None else set(enabled)),
                              env)
    for tool in TOOLS:
        server.add_tool(tool, structured_output=False)
    return server


def marketo_mcp(cloud: Cloud, *, enabled: Iterable[str] | None = None,
                env: Mapping[str, str] | None = None) -> MarketoMcpServer:
    """The mock in front of an in-process cloud: each tool's REST call goes to the cloud's
    WSGI app, through the same pipeline as every other client's."""
    return build_server(partial(call_wsgi, cloud.wsgi), enabled=enabled, env=env)


class CredentialGuard:
    """ASGI middleware: every request to the MCP endpoint carries the three credential
    headers (else 401 "Marketo credentials not provided"), names an instance enabled for
    MCP (else 403) and credentials Marketo accepts (else 401), before the SDK sees it."""

    def __init__(self, app: Any, bridge: Bridge) -> None:
        self.app = app
        self.bridge = bridge

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            try:
                creds = credentials_from(headers, {})
                await anyio.to_thread.run_sync(self.bridge.admit, creds)
            except Refused as exc:
                await _refuse(send, exc.status, exc.text)
                return
            except Failed as exc:
                await _refuse(send, 502, str(exc))
                return
        await self.app(scope, receive, send)


async def _refuse(send: Callable, status: int, text: str) -> None:
    body = json.dumps({"error": text}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def http_app(server: MarketoMcpServer, host: str = "127.0.0.1") -> CredentialGuard:
    """The streamable-HTTP app at /mcp behind the credential check. Stateless, as Adobe's
    server keeps no session state between requests; on loopback the SDK's DNS-rebinding
    protection (Host and Origin checks) is on."""
    app = server.streamable_http_app(streamable_http_path=facts.MCP_PATH, stateless_http=True,
                                     host=host)
    return CredentialGuard(app, server.bridge)


def serve_http(server: MarketoMcpServer, *, host: str = "127.0.0.1", port: int = 0
               ) -> AsgiServer:
    """Serve on a thread (not started: `with serve_http(...) as running:` or `.start()`)."""
    return AsgiServer(http_app(server, host), host=host, port=port, path=facts.MCP_PATH)
