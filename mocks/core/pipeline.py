"""Request bookkeeping every vendor app shares: per-request state and the journal entry."""

from __future__ import annotations

import difflib
import time
import zlib
from collections.abc import Iterator

from flask import Flask, Request, Response, request
from werkzeug.exceptions import HTTPException

from . import tracing
from .additive import Reshaper
from .auth import bearer_value
from .context import call, current_call, open_call
from .service import VendorService


def install_journal(app: Flask, service: VendorService) -> None:
    """Give each request its `Call` (core/context.py); when it is answered, settle its limit
    ticket and journal it. Vendor code records on the call its ticket, error codes, batch
    size, whether it failed (the ticket's rate and quota slots are given back) and the fault
    rule used."""
    journal = service.cloud.journal
    clock = service.clock
    # the codes a call's metrics count as throttling: the vendor's, and a 429's own status
    throttles = frozenset(service.throttles)
    throttles_429 = throttles | {"429"}

    @app.before_request
    def _open() -> None:
        state = open_call(clock.now())
        if not request.path.startswith("/__admin"):
            rule = request.url_rule.rule if request.url_rule is not None else "unmatched"
            state.span = tracing.start(service.name, request.method, rule, request.headers)

    @app.after_request
    def _settle(response: Response) -> Response:
        ticket = call().ticket
        if ticket is not None:
            if call().failed or response.status_code >= 400:
                ticket.refund()
            ticket.release()
        return response

    @app.teardown_request
    def _settle_on_error(exc: BaseException | None) -> None:
        state = current_call()
        if state is not None and state.span is not None:  # a call that ended in an exception
            tracing.finish(state.span, {"vendorsim.vendor": service.name}, True)
            state.span = None
        ticket = state.ticket if state is not None else None
        if ticket is not None and not ticket.released:
            ticket.refund()
            ticket.release()

    @app.after_request
    def _journal(response: Response) -> Response:  # runs after `_reshape` (Flask: reversed)
        req: Request = request._get_current_object()  # type: ignore[attr-defined]  # once, not per use
        state = call()
        path = req.path
        if not path.startswith("/__admin"):  # metrics count every call, kept or not
            status = response.status_code
            tenant = req.environ.get("vendorsim.tenant")
            route = req.url_rule.rule if req.url_rule is not None else "unmatched"
            tracing.finish(state.span, {
                "vendorsim.vendor": service.name, "vendorsim.tenant": tenant,
                "http.route": route, "http.request.method": req.method,
                "http.response.status_code": status,
                "vendorsim.code": ",".join(state.codes) or None,
                "vendorsim.fault": state.fault}, status >= 500)
            state.span = None
            service.cloud.metrics.observe(
                service.name, tenant, route, status,
                list(state.codes) or (["429"] if status == 429 else []),
                time.perf_counter() - state.started, state.fault,
                throttles_429 if status == 429 else throttles)
        if journal.enabled and not path.startswith("/__admin"):
            environ = req.environ
            unmatched = req.url_rule is None
            sent = _request_body(req)
            credential = state.credential
            journal.record(
                bodies=(req.query_string.decode("latin-1"), sent,
                        response.get_data()) if journal.keep_bodies and
                not response.is_streamed else None,
                client=state.client or (credential.client_id if credential else
                                        _client_of(req, service)),
                request_hash=zlib.crc32(sent, zlib.crc32(req.query_string)),
                retry_after=_seconds(response.headers.get("Retry-After"))
                if response.status_code in (429, 503) else None,
                refused=state.failed or response.status_code >= 400,
                token_call=state.token_call,
                unmatched=unmatched,
                hint=nearest_route(app, path) if unmatched else None,
                time=state.now,
                vendor=service.name,
                tenant=environ.get("vendorsim.tenant"),
                method=environ.get("vendorsim.method_override") or req.method,
                path=path,
                status=response.status_code,
                codes=list(state.codes),
                duration_ms=round((time.perf_counter() - state.started) * 1000, 3),
                records=state.records,
                fault=state.fault,
                dropped=state.dropped,
                additive=state.reshaped,
            )
        service.after_call(state)  # the vendor's own bookkeeping (Marketo: usage stats)
        service.cloud.changes += 1  # after the call: persistent mode saves what it did
        if state.slow_body and not response.is_streamed:
            trickle(response, state.slow_body, clock)
        return response

    @app.after_request
    def _reshape(response: Response) -> Response:
        """An `additive` fault: the answer as the vendor's change policy allows."""
        state = current_call()
        if state is not None and state.additive and not response.is_streamed and \
                (response.mimetype or "").endswith("json"):
            reshaper = Reshaper(service.additive_states, service.tokens.alias)
            body = reshaper.body(response.get_data(), response.status_code)
            if body is not None:
                response.set_data(body)
                state.reshaped = "state" if reshaper.new_enum else "answer"
        return response


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
    value = bearer_value(req.headers.get("Authorization", "")) or \
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
    would raise the 413 again, inside the journal)."""
    try:
        return req.get_data(cache=True)
    except HTTPException:
        return b""


def nearest_route(app: Flask, path: str) -> str | None:
    """The known route closest to an unmatched path ("did you mean ...?")."""
    routes = [r.rule for r in app.url_map.iter_rules() if not r.rule.startswith("/__admin")]
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
