"""Benchmark: the README's demo scenario replayed embedded and against a running server.

Both in one run: the engine replays `fixtures/scenarios/demo.yaml` against the in-process
mocks, then against `vendorsim serve --clock virtual` started in its own process on loopback
(through `--target`'s interface: admin API for seeding, faults, clock and state, the vendor
ports for the connectors). Ratio = remote time / embedded time (target <= 2). Each is the
best of N replays, after one warm-up replay each.

    python benchmarks/remote_replay.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from vendorsim.simulator.engine.remote import RemoteVendors
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "demo.yaml"


def replay(vendors: RemoteVendors | None) -> float:
    loaded = load_scenario(DEMO)
    start = time.perf_counter()
    report = run_scenario(loaded, vendors)
    elapsed = time.perf_counter() - start
    assert report.passed, report.verdicts
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-m", "vendorsim.simulator.cli", "serve",
                               "--port", "0", "--clock", "virtual"], stdout=subprocess.PIPE,
                              text=True)
    try:
        line = ""
        while not line.startswith("VENDORSIM_URLS"):
            line = server.stdout.readline()  # type: ignore[union-attr]
        cloud = json.loads(line.split(" ", 1)[1])["cloud"]
        replay(None)
        replay(RemoteVendors.discover(cloud))  # warm-up: first requests build the apps
        embedded = min(replay(None) for _ in range(args.rounds))
        remote = min(replay(RemoteVendors.discover(cloud)) for _ in range(args.rounds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"demo.yaml embedded:                  {embedded:6.3f} s (best of {args.rounds})")
    print(f"demo.yaml against vendorsim serve:   {remote:6.3f} s")
    print(f"ratio remote/embedded: {remote / embedded:.2f}  (target <= 2)")


if __name__ == "__main__":
    main()
