"""Where the vendorsim MCP server's mocks are: a cloud it owns (embedded) or a running
vendorsim (`vendorsim serve`, a container) it points at. Both are driven through the same
admin API (`/__admin/...`), so a tool behaves alike on either: embedded calls reach the
cloud's WSGI app without a socket, remote ones go over HTTP.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests

from vendorsim.mocks.cloud import Cloud
from vendorsim.mocks.core.routing import call_wsgi
from vendorsim.simulator.engine.remote import RemoteVendors
from vendorsim.simulator.engine.vendors import InProcessVendors, Vendors, new_session, short_error
from vendorsim.simulator.engine.vendors import TargetError as EngineTargetError

ADMIN_HOST = "vendorsim.local"  # a host no vendor claims: the cloud's own admin API
TIMEOUT = (5.0, 60.0)  # connect, read (seconds) for a remote target
SOAP_TENANT = "example"  # the SFMC subdomain the WSDL resource is read for


class TargetError(Exception):
    """The target refused a call or could not be reached: the tool's error message."""


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise TargetError(f"the target answered HTTP {self.status} without JSON: "
                              f"{self.text()[:200]}") from None


class Target:
    """The admin API of some vendorsim, and what a scenario run needs to reach it."""

    mode = ""
    url: str | None = None  # a remote target's host-routed URL

    def send(self, method: str, path: str, *, body: Any = None,
             query: dict[str, Any] | None = None, host: str | None = None) -> Answer:
        raise NotImplementedError

    def admin(self, method: str, path: str, *, vendor: str | None = None, body: Any = None,
              query: dict[str, Any] | None = None) -> Any:
        """An admin call (on one vendor's host, or the whole cloud's): its JSON answer, or
        TargetError with the admin API's own message."""
        prefix = f"/{vendor}" if vendor else ""
        answer = self.send(method, f"{prefix}/__admin{path}", body=body, query=query)
        data = answer.json()
        if answer.status >= 400:
            message = data.get("error") if isinstance(data, dict) else None
            raise TargetError(str(message or f"the admin API answered HTTP {answer.status}"))
        return data

    def wsdl(self) -> str:
        raise NotImplementedError

    def vendors(self, fresh: bool) -> Vendors:
        """The scenario engine's view of this target; `fresh`: reset it first."""
        raise NotImplementedError


def _query(query: dict[str, Any] | None) -> dict[str, str]:
    return {k: ("true" if v is True else "false" if v is False else str(v))
            for k, v in (query or {}).items() if v is not None}


def _body(body: Any) -> tuple[dict[str, str], bytes | None]:
    if body is None:
        return {}, None
    return {"Content-Type": "application/json"}, json.dumps(body).encode()


class EmbeddedTarget(Target):
    """A cloud this process owns (virtual clock by default)."""

    mode = "embedded"

    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud

    def send(self, method: str, path: str, *, body: Any = None,
             query: dict[str, Any] | None = None, host: str | None = None) -> Answer:
        headers, data = _body(body)
        params = _query(query)
        url = f"http://{host or ADMIN_HOST}{path}" + (f"?{urlencode(params)}" if params else "")
        status, answer_headers, content = call_wsgi(self.cloud.wsgi, method, url, headers, data)
        kind = next((v for k, v in answer_headers if k.lower() == "content-type"), "")
        return Answer(status, kind, content)

    def wsdl(self) -> str:
        """The WSDL as in-process clients get it, from the SOAP host."""
        host = f"{SOAP_TENANT}.soap.marketingcloudapis.com"
        return self.send("GET", "/Service.asmx", query={"wsdl": ""}, host=host).text()

    def vendors(self, fresh: bool) -> Vendors:
        if fresh:
            self.cloud.reset()
        vendors = InProcessVendors()
        vendors.cloud = self.cloud  # the run acts on this session's cloud, not a new one
        return vendors


class KeptRemoteVendors(RemoteVendors):
    """A remote target as the session left it: a run adds the scenario's seeds and faults to
    what the session seeded instead of resetting the target first."""

    def __enter__(self) -> KeptRemoteVendors:
        self.virtual = bool(self._admin("GET", "/clock").get("virtual"))
        return self


class RemoteTarget(Target):
    """A running vendorsim, found from its host-routed URL (its health answer)."""

    mode = "remote"

    def __init__(self, url: str) -> None:
        try:
            self.found = RemoteVendors.discover(url)
        except EngineTargetError as exc:
            raise TargetError(str(exc)) from None
        self.base = url.rstrip("/")
        self.url = self.base
        self.http = new_session()

    def send(self, method: str, path: str, *, body: Any = None,
             query: dict[str, Any] | None = None, host: str | None = None) -> Answer:
        headers, data = _body(body)
        if host:
            headers["Host"] = host
        try:
            answer = self.http.request(method, self.base + path, params=_query(query),
                                       data=data, headers=headers, timeout=TIMEOUT,
                                       allow_redirects=False)
        except requests.RequestException as exc:
            raise TargetError(f"{self.base} did not answer: {short_error(exc)}") from None
        return Answer(answer.status_code, answer.headers.get("Content-Type", ""),
                      answer.content)

    def wsdl(self) -> str:
        """The WSDL as clients of this server get it, from its SFMC path."""
        return self.send("GET", f"/sfmc/{SOAP_TENANT}/Service.asmx", query={"wsdl": ""}).text()

    def vendors(self, fresh: bool) -> Vendors:
        return RemoteVendors(self.found.urls) if fresh else KeptRemoteVendors(self.found.urls)
