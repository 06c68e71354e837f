"""One call's life, in one place and the same order for every vendor and transport (REST,
bulk, SOAP):

    open → route and tenant → early refusals → fault → token and scopes → admission →
    latency → VIEW → envelope (reshaping) → settle the limits ticket → traces, metrics,
    journal → the vendor's own bookkeeping

Each step is a function below. What differs between vendors is a hook of their service
(`VendorService.identify_tenant`, `refuse_early`, `check_token`, `admitted`, and the
renderings of faults and limits); what differs between transports (SOAP's header token in
the body) is the vendor's `check_token`. A view runs only once the call is admitted: its
token checked, its slot with the tenant's limits taken, an injected latency slept.
"""

from __future__ import annotations

import difflib
import functools
import time
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from flask import Flask, Request, Response, current_app, request
from werkzeug.exceptions import HTTPException

from . import connection, tracing
from .additive import Reshaper
from .auth import Token, bearer_value
from .context import Call, call, close_call, current_call, open_call
from .journal import JournalEntry
from .limits import LimitExceeded
from .routing import is_host

if TYPE_CHECKING:
    from .service import VendorService

ADMIN = "/__admin"


def install_pipeline(app: Flask, service: VendorService) -> None:
    """Run every call of the vendor's app through the steps: one hook before the view, one
    after it, one when it ended in an exception."""
    app.before_request(functools.partial(before_view, service))
    app.after_request(functools.partial(after_view, service))
    app.teardown_request(functools.partial(on_teardown, service))


# -- before the view ------------------------------------------------------------------------
def before_view(service: VendorService) -> Response | None:
    """Open the call and take it through the steps up to its view; a step that answers
    ends the call there (the view never runs)."""
    req: Request = request._get_current_object()  # type: ignore[attr-defined]  # once, not per use
    state = open_call(service.clock.now())
    if req.path.startswith(ADMIN):
        state.admin = True
        return None
    state.tenant_id = service.identify_tenant(req)
    state.span = tracing.start(service.name, req.method, _route(req), req.environ) \
        if tracing.enabled() else None
    if not is_host(req.environ.get("HTTP_HOST", "")):  # a Host that names no host: 400
        return service.bad_host()
    refused = service.refuse_early(req)  # sizes, routes the vendor refuses first
    if refused is not None:
        return refused
    forced = inject_fault(service, req, state)
    if forced is not None:
        return forced
    endpoint = req.endpoint
    if req.routing_exception is not None or endpoint in service.token_endpoints or \
            endpoint in service.open_endpoints:
        take_latency(service, state)  # no token to check: the view (or the 404) answers
        return None
    checked = service.check_token(req)
    if isinstance(checked, Response):
        return checked
    return admit(service, checked)


def admit(service: VendorService, token: Token) -> Response | None:
    """Admission: the token's tenant and credential on the call, a slot with the tenant's
    limits (rate, daily quota, calls in flight), the vendor's due work, then an injected
    latency (slept holding the slot, as a slow vendor's calls do)."""
    tenant = service.tenant(token.tenant, create=True)
    state = call()
    state.tenant, state.credential, state.tenant_id = tenant, token.credential, tenant.id
    try:
        state.ticket = tenant.limiter.admit(request.environ.get("vendorsim.arrival"))
    except LimitExceeded as exc:
        return service.render_limit(exc, tenant)
    service.admitted(tenant)
    take_latency(service, state)
    return None


def inject_fault(service: VendorService, req: Request, state: Call) -> Response | None:
    """The fault plan's say on this call: journal the rule, keep its latency for after
    admission and a `drop` rule for the view, and answer its forced error (rendered by the
    vendor) or its broken connection — or None to go on."""
    faults = service.cloud.faults
    if not faults.active:
        return None
    token_call = req.endpoint in service.token_endpoints
    path = req.path
    rule = faults.pick(service.name, state.tenant_id, method_of(req), path,
                                     lambda r: service.fault_reaches(r, token_call, path))
    if rule is None:
        return None
    state.fault = rule.id
    state.additive = rule.additive
    if rule.drop:
        state.drop_rule = rule
    if rule.connection:
        state.codes.append(f"connection:{rule.connection}")
        state.failed = True
        hang = rule.hang  # in-process, a client's read timeout ends the wait first
        waits = req.environ.get("vendorsim.read_timeout")
        if rule.connection == "hang" and waits:
            hang = min(hang, waits)
        if rule.connection == "hang" and service.clock.virtual:
            service.clock.sleep(hang)  # the client waited that long on the clock
        status, headers = connection.marker(rule.connection, hang)
        return Response(b"", status=status, headers=headers)
    if rule.chaos:
        return service.render_chaos(rule.chaos_kind())
    if rule.slow_body:
        state.slow_body = rule.slow_body
    if rule.error_code or rule.status:
        return service.render_fault(rule)
    state.latency = rule.delay()  # taken once the call is admitted: see `take_latency`
    return None


