"""vendorsim: mock Marketo, SFMC, Bombora and Demandbase, and replay CDP scenarios against them.

Commands: serve (the mocks over HTTP), docker (the mocks as a container), run and check
(scenario files), generate (synthetic B2B data), demo (a walk through the Marketo mock).
"""

from __future__ import annotations

import argparse
import os
import sys
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
                        help="judge the vendors' dated changes (docs/how-to/calendar.md) as "
                             "of DATE, e.g. 2027-01-01, instead of the clock")
    parser.add_argument("--opt-out", action="append", default=[], metavar="RULE",
                        help="leave one dated change out, e.g. marketo.query_token (repeat)")


def _check_calendar(as_of: str | None, opt_out: list[str]) -> None:
    """A bad date or an unknown rule name, before anything runs (ValueError)."""
    from vendorsim.mocks.cloud import _vendor_classes
    from vendorsim.mocks.core.calendar import CalendarPin

    known = [c.name for cls in _vendor_classes().values() for c in cls.changes]
    CalendarPin.parse(as_of, opt_out, known)


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
            sends_per_person=args.sends_per_person,
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

    from vendorsim.simulator import cli_docker, cli_drift, cli_mcp, cli_scenario, cli_serve

    cli_serve.add_parser(sub)

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
    gen.add_argument("--sends-per-person", type=float, default=0.0,
                     help="mean newsletters (of 12 in the last 30 days) each person received, "
                          "with their opens, clicks, bounces and unsubscribes")
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
