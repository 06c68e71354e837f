"""Load and check scenario files; every problem is `file:line: message` with a way to fix it.

YAML is parsed twice: once into data, once into nodes that remember their line, so that a
pydantic error's location (`destinations.0.sync_type`) becomes the line a person must edit.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .model import FromFile, Scenario

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")

HINTS = {
    "missing": "add it",
    "extra_forbidden": "not a setting here: check its spelling against "
                       "simulator/scenario/scenario.schema.json",
    "literal_error": "use one of the values listed",
    "string_pattern_mismatch": "write it in the expected form",
    "union_tag_invalid": "set 'type' to one of the values listed",
}


@dataclass
class Problem:
    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"{self.file}:{self.line}:{where} {self.message}"


class ScenarioError(Exception):
    """A scenario file that cannot run; `problems` says where and how to fix each."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LoadedScenario:
    scenario: Scenario
    path: Path

    def resolve(self, name: str) -> Path:
        return (self.path.parent / name).resolve()


def load_scenario(path: str | Path) -> LoadedScenario:
    """Parse and validate; ScenarioError (never a traceback) when the file is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), 0, "", f"cannot read the file: {exc}")]) from None
    return LoadedScenario(parse_scenario(text, str(path)), path)


def parse_scenario(text: str, name: str = "<scenario>") -> Scenario:
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ScenarioError([Problem(name, line, "", f"not valid YAML: {exc.problem}; "
                                     "check the indentation and quoting")]) from None
    if not isinstance(data, dict):
        raise ScenarioError([Problem(name, 1, "", "a scenario is a mapping of settings "
                                     "(name:, audiences:, destinations:, ...)")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = list(error["loc"])
            if error["type"] == "union_tag_invalid":  # point at the `type:` line itself
                loc.append(str(error.get("ctx", {}).get("discriminator", "type")).strip("'"))
            line = _line_of(root, loc)
            where = ".".join(str(p) for p in loc)
            hint = HINTS.get(error["type"], "")
            message = error["msg"] + (f"; {hint}" if hint else "")
            problems.append(Problem(name, line, where, message))
        raise ScenarioError(problems) from None


def _line_of(node: yaml.Node | None, loc: list) -> int:
    """The line of the deepest node the error location reaches (1-based)."""
    best = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    best = key.start_mark.line + 1
                    node = value
                    break
            else:
                continue  # a union tag or a model name: not in the file
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
            best = node.start_mark.line + 1
        else:
            break
    return best


def schema() -> dict:
    """The JSON Schema of scenario files (shipped as scenario.schema.json)."""
    return Scenario.model_json_schema(by_alias=True)


def read_records(loaded: LoadedScenario, source: list[dict[str, Any]] | FromFile,
                 what: str) -> list[dict[str, Any]]:
    """Inline records, or those of a JSONL/CSV file next to the scenario."""
    if not isinstance(source, FromFile):
        return source
    path = loaded.resolve(source.file)
    try:
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                return list(csv.DictReader(handle))
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except (OSError, ValueError) as exc:
        raise ScenarioError([Problem(str(loaded.path), 0, f"data.{what}",
                                     f"cannot read {path}: {exc}")]) from None