def take_latency(service: VendorService, state: Call) -> None:
    """A latency fault's delay, taken after the call was admitted (it holds its slot with
    the limiter meanwhile, as a slow vendor's calls do); on a virtual clock the time just
    passes, or is a wait of the simulator's calling dataflow."""
    if state.latency:
        latency, state.latency = state.latency, 0.0
        service.clock.sleep(latency)
        state.now = service.clock.now()


def method_of(req: Request) -> str:
    """The method the vendor sees (Marketo's `_method` override turns a POST into a GET)."""
    return req.environ.get("vendorsim.method_override") or req.method


def bearer_token(service: VendorService, req: Request) -> tuple[str, Token | None]:
    """The call's `Authorization: Bearer` token as the token store judges it, looked up
    once per call (tenant identification and the token check both ask)."""
    state = call()
    if state.token_check is None:
        value = bearer_value(req.environ.get("HTTP_AUTHORIZATION", ""))
        state.token_check = service.tokens.check(value) if value else ("unknown", None)
    return state.token_check


# -- after the view -------------------------------------------------------------------------
def after_view(service: VendorService, response: Response) -> Response:
    """The answer's way out: reshaped by an `additive` fault, the limits ticket settled,
    traced, counted and journalled, then the vendor's own bookkeeping."""
    state = current_call()
    if state is None:
        return response
    if not state.admin:
        reshape(service, state, response)
        settle(state, response)
        observe(service, state, response)
        service.after_call(state)  # the vendor's own bookkeeping (Marketo: usage stats)
    service.cloud.changes += 1  # persistent mode saves what a call or an admin write did
    outbox = service.cloud.outbox
    if outbox.due():  # the vendor's own work that came due, outside every model lock
        outbox.run_due()
    if state.slow_body and not response.is_streamed:
        trickle(response, state.slow_body, service.clock)
    return response


def reshape(service: VendorService, state: Call, response: Response) -> None:
    """An `additive` fault: the answer as the vendor's change policy allows."""
    if state.additive and not response.is_streamed and \
            (response.mimetype or "").endswith("json"):
        reshaper = Reshaper(service.additive_states, service.tokens.alias)
        body = reshaper.body(response.get_data(), response.status_code)
        if body is not None:
            response.set_data(body)
            state.reshaped = "state" if reshaper.new_enum else "answer"


def settle(state: Call, response: Response) -> None:
    """Give the limits slot back; an error answer returns its rate and quota slots too
    (the vendors do not count a refused call)."""
    ticket = state.ticket
    if ticket is not None:
        if state.failed or response.status_code >= 400:
            ticket.refund()
        ticket.release()


