"""The vendorsim MCP server's tools on files: check and run scenarios (against the session's
mocks, so a seed and a fault set up before a run shape it), verify cassettes. Reports come
back as bounded JSON summaries; `report_json` writes the whole report as `vendorsim run
--json` does."""

from __future__ import annotations

import json
import logging
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import requests
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from vendorsim.simulator.engine.vendors import TargetError as EngineTargetError
from vendorsim.simulator.engine.vendors import short_error
from vendorsim.simulator.report import Report, dataflow_rows, to_json
from vendorsim.simulator.scenario.loader import LoadedScenario, ScenarioError, load_scenario

from .target import Target

log = logging.getLogger("vendorsim.mcp")
SHOWN = 50  # rows of each list a summary shows (the counts are whole)
INLINE = "<text>"  # how problems name a scenario given as text
FilePath = Annotated[str | None, Field(max_length=4096, description=(
    "a file on the server's machine (relative: to the server's working directory)"))]
ScenarioText = Annotated[str | None, Field(max_length=20 * 1024 * 1024, description=(
    "the scenario's YAML itself, instead of a path (files it names must be absolute)"))]


def internal(exc: Exception) -> str:
    """An error of vendorsim's own, in one line for the client; the traceback goes to the
    server's log (stderr)."""
    log.error("vendorsim mcp: internal error", exc_info=exc)
    return (f"internal error: {type(exc).__name__}: {str(exc)[:300]} (please report it; the "
            "server's log has the traceback)")


@contextmanager
def scenario_file(path: str | None, text: str | None) -> Iterator[Path]:
    """The scenario as a file: the given path, or the given text in a temporary folder."""
    if (path is None) == (text is None):
        raise ToolError("give the scenario's path or its text, one of them")
    if path is not None:
        yield Path(path).expanduser()
        return
    with tempfile.TemporaryDirectory(prefix="vendorsim-mcp-") as folder:
        written = Path(folder) / "scenario.yaml"
        written.write_text(text or "", encoding="utf-8")
        yield written


def _problems(exc: ScenarioError, file: Path, inline: bool) -> list[str]:
    return [str(p).replace(str(file), INLINE) if inline else str(p) for p in exc.problems]


def load(file: Path, inline: bool) -> LoadedScenario:
    try:
        return load_scenario(file)
    except ScenarioError as exc:
        raise ToolError("the scenario cannot run:\n" +
                        "\n".join(_problems(exc, file, inline)[:SHOWN])) from None


def summarize(report: Report, loaded: LoadedScenario) -> dict:
    """What `vendorsim run` prints, as JSON and bounded: pass/fail per expectation (failures
    first), destinations' figures, dataflows, sources, warnings, client verdicts."""
    ordered = sorted(report.verdicts, key=lambda v: v.passed)
    judged = report.client_verdicts
    return {
        "scenario": report.scenario, "passed": report.passed,
        "expectations": {"total": len(ordered), "failed": sum(not v.passed for v in ordered),
                         "results": [{"expectation": v.expectation, "passed": v.passed,
                                      "detail": v.detail} for v in ordered[:SHOWN]]},
        "destinations": [{"id": d.id, "type": d.type, **d.summary()}
                         for d in report.destinations[:SHOWN]],
        "dataflows": dataflow_rows(report)[:SHOWN],
        "sources": [{"id": s.id, "runs": s.runs, "rows": s.rows, "calls": s.calls,
                     "errors": s.errors[:10], "refused": s.refused}
                    for s in report.sources[:SHOWN]],
        "warnings": report.warnings[:SHOWN], "warning_count": len(report.warnings),
        "client_verdicts": [{k: v.get(k) for k in ("rule", "vendor", "tenant", "client",
                                                   "detail")} for v in judged[:SHOWN]],
        "client_verdict_count": len(judged), "calls": len(report.journal),
        "header": report.header, "notes": [str(n) for n in loaded.notes[:SHOWN]]}


