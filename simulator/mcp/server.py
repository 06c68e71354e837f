"""The vendorsim MCP server: the session's tools and the catalogue, OpenAPI and WSDL
resources on an MCPServer (the official SDK), served over stdio or streamable HTTP.

    server = build_server(Session())      # an embedded cloud on a virtual clock
    server.run("stdio")                   # or: serve_http(server).start().url
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from vendorsim.mocks.mcp_http import AsgiServer

from .session import Session, behaviours

INSTRUCTIONS = (
    "Drive vendorsim's mock vendors (Marketo, SFMC, Bombora, Demandbase): start_cloud or "
    "connect, seed_tenant, add_fault, advance_clock, run_scenario, then journal and verdicts "
    "say what the clients did and how the vendors answered. Resources: the behaviour "
    "catalogue, each vendor's OpenAPI document, the SFMC WSDL.")


def build_server(session: Session) -> MCPServer:
    """Every tool of `session` (its public methods named in Session.TOOLS) and the
    resources, on one server."""
    from vendorsim import __version__

    server: MCPServer = MCPServer("vendorsim", version=__version__, instructions=INSTRUCTIONS,
                                  log_level="WARNING")
    for name in Session.TOOLS:
        server.add_tool(getattr(session, name), structured_output=False)
    server.resource("vendorsim://behaviours", name="behaviours", mime_type="text/markdown",
                    title="Behaviour catalogue (B-... IDs cited by tests and features)"
                    )(behaviours)
    server.resource("vendorsim://openapi/{vendor}", name="openapi",
                    mime_type="application/json",
                    title="OpenAPI document of a vendor mock (marketo, sfmc, bombora, "
                          "demandbase) or of the admin API (admin)")(session.openapi)
    server.resource("vendorsim://wsdl/sfmc", name="sfmc-wsdl", mime_type="text/xml",
                    title="SFMC SOAP API WSDL (what the mock implements)")(session.wsdl)
    return server


def serve_http(server: MCPServer, *, host: str = "127.0.0.1", port: int = 0) -> AsgiServer:
    """The server's streamable-HTTP app at /mcp (not started). On loopback the SDK checks
    Host and Origin (DNS rebinding protection)."""
    return AsgiServer(server.streamable_http_app(host=host), host=host, port=port)
