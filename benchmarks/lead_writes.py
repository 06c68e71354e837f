"""Benchmark: what a Marketo lead costs the lead database by kind of write (issue 34, item 3:
creates as fast as updates), the model alone (no HTTP, no JSON), process time.

The instance holds `--pool` leads (seeded, not timed); then, in alternating rounds, 100
batches of 300 records of each kind go through `LeadStore.sync` (Sync Leads,
createOrUpdate, looked up by email):

- resend: people the instance holds, as it holds them (matching and checks, no write);
- change: the same people with a new title (a write and its Change Data Value activity);
- create: people it has never seen (a new lead, its index entries, its New Lead activity).

The floor is the resend: the ratio says what a write, or a new lead, costs beyond matching
and checking a record. The collector runs as it does by default.

    python benchmarks/lead_writes.py [--pool 30000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gc
import time

from inprocess_sync import BATCH, MUNCHKIN, person, seed_pool

from vendorsim import mock_vendors

BATCHES = 100
KINDS = ("resend", "change", "create")


def batches(kind: int, pool: int, fresh: int) -> list[list[dict]]:
    """The records of one kind's timed batches (`fresh`: where never-seen people start)."""
    name = KINDS[kind]
    if name == "create":
        return [[person(fresh + b * BATCH + i) for i in range(BATCH)] for b in range(BATCHES)]
    return [[person((b * BATCH + i) % pool, f"Title {b}" if name == "change" else "Engineer")
             for i in range(BATCH)] for b in range(BATCHES)]


def one_round(pool: int) -> dict[str, float]:
    """Microseconds of process time a lead, by kind, on a freshly seeded instance."""
    out: dict[str, float] = {}
    with mock_vendors(clock="virtual") as cloud:
        seed_pool(cloud, pool)
        leads = cloud.marketo(MUNCHKIN).leads
        for kind, name in enumerate(KINDS):
            work = batches(kind, pool, 10 * pool + 1_000_000)
            gc.collect()
            start = time.process_time()
            for records in work:
                leads.sync(records)
            out[name] = (time.process_time() - start) / (BATCHES * BATCH) * 1e6
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=3, help="best of N rounds each")
    args = parser.parse_args()
    rounds = [one_round(args.pool) for _ in range(args.rounds)]
    best = {name: min(r[name] for r in rounds) for name in KINDS}
    print(f"Marketo lead database, {args.pool:,} leads held, {BATCHES} batches of {BATCH} "
          f"per kind, best of {args.rounds} rounds (process time, µs a lead):")
    for name in KINDS:
        print(f"  {name:7s} {best[name]:6.2f} µs   {best[name] / best['resend']:4.2f}x the resend")
    print(f"a created lead costs {best['create'] / best['change']:.2f}x a lead whose field "
          "changes")


if __name__ == "__main__":
    main()
