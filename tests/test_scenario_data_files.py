"""Data files and budgets as users meet them (issue 33): a symbolic link loop, a data file
with a mistake on each of 300,000 lines, a line break that is not one (U+2028, NEL inside a
JSON string), JSONL nested absurdly deep, a sparse 1.5 GB file, and data beyond the memory
a replay may take: each is one plain `file:line: message`, in bounded output, time and
memory, never an internal error; and `run` reads a data file exactly as `check` did."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.scenario.loader import MAX_SHOWN

ROOT = Path(__file__).parent.parent
DEMO = yaml.safe_load((ROOT / "fixtures" / "scenarios" / "demo.yaml").read_text())


PEOPLE = [json.dumps(p, ensure_ascii=False) for p in DEMO["data"]["people"]]  # lines 1-4


def scenario(tmp_path: Path, people: str) -> Path:
    """The demo with its people in the data file `people`, and nothing expected of them."""
    doc = dict(DEMO, data={"people": {"file": people}}, expectations={})
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def people_file(tmp_path: Path, *more: str) -> Path:
    """The demo's four people as JSONL, then `more` lines (from line 5)."""
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join([*PEOPLE, *more]) + "\n", encoding="utf-8")
    return path


def file_line(path: Path) -> int:
    return next(n for n, text in enumerate(path.read_text().split("\n"), 1) if "file:" in text)


def cli(*args: str) -> tuple[int, str]:
    """`vendorsim ...` in a process of 1 GiB and 60 s of CPU: (exit code, stderr)."""
    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    env = {k: v for k, v in os.environ.items() if k != "VENDORSIM_MEMORY_BUDGET"}
    done = subprocess.run([sys.executable, "-m", "vendorsim.simulator.cli", *args],
                          capture_output=True, text=True, timeout=180, preexec_fn=bounded,
                          env=env)
    return done.returncode, done.stderr


def test_a_symbolic_link_loop_is_a_plain_problem(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.jsonl").symlink_to(tmp_path / "b.jsonl")
    (tmp_path / "b.jsonl").symlink_to(tmp_path / "a.jsonl")
    path = scenario(tmp_path, "a.jsonl")
    for command in ("check", "run"):
        assert vendorsim([command, str(path)]) == 2
        err = capsys.readouterr().err
        assert f"{path}:{file_line(path)}:" in err and "symbolic link loop" in err, err
        assert "internal error" not in err
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    assert vendorsim(["check", str(tmp_path / "loop.yaml")]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_300000_mistakes_print_a_bounded_report(tmp_path: Path) -> None:
    people = people_file(tmp_path, *(json.dumps({"email": f"p{n}@acme.example"})
                                      for n in range(300_000)))
    path = scenario(tmp_path, "people.jsonl")
    code, err = cli("check", str(path))
    lines = err.splitlines()
    assert code == 2 and len(lines) == MAX_SHOWN + 1, (len(lines), err[-2000:])
    assert all(line.startswith(f"{people}:") for line in lines)
    assert lines[0].startswith(f"{people}:5: this person has no personId")
    assert lines[-1] == (f"{people}:{MAX_SHOWN + 5}: and {300_000 - MAX_SHOWN:,} more problems "
                         f"in this file from this line on (the first {MAX_SHOWN} are shown); "
                         "fix these and check again")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_separator_inside_a_json_string_is_text_not_a_line_break(
        tmp_path: Path, separator: str, capsys: pytest.CaptureFixture) -> None:
    named = json.dumps({"personId": "P5", "email": "p5@acme.example",
                        "firstName": f"A{separator}B", "seniority": "VP"}, ensure_ascii=False)
    data = people_file(tmp_path, named, named.replace("P5", "P6"), "{broken")
    path = scenario(tmp_path, "people.jsonl")
    assert vendorsim(["check", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"{data}:7: not JSON")
    people_file(tmp_path, named, named.replace("P5", "P6"))
    for command in ("check", "run"):  # run reads the file as check did
        assert vendorsim([command, str(path)]) == 0, capsys.readouterr()
    assert "not JSON" not in capsys.readouterr().err


@pytest.mark.parametrize("line", ["[" * 100_000 + "]" * 100_000,
                                  json.dumps(json.loads('{"a":' * 40 + "1" + "}" * 40))])
def test_absurdly_deep_jsonl_is_a_plain_problem(tmp_path: Path, line: str,
                                                capsys: pytest.CaptureFixture) -> None:
    data = people_file(tmp_path, line)
    path = scenario(tmp_path, "people.jsonl")
    assert vendorsim(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{data}:5: ") and ("nested more than 32 levels" in err
                                             or "each line is one JSON object" in err), err


def test_a_sparse_1_5_gb_file_is_refused_unread(tmp_path: Path) -> None:
    with (tmp_path / "people.jsonl").open("wb") as handle:  # sparse: takes no disk
        handle.truncate(3 * 1024**3 // 2)
    path = scenario(tmp_path, "people.jsonl")
    for command in ("check", "run"):
        code, err = cli(command, str(path))
        assert code == 2 and f"{path}:{file_line(path)}:" in err, err
        assert "would hold about 24.0 GiB in memory" in err and "internal error" not in err


def test_a_line_longer_than_a_record_stops_the_reading(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("VENDORSIM_MEMORY_BUDGET", "1TB")  # so the file is read
    data = people_file(tmp_path)
    with data.open("ab") as handle:
        handle.truncate(20 * 1024**2)  # then 20 MB of NUL bytes and no line break
    assert vendorsim(["check", str(scenario(tmp_path, "people.jsonl"))]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{data}:5: this line is longer than 1,048,576 characters"), err


def test_the_memory_budget_is_a_setting(tmp_path: Path, capsys: pytest.CaptureFixture,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    demo = ROOT / "fixtures" / "scenarios" / "demo.yaml"
    assert vendorsim(["check", str(demo), "--memory-budget", "10KB"]) == 2
    err = capsys.readouterr().err
    assert "4 inline records" in err and "more than its budget of 10.0 KiB (--memory-budget" \
        in err, err
    assert vendorsim(["run", str(demo), "--memory-budget", "lots"]) == 2
    assert "--memory-budget: 'lots' is not a memory size" in capsys.readouterr().err
    monkeypatch.setenv("VENDORSIM_MEMORY_BUDGET", "1KB")
    assert vendorsim(["check", str(demo)]) == 2
    assert "(VENDORSIM_MEMORY_BUDGET;" in capsys.readouterr().err
    monkeypatch.setenv("VENDORSIM_MEMORY_BUDGET", "-3")
    assert vendorsim(["check", str(demo)]) == 2
    assert "VENDORSIM_MEMORY_BUDGET: '-3' is not a memory size" in capsys.readouterr().err
