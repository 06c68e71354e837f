"""Webhooks and the Call Webhook flow step (vendor-apis.md §8.3; Adobe's "Create a Webhook",
"Response Mappings"): a seeded webhook names a URL, GET or POST, a payload template with
tokens (`{{lead.Email Address}}`, `{{lead.email}}`, `{{campaign.name}}`, `{{my.Token}}`,
`{{system.dateTime}}`, each may end `:default=...`; in the URL, the template and custom
headers), the tokens' encoding (JSON: a string-type token is written as a quoted JSON
string, as Adobe says Marketo does, a number or boolean as itself; Form/Url: URL-encoded),
custom headers, and response mappings from the JSON answer (`data.score`, `results[0].id`) into
lead fields by API name, applied only on a 2xx answer within 30 s. The call goes through
the cloud's outbox (journalled, receiver faults as the outbox offers, no retry: Marketo
tries a webhook once) and its outcome is logged as a Call Webhook activity.

Chosen where Adobe is silent: tokens in the URL are URL-encoded whatever the encoding; a
GET sends no body; an unknown token namespace is left as written; a lead token with no value
is its default, else null in JSON and empty elsewhere; Error Type is 0 (answered 2xx),
1 (timed out), 2 (an HTTP error), 3 (could not connect); only scalar values (text, numbers,
booleans) the field can hold are mapped, into fields that are not read-only."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

from vendorsim.mocks.core.clock import Clock, iso_utc

from ..facts import (
    WEBHOOK_ENCODINGS,
    WEBHOOK_HEADERS_MAX,
    WEBHOOK_HTTP_ERROR,
    WEBHOOK_METHODS,
    WEBHOOK_OK,
    WEBHOOK_RESPONSE_TYPES,
    WEBHOOK_TEMPLATE_MAX,
    WEBHOOK_TIMED_OUT,
    WEBHOOK_TIMEOUT,
    WEBHOOK_UNREACHABLE,
)
from .activity_log import CALL_WEBHOOK, ActivityLog
from .errors import RecordError
from .fields import check_value
from .leads import LeadStore
from .records import Lead

if TYPE_CHECKING:
    from vendorsim.mocks.core.outbox import Delivery, Outbox

TOKEN = re.compile(r"\{\{\s*(\w+)\.([^{}:]+?)\s*(?::default=([^{}]*))?\}\}")
PATH_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
PATH = re.compile(r"[^.\[\]]+(\[\d+\])*(\.[^.\[\]]+(\[\d+\])*)*")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
NOT_TEXT = {"integer", "float", "currency", "score", "boolean", "percent"}  # field types


@dataclass
class Webhook:
    id: int
    name: str
    url: str
    method: str = "POST"
    template: str = ""
    encoding: str = "JSON"
    headers: tuple[tuple[str, str], ...] = ()
    response_type: str = "JSON"
    mappings: tuple[tuple[str, str], ...] = ()  # (response attribute, lead field)
    description: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "url": self.url, "requestType": self.method, "template": self.template,
                "requestTokenEncoding": self.encoding,
                "customHeaders": [{"name": n, "value": v} for n, v in self.headers],
                "responseType": self.response_type,
                "responseMappings": [{"responseAttribute": a, "leadField": f}
                                     for a, f in self.mappings]}


@dataclass(frozen=True)
class Context:
    """What a call's tokens read besides the lead."""

    campaign: dict[str, object]
    program: dict[str, object]
    my: dict[str, str]  # "{{my.Name}}" lowered -> value (the request's tokens)
    now: float


