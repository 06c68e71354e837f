"""The drift report: per operation, how many recorded calls were replayed and every difference
of the mock from the vendor (class, where, recorded, mock, which cassette entries), the ones
an allow-list lets pass (with their reason) and the allowances that expired. Terminal, JSON
and HTML carry the same numbers, from `summarize`."""

from __future__ import annotations

from html import escape

from rich.console import Console
from rich.table import Table

from .verify import Checked


def summarize(checked: list[Checked], cassettes: list[str]) -> dict:
    operations: dict[tuple[str, str], dict] = {}
    for item in checked:
        entry = operations.setdefault((item.vendor, item.operation), {
            "vendor": item.vendor, "operation": item.operation, "calls": 0,
            "differences": {}, "allowed": {}, "expired": {}})
        entry["calls"] += 1
        for name, found in (("differences", [(d, "") for d in item.differences]),
                            ("allowed", item.allowed), ("expired", item.expired)):
            for difference, why in found:
                key = (difference.kind, difference.path, difference.recorded, difference.mock)
                shown = entry[name].setdefault(key, {**difference.to_dict(), "sources": []})
                shown["sources"].append(item.source)
                if why:
                    shown["reason"] = why
    ops = [{**op, **{k: list(op[k].values()) for k in ("differences", "allowed", "expired")}}
           for op in operations.values()]
    failing = sum(len(op["differences"]) + len(op["expired"]) for op in ops)
    return {"cassettes": cassettes, "calls": len(checked), "operations": ops,
            "differences": failing, "allowed": sum(len(op["allowed"]) for op in ops),
            "drift": failing > 0}


def _rows(op: dict) -> list[tuple[str, str, str, str, str]]:
    """(difference, where, recorded, mock, cassette lines) of one operation."""
    def lines(d: dict) -> str:
        more = len(d["sources"]) - 5
        return ", ".join(d["sources"][:5]) + (f" and {more} more" if more > 0 else "")

    return ([(d["class"], d["path"], d["recorded"], d["mock"], lines(d))
             for d in op["differences"]]
            + [(f"{d['class']} ({d['reason']})", d["path"], d["recorded"], d["mock"], lines(d))
               for d in op["expired"]]
            + [(f"allowed {d['class']}: {d['reason']}", d["path"], d["recorded"], d["mock"],
                lines(d)) for d in op["allowed"]])


def print_report(console: Console, summary: dict) -> None:
    """A table on a terminal wide enough for every cell whole; else (CI logs, 80 columns,
    pipes) one line per difference, never cut: a field path is what the reader needs."""
    title = f"vendorsim verify: {summary['calls']} recorded calls replayed"
    header = ("operation", "calls", "difference", "where", "recorded", "mock", "cassette lines")
    cells = [(f"{op['vendor']} {op['operation']}", str(op["calls"]), *row)
             for op in summary["operations"] for row in _rows(op) or [("none", "", "", "", "")]]
    widths = [max(len(c) for c in column) for column in zip(header, *cells, strict=True)]
    if console.is_terminal and sum(widths) + 3 * len(widths) + 1 <= console.width:
        table = Table(title=title)
        for column in header:
            table.add_column(column, overflow="fold")
        for op in summary["operations"]:
            first = True
            for row in _rows(op) or [("none", "", "", "", "")]:
                table.add_row(f"{op['vendor']} {op['operation']}" if first else "",
                              str(op["calls"]) if first else "", *row)
                first = False
        console.print(table)
    else:
        def say(text: str) -> None:  # whole, however wide: the terminal may wrap it
            console.print(text, soft_wrap=True, markup=False, highlight=False)

        say(title)
        for op in summary["operations"]:
            rows = _rows(op)
            head = f"{op['vendor']} {op['operation']} ({op['calls']} call" \
                   f"{'s' if op['calls'] != 1 else ''})"
            say(f"{head}: no difference" if not rows else f"{head}:")
            for kind, where, recorded, mock, lines in rows:
                place = f" {where}" if where else ""
                say(f"  {kind}{place}: recorded {recorded}, mock {mock} ({lines})")
    verdict = "DRIFT" if summary["drift"] else "no drift"
    console.print(f"{verdict}: {summary['differences']} difference(s), {summary['allowed']} "
                  f"allowed, over {len(summary['operations'])} operation(s)", soft_wrap=True)


def render_html(summary: dict) -> str:
    rows = []
    for op in summary["operations"]:
        found = [("drift", d) for d in op["differences"]] + \
            [("expired", d) for d in op["expired"]] + [("allowed", d) for d in op["allowed"]]
        for state, d in found or [("ok", {"class": "none", "path": "", "recorded": "",
                                          "mock": "", "sources": []})]:
            rows.append(
                f'<tr class="{state}"><td>{escape(op["vendor"])} {escape(op["operation"])}</td>'
                f"<td>{op['calls']}</td><td>{escape(d['class'])}</td>"
                f"<td>{escape(d['path'])}</td><td>{escape(d['recorded'])}</td>"
                f"<td>{escape(d['mock'])}</td><td>{escape(d.get('reason', ''))}</td>"
                f"<td>{escape(', '.join(d['sources'][:5]))}</td></tr>")
    verdict = "DRIFT" if summary["drift"] else "no drift"
    return ("<!doctype html><meta charset=utf-8><title>vendorsim drift report</title><style>"
            "body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid"
            " #ccc;padding:4px}.drift,.expired{background:#fdd}.allowed{background:#ffd}"
            f"</style><h1>vendorsim verify: {verdict}</h1><p>{summary['calls']} recorded calls "
            f"from {escape(', '.join(summary['cassettes']))}; {summary['differences']} "
            f"difference(s), {summary['allowed']} allowed.</p><table><tr><th>operation</th>"
            "<th>calls</th><th>difference</th><th>where</th><th>recorded</th><th>mock</th>"
            f"<th>reason</th><th>cassette entries</th></tr>{''.join(rows)}</table>")
