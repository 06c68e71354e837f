"""The errors Marketo's rules raise: a response-level error (the whole call refused, HTTP
200 with `success:false`) or a record-level one (that record skipped with a reason), worded
from the code table in `facts.py`."""

from __future__ import annotations

import itertools
import os
import threading
import time

from ..facts import MESSAGES


def message(code: str, **values: object) -> str:
    """The vendor's text for a code, with its placeholders filled where values are given."""
    template = MESSAGES.get(code, "Unknown error")
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template.replace("{", "").replace("}", "")


def reason(code: str, text: str | None = None, **values: object) -> dict:
    return {"code": code, "message": text or message(code, **values)}


class MarketoError(Exception):
    """A response-level error: HTTP 200, success:false, errors:[{code, message}]."""

    def __init__(self, code: str, text: str | None = None, **values: object) -> None:
        self.code = code
        self.text = text or message(code, **values)
        super().__init__(f"{code} {self.text}")


class RecordError(Exception):
    """A record-level failure: that record is skipped with this reason, the rest go on."""

    def __init__(self, code: str, text: str | None = None, **values: object) -> None:
        self.reason = reason(code, text, **values)
        super().__init__(self.reason["message"])


class HttpError(Exception):
    """One of the few real HTTP errors Marketo's nginx front answers (413, 414, 5xx faults)."""

    def __init__(self, status: int, reason_phrase: str) -> None:
        self.status = status
        self.reason_phrase = reason_phrase
        super().__init__(f"{status} {reason_phrase}")


_counter = itertools.count(int.from_bytes(os.urandom(2), "big"))
_counter_lock = threading.Lock()


def request_id(now: float | None = None) -> str:
    """`<hex>#<hex>` like Marketo's (e.g. `e42b#14272d07d78`): a counter and epoch millis."""
    with _counter_lock:
        n = next(_counter) & 0xFFFFF
    millis = int((now if now is not None else time.time()) * 1000)
    return f"{n:x}#{millis:x}"