def observe(service: VendorService, state: Call, response: Response) -> None:
    """The call's span, its metrics, and its journal entry."""
    req: Request = request._get_current_object()  # type: ignore[attr-defined]  # once, not per use
    status = response.status_code
    route = _route(req)
    elapsed = time.perf_counter() - state.started
    if state.span is not None:
        tracing.finish(state.span, {
            "vendorsim.vendor": service.name, "vendorsim.tenant": state.tenant_id,
            "http.route": route, "http.request.method": req.method,
            "http.response.status_code": status, "vendorsim.code": ",".join(state.codes) or
            None, "vendorsim.fault": state.fault}, status >= 500)
        state.span = None
    service.cloud.metrics.observe(
        service.name, state.tenant_id, route, status,
        list(state.codes) or (["429"] if status == 429 else []), elapsed, state.fault,
        service.throttle_codes(status))
    journal = service.cloud.journal
    if not journal.enabled:
        return
    sent = _request_body(req)
    credential = state.credential
    query = req.environ.get("QUERY_STRING", "")
    unmatched = req.url_rule is None
    journal.add(JournalEntry(
        seq=0,
        time=state.now,
        vendor=service.name,
        tenant=state.tenant_id,
        method=method_of(req),
        path=req.path,
        status=status,
        codes=list(state.codes),
        duration_ms=round(elapsed * 1000, 3),
        records=state.records,
        fault=state.fault,
        dropped=state.dropped,
        unmatched=unmatched,
        hint=nearest_route(current_app, req.path) if unmatched else None,
        client=state.client or (credential.client_id if credential else
                                _client_of(req, service)),
        request_hash=zlib.crc32(sent, zlib.crc32(query.encode("latin-1"))),
        retry_after=_seconds(response.headers.get("Retry-After"))
        if status in (429, 503) else None,
        refused=state.failed or status >= 400,
        token_call=state.token_call,
        additive=state.reshaped,
    ), (query, sent, response.get_data())
        if journal.keep_bodies and not response.is_streamed else None)


def on_teardown(service: VendorService, exc: BaseException | None) -> None:
    """A call that ended in an exception (no answer went through `after_view`): end its
    span and give its limits slot back."""
    state = current_call()
    if state is None:
        return
    close_call()
    if state.span is not None:
        tracing.finish(state.span, {"vendorsim.vendor": service.name}, True)
        state.span = None
    ticket = state.ticket
    if ticket is not None and not ticket.released:
        ticket.refund()
        ticket.release()


# -- helpers of the steps -----------------------------------------------------------------
def _route(req: Request) -> str:
    return req.url_rule.rule if req.url_rule is not None else "unmatched"


def trickle(response: Response, seconds: float, clock: object) -> None:
    """A `slow_body` fault: the answer's body comes out in four pieces spread over that many
    seconds of the clock (real: sleeps; virtual: the time passes)."""
    data = response.get_data()
    step = seconds / 4

    def pieces() -> Iterator[bytes]:
        for n in range(4):
            if n:
                clock.sleep(step)  # type: ignore[attr-defined]  # a Clock
            yield data[n * len(data) // 4:(n + 1) * len(data) // 4]

    response.response = pieces()
    response.headers["Content-Length"] = str(len(data))


def _client_of(req: Request, service: VendorService) -> str | None:
    """The API client of a call refused before its token was looked at (413, 414, a
    fault): the token it carried says whose it is."""
    value = bearer_value(req.environ.get("HTTP_AUTHORIZATION", "")) or \
        req.args.get("access_token", "")
    if not value:
        return None
    _, token = service.tokens.check(value)
    return token.credential.client_id if token is not None else None


def _seconds(value: str | None) -> float | None:
    """A Retry-After given in seconds (the vendors here send seconds, not dates)."""
    if not value or len(value) > 12:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds < 10**9 else None


def _request_body(req: Request) -> bytes:
    """The body as the handler saw it; nothing for one refused as too large (reading it
    would raise the 413 again, inside the journal). A call without a body reads nothing."""
    environ = req.environ
    if environ.get("CONTENT_LENGTH") in (None, "", "0") and \
            "HTTP_TRANSFER_ENCODING" not in environ:
        return b""
    try:
        return req.get_data(cache=True)
    except HTTPException:
        return b""


def nearest_route(app: Flask, path: str) -> str | None:
    """The known route closest to an unmatched path ("did you mean ...?")."""
    routes = [r.rule for r in app.url_map.iter_rules() if not r.rule.startswith(ADMIN)]
    found = difflib.get_close_matches(path, routes, n=1, cutoff=0.5)
    return found[0] if found else None


def drop_some(records: list) -> tuple[list, int]:
    """The records a `drop` fault lets through, and how many it lost (journalled)."""
    state = call()
    rule = state.drop_rule
    if rule is None:
        return records, 0
    lost = rule.dropped(len(records))
    state.dropped = len(lost)
    return [r for i, r in enumerate(records) if i not in lost], len(lost)
