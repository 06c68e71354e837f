"""The collector while a scenario replays (simulator/engine/collector.py): collecting less
often during the replay, and exactly as before once it ends, even when it fails."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from vendorsim.simulator.engine import collector
from vendorsim.simulator.engine.run import Engine, run_scenario
from vendorsim.simulator.scenario.loader import load_scenario

DEMO = Path(__file__).parent.parent / "fixtures" / "scenarios" / "demo.yaml"


@pytest.fixture(autouse=True)
def default_collector() -> Iterator[None]:
    before, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(700, 10, 10)
    gc.enable()
    yield
    gc.set_threshold(*before)
    (gc.enable if enabled else gc.disable)()


def test_a_replay_collects_less_often_and_restores_the_collector(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple] = []
    original = Engine.run

    def observed(self: Engine) -> object:
        seen.append((gc.get_threshold(), gc.get_freeze_count() > 0))
        return original(self)

    monkeypatch.setattr(Engine, "run", observed)
    assert run_scenario(load_scenario(DEMO)).passed
    assert seen == [((collector.YOUNG, 10, 10), True)]
    assert gc.get_threshold() == (700, 10, 10) and gc.get_freeze_count() == 0


def test_a_failed_replay_restores_it_too(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Engine) -> object:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(Engine, "run", broken)
    with pytest.raises(RuntimeError, match="broke"):
        run_scenario(load_scenario(DEMO))
    assert gc.get_threshold() == (700, 10, 10) and gc.get_freeze_count() == 0


def test_nested_replays_restore_it_once_the_last_ends() -> None:
    with collector.replaying():
        with collector.replaying():
            assert gc.get_threshold()[0] == collector.YOUNG
        assert gc.get_threshold()[0] == collector.YOUNG
    assert gc.get_threshold() == (700, 10, 10) and gc.get_freeze_count() == 0


@pytest.mark.parametrize("setting", ["disabled", "tuned higher"])
def test_a_collector_the_program_set_is_left_alone(setting: str) -> None:
    if setting == "disabled":
        gc.disable()
    else:
        gc.set_threshold(50_000, 5, 5)
    before = gc.get_threshold()
    with collector.replaying():
        assert gc.get_threshold() == before and gc.get_freeze_count() == 0
        assert gc.isenabled() == (setting != "disabled")
    assert gc.get_threshold() == before
