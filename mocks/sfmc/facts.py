"""Salesforce Marketing Cloud's facts, in one place (vendor-apis.md §2): token lifetime,
limits, error codes, sizes, scopes. The model, routes and service read them from here."""

from __future__ import annotations

from vendorsim.mocks.core.calendar import Change
from vendorsim.mocks.core.limits import LimitConfig

DOCS = "https://developer.salesforce.com/docs/atlas.en-us.mc-apis.meta/mc-apis/error-handling.htm"
# the account's hosts: `{sub}.auth.` issues tokens, `{sub}.rest.` and `{sub}.soap.` serve the APIs
HOST_PATTERN = r"(?P<tenant>[a-z0-9-]+)\.(?:auth|rest|soap)\.marketingcloudapis\.com"
HOST = "{tenant}.{kind}.marketingcloudapis.com"
BASE_URL = "https://{tenant}.auth.marketingcloudapis.com"  # where a client starts: the auth host
EXAMPLE_SUBDOMAIN = "mc563885gzs27c5t9-63k636ttgm"
TOKEN_TTL = 1080.0  # 18 minutes: the first answer says expires_in 1079
# 2,500 calls a minute per installed package (chosen from the REST guide's throttling page)
DEFAULT_LIMITS = LimitConfig(window_calls=2500, window_seconds=60.0, concurrent=None,
                             daily_quota=None, max_batch=32_000)
THROTTLED = 50100  # errorcode of a 429: "Rate limit exceeded"
BLOCKED = 50200  # "temporarily blocked": no Retry-After, retrying does not clear it
INVALID_REQUEST = 10001  # a malformed filter, page or body
ROWS_REFUSED = 10006  # "Unable to save rows for data extension"
NO_PRIVILEGE = 20002  # a scope the token lacks
REFUSAL_CODES = frozenset({str(ROWS_REFUSED)})
ASYNC_MAX_ITEMS = 32_000  # items per async upsert request
MAX_BODY = 32 * 1024 * 1024  # room for 32,000 async rows; the real cap is undocumented
MAX_PAGE_SIZE = 2500  # rowset pages
MAX_FILTER = 2000  # characters; longer filters are refused before they are parsed
# the scope each area's reads and writes need (B-SFMC-03), REST and SOAP alike: the model's
# operations check them, so no transport can do what the installed package may not
SCOPES = {
    "data_extensions.read": "data_extensions_read",
    "data_extensions.write": "data_extensions_write",
    "subscribers.read": "list_and_subscribers_read",
    "subscribers.write": "list_and_subscribers_write",
    "journeys.execute": "journeys_execute",
    "email.send": "email_send",
    "campaigns.read": "campaign_read",
    "campaigns.write": "campaign_write",
    "content.read": "documents_and_images_read",  # Content Builder (chosen: one scope pair)
    "content.write": "documents_and_images_write",
    "email.read": "email_read",  # emails, triggered send definitions, folders (SOAP)
    "email.write": "email_write",
    "sends.read": "email_read",  # sends and list sends (SOAP)
    "sends.write": "email_send",
    "tracking.read": "tracking_events_read",  # the tracking events (SOAP)
    "tracking.write": "tracking_events_write",
    "ens.read": "webhooks_read",  # Event Notification Service callbacks, subscriptions
    "ens.write": "webhooks_write",
    "messages.send": "email_send",  # transactional messages
    "messages.read": "email_read",
}
DEFAULT_SCOPES = frozenset({
    "offline", "documents_and_images_read", "saved_content_read", "list_and_subscribers_read",
    "data_extensions_read", "data_extensions_write", "email_read", "journeys_read",
    "list_and_subscribers_write", "journeys_execute", "email_send", "campaign_read",
    "campaign_write", "documents_and_images_write", "saved_content_write", "email_write",
    "tracking_events_read", "tracking_events_write", "webhooks_read", "webhooks_write",
})

