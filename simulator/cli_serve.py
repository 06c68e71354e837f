"""`vendorsim serve`: the mocks over HTTP (waitress), with persistent mode (`--state`) and
an admin API that can be closed (`--admin-token`); docs/persistence-and-admin.md.

Exit status: 0 after a clean shutdown (SIGTERM, SIGINT) whose state file holds every
acknowledged write; 1 when it does not (the message says where the state is, or what was
lost); 2 when it could not start (a bad option, an unusable or unloadable state file, a
port in use)."""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import sys
import threading
from pathlib import Path

from vendorsim.simulator.cli import _calendar_options, _env_flag, _seconds


def _fail(message: str) -> int:
    print(f"vendorsim serve: {message}", file=sys.stderr)
    return 2


def cmd_serve(args: argparse.Namespace) -> int:
    from vendorsim.mocks.cloud import Cloud
    from vendorsim.mocks.core.admin.access import check_token
    from vendorsim.mocks.server import ServerRunner, describe_urls, exposure_warning

    try:
        cloud = Cloud(args.clock, strict=args.strict, as_of=args.as_of, opt_out=args.opt_out)
        cloud.admin_token = check_token(args.admin_token)
    except ValueError as exc:  # a bad --as-of, --opt-out or --admin-token
        return _fail(str(exc))
    cloud.journal.keep_bodies = not args.no_journal_bodies
    for pair in args.default_tenant:
        vendor, _, tenant = pair.partition("=")
        if vendor not in cloud.services or not tenant:
            return _fail(f"--default-tenant takes VENDOR=TENANT, got {pair!r}")
        cloud.default_tenants[vendor] = tenant
    if args.no_limits:
        for service in cloud.services.values():
            service.configure_default_limits(enabled=False)
    saver = None
    if args.state:
        from vendorsim.mocks.persistence import StateFileError, open_state

        try:
            saver = open_state(cloud, Path(args.state), args.save_every, args.state_readonly)
        except StateFileError as exc:
            return _fail(str(exc))
    try:
        runner = ServerRunner(cloud, host=args.host, port=args.port,
                              vendor_ports=not args.no_vendor_ports, threads=args.threads).start()
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc}")
    mode = f"{'virtual' if cloud.clock.virtual else 'real'} clock, " \
           f"{'strict' if args.strict else 'lenient'} auth" + \
           (f", vendors as of {args.as_of}" if args.as_of else "") + \
           (", admin API closed (token)" if cloud.admin_token else "")
    warning = exposure_warning(args.host, int(runner.urls["cloud"].rsplit(":", 1)[1]),
                               closed=cloud.admin_token is not None)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    # What start-up leaves (modules, apps, the state loaded from --state) lives as long as the
    # process: frozen, full collections stop walking it (docs/explanation/speed.md: 100,000 leads
    # loaded, 25-47 % less collector time in a soak). Only reference cycles among these
    # objects would outlive a reset or a PUT /state, once; plain records are freed as before.
    gc.collect()
    gc.freeze()
    print(f"vendorsim serving ({mode})")
    for line in describe_urls(runner):
        print("  " + line)
    print("VENDORSIM_URLS " + json.dumps(runner.urls), flush=True)
    if saver is not None:
        saver.start()
        print(f"  state        {args.state} (persistent: saved every {args.save_every:g} s "
              "while it changes, and at shutdown)", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    runner.stop()  # answers in flight finish first
    if saver is None:
        return 0
    code, message = saver.finish()  # the last acknowledged write, in the file or said where
    if message:
        print(message, file=sys.stderr, flush=True)
    return code


def add_parser(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser(
        "serve", help="serve the mock vendors over HTTP (waitress)",
        description="Serve every mock vendor over HTTP on loopback: one host-routed port (send "
                    "the vendor's Host header, or /{vendor}/... paths) and one port per vendor "
                    "(tenant first in the path), with the admin API under /__admin/. Exit 0 "
                    "after a clean shutdown; 1 when the state file does not hold the last "
                    "acknowledged write; 2 when it cannot start.")
    serve.add_argument("--host", default=os.environ.get("VENDORSIM_HOST", "127.0.0.1"),
                       help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=int(os.environ.get("VENDORSIM_PORT", 8080)),
                       help="host-routed port; vendors take the next ones (0: free ports)")
    serve.add_argument("--no-vendor-ports", action="store_true",
                       help="serve only the host-routed port")
    serve.add_argument("--strict", action="store_true", default=_env_flag("VENDORSIM_STRICT"),
                       help="only seeded tenants and credentials get tokens")
    serve.add_argument("--clock", choices=("real", "virtual"),
                       default=os.environ.get("VENDORSIM_CLOCK", "real"),
                       help="virtual: time moves only via POST /__admin/clock/advance")
    serve.add_argument("--no-limits", action="store_true",
                       default=_env_flag("VENDORSIM_NO_LIMITS"),
                       help="switch rate, concurrency and quota limits off (speed tests)")
    serve.add_argument("--admin-token", default=os.environ.get("VENDORSIM_ADMIN_TOKEN"),
                       metavar="TOKEN",
                       help="close the admin API: every /__admin/ call (and the dashboard) "
                            "needs 'Authorization: Bearer TOKEN' (16+ characters; env "
                            "VENDORSIM_ADMIN_TOKEN)")
    serve.add_argument("--state", default=os.environ.get("VENDORSIM_STATE"), metavar="FILE",
                       help="persistent mode: load FILE at start (as GET /__admin/state"
                            "?secrets=include answers; JSON or YAML) and keep it current: "
                            "saved atomically while state changes and at shutdown (created if "
                            "missing; an unusable path is refused at start)")
    serve.add_argument("--state-readonly", action="store_true",
                       default=_env_flag("VENDORSIM_STATE_READONLY"),
                       help="only load --state FILE, never write it")
    serve.add_argument("--save-every", type=_seconds, metavar="SECONDS",
                       default=float(os.environ.get("VENDORSIM_SAVE_EVERY", "1")),
                       help="persistent mode: the longest a change waits to be saved (default "
                            "1 s; a SIGKILL loses at most this much, and never an id)")
    serve.add_argument("--threads", type=int, default=8,
                       help="worker threads a port starts with (it grows to 256 when calls "
                            "wait, so in-flight limits such as Marketo's 615 still apply)")
    _calendar_options(serve, os.environ.get("VENDORSIM_AS_OF"))
    serve.add_argument("--no-journal-bodies", action="store_true",
                       default=_env_flag("VENDORSIM_NO_JOURNAL_BODIES"),
                       help="keep no request/response bodies in the journal (load runs)")
    serve.add_argument("--default-tenant", action="append", metavar="VENDOR=TENANT",
                       default=[f"sfmc={os.environ['VENDORSIM_SFMC_TENANT']}"]
                       if os.environ.get("VENDORSIM_SFMC_TENANT") else [],
                       help="the tenant a vendor port serves for paths without a tenant "
                            "prefix (SFMC clients that join /v2/token onto their base URL); "
                            "default: the only seeded tenant")
    serve.set_defaults(func=cmd_serve)
