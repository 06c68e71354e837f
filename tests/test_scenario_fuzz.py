"""Generated broken scenarios (issue 22): a hand-written corpus tunes itself to the code, so
hypothesis mutates every fixture and example scenario the way users get them wrong — a value
of the wrong type, missing or extra settings, NaN and infinities, huge and negative numbers,
empty and enormous text, unicode, ids given twice, times out of order, values wrapped in lists,
YAML 1.1 traps, aliases and alias bombs, merge keys, broken data files — and runs `vendorsim
check` and, when it passes, `vendorsim run` on the result, in-process.

The bar: no traceback, no internal error (exit 3), nothing past its time budget, every refusal
of `check` as `file:line: message` with a real line, and a run that `check` passed either
runs (exit 0/1) or stops with one plain line (exit 2).

CI runs `VENDORSIM_SCENARIO_FUZZ` examples (default 200), the same ones every time; a longer
run, and another sequence: `VENDORSIM_SCENARIO_FUZZ=3000 VENDORSIM_SCENARIO_FUZZ_SEED=7
./dev test tests/test_scenario_fuzz.py`. A failing scenario is kept under build/fuzz/.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.scenario import yaml12

ROOT = Path(__file__).parent.parent
BASES = sorted((ROOT / "fixtures" / "scenarios").glob("*.yaml")) + \
    sorted((ROOT / "examples").glob("*.yaml"))
EXAMPLES = int(os.environ.get("VENDORSIM_SCENARIO_FUZZ", "200"))
SEED = os.environ.get("VENDORSIM_SCENARIO_FUZZ_SEED")  # another fixed run than the default
BUDGET = 30  # seconds a check plus a run may take before it counts as a hang
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?: \((?P<where>[^)]*)\))? \S")

ODD = [None, True, False, 0, -1, 1, 2**31, 2**63, -(2**63), 10**30, 1e308, -1e308,
       float("nan"), float("inf"), float("-inf"), 0.5, "", " ", "x" * 300,
       "ünïcødé ✓ \u202e\u0000", "NO", "yes", "1:30", "0o17", "017", "2199-12-31T00:00:00Z",
       "1969-07-20T20:17:00Z", "+1h", "-5m", "0s", "999999d", [], {}, [None], {"a": 1},
       ["x", "y"], "VP", "C-Level", "123-ABC-456", "P1", "A1", "Default", "EMEA"]
KEYS = ["id", "name", "type", "at", "action", "person", "account", "audience", "destination",
        "source", "by", "all", "members", "attribute", "equals", "in", "gte", "lte",
        "munchkin_id", "client_id", "partition", "count", "seed", "schedule", "personId",
        "accountId", "email", "error_code", "times", "tenant", "vendor", "connection",
        "daily_quota", "window_calls", "max_batch", "policy", "mappings", "file", "start"]


# values each a valid file may hold, chosen to drive a replay into its corners
PLAUSIBLE = {
    "window_calls": [1, 2, 5], "daily_quota": [1, 3, 50], "concurrent": [1, 2],
    "max_batch": [1, 2], "window_seconds": [0.001, 86400], "enabled": [False],
    "policy": ["best_effort", "configurable", "lossless"], "max_users_per_request": [1, 10000],
    "streaming_latency": ["0s", "1d"], "schedule": ["1m", "5m", "7d"], "backfill": ["0s", "7d"],
    "history": ["1d", "400d"], "at": ["+0s", "+1d", "+399d", "2026-01-05T09:00:00Z"],
    "by": ["0s", "30d"], "count": [0, 1, 2, 500], "times": [1, 50, 10**6],
    "error_code": ["606", "607", "615", "601", "602", "1003", "611", "invalid_client",
                   "50100", "10006"],
    "status": [401, 413, 429, 500, 503], "probability": [0.0, 0.5, 1.0],
    "connection": ["reset", "empty", "garbage", "truncated", "hang"], "drop": [1.0, 0.5],
    "latency": [0, 30, 600], "hang": [0, 600], "sync_type": ["audience_only", "profile_only"],
    "person_action": ["update_existing_only", None], "dedupe_field": ["email", "id", "title"],
    "legacy": [True], "origin": ["custom_upload"], "type": ["account", "people"],
    "kind": ["events"], "modified_column": [None], "partition": ["Default", None],
}
FAULTS = [{"error_code": "606", "times": 5}, {"error_code": "607", "times": 1},
          {"status": 503, "times": 3}, {"connection": "reset", "times": 2},
          {"connection": "hang", "hang": 90, "times": 1}, {"chaos": "mixed", "probability": 0.3,
                                                             "seed": 1},
          {"latency": 2, "latency_max": 9, "seed": 2}, {"drop": 0.5, "seed": 3},
          {"error_code": "601", "times": 4}, {"status": 429, "times": 10}]


def places(value: object, path: tuple = ()) -> Iterator[tuple]:
    """Every place in the data: the paths of all its nodes, the root included."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from places(child, (*path, index))


