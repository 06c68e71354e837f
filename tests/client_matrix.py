"""The client compatibility matrix (issue 37): which public client libraries this suite drives
against the mocks, at which installed version, in which mode, and with what result.

A test names its client with a marker::

    @pytest.mark.client("zeep", area="SOAP Retrieve, Create", mode="{sfmc}")

`mode` is in-process (the default), server or container; any field may name one of the
test's parameters in braces (`{sfmc}` is the fixture parameter `inprocess` or `server`).
The version is read when the test runs, not written down: from the installed distribution
(`dist=`, default the client's name; the standard library's is Python's), from an npm
install (`npm="build/node-clients"`) or from another virtual environment
(`venv="build/airbyte-venv"`).

Each report carries the test's client as a JSON user property (so it crosses from xdist
workers to the controller and lands in a junit XML), and the controller writes
`build/compatibility.json` and `build/compatibility.md` at the session's end, with the
"known not to work" table of tests/known_client_issues.yaml. `tools/figures.py` turns the
JSON (or a junit XML) into docs/compatibility.md.
"""

from __future__ import annotations

import ast
import glob
import importlib.metadata
import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

PROPERTY = "vendorsim_client"
KNOWN = Path(__file__).with_name("known_client_issues.yaml")
ROOT = Path(__file__).resolve().parent.parent
MODES = {"inprocess": "in-process", "in-process": "in-process", "server": "server",
         "container": "container"}
REASON_CLASSES = ("client bug", "vendor difference", "not yet served")
NOT_INSTALLED = "not installed"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--client-matrix", default="build", metavar="DIR",
                     help="where the client compatibility matrix is written "
                          "(compatibility.json and .md; only when a client test ran)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "client(name, area, mode='in-process', dist=None, npm=None, venv=None): "
                   "the public client library a test drives (the compatibility matrix)")
    if not hasattr(config, "workerinput"):  # an xdist worker's reports go to the controller
        config.pluginmanager.register(Collector(config), "vendorsim-client-matrix")


class _Params(dict):
    """format_map's mapping: a brace naming no parameter stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def version_of(dist: str, npm: str | None = None, venv: str | None = None,
               root: Path = ROOT) -> str:
    """The installed version, read now: after a fixture's npm or pip install, not before."""
    if dist in sys.stdlib_module_names:
        return f"Python {platform.python_version()} (standard library)"
    try:
        if npm:
            package = root / npm / "node_modules" / dist / "package.json"
            return str(json.loads(package.read_text())["version"])
        if venv:
            paths = glob.glob(str(root / venv / "lib" / "python*" / "site-packages"))
            found = next(iter(importlib.metadata.distributions(name=dist, path=paths)), None)
            return found.version if found else NOT_INSTALLED
        return importlib.metadata.version(dist)
    except (OSError, ValueError, KeyError, importlib.metadata.PackageNotFoundError):
        return NOT_INSTALLED


def describe(item: pytest.Item) -> dict[str, str] | None:
    """The client a test drives, its fields filled in from the test's parameters."""
    mark = item.get_closest_marker("client")
    if mark is None:
        return None
    params = _Params({k: str(v) for k, v in getattr(item, "callspec", None).params.items()}
                     if hasattr(item, "callspec") else {})
    fill = lambda value: str(value).format_map(params)  # noqa: E731 - a local shorthand
    name = fill(mark.args[0] if mark.args else mark.kwargs["name"])
    mode = fill(mark.kwargs.get("mode", "in-process"))
    dist = fill(mark.kwargs.get("dist") or name)
    return {"client": name, "area": fill(mark.kwargs.get("area", "")),
            "mode": MODES.get(mode, mode),
            "version": version_of(dist, mark.kwargs.get("npm"), mark.kwargs.get("venv"))}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Before each phase's report is made: the client, with the version installed now."""
    info = describe(item)
    if info is not None:
        item.user_properties[:] = [p for p in item.user_properties if p[0] != PROPERTY]
        item.user_properties.append((PROPERTY, json.dumps(info, sort_keys=True)))
    yield


def outcome_of(report: pytest.TestReport) -> tuple[str, str] | None:
    """(outcome, reason) one phase's report says, None when it changes nothing."""
    if report.failed:
        text = report.longreprtext
        errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
        last = errors[0] if errors else (text.strip().splitlines() or [""])[-1]
        return "failed", (f"{report.when}: " if report.when != "call" else "") + last[:300]
    if report.skipped and hasattr(report, "wasxfail"):
        return "xfailed", str(report.wasxfail)
    if report.skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        return "skipped", reason.removeprefix("Skipped: ")
    return None


RANK = {"passed": 0, "xfailed": 1, "skipped": 2, "failed": 3}


def record(tests: dict[str, dict], report: pytest.TestReport) -> None:
    """Fold one phase's report into its test's entry (failed > skipped > passed)."""
    info = next((json.loads(v) for k, v in report.user_properties if k == PROPERTY), None)
    if info is None:
        return
    entry = tests.setdefault(report.nodeid, {"test": report.nodeid, "outcome": "passed",
                                             "reason": "", "duration": 0.0})
    if entry.get("version") in (None, NOT_INSTALLED):
        entry.update(info)
    entry["duration"] = round(entry["duration"] + report.duration, 3)
    found = outcome_of(report)
    if found and RANK[found[0]] > RANK[entry["outcome"]]:
        entry["outcome"], entry["reason"] = found


