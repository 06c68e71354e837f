"""Marketo Engage's facts, in one place: error codes and their texts, limits, the quota's
time zone, sizes, token lifetime, the answers of its nginx front (vendor-apis.md §1). The
mock's model, API, service and the simulator's Marketo client all read them from here."""

from __future__ import annotations

from vendorsim.mocks.core.calendar import Change
from vendorsim.mocks.core.limits import LimitConfig
from vendorsim.mocks.core.verdicts import Throttle

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
# -- the asset API (Adobe's Asset API pages and swagger-asset.json) ------------------------
ASSET_PAGE_DEFAULT = 20  # maxReturn when none is given
ASSET_PAGE_MAX = 200
ASSET_NAME_MAX = 255
ASSET_DESCRIPTION_MAX = 2000
TOKEN_NAME_MAX = 50
TOKEN_TYPES = ("date", "number", "rich text", "score", "sfdc campaign", "text")
FOLDER_DEPTH_DEFAULT = 2  # maxDepth of Get Folders when none is given
FORM_GRID = (3, 10)  # form fields sit in up to 3 columns and 10 rows
TRIGGER_CAMPAIGN_LEADS = 100
APP_HOST = "app-ab00.marketo.com"  # where the asset API's url/computedUrl fields point
DUPLICATE_LIST_MESSAGE = "Static List with the same name already exists"

NGINX_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)

STATUS_REASONS = {400: "Bad Request", 500: "Internal Server Error", 502: "Bad Gateway",
                  503: "Service Unavailable", 504: "Gateway Time-out",
                  429: "Too Many Requests", 404: "Not Found",
                  413: "Request Entity Too Large", 414: "Request-URI Too Large"}

# -- limits (Marketo REST API docs: 100 calls per 20 s, 10 at once, 50,000 a day reset at
# midnight US Central, 300 records a call) ------------------------------------------------
QUOTA_ZONE = "America/Chicago"
MAX_BATCH = 300
DEFAULT_LIMITS = LimitConfig(window_calls=100, window_seconds=20.0, concurrent=10,
                             daily_quota=50_000, quota_timezone=QUOTA_ZONE, max_batch=MAX_BATCH)
LIMIT_CODES = {"window": "606", "concurrent": "615", "quota": "607"}
# "not now" codes and the wait they ask for (606: the window; 615: chosen, Marketo documents
# none; 607: until the quota resets, None)
THROTTLES = {"606": Throttle("Marketo's 100-calls-per-20-s window", 20.0),
             "615": Throttle("Marketo's 10 calls in flight", 1.0),
             "607": Throttle("Marketo's daily quota", None)}
REFUSAL_CODES = frozenset({"603", "1003", "1004", "1006", "1008"})  # no retry fixes them
TOKEN_REFUSAL_CODES = frozenset({"601", "602"})  # invalid, expired: a new token fixes them
# where the client verdicts' rules come from, for Marketo
VERDICT_SOURCES = {
    "retry_too_soon": "Marketo's error codes page (606/615/607: wait for the window, the calls "
                      "in flight, the quota's reset)",
    "repeated_refusal": "Marketo's error codes that no retry fixes (603, 1003-1008)",
    "token_churn": "Marketo Authentication: reuse the token until it expires",
    "oversized": "Marketo: 300 records, 1 MB bodies, 8 KB URIs (use POST with _method=GET)",
}
BULK_ONLY_CODES = frozenset({"1016", "1019", "1029"})  # import/export queue codes
# the HTTP status a response-level code stands for in a delivery policy (400: not retried)
POLICY_STATUS = {"606": 429, "607": 429, "615": 429, "604": 408, "608": 503, "611": 500,
                 "713": 503}

# -- sizes and forms ---------------------------------------------------------------------
MAX_BODY = 1024 * 1024  # 413 above this (vendor-apis.md §1.3)
MAX_BULK_BODY = 10 * 1024 * 1024  # bulk import files (vendor-apis.md §1.6)
MAX_URI = 8 * 1024  # 414 above this
JSON_TYPE = "application/json;charset=UTF-8"
TOKEN_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # vendor-apis.md 1.2
# the instance's REST host: `{munchkin}.mktorest.com`
HOST_PATTERN = r"(?P<tenant>[a-z0-9]+(?:-[a-z0-9]+)*)\.mktorest\.com"
BASE_URL = "https://{tenant}.mktorest.com"
TOKEN_TTL = 3600.0

# -- activities and bulk -----------------------------------------------------------------
ACTIVITY_RETENTION_DAYS = 90  # Marketo keeps activities 90 days
MAX_ACTIVITY_TYPE_IDS = 10
MAX_ACTIVITY_LEAD_IDS = 30
EXPORT_MAX_QUEUED = 10
EXPORT_MAX_PROCESSING = 2
EXPORT_FILE_RETENTION = 7 * 86400.0
# a job's status "does not update more frequently than once every 60 seconds" (§7.3)
EXPORT_STATUS_INTERVAL = 60.0
EXPORT_MAX_RANGE_DAYS = 31
IMPORT_MAX_ACTIVE = 10

