"""WSGI routing: by Host header (one address for every vendor) or by path prefix (one port
per vendor), and a direct caller used by the in-process interceptors."""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .service import VendorService

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
LONGEST_HOST = 253 + 6  # a DNS name at its longest, with a port
LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")  # RFC 1123, plus `_`


@functools.lru_cache(maxsize=1024)  # a client sends the same Host on every call
def is_host(value: str) -> bool:
    """Whether a Host header names a host: DNS labels of at most 63 characters, at most 253
    in all, or an IP literal, with an optional port. Anything else a front answers 400."""
    if value.startswith("["):  # an IPv6 literal
        end = value.find("]")
        rest = value[end + 1:]
        return end > 1 and (not rest or rest[0] == ":" and _port(rest[1:]))
    name, sep, port = value.partition(":")
    if sep and not _port(port):
        return False
    name = name[:-1] if name.endswith(".") else name
    return 0 < len(name) <= 253 and all(LABEL.fullmatch(label) for label in name.split("."))


def _port(text: str) -> bool:
    return text.isascii() and text.isdigit() and 0 < len(text) <= 5


def resolve_dot_segments(path: str) -> str:
    """A path with its `.` and `..` segments resolved (RFC 3986 §5.2.4), as the vendors'
    fronts do: `/rest/../bulk/v1/leads.json` is `/bulk/v1/leads.json` (node-marketo-rest sends
    its bulk calls so); `..` never climbs above the root."""
    kept: list[str] = []
    segments = path.split("/")
    for segment in segments[1:]:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    resolved = "/" + "/".join(kept)
    if segments[-1] in (".", "..") and not resolved.endswith("/"):
        resolved += "/"
    return resolved


class DotSegments:
    """WSGI middleware: resolve dot segments in the path before the vendor's app routes it."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if "/." in path:  # the common path pays one substring test
            environ["PATH_INFO"] = resolve_dot_segments(path)
        return self.app(environ, start_response)


def _not_found(start_response: Callable, message: str) -> list[bytes]:
    body = json.dumps({"error": message}).encode()
    start_response("404 Not Found", [("Content-Type", "application/json"),
                                     ("Content-Length", str(len(body)))])
    return [body]


class HostRouter:
    """Dispatch on the Host header to the vendor whose host pattern matches it.

    `{munchkin}.mktorest.com` reaches the Marketo app with the tenant set from the host;
    a host no vendor claims reaches `fallback` (the cloud-wide admin API).
    """

    KNOWN = 1024  # hosts remembered (a client sends the same Host on every call)

    def __init__(self, services: list[VendorService], fallback: WSGIApp) -> None:
        self.services = services
        self.fallback = fallback
        self._known: dict[str, tuple[VendorService, str | None] | None] = {}

    def match(self, host: str) -> tuple[VendorService, str | None] | None:
        """The vendor a Host names, and its tenant (worked out once per Host)."""
        try:
            return self._known[host]
        except KeyError:
            pass
        found = self._match(host)
        if len(host) <= LONGEST_HOST:  # a longer one names no host: not worth keeping
            if len(self._known) >= self.KNOWN:  # many hosts (a fuzz run): start again
                self._known.clear()
            self._known[host] = found
        return found

    def _match(self, host: str) -> tuple[VendorService, str | None] | None:
        host = host.split(":", 1)[0].lower()
        for service in self.services:
            m = service.host_pattern.fullmatch(host)
            if m:
                tenant = m.groupdict().get("tenant")
                return service, service.normalise_tenant(tenant) if tenant else None
        return None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        found = self.match(host)
        if found is None:
            return self.fallback(environ, start_response)
        service, tenant = found
        environ["vendorsim.tenant"] = tenant
        return service.wsgi(environ, start_response)


class PrefixRouter:
    """One vendor on its own port: `/{tenant}/...` carries the tenant, `/__admin` does not."""

    def __init__(self, service: VendorService) -> None:
        self.service = service

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/__admin") and self.service.tenant_in_path:
            _, _, rest = path.partition("/")
            tenant, slash, tail = rest.partition("/")
            if tenant in self.service.unprefixed_roots:  # `urljoin(base, "/v2/token")` clients
                default = self.service.default_tenant()
                if default is None:
                    return _not_found(start_response, f"{self.service.name}: {path} has no "
                                      "tenant prefix and there is no default tenant: put the "
                                      "tenant first, seed exactly one, or start the server "
                                      f"with --default-tenant {self.service.name}=ID")
                environ["vendorsim.tenant"] = default
                return self.service.wsgi(environ, start_response)
            if not tenant or not slash:
                return _not_found(start_response, f"{self.service.name}: put the tenant first, "
                                  f"e.g. /{self.service.example_tenant}/...")
            environ["vendorsim.tenant"] = self.service.normalise_tenant(tenant)
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/" + tenant
            environ["PATH_INFO"] = "/" + tail
        return self.service.wsgi(environ, start_response)


def call_wsgi(app: WSGIApp, method: str, url: str, headers: dict[str, str],
              body: bytes | None, read_timeout: float | None = None
              ) -> tuple[int, list[tuple[str, str]], bytes]:
    """Answer one request with a WSGI app, without a socket (for the in-process mode);
    `read_timeout`: how long the client waits for an answer (a `hang` fault ends there)."""
    parts = urlsplit(url)
    body = body or b""
    environ = {
        "REQUEST_METHOD": method.upper(),
        "SCRIPT_NAME": "",
        "PATH_INFO": _unquote_path(parts.path or "/"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or (443 if parts.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
        "RAW_URI": parts.path + ("?" + parts.query if parts.query else ""),
        "vendorsim.read_timeout": read_timeout,
    }
    host_seen = False
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key == "CONTENT_LENGTH":
            continue
        else:
            environ["HTTP_" + key] = value
            host_seen = host_seen or key == "HOST"
    if not host_seen:
        environ["HTTP_HOST"] = parts.netloc
    captured: dict = {}

    def start_response(status: str, response_headers: list, exc_info: object = None) -> None:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = response_headers

    chunks = app(environ, start_response)
    try:
        data = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close:
            close()
    return captured["status"], captured["headers"], data


def _unquote_path(path: str) -> str:
    from urllib.parse import unquote

    # WSGI carries the decoded path as latin-1 characters of the UTF-8 bytes
    return unquote(path, encoding="latin-1") if "%" in path else path
