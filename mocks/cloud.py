"""The mock cloud: every vendor, one clock, one journal, one fault plan, one WSGI app.

The same Cloud object is served in-process (intercepted `requests`/`httpx` calls), by
waitress in `vendorsim serve`, and inside the Docker image.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from flask import Flask
from werkzeug.exceptions import HTTPException

from vendorsim.mocks.core.admin import install_admin
from vendorsim.mocks.core.calendar import CalendarPin
from vendorsim.mocks.core.clock import Clock, make_clock
from vendorsim.mocks.core.faults import FaultPlan, FaultRule
from vendorsim.mocks.core.journal import Journal
from vendorsim.mocks.core.limits import Arrival
from vendorsim.mocks.core.metrics import CloudMetrics
from vendorsim.mocks.core.outbox import Delivery, Outbox, Receiver, ReceiverFault
from vendorsim.mocks.core.routing import HostRouter, PrefixRouter
from vendorsim.mocks.core.service import VendorService

if TYPE_CHECKING:
    import httpx
    import requests

    from vendorsim.mocks.bombora.model.lists import BomboraClient
    from vendorsim.mocks.bombora.service import BomboraService
    from vendorsim.mocks.demandbase.model.client import DemandbaseClient
    from vendorsim.mocks.demandbase.service import DemandbaseService
    from vendorsim.mocks.marketo.model.instance import MarketoInstance
    from vendorsim.mocks.marketo.service import MarketoService
    from vendorsim.mocks.server import ServerRunner
    from vendorsim.mocks.sfmc.model.account import SfmcAccount
    from vendorsim.mocks.sfmc.service import SfmcService




def _json_http_error(exc: HTTPException) -> tuple[dict, int, dict[str, str]]:
    """The host-routed port's own errors (a bad Host header, an unknown path) as the admin
    API's JSON, not werkzeug's HTML page; a 405 says what the path takes."""
    allowed = getattr(exc, "valid_methods", None)
    return {"error": exc.description or exc.name}, exc.code or 400, \
        {"Allow": ", ".join(sorted(allowed))} if allowed else {}


def served_url(urls: dict[str, str], vendor: str, tenant: str = "") -> str:
    """Where a server (or container) whose per-vendor `urls` are known serves `tenant`."""
    if _vendor_classes()[vendor].tenant_in_path:
        return f"{urls[vendor]}/{tenant}"
    return urls[vendor]


def _vendor_classes() -> dict[str, type[VendorService]]:
    from vendorsim.mocks.bombora.service import BomboraService
    from vendorsim.mocks.demandbase.service import DemandbaseService
    from vendorsim.mocks.marketo.service import MarketoService
    from vendorsim.mocks.sfmc.service import SfmcService

    return {"marketo": MarketoService, "sfmc": SfmcService, "bombora": BomboraService,
            "demandbase": DemandbaseService}


# what clients call in-process: each vendor's base URL, from its facts
VENDOR_HOSTS = {name: cls.base_url for name, cls in _vendor_classes().items()}


class Cloud:
    """All mock vendors sharing a clock; `wsgi` routes by Host, `vendor_wsgi` by path."""

    def __init__(self, clock: str | Clock | None = "real", *, strict: bool = False,
                 vendors: Iterable[str] | None = None, journal_size: int = 100_000,
                 as_of: str | float | None = None, opt_out: Iterable[str] = ()) -> None:
        self.clock = make_clock(clock)
        self.calendar = CalendarPin()  # the server's pin of the vendors' calendars
        self.strict = strict
        self.journal = Journal(journal_size)
        self.metrics = CloudMetrics(self)  # GET /__admin/metrics
        self.faults = FaultPlan(self.clock)
        self.outbox = Outbox(self.clock, self.journal)  # vendors' own work and callbacks
        classes = _vendor_classes()
        names = list(vendors) if vendors is not None else list(classes)
        unknown = set(names) - set(classes)
        if unknown:
            raise ValueError(f"unknown vendor(s) {sorted(unknown)}: choose from {sorted(classes)}")
        self.services: dict[str, VendorService] = {n: classes[n](self) for n in names}
        self.changes = 0  # calls and admin writes so far (persistent mode saves after one)
        self.saver: Any = None  # persistent mode's saver (vendorsim serve --state)
        self.admin_token: str | None = None  # closes /__admin/ (core/admin/access.py)
        self._admin_app: Flask | None = None
        self._routers: dict[str, PrefixRouter] = {}
        self._dashboard: ServerRunner | None = None
        self.urls: dict[str, str] = {}  # where a server serves this cloud (admin health)
        self.default_tenants: dict[str, str] = {}  # vendor -> tenant of unprefixed paths
        self.router = HostRouter(list(self.services.values()), self._cloud_admin)
        self.wsgi: Callable = self.router
        hosts = "|".join(f"(?:{s.host_pattern.pattern})" for s in self.services.values())
        self._hosts = re.compile(hosts.replace("?P<tenant>", "?:"), re.I)
        self.pin_calendar(as_of, opt_out)

    def log_error(self, message: str) -> None:
        """Log an error of vendorsim's own (with its traceback) without stopping anything."""
        logging.getLogger("vendorsim").exception(message)

    def serves_host(self, host: str) -> bool:
        """Whether a request to this host name is one of these vendors' (in-process mode)."""
        return self._hosts.fullmatch(host) is not None

    def _cloud_admin(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Addresses no vendor Host claims: `/{vendor}/...` reaches that vendor as its own
        port would (so one published port is enough, whatever a container maps), anything
        else the admin API for every vendor (built on first use)."""
        path = environ.get("PATH_INFO", "")
        name, slash, rest = path[1:].partition("/")
        if name in self.services and slash:
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/" + name
            environ["PATH_INFO"] = "/" + rest
            return self._prefixed(name)(environ, start_response)
        if self._admin_app is None:
            from vendorsim.mocks.dashboard import dashboard_blueprint

            app = Flask("vendorsim.cloud", static_folder=None)
            app.register_error_handler(HTTPException, _json_http_error)
            install_admin(app, self, None)
            app.register_blueprint(dashboard_blueprint(self))
            self._admin_app = app
        return self._admin_app.wsgi_app(environ, start_response)

    def _prefixed(self, name: str) -> Callable:
        router = self._routers.get(name)
        if router is None:
            router = self._routers[name] = PrefixRouter(self.service(name))
        return router

    def arrival(self, vendor: str | None, host: str, path: str) -> Arrival | None:
        """A call reaching a server (the vendor's own port, or the host-routed one), counted
        in flight by its tenant's limiter as it arrives; None when it names no known tenant
        with an in-flight limit, or the vendor does not count it (token calls)."""
        found: tuple[VendorService, str | None] | None = None
        path = path.split("?", 1)[0]
        if vendor is None:
            found = self.router.match(host)
            if found is None:
                name, _, path = path[1:].partition("/")
                vendor, path = (name, "/" + path) if name in self.services else (None, path)
        if found is None and vendor is not None:
            service = self.services[vendor]
            tenant_id, _, rest = path[1:].partition("/")
            found = (service, tenant_id) if service.tenant_in_path else None
            path = "/" + rest
        if found is None or not found[1] or not found[0].counts_in_flight(path):
            return None
        tenant = found[0].find_tenant(found[1])
        return tenant.limiter.arrive() if tenant is not None else None

    def service(self, name: str) -> VendorService:
        try:
            return self.services[name]
        except KeyError:
            raise KeyError(f"vendor {name!r} is not running in this cloud") from None

    def vendor_wsgi(self, name: str) -> Callable:
        """The vendor alone, tenant first in the path (`/123-ABC-456/rest/v1/...`)."""
        return self._prefixed(name)

    def reset(self, vendor: str | None = None) -> None:
        """Forget state, tokens, journal and faults (of one vendor, or all)."""
        for name, service in self.services.items():
            if vendor in (None, name):
                service.reset()
        self.journal.clear(vendor)
        self.faults.clear(vendor)
        if vendor is None:
            self.outbox.clear()

    def dated_rules(self) -> list[str]:
        """The names of every running vendor's dated changes (docs/how-to/calendar.md)."""
        return [name for s in self.services.values() for name in s.calendar.changes]

    def pin_calendar(self, as_of: str | float | None = None, opt_out: Iterable[str] = (), *,
                     vendor: str | None = None, tenant: str | None = None) -> CalendarPin:
        """Judge the vendors' dated changes as of a date instead of the clock, and leave
        out rules by name: for the whole cloud, or for one tenant of one vendor (whose own
        date wins). ValueError for a bad date or an unknown rule."""
        if tenant is None:
            self.calendar = CalendarPin.parse(as_of, list(opt_out), self.dated_rules())
            return self.calendar
        service = self.service(vendor or "")
        pin = CalendarPin.parse(as_of, list(opt_out), service.calendar.changes)
        service.tenant(tenant).calendar = pin
        return pin

    def add_fault(
        self,
        *,
        error_code: str | int | None = None,
        status: int | None = None,
        latency: float = 0.0,
        drop: float = 0.0,
        vendor: str | None = None,
        tenant: str | None = None,
        method: str | None = None,
        path: str | None = None,
        times: int | None = None,
        duration: float | None = None,
        start: str | float | None = None,
        end: str | float | None = None,
        probability: float = 1.0,
        seed: int | None = None,
        message: str | None = None,
        latency_max: float | None = None,
        latency_sigma: float | None = None,
        slow_body: float | None = None,
        connection: str | None = None,
        hang: float | None = None,
        chaos: str | None = None,
        additive: bool = False,
    ) -> FaultRule:
        """Force a failure on matching calls (the Python twin of `POST /__admin/faults`).

        What happens (at least one):
            error_code: a vendor error code, answered in the vendor's own envelope and text
                ("606" for Marketo's rate limit, "50100" for SFMC's throttling, ...).
            status: an HTTP status, answered as the vendor's front server would (503, 429).
            latency: seconds added to the call, slept on the cloud's clock (a virtual
                clock just moves).
            drop: share (0-1) of a batch's records accepted and then silently lost
                (list and import calls; B-DB-06); the journal counts them.
            latency_max / latency_sigma: the latency is drawn uniform between latency and
                latency_max, or log-normal with latency as median and this sigma (seeded).
            slow_body: seconds over which the answer's body trickles out.
            connection: "reset", "empty", "garbage", "truncated" or "hang" (for `hang`
                seconds): the connection fails as a socket would; in-process the client
                library raises what it raises for that failure.
            chaos: "throttle", "5xx" or "mixed": the vendor's own throttling answer or a
                503 (with `probability` and `seed`, a share of calls).
            additive: the vendor's own answer, reshaped as its change policy allows without
                notice (new attributes, attribute order, new in-progress states, longer
                tokens, reworded errors): the client verdict `intolerant_reader` names a
                client that breaks on it.
        Which calls (all optional, all must match):
            vendor, tenant: one vendor, one tenant id (Munchkin ID, subdomain, client id).
            method: HTTP method; path: a regular expression searched in the path.
        When:
            times: the next N matching calls; duration: seconds from now; start/end: an
                ISO time or epoch seconds; probability: the share of matching calls that
                fail, drawn from `seed` so a run repeats exactly.
        message: replaces the vendor's text for the error.
        """
        spec = {k: v for k, v in {
            "error_code": error_code, "status": status, "latency": latency, "drop": drop,
            "vendor": vendor, "tenant": tenant, "method": method, "path": path,
            "times": times, "duration": duration, "start": start, "end": end,
            "probability": probability, "seed": seed, "message": message,
            "latency_max": latency_max, "latency_sigma": latency_sigma,
            "slow_body": slow_body, "connection": connection, "hang": hang,
            "chaos": chaos, "additive": additive or None}.items()
            if v is not None}
        return self.faults.add(spec)

    # -- the vendors' calls to the customer's systems --------------------------------------
    def receive(self, url_prefix: str, receiver: Receiver) -> None:
        """Answer the vendors' callbacks to URLs starting with `url_prefix` in this process:
        a WSGI app (a Flask app) or f(method, url, headers, body) -> status or (status,
        body). Other URLs are called over HTTP."""
        self.outbox.receive(url_prefix, receiver)

    def add_receiver_fault(self, kind: str, *, vendor: str | None = None,
                           tenant: str | None = None, times: int | None = 1,
                           delay: float = 60.0) -> ReceiverFault:
        """Shape the next callbacks: `duplicate`, `out_of_order`, `late` or `bad_signature`
        (the receiver's verdicts say how it coped)."""
        return self.outbox.add_fault(kind, vendor=vendor, tenant=tenant, times=times,
                                     delay=delay)

    def deliveries(self, vendor: str | None = None, tenant: str | None = None,
                   kind: str | None = None) -> list[Delivery]:
        """The callbacks delivered or given up, oldest first (the most recent 10,000)."""
        self.outbox.run_due()
        return self.outbox.deliveries(vendor, tenant, kind)

    def requests_session(self) -> requests.Session:
        """A `requests.Session` answered by these mocks directly (no interception)."""
        from vendorsim.mocks.inprocess import requests_session

        return requests_session(self)

    def httpx_transport(self) -> httpx.BaseTransport:
        """A transport for `httpx.Client(transport=...)` answering from these mocks."""
        from vendorsim.mocks.inprocess import httpx_transport

        return httpx_transport(self)

    def httpx_async_transport(self) -> httpx.AsyncBaseTransport:
        """The same for `httpx.AsyncClient`."""
        from vendorsim.mocks.inprocess import httpx_async_transport

        return httpx_async_transport(self)

    def verdicts(self, vendor: str | None = None, *, judge_injected: bool = False) -> list[dict]:
        """How the clients treated the vendors, judged from the journal: each verdict's
        rule, vendor, tenant, client, evidence (journal sequence numbers), detail, the
        documentation the rule comes from and whether it rests on the vendor's answers or
        injected ones (docs/how-to/admin-api.md, "Client verdicts"). Answers a fault rule
        injected are judged only with `judge_injected=True`, by the waits the vendor
        documents."""
        from vendorsim.mocks.core.verdicts import judge

        return judge(self.journal.entries(vendor=vendor), self.services,
                     judge_injected=judge_injected)

    def dashboard(self) -> str:
        """The dashboard's URL: starts a loopback server for this cloud on a free port
        (once; it stops with the process) and returns `http://127.0.0.1:PORT/__admin/ui/`.
        In-process calls show in its journal as they happen."""
        if self._dashboard is None:
            from vendorsim.mocks.server import ServerRunner

            self._dashboard = ServerRunner(self, port=0, vendor_ports=False, threads=4)
            urls = dict(self.urls)
            self._dashboard.start()
            self.urls = urls or self.urls  # a running server's URLs are not replaced
        return f"{self._dashboard.urls['cloud']}/__admin/ui/"

    def close_dashboard(self) -> None:
        """Stop the dashboard's server, if `dashboard()` started one."""
        if self._dashboard is not None:
            self._dashboard.stop()
            self._dashboard = None

    # -- per-vendor handles ----------------------------------------------------------
    def sfmc(self, subdomain: str) -> SfmcAccount:
        """The data extensions of an SFMC account, to seed and inspect from Python."""
        return cast("SfmcService", self.service("sfmc")).account(subdomain)

    def bombora(self, client_id: str) -> BomboraClient:
        """The account lists of a Bombora API client."""
        return cast("BomboraService", self.service("bombora")).client(client_id)

    def demandbase(self, client_id: str) -> DemandbaseClient:
        """The accounts, account lists and import jobs of a Demandbase API client."""
        return cast("DemandbaseService", self.service("demandbase")).client(client_id)

    def demandbase_service(self) -> DemandbaseService:
        return cast("DemandbaseService", self.service("demandbase"))

    def marketo(self, munchkin_id: str) -> MarketoInstance:
        """The lead database of a Marketo instance, to seed and inspect from Python."""
        return cast("MarketoService", self.service("marketo")).database(munchkin_id)
