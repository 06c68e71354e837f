"""`vendorsim verify` reports a reader can act on (issue 33): every field path whole at any
width (a CI log of 80 columns cut `result[].partitionDescription` to `result[].parti…`), and
cassette entries named by the line they start on, in YAML and JSON cassettes alike."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from vendorsim.simulator.drift.cassette import read_cassette
from vendorsim.simulator.drift.report import print_report

OWN = Path(__file__).parent / "drift" / "own_suite.yaml"
FIELD = "partitionDescriptionLongerThanAnyColumn"


def drifted(tmp_path: Path, suffix: str = ".yaml") -> tuple[Path, int]:
    """The user's own cassette with a field the mock does not send; the line of that entry."""
    doc = yaml.safe_load(OWN.read_text())
    answer = json.loads(doc["interactions"][1]["response"]["body"]["string"])
    answer["result"][0][FIELD] = "x"
    doc["interactions"][1]["response"]["body"]["string"] = json.dumps(answer)
    path = tmp_path / f"drifted{suffix}"
    if suffix == ".json":
        text = json.dumps(doc, indent=2)
        path.write_text(text)
        line = text.splitlines().index("    {", text.splitlines().index("    {") + 1) + 1
    else:
        text = yaml.safe_dump(doc, sort_keys=False, width=1000)
        path.write_text(text)
        line = [n for n, t in enumerate(text.splitlines(), 1) if t.startswith("- request")][1]
    return path, line


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_cassette_entries_are_named_by_their_line(tmp_path: Path, suffix: str) -> None:
    path, line = drifted(tmp_path, suffix)
    sources = [i.source for i in read_cassette(path)]
    assert sources[1] == f"{path.name}:{line}" and sources[0] != f"{path.name}:0", sources
    lines = path.read_text().splitlines()
    assert "request" in lines[line - 1] or lines[line - 1].strip() == "{", lines[line - 1]


def summary_with(path: str) -> dict:
    difference = {"class": "missing field", "path": path, "recorded": "string", "mock": "-",
                  "sources": ["drifted.yaml:14"]}
    return {"cassettes": ["drifted.yaml"], "calls": 2, "differences": 1, "allowed": 0,
            "drift": True, "operations": [
                {"vendor": "marketo", "operation": "GET /rest/v1/leads/partitions.json",
                 "calls": 1, "differences": [difference], "allowed": [], "expired": []}]}


@pytest.mark.parametrize("width", [40, 80, 120, 300])
@pytest.mark.parametrize("terminal", [True, False])
def test_every_field_path_is_whole_in_any_width(width: int, terminal: bool) -> None:
    path = f"result[].{FIELD}.nested[].deeper"
    out = io.StringIO()
    print_report(Console(file=out, width=width, force_terminal=terminal, color_system=None),
                 summary_with(path))
    text = out.getvalue()
    assert path in text, text
    assert "drifted.yaml:14" in text and "…" not in text, text


def test_vendorsim_verify_in_ci_says_which_field_drifted_and_where(tmp_path: Path) -> None:
    cassette, line = drifted(tmp_path)
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "vendorsim.simulator.cli", "verify",
                           str(cassette), "--json", str(report)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COLUMNS": "80"})
    assert done.returncode == 1, done.stderr
    assert f"result[].{FIELD}" in done.stdout and "…" not in done.stdout, done.stdout
    found = json.loads(report.read_text())["operations"]
    paths = {d["path"]: d["sources"] for op in found for d in op["differences"]}
    assert paths[f"result[].{FIELD}"] == [f"{cassette.name}:{line}"], paths
