"""Connection-level faults: the vendor's end of the connection misbehaving rather than its
API answering. A fault rule with `"connection": KIND` makes the vendor app answer with a
marker (a status 599 and the `X-Vendorsim-Connection` header, journalled as the code
`connection:KIND`); what carries the answer to the client turns it into the failure:

- server mode (`ConnectionFaults`, around every app waitress serves), on the real socket:
  `reset` (TCP RST), `empty` (closed without a byte), `garbage` (bytes that are not HTTP),
  `truncated` (headers promising more body than is sent), `hang` (nothing for `hang`
  seconds, then closed: a client's read timeout fires first);
- in-process, the exception the client library raises for that failure (`requests`:
  ConnectionError / ChunkedEncodingError / ReadTimeout; `httpx`: RemoteProtocolError /
  ReadError / ReadTimeout).
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

KINDS = ("reset", "empty", "garbage", "truncated", "hang")
HEADER = "X-Vendorsim-Connection"
STATUS = 599
GARBAGE = b"\x15\x03\x01\x00\x02\x02\x16 not HTTP \xff\xfe\r\n\r\n"
PARTIAL = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
           b"Content-Length: 512\r\n\r\n{\"requestId\":\"")


def marker(kind: str, hang: float) -> tuple[int, dict[str, str]]:
    """The status and headers the vendor app answers a connection fault with."""
    return STATUS, {HEADER: f"{kind};{hang:g}"}


def read_marker(status: int | str, headers: Iterable[tuple[str, str]] | dict
                ) -> tuple[str, float] | None:
    """(kind, hang) of a marked answer; None for any other (the status says at once)."""
    if not str(status).startswith(str(STATUS)):
        return None
    items = headers.items() if isinstance(headers, dict) else headers
    for name, value in items:
        if name.lower() == HEADER.lower():
            kind, _, hang = value.partition(";")
            return kind, float(hang or 0)
    return None


# -- in-process: the client library's own exceptions --------------------------------------
def requests_error(kind: str, hang: float, request: Any) -> Exception:
    import requests
    from urllib3.exceptions import ProtocolError

    if kind == "hang":
        return requests.exceptions.ReadTimeout(
            f"HTTPSConnectionPool: Read timed out (vendorsim: no answer for {hang:g} s)",
            request=request)
    if kind == "truncated":
        return requests.exceptions.ChunkedEncodingError(ProtocolError(
            "Connection broken: IncompleteRead(15 bytes read, 497 more expected)",
            http.client.IncompleteRead(b"{\"requestId\":\"", 497)), request=request)
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.",
                                                             _cause(kind)), request=request)


def _cause(kind: str) -> Exception:
    """What the socket layer raises for a connection that fails before an answer."""
    return {"reset": ConnectionResetError(104, "Connection reset by peer"),
            "empty": http.client.RemoteDisconnected("Remote end closed connection without "
                                                    "response"),
            "garbage": http.client.BadStatusLine(GARBAGE.decode("latin-1"))}[kind]


def urllib3_error(kind: str, hang: float, pool: Any) -> Exception:
    """For `requests` through its adapter: urllib3's exception, which requests maps to
    ConnectionError or ReadTimeout itself (`truncated` is a short body instead)."""
    from urllib3.exceptions import ProtocolError, ReadTimeoutError

    if kind == "hang":
        return ReadTimeoutError(pool, None, f"Read timed out. (vendorsim: no answer for "
                                            f"{hang:g} s)")
    return ProtocolError("Connection aborted.", _cause(kind))


def httpx_error(kind: str, hang: float, request: Any) -> Exception:
    import httpx

    if kind == "hang":
        return httpx.ReadTimeout(f"vendorsim: no answer for {hang:g} s", request=request)
    if kind == "reset":
        return httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
    text = {"empty": "Server disconnected without sending a response.",
            "garbage": "illegal status line: bytearray(b'\\x15\\x03\\x01')",
            "truncated": "peer closed connection without sending complete message body "
                         "(received 15 bytes, expected 512)"}[kind]
    return httpx.RemoteProtocolError(text, request=request)


# -- server mode: the socket itself ---------------------------------------------------------
class ConnectionFaults:
    """WSGI middleware for waitress: a marked answer becomes the connection failure."""

    def __init__(self, app: Callable, faults: Any = None) -> None:
        self.app = app
        self.faults = faults  # the cloud's FaultPlan: without rules, nothing to watch for

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.faults is not None and not self.faults.active:
            return self.app(environ, start_response)  # the common case, at no cost
        seen: dict = {}

        def watch(status: str, headers: list, exc_info: object = None) -> Callable:
            found = read_marker(status, headers)
            if found is None:
                return start_response(status, headers, exc_info)
            seen["fault"] = found
            return lambda data: None

        body = self.app(environ, watch)
        if "fault" not in seen:
            return body
        for _ in body:  # drain the marker's body
            pass
        kind, hang = seen["fault"]
        channel = getattr(environ.get("waitress.client_disconnected"), "__self__", None)
        if channel is None:  # not waitress: the nearest thing is a bare 502
            start_response("502 Bad Gateway", [("Content-Length", "0")])
            return [b""]
        if kind == "hang":
            time.sleep(hang)
        _in_loop(channel, kind)
        start_response("502 Bad Gateway", [("Content-Length", "0")])  # never sent
        return [b""]


def _in_loop(channel: Any, kind: str) -> None:
    """Act on the socket inside waitress's loop thread (which owns it), and wait for it."""
    done = threading.Event()

    def act() -> None:
        try:
            sock = channel.socket
            if kind == "reset":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif kind == "garbage":
                sock.sendall(GARBAGE)
            elif kind == "truncated":
                sock.sendall(PARTIAL)
            channel.close()
        except OSError:
            pass
        finally:
            done.set()

    channel.server.trigger.pull_trigger(act)
    done.wait(timeout=5)