def marks_in(path: Path) -> list[dict[str, str]]:
    """The clients a module's source names in `pytest.mark.client(...)` with literal
    arguments (a field naming a test parameter is shown as "any")."""
    try:
        tree = ast.parse(path.read_text(), str(path))
    except (OSError, SyntaxError, ValueError):
        return []
    found: dict[tuple[str, str], dict[str, str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and
                node.func.attr == "client" and ast.unparse(node.func) == "pytest.mark.client"
                and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        kw = {k.arg: k.value.value for k in node.keywords
              if k.arg and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}
        name, mode = str(node.args[0].value), kw.get("mode", "in-process")
        mode = "any" if "{" in mode else MODES.get(mode, mode)
        found[(name, mode)] = {"client": name, "mode": mode, "area": "",
                               "version": version_of(kw.get("dist") or name, kw.get("npm"),
                                                     kw.get("venv"))}
    return list(found.values())


class Collector:
    """On the controller (or without xdist): every phase's report folded into its test's
    entry; the matrix written at the session's end if a client test ran."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.tests: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record(self.tests, report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """A module skipped whole (an importorskip at its top) has no test reports: its
        clients are read from its source and shown as skipped, with the reason."""
        if not report.skipped or not report.nodeid.endswith(".py"):
            return
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        path = self.config.rootpath / report.nodeid
        for info in marks_in(path):
            self.tests[f"{report.nodeid}::({info['client']}, {info['mode']})"] = {
                **info, "test": report.nodeid, "outcome": "skipped", "duration": 0.0,
                "reason": reason.removeprefix("Skipped: ")}

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.tests:
            return
        matrix = build(list(self.tests.values()))
        out = Path(self.config.getoption("--client-matrix"))
        if not out.is_absolute():
            out = self.config.rootpath / out
        out.mkdir(parents=True, exist_ok=True)
        (out / "compatibility.json").write_text(json.dumps(matrix, indent=1) + "\n")
        (out / "compatibility.md").write_text(
            render(matrix, "the pytest plugin tests/client_matrix.py"))


def known_issues(path: Path = KNOWN) -> list[dict[str, str]]:
    """The clients known not to work, each with its reason class (checked here)."""
    entries = yaml.safe_load(path.read_text()) or []
    for entry in entries:
        missing = {"client", "versions", "mode", "what", "class", "why", "source"} - set(entry)
        if missing or entry["class"] not in REASON_CLASSES:
            raise ValueError(f"{path.name}: {entry!r}: needs {sorted(missing)} and a class "
                             f"of {REASON_CLASSES}")
    return entries


def build(tests: list[dict], generated: str | None = None) -> dict[str, Any]:
    """The matrix document: each test, then one row per client, version and mode."""
    rows: dict[tuple[str, str, str], dict] = {}
    for test in sorted(tests, key=lambda t: t["test"]):
        key = (test["client"], test["version"], test["mode"])
        row = rows.setdefault(key, {"client": key[0], "version": key[1], "mode": key[2],
                                    "areas": [], "passed": 0, "failed": 0, "skipped": 0,
                                    "xfailed": 0, "reasons": []})
        row[test["outcome"]] += 1
        if test["area"] and test["area"] not in row["areas"]:
            row["areas"].append(test["area"])
        if test["outcome"] != "passed" and test["reason"] not in row["reasons"]:
            row["reasons"].append(test["reason"])
    return {"generated": generated or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tests": sorted(tests, key=lambda t: t["test"]),
            "rows": [rows[k] for k in sorted(rows, key=lambda k: (k[0].lower(), k[2], k[1]))],
            "known": known_issues()}


def verdict(row: dict) -> str:
    if row["failed"]:
        return "**fails**"
    if row["skipped"] and not row["passed"]:
        return "skipped"
    return "works" if not row["skipped"] else "works (some tests skipped)"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render(matrix: dict[str, Any], by: str) -> str:
    """The matrix as a Markdown page."""
    lines = [f"<!-- generated by {by}: do not edit -->", "",
             "# Client compatibility", "",
             f"Generated from the test run of {matrix['generated']} by {by}: every public client "
             "library the suite drives against the mocks, at the version installed for that run, "
             "in each mode (in-process: the client's HTTP stack answered without sockets; "
             "server: `vendorsim serve` on 127.0.0.1; container: the Docker image), and the "
             "result of its tests. A skipped row says why (a client or engine missing there). "
             "A test joins the matrix with `@pytest.mark.client(\"zeep\", mode=\"server\", "
             "area=\"SOAP Retrieve\")`; every run writes `build/compatibility.md` and `.json`.",
             "", "| client | version | mode | what it does against the mocks | result | "
             "tests (passed/failed/skipped) | why not passed |",
             "|---|---|---|---|---|---|---|"]
    for row in matrix["rows"]:
        lines.append(f"| {_cell(row['client'])} | {_cell(row['version'])} | {row['mode']} | "
                     f"{_cell('; '.join(row['areas']))} | {verdict(row)} | "
                     f"{row['passed']}/{row['failed']}/{row['skipped']} | "
                     f"{_cell('; '.join(row['reasons']))} |")
    lines += ["", "## Known not to work", "",
              "Kept in `tests/known_client_issues.yaml`. Reason classes: *client bug* (the "
              "client would fail against the vendor too), *vendor difference* (the vendor "
              "behaves so; the mock follows it), *not yet served* (vendorsim does not serve it).",
              "", "| client | versions | mode | what | reason class | why | source |",
              "|---|---|---|---|---|---|---|"]
    for entry in matrix["known"]:
        lines.append("| " + " | ".join(_cell(entry[k]) for k in (
            "client", "versions", "mode", "what", "class", "why", "source")) + " |")
    return "\n".join(lines) + "\n"
