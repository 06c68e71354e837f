"""What every part of a scenario file shares: strict settings, durations, ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

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


def _duration(value: str) -> str:
    parse_offset(value)
    return value


Duration = Annotated[str, AfterValidator(_duration)]  # +30s, 5m, 2h, 1d
MunchkinId = Annotated[str, Field(pattern=r"^\d{3}-[A-Za-z]{3}-\d{3}$")]  # e.g. 123-ABC-456
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$")]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not be silently ignored. A setting's docstring is
    its description in the JSON Schema (`vendorsim check --schema`)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)