def get(value: object, path: tuple) -> object:
    for part in path:
        value = value[part]  # type: ignore[index]
    return value


def mutate(draw: st.DrawFn, data: dict) -> dict:
    """One structural mistake at a random place of a scenario's data."""
    spots = list(places(data))
    path = draw(st.sampled_from(spots))
    kind = draw(st.sampled_from(["replace", "replace", "delete", "add", "duplicate",
                                 "shuffle", "wrap", "typo", "plausible", "plausible", "fault"]))
    if kind == "fault":
        data.setdefault("faults", [])
        if isinstance(data["faults"], list):
            data["faults"].append(dict(draw(st.sampled_from(FAULTS))))
        return data
    if kind == "plausible":
        keyed = [p for p in spots if p and str(p[-1]) in PLAUSIBLE]
        if keyed:
            spot = draw(st.sampled_from(keyed))
            get(data, spot[:-1])[spot[-1]] = draw(  # type: ignore[index]
                st.sampled_from(PLAUSIBLE[str(spot[-1])]))
        return data
    if not path:
        return data
    parent, last = get(data, path[:-1]), path[-1]
    node = get(data, path)
    if kind == "replace":
        parent[last] = draw(st.sampled_from(ODD) | st.text(max_size=20)  # type: ignore
                            | st.integers(-(2**70), 2**70) | st.just("x" * 5000))
    elif kind == "delete":
        del parent[last]  # type: ignore[union-attr]
    elif kind == "add" and isinstance(node, dict):
        node[draw(st.sampled_from(KEYS) | st.text(string.ascii_letters, max_size=12))] = \
            draw(st.sampled_from(ODD))
    elif kind == "duplicate" and isinstance(node, list) and node:
        node.append(json.loads(json.dumps(draw(st.sampled_from(node)), default=str)))
    elif kind == "shuffle" and isinstance(node, list):
        node.reverse()
    elif kind == "wrap":
        parent[last] = [node]  # type: ignore[index]
    elif kind == "typo" and isinstance(parent, dict) and isinstance(last, str) and last:
        cut = draw(st.integers(0, len(last) - 1))
        parent[last[:cut] + last[cut + 1:] + draw(st.sampled_from(["", "s", "_"]))] = \
            parent.pop(last)
    return data


