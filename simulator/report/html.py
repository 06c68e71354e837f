"""The report as one self-contained HTML page: summary tables and a timeline plot (inline SVG,
no scripts) of every vendor call on virtual time, coloured by outcome, so a user can see when
throttling hit and what was dropped."""

from __future__ import annotations

from html import escape

from . import Report, dataflow_rows

THROTTLE_CODES = {"606", "615", "607", "50100", "429"}
COLOURS = {"ok": "#2e7d32", "throttled": "#ef6c00", "error": "#c62828"}
WIDTH, ROW, LEFT = 960, 34, 110


def _outcome(entry: dict) -> str:
    codes = set(entry.get("codes") or [])
    if entry["status"] == 429 or codes & THROTTLE_CODES:
        return "throttled"
    if entry["status"] >= 400 or any(c.isdigit() and len(c) == 3 for c in codes):
        return "error"
    return "ok"


def timeline_svg(journal: list[dict]) -> str:
    if not journal:
        return "<p>No vendor calls.</p>"
    vendors = sorted({e["vendor"] for e in journal})
    start = min(e["epoch"] for e in journal)
    span = max(max(e["epoch"] for e in journal) - start, 1.0)
    height = ROW * len(vendors) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'role="img" aria-label="vendor calls over virtual time">']
    for i, vendor in enumerate(vendors):
        y = 20 + i * ROW
        parts.append(f'<text x="4" y="{y + 14}" font-size="12">{escape(vendor)}</text>')
        parts.append(f'<line x1="{LEFT}" y1="{y + 10}" x2="{WIDTH - 10}" y2="{y + 10}" '
                     'stroke="#ddd"/>')
    order = {"ok": 0, "error": 1, "throttled": 2}  # failures drawn last: never hidden
    for entry in sorted(journal, key=lambda e: order[_outcome(e)]):
        x = LEFT + (entry["epoch"] - start) / span * (WIDTH - LEFT - 20)
        y = 20 + vendors.index(entry["vendor"]) * ROW
        kind = _outcome(entry)
        title = escape(f'{entry["time"]} {entry["method"]} {entry["path"]} -> '
                       f'{entry["status"]} {",".join(entry["codes"])}')
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="2" height="20" '
                     f'fill="{COLOURS[kind]}"><title>{title}</title></rect>')
    axis_y = height - 8
    parts.append(f'<text x="{LEFT}" y="{axis_y}" font-size="11">{escape(journal[0]["time"])}'
                 f'</text><text x="{WIDTH - 10}" y="{axis_y}" font-size="11" '
                 f'text-anchor="end">+{span / 60:.1f} min</text></svg>')
    return "".join(parts)


def dataflows_svg(report: Report) -> str:
    """One lane per dataflow: a bar from each batch's sending to its delivery (or drop), so a
    dataflow waiting hours next to one that delivered at once is visible at a glance."""
    lanes = [(f"{d.id} / {b['dataflow']}", b) for d in report.destinations for b in d.batches]
    if not lanes:
        return ""
    names = list(dict.fromkeys(name for name, _ in lanes))
    start = min(b["sent"] for _, b in lanes)
    span = max(max(b["done"] for _, b in lanes) - start, 1.0)
    left, height = 220, ROW * len(names) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             'role="img" aria-label="batches of each dataflow over virtual time">']
    colour = {"delivered": COLOURS["ok"], "retried": COLOURS["throttled"],
              "dropped": COLOURS["error"], "failed": COLOURS["error"]}
    for i, name in enumerate(names):
        y = 20 + i * ROW
        parts.append(f'<text x="4" y="{y + 14}" font-size="12">{escape(name)}</text>')
    for name, batch in lanes:
        y = 20 + names.index(name) * ROW
        x = left + (batch["sent"] - start) / span * (WIDTH - left - 20)
        width = max(3.0, (batch["done"] - batch["sent"]) / span * (WIDTH - left - 20))
        title = escape(f"{batch['profiles']} profiles, {batch['retries']} retries, "
                       f"{batch['outcome']}, {(batch['done'] - batch['sent']) / 60:.1f} min")
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="18" '
                     f'fill="{colour[batch["outcome"]]}"><title>{title}</title></rect>')
    parts.append(f'<text x="{left}" y="{height - 8}" font-size="11">+0</text><text '
                 f'x="{WIDTH - 10}" y="{height - 8}" font-size="11" text-anchor="end">'
                 f'+{span / 3600:.1f} h</text></svg>')
    return "".join(parts)


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def render(report: Report) -> str:
    summaries = [d.summary() for d in report.destinations]
    flows = dataflow_rows(report)
    dests = _table(["", *(f"{d.id} ({d.type})" for d in report.destinations)],
                   [[label, *(s[label] for s in summaries)]
                    for label in (summaries[0] if summaries else [])])
    sources = _table(["source", "runs", "rows", "profiles created", "profiles updated",
                      "connection", "errors"],
                     [[s.id, s.runs, s.rows, s.profiles_created, s.profiles_updated,
                       f"refused: {s.refused}" if s.refused else
                       f"feeds {s.feeds}" if s.feeds else "runs here",
                       "; ".join(s.errors)] for s in report.sources])
    verdicts = _table(["", "expectation", "detail"],
                      [["PASS" if v.passed else "FAIL", v.expectation, v.detail]
                       for v in report.verdicts])
    problems = [[d.id, "refused", r] for d in report.destinations for r in d.refused]
    problems += [[d.id, f"dropped {k}", r] for d in report.destinations
                 for k, r in d.dropped.items()]
    problems += [[d.id, f"failed {k}", r] for d in report.destinations
                 for k, r in d.failed.items()]
    problems += [[d.id, f"skipped {k}", r] for d in report.destinations
                 for k, r in d.skipped.items()]
    verdict = "passed" if report.passed else "FAILED"
    legend = " ".join(f'<span style="color:{c}">&#9632; {k}</span>' for k, c in COLOURS.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(report.scenario)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1000px}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:3px 8px}}
th{{background:#f4f4f4}}</style></head><body>
<h1>{escape(report.scenario)}: {verdict}</h1>
<h2>Dataflows</h2>{dataflows_svg(report)}
{_table(list(flows[0]) if flows else [], [list(r.values()) for r in flows])}
<h2>Timeline of vendor calls</h2><p>{legend}</p>{timeline_svg(report.journal)}
<h2>Destinations</h2>{dests}
<h2>Sources</h2>{sources}
<h2>Expectations</h2>{verdicts}
<h2>Refused, dropped, failed and skipped deliveries</h2>
{_table(["destination", "what", "reason"], problems)}
</body></html>
"""
