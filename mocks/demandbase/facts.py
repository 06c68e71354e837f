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
    # subscription alerts change no data: any API client (chosen)
    "subscriptions.read": None, "subscriptions.write": None,
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

# Subscription alerts (portal, vendor-apis.md §8.4): a subscription's destination is checked
# with a HEAD carrying the validation code, which the receiver echoes (chosen: in the answer's
# header of the same name); states VERIFICATION_PENDING -> RUNNING -> ACTIVE | DISABLED; alert
# pages of at most 5,000 entities signed with the subscription's signingSecret
SUBSCRIPTIONS = "/subscriptions/v1/alerts"  # chosen: the portal's path is not transcribed
VALIDATION_HEADER = "X-DemandbaseAPI-ValidationCode"
SIGNATURE_HEADER = "X-DemandbaseAPI-Signature"  # chosen name; value hex HMAC-SHA256 (chosen)
ALERT_PAGE = 5000  # entities an alert page holds at most (portal)
ALERT_TYPES = ("ACCOUNT_LIST_MEMBERSHIP",)  # what vendorsim sends alerts about (chosen)
MAX_SUBSCRIPTIONS = 20  # per API client (chosen: none published)
MAX_LISTS_WATCHED = 100  # account lists one subscription names (chosen)
VALIDATION_DELAY = 1.0  # s after the create answer: the HEAD comes after it (chosen)
ALERT_DELAY = 60.0  # s: changes are gathered this long, then paged and sent (chosen)
ALERT_TIMEOUT = 10.0  # s a receiver has to answer (chosen)
VALIDATION_RETRIES = (60.0, 300.0)  # waits before the HEAD's 2nd and 3rd tries (chosen)
ALERT_RETRIES = (60.0, 300.0, 1800.0, 7200.0)  # waits before an alert page's tries (chosen)
