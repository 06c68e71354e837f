"""Server mode: the cloud behind waitress on loopback, one host-routed port plus one port
per vendor (tenant first in the path), all started in background threads.

    with ServerRunner(Cloud()) as server:
        server.urls  # {"cloud": "http://127.0.0.1:53121", "marketo": "http://127.0.0.1:53122"}
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ThreadedTaskDispatcher, WSGITask

from vendorsim.mocks.cloud import Cloud
from vendorsim.mocks.core.connection import ConnectionFaults

# waitress warns "Task queue depth is N" whenever requests wait for a worker thread; under a
# load test that is the expected state, not news
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


class ArrivalTask(WSGITask):
    """A request's WSGI task: its environ carries the call's arrival (see ArrivalDispatcher)."""

    def get_environment(self) -> dict:
        environ: dict = super().get_environment()
        environ["vendorsim.arrival"] = getattr(self.request, "vendorsim_arrival", None)
        return environ


class ArrivalChannel(HTTPChannel):
    """A connection whose requests carry their arrival; one never admitted (refused before
    admission, an error, a client gone) gives its place in flight back once served."""

    task_class = ArrivalTask

    def service(self) -> None:
        request = self.requests[0] if self.requests else None
        try:
            super().service()
        finally:
            arrival = getattr(request, "vendorsim_arrival", None)
            if arrival is not None:
                arrival.discard()


class ArrivalDispatcher(ThreadedTaskDispatcher):
    """Waitress's fixed worker pool, with admission to a vendor's in-flight limit decided
    where a request arrives: Marketo counts a call in flight from the moment it arrives, so a
    call waiting for a worker counts, and the 11th call at once gets 615 whatever the size of
    the pool (no threads are added to make it so)."""

    def __init__(self, arrivals: Callable[[str, str], Any]) -> None:
        super().__init__()
        self.arrivals = arrivals  # (Host, path) -> the tenant limiter's Arrival, or None

    def add_task(self, task: Any) -> None:
        request = task.requests[0] if getattr(task, "requests", None) else None
        if request is not None and not request.error and \
                getattr(request, "vendorsim_arrival", None) is None:
            request.vendorsim_arrival = self.arrivals(request.headers.get("HOST", ""),
                                                      request.path)
        super().add_task(task)


class ServerRunner:
    """Runs the cloud's WSGI apps under waitress until `stop()`."""

    def __init__(self, cloud: Cloud, *, host: str = "127.0.0.1", port: int = 0,
                 vendor_ports: bool = True, threads: int = 8) -> None:
        self.cloud = cloud
        self.host = host
        self.port = port
        self.vendor_ports = vendor_ports
        self.threads = threads
        self.urls: dict[str, str] = {}
        self._servers: list = []
        self._threads: list[threading.Thread] = []

    def _listen(self, app: Callable, port: int, vendor: str | None = None) -> int:
        # waitress takes the loop timeout in whole seconds (0.05 became 0: a busy loop on
        # select(timeout=0), 130% CPU while idle); stop() wakes the loop with its trigger
        app = ConnectionFaults(app, self.cloud.faults)  # they act on the real socket
        dispatcher = ArrivalDispatcher(lambda host, path: self.cloud.arrival(vendor, host, path))
        dispatcher.set_thread_count(self.threads)
        server = create_server(app, host=self.host, port=port, threads=self.threads,
                               ident="nginx", asyncore_loop_timeout=1,
                               clear_untrusted_proxy_headers=False, _dispatcher=dispatcher)
        server.channel_class = ArrivalChannel
        self._servers.append(server)
        thread = threading.Thread(target=run_loop, args=(server,), daemon=True,
                                  name=f"vendorsim-{server.effective_port}")
        self._threads.append(thread)
        return int(server.effective_port)

    def start(self) -> ServerRunner:
        """Bind every socket, then start serving; port 0 picks free ports."""
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        cloud_port = self._listen(self.cloud.wsgi, self.port)
        self.urls["cloud"] = f"http://{shown}:{cloud_port}"
        if self.vendor_ports:
            for offset, name in enumerate(self.cloud.services, start=1):
                wanted = self.port + offset if self.port else 0
                port = self._listen(self.cloud.vendor_wsgi(name), wanted, name)
                self.urls[name] = f"http://{shown}:{port}"
        self.cloud.urls = dict(self.urls)
        for thread in self._threads:
            thread.start()
        return self

    def base_url(self, vendor: str, tenant: str) -> str:
        """Where a client of `vendor` should point for `tenant` (per-vendor port)."""
        service = self.cloud.service(vendor)
        if not service.tenant_in_path:  # the tenant is the client id, not in the URL
            return self.urls[vendor]
        return f"{self.urls[vendor]}/{service.normalise_tenant(tenant)}"

    def stop(self) -> None:
        """Close every channel (the loop thread then ends) and the worker threads."""
        for server in self._servers:
            begin_stop(server)
        for thread in self._threads:
            thread.join(timeout=2)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> ServerRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def begin_stop(server: Any) -> None:
    """Stop a waitress server from outside its loop: answers in flight finish, then its loop
    thread closes every channel and ends (join that thread to wait for it)."""
    server.task_dispatcher.shutdown(timeout=2)
    try:
        server.trigger.pull_trigger(lambda: close_in_loop(server))
    except OSError:  # its trigger is closed already (the loop ended on an error): no loop
        close_in_loop(server)  # will run the thunk, so close what is left from here


