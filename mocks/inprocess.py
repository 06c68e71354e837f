"""In-process mode: calls to vendor hosts never leave the process.

`requests` is intercepted with `responses` (so client libraries and SDKs that build their
own sessions work unchanged) and `httpx` by patching its default transports; traffic to any
other host passes through untouched. Like moto's `mock_aws`, `mock_vendors` is a context
manager and a decorator, and every entry starts from a fresh cloud unless one is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import ContextDecorator
from http import HTTPStatus
from typing import Any
from unittest import mock

import httpx
import requests
import responses
from requests.structures import CaseInsensitiveDict

from mocks.cloud import Cloud
from mocks.core.clock import Clock
from mocks.core.routing import call_wsgi

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class WSGIAsyncTransport(httpx.AsyncBaseTransport):
    """An async httpx transport answering from a WSGI app (httpx ships only a sync one)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        status, headers, data = call_wsgi(self.app, request.method, str(request.url),
                                          dict(request.headers), body)
        return httpx.Response(status, headers=headers, content=data, request=request)


class WsgiAdapter(requests.adapters.BaseAdapter):
    """A `requests` transport adapter answering from the mocks' WSGI app: for sessions you
    own (`cloud.requests_session()`), about twice as cheap per call as interception, since it
    skips `responses`' matching and urllib3's response objects."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        status, headers, data = call_wsgi(self.app, request.method or "GET", request.url or "",
                                          dict(request.headers), body)
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response._content = data
        response.url = request.url or ""
        response.request = request
        response.reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ \
            else ""
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        return None


class DirectSession(requests.Session):
    """A `requests.Session` for code that owns its session and sends no cookies, auth
    objects or hooks: `request()` prepares a `requests.Request` with the session's headers
    and hands it to the mounted adapter, skipping the per-call merge of session settings
    (a third of a small in-process call's cost with requests 2.34's runtime type checks)."""

    def request(self, method: str | bytes, url: str | bytes,  # type: ignore[override]
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
        return self.get_adapter(prepared.url or "").send(prepared)


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

    >>> with mock_vendors(clock="virtual") as cloud:
    ...     requests.get("https://123-ABC-456.mktorest.com/identity/oauth/token?...")
    """

    def __init__(self, clock: str | Clock | None = "real", *, strict: bool = False,
                 vendors: Iterable[str] | None = None, cloud: Cloud | None = None) -> None:
        self._given = cloud
        self._options = {"clock": clock, "strict": strict, "vendors": vendors}
        self.cloud: Cloud | None = None
        self._stack: list[tuple[Cloud, responses.RequestsMock, list]] = []

    def __enter__(self) -> Cloud:
        cloud = self._given or Cloud(**self._options)  # type: ignore[arg-type]
        url_pattern = _url_pattern(cloud)
        host_pattern = _host_pattern(cloud)
        rsps = responses.RequestsMock(assert_all_requests_are_fired=False)

        def answer(request: Any) -> tuple[int, dict, bytes]:
            body = request.body
            if isinstance(body, str):
                body = body.encode("utf-8")
            status, headers, data = call_wsgi(cloud.wsgi, request.method, request.url,
                                              dict(request.headers), body)
            return status, dict(headers), data

        for method in METHODS:
            rsps.add_callback(method, url_pattern, callback=answer, content_type=None)
        rsps.add_passthru(re.compile(r".*"))
        rsps.start()
        patches = [
            mock.patch.object(httpx.HTTPTransport, "handle_request",
                              _sync_interceptor(cloud, host_pattern)),
            mock.patch.object(httpx.AsyncHTTPTransport, "handle_async_request",
                              _async_interceptor(cloud, host_pattern)),
        ]
        for p in patches:
            p.start()
        self._stack.append((cloud, rsps, patches))
        self.cloud = cloud
        return cloud

    def __exit__(self, *exc: object) -> None:
        cloud, rsps, patches = self._stack.pop()
        for p in reversed(patches):
            p.stop()
        rsps.stop()
        rsps.reset()
        self.cloud = self._stack[-1][0] if self._stack else cloud


def _host_pattern(cloud: Cloud) -> re.Pattern:
    hosts = "|".join(f"(?:{s.host_pattern.pattern})" for s in cloud.services.values())
    return re.compile(hosts.replace("?P<tenant>", "?:"), re.I)


def _url_pattern(cloud: Cloud) -> re.Pattern:
    hosts = _host_pattern(cloud).pattern
    return re.compile(rf"https?://(?:{hosts})(?::\d+)?(?:[/?#].*)?", re.I)


def _sync_interceptor(cloud: Cloud, hosts: re.Pattern) -> Callable:
    original = httpx.HTTPTransport.handle_request
    transport = httpx_transport(cloud)

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if not hosts.fullmatch(request.url.host):
            return original(self, request)
        return transport.handle_request(request)

    return handle_request


def _async_interceptor(cloud: Cloud, hosts: re.Pattern) -> Callable:
    original = httpx.AsyncHTTPTransport.handle_async_request
    transport = WSGIAsyncTransport(cloud.wsgi)

    async def handle_async_request(self: httpx.AsyncHTTPTransport,
                                   request: httpx.Request) -> httpx.Response:
        if not hosts.fullmatch(request.url.host):
            return await original(self, request)
        return await transport.handle_async_request(request)

    return handle_async_request
