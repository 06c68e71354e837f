"""Demandbase's facts, in one place: token lifetime, limits, sizes, export job limits."""

from __future__ import annotations

from vendorsim.mocks.core.limits import LimitConfig

HOST_PATTERN = r"uapi\.demandbase\.com"  # one host for every client (the tenant: client id)
BASE_URL = "https://uapi.demandbase.com"
TOKEN_TTL = 28_800.0  # eight hours
# 1,000 calls a minute, 10,000 accounts a request (modelled: the public docs give none)
DEFAULT_LIMITS = LimitConfig(window_calls=1000, window_seconds=60.0, concurrent=None,
                             daily_quota=None, max_batch=10_000)
MAX_BODY = 50 * 1024 * 1024  # import CSV files; the real cap is undocumented
# what each operation needs of the API client's permissions (None: nothing)
WRITE_PERMISSION = "edit_assets"
PERMISSIONS: dict[str, str | None] = {
    "lists.read": None, "lists.write": WRITE_PERMISSION,
    "imports.read": None, "imports.write": WRITE_PERMISSION,
    "exports.read": None, "exports.write": None,
    "activity_types.read": None, "activity_types.write": None,
}
MAX_ACTIVE_JOBS = 2  # export jobs running at once ("Max 2 jobs are allowed at a time")

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
