"""Bombora's facts, in one place: token lifetime, limits, its throttling answer."""

from __future__ import annotations

from vendorsim.mocks.core.limits import LimitConfig

HOST_PATTERN = r"api\.bombora\.com"  # one host for every client (the tenant is the client id)
BASE_URL = "https://api.bombora.com"
TOKEN_TTL = 86400.0  # a day
# 600 calls a minute, 10,000 items a request (modelled: Bombora publishes no figures)
DEFAULT_LIMITS = LimitConfig(window_calls=600, window_seconds=60.0, concurrent=None,
                             daily_quota=None, max_batch=10_000)
THROTTLED_MESSAGE = "Too many requests. Try again later."  # with 429 and Retry-After
LIST_TYPES = ("Manual", "Derived", "Surge", "VisitorInsights")
MAX_LIST_NAME = 500  # characters of a list's name (chosen: Bombora publishes none)
ACCOUNT_LISTS = "/account-list/v1/account-list"  # the Account List API's base path

# Webhooks API (vendor-apis.md §8.5): destinations, events enabled per destination, deliveries
# POSTed with X-Bombora-Signature-256 = HMAC-SHA256(secret, UTF-8 body) (chosen: lowercase hex,
# no prefix); a destination with an enabled event cannot be deleted (409); per-event delivery
# statistics. Bombora publishes no retry policy, timeout or limits: those below are chosen.
WEBHOOKS = "/webhooks/v1"
SIGNATURE_HEADER = "X-Bombora-Signature-256"
EVENT_HEADER = "X-Bombora-Event"  # chosen: the event's type, beside the signature
DELIVERY_HEADER = "X-Bombora-Delivery"  # chosen: the event's id (the same on a retry)
EVENTS = {
    "AccountListAccountsUpdated": "Accounts were added to or removed from an account list",
    "SignalDefinitionCreated": "A signal definition was created",
    "SignalDefinitionUpdated": "A signal definition was updated",
    "SignalDefinitionDeleted": "A signal definition was deleted",
}
MAX_DESTINATIONS = 10  # per client (chosen)
WEBHOOK_TIMEOUT = 10.0  # s a receiver has to answer (chosen)
WEBHOOK_RETRIES = (60.0, 600.0, 3600.0)  # waits before the 2nd, 3rd and 4th tries (chosen)

# the answers its OpenAPI document describes: JSON; errors {message} (OAuth's {error} on
# the token endpoint)
OPENAPI_ANSWERS: dict[str, dict[str, dict]] = {
    "2XX": {"application/json": {}},
    "4XX": {"application/json": {"anyOf": [{"type": "object", "required": ["message"]},
                                           {"type": "object", "required": ["error"]}]}},
    "5XX": {"application/json": {"type": "object", "required": ["message"]}},
}
