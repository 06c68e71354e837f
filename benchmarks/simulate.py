"""Benchmark: the simulator end to end, in-process, on the virtual clock.

1. N generated profiles (default 100,000) activated to Marketo with audience_and_profile /
   update_existing_and_create_new: every profile is looked up, created, and listed.
2. A day of Marketo traffic at quota: one-profile deliveries (look-up + list add, two calls
   each) until the 50,000-call daily quota, crossing the 100-calls-per-20-s window ~500
   times; the connector waits out every 606 on the virtual clock.

    python benchmarks/simulate.py [--profiles 100000] [--day-calls 50000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import requests
import yaml

from mocks import Cloud, mock_vendors
from simulator.destinations.marketo import MarketoConnector
from simulator.engine.run import run_scenario
from simulator.scenario.loader import load_scenario
from simulator.scenario.model import Audience, MarketoDestination

MUNCHKIN = "123-ABC-456"


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


def day_at_quota(calls: int) -> tuple[float, dict]:
    cloud = Cloud("virtual")
    cloud.marketo(MUNCHKIN).seed({"leads": [{"email": f"p{i}@x.example"}
                                            for i in range(calls // 2)]})
    config = MarketoDestination(id="m", type="marketo", munchkin_id=MUNCHKIN,
                                sync_type="audience_only", mappings={"email": "email"})
    audience = Audience(id="a", name="Day")
    with mock_vendors(cloud=cloud):
        session = requests.Session()
        session.trust_env = False  # as the engine's sessions: no proxy look-ups in-process
        connector = MarketoConnector(config, f"https://{MUNCHKIN}.mktorest.com", session,
                                     sleep=cloud.clock.advance)
        cloud.service("marketo").set_limits(MUNCHKIN, {"daily_quota": calls + 2})
        start_virtual = cloud.clock.now()
        start = time.perf_counter()
        for i in range(calls // 2):
            connector.deliver(audience, [{"personId": f"P{i}", "email": f"p{i}@x.example"}], [])
        elapsed = time.perf_counter() - start
    used = cloud.service("marketo").tenant(MUNCHKIN).limiter.snapshot()["quota_used_today"]
    return elapsed, {"successful calls": used, "606 waits": connector.throttled,
                     "virtual hours": round((cloud.clock.now() - start_virtual) / 3600, 1)}


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
    elapsed, info = day_at_quota(args.day_calls)
    print(f"a day of Marketo traffic at quota ({args.day_calls:,} calls): {elapsed:.1f} s "
          f"of wall time ({info})  (target <= 30 s)")


if __name__ == "__main__":
    main()