class Webhooks:
    """The instance's webhooks; calls go to the outbox, answers come back under the lock."""

    def __init__(self, lock: threading.RLock, clock: Clock, leads: LeadStore,
                 log: ActivityLog, outbox: Outbox | None, tenant: str) -> None:
        self.lock = lock
        self.clock = clock
        self.leads = leads
        self.log = log
        self.outbox = outbox
        self.tenant = tenant
        self.hooks: dict[int, Webhook] = {}

    # -- a call --------------------------------------------------------------------------
    def call(self, hook_id: int, lead: Lead, context: Context, campaign_id: int) -> None:
        """Call Webhook for one lead (under the instance's lock): the request is built now
        and delivered by the outbox; its answer is applied when it comes."""
        hook = self.hooks.get(hook_id)
        if hook is None or self.outbox is None:
            return
        url = self._fill(hook.url, lead, context, _in_url)
        body = b""
        if hook.method == "POST":
            body = self._fill(hook.template, lead, context, _in_json
                              if hook.encoding == "JSON" else _in_form).encode()
        content_type = "application/json" if hook.encoding == "JSON" else \
            "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, "User-Agent": "Jakarta Commons-HttpClient/3.1",
                   **{name: self._fill(value, lead, context, _in_header)
                      for name, value in hook.headers}}
        self.outbox.deliver("marketo", self.tenant, "webhook", url, body, headers,
                            timeout=WEBHOOK_TIMEOUT, max_tries=1, method=hook.method,
                            due=context.now,  # the step's time (a clock that jumped)
                            key=f"webhook-{hook.id}-{lead.id}-{context.now}", owner=self.lock,
                            done=functools.partial(self.answered, hook.id, lead.id,
                                                   campaign_id))

    def _fill(self, template: str, lead: Lead, context: Context,
              render: Callable[[object, bool], str]) -> str:
        """The template with each token's value as `render` writes it (value or None, and
        whether the token is of a string type)."""
        def value(match: re.Match) -> str:
            space, name, default = match.group(1).lower(), match.group(2).strip(), \
                match.group(3)
            found: object = None
            text_type = True
            if space in ("lead", "company"):
                found, text_type = self._lead_value(lead, name)
            elif space in ("campaign", "program"):
                found = (context.campaign if space == "campaign" else context.program).get(
                    name.lower())
                text_type = name.lower() != "id"
            elif space == "my":
                found = context.my.get(name.lower())
            elif space == "system":
                found = _system(name.lower(), context.now)
            else:
                return match.group(0)
            if found is None or found == "":
                found = default if default else None
            return render(found, text_type)
        return TOKEN.sub(value, template)

    def _lead_value(self, lead: Lead, name: str) -> tuple[object, bool]:
        """A lead field's value by API or display name, and whether it is of a string type."""
        fields = self.leads.schema.fields
        wanted = name.lower().replace(" ", "")
        for api_name, definition in fields.items():
            if wanted in (api_name.lower(), definition.display_name.lower().replace(" ", "")):
                return lead.get(api_name), definition.data_type not in NOT_TEXT
        return None, True

    def answered(self, hook_id: int, lead_id: int, campaign_id: int, delivery: Delivery
                 ) -> None:
        """The outbox's word on a call: log it; on 2xx map the answer onto the lead."""
        with self.lock:
            hook, lead = self.hooks.get(hook_id), self.leads.get(lead_id)
            if hook is None or lead is None:
                return
            status = delivery.status
            error = delivery.error or ""
            slow = (delivery.elapsed or 0) > delivery.timeout
            ok = status is not None and 200 <= status < 300 and not slow
            kind = WEBHOOK_OK if ok else WEBHOOK_TIMED_OUT if slow or "Timeout" in error \
                else WEBHOOK_HTTP_ERROR if status is not None else WEBHOOK_UNREACHABLE
            answer = delivery.answer.decode("utf-8", "replace")
            # when it answered: on a clock that jumped, the try's own time, not the jump's end
            now = min(self.clock.now(), delivery.due + (delivery.elapsed or 0.0))
            self.log.add(lead_id, CALL_WEBHOOK, now, hook.id, hook.name,
                         (("Error Type", kind), ("Response", answer[:2000])),
                         campaign_id=campaign_id)
            if not ok or not hook.mappings or hook.response_type != "JSON":
                return
            try:
                data = json.loads(answer)
            except ValueError:
                return  # not JSON: nothing to map
            values = {}
            fields = self.leads.schema.fields
            for attribute, field_name in hook.mappings:
                found = _at_path(data, attribute)
                if isinstance(found, str | int | float | bool) and field_name in fields:
                    try:  # a value the field cannot hold is not written (chosen)
                        values[field_name] = check_value(fields[field_name], found)
                    except RecordError:
                        continue
            if values:
                self.leads.update(lead, values, now, (("Reason", f"Webhook: {hook.name}"),
                                                      ("Source", "Marketo Flow Action")))

    # -- seeds and snapshots -------------------------------------------------------------
    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("webhooks is a list of {id, name, url, requestType, template, "
                             "requestTokenEncoding, customHeaders, responseType, "
                             "responseMappings}")
        for spec in specs:
            hook = parse_webhook(spec, {name for name, f in self.leads.schema.fields.items()
                                        if not f.read_only})
            if hook.id in self.hooks:
                raise ValueError(f"webhook {hook.id}: the id is taken")
            self.hooks[hook.id] = hook

    def snapshot(self) -> list[dict]:
        return [h.to_dict() for h in self.hooks.values()]


