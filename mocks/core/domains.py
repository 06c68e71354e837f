"""Company website domains, as the account-list vendors (Bombora, Demandbase) key accounts.

A user types `HTTPS://WWW.Acme.com/about/`; both vendors mean `acme.com`. What is still not a
domain after the obvious clean-up is refused by the vendor per record, never silently dropped.
"""

from __future__ import annotations

import re

DOMAIN = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def normalise_domain(raw: object) -> str | None:
    """`HTTPS://WWW.Acme.com/about/` -> `acme.com`; None when it is not a domain."""
    if not isinstance(raw, str) or len(raw) > 2048:
        return None
    text = SCHEME.sub("", raw.strip().lower())
    text = text.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    if text.startswith("www."):
        text = text[4:]
    return text if DOMAIN.fullmatch(text) else None
