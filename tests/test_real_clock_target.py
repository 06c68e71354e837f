"""A target whose clock is real (issue 33): `vendorsim docker up` started one and suggested
`vendorsim run ... --target`, whose replay then waited 14 minutes in real time after one
warning. Now `run --target` asks the target's admin API about its clock: a replay that would
wait longer than a minute is refused with the advice (start it with a virtual clock, or
--real-time-ok), and a wait that goes ahead shows its progress, in a log too; the docker
command's advice depends on the clock it started."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from vendorsim.mocks.cloud import Cloud
from vendorsim.mocks.server import ServerRunner
from vendorsim.simulator import cli_scenario
from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.cli_docker import replay_advice

DEMO = Path(__file__).parent.parent / "fixtures" / "scenarios" / "demo.yaml"


@pytest.fixture(scope="module")
def real() -> Iterator[str]:
    with ServerRunner(Cloud("real"), port=0, threads=4) as server:
        yield server.urls["cloud"]


@pytest.fixture(scope="module")
def virtual() -> Iterator[str]:
    with ServerRunner(Cloud("virtual"), port=0, threads=4) as server:
        yield server.urls["cloud"]


def short(tmp_path: Path, seconds: int = 2) -> Path:
    """The demo with a timeline of `seconds`, deliveries two seconds after a change, and
    nothing expected of its end."""
    doc = yaml.safe_load(DEMO.read_text())
    doc["timeline"] = [{"at": "+0s", "action": "activate", "destination": "mkto",
                        "audience": "decision-makers"},
                       {"at": f"+{seconds}s", "action": "change", "person": "P4",
                        "set": {"seniority": "VP"}}]
    doc["expectations"] = {}
    doc["destinations"][0]["delivery"] = {"streaming_latency": "2s"}
    path = tmp_path / "short.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def test_a_long_real_time_replay_is_refused_with_the_advice(
        real: str, capsys: pytest.CaptureFixture) -> None:
    assert vendorsim(["run", str(DEMO), "--target", real]) == 2
    err = capsys.readouterr().err
    assert f"{real} has a real clock" in err and "this one takes at least 2h 15m" in err, err
    assert "--clock virtual" in err and "--real-time-ok" in err, err


def test_a_short_real_time_replay_says_so_and_shows_its_waits(
        real: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # the change 5 s in: a wait is shown when at least 1 s is left, which the activation
    # before it leaves even on a loaded machine
    assert vendorsim(["run", str(short(tmp_path, 5)), "--target", real]) == 0
    err = capsys.readouterr().err
    assert "has a real clock" in err and "Waiting 7s" in err, err
    assert "real clock: waiting" in err and "until +5s of the scenario" in err, err
    assert "until +7s of the scenario" in err, err  # the change's delivery


def test_real_time_ok_lets_a_long_one_wait(real: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_scenario, "REAL_TIME_FREE", 1.0)  # 4 s is "long" here
    path = short(tmp_path)
    assert vendorsim(["run", str(path), "--target", real]) == 2
    assert "--real-time-ok" in capsys.readouterr().err
    assert vendorsim(["run", str(path), "--target", real, "--real-time-ok"]) == 0
    assert "real clock: waiting" in capsys.readouterr().err


def test_a_virtual_clock_target_replays_at_once_without_advice(
        virtual: str, capsys: pytest.CaptureFixture) -> None:
    assert vendorsim(["run", str(DEMO), "--target", virtual]) == 0
    assert "real clock" not in capsys.readouterr().err


def test_the_docker_advice_follows_the_clock(real: str, virtual: str) -> None:
    assert "--clock virtual" in replay_advice(real) and "--real-time-ok" in replay_advice(real)
    assert replay_advice(virtual) == f"replay a scenario here: vendorsim run SCENARIO " \
                                     f"--target {virtual}"
