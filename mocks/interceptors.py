"""In-process interception that coexists with the user's own HTTP mocks.

Users mock their CRM and webhooks with `responses`, `requests-mock`, `respx` or
`pytest-httpx` in the same tests that use vendorsim. Each of those replaces a method high in
the HTTP stack and refuses what it does not know, so vendorsim must neither sit above them
(it would hide their hosts) nor rely on reaching the network layer below them (they refuse
vendor hosts first). Hence two parts, installed while any `mock_vendors()` is active:

- **the floor**: `requests` is answered at `HTTPAdapter.get_connection_with_tls_context`
  (a method no mock library patches: vendor hosts get a connection pool that answers from
  the mocks' WSGI app), `httpx` at its transports' `handle_request` (chained: other hosts go
  to whatever was there before, e.g. pytest-httpx's mock);
- **hooks** in each mock library's request handler, class-wide, so that a user's mock that
  is on top hands vendor hosts to vendorsim instead of refusing them.

Vendor hosts are always answered by the innermost active cloud; everything else reaches the
user's mocks (or the network) exactly as without vendorsim. A user mock that itself
registered a vendor URL is a conflict and is reported at once with the fix. VCR.py records
what the mocks answer, nested either way, and no vendor call reaches DNS (`recorders`).
"""

from __future__ import annotations

import http.client
import importlib
import io
import threading
import urllib.error
import urllib.request
import urllib.response
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from unittest import mock
from urllib.parse import urlsplit

import httpx
import requests
from urllib3 import HTTPResponse
from urllib3._collections import HTTPHeaderDict

from . import recorders
from .core import connection
from .core.routing import call_wsgi
from .recorders import InterceptionConflict

if TYPE_CHECKING:
    from .cloud import Cloud

__all__ = ["InterceptionConflict", "activate", "cloud_for", "deactivate"]

_lock = threading.RLock()
_active: list[Cloud] = []  # innermost last
_patches: list[Any] = []


def cloud_for(url: str) -> Cloud | None:
    """The innermost active cloud serving this URL's host, if any."""
    host = (urlsplit(url).hostname or "").lower()
    for cloud in reversed(_active):
        if cloud.serves_host(host):
            return cloud
    return None


def activate(cloud: Cloud) -> None:
    with _lock:
        if not _active:
            _install()
        _active.append(cloud)


def deactivate(cloud: Cloud) -> None:
    with _lock:
        for i in range(len(_active) - 1, -1, -1):
            if _active[i] is cloud:
                del _active[i]
                break
        if not _active:
            for patch in reversed(_patches):
                patch.stop()
            _patches.clear()


# -- answers in each library's types -------------------------------------------------
def _body_bytes(body: object) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    if isinstance(body, Iterable):
        return b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in body)
    return bytes(body)  # type: ignore[call-overload]  # any other iterable of ints


def read_timeout(timeout: object) -> float | None:
    """The read part of a client's timeout (requests: a number or a (connect, read) pair,
    urllib3: a Timeout, httpx: its extensions' dict); None when it waits forever."""
    if isinstance(timeout, tuple):
        timeout = timeout[1] if len(timeout) > 1 else timeout[0]
    elif isinstance(timeout, dict):
        timeout = timeout.get("read")
    elif timeout is not None and hasattr(timeout, "read_timeout"):
        timeout = timeout.read_timeout
    return float(timeout) if isinstance(timeout, int | float) and timeout > 0 else None


def requests_answer(app: Callable, request: requests.PreparedRequest,
                    timeout: object = None) -> requests.Response:
    """A `requests.Response` from a WSGI app (the mocks) for a prepared request."""
    status, headers, data = call_wsgi(app, request.method or "GET", request.url or "",
                                      dict(request.headers), _body_bytes(request.body),
                                      read_timeout(timeout))
    found = connection.read_marker(status, headers)
    if found is not None:  # a connection fault: what requests raises for it
        raise connection.requests_error(*found, request)
    response = requests.Response()
    response.status_code = status
    response.headers = requests.structures.CaseInsensitiveDict(headers)
    response._content = data
    response.url = request.url or ""
    response.request = request
    response.reason = _reason(status)
    response.encoding = requests.utils.get_encoding_from_headers(response.headers) or "utf-8"
    return response


