"""pytest plugin (entry point `vendorsim`): fixtures for the mock vendors.

- `vendorsim`: a fresh in-process cloud per test; configure it with
  `@pytest.mark.vendorsim(clock="virtual", strict=True)` (real clock by default).
- `vendorsim_server`: one waitress server per session (per xdist worker, on free ports,
  virtual clock), reset before each test that uses it.
- `vendorsim_target`: the same tests against in-process mocks, that server, or a container,
  chosen with `--vendorsim-target=inprocess|server|docker` (virtual clock in all three).
- `--vendorsim-as-of=DATE` (and `--vendorsim-opt-out=RULE`): every fixture's vendors as of
  that date (docs/how-to/calendar.md): replay a suite against an announced change before it
  ships. A test's marker `@pytest.mark.vendorsim(as_of=..., opt_out=[...])` wins.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from vendorsim.mocks.cloud import VENDOR_HOSTS, Cloud, _vendor_classes, served_url
from vendorsim.mocks.core.admin.access import TOKEN_ENV, admin_headers
from vendorsim.mocks.core.clock import RealClockError
from vendorsim.mocks.inprocess import mock_vendors
from vendorsim.mocks.server import ServerRunner


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vendorsim")
    group.addoption("--vendorsim-target", default="inprocess",
                    choices=("inprocess", "server", "docker", "live"),
                    help="where vendorsim_target points: in-process mocks, a local server, "
                         "a container (image from VENDORSIM_IMAGE, default vendorsim:latest), "
                         "or real vendor sandboxes named by VENDORSIM_LIVE_* (opt in)")
    group.addoption("--vendorsim-as-of", default=None, metavar="DATE",
                    help="judge the vendors' dated changes as of DATE (e.g. 2027-01-01) in "
                         "every vendorsim fixture, instead of the clock")
    group.addoption("--vendorsim-opt-out", action="append", default=[], metavar="RULE",
                    help="leave a dated change out in every vendorsim fixture (repeat)")


def _calendar(config: pytest.Config) -> dict:
    """The suite's calendar pin from the command line (empty: judge on the clock)."""
    as_of, opt_out = config.getoption("--vendorsim-as-of"), config.getoption("--vendorsim-opt-out")
    return {"as_of": as_of, "opt_out": list(opt_out)} if as_of or opt_out else {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "vendorsim(clock='real'|'virtual', strict=False, vendors=None, "
                   "strict_client=False, judge_injected=False, as_of=None, opt_out=()): "
                   "options of the in-process vendorsim fixture; strict_client fails the test "
                   "when its client broke a vendor rule (judge_injected: answers injected by "
                   "faults are judged too); as_of/opt_out: the vendor calendar's pin")


@pytest.fixture
def vendorsim(request: pytest.FixtureRequest) -> Iterator[Cloud]:
    """A fresh in-process mock cloud; requests/httpx calls to vendor hosts reach it."""
    marker = request.node.get_closest_marker("vendorsim")
    options = {**_calendar(request.config), **(marker.kwargs if marker else {})}
    options.pop("strict_client", None)
    options.pop("judge_injected", None)
    with mock_vendors(**options) as cloud:
        yield cloud


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """`@pytest.mark.vendorsim(strict_client=True)`: a test whose client broke a vendor
    rule (docs/how-to/admin-api.md, "Client verdicts") fails, with the verdicts and their
    journal evidence."""
    result = yield
    marker = item.get_closest_marker("vendorsim")
    cloud = getattr(item, "funcargs", {}).get("vendorsim")
    if marker and marker.kwargs.get("strict_client") and isinstance(cloud, Cloud):
        found = cloud.verdicts(judge_injected=bool(marker.kwargs.get("judge_injected")))
        if found:
            lines = [f"{v['rule']} ({v['vendor']} {v['tenant']}, client {v['client']}): "
                     f"{v['detail']} [journal {', '.join(map(str, v['evidence'][:10]))}]"
                     for v in found]
            raise pytest.fail.Exception("the client broke vendor rules:\n  " +
                                        "\n  ".join(lines), pytrace=False)
    return result


@pytest.fixture(scope="session")
def _vendorsim_session_server(pytestconfig: pytest.Config) -> Iterator[ServerRunner]:
    runner = ServerRunner(Cloud("virtual", **_calendar(pytestconfig)), port=0).start()
    yield runner
    runner.stop()


@pytest.fixture
def vendorsim_server(_vendorsim_session_server: ServerRunner) -> ServerRunner:
    """The session's server, with every vendor's state, journal and faults reset."""
    _vendorsim_session_server.cloud.reset()
    return _vendorsim_session_server


