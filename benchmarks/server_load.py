"""Benchmark (b): server mode on loopback.

1. A small authenticated GET (`/rest/v1/leads/partitions.json`) under load from client
   threads, against `vendorsim serve`'s Marketo port, and in the same run the same load
   against a bare Flask app under waitress with the same thread count answering the same
   JSON. Ratio = mock throughput / bare throughput.
2. Start-up: wall time from launching `vendorsim serve --port 0` to its first served request.

Traffic goes to 127.0.0.1 only; every loop is bounded by a request count.

    python benchmarks/server_load.py [--requests 4000] [--connections 8,16,64]

Load comes from wrk (Debian package `wrk`, two threads) when installed, else from Python
threads (one per connection). Both servers are started once and measured at every connection
count in turn, rounds alternating between the floor and the mock.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from flask import Flask, jsonify
from waitress.server import create_server

MUNCHKIN = "123-ABC-456"
PATH = "/rest/v1/leads/partitions.json"


def load(url: str, headers: dict, total: int, clients: int) -> float:
    """Requests per second for `total` GETs spread over `clients` threads with sessions."""
    per_client = total // clients

    def worker(_: int) -> int:
        session = requests.Session()
        ok = 0
        for _ in range(per_client):
            ok += session.get(url, headers=headers).status_code == 200
        return ok

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        answered = sum(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - start
    assert answered == per_client * clients
    return answered / elapsed


def wrk_load(url: str, headers: dict, seconds: float, clients: int) -> float | None:
    """Requests/s measured by wrk (C, two threads as issue 34 measured), when Debian's wrk is
    installed."""
    wrk = shutil.which("wrk")
    if not wrk:
        return None
    header_args = [arg for k, v in headers.items() for arg in ("-H", f"{k}: {v}")]
    out = subprocess.run([wrk, f"-t{min(2, clients)}", f"-c{clients}",
                          f"-d{max(1, round(seconds))}s",
                          *header_args, url],
                         capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert errors is None, f"wrk saw errors: {out}"
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def bare_app() -> Flask:
    app = Flask("bare")

    @app.get(f"/{MUNCHKIN}{PATH}")
    def partitions():  # noqa: ANN202 - a view
        return jsonify(requestId="1#1", success=True, result=[
            {"id": 1, "name": "Default", "description": "Initial system lead partition"}])

    return app


def spawn(args: list[str]) -> tuple[subprocess.Popen, dict]:
    """Start a server process and read the URLs it prints."""
    process = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in process.stdout:  # type: ignore[union-attr]
        if line.startswith("VENDORSIM_URLS "):
            return process, json.loads(line.split(" ", 1)[1])
    raise RuntimeError(f"{args} printed no URLs")


def serve_bare(threads: int) -> None:
    """The floor: a bare Flask app under waitress, same threads, same JSON."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # as vendorsim serve does
    server = create_server(bare_app(), host="127.0.0.1", port=0, threads=threads)
    print("VENDORSIM_URLS " + json.dumps({"bare": f"http://127.0.0.1:{server.effective_port}"}),
          flush=True)
    server.run()


class Servers:
    """`vendorsim serve` (limits off, metrics on as by default) and the bare floor, each in
    its own process with the same waitress threads; stopped on leaving the block."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> Servers:
        mock, mock_urls = spawn(["-m", "vendorsim.simulator.cli", "serve", "--port", "0",
                                 "--no-limits", "--threads", str(self.threads)])
        self.processes.append(mock)
        bare, bare_urls = spawn([__file__, "--bare-server", "--threads", str(self.threads)])
        self.processes.append(bare)
        base = f"{mock_urls['marketo']}/{MUNCHKIN}"
        token = requests.get(f"{base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "b", "client_secret": "b"}).json()
        self.auth = {"Authorization": f"Bearer {token['access_token']}"}
        self.mock_url = base + PATH
        self.bare_url = f"{bare_urls['bare']}/{MUNCHKIN}{PATH}"
        return self

    def __exit__(self, *_: object) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)


def rate(url: str, headers: dict, connections: int, seconds: float, total: int) -> float:
    """Requests/s at `connections`: wrk for `seconds` when installed, else `total` GETs from
    as many Python threads."""
    measured = wrk_load(url, headers, seconds, connections)
    return measured if measured is not None else load(url, headers, total, connections)


def throughput(total: int, connections: list[int], threads: int, rounds: int,
               seconds: float) -> tuple[str, dict[int, tuple[float, float]]]:
    """Best-round requests/s of the mock and of the floor at each connection count.

    With wrk installed the load comes from wrk (fast enough to saturate the server);
    otherwise from Python threads, which on a small machine may be the bottleneck."""
    tool = "wrk" if shutil.which("wrk") else "python-requests"
    best: dict[int, tuple[float, float]] = {}
    with Servers(threads) as servers:
        load(servers.bare_url, servers.auth, total // 10, 8)  # warm both up
        load(servers.mock_url, servers.auth, total // 10, 8)
        for _ in range(rounds):  # interleaved rounds
            for count in connections:
                bare = rate(servers.bare_url, servers.auth, count, seconds, total)
                mock = rate(servers.mock_url, servers.auth, count, seconds, total)
                old_mock, old_bare = best.get(count, (0.0, 0.0))
                best[count] = (max(old_mock, mock), max(old_bare, bare))
    return tool, best


def startup(samples: int) -> list[float]:
    """Seconds from spawning `vendorsim serve --port 0` to the first answered request."""
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port", "0"],
            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            for line in process.stdout:  # type: ignore[union-attr]
                if line.startswith("VENDORSIM_URLS "):
                    urls = json.loads(line.split(" ", 1)[1])
                    break
            response = requests.get(f"{urls['marketo']}/__admin/health")
            assert response.status_code == 200
            times.append(time.perf_counter() - start)
        finally:
            process.terminate()
            process.wait(timeout=10)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="GETs per round")
    parser.add_argument("--connections", "--clients", default="8",
                        help="client connections, one count or several: 8,16,64")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads, both servers")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5, help="seconds per wrk round")
    parser.add_argument("--startups", type=int, default=5)
    parser.add_argument("--bare-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        serve_bare(args.threads)
        return
    connections = [int(count) for count in args.connections.split(",")]
    tool, best = throughput(args.requests, connections, args.threads, args.rounds, args.seconds)
    amount = f"{args.seconds:g} s" if tool == "wrk" else f"{args.requests} requests"
    print(f"small GET, load from {tool}: {amount} x {args.rounds} rounds, "
          f"{args.threads} waitress threads (best round)")
    for count, (mock_rate, bare_rate) in best.items():
        print(f"{count:3} connections: floor (bare Flask under waitress) {bare_rate:8.0f} req/s, "
              f"vendorsim serve (Marketo port) {mock_rate:8.0f} req/s, "
              f"ratio {mock_rate / bare_rate:.2f}  (target >= 0.85)")
    times = startup(args.startups)
    print(f"start to first served request: median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s over {len(times)} starts  (target < 1 s)")


if __name__ == "__main__":
    main()
