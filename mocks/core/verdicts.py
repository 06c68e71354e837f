"""Client verdicts: how the integration under test treated each vendor, judged from the
journal against the vendor's documented contract. Each verdict names the rule, the vendor
tenant and API client, the journal entries that show it (their sequence numbers), where the
rule comes from, and whether the answers it rests on were the vendor's own or injected by
a fault rule.

The rules (docs/how-to/admin-api.md, "Client verdicts" explains each with its source):
- `retry_too_soon`: called again while the vendor was still throttling it — before the
  `Retry-After` it was given, or (a vendor that sends none, such as Marketo) into the same
  throttle again.
- `repeated_refusal`: sent the same request again after the vendor refused it for a reason
  no retry fixes (the vendor's own list of such codes; HTTP 400/401/403/404/413/414/422 and
  bad credentials).
- `duplicate_write`: the same write accepted twice in a row (a duplicate delivery).
- `token_churn`: asked for a new access token while the last was valid, nearly on every
  call (the vendors document reusing tokens until they expire).
- `oversized`: a batch over the vendor's limit, a body over its size limit (413), or a GET
  whose URI went over 8 KB (414) instead of `POST` with `_method=GET`.
- `unmatched_route`: called a route the vendor does not have (with the nearest one).
- `intolerant_reader`: broke on an answer an `additive` fault reshaped as the vendor's change
  policy allows (core/additive.py): asked again for what it had just been given, asked for
  another token instead of using the longer one it got, or sent back a token it had cut.

Injected answers (a fault rule's error code, status or chaos) are not evidence of how the
vendor behaves, so by default no verdict rests on them. `judge_injected=True` judges them
as if the vendor had sent them; a throttling answer is then judged by the wait the vendor
documents (its `Throttle.wait`, or `Retry-After`), since the limit it stands for was never
really reached: a client that waited that long is never blamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .receiver_verdicts import judge_receivers

if TYPE_CHECKING:
    from .journal import JournalEntry
    from .service import VendorService

UNFIXABLE_STATUS = {400, 401, 403, 404, 413, 414, 422}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
UNKNOWN_CLIENT = "unknown client"
SOURCES = {
    "retry_too_soon": "the vendor's throttling answers and the waits it documents (its "
                      "facts: window, calls in flight, quota reset); RFC 9110 Retry-After",
    "repeated_refusal": "the vendor's error codes that no retry fixes; HTTP 4xx",
    "duplicate_write": "idempotence: an accepted write sent again is delivered twice",
    "token_churn": "the vendor's authentication documentation: reuse the token until it "
                   "expires",
    "oversized": "the vendor's batch, body and URI limits (its facts)",
    "unmatched_route": "the vendor's published routes",
    "intolerant_reader": "the vendor's change policy: new attributes, enum values, attribute "
                         "order, token lengths and error texts may appear without notice "
                         "(Bombora's API change policy; rely on codes, not text)",
}
DISTRUST_WINDOW = 10.0  # seconds: the same call again this soon re-asks, later it polls
CHURN_MIN = 3  # premature token calls before it is a pattern, not an accident
CHURN_SHARE = 0.8  # token calls per API call that count as "on (nearly) every call"


@dataclass(frozen=True)
class Throttle:
    """A vendor code that means "not now": what limit it stands for, and how long the
    vendor documents waiting before the next call (None: until the daily quota resets)."""

    limit: str
    wait: float | None


def client_label(entry: JournalEntry) -> str:
    """The client as the vendor sees it: the API client id (or the token's owner)."""
    return entry.client or UNKNOWN_CLIENT


def _verdict(rule: str, first: JournalEntry, evidence: Iterable[int], detail: str,
             injected: Iterable[int] = ()) -> dict:
    faults = sorted(set(injected))
    if faults:
        detail += f" (injected answers: fault rule {', '.join(map(str, faults))})"
    return {"rule": rule, "vendor": first.vendor, "tenant": first.tenant,
            "client": client_label(first), "evidence": sorted(set(evidence)),
            "detail": detail, "source": SOURCES[rule],
            "answers": "injected" if faults else "vendor", "faults": faults}


def judge(entries: list[JournalEntry], services: Mapping[str, VendorService],
          only: Mapping[str, str] | None = None, judge_injected: bool = False) -> list[dict]:
    """Every verdict the journal supports, one per rule, vendor tenant and client; `only`
    keeps those whose tenant, client or rule is the one given; `judge_injected` judges
    answers a fault rule injected as if the vendor had sent them."""
    found = _judge([e for e in entries if not e.outbound], services, judge_injected) + \
        judge_receivers(entries)
    for key, wanted in (only or {}).items():
        if key in ("tenant", "client", "rule") and wanted:
            found = [v for v in found if v[key] == wanted]
    return found


def _judge(entries: list[JournalEntry], services: Mapping[str, VendorService],
           injected: bool) -> list[dict]:
    by_client: dict[tuple, list[JournalEntry]] = {}
    for entry in entries:
        by_client.setdefault((entry.vendor, entry.tenant, entry.client), []).append(entry)
    renewals = _renewals(entries, services)
    found: list[dict] = []
    for calls in by_client.values():
        service = services.get(calls[0].vendor)
        mine = _too_soon(calls, service, injected) + _repeated(calls, service, injected) + \
            _duplicates(calls) + _churn(calls, service, renewals) + \
            _oversized(calls, service, injected) + _unmatched(calls) + _intolerant(calls)
        sources = service.verdict_sources if service is not None else {}
        for verdict in mine:  # the vendor's own document for the rule, where it names one
            verdict["source"] = sources.get(verdict["rule"], verdict["source"])
        found += mine
    return found + _cut_tokens(entries, services)


def _renewals(entries: list[JournalEntry], services: Mapping[str, VendorService]) -> set[int]:
    """Token calls that answer a refused token: the tenant's last API call before it, by the
    same client or one the vendor could not name (a token it no longer knows), was refused
    for its token (the vendor's token codes, or 401), whoever made that refusal, the vendor
    or a fault."""
    last: dict[tuple, JournalEntry] = {}  # (vendor, tenant) -> its last API call
    found = set()
    for entry in entries:
        key = (entry.vendor, entry.tenant)
        if not entry.token_call:
            last[key] = entry
            continue
        before = last.get(key)
        service = services.get(entry.vendor)
        refusals = service.token_refusal_codes if service is not None else frozenset()
        if before is not None and before.client in (None, entry.client) and (
                refusals.intersection(before.codes) or before.status == 401):
            found.add(entry.seq)
    return found


def _injected_answer(entry: JournalEntry) -> bool:
    """An answer a fault rule made (its code, status or chaos), not the vendor's own; a
    latency, slow-body, drop or additive rule leaves the answer the vendor's."""
    return entry.fault is not None and entry.additive is None and \
        (entry.refused or bool(entry.codes))


def _intolerant(calls: list[JournalEntry]) -> list[dict]:
    """After a reshaped answer the client could not have needed to ask again: the same call
    next within DISTRUST_WINDOW (where the answer was final, not a new in-progress state to
    poll on; a scheduled poll comes later), or a token call right after a token it never
    used."""
    evidence: list[int] = []
    faults: list[int] = []
    why = ""
    for before, after in zip(calls, calls[1:], strict=False):
        if before.additive is None or before.refused:
            continue
        if before.token_call and after.token_call:
            why = why or ("asked for another token right after getting one it never used "
                          "(the answer was reshaped: a longer token, a new attribute)")
        elif before.additive == "answer" and not before.token_call and \
                after.time - before.time < DISTRUST_WINDOW and \
                (after.method, after.path, after.request_hash) == \
                (before.method, before.path, before.request_hash):
            why = why or (f"sent {after.method} {after.path} again unchanged right after an "
                          f"answer with a new attribute and another attribute order")
        else:
            continue
        evidence += [before.seq, after.seq]
        faults += [before.fault] if before.fault else []
    return [_verdict("intolerant_reader", calls[0], evidence, why, faults)] \
        if evidence else []


def _cut_tokens(entries: list[JournalEntry], services: Mapping[str, VendorService]
                ) -> list[dict]:
    """A tenant's first API call after a reshaped (longer) token refused for its token:
    the client kept only part of the token (a fixed-length column, a pattern)."""
    issued: dict[tuple, JournalEntry] = {}  # (vendor, tenant) -> a longer token not yet used
    found: dict[tuple, dict] = {}
    for entry in entries:
        key = (entry.vendor, entry.tenant)
        if entry.token_call:
            if entry.additive is not None and not entry.refused:
                issued[key] = entry
            continue
        token = issued.pop(key, None)
        service = services.get(entry.vendor)
        refusals = service.token_refusal_codes if service is not None else frozenset()
        if token is not None and (refusals.intersection(entry.codes) or entry.status == 401):
            verdict = found.get((*key, token.client))
            if verdict is None:
                found[(*key, token.client)] = _verdict(
                    "intolerant_reader", token, [token.seq, entry.seq],
                    "the first call after a longer access token was refused for its token: "
                    "the client did not send the token whole", [token.fault or 0])
            else:
                verdict["evidence"] = sorted({*verdict["evidence"], token.seq, entry.seq})
    return list(found.values())


def _unmatched(calls: list[JournalEntry]) -> list[dict]:
    missed = [e for e in calls if e.unmatched]
    if not missed:
        return []
    hints = sorted({f"{e.method} {e.path}" + (f" (did you mean {e.hint}?)" if e.hint else "")
                    for e in missed})
    return [_verdict("unmatched_route", missed[0], (e.seq for e in missed),
                     f"{len(missed)} call(s) to routes the vendor does not have: "
                     + "; ".join(hints[:5]))]


def _throttle(entry: JournalEntry, service: VendorService | None
              ) -> tuple[str, Throttle] | None:
    """(code, Throttle) when this answer was the vendor's "not now" code."""
    throttles = service.throttles if service is not None else {}
    code = next((c for c in entry.codes if c in throttles), None)
    return (code, throttles[code]) if code else None


def _too_soon(calls: list[JournalEntry], service: VendorService | None,
              injected: bool) -> list[dict]:
    evidence: list[int] = []
    faults: list[int] = []
    why = ""
    for before, after in zip(calls, calls[1:], strict=False):
        made_up = _injected_answer(before)
        if made_up and not injected:
            continue
        gap = after.time - before.time
        if before.retry_after is not None and before.status in (429, 503) and \
                gap < before.retry_after - 1e-6:
            evidence += [before.seq, after.seq]
            faults += [before.fault] if made_up and before.fault else []
            why = why or (f"called again {gap:.1f} s after being asked to wait "
                          f"{before.retry_after:g} s (Retry-After)")
        throttled = _throttle(before, service)
        if throttled is None or after.token_call:
            continue
        code, rule = throttled
        if made_up:  # the limit was never reached: judge the wait the vendor documents
            wait = rule.wait if rule.wait is not None else _until_reset(before, service)
            if gap < wait - 1e-6:
                evidence += [before.seq, after.seq]
                faults += [before.fault] if before.fault else []
                why = why or (f"called again {gap:.1f} s after a {code}; the vendor documents "
                              f"waiting {wait:g} s for {rule.limit}")
        elif code in after.codes and not _injected_answer(after):
            evidence += [before.seq, after.seq]
            why = why or (f"called again {gap:.1f} s after a {code} and was throttled "
                          f"again: {rule.limit} had not cleared")
    return [_verdict("retry_too_soon", calls[0], evidence, why, faults)] if evidence else []


def _until_reset(entry: JournalEntry, service: VendorService | None) -> float:
    """Seconds from this answer to the reset of the tenant's daily quota."""
    if service is None:
        return 0.0
    return service.seconds_until_quota_resets(entry.tenant, entry.time)


def _repeated(calls: list[JournalEntry], service: VendorService | None,
              injected: bool) -> list[dict]:
    unfixable_codes = getattr(service, "refusal_codes", frozenset()) | {"invalid_client"}
    throttles = getattr(service, "throttles", {})
    refused: dict[tuple, JournalEntry] = {}
    evidence: list[int] = []
    faults: list[int] = []
    why = ""
    for entry in calls:
        if entry.token_call and not entry.refused:  # a new token fixes a 401 of an old one
            refused = {k: e for k, e in refused.items() if e.status != 401}
        key = (entry.method, entry.path, entry.request_hash)
        earlier = refused.get(key)
        if earlier is not None:
            evidence += [earlier.seq, entry.seq]
            faults += [earlier.fault] if earlier.fault else []
            why = why or (f"sent {entry.method} {entry.path} again unchanged after it was "
                          f"refused ({' '.join(earlier.codes) or earlier.status}), which no "
                          f"retry fixes")
        unfixable = entry.refused and (set(entry.codes) & unfixable_codes or (
            entry.status in UNFIXABLE_STATUS and not set(entry.codes) & set(throttles)))
        if unfixable and (injected or not _injected_answer(entry)):
            refused[key] = entry
        else:
            refused.pop(key, None)
    return [_verdict("repeated_refusal", calls[0], evidence, why, faults)] if evidence else []


def _duplicates(calls: list[JournalEntry]) -> list[dict]:
    last: dict[str, JournalEntry] = {}  # path -> the client's last write to it
    evidence: list[int] = []
    why = ""
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


def _churn(calls: list[JournalEntry], service: VendorService | None,
           renewals: set[int]) -> list[dict]:
    """Token calls while the last token was good; one that follows a refused token (601,
    602, 401: expired, revoked or injected) is the fix, not churn."""
    ttl = getattr(service, "token_ttl", 3600.0)
    issued: float | None = None
    early: list[int] = []
    tokens = api = 0
    for entry in calls:
        if not entry.token_call:
            api += 1
            continue
        tokens += 1
        if entry.refused:
            continue
        if issued is not None and entry.time < issued + ttl - 60 and \
                entry.seq not in renewals:
            early.append(entry.seq)
        issued = entry.time
    if len(early) >= CHURN_MIN and tokens >= CHURN_SHARE * max(api, 1):
        return [_verdict("token_churn", calls[0], early,
                         f"{tokens} token calls for {api} API calls, {len(early)} of them "
                         f"while the last token (valid {ttl:g} s) was still good")]
    return []


def _oversized(calls: list[JournalEntry], service: VendorService | None,
               injected: bool) -> list[dict]:
    """Batches over the limit (whatever the answer), and 413/414 answers (the vendor's own,
    unless injected ones are judged too)."""
    limit = service.default_limits.max_batch if service is not None else None
    evidence: list[int] = []
    faults: list[int] = []
    why: dict[int, str] = {}
    for entry in calls:
        if entry.status in (413, 414) and _injected_answer(entry):
            if not injected:
                continue
            faults += [entry.fault] if entry.fault else []
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
    return [_verdict("oversized", calls[0], evidence, "; ".join(why.values()), faults)] \
        if evidence else []
