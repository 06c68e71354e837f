"""The part of a mock vendor that is the same for every vendor.

A `VendorService` owns the tenants of one vendor (Marketo: Munchkin IDs), their credentials,
limiters and model backends, and the vendor's Flask app. Each vendor package subclasses it
and supplies the backend class, the host pattern and the renderings of its own errors.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from flask import Flask, Request, Response, has_request_context

from .auth import Credential, Token, TokenStore
from .backend import Backend, atomic, seed_checked  # noqa: F401 - re-exported
from .calendar import CalendarPin, Change, VendorCalendar
from .context import Call, current_call
from .faults import FaultRule
from .limits import LimitConfig, LimitExceeded, TenantLimiter, seconds_to_midnight
from .routing import DotSegments
from .tenant_state import prepare_restore
from .verdicts import Throttle

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud


@dataclass
class Tenant:
    id: str
    backend: Backend
    limiter: TenantLimiter
    credentials: dict[str, Credential] = field(default_factory=dict)
    seeded: bool = False  # created explicitly (strict mode knows only these)
    calendar: CalendarPin = field(default_factory=CalendarPin)  # its own as_of, opt-outs


TENANT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}")
# error codes of OAuth 2.0 token endpoints (RFC 6749 5.2, plus `unauthorized`): the only codes
# a vendor's token endpoint answers, and never codes of its API's own envelope
OAUTH_CODES = frozenset({"invalid_client", "invalid_request", "invalid_grant",
                         "unauthorized_client", "unsupported_grant_type", "invalid_scope",
                         "unauthorized"})


class UnknownTenant(LookupError):
    """Strict mode and a tenant nobody seeded."""


class VendorService:
    """Base class of the four vendors; subclasses fill in the ClassVars and hooks."""

    name: ClassVar[str]
    host_pattern: ClassVar[re.Pattern]  # must have a named group 'tenant' or none
    base_url: ClassVar[str]  # where clients call it, `{tenant}` in it when hosts name tenants
    token_ttl: ClassVar[float]
    default_limits: ClassVar[LimitConfig]
    tenant_in_path: ClassVar[bool] = True  # per-vendor port: /{tenant}/... carries the tenant
    # first path segments served without a tenant prefix, for the default tenant (clients
    # that join "/v2/token" onto a base URL and so drop the prefix)
    unprefixed_roots: ClassVar[frozenset[str]] = frozenset()
    example_tenant: ClassVar[str] = "tenant"
    token_endpoints: ClassVar[frozenset[str]] = frozenset()  # Flask endpoints issuing tokens
    uncounted_paths: ClassVar[tuple[str, ...]] = ("/__admin",)  # calls limits never see
    # endpoints served without an API token: the token endpoints, documents (SFMC's WSDL)
    open_endpoints: ClassVar[frozenset[str]] = frozenset()
    # vendor facts the shared rules read: codes that mean "not now" (client verdicts judge
    # the retries after them) and codes of refusals that no retry fixes
    throttles: ClassVar[dict[str, Throttle]] = {}
    refusal_codes: ClassVar[frozenset[str]] = frozenset()
    # codes (besides HTTP 401) that say the token is no good: a new token is the fix
    token_refusal_codes: ClassVar[frozenset[str]] = frozenset()
    verdict_sources: ClassVar[dict[str, str]] = {}  # rule -> the vendor's document behind it
    # what a chaos fault answers when it throttles: the vendor's own throttling answer
    chaos_throttle: ClassVar[FaultRule] = FaultRule(id=0, status=429)
    changes: ClassVar[tuple[Change, ...]] = ()  # the vendor's dated changes (its calendar)
    # the vendor's answers for its OpenAPI document: status range -> content type -> schema
    openapi_answers: ClassVar[dict[str, dict[str, dict]]] = {}
    # in-progress states the vendor may add to without notice: attribute -> {shown: new}
    additive_states: ClassVar[dict[str, dict[str, str]]] = {}

    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud
        self.clock = cloud.clock
        self.strict = cloud.strict
        self.tokens = TokenStore(self.clock, self.token_ttl, self.make_token_value)
        self._throttles = frozenset(self.throttles)
        self._throttles_429 = self._throttles | {"429"}
        self._lock = threading.RLock()
        self._tenants: dict[str, Tenant] = {}
        self.limit_overrides: dict[str, dict] = {}
        self._app: Flask | None = None
        self._wsgi: Callable | None = None
        self.calendar = VendorCalendar(
            self.changes, self.clock.now, lambda: cloud.calendar,
            lambda tenant_id: getattr(self.find_tenant(tenant_id), "calendar", None))

    @property
    def app(self) -> Flask:
        """The vendor's Flask app, built on first use: a test that talks to one vendor
        should not pay for building the others."""
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = self.create_app()
        return self._app

    @property
    def wsgi(self) -> Callable:
        if self._wsgi is None:  # the vendor's front resolves dot segments first
            self._wsgi = DotSegments(self.wrap_wsgi(self.app.wsgi_app))
        return self._wsgi

    def wrap_wsgi(self, app: Callable) -> Callable:
        """Middleware around the vendor's Flask app (Marketo: `_method` overrides)."""
        return app

    # -- hooks for subclasses --------------------------------------------------------
    def create_app(self) -> Flask:
        raise NotImplementedError

    def new_backend(self, tenant_id: str) -> Backend:
        raise NotImplementedError

    def make_backend(self, tenant_id: str) -> Backend:
        """A new model for a tenant; in persistent mode its id sequences reserve their ids
        on disk before handing them out (mocks/core/ids.py)."""
        backend = self.new_backend(tenant_id)
        if self.cloud.saver is not None:
            self.cloud.saver.adopt(self.name, tenant_id, backend)
        return backend

    def make_token_value(self, tenant_id: str) -> str:
        raise NotImplementedError

    def normalise_tenant(self, raw: str) -> str:
        return raw

    def render_fault(self, rule: FaultRule) -> Response:
        """The vendor's answer when a fault rule forces an error code or status."""
        raise NotImplementedError

    def render_limit(self, exc: LimitExceeded, tenant: Tenant) -> Response:
        raise NotImplementedError

    def code_reaches(self, code: str, token_call: bool, path: str) -> bool:
        """Whether the vendor can answer this error code on this call: OAuth codes on its
        token endpoints, its API's own codes everywhere else (vendors narrow it further)."""
        return (code in OAUTH_CODES) == token_call

    def fault_reaches(self, rule: FaultRule, token_call: bool, path: str) -> bool:
        """Whether a fault rule applies to this call. A rule with `path` goes wherever it is
        aimed; otherwise a vendor code (or a chaos throttle) only where the vendor can send
        it, so that a fault with a REST API's code never answers a token call with it."""
        if rule.path:
            return True
        if rule.error_code is not None:
            return self.code_reaches(rule.error_code, token_call, path)
        return not (token_call and rule.chaos in ("throttle", "mixed"))

    def render_chaos(self, kind: str) -> Response:
        """A chaos answer: the vendor's own throttling answer, or its answer to a 503."""
        if kind == "5xx":
            return self.render_fault(FaultRule(id=0, status=503))
        return self.render_fault(self.chaos_throttle)

    # -- the pipeline's questions (core/pipeline.py); vendors override what differs -----
    def identify_tenant(self, req: Request) -> str | None:
        """The tenant a call is for, before its token is checked (faults aimed at a tenant
        and the journal need it): the one its host or path names."""
        tenant: str | None = req.environ.get("vendorsim.tenant")
        return tenant

    def refuse_early(self, req: Request) -> Response | None:
        """An answer the vendor's front gives before anything else (sizes, hosts)."""
        return None

    def bad_host(self) -> Response:
        """The vendor's front's 400 for a Host header that names no host."""
        return self.render_fault(FaultRule(
            id=0, status=400, message="Bad Request: the Host header is not a host name"))

    def check_token(self, req: Request) -> Token | Response:
        """The call's valid token, or the vendor's refusal."""
        raise NotImplementedError

    def counts_in_flight(self, path: str) -> bool:
        """Whether a call to this path counts among the tenant's calls in flight (token
        calls do not: they are not admitted)."""
        return not path.startswith(self.uncounted_paths)

    def admitted(self, tenant: Tenant) -> None:
        """Work the vendor does once a call is admitted (Marketo: due bulk jobs)."""

    def throttle_codes(self, status: int) -> frozenset[str]:
        """The codes a call's metrics count as throttling: the vendor's, and a 429's own."""
        return self._throttles_429 if status == 429 else self._throttles

    def after_call(self, state: Call) -> None:
        """Called once a call is answered, with its request state; vendors keep their own
        counts here."""

    def seconds_until_quota_resets(self, tenant_id: str | None, when: float) -> float:
        """From `when` to the reset of the tenant's daily quota (its time zone's midnight)."""
        tenant = self.find_tenant(tenant_id) if tenant_id else None
        config = tenant.limiter.config if tenant is not None else self.default_limits
        return seconds_to_midnight(when, config.quota_timezone)

    # -- tenants ---------------------------------------------------------------------
    def default_tenant(self) -> str | None:
        """The tenant of unprefixed paths: the configured one (`--default-tenant`), else the
        only seeded tenant; None when neither settles it."""
        configured = self.cloud.default_tenants.get(self.name)
        if configured:
            return self.normalise_tenant(configured)
        seeded = [t.id for t in self.tenants() if t.seeded]
        return seeded[0] if len(seeded) == 1 else None

    def check_tenant_id(self, tenant_id: object) -> str:
        """The normalised id of a tenant a caller names; ValueError for an unusable one."""
        if not isinstance(tenant_id, str) or not TENANT_ID.fullmatch(tenant_id):
            raise ValueError(f"a {self.name} tenant id is 1-100 letters, digits, and . _ - @ : "
                             f"(e.g. {self.example_tenant or 'my-client-id'}), got "
                             f"{tenant_id!r:.60}")
        return self.normalise_tenant(tenant_id)

    def tenant(self, tenant_id: str, *, create: bool | None = None) -> Tenant:
        """The tenant, created on first sight in lenient mode; UnknownTenant in strict mode."""
        tenant_id = self.normalise_tenant(tenant_id)
        found = self._tenants.get(tenant_id)
        if found is not None:
            return found
        if create is None:
            create = not self.strict
        if not create:
            raise UnknownTenant(tenant_id)
        with self._lock:
            found = self._tenants.get(tenant_id)
            if found is None:
                found = self._new_tenant(tenant_id)
                self._tenants[tenant_id] = found
            return found

    def _new_tenant(self, tenant_id: str) -> Tenant:
        limits = self.default_limits.updated(**self.limit_overrides.get(tenant_id, {}))
        return Tenant(
            id=tenant_id,
            backend=self.make_backend(tenant_id),
            limiter=TenantLimiter(limits, self.clock),
        )

    def backend(self, tenant_id: str) -> Any:
        """A tenant's model (created if new), to seed and inspect from Python."""
        return self.tenant(tenant_id, create=True).backend

    def find_tenant(self, tenant_id: str) -> Tenant | None:
        return self._tenants.get(self.normalise_tenant(tenant_id))

    def tenants(self) -> list[Tenant]:
        with self._lock:
            return list(self._tenants.values())

    def seed_tenant(
        self,
        tenant_id: str,
        *,
        credentials: list[dict | Credential] | None = None,
        limits: dict | None = None,
        state: dict | None = None,
    ) -> Tenant:
        """Create (or extend) a tenant explicitly: credentials, limit overrides, model state.
        All or nothing: everything is checked (the state seeded into a copy) before the
        tenant is created or changed; ValueError says what is wrong."""
        tenant_id = self.check_tenant_id(tenant_id)
        if credentials is not None and not isinstance(credentials, list):
            raise ValueError("credentials is a list of {client_id, client_secret, ...}")
        creds = [c if isinstance(c, Credential) else Credential.from_dict(c)
                 for c in credentials or []]
        if limits is not None and not isinstance(limits, dict):
            raise ValueError("limits is an object of limit settings")
        if state is not None and not isinstance(state, dict):
            raise ValueError("state is an object (the vendor's seed document)")
        with self._lock:
            existing = self.find_tenant(tenant_id)
            config = (existing.limiter.config if existing else self.default_limits
                      ).updated(**(limits or {}))
            backend = existing.backend if existing else self.make_backend(tenant_id)
            if state:
                seed_checked(backend, state)  # atomic: a bad document changes nothing
            tenant = existing or Tenant(tenant_id, backend, TenantLimiter(config, self.clock))
            self._tenants[tenant_id] = tenant
            tenant.seeded = True
            now = self.clock.now()  # a secret seeded without a date was generated now
            tenant.credentials.update({c.client_id: c if c.issued_at is not None else
                                       dataclasses.replace(c, issued_at=now) for c in creds})
            if limits:
                self.limit_overrides.setdefault(tenant_id, {}).update(limits)
                tenant.limiter.config = config
            return tenant

    def set_limits(self, tenant_id: str, changes: dict) -> LimitConfig:
        tenant = self.tenant(tenant_id, create=True)
        config = tenant.limiter.config.updated(**changes)  # validates the names first
        self.limit_overrides.setdefault(tenant.id, {}).update(changes)
        tenant.limiter.config = config
        return config

    def configure_default_limits(self, **changes: object) -> LimitConfig:
        """Change the limits every tenant of this vendor gets (and has now), e.g. enabled=False."""
        self.default_limits = self.default_limits.updated(**changes)  # type: ignore[misc]  # a class default, replaced per service
        for tenant in self.tenants():
            overrides = self.limit_overrides.get(tenant.id, {})
            tenant.limiter.config = self.default_limits.updated(**overrides)
        return self.default_limits

    def authenticate(self, tenant_id: str, client_id: str, secret: str) -> Credential | None:
        """The credential behind an id/secret pair, or None when the vendor would refuse it.
        The journal notes the call as a token call by that client (client verdicts)."""
        state = current_call() if has_request_context() else None
        if state is not None:
            state.client, state.token_call = client_id or None, True
        if not client_id or not secret:
            return None
        tenant = self.find_tenant(tenant_id)  # a refused call must not create a tenant
        if tenant is None:
            return None if self.strict else Credential(client_id=client_id,
                                                       client_secret=secret)
        known = tenant.credentials.get(client_id)
        if known is not None:
            return known if known.accepts(secret) else None
        if self.strict:
            return None
        return Credential(client_id=client_id, client_secret=secret)

    # -- state -----------------------------------------------------------------------
    def reset(self, tenant_id: str | None = None) -> None:
        """Forget state: every tenant (and tokens, overrides), or the model of one tenant."""
        with self._lock:
            if tenant_id is None:
                for gone in self._tenants.values():
                    self.drop_backend(gone.backend)
                self._tenants.clear()
                self.limit_overrides.clear()
                self.tokens.clear()
                return
            tenant = self.find_tenant(tenant_id)
            if tenant is not None:
                self.drop_backend(tenant.backend)
                tenant.backend = self.make_backend(tenant.id)
                tenant.limiter = TenantLimiter(tenant.limiter.config, self.clock)
                self.tokens.clear(tenant.id)

    def drop_backend(self, backend: object) -> None:
        """A tenant model replaced or never used: the work it scheduled on the cloud's outbox
        (sends, flows, callbacks, alerts; marked with its lock) is dropped, so a model nobody
        can reach never calls the customer's systems."""
        outbox = getattr(self.cloud, "outbox", None)
        if outbox is not None:
            outbox.forget(getattr(backend, "lock", None))

    def snapshot(self, tenant_id: str | None = None) -> dict:
        """JSON-able state of every tenant (or one): credentials, limits and the model."""
        tenants = self.tenants() if tenant_id is None else [self.tenant(tenant_id, create=False)]
        return {
            "vendor": self.name,
            "tenants": {
                t.id: {
                    "credentials": [c.to_dict() for c in t.credentials.values()],
                    "limits": self.limit_overrides.get(t.id, {}),
                    "seeded": t.seeded,
                    "state": t.backend.snapshot(),
                    **({"calendar": t.calendar.to_dict()} if not t.calendar.empty else {}),
                }
                for t in tenants
            },
        }

    def restore(self, data: dict) -> list[str]:
        """Replace the state of the tenants named in a snapshot; others are left alone.
        All or nothing (ValueError, nothing changed): see `prepare_restore`."""
        return self.prepare_restore(data)()

    def prepare_restore(self, data: object) -> Callable[[], list[str]]:
        """Check a snapshot whole, building every tenant's new backend aside; return the
        commit that swaps them in (see `tenant_state.prepare_restore`)."""
        return prepare_restore(self, data)
