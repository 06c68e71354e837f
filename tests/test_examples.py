"""The annotated example scenarios users copy (issue 13): each checks clean (no problems, no
notes) and replays with every expectation passing and no warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))


def test_one_example_per_integration() -> None:
    assert [p.stem for p in EXAMPLES] == ["cdp_to_bombora_and_demandbase", "cdp_to_marketo",
                                          "marketo_to_cdp", "sfmc_to_cdp"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_checks_clean_and_passes(path: Path, capsys: pytest.CaptureFixture) -> None:
    assert vendorsim(["check", str(path)]) == 0
    assert capsys.readouterr().err == ""  # no notes either: examples show the current syntax
    loaded = load_scenario(path)
    report = run_scenario(loaded)
    assert report.passed, [v for v in report.verdicts if not v.passed]
    assert report.verdicts and not report.warnings
