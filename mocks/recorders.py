"""VCR.py with the in-process mocks, in either nesting order, and no vendor call escaping.

VCR.py (and pytest-recording) patch the HTTP stack below where vendorsim answers `requests`
(urllib3's connection classes) and at the same place it answers `httpx` (the transports'
`handle_request`), so without help a cassette records nothing of a vendor call, and an `httpx`
call made under a cassette opened inside `mock_vendors()` goes to VCR's saved original: a DNS
lookup of the vendor's real host. Here, while `mock_vendors()` is active:

- `requests` and `urllib`: vendorsim finds the cassette VCR patched in (the `cassette` of its
  connection class) and follows VCR's own protocol with it: play the recorded answer when the
  cassette has one, refuse when it is write-protected (VCR's own error), else answer from the
  mocks and append what they answered;
- `httpx`: VCR's stub calls vendorsim instead of the network for vendor hosts (the mocks are
  the "real server" it records), and vendorsim's floor, when VCR's stub is below it, hands
  vendor calls to that stub;
- a guard on `socket.getaddrinfo` refuses to look up a host an active cloud serves: whatever
  else patches the stack below vendorsim (a VCR.py version whose stubs differ, another
  recorder), a vendor call that got past interception fails with InterceptionConflict naming
  the conflict instead of reaching the real vendor.

What a cassette holds is what the mocks answered, in VCR.py's own format (its filters,
`before_record_*` hooks and matchers apply); replayed later, VCR answers and the mocks see
nothing, as VCR does with a real server.
"""

from __future__ import annotations

import http.client
import importlib
import socket
import sys
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from unittest import mock

Answer = tuple[int, list[tuple[str, str]], bytes]


class InterceptionConflict(RuntimeError):
    """Another HTTP mock or recorder wants to answer a vendor host vendorsim is answering,
    or sits where vendorsim cannot hand it vendor calls; the message names the fix."""


def requests_cassette(url: str) -> Any:
    """The VCR.py cassette patched into urllib3 (what `requests` would reach), if any."""
    module = sys.modules.get("urllib3.connectionpool")
    if module is None or "vcr" not in sys.modules:
        return None
    pool = module.HTTPSConnectionPool if url.startswith("https:") else \
        module.HTTPConnectionPool
    return getattr(pool.ConnectionCls, "cassette", None)


def urllib_cassette(url: str) -> Any:
    """The VCR.py cassette patched into http.client (what urllib would reach), if any."""
    if "vcr" not in sys.modules:
        return None
    cls = http.client.HTTPSConnection if url.startswith("https:") else http.client.HTTPConnection
    return getattr(cls, "cassette", None)


def through_cassette(cassette: Any, method: str, url: str, headers: dict[str, str],
                     body: bytes, answer: Callable[[], Answer],
                     fault: Callable[[Answer], bool]) -> Answer:
    """VCR.py's protocol, as its own stubs follow it: the recorded answer when the cassette
    has one; VCR's CannotOverwriteExistingCassetteException when it may not record; else the
    mocks' answer, appended (a connection fault is raised by the caller, recorded never)."""
    from vcr.errors import CannotOverwriteExistingCassetteException
    from vcr.request import Request

    request = Request(method, url, body, dict(headers))
    if cassette.can_play_response_for(request):
        played = cassette.play_response(request)
        return (int(played["status"]["code"]),
                [(k, str(v)) for k, values in (played.get("headers") or {}).items()
                 for v in (values if isinstance(values, list) else [values])],
                _bytes(played.get("body", {}).get("string", b"")))
    if cassette.write_protected and cassette.filter_request(request):
        raise CannotOverwriteExistingCassetteException(cassette=cassette,
                                                       failed_request=request)
    found = answer()
    if not fault(found):
        status, pairs, data = found
        grouped: dict[str, list[str]] = {}
        for name, value in pairs:
            grouped.setdefault(name, []).append(value)
        cassette.append(request, {"status": {"code": status, "message": _reason(status)},
                                  "headers": grouped, "body": {"string": data}})
    return found


def _bytes(value: object) -> bytes:
    return value if isinstance(value, bytes) else str(value or "").encode("utf-8")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def is_vcr_stub(handler: object, stubs: str = "httpx_stubs") -> bool:
    """Whether a patched method is one of VCR.py's stubs (so a vendor call goes to it)."""
    module = sys.modules.get(f"vcr.stubs.{stubs}")
    code = getattr(handler, "__code__", None)
    return module is not None and code is not None and \
        code.co_filename == getattr(module, "__file__", None)


def refuse_vcr_below_httpx() -> None:
    """VCR.py 8.0 and 8.1 record httpx at httpcore's pool, below where vendorsim answers:
    their cassettes would silently miss every vendor call."""
    httpcore = sys.modules.get("httpcore")
    if httpcore is not None and is_vcr_stub(httpcore.ConnectionPool.handle_request,
                                            "httpcore_stubs"):
        raise InterceptionConflict(
            "vendorsim: this VCR.py records httpx at httpcore's connection pool, below where "
            "vendorsim answers vendor hosts, so its cassette would miss every vendor call: "
            "upgrade to vcrpy>=8.2 (it records httpx's transports, which vendorsim supports), "
            "or leave vendorsim out of this test")


def hook_vcr_httpx(cloud_for: Callable[[str], Any],
                   answer: Callable[[Any, Any, bytes], Any]) -> list[Any]:
    """VCR.py's httpx stubs call the mocks, not the network, for vendor hosts."""
    try:
        stubs = importlib.import_module("vcr.stubs.httpx_stubs")
    except ImportError:
        return []
    sync_stub = getattr(stubs, "_vcr_handle_request", None)
    async_stub = getattr(stubs, "_vcr_handle_async_request", None)
    if sync_stub is None or async_stub is None:  # another VCR.py: the DNS guard still holds
        return []

    def _vcr_handle_request(cassette: Any, real: Callable, transport: Any, request: Any,
                            httpx: Any) -> Any:
        cloud = cloud_for(str(request.url))
        if cloud is not None:
            def real(_: Any, request: Any) -> Any:  # noqa: F811 - the mocks are the server
                return answer(cloud.wsgi, request, request.read())
        return sync_stub(cassette, real, transport, request, httpx)

    async def _vcr_handle_async_request(cassette: Any, real: Callable, transport: Any,
                                        request: Any, httpx: Any) -> Any:
        cloud = cloud_for(str(request.url))
        if cloud is not None:
            async def real(_: Any, request: Any) -> Any:  # noqa: F811 - the mocks are the server
                return answer(cloud.wsgi, request, await request.aread())
        return await async_stub(cassette, real, transport, request, httpx)

    return [mock.patch.object(stubs, "_vcr_handle_request", _vcr_handle_request),
            mock.patch.object(stubs, "_vcr_handle_async_request", _vcr_handle_async_request)]


def guard_dns(cloud_for: Callable[[str], Any]) -> Any:
    """`socket.getaddrinfo` refuses the hosts an active cloud serves."""
    original = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        if name and cloud_for(f"https://{name}/") is not None:
            raise InterceptionConflict(
                f"vendorsim: a call to {name} got past vendorsim's interception to a DNS "
                "lookup while mock_vendors() answers this host: another library patched the "
                "HTTP client below vendorsim (an HTTP recorder or mock it does not know, or a "
                "VCR.py older than 8.2). Upgrade it, give the client "
                "cloud.requests_session() or vendorsim.httpx_transport(cloud), or leave "
                "vendorsim out of this test; the call was not sent.")
        return original(host, *args, **kwargs)

    return mock.patch.object(socket, "getaddrinfo", getaddrinfo)
