"""benchmarks/speed.py in its quick mode: it runs and reports every row of issue 34's table.

A smoke test, no timing asserted (speed belongs to the benchmark, not the suite): the servers
it starts listen on 127.0.0.1, every loop is bounded by a count; moto_server is left out here
(installing it from PyPI is the benchmark's full mode's business).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_quick_run_reports_every_row(tmp_path: Path) -> None:
    out = tmp_path / "speed.json"
    run = subprocess.run([sys.executable, "benchmarks/speed.py", "--quick", "--no-moto",
                          "--json", str(out)], cwd=ROOT, capture_output=True, text=True,
                         timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["mode"] == "quick"
    what = [row["what"] for row in report["rows"]]
    expected = ["8 connections", "16 connections", "64 connections", "moto_server",
                "day of Marketo traffic at quota", "profiles activated", "900 leads held",
                "3,000 leads held", "9,000 leads held", "soak"]
    assert len(what) == len(expected)
    for row, part in zip(what, expected, strict=True):
        assert part in row
    for row in report["rows"]:
        assert row["result"] and row["verdict"] == "–"  # no verdicts on toy sizes
        if "moto_server" in row["what"]:
            assert row["value"] is None and "--no-moto" in row["result"]
        elif "profiles activated" in row["what"]:
            assert row["seconds"] > 0
        else:
            assert row["value"] > 0
    table = run.stdout
    assert table.count("\n| ") == len(expected) + 1  # the header and one line per row
    assert "written to" in table
