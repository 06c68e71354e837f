"""vendorsim as a Testcontainers module (`pip install vendorsim[testcontainers]`), in
testcontainers-python's conventions: a `DockerContainer` subclass that waits until the mocks
answer `/__admin/health`, and hands out the vendors' base URLs and the admin calls a test
needs.

    with VendorsimContainer("vendorsim:latest") as mocks:
        base = mocks.base_url("marketo", "123-ABC-456")   # http://localhost:PORT/123-ABC-456
        ...
        mocks.advance(20)
        assert mocks.verdicts() == []

The image is the one `vendorsim docker up --build` (or `.ci/docker`) builds; the clock is
virtual unless asked otherwise, so `advance()` moves time. `admin_token=` closes the admin API
(VENDORSIM_ADMIN_TOKEN in the container): the container's own admin calls send it.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from testcontainers.core.container import DockerContainer

from vendorsim.mocks.container import PORTS
from vendorsim.mocks.core.admin.access import TOKEN_ENV, check_token

STATE_DIR = "/data"  # the image's volume for persistent mode


class VendorsimContainer(DockerContainer):  # type: ignore[misc]  # testcontainers is untyped
    """The mock vendors in a container: every vendor's port published, health waited on."""

    def __init__(self, image: str = "vendorsim:latest", *, clock: str = "virtual",
                 strict: bool = False, no_limits: bool = False, state: str | Path | None = None,
                 as_of: str | None = None, startup_timeout: float = 60.0,
                 admin_token: str | None = None, **kwargs: Any) -> None:
        super().__init__(image, **kwargs)
        self.startup_timeout = startup_timeout
        self.admin_token = check_token(admin_token)
        if self.admin_token:
            self.with_env(TOKEN_ENV, self.admin_token)
        self.with_exposed_ports(*PORTS.values())
        self.with_env("VENDORSIM_CLOCK", clock)
        if strict:
            self.with_env("VENDORSIM_STRICT", "1")
        if no_limits:
            self.with_env("VENDORSIM_NO_LIMITS", "1")
        if as_of:
            self.with_env("VENDORSIM_AS_OF", as_of)
        if state is not None:  # persistent mode: the file's folder is mounted at /data
            path = Path(state).resolve()
            self.with_volume_mapping(str(path.parent), STATE_DIR, "rw")
            self.with_env("VENDORSIM_STATE", f"{STATE_DIR}/{path.name}")

    def start(self) -> VendorsimContainer:
        super().start()
        deadline = time.monotonic() + self.startup_timeout
        while True:
            try:
                self.admin("GET", "/health")
                return self
            except (OSError, urllib.error.URLError, ValueError):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"vendorsim did not answer /__admin/health within "
                                       f"{self.startup_timeout:g} s") from None
                time.sleep(0.25)

    # -- where the vendors are ------------------------------------------------------------
    def url(self, vendor: str = "cloud") -> str:
        """A vendor's port (tenant first in the path), or the host-routed one ("cloud")."""
        port = self.get_exposed_port(PORTS[vendor])
        return f"http://{self.get_container_host_ip()}:{port}"

    def base_url(self, vendor: str, tenant: str = "") -> str:
        """Where a client of `vendor` points for `tenant` (Marketo, SFMC: the tenant first)."""
        from vendorsim.mocks.cloud import served_url

        return served_url({v: self.url(v) for v in PORTS}, vendor, tenant)

    # -- the admin API -------------------------------------------------------------------
    def admin(self, method: str, path: str, body: object = None) -> Any:
        """Call `/__admin{path}` on the host-routed port; the answer's JSON."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url()}/__admin{path}", data=data,
                                         method=method, headers=self._headers())
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our own URL
            return json.loads(answer.read() or b"null")

    def _headers(self) -> dict[str, str]:
        """JSON, and the admin token when the container was given one."""
        return {"Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {})}

    def advance(self, seconds: float) -> Any:
        return self.admin("POST", "/clock/advance", {"seconds": seconds})

    def reset(self) -> Any:
        return self.admin("POST", "/reset")

    def verdicts(self) -> list[dict]:
        return list(self.admin("GET", "/verdicts").get("verdicts", []))

    def journal(self, **filters: str) -> list[dict]:
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        return list(self.admin("GET", f"/journal?{query}").get("requests", []))

    def seed(self, vendor: str, tenant: str, state: dict) -> Any:
        """Create a tenant with this state, on the vendor's own admin API."""
        return self._vendor_admin(vendor, "/tenants", {"id": tenant, "state": state})

    def _vendor_admin(self, vendor: str, path: str, body: object) -> Any:
        request = urllib.request.Request(f"{self.url(vendor)}/__admin{path}",
                                         data=json.dumps(body).encode(), method="POST",
                                         headers=self._headers())
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our own URL
            return json.loads(answer.read() or b"null")
