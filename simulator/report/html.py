"""The report as one self-contained HTML page (no CDN, one small inline script for the journal
search): coloured verdicts first, then per dataflow its batches, the reasons records were
refused, dropped, failed or skipped (grouped, with counts and the first ids), the two plots,
the destinations and sources, what each vendor holds at the end, and the journal of the run.
A section with nothing to show is left out."""

from __future__ import annotations

from html import escape

from vendorsim.mocks.core.clock import iso_utc
from vendorsim.mocks.dashboard import summarize

from . import Report, dataflow_rows
from .svg import COLOURS, calls_svg, dataflows_svg, outcome

FIRST_IDS = 5  # ids shown beside a reason; the rest behind "more"
MORE_IDS = 200
JOURNAL_ROWS = 5_000  # the journal table keeps the most recent calls

STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1060px;color:#1d2430}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccd;padding:2px 8px;
text-align:left;vertical-align:top}th{background:#eef1f5}h2{border-bottom:1px solid #ccd;
margin-top:1.6em}.badge{display:inline-block;padding:.1em .6em;border-radius:3px;color:#fff;
font-weight:600}.pass{background:#2e7d32}.fail{background:#c62828}.warn{color:#8a5a00}
details{margin:.3em 0}summary{cursor:pointer}.ids{color:#556;font-family:monospace}
.bad td{color:#b3261e}#journal-search{width:24em;margin:.4em 0}.hint{color:#667}"""

SEARCH = """<script>
document.getElementById("journal-search").addEventListener("input", function (event) {
  var needle = event.target.value.toLowerCase();
  var rows = document.querySelectorAll("#journal tbody tr");
  for (var i = 0; i < rows.length; i++) {
    rows[i].hidden = needle && rows[i].textContent.toLowerCase().indexOf(needle) < 0;
  }
});
</script>"""


def _table(headers: list[str], rows: list[list[object]], row_class: list[str] | None = None,
           table_id: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        f'<tr class="{row_class[n] if row_class else ""}">' +
        "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
        for n, row in enumerate(rows))
    ident = f' id="{table_id}"' if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(title: str, content: str, anchor: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{content}</section>' if content \
        else ""


def verdicts(report: Report) -> str:
    rows = "".join(
        f'<tr><td><span class="badge {"pass" if v.passed else "fail"}">'
        f'{"PASS" if v.passed else "FAIL"}</span></td><td>{escape(v.expectation)}</td>'
        f"<td>{escape(v.detail)}</td></tr>" for v in report.verdicts)
    warnings = "".join(f'<p class="warn">warning: {escape(w)}</p>' for w in report.warnings)
    table = f"<table><tbody>{rows}</tbody></table>" if rows else ""
    return table + warnings


def client_verdicts(report: Report) -> str:
    """How the run's connectors treated the vendors (empty when they kept every rule)."""
    if not report.client_verdicts:
        return ""
    return _table(["rule", "vendor", "tenant", "client", "what happened", "journal", "rule from"],
                  [[v["rule"], v["vendor"], v["tenant"] or "-", v["client"], v["detail"],
                    ", ".join(map(str, v["evidence"][:10])), v["source"]]
                   for v in report.client_verdicts], ["bad"] * len(report.client_verdicts))


def batches(report: Report) -> str:
    """Per dataflow: the summary row (the figures the destination totals sum), then its
    batches in a table that opens."""
    parts = []
    for row in dataflow_rows(report):
        dest_id, audience = row["dataflow"].split("/", 1)
        dest = next(d for d in report.destinations if d.id == dest_id)
        found = dest.flows[audience].batches
        title = (f"{row['dataflow']}: {row['batches']} batches, sent {row['sent']}, done "
                 f"{row['done']}; profiles: {row['profiles']} sent, {row['delivered']} "
                 f"delivered, {row['skipped']} skipped, {row['dropped']} dropped, "
                 f"{row['failed']} failed; calls: {row['calls']}, {row['retries']} retries "
                 f"— {row['outcome']}")
        table = _table(["sent (UTC)", "done (UTC)", "profiles", "delivered", "skipped",
                        "dropped", "failed", "calls", "retries", "outcome"],
                       [[iso_utc(b["sent"]), iso_utc(b["done"]), b["profiles"],
                         b["delivered"], b["skipped"], b["dropped"], b["failed"], b["calls"],
                         b["retries"], b["outcome"]] for b in found],
                       ["bad" if b["outcome"] in ("dropped", "failed") else ""
                        for b in found])
        parts.append(f"<details><summary>{escape(title)}</summary>{table}</details>")
    return "".join(parts)


def header(report: Report) -> str:
    """What the page opens with: the scenario file, its description, vendorsim's version,
    the seed, when it ran and where the vendors were."""
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>"
                   for k, v in report.header.items())
    return f'<table class="header"><tbody>{rows}</tbody></table>' if rows else ""


def reasons(report: Report) -> str:
    """Refused, dropped, failed and skipped records grouped by destination, kind and reason:
    a count and the first ids, the rest behind a click."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for dest in report.destinations:
        for why in dest.refused:
            groups.setdefault((dest.id, "refused", why), [])
        for kind, found in (("dropped", dest.dropped), ("failed", dest.failed),
                            ("skipped", dest.skipped)):
            for ident, why in found.items():
                groups.setdefault((dest.id, kind, why), []).append(ident)
        if dest.unaccounted:
            groups[(dest.id, "lost silently", "meant to be there, missing")] = \
                list(dest.unaccounted)
    parts = []
    for (dest_id, kind, why), ids in sorted(groups.items(), key=lambda g: -len(g[1])):
        count = f"{len(ids):,} × " if ids else ""
        first = ", ".join(ids[:FIRST_IDS])
        more = ""
        if len(ids) > FIRST_IDS:
            shown = ", ".join(ids[FIRST_IDS:MORE_IDS])
            rest = f" … and {len(ids) - MORE_IDS:,} more" if len(ids) > MORE_IDS else ""
            more = (f'<details><summary>{len(ids) - FIRST_IDS:,} more ids</summary>'
                    f'<p class="ids">{escape(shown)}{rest}</p></details>')
        parts.append(f"<li><strong>{escape(dest_id)}</strong> {escape(kind)}: {count}"
                     f"{escape(why)} <span class=\"ids\">{escape(first)}</span>{more}</li>")
    return f"<ul>{''.join(parts)}</ul>" if parts else ""


def holdings(report: Report, state_link: str | None) -> str:
    """What each vendor holds at the end: counts and a sample of every collection."""
    parts = []
    for vendor, tenants in report.holdings.items():
        for tenant, state in tenants.items():
            rows = []
            for part in summarize(state):
                if part["count"] == 0 or (part["count"] is None and not part["sample"]):
                    continue
                sample = "; ".join(_brief(item) for item in part["sample"][:3])
                rows.append([part["name"], "" if part["count"] is None else part["count"],
                             sample])
            if rows:
                parts.append(f"<h3>{escape(vendor)} {escape(tenant)}</h3>" +
                             _table(["collection", "count", "first records"], rows))
    if parts and state_link:
        parts.insert(0, f'<p class="hint">The full state: <a href="{escape(state_link)}">'
                        f"{escape(state_link)}</a></p>")
    return "".join(parts)


def _brief(item: object) -> str:
    text = _plain(item)
    return text if len(text) <= 160 else text[:157] + "…"


def _plain(value: object) -> str:
    """A value as a person reads it: no Python reprs (None, quotes, True)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list | tuple):
        return "[" + "; ".join(_plain(v) for v in value) + "]"
    return str(value)


def journal(report: Report) -> str:
    entries = report.journal[-JOURNAL_ROWS:]
    if not entries:
        return ""
    cut = len(report.journal) - len(entries)
    note = (f'<p class="hint">The last {len(entries):,} of {len(report.journal):,} calls.</p>'
            if cut else "")
    table = _table(["#", "time (UTC)", "vendor", "tenant", "method", "path", "status",
                    "codes", "records"],
                   [[e["seq"], e["time"], e["vendor"], e.get("tenant") or "-", e["method"],
                     e["path"], e["status"], " ".join(e["codes"]),
                     "" if e.get("records") is None else e["records"]]
                    for e in entries],
                   ["" if outcome(e) == "ok" else "bad" for e in entries], "journal")
    return (f'{note}<input id="journal-search" type="search" placeholder="search the '
            f'journal (path, code, tenant…)">{table}{SEARCH}')


def sends(report: Report) -> str:
    """The send steps, then what each vendor send did by the replay's end (the terminal's
    figures)."""
    asked = _table(["send", "virtual time", "vendor", "kind", "what", "people", "accepted",
                    "skipped", "refused", "calls", "reasons"],
                   [[r["step"], r["at"], f"{r['vendor']} {r['tenant']}", r["kind"], r["what"],
                     r["recipients"], r["accepted"], r["skipped"], r["refused"], r["calls"],
                     "; ".join(r["errors"])] for r in report.sends]) if report.sends else ""
    figures = ("sent", "not sent", "delivered", "hard bounced", "soft bounced", "opened",
               "clicked", "unsubscribed")
    done = _table(["vendor send", "email", *figures],
                  [[f"{r['vendor']} {r['tenant']} {r['send']} ({r['kind']})", r["email"],
                    *(r[k] for k in figures)] for r in report.engagement]) \
        if report.engagement else ""
    return asked + done


def render(report: Report, state_link: str | None = None) -> str:
    summaries = [d.summary() for d in report.destinations]
    dests = _table(["", *(f"{d.id} ({d.type})" for d in report.destinations)],
                   [[label, *(s[label] for s in summaries)]
                    for label in (summaries[0] if summaries else [])]) if summaries else ""
    sources = _table(["source", "runs", "rows read", "profiles created", "profiles updated",
                      "calls", "connection", "errors"],
                     [[s.id, s.runs, s.rows, s.profiles_created, s.profiles_updated, s.calls,
                       f"refused: {s.refused}" if s.refused else
                       f"feeds {s.feeds}" if s.feeds else "runs here",
                       "; ".join(s.errors)] for s in report.sources]) if report.sources else ""
    lanes = [(f"{d.id} / {b['dataflow']}", b) for d in report.destinations for b in d.batches]
    legend = " ".join(f'<span style="color:{c}">&#9632; {k}</span>' for k, c in COLOURS.items())
    calls = calls_svg(report.journal)
    badge = '<span class="badge pass">PASSED</span>' if report.passed else \
        '<span class="badge fail">FAILED</span>'
    body = "".join([
        _section("Verdicts", verdicts(report), "verdicts"),
        _section("Client verdicts", client_verdicts(report), "client-verdicts"),
        _section("Dataflows", dataflows_svg(lanes) + batches(report), "dataflows"),
        _section("Refused, dropped, failed and skipped", reasons(report), "reasons"),
        _section("Vendor calls over virtual time",
                 f"<p>{legend}</p>{calls}" if calls else "", "timeline"),
        _section("Destinations", dests, "destinations"),
        _section("Sources", sources, "sources"),
        _section("Sends and engagement", sends(report), "sends"),
        _section("What each vendor holds at the end", holdings(report, state_link),
                 "holdings"),
        _section("Journal", journal(report), "journal-section"),
    ])
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(report.scenario)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{escape(report.scenario)} {badge}</h1>{header(report)}{body}"
            "</body></html>\n")
