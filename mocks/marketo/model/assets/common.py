"""What every part of the asset API shares: folder references (`{"id":N,"type":"Folder"}`),
the asset date format, names and descriptions, the status, date and paging parameters of
browse calls. Each check answers Marketo's code (701 blank, 1003 bad value, 704 bad date)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from vendorsim.mocks.core.bodies import BadBody, parse_json, whole_number
from vendorsim.mocks.core.clock import iso_utc, parse_time

from ... import facts
from ..errors import MarketoError

Ref = tuple[str, int]  # ("Folder", 22) or ("Program", 1001): a place in the asset tree
FOLDER_TYPES = ("Folder", "Program")
STATUSES = ("approved", "draft")
T = TypeVar("T")


def asset_time(epoch: float) -> str:
    """The asset API's date format: `2021-11-23T22:57:24Z+0000`."""
    return iso_utc(epoch) + "+0000"


def parse_asset_time(raw: str, name: str) -> float:
    """A date parameter: ISO-8601, also in the asset API's own `...Z+0000` form (clients
    send back what they read); 704 for anything else."""
    text = raw.strip()
    if text.endswith("Z+0000"):
        text = text[:-5]
    try:
        return parse_time(text)
    except (ValueError, TypeError, OverflowError):
        raise MarketoError("704", f"Invalid date format for '{name}': '{raw[:40]}'") from None


def within(items: Iterable[T], when: Callable[[T], float], earliest: str | None,
           latest: str | None) -> list[T]:
    """The items updated in [earliestUpdatedAt, latestUpdatedAt] (either bound optional)."""
    low = parse_asset_time(earliest, "earliestUpdatedAt") if earliest else None
    high = parse_asset_time(latest, "latestUpdatedAt") if latest else None
    if low is not None and high is not None and low > high:
        raise MarketoError("1003", "earliestUpdatedAt must precede latestUpdatedAt")
    return [i for i in items if (low is None or when(i) >= low)
            and (high is None or when(i) <= high)]


def parse_ref(raw: object, what: str = "folder", *, required: bool = True) -> Ref | None:
    """A folder reference in JSON (`{"id":12,"type":"Folder"}`) or as a decoded object:
    701 when missing, 1003 when it is not an id and a type of Folder or Program."""
    if raw in (None, ""):
        if required:
            raise MarketoError("701", what=what)
        return None
    try:
        spec = parse_json(raw) if isinstance(raw, str | bytes) else raw
    except BadBody:
        spec = None
    number = whole_number(spec.get("id", spec.get("value")), 1) \
        if isinstance(spec, dict) else None
    kind = spec.get("type", "Folder") if isinstance(spec, dict) else None
    if number is None or not isinstance(kind, str):
        raise MarketoError("1003", f"Invalid {what}: expected {{\"id\":N,\"type\":"
                                   "\"Folder\"|\"Program\"}")
    kind = kind.capitalize()
    if kind not in FOLDER_TYPES:
        raise MarketoError("1003", f"Invalid {what} type '{kind[:40]}': Folder or Program")
    return kind, number


def name_value(raw: object, what: str = "name", *, required: bool = True,
               limit: int = facts.ASSET_NAME_MAX) -> str | None:
    """A name: 701 when blank (and required), 1003 when too long. Names may hold no comma:
    Adobe's asset API cannot search for them."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise MarketoError("701", what=what)
        return None
    if not isinstance(raw, str):
        raise MarketoError("1003", f"Invalid {what}: a string")
    if len(raw) > limit:
        raise MarketoError("1003", f"{what} may hold at most {limit} characters")
    if what == "name" and "," in raw:
        raise MarketoError("1003", "Asset names may not contain commas")
    return raw


def text_value(raw: object, what: str, limit: int = facts.ASSET_DESCRIPTION_MAX) -> str | None:
    """An optional free text (a description): 1003 when too long."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise MarketoError("1003", f"Invalid {what}: a string")
    if len(raw) > limit:
        raise MarketoError("1003", f"{what} may hold at most {limit} characters")
    return raw


def flag(raw: object, what: str, default: bool | None = None) -> bool | None:
    """A boolean parameter (`true`/`false`, any case): 1003 for anything else."""
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise MarketoError("1003", f"Invalid value for '{what}': true or false")


def status_value(raw: str | None, allowed: tuple[str, ...] = STATUSES) -> str | None:
    """The `status` parameter of reads and browses (any case): 1003 for another."""
    if raw is None or raw == "":
        return None
    wanted = raw.strip().lower()
    if wanted not in allowed:
        raise MarketoError("1003", f"Invalid status '{raw[:40]}': one of {', '.join(allowed)}")
    return wanted


def json_value(raw: object, what: str) -> object:
    """A parameter that carries JSON (an array or object in a form field): 1003 when it does
    not parse."""
    if not isinstance(raw, str):
        return raw
    try:
        return parse_json(raw)
    except BadBody:
        raise MarketoError("1003", f"Invalid {what}: not JSON") from None


def app_url(code: str, number: int) -> str:
    """The asset's page in the Marketo app (`url` / `computedUrl`)."""
    return f"https://{facts.APP_HOST}/#{code}{number}A1"
