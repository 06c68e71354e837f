"""vendorsim: mock Marketo, SFMC, Bombora and Demandbase, and replay CDP scenarios against them.

Commands: serve (the mocks over HTTP), docker (the mocks as a container), run and check
(scenario files), generate (synthetic B2B data), demo (a walk through the Marketo mock).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path


def _seconds(text: str) -> float:
    """An argparse type: a positive number of seconds (at most a day)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError("give seconds between 0 and 86400")
    return value


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "on")


def _calendar_options(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("--as-of", default=default, metavar="DATE",
                        help="judge the vendors' dated changes (README \"Vendor calendar\") as "
                             "of DATE, e.g. 2027-01-01, instead of the clock")
    parser.add_argument("--opt-out", action="append", default=[], metavar="RULE",
                        help="leave one dated change out, e.g. marketo.query_token (repeat)")


def _check_calendar(as_of: str | None, opt_out: list[str]) -> None:
    """A bad date or an unknown rule name, before anything runs (ValueError)."""
    from vendorsim.mocks.cloud import _vendor_classes
    from vendorsim.mocks.core.calendar import CalendarPin

    known = [c.name for cls in _vendor_classes().values() for c in cls.changes]
    CalendarPin.parse(as_of, opt_out, known)


def cmd_serve(args: argparse.Namespace) -> int:
    from vendorsim.mocks.cloud import Cloud
    from vendorsim.mocks.server import ServerRunner, describe_urls, exposure_warning

    try:
        cloud = Cloud(args.clock, strict=args.strict, as_of=args.as_of, opt_out=args.opt_out)
    except ValueError as exc:  # a bad --as-of or --opt-out
        print(f"vendorsim serve: {exc}", file=sys.stderr)
        return 2
    cloud.journal.keep_bodies = not args.no_journal_bodies
    for pair in args.default_tenant:
        vendor, _, tenant = pair.partition("=")
        if vendor not in cloud.services or not tenant:
            print(f"vendorsim serve: --default-tenant takes VENDOR=TENANT, got {pair!r}",
                  file=sys.stderr)
            return 2
        cloud.default_tenants[vendor] = tenant
    if args.no_limits:
        for service in cloud.services.values():
            service.configure_default_limits(enabled=False)
    saver = None
    if args.state:
        from vendorsim.mocks.persistence import Saver, StateFileError, load_into, read_state

        path = Path(args.state)
        try:
            if path.exists() or args.state_readonly:
                load_into(cloud, read_state(path))
        except StateFileError as exc:
            print(f"vendorsim serve: cannot load {args.state}: {exc}", file=sys.stderr)
            return 2
        if not args.state_readonly:
            saver = Saver(cloud, path, args.save_every)
    try:
        runner = ServerRunner(cloud, host=args.host, port=args.port,
                              vendor_ports=not args.no_vendor_ports, threads=args.threads).start()
    except OSError as exc:
        print(f"vendorsim serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    mode = f"{'virtual' if cloud.clock.virtual else 'real'} clock, " \
           f"{'strict' if args.strict else 'lenient'} auth" + \
           (f", vendors as of {args.as_of}" if args.as_of else "")
    warning = exposure_warning(args.host, int(runner.urls["cloud"].rsplit(":", 1)[1]))
    if warning:
        print(warning, file=sys.stderr, flush=True)
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
    runner.stop()
    if saver is not None:
        saver.stop()  # the last acknowledged write is in the file before the process ends
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from vendorsim.simulator.generate import GeneratorConfig
    from vendorsim.simulator.generate.writers import write

    console = Console(stderr=True)
    try:
        config = GeneratorConfig(
            count=args.count, accounts=args.accounts, seed=args.seed, locale=args.locale,
            events_per_person=args.events_per_person, duplicate_share=args.duplicate_share,
            invalid_share=args.invalid_share, as_of=args.as_of,
            partitions=tuple(p.strip() for p in args.partitions.split(",") if p.strip()))
    except ValueError as exc:
        console.print(f"vendorsim generate: {exc}")
        return 2
    out = Path(args.out)
    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        task = progress.add_task("profiles", total=config.count)
        try:
            counts = write(config, args.format, out, workers=args.workers,
                           on_people=lambda n: progress.advance(task, n), force=args.force)
        except (OSError, ValueError) as exc:
            console.print(f"vendorsim generate: {exc}")
            return 2
    for name, count in counts.items():
        console.print(f"{out / name}: {count:,} records")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from vendorsim.simulator.demo import run_demo

    return run_demo()


def build_parser() -> argparse.ArgumentParser:
    from vendorsim import __version__

    parser = argparse.ArgumentParser(prog="vendorsim", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"vendorsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve", help="serve the mock vendors over HTTP (waitress)",
        description="Serve every mock vendor over HTTP on loopback: one host-routed port (send "
                    "the vendor's Host header, or /{vendor}/... paths) and one port per vendor "
                    "(tenant first in the path), with the admin API under /__admin/.")
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
    serve.add_argument("--state", default=os.environ.get("VENDORSIM_STATE"), metavar="FILE",
                       help="persistent mode: load FILE at start (as GET /__admin/state "
                            "answers; JSON or YAML) and keep it current: saved atomically "
                            "while state changes and at shutdown (created if missing)")
    serve.add_argument("--state-readonly", action="store_true",
                       default=_env_flag("VENDORSIM_STATE_READONLY"),
                       help="only load --state FILE, never write it")
    serve.add_argument("--save-every", type=_seconds, metavar="SECONDS",
                       default=float(os.environ.get("VENDORSIM_SAVE_EVERY", "1")),
                       help="persistent mode: the longest a change waits to be saved (default "
                            "1 s; a SIGKILL loses at most this much)")
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

    gen = sub.add_parser(
        "generate", help="synthetic B2B accounts, people, opportunities, events",
        description="Write synthetic B2B data (Faker, seeded: the same seed gives the same "
                    "bytes) as CDP entities, SFMC rows or Marketo seed leads.")
    gen.add_argument("--count", type=int, default=1000, help="people (profiles) to generate")
    gen.add_argument("--accounts", type=int, help="accounts (default: one per 20 people)")
    gen.add_argument("--seed", type=int, default=0, help="same seed, same bytes")
    gen.add_argument("--locale", default="en_US", help="Faker locale of names and places")
    gen.add_argument("--format", default="jsonl",
                     choices=("jsonl", "csv", "sfmc", "marketo", "bundle"),
                     help="CDP entities (jsonl/csv), SFMC rows, Marketo seed leads, or all")
    gen.add_argument("--out", default="out/generated",
                     help="output folder (written whole, or not at all)")
    gen.add_argument("--force", action="store_true",
                     help="replace an output folder that already holds files")
    gen.add_argument("--events-per-person", type=float, default=0.0,
                     help="mean web/email/form events per person")
    gen.add_argument("--duplicate-share", type=float, default=0.0,
                     help="share of people also present as a lead in another partition")
    gen.add_argument("--invalid-share", type=float, default=0.0,
                     help="share of people with a record vendors refuse (marked 'invalid')")
    gen.add_argument("--partitions", default="Default",
                     help="comma-separated Marketo partitions, e.g. Default,EMEA")
    gen.add_argument("--as-of", default="2026-01-01T00:00:00Z",
                     help="the generated history ends here")
    gen.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                     help="processes rendering chunks (output is the same for any number)")
    gen.set_defaults(func=cmd_generate)

    from vendorsim.simulator import cli_docker, cli_drift, cli_mcp, cli_scenario

    for add in (cli_docker.add_parser, cli_drift.add_parsers, cli_mcp.add_parser):
        add(sub)

    cli_scenario.add_parsers(sub)

    demo = sub.add_parser(
        "demo", help="walk through the Marketo mock in-process",
        description="A CDP-like sync against the embedded Marketo mock on a virtual clock: "
                    "token, upserts, a static list, a burst into the rate limit, the journal.")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `vendorsim ... | head` closed our output: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("vendorsim: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: one line, the traceback on request
        if getattr(args, "debug", False):
            raise
        print(f"vendorsim {args.command}: internal error: {type(exc).__name__}: {exc} "
              "(rerun with --debug for the traceback, and please report it)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
