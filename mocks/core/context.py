"""The state of one request as it goes through a mock: one typed object per request, made
when the request arrives (`open_call`), read with `call()` by the pipeline, the vendor
service and its handlers, and closed when the request ends (`close_call`). It lives in a
context variable (a C-level read), not on `flask.g`."""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .auth import Credential
    from .faults import FaultRule
    from .limits import Ticket
    from .service import Tenant


@dataclass(slots=True)
class Call:
    """What a mock knows about the request it is answering."""

    now: float  # the clock when it arrived (moved on by an injected delay)
    admin: bool = False  # an admin API call: not a vendor call (no journal, no limits)
    tenant_id: str | None = None  # the tenant it is for, as the pipeline identified it
    token_check: tuple[str, Any] | None = None  # the token store's verdict on its bearer
    payload: Any = None  # a transport's parsed request (SFMC SOAP: its envelope)
    started: float = field(default_factory=time.perf_counter)  # for its duration
    tenant: Tenant | None = None  # once its token is checked
    credential: Credential | None = None  # the API client the token belongs to
    client: str | None = None  # the client id a token call named
    token_call: bool = False
    ticket: Ticket | None = None  # slots held with the limiter, settled when answered
    failed: bool = False  # an error answer: the ticket's rate and quota slots go back
    codes: list[str] = field(default_factory=list)  # its error codes, for the journal
    records: int | None = None  # the batch size it carried
    fault: int | None = None  # the id of the fault rule that answered or shaped it
    drop_rule: FaultRule | None = None  # a `drop` fault that loses some of its records
    dropped: int | None = None  # how many records that fault lost
    latency: float = 0.0  # an injected delay, taken once the call is admitted
    slow_body: float = 0.0  # seconds over which a `slow_body` fault trickles the answer
    additive: bool = False  # an `additive` fault reshapes the answer (core/additive.py)
    reshaped: str | None = None  # how it was reshaped: "answer", or "state" (a new enum)
    span: Any = None  # its OpenTelemetry span, when tracing is on (core/tracing.py)

    def fail(self, code: str | None = None) -> None:
        """An error answer, with the vendor's code for the journal."""
        self.failed = True
        if code is not None and code not in self.codes:
            self.codes.append(code)


_current: ContextVar[Call | None] = ContextVar("vendorsim_call", default=None)


def open_call(now: float) -> Call:
    state = Call(now)
    _current.set(state)
    return state


def close_call() -> None:
    """The request ended: nothing may read its state as the next request's."""
    _current.set(None)


def call() -> Call:
    """The request being answered."""
    state = _current.get()
    if state is None:
        raise LookupError("no vendor call is being answered here")
    return state


def current_call() -> Call | None:
    """The request being answered, if any (an error handler may run before it opened)."""
    return _current.get()


def tenant_backend() -> Any:
    """The model of the tenant whose token the call carries (set once it is admitted)."""
    tenant = call().tenant
    if tenant is None:
        raise LookupError("the call has no tenant: its token was not checked")
    return tenant.backend


def call_permissions() -> frozenset[str]:
    """The permissions of the API client the call's token belongs to (none without one)."""
    credential = call().credential
    return credential.permissions if credential is not None else frozenset()


def call_scopes() -> frozenset[str] | None:
    """The OAuth scopes of the call's token (None: the vendor has no scopes, or all)."""
    credential = call().credential
    return credential.scopes if credential is not None else frozenset()
