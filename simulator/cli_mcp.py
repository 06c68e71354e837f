"""`vendorsim mcp`: an MCP server that drives the mocks (docs/mcp.md), or with `--marketo` a
mock of Adobe's Marketo Engage MCP server. Both need the `mcp` extra; without it the
command says how to install it and exits 2."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Any

INSTALL = ("vendorsim mcp: the MCP SDK is not installed (or older than 2.3): "
           "pip install 'vendorsim[mcp]'")
PORTS = {"vendorsim": 8765, "marketo": 8766}  # default HTTP ports (0: a free one)


def add_parser(sub: argparse._SubParsersAction) -> None:
    mcp = sub.add_parser(
        "mcp", help="an MCP server driving the mocks, or a mock of Adobe's Marketo MCP server",
        description="Serve an MCP server (stdio or streamable HTTP at /mcp) whose tools drive "
                    "the mocks: start or connect to a cloud, seed and read tenants, inject "
                    "faults, move the clock, read the journal and verdicts, check and run "
                    "scenarios, verify cassettes; resources: the behaviour catalogue, OpenAPI "
                    "documents, the SFMC WSDL. With --marketo, a mock of Adobe's Marketo "
                    "Engage MCP server instead: its tools make one Marketo REST call each, "
                    "with the caller's credentials, under the instance's limits.")
    mcp.add_argument("--transport", choices=("stdio", "http"), default="stdio",
                     help="stdio (an MCP client starts this command) or streamable HTTP")
    mcp.add_argument("--host", default="127.0.0.1",
                     help="HTTP: the address to bind (default 127.0.0.1)")
    mcp.add_argument("--port", type=int, default=None,
                     help="HTTP: the port (default 8765, with --marketo 8766; 0: a free one)")
    mcp.add_argument("--target", metavar="URL",
                     help="a running vendorsim's host-routed URL (vendorsim serve, a "
                          "container): driven instead of an embedded cloud (with --marketo: "
                          "where the tools' REST calls go)")
    mcp.add_argument("--clock", choices=("virtual", "real"), default=None,
                     help="the embedded cloud's clock (default virtual; with --marketo real)")
    mcp.add_argument("--strict", action="store_true",
                     help="the embedded cloud gives tokens only to seeded tenants and "
                          "credentials")
    mcp.add_argument("--marketo", action="store_true",
                     help="serve the mock of Adobe's Marketo Engage MCP server instead")
    mcp.add_argument("--enable", action="append", default=[], metavar="MUNCHKIN_ID",
                     help="--marketo: an instance enabled for MCP (repeat; default: every "
                          "instance); others get 403")
    mcp.add_argument("--rest-port", type=int, default=0, metavar="PORT",
                     help="--marketo without --target: where the embedded cloud's REST and "
                          "admin API are served too, so REST clients share its instances "
                          "(default 0: a free port)")
    mcp.set_defaults(func=cmd_mcp)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)  # stdout is the stdio transport's


def _wait() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def _serve(server: Any, serve_http: Any, args: argparse.Namespace, what: str) -> int:
    """Run `server` on the chosen transport until the client or a signal ends it."""
    from vendorsim.mocks.server import exposure_warning

    if args.transport == "stdio":
        _say(f"vendorsim mcp: {what} on stdio")
        server.run("stdio")
        return 0
    port = PORTS["marketo" if args.marketo else "vendorsim"] if args.port is None else args.port
    try:
        running = serve_http(server, host=args.host, port=port).start()
    except (OSError, RuntimeError) as exc:
        _say(f"vendorsim mcp: cannot serve on {args.host}:{port}: {exc}")
        return 2
    warning = exposure_warning(args.host, running.port)
    if warning:
        _say(warning)
    print(f"vendorsim mcp: {what} at {running.url} (streamable HTTP)", flush=True)
    _wait()
    running.stop()
    return 0


def _unused(args: argparse.Namespace) -> str | None:
    """An option that would do nothing with the others given (said, not ignored)."""
    if not args.marketo and (args.enable or args.rest_port):
        return "--enable and --rest-port go with --marketo"
    if args.target and (args.clock or args.strict or args.rest_port):
        return "--clock, --strict and --rest-port set up an embedded cloud: not with --target"
    if args.transport == "stdio" and (args.port is not None or args.host != "127.0.0.1"):
        return "--host and --port go with --transport http"
    return None


def cmd_mcp(args: argparse.Namespace) -> int:
    unused = _unused(args)
    if unused:
        _say(f"vendorsim mcp: {unused}")
        return 2
    try:
        import mcp.server.mcpserver  # noqa: F401 - the SDK this command needs
    except ImportError:
        _say(INSTALL)
        return 2
    return _marketo(args) if args.marketo else _vendorsim(args)


def _vendorsim(args: argparse.Namespace) -> int:
    from vendorsim.mocks.cloud import Cloud
    from vendorsim.simulator.mcp.server import build_server, serve_http
    from vendorsim.simulator.mcp.session import Session
    from vendorsim.simulator.mcp.target import EmbeddedTarget, RemoteTarget, Target, TargetError

    target: Target
    if args.target:
        try:
            target = RemoteTarget(args.target)
        except TargetError as exc:
            _say(f"vendorsim mcp: --target: {exc}")
            return 2
        what = f"driving {target.url}"
    else:
        target = EmbeddedTarget(Cloud(args.clock or "virtual", strict=args.strict))
        what = f"driving an embedded cloud ({args.clock or 'virtual'} clock)"
    return _serve(build_server(Session(target)), serve_http, args, what)


def _marketo(args: argparse.Namespace) -> int:
    from functools import partial

    from vendorsim.mocks.cloud import Cloud
    from vendorsim.mocks.core.routing import call_wsgi
    from vendorsim.mocks.marketo.mcp.bridge import HttpCaller, RestCaller
    from vendorsim.mocks.marketo.mcp.server import build_server, serve_http
    from vendorsim.mocks.server import ServerRunner, describe_urls
    from vendorsim.simulator.engine.remote import RemoteVendors
    from vendorsim.simulator.engine.vendors import TargetError

    caller: RestCaller
    runner = None
    if args.target:
        try:
            RemoteVendors.discover(args.target)  # a vendorsim answers there
        except TargetError as exc:
            _say(f"vendorsim mcp: --target: {exc}")
            return 2
        caller, what = HttpCaller(args.target), f"Marketo MCP mock in front of {args.target}"
    else:
        cloud = Cloud(args.clock or "real", strict=args.strict)
        try:
            runner = ServerRunner(cloud, host=args.host, port=args.rest_port).start()
        except OSError as exc:
            _say(f"vendorsim mcp: cannot serve REST on {args.host}:{args.rest_port}: {exc}")
            return 2
        for line in describe_urls(runner):
            _say("  REST " + line)
        caller, what = partial(call_wsgi, cloud.wsgi), "Marketo MCP mock (embedded cloud)"
    server = build_server(caller, enabled=args.enable or None, env=os.environ)
    try:
        return _serve(server, serve_http, args, what)
    finally:
        if runner is not None:
            runner.stop()
