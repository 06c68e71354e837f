"""The report's two plots, as inline SVG (no scripts): vendor calls over virtual time, one lane
per vendor tenant, binned so that any number of calls stays readable (each bin a stacked bar
of ok / throttled / error counts, its exact figures in the bar's title and in the journal
table below); and one lane per dataflow with a bar from each batch's sending to its delivery.
Both have an axis with real (virtual UTC) time labels at round intervals."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from vendorsim.mocks.marketo import facts as marketo_facts
from vendorsim.mocks.sfmc import facts as sfmc_facts

# the vendors' throttling codes (Marketo's "not now" codes, SFMC's errorcode) and HTTP 429
THROTTLE_CODES = {*marketo_facts.THROTTLES, str(sfmc_facts.THROTTLED), "429"}
COLOURS = {"ok": "#2e7d32", "throttled": "#ef6c00", "error": "#c62828"}
WIDTH, ROW, LEFT, BINS = 1000, 36, 230, 120
STEPS = (1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400,
         2 * 86400, 7 * 86400)


def outcome(entry: dict) -> str:
    codes = set(entry.get("codes") or [])
    if entry["status"] == 429 or codes & THROTTLE_CODES:
        return "throttled"
    if entry["status"] >= 400 or codes:
        return "error"
    return "ok"


def _label(epoch: float, span: float) -> str:
    moment = datetime.fromtimestamp(epoch, UTC)
    if span < 120:
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%H:%M") if span < 86400 else moment.strftime("%m-%d %H:%M")


def axis(start: float, span: float, y: int, left: int = LEFT) -> str:
    """Tick marks at a round interval (about 6-10 of them) labelled in virtual UTC."""
    step = next((s for s in STEPS if span / s <= 10), STEPS[-1])
    first = (int(start // step) + 1) * step if start % step else start
    width = WIDTH - left - 20
    parts = [f'<line x1="{left}" y1="{y}" x2="{WIDTH - 20}" y2="{y}" stroke="#999"/>']
    tick = first
    while tick <= start + span + 1e-6:
        x = left + (tick - start) / span * width
        anchor = "end" if x > WIDTH - 60 else "middle"  # the last label stays in view
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 5}" stroke="#999"/>'
                     f'<text x="{x:.1f}" y="{y + 17}" font-size="11" text-anchor="{anchor}">'
                     f'{escape(_label(tick, span))}</text>')
        tick += step
    return "".join(parts)


def calls_svg(journal: list[dict]) -> str:
    """Vendor calls, one lane per vendor tenant, binned."""
    if not journal:
        return ""
    lanes = sorted({(e["vendor"], e.get("tenant") or "") for e in journal})
    start = min(e["epoch"] for e in journal)
    span = max(max(e["epoch"] for e in journal) - start, 1.0)
    counts: dict[tuple, dict[int, dict[str, int]]] = {lane: {} for lane in lanes}
    for entry in journal:
        n = min(int((entry["epoch"] - start) / span * BINS), BINS - 1)
        cell = counts[(entry["vendor"], entry.get("tenant") or "")].setdefault(
            n, {"ok": 0, "throttled": 0, "error": 0})
        cell[outcome(entry)] += 1
    peak = max(sum(c.values()) for lane in counts.values() for c in lane.values())
    height = ROW * len(lanes) + 40
    bin_width = (WIDTH - LEFT - 20) / BINS
    bar_width = max(bin_width - 1, 1.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'role="img" aria-label="vendor calls over virtual time">']
    for i, lane in enumerate(lanes):
        y = 10 + i * ROW
        parts.append(f'<text x="4" y="{y + 20}" font-size="12">'
                     f'{escape(lane[0])} {escape(lane[1][:24])}</text>')
        for n, cell in sorted(counts[lane].items()):
            x, bottom = LEFT + n * bin_width, float(y + 28)
            total = sum(cell.values())
            left_at = start + n * span / BINS
            title = escape(f"{_label(left_at, span)}: {total} calls "
                           f"({cell['ok']} ok, {cell['throttled']} throttled, "
                           f"{cell['error']} errors)")
            parts.append(f'<g class="bin"><title>{title}</title>')
            for kind in ("ok", "throttled", "error"):
                if not cell[kind]:
                    continue
                h = max(2.0, cell[kind] / peak * 26)
                bottom -= h
                parts.append(f'<rect x="{x:.1f}" y="{bottom:.1f}" width="{bar_width:.1f}" '
                             f'height="{h:.1f}" fill="{COLOURS[kind]}"/>')
            parts.append("</g>")
    parts.append(axis(start, span, height - 26))
    parts.append("</svg>")
    return "".join(parts)


def dataflows_svg(lanes: list[tuple[str, dict]]) -> str:
    """One lane per dataflow: a bar from each batch's sending to its delivery (or drop)."""
    if not lanes:
        return ""
    names = list(dict.fromkeys(name for name, _ in lanes))
    start = min(b["sent"] for _, b in lanes)
    span = max(max(b["done"] for _, b in lanes) - start, 1.0)
    height = ROW * len(names) + 40
    width = WIDTH - LEFT - 20
    colour = {"delivered": COLOURS["ok"], "retried": COLOURS["throttled"],
              "dropped": COLOURS["error"], "failed": COLOURS["error"]}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             'role="img" aria-label="batches of each dataflow over virtual time">']
    for i, name in enumerate(names):
        parts.append(f'<text x="4" y="{10 + i * ROW + 14}" font-size="12">'
                     f'{escape(name[:34])}</text>')
    for name, batch in lanes:
        y = 10 + names.index(name) * ROW
        x = LEFT + (batch["sent"] - start) / span * width
        bar = max(3.0, (batch["done"] - batch["sent"]) / span * width)
        title = escape(f"{_label(batch['sent'], span)}: {batch['profiles']} profiles, "
                       f"{batch['retries']} retries, {batch['outcome']}, done after "
                       f"{(batch['done'] - batch['sent']) / 60:.1f} min")
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{bar:.1f}" height="18" '
                     f'fill="{colour[batch["outcome"]]}"><title>{title}</title></rect>')
    parts.append(axis(start, span, height - 26))
    parts.append("</svg>")
    return "".join(parts)
