"""Every speed figure of issue 34 in one run, each as a ratio to a floor measured in the same
run (the machine's absolute speed drifts, and other work on it hits both alike).

Rows: `vendorsim serve` answering a small authenticated Marketo GET at 8, 16 and 64
connections vs a bare Flask app under waitress with the same threads (server_load.py), and
vs moto_server answering S3's ListBuckets at 16 connections (installed into build/moto-env
on first use; the row says why when it cannot be); a day of Marketo traffic at quota (seconds
and ratio to a bare WSGI callable, simulate.py); 100,000 profiles activated end to end
(seconds); in-process 300-lead syncs where every third batch creates leads, at 900, 30,000 and
300,000 leads held, vs a bare `responses` callback (inprocess_sync.py --creates 3); a soak's
p99 at the end vs the start (soak.py). Each measure alternates floor and mock for `--rounds`
rounds and keeps each side's best; the soak (its own ratio) runs once, last. Metrics are on
throughout, as `vendorsim serve` and the in-process mocks have them by default. Traffic stays
on 127.0.0.1; every loop is bounded by a count.

    python benchmarks/speed.py             # full: 2 rounds, 200,000-request soak, ~15 min
    python benchmarks/speed.py --quick     # smoke: every row at toy sizes, ~20 s; no verdicts

It prints a Markdown table and writes build/speed.json (`--json PATH` to change).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
import inprocess_sync  # noqa: E402 - the sibling benchmarks, by path
import server_load  # noqa: E402
import simulate  # noqa: E402
import soak  # noqa: E402

ROOT = Path(__file__).parent.parent
MOTO_ENV = ROOT / "build" / "moto-env"
MOTO_AUTH = {"Authorization": "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/s3/"
                              "aws4_request, SignedHeaders=host, Signature=0"}
FULL = {"rounds": 2, "seconds": 5.0, "requests": 4000, "connections": (8, 16, 64),
        "day_profiles": 25_000, "profiles": 100_000, "batches": 200,
        "pools": (900, 30_000, 300_000), "soak_requests": 200_000, "soak_pool": 20_000,
        "soak_seconds": 1200}
QUICK = {"rounds": 1, "seconds": 1.0, "requests": 200, "connections": (8, 16, 64),
         "day_profiles": 100, "profiles": 1000, "batches": 6, "pools": (900, 3000, 9000),
         "soak_requests": 400, "soak_pool": 500, "soak_seconds": 60}


def moto_server() -> tuple[str | None, str]:
    """moto_server's path, installing moto[server] from PyPI into build/moto-env if needed;
    or None and why not."""
    binary = MOTO_ENV / "bin" / "moto_server"
    found = os.environ.get("VENDORSIM_MOTO_SERVER") or (
        str(binary) if binary.exists() else shutil.which("moto_server"))
    if found:
        return found, ""
    if not binary.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(MOTO_ENV)], check=True,
                           capture_output=True, timeout=120)
            subprocess.run([str(MOTO_ENV / "bin" / "pip"), "install", "--quiet", "moto[server]"],
                           check=True, capture_output=True, timeout=600)
        except (subprocess.SubprocessError, OSError) as exc:
            return None, f"moto[server] did not install from PyPI ({type(exc).__name__})"
    return str(binary), ""


class Moto:
    """moto_server on a free loopback port, one bucket made so that ListBuckets lists one."""

    def __init__(self, binary: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}/"
        for _ in range(300):  # bounded: 30 s
            try:
                requests.put(self.url + "bench", headers=MOTO_AUTH, timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto_server did not answer within 30 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def keep_best(store: dict, key: str, value: float, lower: bool = False) -> None:
    old = store.get(key)
    store[key] = value if old is None else (min(old, value) if lower else max(old, value))


def one_round(size: dict, servers: server_load.Servers, moto: Moto | None, best: dict) -> None:
    """Every measure once, each floor right before its mock."""
    for count in size["connections"]:
        keep_best(best, f"bare{count}", server_load.rate(
            servers.bare_url, servers.auth, count, size["seconds"], size["requests"]))
        keep_best(best, f"mock{count}", server_load.rate(
            servers.mock_url, servers.auth, count, size["seconds"], size["requests"]))
    if moto is not None:
        keep_best(best, "moto16", server_load.rate(moto.url, MOTO_AUTH, 16, size["seconds"],
                                                   size["requests"]))
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, info = simulate.day_at_quota(size["day_profiles"], Path(tmp))
    best["day_calls"] = info["calls"]
    keep_best(best, "day_floor", simulate.floor(info["calls"]), lower=True)
    keep_best(best, "day", elapsed, lower=True)
    with tempfile.TemporaryDirectory() as tmp:
        keep_best(best, "profiles", simulate.activation(size["profiles"], Path(tmp))[0],
                  lower=True)
    for pool in size["pools"]:
        batches = inprocess_sync.make_batches(size["batches"], pool, False, None, 3)
        created = len(range(0, size["batches"], 3)) * inprocess_sync.BATCH
        keep_best(best, f"sync_floor{pool}", inprocess_sync.floor(batches), lower=True)
        keep_best(best, f"sync{pool}", inprocess_sync.mock(batches, pool, created), lower=True)


def rows(size: dict, best: dict, moto_note: str, soaked: dict) -> list[dict]:
    """The table: what, command, result, target, and the ratio or seconds it rests on."""
    table = []
    for count in size["connections"]:
        ratio = best[f"mock{count}"] / best[f"bare{count}"]
        table.append({"what": f"server: small authenticated Marketo GET, {count} connections, "
                              "vs bare Flask/waitress (same threads)",
                      "command": f"python benchmarks/server_load.py --connections {count}",
                      "value": round(ratio, 2), "target": 0.85 if count >= 16 else None,
                      "result": f"{ratio:.2f} ({best[f'mock{count}']:,.0f} vs "
                                f"{best[f'bare{count}']:,.0f} req/s)"})
    if "moto16" in best:
        ratio = best["mock16"] / best["moto16"]
        result = f"{ratio:.1f}x ({best['moto16']:,.0f} req/s for moto_server's ListBuckets)"
    else:
        ratio, result = None, moto_note
    table.append({"what": "server: the same GET at 16 connections vs moto_server's S3 "
                          "ListBuckets", "command": "python benchmarks/speed.py",
                  "value": None if ratio is None else round(ratio, 1), "target": 5.0,
                  "result": result})
    day_ratio = best["day_floor"] / best["day"]
    table.append({"what": f"a day of Marketo traffic at quota ({best['day_calls']:,} calls) vs "
                          "a bare WSGI callable", "command": "python benchmarks/simulate.py",
                  "value": round(day_ratio, 2), "target": 0.33, "seconds": round(best["day"], 1),
                  "target_seconds": 15.0,
                  "result": f"{best['day']:.2f} s, ratio {day_ratio:.2f} (floor "
                            f"{best['day_floor']:.2f} s)"})
    table.append({"what": f"{size['profiles']:,} profiles activated to Marketo end to end",
                  "command": "python benchmarks/simulate.py", "value": None,
                  "seconds": round(best["profiles"], 1), "target_seconds": 6.0,
                  "result": f"{best['profiles']:.1f} s"})
    for pool in size["pools"]:
        ratio = best[f"sync_floor{pool}"] / best[f"sync{pool}"]
        table.append({"what": f"in-process 300-lead syncs, every third batch creating, "
                              f"{pool:,} leads held, vs a bare `responses` callback",
                      "command": f"python benchmarks/inprocess_sync.py --creates 3 --pool {pool}",
                      "value": round(ratio, 2), "target": 0.5,
                      "result": f"{ratio:.2f} ({size['batches'] / best[f'sync{pool}']:.0f} vs "
                                f"{size['batches'] / best[f'sync_floor{pool}']:.0f} batches/s)"})
    p99 = soaked["p99_end"] / soaked["p99_start"] if soaked["p99_start"] else 0.0
    table.append({"what": f"soak of `vendorsim serve`: p99 at the end vs the start, "
                          f"{soaked['requests']:,} requests",
                  "command": f"python benchmarks/soak.py --requests {size['soak_requests']}",
                  "value": round(p99, 2), "target": 1.5, "lower_is_better": True,
                  "result": f"{p99:.2f}x ({soaked['p99_start']:.1f} → {soaked['p99_end']:.1f} ms, "
                            f"{soaked['requests'] / soaked['seconds']:,.0f} req/s, "
                            f"RSS {soaked['rss_start']:.0f} → {soaked['rss_end']:.0f} MB)"})
    return table


def verdict(row: dict) -> str:
    """met / not met against the issue's targets (ratios, then seconds)."""
    checks = []
    if row.get("target") is not None and row["value"] is not None:
        checks.append(row["value"] <= row["target"] if row.get("lower_is_better")
                      else row["value"] >= row["target"])
    if row.get("target_seconds") is not None:
        checks.append(row["seconds"] <= row["target_seconds"])
    return "–" if not checks else "met" if all(checks) else "not met"


