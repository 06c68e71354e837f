"""The mutation generator (issue 33): every example and fixture scenario, broken on purpose in
the ways users break them, must be refused by `vendorsim check` with a `file:line: message`
at the mistake's own line. Unlike the fuzzer (test_scenario_fuzz.py: no traceback, whatever
the input), each mutation here is a known mistake, so the oracle is the refusal itself:

- a one-edit typo of a key the file's model or the vendor's seed shape checks (every such
  key of every file, and random ones): refused at the typo's line, naming it;
- a value of a kind its setting does not take, at any depth (a probe of the setting's own
  type says it is wrong): refused at that value;
- a reference to nothing (an audience, dataflow, person, account, source, instance, tenant,
  list, partition, identity that no part of the file has): refused at the reference;
- YAML: the same data in another style, with aliases, or with an explicit document start
  checks the same; a second document, a Python tag, a tab, an unclosed bracket are refused;
- data files: thousands of broken records (bounded output), a sparse tail, a record nested
  absurdly deep, a U+2028 inside a value before a mistake: each at its own line.

CI runs VENDORSIM_MUTATIONS examples (default 200) of the random part, the same ones every
time; VENDORSIM_MUTATIONS=3000 VENDORSIM_MUTATIONS_SEED=7 runs more, and others.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from vendorsim.mocks.cloud import Cloud
from vendorsim.mocks.core.seeds import Shape, model_at
from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.scenario import yaml12
from vendorsim.simulator.scenario.base import Strict
from vendorsim.simulator.scenario.loader import MAX_SHOWN
from vendorsim.simulator.scenario.messages import model_at as scenario_model_at
from vendorsim.simulator.scenario.model import Scenario

ROOT = Path(__file__).parent.parent
BASES = sorted((ROOT / "fixtures" / "scenarios").glob("*.yaml")) + \
    sorted((ROOT / "examples").glob("*.yaml"))
EXAMPLES = int(os.environ.get("VENDORSIM_MUTATIONS", "200"))
SEED = os.environ.get("VENDORSIM_MUTATIONS_SEED")
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?: \((?P<where>[^)]*)\))? (?P<text>.*)$")
NOTHING = "nothing-here-7"
WRONG = [1, 2.5, True, "text", [], {}, [1], {"a": 1}, None, ["x"], {"x": []}]
TENANT_KEYS = ("munchkin_id", "subdomain", "client_id")
SCENARIO_ONLY = {"munchkin_id", "subdomain", "client_id", "credentials", "limits", "api_tokens"}
REFERENCES = [  # where a name must name something else of the file
    ("destinations", "*", "audiences", "*"), ("destinations", "*", "partition"),
    ("timeline", "*", "destination"), ("timeline", "*", "audience"),
    ("timeline", "*", "person"), ("timeline", "*", "account"), ("timeline", "*", "source"),
    ("expectations", "marketo_leads", "*", "munchkin_id"),
    ("expectations", "list_members", "*", "tenant"),
    ("expectations", "list_members", "*", "list"),
    ("expectations", "drops", "*", "destination"),
    ("expectations", "refused", "*", "destination"), ("expectations", "refused", "*", "source"),
    ("audiences", "*", "members", "*"), ("faults", "*", "tenant"),
    ("sources", "*", "identity"), ("sources", "*", "data_extension"),
    ("sources", "*", "subdomain")]


def parsed(path: Path) -> dict:
    data, _ = yaml12.read(path.read_text(encoding="utf-8"), str(path))
    assert isinstance(data, dict)
    return data


PARSED = {path.name: parsed(path) for path in BASES}


# -- what the file's models check ------------------------------------------------------------
def _shapes(data: dict) -> dict[tuple, type[BaseModel]]:
    """The seed shape of each vendor item of a scenario, from the mocks themselves."""
    cloud, out = Cloud("virtual"), {}
    for vendor, items in (data.get("vendors") or {}).items():
        for i, item in enumerate(items):
            tenant = next(str(item[k]) for k in TENANT_KEYS if k in item)
            shape = getattr(cloud.service(vendor).new_backend(tenant), "seed_shape", None)
            if shape is not None:
                out[("vendors", vendor, i)] = shape
    return out


def keys_of(model: type[BaseModel]) -> set[str]:
    return {k for name, f in model.model_fields.items() for k in (name, f.alias) if k}


def checking(data: dict, loc: tuple, shapes: dict) -> type[BaseModel] | None:
    """The model that checks the keys of the object at `loc` (None: free keys there)."""
    model = scenario_model_at(Scenario, data, loc)
    if model is not None:
        return model if issubclass(model, Strict) else None
    if loc[:1] == ("vendors",) and len(loc) > 3 and loc[:3] in shapes and \
            loc[3] not in SCENARIO_ONLY:
        found = model_at(shapes[loc[:3]], loc[3:])
        return found if found is not None and issubclass(found, Shape) else None
    return None


def places(value: object, loc: tuple = ()) -> Iterator[tuple[tuple, object]]:
    yield loc, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from places(child, (*loc, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from places(child, (*loc, i))


def checked_keys(data: dict) -> list[tuple[tuple, type[BaseModel]]]:
    """(location of a key, the model checking it) for every checked key of the data."""
    shapes = _shapes(data)
    return [((*loc, key), model) for loc, value in places(data) if isinstance(value, dict)
            for model in [checking(data, loc, shapes)] if model is not None
            for key in value if isinstance(key, str) and key in keys_of(model)]


def get(data: Any, loc: tuple) -> Any:
    for part in loc:
        data = data[part]
    return data


def typo(key: str, op: int, at: int, char: str) -> str:
    """One edit: drop, double, replace or swap a character."""
    at = at % len(key)
    if op == 0 and len(key) > 1:
        return key[:at] + key[at + 1:]
    if op == 1:
        return key[:at] + char + key[at:]
    if op == 2:
        return key[:at] + (char if key[at] != char else "q") + key[at + 1:]
    if at + 1 < len(key) and key[at] != key[at + 1]:
        return key[:at] + key[at + 1] + key[at] + key[at + 2:]
    return key + char


def renamed(data: dict, loc: tuple, new: str) -> dict:
    """A copy of the data with the key at `loc` renamed in place (order kept)."""
    out = copy.deepcopy(data)
    parent = get(out, loc[:-1])
    items = list(parent.items())
    parent.clear()
    parent.update((new if k == loc[-1] else k, v) for k, v in items)
    return out


# -- writing a file and reading what check says -----------------------------------------------
def write(folder: Path, name: str, data: dict) -> tuple[Path, str]:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=10**6)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path, text


def lines_of(text: str, loc: tuple) -> range:
    """The lines of the key (or list item) at `loc` and its value, as PyYAML marks them."""
    node: Any = yaml.compose(text)
    first = last = 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            key, node = next((k, v) for k, v in node.value if k.value == str(part))
            first = key.start_mark.line + 1
        else:
            node = node.value[part]
            first = node.start_mark.line + 1
        last = max(first, node.end_mark.line + (0 if node.end_mark.column == 0 else 1))
    return range(first, last + 1)


def check(path: Path) -> tuple[int, list[tuple[str, int, str]], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = vendorsim(["check", str(path)])
    found = [(m["file"], int(m["line"]), m["text"]) for m in
             (PROBLEM.match(line) for line in err.getvalue().splitlines()) if m]
    return code, found, err.getvalue()


def refused_at(path: Path, lines: range, words: str = "", kind: str = "") -> None:
    code, found, said = check(path)
    assert code == 2, f"{path.name}: not refused:\n{path.read_text()[:3000]}\n{said}"
    assert "internal error" not in said and "Traceback" not in said, said
    here = [text for file, line, text in found if file == str(path) and line in lines]
    assert any(words in text for text in here), \
        f"{path.name}: nothing at lines {lines.start}-{lines.stop - 1} saying {words!r}:\n{said}"
    STATS[kind or "typo of every key"] = STATS.get(kind or "typo of every key", 0) + 1


# -- every checked key of every file, one typo each -------------------------------------------
def _every_key() -> list[tuple[str, tuple]]:
    seen: set[tuple] = set()
    out = []
    for name, data in PARSED.items():
        for loc, model in checked_keys(data):
            if (model, loc[-1]) not in seen:
                seen.add((model, loc[-1]))
                out.append((name, loc))
    return out


EVERY_KEY = _every_key()


def test_the_generator_reaches_the_keys_of_every_part() -> None:
    reached = {loc[0] for _, loc in EVERY_KEY if len(loc) > 1} | {"seed item"
                                                                  for _, loc in EVERY_KEY
                                                                  if len(loc) > 5}
    assert {"vendors", "data", "audiences", "destinations", "sources", "timeline",
            "expectations", "seed item"} <= reached, reached
    assert len(EVERY_KEY) >= 100


@pytest.mark.parametrize("name,loc", EVERY_KEY, ids=[f"{n}:{'.'.join(map(str, loc))}"
                                                      for n, loc in EVERY_KEY])
def test_a_typo_of_every_key_is_refused_at_its_line(tmp_path: Path, name: str,
                                                    loc: tuple) -> None:
    data = PARSED[name]
    valid = keys_of(checking(data, loc[:-1], _shapes(data)) or Strict) | set(get(data, loc[:-1]))
    wrong = next(t for t in (typo(loc[-1], op, at, "x") for op in (3, 0, 2, 1)
                             for at in range(len(loc[-1]))) if t not in valid)
    path, text = write(tmp_path, name, renamed(data, loc, wrong))
    where = lines_of(text, (*loc[:-1], wrong))
    if loc[-1] == "type":  # a tagged item without its tag: refused at the item
        refused_at(path, range(lines_of(text, loc[:-1]).start, where.stop), "")
    else:
        refused_at(path, where, f"'{wrong}'")


# -- random mistakes ------------------------------------------------------------------------------
class ProbeBase(Strict):
    """A setting's own type, alone (no docstrings to read: the probes have no source)."""

    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=False)


