"""In-process mode: calls to vendor hosts never leave the process.

`requests` and `httpx` calls to vendor hosts are answered from the mocks' WSGI app (so client
libraries and SDKs that build their own sessions work unchanged; how, and how this coexists
with the user's own HTTP mocks: `interceptors`); traffic to any other host passes through.
Like moto's `mock_aws`, `mock_vendors` is a context manager and a decorator, and every entry
starts from a fresh cloud unless one is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import ContextDecorator
from typing import Any

import httpx
import requests

from vendorsim.mocks import interceptors
from vendorsim.mocks.cloud import Cloud
from vendorsim.mocks.core.clock import Clock


class WSGIAsyncTransport(httpx.AsyncBaseTransport):
    """An async httpx transport answering from a WSGI app (httpx ships only a sync one)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return interceptors.httpx_answer(self.app, request, await request.aread())


class WsgiAdapter(requests.adapters.BaseAdapter):
    """A `requests` transport adapter answering from the mocks' WSGI app: for sessions you
    own (`cloud.requests_session()`), cheaper per call than interception, since it skips
    urllib3's connection and response objects."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: float | tuple[float, float] | tuple[float, None] | None = None,
             verify: bool | str = True,
             cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
             proxies: Mapping[str, str] | None = None) -> requests.Response:
        return interceptors.requests_answer(self.app, request, timeout)

    def close(self) -> None:
        return None


class DirectSession(requests.Session):
    """A `requests.Session` for code that owns its session and sends no cookies, auth
    objects or hooks: `request()` prepares a `requests.Request` with the session's headers
    and hands it to the mounted adapter, skipping the per-call merge of session settings
    (a third of a small in-process call's cost with requests 2.34's runtime type checks)."""

    def request(self, method: str | bytes, url: str | bytes,  # type: ignore[override]  # Session.request's own signature, narrower types
                params: Any = None, data: Any = None, headers: Any = None,
                json: Any = None, **kwargs: Any) -> requests.Response:
        if set(kwargs) - {"timeout", "allow_redirects", "stream", "verify"}:
            return super().request(method, url, params=params, data=data, headers=headers,
                                   json=json, **kwargs)
        merged = dict(self.headers)
        if headers:
            merged.update(headers)
        prepared = requests.Request(str(method).upper(), str(url), headers=merged,
                                    params=params or {}, data=data or [], json=json).prepare()
        return self.get_adapter(prepared.url or "").send(prepared,
                                                         timeout=kwargs.get("timeout"))


def requests_session(cloud: Cloud) -> requests.Session:
    """A `requests.Session` whose every call is answered by the mocks (no interception needed,
    no proxy look-ups)."""
    session = DirectSession()
    session.trust_env = False
    adapter = WsgiAdapter(cloud.wsgi)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def httpx_transport(cloud: Cloud) -> httpx.BaseTransport:
    """A sync transport for `httpx.Client(transport=...)` that answers from the mocks."""
    return httpx.WSGITransport(app=cloud.wsgi)


def httpx_async_transport(cloud: Cloud) -> httpx.AsyncBaseTransport:
    return WSGIAsyncTransport(cloud.wsgi)


class mock_vendors(ContextDecorator):  # noqa: N801 - named like moto's mock_aws
    """Intercept vendor traffic for the duration of a `with` block or a decorated function.

    `requests` and `httpx` calls to the vendors' hosts are answered by the mocks; every other
    host reaches whatever would answer it without vendorsim: the network, or your own
    `responses`, `requests-mock`, `respx` or `pytest-httpx` mocks, nested either way
    (`vendorsim.mocks.interceptors`).

    >>> with mock_vendors(clock="virtual") as cloud:
    ...     requests.get("https://123-ABC-456.mktorest.com/identity/oauth/token?...")
    """

    def __init__(self, clock: str | Clock | None = "real", *, strict: bool = False,
                 vendors: Iterable[str] | None = None, cloud: Cloud | None = None,
                 as_of: str | float | None = None, opt_out: Iterable[str] = ()) -> None:
        self._given = cloud
        self._options = {"clock": clock, "strict": strict, "vendors": vendors,
                         "as_of": as_of, "opt_out": opt_out}
        self.cloud: Cloud | None = None
        self._stack: list[Cloud] = []

    def __enter__(self) -> Cloud:
        cloud = self._given or Cloud(**self._options)  # type: ignore[arg-type]  # the options Cloud() takes, passed on
        interceptors.activate(cloud)
        self._stack.append(cloud)
        self.cloud = cloud
        return cloud

    def __exit__(self, *exc: object) -> None:
        cloud = self._stack.pop()
        interceptors.deactivate(cloud)
        self.cloud = self._stack[-1] if self._stack else cloud