def httpx_answer(app: Callable, request: httpx.Request, body: bytes) -> httpx.Response:
    """An `httpx.Response` from a WSGI app (the mocks) for a request whose body was read."""
    status, headers, data = call_wsgi(app, request.method, str(request.url),
                                      dict(request.headers), body,
                                      read_timeout(request.extensions.get("timeout")))
    found = connection.read_marker(status, headers)
    if found is not None:  # a connection fault: what httpx raises for it
        raise connection.httpx_error(*found, request)
    return httpx.Response(status, headers=headers, content=data, request=request)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class _WsgiPool:
    """What `HTTPAdapter.send` takes for a urllib3 connection pool: `urlopen` answers from
    the mocks, so everything `requests` does around it (hooks, cookies, redirects) still runs."""

    def __init__(self, cloud: Cloud, url: str) -> None:
        self.cloud = cloud
        self.url = url  # urlopen is given the path only

    def urlopen(self, method: str, url: str, body: object = None, headers: Any = None,
                timeout: object = None, **_: object) -> HTTPResponse:
        status, answer_headers, data = _answered(
            recorders.requests_cassette(self.url), self.cloud, method, self.url,
            dict(headers or {}), _body_bytes(body), timeout)
        fault = connection.read_marker(status, answer_headers)
        if fault is not None:  # what urllib3 raises; requests turns it into its own error
            if fault[0] != "truncated":
                raise connection.urllib3_error(*fault, self)
            status, data = 200, connection.PARTIAL.split(b"\r\n\r\n", 1)[1]
            answer_headers = [("Content-Type", "application/json;charset=UTF-8"),
                              ("Content-Length", "512")]
        header_dict = HTTPHeaderDict(answer_headers)
        original = HTTPResponse(body=io.BytesIO(b""), msg=header_dict,  # type: ignore[arg-type]  # urllib3 takes a dict of headers too
                                preload_content=False)  # cookies are read from here
        return HTTPResponse(body=io.BytesIO(data), headers=header_dict, status=status,
                            reason=_reason(status), preload_content=False,
                            original_response=original,  # type: ignore[arg-type]  # requests only reads the original's headers
                            request_method=method, request_url=self.url)


def _answered(cassette: Any, cloud: Cloud, method: str, url: str, headers: dict[str, str],
              body: bytes, timeout: object) -> recorders.Answer:
    """The mocks' answer, through the VCR.py cassette patched in below, if any."""
    def answer() -> recorders.Answer:
        return call_wsgi(cloud.wsgi, method, url, headers, body, read_timeout(timeout))

    if cassette is None:
        return answer()
    return recorders.through_cassette(cassette, method, url, headers, body, answer, lambda a:
                                      connection.read_marker(a[0], a[1]) is not None)


# -- the floor -------------------------------------------------------------------------
def _floor_requests() -> Any:
    original = requests.adapters.HTTPAdapter.get_connection_with_tls_context

    def get_connection_with_tls_context(adapter: requests.adapters.HTTPAdapter,
                                        request: requests.PreparedRequest,
                                        verify: bool | str | None,
                                        proxies: Mapping[str, str] | None = None,
                                        cert: tuple[str, str] | str | None = None) -> Any:
        cloud = cloud_for(request.url or "")
        if cloud is None:
            return original(adapter, request, verify, proxies=proxies, cert=cert)
        return _WsgiPool(cloud, request.url or "")

    return mock.patch.object(requests.adapters.HTTPAdapter, "get_connection_with_tls_context",
                             get_connection_with_tls_context)


