"""What every part of a scenario file shares: strict settings and types, durations, times,
ids."""

from __future__ import annotations

import math
import re
import typing
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

DURATION = re.compile(r"^\+?(?:\d{1,9}(?:\.\d{1,6})?(?:ms|s|m|h|d))+$")
PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_SPAN = 400 * 86400.0  # a scenario replays at most 400 days of virtual time


def parse_offset(value: object) -> float:
    """`+90s`, `5m`, `2h`, `1d`, `1h30m` (or a number of seconds) -> seconds, at most 400 days."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        text = str(value).strip()
        if len(text) > 40 or not DURATION.match(text):
            raise ValueError(f"{str(value)[:40]!r} is not a duration: write +30s, 5m, 2h, 1d "
                             "or 1h30m")
        seconds = sum(float(n) * UNITS[unit] for n, unit in PART.findall(text))
    if not 0 <= seconds <= MAX_SPAN:  # also refuses NaN
        raise ValueError(f"{str(value)[:40]!r} is longer than a scenario can replay "
                         "(400 days at most)")
    return seconds


def step_time(at: object, start: datetime) -> float | None:
    """The epoch of a step's `at` when it is a time (ISO text, or a YAML timestamp);
    None when it is an offset from the start. A time without a zone is in the start's."""
    if isinstance(at, str) and "T" in at and not at.startswith("+"):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    if not isinstance(at, datetime):
        return None
    return (at if at.tzinfo else at.replace(tzinfo=start.tzinfo or UTC)).timestamp()


def _time(value: object) -> datetime:
    """A time as YAML writes it (2026-01-05T09:00:00Z, unquoted or quoted; a date alone is
    its midnight, UTC). A number is refused: read as seconds since 1970, `start: 2026` would
    replay 1970-01-01."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str) and len(value) <= 40:
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"expected a time such as 2026-01-05T09:00:00Z, not the number "
                         f"{str(value)[:40]} (a number would be read as seconds since 1970)")
    shown = repr(value[:40]) if isinstance(value, str) else f"{type(value).__name__} " \
        f"{str(value)[:40]}"
    raise ValueError(f"expected a time such as 2026-01-05T09:00:00Z, not {shown}")


def _duration(value: str) -> str:
    parse_offset(value)
    return value


Duration = Annotated[str, AfterValidator(_duration)]  # +30s, 5m, 2h, 1d
Time = Annotated[datetime, BeforeValidator(_time)]  # 2026-01-05T09:00:00Z; never a number
MunchkinId = Annotated[str, Field(pattern=r"^\d{3}-[A-Za-z]{3}-\d{3}$")]  # e.g. 123-ABC-456
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$")]


def _whole(annotation: Any) -> bool:
    """Whether a setting takes a whole number (int, or an optional or constrained one)."""
    if annotation is int:
        return True
    return any(_whole(a) for a in typing.get_args(annotation)
               if a is not type(None) and (a is int or typing.get_args(a)))


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not be silently ignored. Types are strict: text
    is not a number, `yes` or `1` is not true, a number is not a time; only a whole number
    written as 1e3 or 2.0 counts as the whole number it is. A setting's docstring is its
    description in the JSON Schema (`vendorsim check --schema`)."""

    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=True)

    @model_validator(mode="before")
    @classmethod
    def _whole_numbers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fixed = {}
        for name, value in data.items():
            found = cls.model_fields.get(name) if isinstance(name, str) else None
            if found is not None and isinstance(value, float) and math.isfinite(value) and \
                    value.is_integer() and _whole(found.annotation):
                fixed[name] = int(value)
        return {**data, **fixed} if fixed else data
