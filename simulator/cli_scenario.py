"""`vendorsim run` and `vendorsim check`: scenario files, checked and replayed.

Nothing is silent here: `check` refuses what `run` could not do (within the memory budget
too), and a replay against a target whose clock is real, which waits in real time, says so
before it starts (and refuses a long one unless `--real-time-ok`), then shows how far it is:
a bar on a terminal, plain lines in a log.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from vendorsim.simulator.cli import _calendar_options, _check_calendar, _seconds

if TYPE_CHECKING:
    from vendorsim.simulator.scenario.budget import Budget
    from vendorsim.simulator.scenario.model import Scenario

REAL_TIME_FREE = 60.0  # seconds of real-time waiting a replay may take without --real-time-ok
PLAIN_EVERY = 60.0  # seconds between progress lines in a log, during one long real wait


def add_parsers(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser(
        "run", help="replay a scenario against the in-process mocks (or a running vendorsim "
                    "with --target)",
        description="Replay a scenario file on a virtual clock: the CDP's dataflows and "
                    "sources against the mocks; prints what each vendor holds and PASS/FAIL "
                    "per expectation. Exit 0: all passed; 1: an expectation failed; 2: the "
                    "scenario or the target is unusable.")
    run.add_argument("scenario", help="scenario YAML file")
    run.add_argument("--target", metavar="URL",
                     help="a running vendorsim's host-routed URL (vendorsim serve, a container),"
                          " e.g. http://127.0.0.1:8080; its virtual clock is driven, a real "
                          "one waited on (see --real-time-ok)")
    run.add_argument("--real-time-ok", action="store_true",
                     help="against a --target whose clock is real, wait out a timeline longer "
                          f"than {REAL_TIME_FREE:g} s in real time (default: refuse, and say "
                          "how to start the target with a virtual clock)")
    run.add_argument("--json", help="also write the report as JSON to this file")
    run.add_argument("--html", help="also write the report as an HTML page with a timeline")
    run.add_argument("--junit", metavar="FILE",
                     help="also write JUnit XML: one testcase per expectation and per "
                          "unexpected refusal (and per warning with --strict)")
    run.add_argument("--strict", action="store_true",
                     help="warnings (e.g. an audience that matched no profile) fail the run")
    run.add_argument("--judge-injected", action="store_true",
                     help="client verdicts also judge the answers the scenario's faults "
                          "injected, by the waits each vendor documents (default: only the "
                          "vendors' own answers are evidence)")
    run.add_argument("--timeout", type=_seconds, default=None, metavar="SECONDS",
                     help="how long a vendor call may take before it counts as unanswered "
                          "and the dataflow's delivery policy retries it (default 60; "
                          "virtual seconds against the embedded mocks)")
    run.add_argument("--debug", action="store_true",
                     help="show the Python traceback of an internal error")
    _calendar_options(run, None)
    _memory_budget(run)
    run.set_defaults(func=cmd_run)

    check = sub.add_parser(
        "check", help="validate scenario files (file:line errors)",
        description="Validate scenario files without running them: every problem as "
                    "file:line: message; how to fix. Exit 2 when any file has a problem, 1 "
                    "when --strict and a file has a warning.")
    check.add_argument("files", nargs="*", help="scenario YAML files")
    check.add_argument("--schema", action="store_true",
                       help="print the scenario files' JSON Schema instead")
    check.add_argument("--strict", action="store_true",
                       help="warnings (e.g. an audience that matches no profile of the data) "
                            "fail the check (exit 1)")
    check.add_argument("--debug", action="store_true",
                       help="show the Python traceback of an internal error")
    _memory_budget(check)
    check.set_defaults(func=cmd_check)


def _memory_budget(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--memory-budget", metavar="SIZE",
                        help="the most memory the replay's data may take, e.g. 4GB (default: "
                             "VENDORSIM_MEMORY_BUDGET, else half of this machine's memory); "
                             "a scenario needing more is refused before anything is generated")


def _budget(args: argparse.Namespace) -> Budget:
    """The memory budget asked for (ValueError naming the setting when it is no size)."""
    from vendorsim.simulator.scenario.budget import Budget, parse_size

    if args.memory_budget:
        try:
            return Budget(parse_size(args.memory_budget), "--memory-budget")
        except ValueError as exc:
            raise ValueError(f"--memory-budget: {exc}") from None
    try:
        return Budget.default()
    except ValueError as exc:
        raise ValueError(f"VENDORSIM_MEMORY_BUDGET: {exc}") from None


def cmd_check(args: argparse.Namespace) -> int:
    """Validate scenario files: `file:line: message` per problem, exit 2 when any."""
    from vendorsim.simulator.scenario.loader import ScenarioError, load_scenario, schema, shown

    if args.schema:
        print(json.dumps(schema(), indent=2, sort_keys=True))
        return 0
    try:
        budget = _budget(args)
    except ValueError as exc:
        print(f"vendorsim check: {exc}", file=sys.stderr)
        return 2
    failed = warned = False
    for path in args.files:
        try:
            loaded = load_scenario(path, budget)
        except ScenarioError as exc:
            failed = True
            print(exc, file=sys.stderr)
            continue
        s = loaded.scenario
        for line in shown(loaded.notes):
            print(line, file=sys.stderr)
        warned = warned or any(n.message.startswith("warning:") for n in loaded.notes)
        print(f"{path}: ok - {len(s.audiences)} audiences, {len(s.destinations)} destinations, "
              f"{len(s.sources)} sources, {len(s.timeline)} timeline steps")
    return 2 if failed else 1 if warned and args.strict else 0


def cmd_run(args: argparse.Namespace) -> int:
    """Replay a scenario (embedded mocks, or --target); exit 1 when an expectation fails."""
    import requests
    from rich.console import Console

    from vendorsim.simulator.engine.remote import RemoteVendors
    from vendorsim.simulator.engine.run import run_scenario
    from vendorsim.simulator.engine.vendors import TargetError, short_error
    from vendorsim.simulator.scenario.loader import ScenarioError, load_scenario

    console = Console()
    try:
        _check_calendar(args.as_of, args.opt_out)
        budget = _budget(args)
    except ValueError as exc:
        print(f"vendorsim run: {exc}", file=sys.stderr)
        return 2
    try:
        loaded = load_scenario(args.scenario, budget)
        vendors = RemoteVendors.discover(args.target) if args.target else None
        real = vendors is not None and not vendors.clock_is_virtual()
        if real:
            refused = _real_clock(loaded.scenario, args.target, args.real_time_ok)
            if refused:
                print(refused, file=sys.stderr)
                return 2
        with Shown(console, sys.stderr, real, loaded.scenario.start.timestamp()) as show:
            if vendors is not None:
                vendors.on_wait = show.waiting
            report = run_scenario(loaded, vendors, show.step, args.timeout,
                                  args.judge_injected, args.as_of, tuple(args.opt_out))
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    except TargetError as exc:
        print(f"vendorsim run: --target: {exc}", file=sys.stderr)
        return 2
    except requests.RequestException as exc:  # the target went away during the replay
        print(f"vendorsim run: lost the connection to the vendors: {short_error(exc)}",
              file=sys.stderr)
        return 2
    from vendorsim.simulator.report.terminal import print_report
    from vendorsim.simulator.scenario.loader import shown

    print_report(console, report, shown(loaded.notes), args.strict)
    if args.junit:
        from vendorsim.simulator.report.junit import write_junit

        write_junit(report, Path(args.junit), strict=args.strict)
    if args.json:
        from vendorsim.simulator.report import to_json

        Path(args.json).write_text(json.dumps(to_json(report), indent=2) + "\n")
    if args.html:
        from vendorsim.simulator.report.html import render

        page = Path(args.html)
        state = page.with_name(page.stem + ".state.json")  # the full state, linked
        state.write_text(json.dumps(report.holdings, indent=1, default=str) + "\n")
        page.write_text(render(report, state.name), encoding="utf-8")
        console.print(f"HTML report: {args.html} (vendor state: {state})")
    return 0 if report.passed and not (args.strict and report.warnings) else 1


# -- a target whose clock is real --------------------------------------------------------------
def replay_span(s: Scenario) -> float:
    """Seconds of scenario time a replay takes at least: its last step (and an advance's
    `by`), then the longest streaming latency of a delivery it may start (retries and
    throttling waits can add more)."""
    from vendorsim.simulator.scenario.base import parse_offset, step_time

    start, end = s.start.timestamp(), 0.0
    for step in s.timeline:
        when = step_time(step.at, s.start)
        offset = (when - start) if when is not None else parse_offset(step.at)
        end = max(end, offset + (parse_offset(step.by) if step.by else 0.0))
    latency = max((parse_offset(d.delivery.streaming_latency) for d in s.destinations),
                  default=0.0)
    return end + latency


def _real_clock(s: Scenario, target: str, ok: bool) -> str | None:
    """The advice for a real-clock target: printed, and the refusal when the replay would
    wait longer than REAL_TIME_FREE without --real-time-ok."""
    span = replay_span(s)
    advice = (f"vendorsim run: {target} has a real clock, so the replay waits in real time: "
              f"this one takes at least {human(span)}. To replay at once, start the target with a "
              "virtual clock (vendorsim serve --clock virtual, vendorsim docker up --clock "
              "virtual, or VENDORSIM_CLOCK=virtual)")
    if span > REAL_TIME_FREE and not ok:
        return f"{advice}; or pass --real-time-ok to wait {human(span)}."
    print(f"{advice}. Waiting {human(span)}.", file=sys.stderr, flush=True)
    return None


def human(seconds: float) -> str:
    """90061 -> '1d 1h 1m 1s'; 0.5 -> '0.5s'."""
    if seconds < 60:
        return f"{round(seconds, 1):g}s"
    parts, left = [], int(round(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if left >= size:
            parts.append(f"{left // size}{unit}")
            left %= size
    return " ".join(parts)


class Shown:
    """How far a replay is: a rich bar on a terminal; without one, on a real clock, a line
    when a wait of a second or more begins and every PLAIN_EVERY seconds while it lasts, so
    that a log shows the run is alive and what it waits for."""

    def __init__(self, console: Any, err: TextIO, real: bool, start: float) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.err, self.start = err, start
        self.terminal = console.is_terminal
        label = "real time" if real else "virtual time"
        self.bar = Progress(TextColumn(label), BarColumn(), TextColumn("{task.fields[at]}"),
                            TimeElapsedColumn(), console=console, transient=True,
                            disable=not self.terminal)
        self.task = self.bar.add_task("replay", total=1.0, at="")
        self.total = 0.0
        self.until: float | None = None  # the scenario time being waited for
        self.said = 0.0  # when the last plain line was written (monotonic)

    def __enter__(self) -> Shown:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)

    def step(self, done: float, total: float) -> None:
        """The engine's progress: scenario seconds done of the total."""
        self.total = max(self.total, total)
        self.bar.update(self.task, completed=done / total if total else 1.0,
                        at=f"{human(done)} of {human(total)}")

    def waiting(self, now: float, until: float) -> None:
        """A real clock being waited on: `now` and `until` in scenario time."""
        done, left = now - self.start, max(0.0, until - now)
        total = max(self.total, until - self.start)
        self.bar.update(self.task, completed=done / total if total else 1.0,
                        at=f"{human(done)} of {human(total)}, next in {human(round(left))}")
        if self.terminal or until - now < 1:
            return
        clock = time.monotonic()
        if until != self.until or clock - self.said >= PLAIN_EVERY:
            self.until, self.said = until, clock
            print(f"vendorsim run: real clock: waiting {human(round(left))} until "
                  f"+{human(until - self.start)} of the scenario ({human(done)} of "
                  f"{human(total)} done)", file=self.err, flush=True)
