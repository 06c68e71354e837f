"""Load and check scenario files; every problem is `file:line: message` with a way to fix it.

YAML is read once into nodes that remember their line (`yaml12`: YAML 1.2 semantics, within
bounds) and built from them, so that a pydantic error's location (`destinations.0.sync_type`)
becomes the line a person must edit. Every problem of a file is reported in one pass.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yaml12
from .budget import Budget
from .model import FromFile, Scenario

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")

MAX_BYTES = 20 * 1024 * 1024  # a scenario file; data belongs in JSONL/CSV files beside it
MAX_SHOWN = 50  # problems shown per file; the rest are counted (a broken 300,000-line file)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f" ({one_line(self.where)})" if self.where else ""
        return f"{self.file}:{self.line}:{where} {one_line(self.message)}"


def one_line(text: str) -> str:
    """Text a user wrote, safe on one terminal line: line breaks, control and direction
    characters (which reorder or hide what follows) shown as escapes."""
    if text.isprintable():  # the common case, in C: no character below needs an escape
        return text
    return "".join(c if c == " " or unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp",
                                                                       "Cs", "Co", "Cn")
                   else f"\\u{ord(c):04x}" for c in text)


class ScenarioError(Exception):
    """A scenario file that cannot run; `problems` says where and how to fix each (all of
    them; the text shows the first MAX_SHOWN of each file and counts the rest)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(shown(problems)))


def shown(problems: list[Problem]) -> list[str]:
    """The lines to print: at most MAX_SHOWN problems of each file (they come grouped by
    file), then one line counting the others of that file, at the first of them."""
    out: list[str] = []
    counts: dict[str, int] = {}
    hidden: dict[str, list[int]] = {}  # file -> [where its count goes, first line, how many]
    for problem in problems:
        n = counts[problem.file] = counts.get(problem.file, 0) + 1
        if n <= MAX_SHOWN:
            out.append(str(problem))
            continue
        hidden.setdefault(problem.file, [len(out), problem.line, 0])[2] += 1
    for name, (at, first, many) in sorted(hidden.items(), key=lambda h: -h[1][0]):
        out.insert(at, f"{name}:{first}: and {many:,} more problems in this file from this "
                       f"line on (the first {MAX_SHOWN} are shown); fix these and check again")
    return out


@dataclass
class LoadedScenario:
    scenario: Scenario
    path: Path
    notes: list[Problem] = field(default_factory=list)  # advice that does not stop a run

    def resolve(self, name: str) -> Path:
        return (self.path.parent / name).resolve()


def load_scenario(path: str | Path, budget: Budget | None = None) -> LoadedScenario:
    """Parse and validate; ScenarioError (never a traceback) when the file is wrong, or when
    the replay would need more memory than `budget` (default: `Budget.default()`)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refused before a byte is read: a 3 GB file is no MemoryError
            raise ScenarioError([Problem(str(path), 1, "", _too_large())])
        with path.open("rb") as handle:
            text = handle.read(MAX_BYTES + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), 1, "", f"cannot read the file: {exc}")]) \
            from None
    scenario, found = parse_with_notes(text, str(path), path.parent, budget)
    return LoadedScenario(scenario, path, found)


def _too_large() -> str:
    return (f"the file is larger than {MAX_BYTES // 1048576} MB; put data in JSONL or CSV "
            "files beside it (data: people: {file: ...})")


def read_yaml(text: str, name: str) -> tuple[object, yaml.Node | None]:
    """The data and the node tree (for line numbers) of a YAML text, read with YAML 1.2
    semantics within bounds (`yaml12`); ScenarioError with a line for every problem."""
    if len(text) > MAX_BYTES:
        raise ScenarioError([Problem(name, 1, "", _too_large())])
    try:
        return yaml12.read(text, name)
    except yaml12.YamlProblem as exc:
        raise ScenarioError([Problem(name, exc.line, "", exc.message)]) from None
    except RecursionError:  # the pure-Python parser on absurd nesting
        raise ScenarioError([Problem(name, 1, "", f"nested more than {yaml12.MAX_DEPTH} "
                                     "levels deep; a scenario needs far fewer")]) from None


def _last_line(text: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    return lines[-1] if lines else 1


def parse_scenario(text: str, name: str = "<scenario>", base: Path | None = None) -> Scenario:
    """Parse and check a scenario text; ScenarioError (never a traceback) when it is wrong.
    `base` is where its data files are (None: files are not read)."""
    return parse_with_notes(text, name, base)[0]


def parse_with_notes(text: str, name: str = "<scenario>", base: Path | None = None,
                     budget: Budget | None = None) -> tuple[Scenario, list[Problem]]:
    """Every problem of a scenario in one pass, sorted by line: the settings' own (each
    setting checked on its own), then the rules between settings on what remains once the
    parts with a problem are set aside (a reference to a part set aside is not reported
    again). ScenarioError when there is any; else the scenario and its notes."""
    data, root = read_yaml(text, name)
    if not isinstance(data, dict):
        line = root.start_mark.line + 1 if root is not None else _last_line(text)
        raise ScenarioError([Problem(name, line, "", "a scenario is a mapping of settings "
                                     "(name:, audiences:, destinations:, ...)")])
    from .pruning import validate_what_can_be
    from .semantics import review  # rules between settings, with their lines

    validated = validate_what_can_be(data)
    scenario = validated.scenario

    def located(items: list[tuple[tuple, str]],
                to_file: Callable[[tuple], tuple] | None = None) -> list[Problem]:
        return [_locate(name, root, to_file(loc) if to_file and loc[:1] != ("@file",)
                        else loc, message) for loc, message in items]

    problems = located(validated.problems)
    notes: list[Problem] = []
    if scenario is not None:
        more, advice = review(scenario, validated.data, base, validated.set_aside, budget)
        problems += located(more, validated.to_file)
        notes = located(advice, validated.to_file)
    if problems or scenario is None:
        unique = list(dict.fromkeys(problems))
        raise ScenarioError(sorted(unique, key=lambda p: (p.file != name, p.file, p.line)))
    return scenario, notes


def _locate(name: str, root: yaml.Node | None, loc: tuple, message: str) -> Problem:
    """A problem at a place in the scenario, or (`("@file", path, line)`) in a data file."""
    if loc and loc[0] == "@file":
        return Problem(str(loc[1]), int(loc[2]), "", message)
    return Problem(name, _line_of(root, list(loc)), ".".join(str(p) for p in loc), message)


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
    """The records of a CSV (header row) or JSONL file, read as `vendorsim check` reads them;
    OSError/ValueError when unreadable."""
    from .records import file_records

    records = []
    for record, line, problem in file_records(path):
        if problem:
            raise ValueError(f"line {line}: {problem}")
        records.append(record)
    return records


def read_records(loaded: LoadedScenario, source: list[dict[str, Any]] | FromFile,
                 what: str) -> list[dict[str, Any]]:
    """Inline records, or those of a JSONL/CSV file next to the scenario."""
    if not isinstance(source, FromFile):
        return source
    path = loaded.resolve(source.file)
    try:
        return records_in(path)
    except (OSError, ValueError, RuntimeError, csv.Error) as exc:
        raise ScenarioError([Problem(str(loaded.path), 0, f"data.{what}",
                                     f"cannot read {path}: {exc}")]) from None
