"""Benchmark: `vendorsim check` of a data file with a mistake on every line (issue 33: 200,000
mistakes took over 20 s, and printed every one).

Measured against a floor taken in the same run: reading the same file and parsing each line
as JSON, which any check must do. The ratio says what finding, placing and reporting the
mistakes costs on top (the report shows 50 and counts the rest).

    python benchmarks/check_errors.py [--records 200000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import tempfile
import time
from pathlib import Path

from vendorsim.simulator.cli import main as vendorsim


def floor(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        found = sum(1 for line in handle if "personId" not in json.loads(line))
    assert found
    return time.perf_counter() - started


def check(scenario: Path) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert vendorsim(["check", str(scenario)]) == 2
    took = time.perf_counter() - started
    assert len(err.getvalue().splitlines()) <= 51
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "people.jsonl"
        data.write_text("".join(json.dumps({"email": f"p{n}@acme.example"}) + "\n"
                                for n in range(args.records)))
        scenario = folder / "s.yaml"
        scenario.write_text("name: errors\ndata:\n  people: {file: people.jsonl}\n")
        floors = [floor(data) for _ in range(3)]
        checks = [check(scenario) for _ in range(3)]
    print(f"floor (read and parse each line): {min(floors):.2f} s")
    print(f"vendorsim check, {args.records:,} mistakes: {min(checks):.2f} s")
    print(f"ratio floor/check: {min(floors) / min(checks):.2f}")


if __name__ == "__main__":
    main()
