"""pytest plugin (entry point `vendorsim`): fixtures for the mock vendors.

- `vendorsim`: a fresh in-process cloud per test; configure it with
  `@pytest.mark.vendorsim(clock="virtual", strict=True)` (real clock by default).
- `vendorsim_server`: one waitress server per session (per xdist worker, on free ports,
  virtual clock), reset before each test that uses it.
- `vendorsim_target`: the same tests against either, chosen with
  `--vendorsim-target=inprocess|server`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from mocks.cloud import Cloud
from mocks.inprocess import mock_vendors
from mocks.server import ServerRunner

VENDOR_HOSTS = {"marketo": "https://{tenant}.mktorest.com",
                "sfmc": "https://{tenant}.auth.marketingcloudapis.com",
                "bombora": "https://api.bombora.com",
                "demandbase": "https://uapi.demandbase.com"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vendorsim")
    group.addoption("--vendorsim-target", default="inprocess",
                    choices=("inprocess", "server"),
                    help="where vendorsim_target points: in-process mocks or a local server")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "vendorsim(clock='real'|'virtual', strict=False, vendors=None): "
                   "options of the in-process vendorsim fixture")


@pytest.fixture
def vendorsim(request: pytest.FixtureRequest) -> Iterator[Cloud]:
    """A fresh in-process mock cloud; requests/httpx calls to vendor hosts reach it."""
    marker = request.node.get_closest_marker("vendorsim")
    options = dict(marker.kwargs) if marker else {}
    with mock_vendors(**options) as cloud:
        yield cloud


@pytest.fixture(scope="session")
def _vendorsim_session_server() -> Iterator[ServerRunner]:
    runner = ServerRunner(Cloud("virtual"), port=0).start()
    yield runner
    runner.stop()


@pytest.fixture
def vendorsim_server(_vendorsim_session_server: ServerRunner) -> ServerRunner:
    """The session's server, with every vendor's state, journal and faults reset."""
    _vendorsim_session_server.cloud.reset()
    return _vendorsim_session_server


@dataclass
class Target:
    """Where tests send vendor traffic, whichever way the mocks run."""

    mode: str
    cloud: Cloud
    server: ServerRunner | None = None

    def base_url(self, vendor: str, tenant: str) -> str:
        if self.server is not None:
            return self.server.base_url(vendor, tenant)
        return VENDOR_HOSTS[vendor].format(tenant=tenant)

    def admin_url(self, vendor: str) -> str:
        if self.server is not None:
            return f"{self.server.urls[vendor]}/__admin"
        example = self.cloud.service(vendor).example_tenant
        return f"{VENDOR_HOSTS[vendor].format(tenant=example)}/__admin"


@pytest.fixture
def vendorsim_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """In-process or server mocks, per `--vendorsim-target`; virtual clock either way."""
    if request.config.getoption("--vendorsim-target") == "server":
        server = request.getfixturevalue("vendorsim_server")
        yield Target("server", server.cloud, server)
        return
    with mock_vendors(clock="virtual") as cloud:
        yield Target("inprocess", cloud)