TEXT_MUTATIONS = [
    lambda t: t + "\nbomb: &b0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"b{n + 1}: &b{n + 1} [{', '.join([f'*b{n}'] * 10)}]\n" for n in range(7)),
    lambda t: t.replace("at: +", "at: 1:", 1),
    lambda t: t.replace(": true", ": yes", 1).replace(": false", ": NO", 1),
    lambda t: t + "\nextra: &base {a: 1}\nmerged: {<<: *base, b: 2}\n",
    lambda t: t.replace("  ", "\t", 1),
    lambda t: t + "\nname: twice\n",
    lambda t: t[: len(t) // 2],
    lambda t: t.replace("\n", "\n" + " " * 3, 1),
    lambda t: "%YAML 1.1\n---\n" + t,
    lambda t: t + "\n" + "n: [" * 60 + "]" * 60 + "\n",
]


def _with_data_file(draw: st.DrawFn, data: dict, folder: Path) -> dict:
    """Move the people into a JSONL file beside the scenario, a line of it broken maybe."""
    people = (data.get("data") or {}).get("people") if isinstance(data.get("data"), dict) \
        else None
    if not isinstance(people, list) or not people:
        return data
    lines = [json.dumps(p, default=str) for p in people]
    if draw(st.booleans()):
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = draw(st.sampled_from(["{", "[1, 2]", "null", '{"personId": [1]}',
                                             '{"email": "no-id@x.example"}', "",
                                             lines[0]]))
    (folder / "people.jsonl").write_text("\n".join(lines) + "\n")
    data["data"]["people"] = {"file": "people.jsonl"}
    return data


STATS: dict[str, int] = {}  # how far the examples got (printed at the end of the module)


@pytest.fixture(scope="module", autouse=True)
def _report_stats() -> Iterator[None]:
    yield
    if STATS:
        print("\nscenario fuzz:", ", ".join(f"{k} {v}" for k, v in sorted(STATS.items())))


class Hang(Exception):
    pass


def _alarm(*_: object) -> None:
    raise Hang(f"over {BUDGET} s")


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = vendorsim(list(args))
    return code, out.getvalue(), err.getvalue()


def _bases() -> list[tuple[Path, str, dict]]:
    found = []
    for path in BASES:
        text = path.read_text()
        data, _ = yaml12.read(text, str(path))
        found.append((path, text, data))  # type: ignore[arg-type]
    return found


PARSED = _bases()
KEPT = ROOT / "build" / "fuzz"  # a failing scenario is kept here, to rerun by hand


def keep(name: str, text: str) -> Path:
    KEPT.mkdir(parents=True, exist_ok=True)
    path = KEPT / f"{abs(hash(text)):x}-{name}"
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=EXAMPLES, deadline=None, derandomize=SEED is None, database=None,
          phases=[Phase.generate], suppress_health_check=list(HealthCheck))
@seed(int(SEED or 0))
@given(st.data())
def test_broken_scenarios_fail_plainly(tmp_path_factory: pytest.TempPathFactory,
                                      data: st.DataObject) -> None:
    base, text, parsed = PARSED[data.draw(st.integers(0, len(PARSED) - 1))]
    folder = tmp_path_factory.mktemp("fuzz")
    if data.draw(st.integers(0, 4)) == 0:
        text = data.draw(st.sampled_from(TEXT_MUTATIONS))(text)
    else:
        doc = json.loads(json.dumps(parsed, default=str))
        for _ in range(data.draw(st.integers(1, 3))):
            doc = mutate(data.draw, doc)
        if data.draw(st.integers(0, 5)) == 0:
            doc = _with_data_file(data.draw, doc, folder)
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    path = folder / base.name
    path.write_text(text, encoding="utf-8")
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(BUDGET)
    try:
        code, out, err = cli("check", str(path))
        ran = cli("run", str(path)) if code in (0, 1) else None
    except Hang:
        pytest.fail(f"hang on {keep(base.name, text)}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    def shown(more: str = "") -> str:  # only when failing: the scenario is kept
        return f"--- {base.name} mutated, kept as {keep(base.name, text)}; check said:\n" \
            f"{out[-2000:]}{err[-3000:]}{more}"

    outcome = f"check {code}" + (f", run {ran[0]}" if ran is not None else "")
    STATS[outcome] = STATS.get(outcome, 0) + 1
    assert code in (0, 1, 2), shown()
    assert "internal error" not in err and "Traceback" not in err, shown()
    if code == 2:
        for line in err.splitlines():
            found = PROBLEM.match(line)
            assert found and int(found["line"]) >= 1, shown()
            assert Path(found["file"]).exists(), shown()
    if ran is not None:
        run_code, run_out, run_err = ran
        said = f"\n--- run said:\n{run_out[-2000:]}{run_err}"
        assert run_code in (0, 1, 2), shown(said)
        assert "internal error" not in run_err and "Traceback" not in run_err, shown(said)
        if run_code == 2:
            assert [x for x in run_err.splitlines() if x.strip()], shown(said)