# client secrets age (vendor-apis.md §7.2, "Rotate an OAuth 2.0 Secret")
SECRET_RULE = "sfmc.secret_expiry"
SECRET_LIFETIME = 180 * 86400.0  # a secret expires 180 days after it is generated
STAGE_INTERVAL = 300.0  # a new secret can be staged once in 5 minutes
CHANGES: tuple[Change, ...] = (
    Change(SECRET_RULE, "2026-09-30",
           "client secrets expire 180 days after they are generated (rotate: stage a new "
           "secret, move the integration to it, activate it)",
           "401 invalid_client on POST /v2/token",
           "Salesforce developer docs, Rotate an OAuth 2.0 Secret; existing secrets had to "
           "be rotated before 2026-09-30"),
)

# Event Notification Service (vendor-apis.md §8.1)
ENS_VERIFY_SECONDS = 30.0  # a callback's URL answers the verification within this
ENS_ANSWER_SECONDS = 3.0  # a receiver answers a batch of notifications within this
ENS_MIN_BATCH, ENS_MAX_BATCH = 100, 1000  # maxBatchSize (default the most)
ENS_RETRY_RULE = "sfmc.ens_retry"
# the older page: up to 3 tries, then dropped (and a callback failing twice in 5 minutes
# suspended for 10 minutes, growing to an hour); the newer: deferred up to 10 minutes, then
# tried again for up to 7 days (vendorsim's reading: at growing intervals)
ENS_RETRIES_OLD = (60.0, 60.0)
ENS_RETRIES_NEW = (600.0, 1800.0, 3600.0, 7200.0, 21600.0, 43200.0, *(86400.0,) * 6)
CHANGES += (
    Change(ENS_RETRY_RULE, "2026-01-01",
           "ENS keeps a failed delivery for up to 7 days (tried again at growing "
           "intervals) instead of dropping it after 3 tries and suspending the callback",
           "a notification delivered late, not lost",
           "Salesforce developer docs: two ENS pages disagree and neither is dated; vendorsim "
           "dates the newer one 2026-01-01 (chosen)"),
)

# transactional messaging (vendor-apis.md §8.2)
MESSAGE_RECIPIENTS = 2000  # recipients one batch send may name ...
MESSAGE_RECIPIENTS_WITH_ATTRIBUTES = 500  # ... when any of them carries attributes
MESSAGE_KEY_LENGTH = 100
MESSAGE_KEY_HOURS = 72  # a message key is unique in the business unit this long
DUPLICATE_MESSAGE_KEY = 30008  # (chosen code: SFMC publishes the rule, not the code)
UNKNOWN_MESSAGE_DEFINITION = 30002  # (chosen code)

# in-progress states SFMC may add to without notice (the additive fault shows new ones)
ADDITIVE_STATES = {"requestStatus": {"Pending": "Validating"}}

# the SOAP API (vendor-apis.md §7.1)
SOAP_NS = "http://exacttarget.com/wsdl/partnerAPI"
FAULT_NS = "urn:fault.partner.exacttarget.com"
OAUTH_HEADER_NS = "http://exacttarget.com"  # <fueloauth>, legacy <oAuth><oAuthToken>
SOAP_PAGE = 2500  # results a Retrieve page holds (MoreDataAvailable beyond)
# limits of vendorsim's SOAP front where SFMC publishes none (chosen; docs/reference/sfmc.md):
# each answers a SOAP fault before any work is done
SOAP_CURSORS_KEPT = 100  # unfinished Retrieves a tenant keeps for ContinueRequest (oldest go)
MAX_SOAP_BODY = 16 * 1024 * 1024  # bytes of one SOAP request
MAX_FIELDS = 4000  # columns of one data extension
MAX_RETRIEVE_PROPERTIES = MAX_FIELDS  # distinct Properties one Retrieve may name
# objects one Create/Update/Delete may carry: SFMC's guidance for sync SOAP batches is ~50
# objects; it does not publish a hard cap, so vendorsim takes its Retrieve page size
MAX_WRITE_OBJECTS = 2500
TOKEN_EXPIRED = "Token Expired"  # the faultstring SDKs refresh and retry on
NO_SECURITY_HEADER = ("Security requirements are not satisfied because the security header "
                      "is not present in the incoming message.")
