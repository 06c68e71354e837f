"""Benchmark (b): server mode on loopback.

1. A small authenticated GET (`/rest/v1/leads/partitions.json`) under load from client
   threads, against `vendorsim serve`'s Marketo port, and in the same run the same load
   against a bare Flask app under waitress with the same thread count answering the same
   JSON. Ratio = mock throughput / bare throughput.
2. Start-up: wall time from launching `vendorsim serve --port 0` to its first served request.

Traffic goes to 127.0.0.1 only; every loop is bounded by a request count.

    python benchmarks/server_load.py [--requests 4000] [--clients 8]

Load comes from wrk (Debian package `wrk`) when installed, else from Python threads.
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


def wrk_load(url: str, headers: dict, seconds: int, clients: int) -> float | None:
    """Requests/s measured by wrk (C, one thread), when Debian's wrk is installed."""
    wrk = shutil.which("wrk")
    if not wrk:
        return None
    header_args = [arg for k, v in headers.items() for arg in ("-H", f"{k}: {v}")]
    out = subprocess.run([wrk, "-t1", f"-c{clients}", f"-d{seconds}s", *header_args, url],
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


def throughput(total: int, clients: int, threads: int, rounds: int,
               seconds: int) -> tuple[str, float, float]:
    """Best-round requests/s of the mock and of the floor, each server in its own process.

    With wrk installed the load comes from wrk (fast enough to saturate the server);
    otherwise from Python threads, which on a small machine may be the bottleneck."""
    mock, mock_urls = spawn(["-m", "vendorsim.simulator.cli", "serve", "--port", "0", "--no-limits",
                             "--threads", str(threads)])
    bare, bare_urls = spawn([__file__, "--bare-server", "--threads", str(threads)])
    try:
        base = f"{mock_urls['marketo']}/{MUNCHKIN}"
        token = requests.get(f"{base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "b", "client_secret": "b"}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        bare_url = f"{bare_urls['bare']}/{MUNCHKIN}{PATH}"
        load(bare_url, auth, total // 10, clients)  # warm both up
        load(base + PATH, auth, total // 10, clients)
        tool = "wrk" if shutil.which("wrk") else "python-requests"
        mock_rates, bare_rates = [], []
        for _ in range(rounds):  # interleaved rounds
            if tool == "wrk":
                bare_rates.append(wrk_load(bare_url, auth, seconds, clients))
                mock_rates.append(wrk_load(base + PATH, auth, seconds, clients))
            else:
                bare_rates.append(load(bare_url, auth, total, clients))
                mock_rates.append(load(base + PATH, auth, total, clients))
    finally:
        for process in (mock, bare):
            process.terminate()
            process.wait(timeout=10)
    return tool, max(mock_rates), max(bare_rates)  # type: ignore[type-var]


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
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads, both servers")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="seconds per wrk round")
    parser.add_argument("--startups", type=int, default=5)
    parser.add_argument("--bare-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        serve_bare(args.threads)
        return
    tool, mock_rate, bare_rate = throughput(args.requests, args.clients, args.threads,
                                            args.rounds, args.seconds)
    amount = f"{args.seconds} s" if tool == "wrk" else f"{args.requests} requests"
    print(f"small GET, load from {tool}: {amount} x {args.rounds} rounds, {args.clients} "
          f"connections, {args.threads} waitress threads (best round)")
    print(f"floor (bare Flask under waitress): {bare_rate:8.0f} req/s")
    print(f"vendorsim serve (Marketo port):    {mock_rate:8.0f} req/s")
    print(f"ratio mock/floor: {mock_rate / bare_rate:.2f}  (target >= 0.7)")
    times = startup(args.startups)
    print(f"start to first served request: median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s over {len(times)} starts  (target < 1 s)")


if __name__ == "__main__":
    main()