def _wrong_kind(draw: st.DrawFn, data: dict, folder: Path, name: str) -> None:
    """A value of a kind its setting does not take, at any depth."""
    spots = [(loc, model) for loc, model in checked_keys(data)
             if issubclass(model, Strict)]  # a seed item's values are the mock's to check
    loc, model = draw(st.sampled_from(spots))
    name, field = next((n, f) for n, f in model.model_fields.items() if loc[-1] in (n, f.alias))
    probe = create_model("Probe", __base__=ProbeBase, **{name: (field.annotation,
                                                                copy.copy(field))})
    wrong = [v for v in WRONG if not _takes(probe, loc[-1], v)]
    if not wrong:
        return
    value = draw(st.sampled_from(wrong))
    mutated = copy.deepcopy(data)
    get(mutated, loc[:-1])[loc[-1]] = value
    path, text = write(folder, name, mutated)
    refused_at(path, lines_of(text, loc), kind="wrong kind")


def _takes(probe: type[BaseModel], key: str, value: object) -> bool:
    try:
        probe.model_validate({key: value})
        return True
    except ValidationError:
        return False


def _reference(draw: st.DrawFn, data: dict, folder: Path, name: str) -> None:
    """A name that names nothing in the file."""
    found = [loc for loc, value in places(data) if isinstance(value, str) and any(
        len(p) == len(loc) and all(a in ("*", b) or a == "*" and isinstance(b, int)
                                   for a, b in zip(p, loc, strict=True)) for p in REFERENCES)]
    refused_sources = {e.get("source") for e in (data.get("expectations") or {}).get(
        "refused", [])}
    found = [loc for loc in found if not (
        loc[0] == "sources" and loc[-1] in ("data_extension", "subdomain")
        and data["sources"][loc[1]].get("id") in refused_sources)
        and not (loc[0] == "audiences" and data["audiences"][loc[1]].get("type") == "account"
                 and any(s.get("account_mapping") for s in data.get("sources") or []))]
    if not found:
        return
    loc = draw(st.sampled_from(found))
    mutated = copy.deepcopy(data)
    get(mutated, loc[:-1])[loc[-1]] = NOTHING
    path, text = write(folder, name, mutated)
    refused_at(path, lines_of(text, loc), NOTHING, "reference")