def target_text(row: dict) -> str:
    parts = []
    if row.get("target") is not None:
        sign = "≤" if row.get("lower_is_better") else "≥"
        parts.append(f"{sign} {row['target']:g}{'x' if row['target'] == 5.0 else ''}")
    if row.get("target_seconds") is not None:
        parts.append(f"≤ {row['target_seconds']:g} s")
    return ", ".join(parts) or "report"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="toy sizes: a smoke test")
    parser.add_argument("--rounds", type=int, help="alternating rounds (full 2, quick 1)")
    parser.add_argument("--no-moto", action="store_true", help="skip the moto_server row")
    parser.add_argument("--json", default=str(ROOT / "build" / "speed.json"), metavar="PATH")
    args = parser.parse_args()
    size = dict(QUICK if args.quick else FULL)
    size["rounds"] = args.rounds or size["rounds"]
    load_start = os.getloadavg()
    moto_note, moto, moto_path = "skipped (--no-moto)", None, None
    if not args.no_moto:
        binary, moto_note = moto_server()
        moto_path = binary
        if binary:
            try:
                moto = Moto(binary)
            except (RuntimeError, OSError) as exc:
                moto_note = f"moto_server did not start: {exc}"
    best: dict = {}
    started = time.perf_counter()
    try:
        with server_load.Servers(8) as servers:
            for url in (servers.bare_url, servers.mock_url):  # warm both up
                server_load.load(url, servers.auth, 80, 8)
            for _ in range(size["rounds"]):
                one_round(size, servers, moto, best)
    finally:
        if moto is not None:
            moto.stop()
    soaked = soak.run([], size["soak_requests"], 8, size["soak_seconds"], size["soak_pool"])
    wall = time.perf_counter() - started
    table = rows(size, best, moto_note, soaked)
    for row in table:
        row["verdict"] = "–" if args.quick else verdict(row)
    report = {"mode": "quick" if args.quick else "full", "rounds": size["rounds"],
              "load_tool": "wrk" if shutil.which("wrk") else "python-requests",
              "cores": os.cpu_count(), "moto_server": moto_path, "loadavg_start": load_start,
              "loadavg_end": os.getloadavg(), "wall_seconds": wall,
              "rows": table}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"{report['mode']} run, {size['rounds']} round(s), load from {report['load_tool']}, "
          f"{report['cores']} cores, load average {load_start[0]:.1f} → "
          f"{report['loadavg_end'][0]:.1f}, {report['wall_seconds']:.0f} s\n")
    print("| what | command | result | target | verdict |\n|---|---|---|---|---|")
    for row in table:
        print(f"| {row['what']} | `{row['command']}` | {row['result']} | {target_text(row)} | "
              f"{row['verdict']} |")
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
