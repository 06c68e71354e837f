"""Demandbase's facts, in one place: token lifetime, limits, sizes, export job limits. Each
limit names its source: Demandbase's developer portal as transcribed on 2026-08-13
(vendor-apis.md §8.4, "portal"), or vendorsim's choice where Demandbase publishes none."""

from __future__ import annotations

from vendorsim.mocks.core.limits import LimitConfig

HOST_PATTERN = r"uapi\.demandbase\.com"  # one host for every client (the tenant: client id)
BASE_URL = "https://uapi.demandbase.com"
TOKEN_TTL = 28_800.0  # eight hours
# 1,000 calls a minute (portal: "B2B APIs 1,000 requests/min"; 429, no Retry-After);
# 10,000 accounts a request (chosen)
DEFAULT_LIMITS = LimitConfig(window_calls=1000, window_seconds=60.0, concurrent=None,
                             daily_quota=None, max_batch=10_000)
# the portal allows 5 GB per upload; vendorsim holds uploads in memory and takes 50 MB (chosen)
UPLOAD_LIMIT = 5 * 1024**3
MAX_BODY = 50 * 1024 * 1024
# what each operation needs of the API client's permissions (None: nothing)
WRITE_PERMISSION = "edit_assets"
PERMISSIONS: dict[str, str | None] = {
    "lists.read": None, "lists.write": WRITE_PERMISSION,
    "imports.read": None, "imports.write": WRITE_PERMISSION,
    "exports.read": None, "exports.write": None,
    "activity_types.read": None, "activity_types.write": None,
}
# calls a day per endpoint, counted per client and reset at midnight UTC (portal); past one,
# 429: the export API's with its published code, the import API's with "429-000" (the portal
# publishes no code for them; chosen)
DAILY_CALLS: dict[str, int] = {
    "imports.create": 1200, "imports.data": 1200, "imports.status": 3600,
    "imports.list": 3600,
    "exports.create": 60, "exports.list": 1200, "exports.status": 300, "exports.fields": 60,
}
DAILY_CODE = "429-000"
EXPORT_BYTES_A_DAY = 10 * 1024**3  # exported a day (portal) ...
EXPORT_BYTES_CODE = "429-101"  # ... and past it
CONCURRENT_EXPORTS = 1  # export jobs under way at once (portal) ...
CONCURRENT_EXPORTS_CODE = "429-102"  # ... and past them
# not modelled: "2 concurrent async jobs" (portal) is on the B2B APIs' /job, /match/job and
# /subscriptions/job, which vendorsim does not serve; "concurrent query" (429-100): the
# portal does not say what a query is

# in-progress job states Demandbase may add to without notice (the additive fault shows them)
ADDITIVE_STATES = {"state": {"new": "queued", "processing": "validating"},
                   "jobStatus": {"accepted": "queued", "processing": "validating"}}

# the answers its OpenAPI document describes: JSON or CSV; errors the ErrorDto (OAuth's
# {error} on the token endpoint)
_ERROR = {"anyOf": [{"type": "object", "required": ["errorCode", "errorMessage"],
                     "properties": {"errorCode": {"type": "string"},
                                    "errorMessage": {"type": "string"}}},
                    {"type": "object", "required": ["error"]}]}
OPENAPI_ANSWERS: dict[str, dict[str, dict]] = {
    "2XX": {"application/json": {}, "text/csv": {"type": "string"}},
    "4XX": {"application/json": _ERROR},
    "5XX": {"application/json": _ERROR},
}
