"""An MCP server's streamable-HTTP app (an ASGI app) served by uvicorn on its own thread, so
that tests, the Marketo MCP mock and `vendorsim mcp --transport http` start and stop it the
way `ServerRunner` starts the mocks: bound first (port 0: a free one), then served.

uvicorn comes with the `mcp` extra; nothing here is imported by the base install.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

START_WAIT = 15.0  # seconds a server may take to start before that is an error


class AsgiServer:
    """`start()` binds `host:port` and serves `app` until `stop()`; `url` is where."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int = 0,
                 path: str = "/mcp") -> None:
        self.app = app
        self.host = host
        self.port = port
        self.path = path
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The MCP endpoint's URL (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.path}"

    def start(self) -> AsgiServer:
        """Bind (OSError when the address is taken) and serve; RuntimeError when uvicorn
        does not come up within START_WAIT seconds."""
        import uvicorn

        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on",
                                timeout_graceful_shutdown=5)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"vendorsim-mcp-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_WAIT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the MCP server on {self.url} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Ask uvicorn to finish (open streams end within its graceful timeout)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> AsgiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
