"""Benchmark: the simulator end to end, in-process, on the virtual clock.

1. N generated profiles (default 100,000) activated to Marketo with audience_and_profile /
   update_existing_and_create_new: every profile is looked up, created, and listed.
2. A day of Marketo traffic at quota: fixtures/scenarios/throttled_day_at_quota.yaml with
   25,000 profiles sent one per request (create + list add: ~50,000 calls) against the real
   50,000-call quota; Marketo's 100-calls-per-20-s window answers 606 ~500 times and the
   quota 607 at the end, all waited out on the virtual clock. Compared with a floor taken
   in the same run: the same number of calls answered by a bare WSGI callable.

    python benchmarks/simulate.py [--profiles 100000] [--day-calls 50000]
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from vendorsim.mocks.inprocess import DirectSession, WsgiAdapter
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

MUNCHKIN = "123-ABC-456"
DAY = Path(__file__).parent.parent / "fixtures" / "scenarios" / "throttled_day_at_quota.yaml"


def activation(profiles: int, folder: Path) -> tuple[float, dict]:
    doc = {"name": "bulk activation", "data": {"generate": {"count": profiles, "seed": 1}},
           "vendors": {"marketo": [{"munchkin_id": MUNCHKIN}]},
           "audiences": [{"id": "all", "name": "Everyone",
                          "all": [{"attribute": "person.email", "exists": True}]}],
           "destinations": [{"id": "m", "type": "marketo", "munchkin_id": MUNCHKIN,
                             "sync_type": "audience_and_profile",
                             "person_action": "update_existing_and_create_new",
                             "mappings": {"email": "email", "firstName": "firstName",
                                          "lastName": "lastName", "title": "jobTitle"},
                             "audiences": ["all"]}],
           "timeline": [{"at": "+0s", "action": "activate", "destination": "m",
                         "audience": "all"}]}
    path = folder / "bulk.yaml"
    path.write_text(yaml.safe_dump(doc))
    start = time.perf_counter()
    report = run_scenario(load_scenario(path))
    elapsed = time.perf_counter() - start
    dest = report.destinations[0]
    assert dest.created == profiles and dest.listed == profiles, dest
    return elapsed, {"calls": dest.calls, "throttled": dest.throttled}


def day_at_quota(profiles: int, folder: Path) -> tuple[float, dict]:
    """fixtures/scenarios/throttled_day_at_quota.yaml at full size: two calls per profile
    against the real 50,000-call quota, through the engine."""
    doc = yaml.safe_load(DAY.read_text())
    doc["data"]["generate"]["count"] = profiles
    doc["vendors"]["marketo"][0]["limits"] = {"daily_quota": 50_000}
    doc["expectations"]["marketo_leads"][0]["count"] = profiles
    path = folder / "day.yaml"
    path.write_text(yaml.safe_dump(doc))
    gc.collect()
    start = time.perf_counter()
    report = run_scenario(load_scenario(path))
    elapsed = time.perf_counter() - start
    dest = report.destinations[0]
    assert report.passed and dest.listed == profiles, report.verdicts
    codes = Counter(code for e in report.journal for code in e["codes"])
    return elapsed, {"calls": dest.calls, "606": codes.get("606", 0),
                     "607": codes.get("607", 0), "virtual hours": round(dest.waited / 3600, 1)}


def floor(calls: int) -> float:
    """The same number of calls through the same kind of session (requests + the WSGI
    adapter the engine uses), answered by a bare WSGI callable that checks nothing."""
    body = json.dumps({"success": True, "requestId": "x", "result": [{"id": 1,
                                                                      "status": "added"}]})

    def bare(environ: dict, start_response: Callable) -> list[bytes]:
        environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body.encode()]

    session = DirectSession()
    session.trust_env = False
    session.mount("https://", WsgiAdapter(bare))
    url = f"https://{MUNCHKIN}.mktorest.com/rest/v1/lists/1/leads.json"
    start = time.perf_counter()
    for i in range(calls):
        session.post(url, json={"input": [{"id": i}]}).json()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--day-calls", type=int, default=50_000)
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        elapsed, info = activation(args.profiles, Path(tmp))
    print(f"{args.profiles:,} profiles activated to Marketo end to end: {elapsed:.1f} s, "
          f"{args.profiles / elapsed:,.0f} profiles/s ({info})")
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, info = day_at_quota(args.day_calls // 2, Path(tmp))
    bare = floor(info["calls"])
    print(f"a day of Marketo traffic at quota ({info['calls']:,} calls, "
          f"throttled_day_at_quota.yaml at {args.day_calls // 2:,} profiles): {elapsed:.1f} s "
          f"of wall time (target <= 30 s); floor (same calls, bare WSGI answer) {bare:.1f} s, "
          f"ratio {bare / elapsed:.2f}  {info}")


if __name__ == "__main__":
    main()
