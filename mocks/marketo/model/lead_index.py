"""The leads' dedupe index: for each indexed field, value -> the lead id while one lead has
it (no set to reach on the common path), else the set of ids; and the held values, interned."""

from __future__ import annotations

from sys import intern

from .fields import index_key

SHARED = 64  # text up to this long is interned: the values a database holds over and over


def index_put(idx: dict, value: object, lead_id: int) -> None:
    """A value's leads: the id itself while it is one lead (no set to reach), else a set."""
    if value is None or value == "":
        return
    key = index_key(value)
    held = idx.get(key)
    if held is None:
        idx[key] = lead_id
    elif type(held) is int:
        if held != lead_id:
            idx[key] = {held, lead_id}
    else:
        held.add(lead_id)


def hold_new_lead(index: dict[str, dict], lead_id: int, values: dict) -> dict:
    """A new lead's values as the database holds them, in one pass (a create's cost is mostly
    per value): each indexed value in its index (the common case, a value no other lead has,
    written in place) and the rest's short text interned in place. Indexed identifiers are
    not interned: an email is one lead's, interning it would only grow the interpreter's
    table. Only values change, never keys, so changing them while iterating is safe."""
    for name, value in values.items():
        idx = index.get(name)
        if idx is None:
            if type(value) is str and len(value) <= SHARED:
                values[name] = intern(value)
        elif value is not None and value != "":
            key = value.lower() if type(value) is str else value
            if key in idx:
                index_put(idx, value, lead_id)
            else:
                idx[key] = lead_id
    return values


def index_drop(idx: dict, value: object, lead_id: int) -> None:
    if value is None or value == "":
        return
    key = index_key(value)
    held = idx.get(key)
    if held is None:
        return
    if type(held) is int:
        if held == lead_id:
            del idx[key]
        return
    held.discard(lead_id)
    if len(held) == 1:
        idx[key] = next(iter(held))
    elif not held:
        del idx[key]


def shared(value: object) -> object:
    """A value as the database holds it: short text interned, so the values a database
    holds over and over (companies, titles, names) are one object each: less memory, and a
    written value compares with the held one without reading far-flung memory, whatever the
    database's size."""
    if type(value) is str and len(value) <= SHARED:
        return intern(value)
    return value