def _floor_httpx() -> list[Any]:
    sync_original = httpx.HTTPTransport.handle_request
    async_original = httpx.AsyncHTTPTransport.handle_async_request

    def handle_request(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        cloud = cloud_for(str(request.url))
        if cloud is None or recorders.is_vcr_stub(sync_original):  # VCR asks the mocks
            return sync_original(transport, request)
        recorders.refuse_vcr_below_httpx()
        return httpx_answer(cloud.wsgi, request, request.read())

    async def handle_async_request(transport: httpx.AsyncHTTPTransport,
                                   request: httpx.Request) -> httpx.Response:
        cloud = cloud_for(str(request.url))
        if cloud is None or recorders.is_vcr_stub(async_original):
            return await async_original(transport, request)
        recorders.refuse_vcr_below_httpx()
        return httpx_answer(cloud.wsgi, request, await request.aread())

    return [mock.patch.object(httpx.HTTPTransport, "handle_request", handle_request),
            mock.patch.object(httpx.AsyncHTTPTransport, "handle_async_request",
                              handle_async_request)]


# -- hooks in the user's mock libraries ----------------------------------------------------
def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _hook_responses() -> list[Any]:
    """`responses` (decorator, RequestsMock, responses.start()): every mock instance."""
    lib = _optional("responses")
    if lib is None:
        return []
    original = lib.RequestsMock._on_request

    def _on_request(self: Any, adapter: Any, request: requests.PreparedRequest,
                    **kwargs: Any) -> requests.Response:
        cloud = cloud_for(request.url or "")
        if cloud is None:
            return original(self, adapter, request, **kwargs)
        _refuse_registered_vendor_urls(self, request)
        return requests_answer(cloud.wsgi, request)

    return [mock.patch.object(lib.RequestsMock, "_on_request", _on_request)]


def _refuse_registered_vendor_urls(rsps: Any, request: requests.PreparedRequest) -> None:
    host = urlsplit(request.url or "").hostname or ""
    for registered in rsps.registered():
        url = getattr(registered, "url", "")
        text = url if isinstance(url, str) else getattr(url, "pattern", "")
        if host and host.lower() in text.lower():
            raise InterceptionConflict(
                f"{request.method} {request.url}: your `responses` mock registered {text!r}, "
                "but vendorsim answers this vendor host while its fixture (or mock_vendors()) "
                "is active. Remove that registration and shape vendorsim's answer with "
                "cloud.add_fault(...) or seeded state, or leave vendorsim out of this test.")


def _hook_requests_mock() -> list[Any]:
    """`requests-mock` (Mocker, the `requests_mock` fixture), real_http or not."""
    adapter = _optional("requests_mock.adapter")
    if adapter is None:
        return []
    original = adapter.Adapter.send

    def send(self: Any, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        cloud = cloud_for(request.url or "")
        if cloud is None:
            return original(self, request, **kwargs)
        return requests_answer(cloud.wsgi, request)

    return [mock.patch.object(adapter.Adapter, "send", send)]


def _hook_pytest_httpx() -> list[Any]:
    """`pytest-httpx` (the `httpx_mock` fixture): vendor hosts never count as unexpected."""
    lib = _optional("pytest_httpx._httpx_mock")
    if lib is None:
        return []
    cls = lib.HTTPXMock
    sync_original, async_original = cls._handle_request, cls._handle_async_request

    def _handle_request(self: Any, real_transport: Any, request: httpx.Request) -> Any:
        cloud = cloud_for(str(request.url))
        if cloud is None:
            return sync_original(self, real_transport, request)
        return httpx_answer(cloud.wsgi, request, request.read())

    async def _handle_async_request(self: Any, real_transport: Any,
                                    request: httpx.Request) -> Any:
        cloud = cloud_for(str(request.url))
        if cloud is None:
            return await async_original(self, real_transport, request)
        return httpx_answer(cloud.wsgi, request, await request.aread())

    return [mock.patch.object(cls, "_handle_request", _handle_request),
            mock.patch.object(cls, "_handle_async_request", _handle_async_request)]


def _hook_respx() -> list[Any]:
    """`respx` with `using="httpx"` (its default, httpcore, sits below vendorsim's floor)."""
    lib = _optional("respx.mocks")
    if lib is None:
        return []
    sync_original = lib.Mocker.__dict__["handler"].__func__
    async_original = lib.Mocker.__dict__["async_handler"].__func__

    def handler(cls: Any, request: httpx.Request) -> Any:
        cloud = cloud_for(str(request.url))
        if cloud is None:
            return sync_original(cls, request)
        return httpx_answer(cloud.wsgi, request, request.read())

    async def async_handler(cls: Any, request: httpx.Request) -> Any:
        cloud = cloud_for(str(request.url))
        if cloud is None:
            return await async_original(cls, request)
        return httpx_answer(cloud.wsgi, request, await request.aread())

    return [mock.patch.object(lib.Mocker, "handler", classmethod(handler)),
            mock.patch.object(lib.Mocker, "async_handler", classmethod(async_handler))]


def _floor_urllib() -> list[Any]:
    """`urllib.request` (suds, the Fuel SDK's SOAP client, and anything on the standard
    library): vendor hosts answered at the HTTP(S) handlers' `*_open`, every other host as
    before; errors still pass through urllib's own processing (HTTPError for a 4xx/5xx)."""

    def answering(original: Callable) -> Callable:
        def open_url(handler: Any, req: urllib.request.Request) -> Any:
            cloud = cloud_for(req.full_url)
            if cloud is None:
                return original(handler, req)
            status, headers, data = _answered(
                recorders.urllib_cassette(req.full_url), cloud, req.get_method(),
                req.full_url, dict(req.header_items()), _body_bytes(req.data), req.timeout)
            if connection.read_marker(status, headers) is not None:
                raise urllib.error.URLError("connection fault (vendorsim)")
            message = http.client.HTTPMessage()
            for name, value in headers:
                message[name] = value
            answer = urllib.response.addinfourl(io.BytesIO(data), message, req.full_url,
                                                status)
            answer.msg = _reason(status)  # type: ignore[attr-defined]  # what http.client sets
            return answer

        return open_url

    return [mock.patch.object(urllib.request.HTTPHandler, "http_open",
                              answering(urllib.request.HTTPHandler.http_open)),
            mock.patch.object(urllib.request.HTTPSHandler, "https_open",
                              answering(urllib.request.HTTPSHandler.https_open))]


HOOKS: tuple[Callable[[], list[Any]], ...] = (
    _hook_responses, _hook_requests_mock, _hook_pytest_httpx, _hook_respx)


def _install() -> None:
    patches = [_floor_requests(), *_floor_httpx(), *_floor_urllib(),
               *recorders.hook_vcr_httpx(cloud_for, httpx_answer), recorders.guard_dns(cloud_for)]
    for hook in HOOKS:
        patches += hook()
    for patch in patches:
        patch.start()
        _patches.append(patch)