def _random_typo(draw: st.DrawFn, data: dict, folder: Path, name: str) -> None:
    loc, model = draw(st.sampled_from([(loc, m) for loc, m in checked_keys(data)
                                       if loc[-1] != "type"]))
    wrong = typo(loc[-1], draw(st.integers(0, 3)), draw(st.integers(0, 40)),
                 draw(st.sampled_from("aeiostx_")))
    if wrong in keys_of(model) | set(get(data, loc[:-1])):
        return  # another setting's name, not a mistake
    path, text = write(folder, name, renamed(data, loc, wrong))
    refused_at(path, lines_of(text, (*loc[:-1], wrong)), f"'{wrong}'", "typo")


def _yaml_feature(draw: st.DrawFn, data: dict, folder: Path, name: str) -> None:
    base_code = check(write(folder, name, data)[0])[0]
    style = draw(st.sampled_from(["flow", "aliases", "explicit", "second document",
                                  "python tag", "tab", "unclosed"]))
    mutated = copy.deepcopy(data)
    if style == "aliases":  # shared values: the dumper writes &id001 ... *id001
        lists = [v for _, v in places(mutated) if isinstance(v, dict) and "mappings" in v]
        for later in lists[1:]:
            if later.get("type") == lists[0].get("type"):
                later["mappings"] = lists[0]["mappings"]
    text = yaml.safe_dump(mutated, sort_keys=False, allow_unicode=True, width=10**6,
                          default_flow_style=style == "flow",
                          explicit_start=style == "explicit")
    if style == "second document":
        text += "---\nname: another\n"
    elif style == "python tag":
        text = text.replace("name: ", "name: !!python/name:os.system ", 1)
    elif style == "tab":  # a tab indenting a key (inside a quoted value it would be text)
        text = re.sub(r"\n  (?=[A-Za-z_][\w-]*:)", "\n\t", text, count=1)
    elif style == "unclosed":
        text = text.replace("name: ", "name: [", 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    code, found, said = check(path)
    if style in ("flow", "aliases", "explicit"):
        assert code == base_code, f"{style}: {code} != {base_code}\n{said}\n{text[:2000]}"
    elif style != "tab" or "\t" in text:
        assert code == 2 and found and all(1 <= line <= text.count("\n") + 1
                                           for _, line, _ in found), said
    STATS[f"yaml {style}"] = STATS.get(f"yaml {style}", 0) + 1


def _data_file(draw: st.DrawFn, data: dict, folder: Path, name: str) -> None:
    people = (data.get("data") or {}).get("people")
    if not isinstance(people, list) or not people:
        return
    kind = draw(st.sampled_from(["many", "sparse", "deep", "separator"]))
    rows = [json.dumps(p, default=str, ensure_ascii=False) for p in people]
    first = len(rows) + 1
    if kind == "many":
        rows += [json.dumps({"email": f"x{n}@x.example"}) for n in range(
            draw(st.sampled_from([1, MAX_SHOWN + 1, 5000])))]
        words = "no personId"
    elif kind == "deep":
        rows.append("[" * 5000 + "]" * 5000)
        words = ""
    elif kind == "separator":
        rows[-1] = rows[-1].replace("@", "\u2028@", 1)  # a value with U+2028, then a mistake
        rows.append("{broken")
        words = "not JSON"
    data_path = folder / "people.jsonl"
    data_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    if kind == "sparse":
        with data_path.open("ab") as handle:
            handle.truncate(data_path.stat().st_size + 4 * 1024**2)
        words = "longer than"
    mutated = copy.deepcopy(data)
    mutated["data"]["people"] = {"file": "people.jsonl"}
    path, _ = write(folder, name, mutated)
    code, found, said = check(path)
    assert code == 2 and "internal error" not in said, said
    mine = [(line, text) for file, line, text in found if file == str(data_path)]
    assert mine and mine[0][0] == first and words in mine[0][1], said[:3000]
    assert len(mine) <= MAX_SHOWN + 1, len(mine)
    STATS[f"data file {kind}"] = STATS.get(f"data file {kind}", 0) + 1


STATS: dict[str, int] = {}  # mistakes checked, by kind (printed at the end of the module)


@pytest.fixture(scope="module", autouse=True)
def _report_stats() -> Iterator[None]:
    yield
    if STATS:
        print("\nmutations refused:", ", ".join(f"{k} {v}" for k, v in sorted(STATS.items())))


KINDS = {"wrong kind": _wrong_kind, "reference": _reference, "typo": _random_typo,
         "yaml": _yaml_feature, "data file": _data_file}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=SEED is None, database=None,
          phases=[Phase.generate], suppress_health_check=list(HealthCheck))
@seed(int(SEED or 0))
@given(st.data())
def test_random_mistakes_are_refused_at_their_line(tmp_path_factory: pytest.TempPathFactory,
                                                   data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(PARSED)))
    kind = data.draw(st.sampled_from(sorted(KINDS)))
    KINDS[kind](data.draw, PARSED[name], tmp_path_factory.mktemp("mutation"), name)