KEYS = {"id", "name", "description", "url", "requestType", "template", "requestTokenEncoding",
        "customHeaders", "responseType", "responseMappings"}


def parse_webhook(spec: object, fields: set[str]) -> Webhook:
    """A webhook from its seed; ValueError naming what is wrong."""
    if not isinstance(spec, dict) or type(spec.get("id")) is not int or spec["id"] < 1:
        raise ValueError("a webhook is an object with a whole-number id from 1")
    where = f"webhook {spec['id']}"
    unknown = set(spec) - KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                         f"(keys: {', '.join(sorted(KEYS))})")
    name, url = spec.get("name"), spec.get("url")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ValueError(f"{where}: name is text of 1 to 255 characters")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or \
            len(url) > 2000 or any(c.isspace() for c in TOKEN.sub("", url)):
        raise ValueError(f"{where}: url is an http(s) URL")
    method = spec.get("requestType", "POST")
    encoding = spec.get("requestTokenEncoding", "JSON")
    response_type = spec.get("responseType", "JSON")
    for key, value, allowed in (("requestType", method, WEBHOOK_METHODS),
                                ("requestTokenEncoding", encoding, WEBHOOK_ENCODINGS),
                                ("responseType", response_type, WEBHOOK_RESPONSE_TYPES)):
        if value not in allowed:
            raise ValueError(f"{where}: {key} is one of {', '.join(allowed)}")
    template = spec.get("template", "")
    if not isinstance(template, str) or len(template) > WEBHOOK_TEMPLATE_MAX:
        raise ValueError(f"{where}: template is text of at most {WEBHOOK_TEMPLATE_MAX} "
                         "characters")
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise ValueError(f"{where}: description is text")
    headers = spec.get("customHeaders") or []
    if not isinstance(headers, list) or len(headers) > WEBHOOK_HEADERS_MAX or not all(
            isinstance(h, dict) and set(h) == {"name", "value"} and
            isinstance(h["name"], str) and re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+",
                                                        h["name"]) and
            isinstance(h["value"], str) and not any(c in h["value"] for c in "\r\n")
            for h in headers):
        raise ValueError(f"{where}: customHeaders is a list of at most {WEBHOOK_HEADERS_MAX} "
                         "{name, value} (a header name, a value on one line)")
    mappings = spec.get("responseMappings") or []
    if not isinstance(mappings, list) or not all(
            isinstance(m, dict) and set(m) == {"responseAttribute", "leadField"} and
            isinstance(m["responseAttribute"], str) and
            PATH.fullmatch(m["responseAttribute"]) and m["leadField"] in fields
            for m in mappings):
        raise ValueError(f"{where}: responseMappings is a list of {{responseAttribute "
                         "(dot and [n] notation), leadField (a writable lead field's API name)}")
    return Webhook(spec["id"], name, url, method, template, encoding,
                   tuple((h["name"], h["value"]) for h in headers), response_type,
                   tuple((m["responseAttribute"], m["leadField"]) for m in mappings),
                   description)


def _text(value: object) -> str:
    if value is None:
        return ""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _in_json(value: object, text_type: bool) -> str:
    """JSON encoding: a string-type token is written as a JSON string, quotes and all
    (Adobe: "String-type tokens are automatically enclosed in double quotes"); a number or
    boolean as itself; no value as null (chosen)."""
    if value is None:
        return "null"
    if not text_type and isinstance(value, bool | int | float):
        return json.dumps(value)
    if not text_type and isinstance(value, str) and \
            (NUMBER.fullmatch(value) or value in ("true", "false")):
        return value  # a number or boolean field's default (`:default=0`)
    return json.dumps(_text(value), ensure_ascii=False)


def _in_form(value: object, text_type: bool) -> str:
    return quote_plus(_text(value))


def _in_url(value: object, text_type: bool) -> str:
    return quote(_text(value), safe="")


def _in_header(value: object, text_type: bool) -> str:
    return re.sub(r"[\r\n]", " ", _text(value))


def _at_path(data: object, path: str) -> object:
    """The value at `a.b[0].c` in a JSON document; None when there is none."""
    for name, index in PATH_STEP.findall(path):
        if name:
            if not isinstance(data, dict):
                return None
            data = data.get(name)
        else:
            if not isinstance(data, list) or int(index) >= len(data):
                return None
            data = data[int(index)]
    return data


def _system(name: str, now: float) -> str | None:
    stamp = iso_utc(now)  # 2026-11-23T12:00:00Z
    return {"datetime": stamp[:10] + " " + stamp[11:19], "date": stamp[:10],
            "time": stamp[11:16]}.get(name)
