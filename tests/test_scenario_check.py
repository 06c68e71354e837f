"""`vendorsim check` as a user meets it (issue 22): every mistake of a file in one pass,
sorted by line; YAML read with 1.2 semantics (merge keys work, `NO` is text); data files'
mistakes at the data file's own line; files too large or too expanded refused in bounded
time and memory."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.scenario.loader import load_scenario

ROOT = Path(__file__).parent.parent
DEMO = (ROOT / "fixtures" / "scenarios" / "demo.yaml").read_text()


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(capsys: pytest.CaptureFixture, path: Path) -> list[str]:
    assert vendorsim(["check", str(path)]) == 2
    return capsys.readouterr().err.splitlines()


def test_every_mistake_of_a_file_in_one_pass_sorted_by_line(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    text = DEMO.replace("sync_type: audience_and_profile", "sync_type: audience_and_profil") \
        .replace("at: +1h,", "at: +1x,") \
        .replace("{personId: P3,", "{personId: P2,") \
        .replace("in: [VP, C-Level]", "in: [VP, CXO]") \
        .replace("    partition: EMEA\n", "    partition: APAC\n")
    found = problems(capsys, write(tmp_path, text))
    lines = [int(line.split(":")[1]) for line in found]
    assert lines == sorted(lines) and len(found) >= 4, found
    joined = "\n".join(found)
    for words in ("audience_and_profil", "'+1x' is not a duration", "'P2' is used twice",
                  "seniority 'CXO'"):
        assert words in joined, (words, joined)


def test_merge_keys_and_yaml_12_scalars(tmp_path: Path) -> None:
    text = DEMO.replace(
        "    - {personId: P1, email: ana@acme.example, firstName: Ana, lastName: Silva, "
        "seniority: VP}",
        "    - &ana {personId: P1, email: ana@acme.example, firstName: Ana, lastName: Silva, "
        "seniority: VP, country: NO, code: 017}\n"
        "    - {<<: *ana, personId: P9, email: nine@acme.example}")
    loaded = load_scenario(write(tmp_path, text))
    people = {p["personId"]: p for p in loaded.scenario.data.people}  # type: ignore[union-attr]
    assert people["P9"]["firstName"] == "Ana" and people["P9"]["email"] == "nine@acme.example"
    assert people["P1"]["country"] == "NO" and people["P1"]["code"] == 17


def test_a_data_file_mistake_is_reported_at_its_own_line(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    doc = yaml.safe_load(DEMO)
    people = doc["data"]["people"]
    lines = [json.dumps(p) for p in people]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"email": "no-id@x.example"}))
    (tmp_path / "people.jsonl").write_text("\n".join(lines) + "\n")
    doc["data"]["people"] = {"file": "people.jsonl"}
    found = problems(capsys, write(tmp_path, yaml.safe_dump(doc, sort_keys=False)))
    data_file = str((tmp_path / "people.jsonl").resolve())
    assert any(line.startswith(f"{data_file}:3: not JSON") for line in found), found
    assert any(line.startswith(f"{data_file}:5:") and "no personId" in line for line in found)


def test_a_csv_row_with_more_cells_than_columns(tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    doc = yaml.safe_load(DEMO)
    (tmp_path / "people.csv").write_text(
        "personId,email,firstName,lastName,seniority\n"
        "P1,ana@acme.example,Ana,Silva,VP\nP2,bo@globex.example,Bo,Li,VP,extra\n")
    doc["data"]["people"] = {"file": "people.csv"}
    found = problems(capsys, write(tmp_path, yaml.safe_dump(doc, sort_keys=False)))
    assert any(":3: more cells than the header" in line for line in found), found


def _bounded() -> None:  # in the child: 1 GiB of address space, 60 s of CPU
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def test_a_3_gb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: takes no disk
        handle.truncate(3 * 1024**3)
    for command in ("check", "run"):
        done = subprocess.run([sys.executable, "-m", "vendorsim.simulator.cli", command,
                               str(path)], capture_output=True, text=True, timeout=60,
                              preexec_fn=_bounded)
        assert done.returncode == 2 and "larger than 20 MB" in done.stderr, done.stderr
        assert f"{path}:1:" in done.stderr


def test_a_2_mb_scenario_checks_and_runs_in_bounded_time_and_memory(tmp_path: Path) -> None:
    doc = yaml.safe_load(DEMO)
    doc["data"]["people"] = [
        {"personId": f"P{n}", "email": f"p{n}@acme.example", "firstName": "P",
         "lastName": f"N{n}", "seniority": ("VP", "Manager", "C-Level")[n % 3],
         "title": "Head of something"} for n in range(16_000)]
    doc["timeline"] = doc["timeline"][:1]
    doc["expectations"] = {}
    path = write(tmp_path, yaml.safe_dump(doc, sort_keys=False))
    assert path.stat().st_size > 2 * 1024**2
    for command in ("check", "run"):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "vendorsim.simulator.cli", command,
                               str(path)], capture_output=True, text=True, timeout=120,
                              preexec_fn=_bounded)
        assert done.returncode == 0, done.stderr[-2000:]
        assert time.monotonic() - started < 120
