"""Load and check scenario files; every problem is `file:line: message` with a way to fix it.

YAML is parsed twice: once into data, once into nodes that remember their line, so that a
pydantic error's location (`destinations.0.sync_type`) becomes the line a person must edit.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .messages import plain_errors
from .model import FromFile, Scenario

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")

MAX_BYTES = 20 * 1024 * 1024  # a scenario file; data belongs in JSONL/CSV files beside it
MAX_DEPTH = 40  # YAML nesting; scenarios need about 8


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
    notes: list[Problem] = field(default_factory=list)  # advice that does not stop a run

    def resolve(self, name: str) -> Path:
        return (self.path.parent / name).resolve()


def load_scenario(path: str | Path) -> LoadedScenario:
    """Parse and validate; ScenarioError (never a traceback) when the file is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), 0, "", f"cannot read the file: {exc}")]) from None
    scenario, found = parse_with_notes(text, str(path), path.parent)
    return LoadedScenario(scenario, path, found)


class _Reader(yaml.SafeLoader):
    """PyYAML's safe loader, but a repeated key is an error (YAML says keys are unique;
    PyYAML keeps the last one silently) and a value that cannot be built says where."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                raise ScenarioError([Problem(self.name, key_node.start_mark.line + 1, "",
                                             "a key must be a plain name, not a list or "
                                             "mapping")])
            if key in seen:
                raise ScenarioError([Problem(
                    self.name, key_node.start_mark.line + 1, "",
                    f"'{key}' is given twice in this mapping (first on line {seen[key]}); "
                    "keep one")])
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep=deep)
        except (ScenarioError, yaml.YAMLError):
            raise
        except (ValueError, TypeError, OverflowError) as exc:
            text = str(exc).split("\n")[0][:120]
            raise ScenarioError([Problem(self.name, node.start_mark.line + 1, "",
                                         f"this value cannot be read ({text}); write it as "
                                         "plain text, a number or an ISO time")]) from None


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first node nested deeper than MAX_DEPTH (checked before anything is built)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    return None


def read_yaml(text: str, name: str) -> tuple[object, yaml.Node | None]:
    """The data and the node tree (for line numbers) of a YAML text; ScenarioError with a
    line for every way it can be unreadable."""
    if len(text) > MAX_BYTES:
        raise ScenarioError([Problem(name, 1, "", f"the file is larger than "
                                     f"{MAX_BYTES // 1048576} MB; put data in JSONL or CSV "
                                     "files beside it (data: people: {file: ...})")])
    loader = None
    try:
        loader = _Reader(text)  # rejects control characters already
        loader.name = name
        root = loader.get_single_node()
        if root is None:
            return None, None
        deep = _too_deep(root)
        if deep is not None:
            raise ScenarioError([Problem(name, deep.start_mark.line + 1, "",
                                         f"nested more than {MAX_DEPTH} levels deep; a "
                                         "scenario needs far fewer")])
        return loader.construct_document(root), root
    except yaml.MarkedYAMLError as exc:
        # an unclosed bracket or quote is noticed later; where it opened is what to fix
        opened = exc.context_mark if exc.context_mark and exc.problem_mark and \
            exc.context_mark.line < exc.problem_mark.line and "flow" in str(exc.context) \
            else None
        mark = opened or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ScenarioError([Problem(name, line, "", f"not valid YAML: {exc.problem}; "
                                     "check the indentation and quoting")]) from None
    except yaml.YAMLError as exc:  # e.g. control characters, which have a position too
        line = text.count("\n", 0, getattr(exc, "position", 0) or 0) + 1
        reason = getattr(exc, "reason", "") or str(exc).split("\n")[0]
        raise ScenarioError([Problem(name, line, "", f"not valid YAML: {reason}; remove "
                                     "control characters and NUL bytes")]) from None
    except RecursionError:
        raise ScenarioError([Problem(name, _deepest_line(text), "",
                                     f"nested more than {MAX_DEPTH} levels deep; a scenario "
                                     "needs far fewer")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _deepest_line(text: str) -> int:
    """Where nesting first passes MAX_DEPTH: brackets on one line, or indentation."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if (len(line) - len(line.lstrip(" "))) // 2 > MAX_DEPTH:
            return number
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > MAX_DEPTH:
                return number
    return 1


def _last_line(text: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    return lines[-1] if lines else 1


def parse_scenario(text: str, name: str = "<scenario>", base: Path | None = None) -> Scenario:
    """Parse and check a scenario text; ScenarioError (never a traceback) when it is wrong.
    `base` is where its data files are (None: files are not read)."""
    return parse_with_notes(text, name, base)[0]


def parse_with_notes(text: str, name: str = "<scenario>",
                     base: Path | None = None) -> tuple[Scenario, list[Problem]]:
    data, root = read_yaml(text, name)
    if not isinstance(data, dict):
        line = root.start_mark.line + 1 if root is not None else _last_line(text)
        raise ScenarioError([Problem(name, line, "", "a scenario is a mapping of settings "
                                     "(name:, audiences:, destinations:, ...)")])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(name, _line_of(root, list(loc)), ".".join(str(p) for p in loc),
                            text) for loc, text in plain_errors(exc, data)]
        raise ScenarioError(sorted(problems, key=lambda p: p.line)) from None
    from .semantics import review  # rules between settings, with their lines

    def located(found: list[tuple[tuple, str]]) -> list[Problem]:
        return [Problem(name, _line_of(root, list(loc)), ".".join(str(p) for p in loc), text)
                for loc, text in found]

    problems, notes = review(scenario, data, base)
    if problems:
        raise ScenarioError(sorted(located(problems), key=lambda p: p.line))
    return scenario, located(notes)


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


def records_in(path: Path) -> list[dict[str, Any]]:
    """The records of a CSV (header row) or JSONL file; OSError/ValueError when unreadable."""
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def read_records(loaded: LoadedScenario, source: list[dict[str, Any]] | FromFile,
                 what: str) -> list[dict[str, Any]]:
    """Inline records, or those of a JSONL/CSV file next to the scenario."""
    if not isinstance(source, FromFile):
        return source
    path = loaded.resolve(source.file)
    try:
        return records_in(path)
    except (OSError, ValueError) as exc:
        raise ScenarioError([Problem(str(loaded.path), 0, f"data.{what}",
                                     f"cannot read {path}: {exc}")]) from None
