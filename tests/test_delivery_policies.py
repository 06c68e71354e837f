"""The CDP's delivery policies against a throttling Demandbase (vendor-apis.md §5.2, B-DB-06):
best effort drops after two retries, lossless delivers everything, and an accepted-but-lost
batch is never silently lost from the report."""

from __future__ import annotations

from pathlib import Path

import yaml

from vendorsim.simulator.engine.run import Report, run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

FIXTURE = Path(__file__).parent.parent / "fixtures" / "scenarios" / "demandbase_throttling.yaml"


def variant(tmp_path: Path, policy: str, **changes: object) -> Report:
    doc = yaml.safe_load(FIXTURE.read_text())
    doc["destinations"][0]["delivery"]["policy"] = policy
    doc.update(changes)
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    return run_scenario(load_scenario(path))


def test_best_effort_drops_what_stays_throttled() -> None:
    report = run_scenario(load_scenario(FIXTURE))
    dest = report.destinations[0]
    # 3 batches of 2 against 2 calls a minute (the list creation is one of them): the second
    # batch is refused at 0 s, 15 s and 45 s and dropped; the third gets in at 60 s
    assert dest.listed == 4 and sorted(dest.dropped) == ["A3", "A4"]
    assert all("best_effort" in reason for reason in dest.dropped.values())
    assert dest.unaccounted == []  # dropped, and reported as dropped: accounted for
    assert report.passed, report.verdicts  # the scenario expects drops


def test_best_effort_waits_15_then_30_seconds(tmp_path: Path) -> None:
    report = variant(tmp_path, "best_effort")
    posts = [e["epoch"] for e in report.journal
             if e["method"] == "POST" and e["path"].endswith("/accounts")]
    start = posts[0]
    assert [round(t - start) for t in posts] == [0, 0, 15, 45, 45, 60]


def test_lossless_delivers_everything(tmp_path: Path) -> None:
    report = variant(tmp_path, "lossless", expectations={})
    dest = report.destinations[0]
    assert dest.listed == 6 and dest.dropped == {} and dest.throttled > 0
    assert report.passed


def test_accepted_but_lost_is_reported(tmp_path: Path) -> None:
    report = variant(tmp_path, "lossless", expectations={},
                     faults=[{"vendor": "demandbase", "drop": 0.5, "seed": 2,
                              "path": "accounts$"}])
    dest = report.destinations[0]
    assert dest.dropped == {} and dest.listed == 6  # the vendor said yes to everything
    assert dest.unaccounted  # but does not hold all of it: the report says which
    assert not report.passed
    assert any("accepted but not held" in v.detail for v in report.verdicts)
