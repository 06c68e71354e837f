"""The tolerant-reader fault (`"additive": true`): an answer reshaped the way a vendor's change
policy lets it change without notice (Bombora's, in vendor-apis.md §7.4: new response
attributes, enum values, attribute order, token lengths, error texts; "rely on status codes,
not text"). The answer means the same: a client that reads only what it needs, ignores what
it does not know and acts on codes keeps working; one that breaks is named by the client
verdict `intolerant_reader`.

What changes, in JSON answers only:
- every object's attributes come in reverse order, and the top-level object and each object
  of a top-level list gain the attribute `ADDED` (never inside records' values maps);
- an in-progress job state the vendor may extend is shown as a new one (each vendor's facts
  name them: Marketo's bulk `Queued` reads `Pending`): a client that keeps polling on a state
  it does not know is fine;
- access tokens are longer (the longer value is a valid token too);
- error texts are reworded, their codes and statuses kept.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping

ADDED = "additionalInformation"  # a response attribute no client has seen
ADDED_VALUE = "added without notice (vendorsim additive fault)"
TOKEN_KEYS = ("access_token", "accessToken")
TEXT_KEYS = ("message", "errorMessage", "error_description")
ERROR_LISTS = ("errors", "reasons", "warnings")


def reword(text: str) -> str:
    """Another wording of an error text; the code beside it says the same as before."""
    return f"Request not processed. Details: {text}" if text else text


class Reshaper:
    """Reshape one JSON answer; `enum_values` maps an attribute to {old: new} values,
    `alias` registers a longer token value as the same token."""

    def __init__(self, enum_values: Mapping[str, Mapping[str, str]],
                 alias: Callable[[str, str], None]) -> None:
        self.enum_values = enum_values
        self.alias = alias
        self.new_enum = False  # whether an unseen enum value was shown (a state to poll on)

    def body(self, data: bytes, status: int) -> bytes | None:
        """The reshaped body, or None when it is not a JSON object or list."""
        try:
            value = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(value, dict | list):
            return None
        shaped = self._value(value, error=status >= 400, depth=0)
        return json.dumps(shaped, separators=(",", ":")).encode()

    def _value(self, value: object, error: bool, depth: int) -> object:
        if isinstance(value, dict):
            return self._object(value, error, depth)
        if isinstance(value, list):
            return [self._value(v, error, depth + 1) for v in value]
        return value

    def _object(self, value: dict, error: bool, depth: int) -> dict:
        out: dict = {}
        for key in reversed(list(value)):
            item = value[key]
            if key in TOKEN_KEYS and isinstance(item, str) and item:
                longer = f"{uuid.uuid4().hex}{item}"  # cut back, it is no token
                self.alias(item, longer)
                out[key] = longer
            elif key in TEXT_KEYS and isinstance(item, str) and error:
                out[key] = reword(item)
            elif isinstance(item, str) and item in self.enum_values.get(key, {}):
                out[key] = self.enum_values[key][item]
                self.new_enum = True
            else:
                out[key] = self._value(item, error or key in ERROR_LISTS, depth + 1)
        if depth <= 1 and ADDED not in out:
            out[ADDED] = ADDED_VALUE
        return out