LOGIN_FAILED = "Login failed"  # a token SFMC never issued (chosen)
SOAP_THROTTLED = "Server.TooManyRequests: the API call limit was exceeded"  # (chosen text)
DUPLICATE_SUBSCRIBER = 12014  # Create of a subscriber whose key exists
DUPLICATE_ROW = 2  # Create of a data extension row whose primary key exists (chosen code)
SUBSCRIBER_STATUSES = ("Active", "Bounced", "Held", "Unsubscribed", "Deleted")
LIST_TYPES = ("Public", "Private", "SalesForce", "GlobalUnsubscribe", "Master")
MAX_XML_DEPTH = 64  # deeper SOAP bodies are refused with a fault (counted while parsing)
MAX_XML_ELEMENTS = 250_000  # elements of one SOAP request (counted while parsing)

# Content Builder (vendor-apis.md §8.2): asset types by id (name, display name), a subset
# of SFMC's published list (the types assets are made of; base types are not); the codes of
# its uniqueness rules are chosen (SFMC publishes the rules, "Asset names within a category
# and asset type must be unique", not their codes)
ASSET_TYPES: dict[int, tuple[str, str]] = {
    20: ("gif", "Image"), 22: ("jpeg", "Image"),
    23: ("jpg", "Image"), 28: ("png", "Image"), 39: ("svg", "Image"),
    195: ("template", "Template"), 196: ("textblock", "Text Block"),
    197: ("htmlblock", "HTML Block"), 198: ("textplusimageblock", "Text Plus Image Block"),
    199: ("imageblock", "Image Block"), 205: ("webpage", "Web Page"),
    207: ("templatebasedemail", "Template-Based Email"), 208: ("htmlemail", "HTML Email"),
    209: ("textonlyemail", "Text Only Email"), 220: ("codesnippetblock", "Code Snippet Block"),
}
DUPLICATE_ASSET_NAME = 118039
DUPLICATE_ASSET_KEY = 118037
CONTENT_PAGE = 50  # Content Builder's default page size
MAX_CONTENT_PAGE = 500  # its largest (chosen)

# the answers of the auth host and of a refused token
NOT_AUTHORIZED = {"documentation": DOCS, "errorcode": 0, "message": "Not Authorized"}
BAD_CLIENT = {
    "error": "invalid_client",
    "error_description": "Client authentication failed. Make sure that the client ID and client "
                         "secret are valid and that the package is installed and enabled.",
    "error_uri": "https://developer.salesforce.com/docs",
}

# what every account holds from the start (issue 36; vendor-apis.md §8.2): the All Subscribers
# list, holding every subscriber; the system data folders, one root per content type
ALL_SUBSCRIBERS_ID = 1
ALL_SUBSCRIBERS = "All Subscribers"
SYSTEM_FOLDERS = (("Data Extensions", "dataextension"),
                  ("Shared Data Extensions", "shared_dataextension"),
                  ("my emails", "email"), ("my lists", "list"),
                  ("Triggered Sends", "triggered_send"), ("my templates", "template"),
                  ("my contents", "content"), ("Journey Builder Sends", "journey"))
# subscriber statuses a commercial send skips (a NotSentEvent): an unsubscribe and a held
# address (vendorsim holds an address after a hard bounce: chosen)
NOT_SENT_TO = ("Unsubscribed", "Held", "Deleted")

# journeys, triggered sends, campaigns (vendor-apis.md §7.2)
EVENTS_KEPT = 1000  # entry events and triggered sends an account keeps (the newest)
UNKNOWN_EVENT_DEFINITION = 30000  # an EventDefinitionKey the account has not (chosen code)
UNKNOWN_SEND_DEFINITION = 30001  # a triggered send key the account has not (chosen code)
CAMPAIGN_FIELDS = ("name", "description", "campaignCode", "color", "favorite")

# the answers its OpenAPI document describes: JSON objects or arrays; errors as SFMC's
# {message, errorcode}, OAuth's {error}, the Contacts API's FAIL envelope; SOAP as text/xml
_ERROR = {"anyOf": [
    {"type": "object", "required": ["message", "errorcode"]},
    {"type": "object", "required": ["error"]},
    {"type": "object", "required": ["operationStatus", "hasErrors"]}]}
_XML = {"type": "string"}
OPENAPI_ANSWERS: dict[str, dict[str, dict]] = {
    "2XX": {"application/json": {"anyOf": [{"type": "object"}, {"type": "array"}]},
            "text/xml": _XML},
    "4XX": {"application/json": _ERROR},
    "5XX": {"application/json": _ERROR, "text/xml": _XML},
}
