"""Client verdicts: how the integration under test treated each vendor, judged from the
journal against the vendor's documented contract. Each verdict names the rule, the vendor
tenant and API client, the journal entries that show it (their sequence numbers), and where
the rule comes from.

The rules (README "Client verdicts" explains each with its source):
- `retry_too_soon`: called again while the vendor was still throttling it — before the
  `Retry-After` it was given, or (Marketo, which sends none) into the same throttle again:
  606 (the 20-s window), 615 (10 calls in flight), 607 (the daily quota).
- `repeated_refusal`: sent the same request again after the vendor refused it for a reason
  no retry fixes (Marketo 603, 1003, 1004, 1006, 1008; HTTP 400/401/403/404/413/414/422 and
  bad credentials; SFMC 10006).
- `duplicate_write`: the same write accepted twice in a row (a duplicate delivery).
- `token_churn`: asked for a new access token while the last was valid, nearly on every
  call (Marketo and SFMC document reusing tokens until they expire).
- `oversized`: a batch over the vendor's limit, a body over its size limit (413), or a GET
  whose URI went over 8 KB (414) instead of `POST` with `_method=GET`.
- `unmatched_route`: called a route the vendor does not have (with the nearest one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .journal import JournalEntry
    from .service import VendorService

THROTTLE = {"606": "Marketo's 100-calls-per-20-s window", "615": "Marketo's 10 calls in "
            "flight", "607": "Marketo's daily quota"}
UNFIXABLE = {"603", "1003", "1004", "1006", "1008", "10006", "invalid_client"}
UNFIXABLE_STATUS = {400, 401, 403, 404, 413, 414, 422}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SOURCES = {
    "retry_too_soon": "Marketo REST error codes 606/615/607 (wait for the window, the calls "
                      "in flight, the quota's reset); RFC 9110 Retry-After (SFMC, Bombora)",
    "repeated_refusal": "Marketo error codes (603, 1003-1008 are not retryable); HTTP 4xx",
    "duplicate_write": "idempotence: an accepted write sent again is delivered twice",
    "token_churn": "Marketo Authentication and SFMC Get an Access Token: reuse the token "
                   "until it expires",
    "oversized": "Marketo: 300 records, 1 MB bodies, 8 KB URIs (use POST with _method=GET); "
                 "each vendor's batch and body limits",
    "unmatched_route": "the vendor's published routes",
}
CHURN_MIN = 3  # premature token calls before it is a pattern, not an accident
CHURN_SHARE = 0.8  # token calls per API call that count as "on (nearly) every call"


def _verdict(rule: str, first: JournalEntry, evidence: Iterable[int], detail: str) -> dict:
    return {"rule": rule, "vendor": first.vendor, "tenant": first.tenant,
            "client": first.client, "evidence": sorted(set(evidence)), "detail": detail,
            "source": SOURCES[rule]}


def judge(entries: list[JournalEntry], services: dict[str, VendorService],
          only: Mapping[str, str] | None = None) -> list[dict]:
    """Every verdict the journal supports, one per rule, vendor tenant and client; `only`
    keeps those whose tenant, client or rule is the one given."""
    found = _judge(entries, services)
    for key, wanted in (only or {}).items():
        if key in ("tenant", "client", "rule") and wanted:
            found = [v for v in found if v[key] == wanted]
    return found


def _judge(entries: list[JournalEntry], services: dict[str, VendorService]) -> list[dict]:
    by_client: dict[tuple, list[JournalEntry]] = {}
    for entry in entries:
        by_client.setdefault((entry.vendor, entry.tenant, entry.client), []).append(entry)
    found: list[dict] = []
    for calls in by_client.values():
        service = services.get(calls[0].vendor)
        found += _too_soon(calls) + _repeated(calls) + _duplicates(calls) + \
            _churn(calls, service) + _oversized(calls, service) + _unmatched(calls)
    return found


def _unmatched(calls: list[JournalEntry]) -> list[dict]:
    missed = [e for e in calls if e.unmatched]
    if not missed:
        return []
    hints = sorted({f"{e.method} {e.path}" + (f" (did you mean {e.hint}?)" if e.hint else "")
                    for e in missed})
    return [_verdict("unmatched_route", missed[0], (e.seq for e in missed),
                     f"{len(missed)} call(s) to routes the vendor does not have: "
                     + "; ".join(hints[:5]))]


def _too_soon(calls: list[JournalEntry]) -> list[dict]:
    evidence, why = [], ""
    for before, after in zip(calls, calls[1:], strict=False):
        if before.retry_after is not None and before.status in (429, 503) and \
                after.time < before.time + before.retry_after - 1e-6:
            evidence += [before.seq, after.seq]
            why = why or (f"called again {after.time - before.time:.1f} s after being asked "
                          f"to wait {before.retry_after:g} s (Retry-After)")
        code = next((c for c in before.codes if c in THROTTLE), None)
        if code and code in after.codes and not after.token_call:
            evidence += [before.seq, after.seq]
            why = why or (f"called again {after.time - before.time:.1f} s after a {code} and "
                          f"was throttled again: {THROTTLE[code]} had not cleared")
    return [_verdict("retry_too_soon", calls[0], evidence, why)] if evidence else []


def _repeated(calls: list[JournalEntry]) -> list[dict]:
    refused: dict[tuple, JournalEntry] = {}
    evidence, why = [], ""
    for entry in calls:
        if entry.token_call and not entry.refused:  # a new token fixes a 401 of an old one
            refused = {k: e for k, e in refused.items() if e.status != 401}
        key = (entry.method, entry.path, entry.request_hash)
        earlier = refused.get(key)
        if earlier is not None:
            evidence += [earlier.seq, entry.seq]
            why = why or (f"sent {entry.method} {entry.path} again unchanged after it was "
                          f"refused ({' '.join(earlier.codes) or earlier.status}), which no "
                          f"retry fixes")
        unfixable = entry.refused and (set(entry.codes) & UNFIXABLE or (
            entry.status in UNFIXABLE_STATUS and not set(entry.codes) & set(THROTTLE)))
        if unfixable:
            refused[key] = entry
        else:
            refused.pop(key, None)
    return [_verdict("repeated_refusal", calls[0], evidence, why)] if evidence else []


def _duplicates(calls: list[JournalEntry]) -> list[dict]:
    last: dict[str, JournalEntry] = {}  # path -> the client's last write to it
    evidence, why = [], ""
    for entry in calls:
        if entry.method not in WRITES or entry.token_call:
            continue
        previous = last.get(entry.path)
        if previous is not None and not previous.refused and not entry.refused and \
                previous.request_hash == entry.request_hash and not previous.codes:
            evidence += [previous.seq, entry.seq]
            why = why or (f"the same {entry.method} {entry.path} accepted twice in a row: "
                          f"a duplicate delivery")
        last[entry.path] = entry
    return [_verdict("duplicate_write", calls[0], evidence, why)] if evidence else []


def _churn(calls: list[JournalEntry], service: VendorService | None) -> list[dict]:
    ttl = getattr(service, "token_ttl", 3600.0)
    issued: float | None = None
    early, tokens, api = [], 0, 0
    for entry in calls:
        if not entry.token_call:
            api += 1
            continue
        tokens += 1
        if entry.refused:
            continue
        if issued is not None and entry.time < issued + ttl - 60:
            early.append(entry.seq)
        issued = entry.time
    if len(early) >= CHURN_MIN and tokens >= CHURN_SHARE * max(api, 1):
        return [_verdict("token_churn", calls[0], early,
                         f"{tokens} token calls for {api} API calls, {len(early)} of them "
                         f"while the last token (valid {ttl:g} s) was still good")]
    return []


def _oversized(calls: list[JournalEntry], service: VendorService | None) -> list[dict]:
    limit = service.default_limits.max_batch if service is not None else None
    evidence, why = [], {}
    for entry in calls:
        if entry.status == 414:
            evidence.append(entry.seq)
            why.setdefault(414, f"{entry.method} {entry.path} with a URI over the 8 KB limit"
                           + (": send POST with _method=GET" if entry.method == "GET" else ""))
        elif entry.status == 413:
            evidence.append(entry.seq)
            why.setdefault(413, f"{entry.method} {entry.path} with a body over the vendor's "
                                f"limit")
        elif limit and entry.records is not None and entry.records > limit:
            evidence.append(entry.seq)
            why.setdefault(0, f"a batch of {entry.records} records, over the limit of {limit}")
    return [_verdict("oversized", calls[0], evidence, "; ".join(why.values()))] \
        if evidence else []
