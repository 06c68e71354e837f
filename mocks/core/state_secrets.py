"""Secrets inside a tenant's model state (callback signing keys, a webhook's custom header
values) are masked in `GET /__admin/state` like credentials' secrets, unless the caller asks
`?secrets=include`. A masked state put back into the server it came from keeps the secrets
the server holds for the same records; where there is no such record the masked value is
refused, saying so, never stored as the key.

Which fields are secrets is one table here (SECRET_PLACES): SFMC ENS callbacks'
`signatureKey`, Demandbase alert subscriptions' `signingSecret`, Bombora destinations'
`secret`, and the `value` of each of a Marketo webhook's `customHeaders` (API keys usually
travel there)."""

from __future__ import annotations

from typing import Any

from .auth import MASKED

# a state's top-level part -> the keys holding secrets inside it (only there: a lead may well
# have a field called "secret"); "customHeaders" is a list of {name, value}: the values
SECRET_PLACES = {"ens": frozenset({"signatureKey"}),  # SFMC
                 "alert_subscriptions": frozenset({"signingSecret"}),  # Demandbase
                 "webhook_destinations": frozenset({"secret"}),  # Bombora
                 "webhooks": frozenset({"customHeaders"})}  # Marketo
# what names a record, first to last, to tell that a masked value belongs to the same record
IDENTITY_KEYS = ("id", "callbackId", "subscriptionId", "destinationId", "name", "key", "url")


def mask_state(state: Any) -> Any:
    """A copy of a tenant's state with every secret masked (the state itself untouched)."""
    if not isinstance(state, dict) or not any(state.get(p) for p in SECRET_PLACES):
        return state
    return {key: _masked(value, SECRET_PLACES[key]) if key in SECRET_PLACES else value
            for key, value in state.items()}


def _masked(part: Any, keys: frozenset[str]) -> Any:
    if isinstance(part, list):
        return [_masked(item, keys) for item in part]
    if not isinstance(part, dict):
        return part
    out: dict[str, Any] = {}
    for key, value in part.items():
        if key in keys and key == "customHeaders" and isinstance(value, list):
            out[key] = [{**h, "value": MASKED} if isinstance(h, dict) and "value" in h
                        else h for h in value]
        elif key in keys and isinstance(value, str):
            out[key] = MASKED
        else:
            out[key] = _masked(value, keys)
    return out


def unmask_state(state: Any, current: Any, where: str = "state") -> Any:
    """`state` with each masked value replaced by the value the server holds at the same place
    for the same record (`current`, the tenant's unmasked state now); ValueError for a masked
    value with no such record."""
    if isinstance(state, dict):
        same = isinstance(current, dict) and _same_record(state, current)
        out = {}
        for key, value in state.items():
            here = current.get(key) if isinstance(current, dict) else None
            if value == MASKED:
                if not same or not isinstance(here, str) or here == MASKED:
                    raise ValueError(f"{where}.{key}: the value is masked (GET /__admin/state "
                                     "masks secrets; ?secrets=include gives a state that "
                                     "loads)")
                out[key] = here
            else:
                out[key] = unmask_state(value, here if same else None, f"{where}.{key}")
        return out
    if isinstance(state, list):
        others = current if isinstance(current, list) else []
        return [unmask_state(item, others[n] if n < len(others) else None, f"{where}[{n}]")
                for n, item in enumerate(state)]
    return state


def holds_mask(state: Any) -> bool:
    """Whether a tenant's state holds a masked secret (most hold none: nothing to do)."""
    return isinstance(state, dict) and any(_holds(state.get(p)) for p in SECRET_PLACES)


def _holds(part: Any) -> bool:
    if isinstance(part, dict):
        return any(_holds(v) for v in part.values())
    if isinstance(part, list):
        return any(_holds(v) for v in part)
    return part == MASKED


def unmasked_state(state: dict, current: Any) -> dict:
    """A tenant's state with the masked secrets of its secret places put back from
    `current` (see unmask_state)."""
    now = current if isinstance(current, dict) else {}
    return {key: unmask_state(value, now.get(key), key) if key in SECRET_PLACES else value
            for key, value in state.items()}


def _same_record(mine: dict, theirs: dict) -> bool:
    """Two objects name the same record when they agree on the first identity key they share
    (an id before a name: a renamed record is the same one); objects with none, such as a
    whole tenant state, are the same place."""
    shared = next((k for k in IDENTITY_KEYS if k in mine and k in theirs), None)
    return shared is None or mine[shared] == theirs[shared]
