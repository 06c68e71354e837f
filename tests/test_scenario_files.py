"""Scenario files: the fixtures validate; a wrong file fails with file, line and a fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.scenario.loader import (
    SCHEMA_PATH,
    ScenarioError,
    load_scenario,
    parse_scenario,
    read_records,
    schema,
)
from vendorsim.simulator.scenario.model import FromFile, parse_offset

FIXTURES = sorted(Path(__file__).parent.parent.joinpath("fixtures", "scenarios").glob("*.yaml"))

GOOD = """\
name: t
audiences:
  - {id: a, name: A, all: [{attribute: person.seniority, in: [VP]}]}
destinations:
  - id: m
    type: marketo
    munchkin_id: 123-ABC-456
    sync_type: profile_only
    audiences: [a]
"""


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_scenarios_validate(path: Path) -> None:
    loaded = load_scenario(path)
    assert loaded.scenario.name


def problems_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    return [(p.line, str(p)) for p in caught.value.problems]


def test_a_good_file() -> None:
    scenario = parse_scenario(GOOD)
    assert scenario.destinations[0].sync_type == "profile_only"
    assert scenario.audiences[0].all[0].in_ == ["VP"]


@pytest.mark.parametrize(("change", "line", "words"), [
    (("sync_type: profile_only", "sync_type: profile_and_list"), 8, "'audience_only'"),
    (("munchkin_id: 123-ABC-456", "munchkin_id: 12-ABC-456"), 7, "NNN-AAA-NNN"),
    (("type: marketo", "type: hubspot"), 6, "'marketo'"),
    (("    audiences: [a]", "    audiences: [a]\n    colour: red"), 10, "not a setting here"),
    (("name: t\n", "name: t\nstart: yesterday\n"), 2, "expected a time"),
])
def test_each_problem_names_its_line_and_a_fix(change: tuple[str, str], line: int,
                                              words: str) -> None:
    found = problems_of(GOOD.replace(*change))
    assert [n for n, _ in found] == [line], found
    assert words in found[0][1] and found[0][1].startswith(f"s.yaml:{line}:")


def test_missing_setting() -> None:
    found = problems_of(GOOD.replace("    sync_type: profile_only\n", ""))
    assert found[0][0] == 5 and "sync_type" in found[0][1] and "add it" in found[0][1]


def test_unknown_audience_and_repeated_ids() -> None:
    assert "unknown audience 'ghost'" in problems_of(GOOD.replace("[a]", "[ghost]"))[0][1]
    twice = GOOD + "  - {id: m, type: bombora, client_id: c}\n"
    assert "the id 'm' is used twice" in problems_of(twice)[0][1]


def test_yaml_syntax_errors_have_a_line() -> None:
    found = problems_of("name: t\naudiences:\n  - {id: a, name: [unclosed\n")
    assert found[0][0] >= 3 and "not valid YAML" in found[0][1]


def test_not_a_mapping() -> None:
    assert "a scenario is a mapping" in problems_of("- just\n- a list\n")[0][1]


def test_timeline_offsets() -> None:
    assert parse_offset("+90s") == 90 and parse_offset("2h") == 7200
    assert parse_offset("1d") == 86400 and parse_offset(5) == 5.0
    found = problems_of(GOOD + "timeline:\n  - {at: soon, action: advance}\n")
    assert found[0][0] == 11 and "not a duration" in found[0][1]


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


def test_records_from_files(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(GOOD)
    (tmp_path / "people.jsonl").write_text('{"personId": "P1"}\n{"personId": "P2"}\n')
    (tmp_path / "accounts.csv").write_text("accountId,domain\nA1,acme.com\n")
    loaded = load_scenario(tmp_path / "s.yaml")
    assert len(read_records(loaded, FromFile(file="people.jsonl"), "people")) == 2
    assert read_records(loaded, FromFile(file="accounts.csv"), "accounts") == [
        {"accountId": "A1", "domain": "acme.com"}]
    with pytest.raises(ScenarioError, match="cannot read"):
        read_records(loaded, FromFile(file="nope.jsonl"), "people")


def test_shipped_schema_is_current() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == schema(), \
        "regenerate: vendorsim check --schema > simulator/scenario/scenario.schema.json"


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD)
    bad.write_text(GOOD.replace("profile_only", "sometimes"))
    assert vendorsim(["check", str(good)]) == 0
    assert vendorsim(["check", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:8:" in err and "Traceback" not in err