# Marketo's calendar (vendor-apis.md §7.3): dated changes, applied by each instance's clock
QUERY_TOKEN_RULE = "marketo.query_token"
BIG_LIST_RULE = "marketo.activities_big_list"
BIG_LIST_LEADS = 10_000  # a listId filter on a list this big is refused once the rule holds
QUERY_TOKEN_CODE = "600"  # unpublished: the parameter is no longer read, so no token came
CHANGES = (
    Change(QUERY_TOKEN_RULE, "2026-08-31",
           "access_token as a query or form parameter is refused; the Authorization: Bearer "
           "header keeps working",
           f"{QUERY_TOKEN_CODE} {MESSAGES[QUERY_TOKEN_CODE]} (Adobe does not publish the "
           "code; vendorsim's choice)",
           "Adobe developer docs, Marketo REST API Authentication (removal date moved six "
           "times; 2026-08-31 is the page's last)"),
    Change(BIG_LIST_RULE, "2026-09-30",
           "Get Lead Activities and Get Lead Changes with listId of a static list holding "
           f"{BIG_LIST_LEADS:,} leads or more are refused",
           "1003 (request-level error)",
           "Adobe developer docs, Marketo REST API migration notes (help/rest-api/migration.md)"),
)

# in-progress states Marketo may add to without notice (the additive fault shows new ones)
ADDITIVE_STATES = {"status": {"Queued": "Pending", "Processing": "Running",
                              "Importing": "Validating"}}

# the answers its OpenAPI document describes (docs/how-to/admin-api.md): the REST envelope
# (errors in HTTP 200 answers too), the identity endpoint's token and OAuth errors, nginx's
# own pages
_ENVELOPE = {"type": "object", "required": ["success"], "properties": {
    "requestId": {"type": "string"}, "success": {"type": "boolean"},
    "result": {"type": "array"}, "warnings": {"type": "array"},
    "nextPageToken": {"type": "string"}, "moreResult": {"type": "boolean"},
    "errors": {"type": "array", "items": {"type": "object", "required": ["code", "message"],
                                          "properties": {"code": {"type": "string"},
                                                         "message": {"type": "string"}}}}}}
_TOKEN = {"type": "object", "required": ["access_token", "token_type", "expires_in"],
          "properties": {"access_token": {"type": "string"}, "token_type": {"type": "string"},
                         "expires_in": {"type": "integer"}, "scope": {"type": "string"}}}
_OAUTH_ERROR = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string"}, "error_description": {"type": "string"}}}
_TEXT = {"type": "string"}
OPENAPI_ANSWERS: dict[str, dict[str, dict]] = {
    "2XX": {"application/json": {"anyOf": [_ENVELOPE, _TOKEN]}, "text/csv": _TEXT,
            "text/plain": _TEXT, "application/octet-stream": _TEXT,
            "text/tab-separated-values": _TEXT},
    "4XX": {"application/json": {"anyOf": [_ENVELOPE, _OAUTH_ERROR]}, "text/html": _TEXT},
    "5XX": {"text/html": _TEXT, "application/json": _ENVELOPE},
}

# -- Adobe's Marketo Engage MCP server (vendor-apis.md §8.3; Adobe's help/mcp-server.md and
# help/mcp-server-operations.md): streamable HTTP at /mcp, the caller's Marketo credentials
# in three headers on every request (or, through Adobe's stdio bridge, three environment
# variables), the errors of its troubleshooting table
MCP_PATH = "/mcp"
MCP_HEADERS = ("X-Marketo-Client-Id", "X-Marketo-Client-Secret", "X-Marketo-Munchkin-Id")
MCP_ENV = ("MARKETO_MCP_PROD_CLIENT_ID", "MARKETO_MCP_PROD_CLIENT_SECRET",
           "MARKETO_MCP_PROD_MUNCHKIN_ID")
MCP_NO_CREDENTIALS = "Marketo credentials not provided"
MCP_UNAUTHORIZED = "401 Unauthorized"  # credentials missing, invalid or expired
MCP_FORBIDDEN = "403 Forbidden"  # valid credentials, instance not enabled for MCP
MCP_TOO_MANY = "Too many requests"  # the instance's API limits (606, 607, 615)

# -- campaign email sends and the Call Webhook flow step (vendor-apis.md §8.3; Adobe's
# "Create a Webhook", "Response Mappings", "Call Webhook" flow action pages)
WEBHOOK_TIMEOUT = 30.0  # seconds Marketo waits for a webhook's answer
WEBHOOK_METHODS = ("GET", "POST")
WEBHOOK_ENCODINGS = ("JSON", "Form/Url")  # request token encoding
WEBHOOK_RESPONSE_TYPES = ("JSON", "None")  # (XML is Adobe's third: not modelled)
WEBHOOK_TEMPLATE_MAX = 65_536  # characters of a payload template (chosen)
WEBHOOK_HEADERS_MAX = 50  # custom headers of one webhook (chosen)
# Call Webhook's "Error Type" (chosen numbering, the "Webhook is Called" trigger's choices)
WEBHOOK_OK, WEBHOOK_TIMED_OUT, WEBHOOK_HTTP_ERROR, WEBHOOK_UNREACHABLE = 0, 1, 2, 3
# Email Bounced / Email Bounced Soft: Marketo's bounce categories 1 (hard) and 2 (soft)
BOUNCE_CATEGORIES = {"Hard bounce": ("1", "Email Bounced"),
                     "Soft bounce": ("2", "Email Bounced Soft")}
# the lead fields a send honours: a lead holding any of them true is not sent to
NOT_EMAILABLE = ("unsubscribed", "emailInvalid", "marketingSuspended", "blackListed")
MAX_FLOW_STEPS = 100  # steps of one campaign's flow (chosen)
