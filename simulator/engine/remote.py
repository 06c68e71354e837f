"""A running vendorsim as a scenario's vendors (`vendorsim run --target URL`, a container):
set up and inspected through its admin API (`/__admin/...`), with the server's admin token
when VENDORSIM_ADMIN_TOKEN holds it; `vendors.Vendors` is the surface the engine uses."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from json import dumps
from typing import Any

import requests

from vendorsim.mocks.cloud import VENDOR_HOSTS, served_url
from vendorsim.mocks.core.admin.access import admin_headers
from vendorsim.simulator.clients.http import with_timeout

from .vendors import TargetError, Vendors, new_session, short_error

ADMIN_TIMEOUT = (5.0, 30.0)  # connect, read: the admin API answers at once when alive
PROBE_TIMEOUT = (5.0, 5.0)


class TargetSession(requests.Session):
    """A connector's session against a running vendorsim. When a call gets no answer, the
    target's health check says which it was: an injected connection fault (the target
    answers its health check: the error goes on to the connector, whose delivery policy
    retries) or a target that is gone or hung (TargetError: the replay ends, exit 2)."""

    def __init__(self, probe: Callable[[], None]) -> None:
        super().__init__()
        self.trust_env = False
        self._probe = probe

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        try:
            return super().request(*args, **kwargs)
        except requests.RequestException:
            self._probe()
            raise


WAIT_SLICE = 1.0  # seconds: a real-clock wait is slept in slices this long


class RemoteVendors(Vendors):
    """A running vendorsim: `urls` maps "cloud" and each vendor to its base URL (per-vendor
    ports, tenant first in the path), as `vendorsim serve` prints them."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.urls = {k: v.rstrip("/") for k, v in urls.items()}
        self.http = new_session()  # the admin API's calls only
        self.http.headers.update(admin_headers())
        self.virtual = True
        self._pin_before: dict | None = None  # the server's calendar pin before this run
        self._shift: float | None = None  # real clocks: wall time minus scenario time
        # real clocks: called with (scenario now, scenario time waited for) while waiting
        self.on_wait: Callable[[float, float], None] | None = None

    @classmethod
    def discover(cls, url: str) -> RemoteVendors:
        """From the host-routed URL alone. The server's health answer lists its per-vendor
        ports as it sees them; when that is not the address we were given (a container's
        published ports, a proxy), every vendor is reached through the given port instead,
        under `/{vendor}/` (the host-routed port serves both forms)."""
        url = url.rstrip("/")
        try:
            health = new_session().get(f"{url}/__admin/health", headers=admin_headers(),
                                       timeout=10)
        except requests.RequestException as exc:
            raise TargetError(f"cannot reach {url}: {short_error(exc)}") from None
        try:  # apart from the call: requests' JSON error is a RequestException too
            body = health.json()
        except ValueError:
            raise TargetError(f"{url} answered {health.status_code} without JSON") from None
        if not isinstance(body, dict) or body.get("status") not in ("ok", "degraded"):
            raise TargetError(f"{url}/__admin/health is not a vendorsim health answer")
        if "vendors" not in body:  # a closed admin API answers its status only
            raise TargetError(f"{url}'s admin API needs its admin token: set "
                              "VENDORSIM_ADMIN_TOKEN")
        urls = body.get("urls") or {}
        missing = sorted(set(VENDOR_HOSTS) - set(body.get("vendors") or []))
        if missing:
            raise TargetError(f"{url} does not serve {missing}")
        if urls.get("cloud", "").rstrip("/") == url and set(VENDOR_HOSTS) <= set(urls):
            return cls(urls)
        return cls({"cloud": url, **{vendor: f"{url}/{vendor}" for vendor in VENDOR_HOSTS}})

    def session(self) -> requests.Session:
        return with_timeout(TargetSession(self.probe), self.read_timeout)

    def probe(self) -> None:
        """TargetError unless the target answers its health check within seconds."""
        wait = min(PROBE_TIMEOUT[1], self.read_timeout or PROBE_TIMEOUT[1])
        try:
            new_session().get(f"{self.urls['cloud']}/__admin/health",
                              timeout=(wait, wait)).raise_for_status()
        except requests.RequestException as exc:
            raise TargetError(f"{self.urls['cloud']} stopped answering: "
                              f"{short_error(exc)}") from None

    def __exit__(self, *exc: object) -> None:
        pin, self._pin_before = self._pin_before, None
        if pin is not None:
            with contextlib.suppress(TargetError):  # gone: the replay's own error says so
                self._admin("PUT", "/calendar", json=pin)

    def __enter__(self) -> RemoteVendors:
        self._admin("POST", "/reset")
        self.virtual = self.clock_is_virtual()
        return self

    def clock_is_virtual(self) -> bool:
        """What the target's admin API says of its clock (GET /__admin/clock)."""
        return bool(self._admin("GET", "/clock").get("virtual"))

    def _admin(self, method: str, path: str, vendor: str = "cloud", json: object = None,
               **kwargs: Any) -> dict:
        if json is not None:  # scenario values may hold datetimes (YAML timestamps)
            kwargs["data"] = dumps(json, default=_iso)
            kwargs["headers"] = {"Content-Type": "application/json"}
        try:
            response = self.http.request(method, f"{self.urls[vendor]}/__admin{path}",
                                         timeout=ADMIN_TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            raise TargetError(f"{self.urls[vendor]} stopped answering: {short_error(exc)}"
                              ) from None
        if response.status_code >= 400:
            raise TargetError(f"{method} {vendor} /__admin{path}: {response.status_code} "
                              f"{response.text[:300]}")
        return response.json()

    def base_url(self, vendor: str, tenant: str = "") -> str:
        return served_url(self.urls, vendor, tenant)

    def now(self) -> float:
        if not self.virtual:  # scenario time: the real clock shifted to the scenario's start
            return time.time() - (self._shift or 0.0)
        stamp = self._admin("GET", "/clock")["now"]
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()

    def set_clock(self, when: float, forward: bool = False) -> None:
        if not self.virtual:  # a real clock is waited on; the first call pins the start
            if self._shift is None:
                self._shift = time.time() - when
                if self.on_wait is None:  # nobody shows the waits: say it once
                    sys.stderr.write("vendorsim: the target's clock is real, so the replay "
                                     "waits in real time (start it with --clock virtual to "
                                     "replay at once)\n")
            while (left := when - self.now()) > 0:  # in slices, so progress can be shown
                if self.on_wait is not None:
                    self.on_wait(self.now(), when)
                time.sleep(min(left, WAIT_SLICE))
            return
        # forward: a latency fault may have moved the server's clock past `when`
        self._admin("POST", "/clock/set", json={"time": when, "forward": forward})

    def seed(self, vendor: str, tenant: str, credentials: list | None, limits: dict | None,
             state: dict) -> None:
        self._admin("POST", "/tenants", vendor, json={
            "id": tenant, "credentials": credentials, "limits": limits, "state": state})

    def add_fault(self, spec: dict) -> None:
        self._admin("POST", "/faults", json=spec)

    def pin_calendar(self, as_of: str | None, opt_out: tuple[str, ...]) -> None:
        """The server's pin for this run; the one it had comes back when the run ends."""
        if self._pin_before is None:
            self._pin_before = self._admin("GET", "/calendar")["pin"]
        self._admin("PUT", "/calendar", json={"as_of": as_of, "opt_out": list(opt_out)})

    def add_api_token(self, client_id: str, token: str) -> None:
        self._admin("POST", f"/tenants/{client_id}/api-tokens", "demandbase",
                    json={"token": token})

    def _snapshot(self, vendor: str, tenant: str) -> dict | None:
        """`GET /__admin/state?tenant=` of one vendor (None: no such tenant)."""
        try:
            response = self.http.get(f"{self.urls[vendor]}/__admin/state",
                                     params={"tenant": tenant}, timeout=ADMIN_TIMEOUT)
        except requests.RequestException as exc:
            raise TargetError(f"{self.urls[vendor]} stopped answering: "
                              f"{short_error(exc)}") from None
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise TargetError(f"state of {vendor} {tenant}: {response.status_code}")
        return response.json()

    def read_state(self, vendor: str, tenant: str) -> dict:
        snapshot = self._snapshot(vendor, tenant)
        return next(iter(snapshot["tenants"].values()))["state"] if snapshot else {}

    def upsert_rows(self, subdomain: str, key: str, rows: list[dict]) -> None:
        """Through the admin state: read the account, merge the rows by primary key, put it
        back (the mock checks every value as on a seed)."""
        snapshot = self._snapshot("sfmc", subdomain)
        if snapshot is None:
            raise ValueError(f"upsert_rows: no SFMC account {subdomain}")
        state = next(iter(snapshot["tenants"].values()))["state"]
        de = next((d for d in state["data_extensions"] if d["key"].lower() == key.lower()),
                  None)
        if de is None:
            raise ValueError(f"upsert_rows: no data extension {key} in {subdomain}")
        keys = [f["name"] for f in de["fields"] if f.get("isPrimaryKey")]
        merged = {tuple(str(r.get(k)).lower() for k in keys): r for r in de["rows"]}
        for row in rows:
            index = tuple(str(row.get(k)).lower() for k in keys)
            merged[index] = {**merged.get(index, {}), **row}
        de["rows"] = list(merged.values())
        self._admin("PUT", "/state", "sfmc", json=snapshot)

    def journal(self) -> list[dict]:
        return self._admin("GET", "/journal")["requests"]

    def client_verdicts(self, judge_injected: bool = False) -> list[dict]:
        query = "?injected=judge" if judge_injected else ""
        return self._admin("GET", "/verdicts" + query)["verdicts"]


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
        return stamp.astimezone(UTC).isoformat().replace("+00:00", "Z")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
