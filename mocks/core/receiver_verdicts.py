"""Verdicts on the customer's receivers, from the journal's outbound calls (the vendors'
callbacks): a receiver that accepted a delivery whose signature does not match does not
verify signatures; one that answered after the vendor stopped waiting is counted by the
vendor as failed (and tried again); one that refused a duplicate delivery is not idempotent,
where every vendor here delivers at least once."""

from __future__ import annotations

from .journal import JournalEntry

SOURCES = {
    "receiver_unverified": "SFMC ENS: verify x-sfmc-ens-signature (HMAC-SHA256 of the raw "
                           "body with the callback's signatureKey); Bombora: "
                           "X-Bombora-Signature-256 (hex HMAC-SHA256 of the body with the "
                           "destination's secret); Demandbase: X-DemandbaseAPI-Signature "
                           "(hex HMAC-SHA256 with the signingSecret, vendorsim's choice)",
    "receiver_slow": "SFMC ENS: answer 200-204 within 3 s; Marketo webhooks: 30 s; "
                     "Demandbase alerts and Bombora webhooks: 10 s (vendorsim's choice)",
    "receiver_not_idempotent": "SFMC ENS: delivery is at least once; so are the others' "
                               "retries",
}


def judge_receivers(entries: list[JournalEntry]) -> list[dict]:
    """One verdict per rule and receiver (vendor, tenant, receiver URL)."""
    found: dict[tuple, dict] = {}
    accepted: set[tuple] = set()  # (url, request_hash) a receiver took
    for entry in entries:
        if not entry.outbound:
            continue
        ok = 200 <= entry.status < 300 and "receiver:slow" not in entry.codes
        key = (entry.path, entry.request_hash)
        if "fault:bad_signature" in entry.codes and 200 <= entry.status < 300:
            _add(found, "receiver_unverified", entry, "accepted a delivery signed with the "
                 "wrong key: it does not check the signature")
        if "receiver:slow" in entry.codes:
            _add(found, "receiver_slow", entry, "answered after the vendor stopped waiting: "
                 "the vendor counts the delivery as failed and sends it again")
        if "fault:duplicate" in entry.codes and not ok and key in accepted:
            _add(found, "receiver_not_idempotent", entry, "refused a second delivery of what "
                 "it had accepted: deliveries are at least once, a duplicate must be accepted "
                 "(and ignored)")
        if ok:
            accepted.add(key)
    return list(found.values())


def _add(found: dict[tuple, dict], rule: str, entry: JournalEntry, detail: str) -> None:
    key = (rule, entry.vendor, entry.tenant, entry.path)
    verdict = found.setdefault(key, {
        "rule": rule, "vendor": entry.vendor, "tenant": entry.tenant, "client": entry.path,
        "evidence": [], "detail": detail, "source": SOURCES[rule], "answers": "vendor",
        "faults": []})
    verdict["evidence"].append(entry.seq)
