"""Benchmark: the memory a replay holds per generated person and per event, the figures
`vendorsim check` estimates `data: generate:` with (simulator/scenario/budget.py).

Each size runs `vendorsim run` in its own process on a scenario that activates every
generated person to Marketo (the replay's profiles, events and the mock's leads all held at
once) and reads the process's peak resident memory; the slopes between sizes are the bytes
per person and per event (the intercept is the interpreter and the libraries).

    python benchmarks/memory_per_record.py [--people 4000] [--events 20]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

MUNCHKIN = "123-ABC-456"
CHILD = ("import resource, sys; from vendorsim.simulator.cli import main; code = "
         "main(sys.argv[1:]); print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF)"
         ".ru_maxrss, file=sys.stderr); sys.exit(code)")


def scenario(people: int, events: float) -> dict:
    return {"name": "memory per record",
            "data": {"generate": {"count": people, "seed": 1, "events_per_person": events}},
            "vendors": {"marketo": [{"munchkin_id": MUNCHKIN}]},
            "audiences": [{"id": "all", "name": "Everyone",
                           "all": [{"attribute": "person.email", "exists": True}]}],
            "destinations": [{"id": "m", "type": "marketo", "munchkin_id": MUNCHKIN,
                              "sync_type": "audience_and_profile",
                              "person_action": "update_existing_and_create_new",
                              "mappings": {"email": "person.email",
                                           "firstName": "person.firstName",
                                           "lastName": "person.lastName"},
                              "audiences": ["all"],
                              "delivery": {"policy": "lossless",
                                           "max_users_per_request": 300}}],
            "timeline": [{"at": "+0s", "action": "activate", "destination": "m",
                          "audience": "all"}]}


def peak(people: int, events: float, folder: Path, from_file: bool = False) -> int:
    """Peak resident bytes of one `vendorsim run` of the scenario."""
    doc = scenario(people, events)
    doc["vendors"]["marketo"][0]["limits"] = {"enabled": False}
    if from_file:  # the same people, read from a JSONL file beside the scenario
        subprocess.run([sys.executable, "-m", "vendorsim.simulator.cli", "generate", "--count",
                        str(people), "--seed", "1", "--out", str(folder / f"g{people}"),
                        "--force"], check=True, capture_output=True)
        doc["data"] = {"people": {"file": f"g{people}/people.jsonl"},
                       "accounts": {"file": f"g{people}/accounts.jsonl"}}
    path = folder / f"m{people}-{events}-{from_file}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    done = subprocess.run([sys.executable, "-c", CHILD, "run", str(path)],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr[-2000:])
    return int(done.stderr.rsplit("MAXRSS ", 1)[1]) * 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4000)
    parser.add_argument("--events", type=float, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = peak(args.people // 4, 0, folder)
        large = peak(args.people, 0, folder)
        eventful = peak(args.people, args.events, folder)
        filed = peak(args.people, 0, folder, from_file=True)
        size = sum(f.stat().st_size for f in (folder / f"g{args.people}").glob("*.jsonl"))
    per_person = (large - small) / (args.people - args.people // 4)
    per_event = (eventful - large) / (args.people * args.events)
    print(f"peak: {small / 2**20:.0f} MiB at {args.people // 4:,} people, "
          f"{large / 2**20:.0f} MiB at {args.people:,}, {eventful / 2**20:.0f} MiB with "
          f"{args.events:g} events each")
    print(f"per person: {per_person:,.0f} bytes; per event: {per_event:,.0f} bytes; the same "
          f"people from {size / 2**20:.1f} MiB of JSONL: {filed / 2**20:.0f} MiB peak, "
          f"{(filed - small) / size:.1f} bytes per byte of file above the smallest run")


if __name__ == "__main__":
    main()
