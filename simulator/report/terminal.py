"""The report on the terminal (rich): the header, the destinations' totals, the reasons
profiles were not delivered, the dataflows side by side, sources, warnings, verdicts. Every
figure comes from the report's one reconciliation (`report/__init__.py`)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table

from . import FATES, Report, dataflow_rows

SHORT = {"sent": "sent", "not sent": "not sent", "delivered": "deliv.", "opened": "opened",
         "clicked": "clicked", "unsubscribed": "unsub.", "bounced": "bounced hard/soft"}
FLOW_COLUMNS = ("dataflow", "virtual time (UTC)", "profiles", "calls", "outcome")


def print_report(console: Console, report: Report, notes: Iterable[object] = (),
                 strict: bool = False) -> None:
    for label, value in report.header.items():
        console.print(f"[dim]{label}:[/] {value}", highlight=False, markup=True)
    if report.destinations:
        table = Table(title=f"{report.scenario}: destinations")
        table.add_column("")
        for d in report.destinations:
            table.add_column(f"{d.id} ({d.type})", justify="right")
        summaries = [d.summary() for d in report.destinations]
        for label in summaries[0]:
            table.add_row(label, *(summary[label] for summary in summaries))
        console.print(table)
    for d in report.destinations:
        for reason in d.refused:
            console.print(f"[yellow]refused[/] {d.id}: {reason}", highlight=False)
        for label, found in (("skipped", d.skipped), ("dropped", d.dropped),
                             ("failed", d.failed)):
            for reason, ids in _by_reason(found).items():
                shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5
                                              else "")
                console.print(f"[yellow]{label}[/] {d.id} ({len(ids)} profiles): {reason}: "
                              f"{shown}", highlight=False)
    _dataflows(console, report)
    _sends(console, report)
    for src in report.sources:
        state = f"[yellow]refused[/]: {src.refused}" if src.refused else \
            f"accepted; feeds {src.feeds}, not the CDP simulated here" if src.feeds else \
            (f"{src.runs} runs, {src.rows} rows read, {src.profiles_created} profiles created, "
             f"{src.profiles_updated} updated, {src.calls} calls")
        console.print(f"source {src.id}: {state}", highlight=False)
        for error in src.errors:
            console.print(f"[red]source error[/] {src.id}: {error}", highlight=False)
    for note in notes:
        console.print(f"[dim]{note}[/]", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning[/] {warning}" + (" (fails the run: --strict)"
                                                         if strict else ""), highlight=False)
    for v in report.verdicts:
        mark = "[green]PASS[/]" if v.passed else "[red]FAIL[/]"
        console.print(f"{mark} {v.expectation}: {v.detail}", highlight=False)


def _by_reason(found: dict[str, str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for pid, reason in found.items():
        grouped.setdefault(reason, []).append(pid)
    return grouped


def _dataflows(console: Console, report: Report) -> None:
    """One row per dataflow: its batches, when the first was sent and the last done (virtual
    time), its profiles and calls; side by side, so a waiting dataflow is plain to see."""
    rows = dataflow_rows(report)
    if not rows:
        return
    table = Table(title="dataflows (virtual time, UTC; profiles and calls)")
    for column in FLOW_COLUMNS:
        table.add_column(column, overflow="fold")
    for row in rows:
        fates = ", ".join(f"{row[k]} {k}" for k in FATES if row[k] or k == "delivered")
        batches = f"{row['batches']} batch{'es' if row['batches'] != 1 else ''}"
        table.add_row(row["dataflow"], f"{row['sent']} to {row['done']}",
                      f"{row['profiles']} sent in {batches}: {fates}",
                      f"{row['calls']}, {row['retries']} retries", row["outcome"])
    console.print(table)


def _sends(console: Console, report: Report) -> None:
    """The sends the timeline asked for, then per vendor send what recipients did by the
    replay's end (read back from the vendors)."""
    for r in report.sends:
        head = f"send {r['step']} at {r['at'][5:16]}: {r['vendor']} {r['tenant']} {r['kind']}"
        if r["kind"] == "list" and not r["recipients"]:  # the vendor sends to its lists
            counts = f"{'accepted' if r['accepted'] else 'not accepted'} (to the lists' " \
                     f"subscribers: figures below)"
        else:
            counts = f"{r['recipients']} people, {r['accepted']} accepted, {r['skipped']} " \
                     f"skipped (no address or lead), {r['refused']} refused"
        console.print(f"{head} ({r['what']}): {counts}, {r['calls']} calls", highlight=False)
        for error in r["errors"]:
            console.print(f"[yellow]send {r['step']} refused[/]: {error}", highlight=False)
    if not report.engagement:
        return
    table = Table(title="sends and engagement by the replay's end (opens, clicks: unique)")
    table.add_column("send", overflow="fold")
    for column in SHORT.values():
        table.add_column(column, justify="right")
    for row in report.engagement:
        name = f"{row['vendor']} {row['tenant']} {row['send']}" + (
            f" ({row['email']})" if row["email"] != row["send"] else "")
        table.add_row(name, *(f"{row[k]:,}" for k in SHORT if k != "bounced"),
                      f"{row['hard bounced']:,}/{row['soft bounced']:,}")
    console.print(table)