class ScenarioTools:
    """Mixed into the session: it provides `target` and `lock`."""

    target: Target
    lock: threading.RLock

    TOOLS: tuple[str, ...] = ("check_scenario", "run_scenario", "verify_cassette")

    def check_scenario(self, path: FilePath = None, text: ScenarioText = None) -> dict:
        """Validate a scenario without running it: valid, or every problem as
        file:line: message saying how to fix it; advice (notes) either way."""
        with scenario_file(path, text) as file:
            try:
                loaded = load_scenario(file)
            except ScenarioError as exc:
                problems = _problems(exc, file, text is not None)
                return {"valid": False, "problems": problems[:SHOWN],
                        "problem_count": len(problems)}
        s = loaded.scenario
        notes = [str(n).replace(str(file), INLINE) for n in loaded.notes]
        return {"valid": True, "name": s.name, "audiences": len(s.audiences),
                "destinations": len(s.destinations), "sources": len(s.sources),
                "timeline_steps": len(s.timeline), "notes": notes[:SHOWN]}

    def run_scenario(
            self, path: FilePath = None, text: ScenarioText = None,
            fresh: Annotated[bool, Field(description=(
                "reset the mocks first (default: the scenario's seeds and faults are added "
                "to what this session set up)"))] = False,
            judge_injected: bool = False, as_of: Annotated[str | None, Field(
                max_length=64, description="judge the vendors' dated changes as of this "
                                           "date")] = None,
            opt_out: Annotated[list[str] | None, Field(description=(
                "dated changes to leave out, e.g. marketo.query_token"))] = None,
            timeout: Annotated[float | None, Field(gt=0, le=86400, description=(
                "seconds a vendor call may take before it counts as unanswered"))] = None,
            report_json: FilePath = None) -> dict:
        """Replay a scenario on the virtual clock against this session's mocks and say
        what each vendor holds, PASS/FAIL per expectation and the client verdicts."""
        from vendorsim.simulator.engine.run import run_scenario

        with scenario_file(path, text) as file:
            loaded = load(file, text is not None)
            try:
                with self.lock:
                    report = run_scenario(loaded, self.target.vendors(fresh), None, timeout,
                                          judge_injected, as_of, tuple(opt_out or ()))
            except ScenarioError as exc:
                raise ToolError("\n".join(_problems(exc, file, text is not None))) from None
            except EngineTargetError as exc:
                raise ToolError(f"the target: {exc}") from None
            except requests.RequestException as exc:
                raise ToolError(f"lost the connection to the vendors: {short_error(exc)}"
                                ) from None
            except ValueError as exc:  # a bad as_of or opt_out
                raise ToolError(f"not run: {exc}") from None
            except Exception as exc:  # a bug of ours: one line, as `vendorsim run` says it
                raise ToolError(internal(exc)) from exc
        summary = summarize(report, loaded)
        if report_json:
            try:
                Path(report_json).expanduser().write_text(
                    json.dumps(to_json(report), indent=2, default=str) + "\n")
            except OSError as exc:
                raise ToolError(f"the run finished (passed: {report.passed}) but "
                                f"{report_json} could not be written: {exc}") from None
            summary["report_json"] = report_json
        return summary

    def verify_cassette(
            self, cassettes: Annotated[list[str], Field(min_length=1, max_length=100,
                                                        description="VCR.py cassette files")],
            vendor: Annotated[str | None, Field(description=(
                "the vendor of cassettes recorded against a non-vendor host"))] = None,
            allow: FilePath = None, seed: FilePath = None) -> dict:
        """Replay recorded requests in order against fresh mocks (embedded: a new cloud on
        loopback ports; remote: the connected server, reset first) and report drift:
        status, codes, missing or extra fields, types, routes the mock lacks."""
        from vendorsim.simulator.drift.cassette import CassetteError, read_cassette
        from vendorsim.simulator.drift.report import summarize as drift_summary
        from vendorsim.simulator.drift.verify import VerifyError, load_allow_list, verify

        try:
            interactions = [i for name in cassettes for i in read_cassette(Path(name))]
            allowed = load_allow_list(Path(allow)) if allow else []
            state: Any = json.loads(Path(seed).read_text()) if seed else None
            with self.lock:
                checked = verify(interactions, vendor, self.target.url, allowed, state)
        except (CassetteError, VerifyError, OSError, ValueError) as exc:
            raise ToolError(f"not verified: {str(exc)[:1000]}") from None
        except requests.RequestException as exc:
            raise ToolError(f"the mocks stopped answering: {short_error(exc)}") from None
        except Exception as exc:
            raise ToolError(internal(exc)) from exc
        summary = drift_summary(checked, [Path(c).name for c in cassettes])
        operations = summary["operations"]
        summary["operations"] = [{**op, **{k: [{**d, "sources": d["sources"][:SHOWN]}
                                               for d in op[k][:SHOWN]]
                                           for k in ("differences", "allowed", "expired")}}
                                 for op in operations[:SHOWN]]
        summary["operation_count"] = len(operations)
        return summary
