"""Benchmark: synthetic profiles per second and peak memory, against a naive Faker baseline.

The generator writes 1,000,000 profiles (people, with their accounts and opportunities) as
JSONL, once with one process and once with two; each run is a fresh child process so that
its peak RSS is its own. In the same run, the naive baseline makes records the obvious way:
one default `Faker()` producing every field of every record, written as JSONL.

    python benchmarks/generate.py [--count 1000000] [--naive 20000]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def naive(count: int, out: Path) -> float:
    """Records per second of one default Faker() producing each field per record."""
    from faker import Faker

    fake = Faker()
    fake.seed_instance(0)
    start = time.perf_counter()
    with open(out / "naive.jsonl", "w") as handle:
        for n in range(count):
            record = {
                "personId": f"P-{n + 1:09d}", "email": fake.email(),
                "firstName": fake.first_name(), "lastName": fake.last_name(),
                "jobTitle": fake.job(), "company": fake.company(), "domain": fake.domain_name(),
                "country": fake.country(), "city": fake.city(),
                "ecid": fake.numerify("#" * 38), "crmId": fake.bothify("003???############"),
                "updatedAt": fake.iso8601(),
            }
            handle.write(json.dumps(record) + "\n")
    return count / (time.perf_counter() - start)


def child(count: int, workers: int, out: str) -> None:
    """Run inside a fresh process: generate, then print rate and peak RSS as JSON."""
    from vendorsim.simulator.generate import GeneratorConfig
    from vendorsim.simulator.generate.writers import write

    start = time.perf_counter()
    counts = write(GeneratorConfig(count=count, seed=1), "jsonl", Path(out), workers=workers,
                   force=True)
    elapsed = time.perf_counter() - start
    assert counts["people.jsonl"] == count
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"rate": count / elapsed, "seconds": elapsed,
                      "peak_rss_mb": max(self_rss, children_rss),
                      "total_rss_mb": self_rss + children_rss * workers}))


def measure(count: int, workers: int) -> dict:
    out = tempfile.mkdtemp(prefix="vendorsim-gen-")
    try:
        result = subprocess.run([sys.executable, __file__, "--child", str(count), str(workers),
                                 out], capture_output=True, text=True, check=True)
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--naive", type=int, default=20_000, help="records for the baseline")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), int(args.child[1]), args.child[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        baseline = naive(args.naive, Path(tmp))
    print(f"naive baseline (one default Faker(), every field per record): {baseline:9.0f} /s "
          f"({args.naive:,} records)")
    for workers in (1, 2):
        m = measure(args.count, workers)
        print(f"vendorsim generate, {workers} process{'es' if workers > 1 else ''}:  "
              f"{m['rate']:9.0f} profiles/s ({args.count:,} in {m['seconds']:.1f} s), "
              f"{m['rate'] / baseline:5.1f}x the baseline, peak RSS {m['peak_rss_mb']:.0f} MB "
              f"per process")
    print("targets: >= 100,000 profiles/s, >= 30x the baseline, peak RSS <= 300 MB")


if __name__ == "__main__":
    main()
