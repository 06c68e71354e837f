"""Benchmark (f): a soak of `vendorsim serve`, as a day of manual testing or a shared dev
environment uses it, compressed: one Marketo instance, client threads sending mixed calls
(upserts, queries, list adds, activity paging tokens and activity reads) with limits off,
for a bounded number of requests and time, on loopback only.

It prints the server's RSS at the start and the end and its slope over the last third of
the run (MB per 10,000 requests: near 0 when memory has levelled off), and per operation the
p50/p99 latency of the first and the last tenth of the requests (the end should be within
1.5x of the start). `--both` runs it with journal bodies kept (the default) and without
(`--no-journal-bodies`).

    python benchmarks/soak.py [--requests 200000] [--clients 8] [--seconds 1200] [--both]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict

import requests

MUNCHKIN = "123-ABC-456"
MIX = (("upsert", 40), ("query", 25), ("list_add", 15), ("paging_token", 10),
       ("activities", 10))


def spawn(extra: list[str]) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen(
        [sys.executable, "-m", "vendorsim.simulator.cli", "serve", "--port", "0",
         "--no-limits", *extra], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in process.stdout:  # type: ignore[union-attr]
        if line.startswith("VENDORSIM_URLS "):
            return process, json.loads(line.split(" ", 1)[1])
    raise RuntimeError("vendorsim serve printed no URLs")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Soak:
    def __init__(self, base: str, pool: int, total: int, deadline: float) -> None:
        self.base = base
        self.pool = pool
        self.total = total
        self.deadline = deadline
        self.sent = 0
        self.lock = threading.Lock()
        self.samples: list[tuple[int, str, float]] = []  # (request number, op, seconds)
        self.errors: dict[str, int] = defaultdict(int)
        self.list_id = 0
        self.token = ""

    def prepare(self) -> None:
        http = requests.Session()
        answer = http.get(f"{self.base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "soak", "client_secret": "s"})
        self.token = answer.json()["access_token"]
        http.headers["Authorization"] = f"Bearer {self.token}"
        created = http.post(f"{self.base}/rest/asset/v1/staticLists.json", data={
            "name": "Soak", "folder": json.dumps({"id": 12, "type": "Folder"})}).json()
        self.list_id = created["result"][0]["id"]

    def next_number(self) -> int | None:
        with self.lock:
            if self.sent >= self.total or time.monotonic() > self.deadline:
                return None
            self.sent += 1
            return self.sent

    def worker(self, seed: int) -> None:
        rng = random.Random(seed)
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {self.token}"
        ops = [op for op, weight in MIX for _ in range(weight)]
        paging = ""
        while (number := self.next_number()) is not None:
            op = rng.choice(ops)
            emails = [f"p{rng.randrange(self.pool)}@soak.example" for _ in range(10)]
            started = time.perf_counter()
            if op == "upsert":
                body = http.post(f"{self.base}/rest/v1/leads.json", json={
                    "action": "createOrUpdate", "lookupField": "email",
                    "input": [{"email": e, "title": f"T{rng.randrange(50)}",
                               "company": f"C{rng.randrange(500)}"} for e in emails]}).json()
            elif op == "query":
                body = http.get(f"{self.base}/rest/v1/leads.json", params={
                    "filterType": "email", "filterValues": ",".join(emails)}).json()
            elif op == "list_add":
                ids = [{"id": rng.randrange(1, self.pool)} for _ in range(10)]
                body = http.post(f"{self.base}/rest/v1/lists/{self.list_id}/leads.json",
                                 json={"input": ids}).json()
            elif op == "paging_token":
                since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 10))
                body = http.get(f"{self.base}/rest/v1/activities/pagingtoken.json", params={
                    "sinceDatetime": since}).json()  # recent changes, as a poller asks
                paging = body.get("nextPageToken", paging)
            else:
                body = http.get(f"{self.base}/rest/v1/activities.json", params={
                    "nextPageToken": paging or "x", "activityTypeIds": "12,13",
                    "batchSize": 100}).json() if paging else {"success": True}
            elapsed = time.perf_counter() - started
            if not body.get("success"):
                self.errors[str((body.get("errors") or [{}])[0].get("code"))] += 1
            with self.lock:
                self.samples.append((number, op, elapsed))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def run(extra: list[str], total: int, clients: int, seconds: int, pool: int) -> dict:
    process, urls = spawn(extra)
    try:
        soak = Soak(f"{urls['marketo']}/{MUNCHKIN}", pool, total, time.monotonic() + seconds)
        soak.prepare()
        rss: list[tuple[int, float]] = [(0, rss_mb(process.pid))]
        threads = [threading.Thread(target=soak.worker, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        while any(t.is_alive() for t in threads):
            time.sleep(1.0)
            rss.append((soak.sent, rss_mb(process.pid)))
        wall = time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=20)
    done = len(soak.samples)
    third = [(n, mb) for n, mb in rss if n >= done * 2 / 3]
    slope = 0.0
    if len(third) >= 2:
        xs, ys = [n for n, _ in third], [mb for _, mb in third]
        mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
        spread = sum((x - mean_x) ** 2 for x in xs)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread \
            * 10_000 if spread else 0.0
    first = [s for s in soak.samples if s[0] <= done / 10]
    last = [s for s in soak.samples if s[0] > done * 9 / 10]
    ops = {}
    for op, _ in MIX:
        head = [t for _, o, t in first if o == op]
        tail = [t for _, o, t in last if o == op]
        if head and tail:
            ops[op] = (percentile(head, 0.5), percentile(head, 0.99), percentile(tail, 0.5),
                       percentile(tail, 0.99))
    every_head = [t for *_, t in first]
    every_tail = [t for *_, t in last]
    return {"requests": done, "seconds": wall, "rss_start": rss[0][1], "rss_end": rss[-1][1],
            "rss_peak": max(mb for _, mb in rss), "slope": slope, "ops": ops,
            "p99_start": percentile(every_head, 0.99), "p99_end": percentile(every_tail, 0.99),
            "errors": dict(soak.errors)}


def show(label: str, result: dict) -> None:
    print(f"\n{label}: {result['requests']:,} requests in {result['seconds']:.0f} s "
          f"({result['requests'] / result['seconds']:.0f} req/s)")
    print(f"  RSS {result['rss_start']:.0f} MB at the start, {result['rss_end']:.0f} MB at the "
          f"end (peak {result['rss_peak']:.0f} MB); slope over the last third "
          f"{result['slope']:+.2f} MB per 10k requests")
    print(f"  {'operation':<14} {'p50 start':>10} {'p99 start':>10} {'p50 end':>10} "
          f"{'p99 end':>10}  (ms)")
    for op, (p50a, p99a, p50b, p99b) in result["ops"].items():
        print(f"  {op:<14} {p50a:>10.1f} {p99a:>10.1f} {p50b:>10.1f} {p99b:>10.1f}")
    ratio = result["p99_end"] / result["p99_start"] if result["p99_start"] else 0
    print(f"  every call: p99 {result['p99_start']:.1f} ms at the start, "
          f"{result['p99_end']:.1f} ms at the end: {ratio:.2f}x (target <= 1.5x)")
    if result["errors"]:
        print(f"  error answers by code: {result['errors']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=1200, help="stop after this long")
    parser.add_argument("--pool", type=int, default=20_000, help="distinct lead emails")
    parser.add_argument("--both", action="store_true",
                        help="also run with --no-journal-bodies")
    args = parser.parse_args()
    show("journal bodies kept", run([], args.requests, args.clients, args.seconds, args.pool))
    if args.both:
        show("--no-journal-bodies", run(["--no-journal-bodies"], args.requests, args.clients,
                                        args.seconds, args.pool))


if __name__ == "__main__":
    main()
