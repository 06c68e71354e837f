"""Marketo's error codes and the envelopes they travel in (vendor-apis.md §1.3-1.5).

Response-level errors are HTTP 200 with `success:false` and string codes; record-level
reasons ride inside `result[i].reasons`. Only 413 and 414 are real HTTP errors.
"""

from __future__ import annotations

import itertools
import os
import threading
import time

# Response-level codes (6xx/7xx, plus 1xxx used at response level for bad parameters).
MESSAGES: dict[str, str] = {
    "500": "Internal Server Error",
    "502": "Bad Gateway",
    "600": "Empty access token",
    "601": "Access token invalid",
    "602": "Access token expired",
    "603": "Access denied",
    "604": "Request timed out",
    "605": "HTTP Method not supported",
    "606": "Max rate limit '{calls}' exceeded with in '{seconds}' secs",
    "607": "Daily quota reached",
    "608": "API Temporarily Unavailable",
    "609": "Invalid JSON",
    "610": "Requested resource not found",
    "611": "System error",
    "612": "Invalid Content Type",
    "613": "Invalid Multipart Request",
    "614": "Invalid Subscription",
    "615": "Concurrent access limit '{concurrent}' reached",
    "616": "Invalid subscription type",
    "701": "{what} cannot be blank",
    "702": "No data found for a given search scenario",
    "703": "The feature is not enabled for the subscription",
    "704": "Invalid date format",
    "709": "Business Rule Violation",
    "710": "Parent Folder Not Found",
    "711": "Incompatible Folder Type",
    "713": "Transient Error",
    "719": "Lock wait timeout exception",
    # record-level reasons (also usable by fault rules)
    "1001": "Invalid value '{value}'. Required of type '{type}'",
    "1002": "Missing value for required parameter '{what}'",
    "1003": "Invalid data",
    "1004": "Lead not found",
    "1005": "Lead already exists",
    "1006": "Field '{field}' not found",
    "1007": "Multiple lead match lookup criteria",
    "1008": "Access denied to partition '{partition}'",
    "1009": "Partition name must be specified",
    "1010": "Partition update not allowed",
    "1011": "Field '{field}' not supported",
    "1013": "Object not found",
    "1015": "Lead not in list",
    "1017": "Object already exists",
    "1012": "Invalid cookie value '{value}'",
    "1014": "Failed to create Object",
    "1016": "Too many imports",
    "1019": "Import in progress",
    "1021": "Company update not allowed",
    "1022": "Object in use",
    "1029": "Too many jobs in queue",
    "1035": "Unsupported filter type for target subscription",
    "1036": "Duplicate object found in input",
    "1037": "Lead was skipped",
}

NO_ASSETS_WARNING = "No assets found for the given search criteria."
DUPLICATE_LIST_MESSAGE = "Static List with the same name already exists"

NGINX_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


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
