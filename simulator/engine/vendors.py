"""Where a scenario's vendors live: the embedded in-process mocks, or a running vendorsim
(`vendorsim serve`, a container) reached over HTTP. The engine and the checks only use this
interface, so one scenario replays the same way on either — the connectors themselves speak
the vendors' APIs over `requests` in both cases.

Remote runs (`remote.RemoteVendors`) set up and inspect the vendors through the admin API
(`/__admin/...`): seeding tenants, faults, the clock (driven when the server's clock is
virtual; a real clock is waited on), state snapshots for the checks and the journal for the
report; with the server's admin token when VENDORSIM_ADMIN_TOKEN holds it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import ExitStack

import requests

from vendorsim.mocks import Cloud, mock_vendors
from vendorsim.mocks.cloud import VENDOR_HOSTS
from vendorsim.simulator.clients.http import with_timeout


class TargetError(Exception):
    """The remote target cannot be used (not a vendorsim server, unreachable, refused)."""


def new_session() -> requests.Session:
    """A session that never consults proxy settings: the mocks are local (in-process calls
    also skip requests' environment scan, a fifth of a small call's cost)."""
    session = requests.Session()
    session.trust_env = False
    return session


class Vendors:
    """Common surface of the two targets."""

    virtual = True
    read_timeout: float | None = None  # seconds a vendor call may take (None: the default)

    def __enter__(self) -> Vendors:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def base_url(self, vendor: str, tenant: str = "") -> str:
        raise NotImplementedError

    def session(self) -> requests.Session:
        """A session for one connector."""
        return with_timeout(new_session(), self.read_timeout)

    def now(self) -> float:
        raise NotImplementedError

    def set_clock(self, when: float, forward: bool = False) -> None:
        """Set the vendors' clock; `forward`: never back in time (the engine's moves)."""
        raise NotImplementedError

    def seed(self, vendor: str, tenant: str, credentials: list | None, limits: dict | None,
             state: dict) -> None:
        raise NotImplementedError

    def add_fault(self, spec: dict) -> None:
        raise NotImplementedError

    def pin_calendar(self, as_of: str | None, opt_out: tuple[str, ...]) -> None:
        """Judge every vendor's dated changes as of a date, minus rules opted out of."""
        raise NotImplementedError

    def add_api_token(self, client_id: str, token: str) -> None:
        """Demandbase: an API bearer token for a client (B-DB-03)."""
        raise NotImplementedError

    _settled: dict[tuple[str, str], dict] | None = None  # see `settled`

    def state(self, vendor: str, tenant: str) -> dict:
        """One tenant's stored model, as `GET /__admin/state?tenant=` shows it (read once
        per tenant while the run is `settled`)."""
        cache = self._settled
        if cache is None:
            return self.read_state(vendor, tenant)
        key = (vendor, tenant)
        if key not in cache:
            cache[key] = self.read_state(vendor, tenant)
        return cache[key]

    @contextlib.contextmanager
    def settled(self) -> Iterator[None]:
        """The replay is over and nothing changes the vendors any more: the checks and the
        report read each tenant's state once (a 100,000-lead snapshot took a fifth of a
        100,000-profile run, three times over). Readers must not change what they get."""
        self._settled = {}
        try:
            yield
        finally:
            self._settled = None

    def read_state(self, vendor: str, tenant: str) -> dict:
        raise NotImplementedError

    def upsert_rows(self, subdomain: str, key: str, rows: list[dict]) -> None:
        """A marketer edits a data extension in SFMC (a vendor-side change)."""
        raise NotImplementedError

    def journal(self) -> list[dict]:
        raise NotImplementedError

    def client_verdicts(self, judge_injected: bool = False) -> list[dict]:
        """How the run's connectors treated the vendors (docs/how-to/admin-api.md, "Client
        verdicts"); answers the scenario's faults injected are judged only with `judge_injected`."""
        raise NotImplementedError


class InProcessVendors(Vendors):
    """The embedded mocks on a virtual clock; `requests` calls to vendor hosts reach them."""

    def __init__(self) -> None:
        self.cloud = Cloud("virtual")
        self._stack = ExitStack()

    def __enter__(self) -> InProcessVendors:
        self._stack.enter_context(mock_vendors(cloud=self.cloud))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def base_url(self, vendor: str, tenant: str = "") -> str:
        return VENDOR_HOSTS[vendor].format(tenant=tenant)

    def session(self) -> requests.Session:
        """Still `requests` (the connectors are unchanged), answered by the mocks' WSGI app
        through a transport adapter: the cheap path for long replays."""
        return with_timeout(self.cloud.requests_session(), self.read_timeout)

    def now(self) -> float:
        return self.cloud.clock.now()

    def set_clock(self, when: float, forward: bool = False) -> None:
        if not (forward and when < self.cloud.clock.now()):
            self.cloud.clock.set(when)

    def seed(self, vendor: str, tenant: str, credentials: list | None, limits: dict | None,
             state: dict) -> None:
        self.cloud.service(vendor).seed_tenant(tenant, credentials=credentials, limits=limits,
                                               state=state)

    def add_fault(self, spec: dict) -> None:
        self.cloud.faults.add(spec)

    def pin_calendar(self, as_of: str | None, opt_out: tuple[str, ...]) -> None:
        self.cloud.pin_calendar(as_of, opt_out)

    def add_api_token(self, client_id: str, token: str) -> None:
        self.cloud.demandbase_service().add_api_token(client_id, token)

    def read_state(self, vendor: str, tenant: str) -> dict:
        service = self.cloud.service(vendor)
        found = service.find_tenant(tenant)
        if found is None:
            return {}
        if vendor == "marketo":  # the checks read leads and lists, not the activity log
            return found.backend.snapshot(activities=False)  # type: ignore[call-arg]  # Marketo's
        return service.snapshot(tenant)["tenants"][service.normalise_tenant(tenant)]["state"]

    def upsert_rows(self, subdomain: str, key: str, rows: list[dict]) -> None:
        from vendorsim.mocks.core.bearer import ApiError

        try:
            de = self.cloud.sfmc(subdomain).get(key)
        except ApiError as exc:
            raise ValueError(f"upsert_rows: SFMC {subdomain} answered {exc}") from None
        for row in rows:
            checked, problems = de.check_row({}, row)
            if problems:
                raise ValueError(f"upsert_rows into {key}: {'; '.join(problems)}")
            de.put(checked)

    def journal(self) -> list[dict]:
        return [e.to_dict() for e in self.cloud.journal.entries()]

    def client_verdicts(self, judge_injected: bool = False) -> list[dict]:
        return self.cloud.verdicts(judge_injected=judge_injected)


def short_error(exc: Exception) -> str:
    """The last, most specific line of a requests error (no nested reprs)."""
    text = str(exc)
    for marker in ("Failed to establish a new connection: ", "Caused by "):
        if marker in text:
            text = text.split(marker, 1)[1]
    return text.strip("')(\" ")[:200]


def holdings(vendors: Vendors, journal: list[dict], seeded: list[tuple[str, str]]
             ) -> dict[str, dict[str, dict]]:
    """What each vendor tenant the run seeded or called holds at its end."""
    out: dict[str, dict[str, dict]] = {}
    pairs = dict.fromkeys([*seeded, *((e["vendor"], e["tenant"]) for e in journal
                                      if e.get("tenant"))])
    for vendor, tenant in pairs:
        state = vendors.state(vendor, tenant)
        if state:
            out.setdefault(vendor, {})[tenant] = state
    return out