def close_in_loop(server: object) -> None:
    """Runs inside the server's loop thread: close every socket; the empty map ends the loop."""
    socket_map = server._map  # type: ignore[attr-defined]  # waitress's internal socket map
    for channel in list(socket_map.values()):
        if channel is not server.trigger:  # type: ignore[attr-defined]  # waitress's internal trigger
            channel.close()
    server.trigger.close()  # type: ignore[attr-defined]  # waitress's internal trigger
    socket_map.clear()


def run_loop(server: object) -> None:
    """A waitress server's loop, for its thread (it ends when `begin_stop` closes it)."""
    with contextlib.suppress(OSError, ValueError):  # sockets closed under the loop by stop()
        server.run()  # type: ignore[attr-defined]  # waitress's MultiSocketServer has run()


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def exposure_warning(host: str, port: int, closed: bool = False) -> str | None:
    """What to tell a person who binds beyond loopback (None on loopback); `closed`: the
    admin API needs a token (--admin-token)."""
    if host in LOOPBACK or host.startswith("127."):
        return None
    where = "every network interface" if host in ("0.0.0.0", "", "::") else host
    name = socket.gethostname()
    reach = (f"Other machines reach it at http://{name if where != host else host}:{port} "
             "(and this machine at the URLs below).")
    if closed:
        return (f"NOTE: listening on {where}, not only on this machine; the admin API needs "
                f"the admin token. {reach}")
    return (f"WARNING: listening on {where}, not only on this machine: anyone who can reach "
            f"it can read and rewrite every mock through /__admin/ (no authentication: close "
            f"it with --admin-token). Do this only inside a container or a trusted network. "
            f"{reach}")


def describe_urls(runner: ServerRunner) -> list[str]:
    """Lines telling a person where each vendor answers."""
    lines = [f"host-routed  {runner.urls['cloud']}  (send the vendor's Host header, e.g. "
             f"<munchkin>.mktorest.com; admin at {runner.urls['cloud']}/__admin/)",
             f"dashboard    {runner.urls['cloud']}/__admin/ui/"]
    for name, service in runner.cloud.services.items():
        if name not in runner.urls:
            continue
        if service.tenant_in_path:
            lines.append(f"{name:<12} {runner.urls[name]}/{service.example_tenant}  "
                         f"(any tenant id as the first path segment; admin at "
                         f"{runner.urls[name]}/__admin/)")
        else:
            lines.append(f"{name:<12} {runner.urls[name]}  (tenants are client ids; admin at "
                         f"{runner.urls[name]}/__admin/)")
    return lines
