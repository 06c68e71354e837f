"""What the Marketo MCP mock does for each tool call, without the MCP SDK: take the caller's
credentials (headers, or the stdio bridge's environment), get their access token from the
Marketo mock's identity endpoint, make ONE REST call with it and turn the answer into the
tool's result or error. The REST call goes through the same pipeline as any client's, so
rate limits, 606/607/615, faults and the journal count it exactly like REST.

Adobe documents the server's errors only by their text (vendor-apis.md §8.3); the statuses
and the token handling below are vendorsim's choices, written up in docs/mcp.md.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .. import facts
from ..service import MarketoService

# (method, url, headers, body) -> (status, headers, body): the cloud's WSGI app through
# `call_wsgi`, or a running vendorsim over HTTP (`HttpCaller`)
RestCaller = Callable[[str, str, dict[str, str], bytes | None],
                      tuple[int, list[tuple[str, str]], bytes]]
USER_AGENT = "vendorsim-marketo-mcp"
THROTTLE_CODES = frozenset(facts.LIMIT_CODES.values())  # 606, 615, 607
SNIPPET = 300  # characters of a non-JSON answer quoted in an error


class Refused(Exception):
    """The caller is refused before any tool runs: an HTTP status and Adobe's text."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class Failed(Exception):
    """Marketo answered the tool's REST call with an error: the tool's error text."""


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str
    munchkin_id: str

    @property
    def key(self) -> tuple[str, str, str]:
        """What a cached token is filed under (the secret only as a digest)."""
        digest = hashlib.sha256(self.client_secret.encode()).hexdigest()
        return self.munchkin_id.upper(), self.client_id, digest


def credentials_from(headers: Mapping[str, str] | None,
                     env: Mapping[str, str]) -> Credentials:
    """The three headers of an HTTP request, or (stdio: no headers) the three environment
    variables of Adobe's bridge; 401 "Marketo credentials not provided" when one is absent."""
    if headers is not None:
        lowered = {k.lower(): v for k, v in headers.items()}
        values = [lowered.get(name.lower(), "").strip() for name in facts.MCP_HEADERS]
    else:
        values = [env.get(name, "").strip() for name in facts.MCP_ENV]
    if not all(values):
        raise Refused(401, facts.MCP_NO_CREDENTIALS)
    return Credentials(*values)


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None


class Bridge:
    """Tool calls to REST calls for every caller: tokens are kept per credentials, as Adobe's
    server "handles OAuth token refresh automatically"; `enabled` is the Munchkin ID
    allowlist (None: every instance is enabled)."""

    def __init__(self, call_rest: RestCaller, enabled: set[str] | None = None) -> None:
        self.call_rest = call_rest
        self.enabled = None if enabled is None else {m.upper() for m in enabled}
        self._tokens: dict[tuple[str, str, str], str] = {}
        self._lock = threading.Lock()

    def admit(self, creds: Credentials) -> str:
        """The caller's access token: 403 for an instance not enabled for MCP, 401 for
        credentials Marketo's identity endpoint refuses."""
        host = f"{creds.munchkin_id}.mktorest.com"
        if not MarketoService.host_pattern.fullmatch(host) or len(creds.munchkin_id) > 64 or \
                (self.enabled is not None and creds.munchkin_id.upper() not in self.enabled):
            raise Refused(403, facts.MCP_FORBIDDEN)
        with self._lock:
            token = self._tokens.get(creds.key)
        return token if token is not None else self._new_token(creds)

    def _new_token(self, creds: Credentials) -> str:
        body = urlencode({"grant_type": "client_credentials", "client_id": creds.client_id,
                          "client_secret": creds.client_secret}).encode()
        status, _, data = self.call_rest(
            "POST", f"{_base(creds)}/identity/oauth/token",
            {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT}, body)
        if status in (400, 401):  # invalid_client and its kin
            raise Refused(401, facts.MCP_UNAUTHORIZED)
        answer = _json(data) if status == 200 else None
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise Refused(502, f"Marketo's identity endpoint answered HTTP {status}")
        with self._lock:
            self._tokens[creds.key] = token
        return token

    def forget(self, creds: Credentials) -> None:
        with self._lock:
            self._tokens.pop(creds.key, None)

    def call(self, creds: Credentials, method: str, path: str, *,
             query: Mapping[str, str] | None = None, json_body: Any = None,
             form: Mapping[str, str] | None = None) -> Any:
        """ONE REST call with the caller's token and its answer as the tool's result (the
        envelope, or the text of a file); Failed for Marketo's errors. A token Marketo calls
        invalid or expired (601/602) is renewed and the call made once more."""
        headers = {"User-Agent": USER_AGENT}
        body: bytes | None = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(json_body).encode()
        elif form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form).encode()
        url = _base(creds) + path + (f"?{urlencode(query)}" if query else "")
        for attempt in (1, 2):
            headers["Authorization"] = f"Bearer {self.admit(creds)}"
            status, _, data = self.call_rest(method, url, dict(headers), body)
            answer = _json(data)
            codes = _codes(answer)
            if codes & facts.TOKEN_REFUSAL_CODES:
                self.forget(creds)
                if attempt == 1:
                    continue
                raise Failed(f"{facts.MCP_UNAUTHORIZED}: Marketo refused the access token "
                             f"({', '.join(sorted(codes))})")
            return outcome(status, data, answer)
        raise AssertionError("unreachable: the second attempt returns or raises")


def _base(creds: Credentials) -> str:
    return f"https://{creds.munchkin_id.lower()}.mktorest.com"


def _codes(answer: Any) -> set[str]:
    if not isinstance(answer, dict) or answer.get("success") is not False:
        return set()
    errors = answer.get("errors")
    return {str(e.get("code")) for e in errors if isinstance(e, dict)} \
        if isinstance(errors, list) else set()


def outcome(status: int, data: bytes, answer: Any) -> Any:
    """A REST answer as a tool's result, or Failed: Marketo's envelope on success, the text
    of a file, "Too many requests" for the instance's limits, the code and message of any
    other error (the envelope follows on the next line)."""
    if status != 200:
        text = data.decode("utf-8", "replace")[:SNIPPET].strip()
        raise Failed(f"Marketo answered HTTP {status}: {text}")
    if not isinstance(answer, dict):
        return data.decode("utf-8", "replace")  # an export file, a report
    if answer.get("success") is not False:
        return answer
    errors = [e for e in answer.get("errors") or [] if isinstance(e, dict)]
    first = errors[0] if errors else {"code": "?", "message": "no error given"}
    code, message = str(first.get("code")), str(first.get("message"))
    lead = f"{facts.MCP_TOO_MANY}: " if code in THROTTLE_CODES else ""
    raise Failed(f"{lead}Marketo error {code}: {message}\n{json.dumps(answer)}")


class HttpCaller:
    """REST calls to a running vendorsim's host-routed URL (the Host header names the
    instance), for a Marketo MCP mock in front of `vendorsim serve` or a container."""

    def __init__(self, target: str, timeout: float = 60.0) -> None:
        import requests

        self.base = target.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False

    def __call__(self, method: str, url: str, headers: dict[str, str], body: bytes | None
                 ) -> tuple[int, list[tuple[str, str]], bytes]:
        import requests

        host, _, path = url.split("://", 1)[1].partition("/")
        try:
            answer = self.session.request(method, f"{self.base}/{path}", data=body,
                                          headers={**headers, "Host": host},
                                          timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise Failed(f"the Marketo mock at {self.base} did not answer: "
                         f"{str(exc)[:SNIPPET]}") from None
        return answer.status_code, list(answer.headers.items()), answer.content