@pytest.fixture(scope="session")
def _vendorsim_container() -> Iterator[dict[str, str]]:
    from vendorsim.mocks import container

    image = os.environ.get("VENDORSIM_IMAGE", container.DEFAULT_IMAGE)
    name = f"vendorsim-test-{os.getpid()}"  # one per xdist worker
    token = os.environ.get(TOKEN_ENV)  # the suite's admin token closes its container too
    try:
        running = container.up(image, name, fixed_ports=False, environment={
            "VENDORSIM_CLOCK": "virtual", **({TOKEN_ENV: token} if token else {})})
    except (container.EngineUnavailable, container.ContainerError) as exc:
        pytest.fail(f"--vendorsim-target=docker: {exc}")
    yield running.urls
    container.down(name)


PACER = pytest.StashKey[Any]()  # one pacing of live calls per session


@dataclass
class Target:
    """Where tests send vendor traffic, whichever way the mocks run."""

    mode: str
    cloud: Cloud | None = None  # in-process and server modes: the cloud itself
    urls: dict[str, str] = field(default_factory=dict)  # server and docker modes
    # what admin calls send: the container's token in docker mode (VENDORSIM_ADMIN_TOKEN)
    admin_headers: dict[str, str] = field(default_factory=dict)

    def base_url(self, vendor: str, tenant: str = "") -> str:
        if self.mode == "live":
            if vendor not in self.urls:
                pytest.skip(f"--vendorsim-target=live: VENDORSIM_LIVE_{vendor.upper()} is not "
                            "set")
            return self.urls[vendor]
        if self.mode == "inprocess":
            return VENDOR_HOSTS[vendor].format(tenant=tenant)
        return served_url(self.urls, vendor, tenant)

    def credentials(self, vendor: str, default: tuple[str, str] = ("cdp", "s3cret")
                    ) -> tuple[str, str]:
        """The client id and secret to log in with (a live sandbox's from the environment)."""
        from vendorsim.mocks.live import credentials

        return credentials(vendor, default) if self.mode == "live" else default

    def admin_url(self, vendor: str | None = None) -> str:
        """The admin API of one vendor, or (vendor None, not in-process) of the whole cloud."""
        if self.mode == "live":
            pytest.skip("needs vendorsim's admin API (seeding, clock, faults): a live vendor "
                        "has none")
        if self.mode == "inprocess":
            example = _vendor_classes()[vendor or "marketo"].example_tenant
            return f"{VENDOR_HOSTS[vendor or 'marketo'].format(tenant=example)}/__admin"
        return f"{self.urls[vendor or 'cloud']}/__admin"

    def advance(self, seconds: float) -> None:
        """Move the (virtual) clock the mocks read."""
        if self.mode == "live":
            pytest.skip("a live vendor's clock cannot be moved")
        if self.cloud is not None:
            self.cloud.clock.advance(seconds)  # RealClockError in one line on a real clock
            return
        response = requests.post(f"{self.admin_url()}/clock/advance", json={"seconds": seconds},
                                 headers=self.admin_headers)
        if response.status_code == 409:
            raise RealClockError()
        response.raise_for_status()


@pytest.fixture
def vendorsim_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """In-process, server or container mocks, per `--vendorsim-target`; virtual clock."""
    mode = request.config.getoption("--vendorsim-target")
    if mode == "live":
        from vendorsim.mocks.live import Pacer, configured

        urls = configured()
        if not urls:
            pytest.skip("--vendorsim-target=live: no sandbox configured (set "
                        "VENDORSIM_LIVE_MARKETO and its _CLIENT_ID/_CLIENT_SECRET, or another "
                        "vendor's)")
        pacer = request.config.stash.setdefault(PACER, Pacer())
        with pacer.patch:
            yield Target("live", None, urls)
        return
    if mode == "server":
        server = request.getfixturevalue("vendorsim_server")
        yield Target("server", server.cloud, dict(server.urls))
    elif mode == "docker":
        urls = request.getfixturevalue("_vendorsim_container")
        headers = admin_headers()
        requests.post(f"{urls['cloud']}/__admin/reset", headers=headers).raise_for_status()
        requests.put(f"{urls['cloud']}/__admin/calendar", headers=headers,
                     json=_calendar(request.config)).raise_for_status()
        yield Target("docker", None, dict(urls), headers)
    else:
        with mock_vendors(clock="virtual", **_calendar(request.config)) as cloud:
            yield Target("inprocess", cloud)
