"""The one When of every scenario: the simulator replays what the Given steps built."""

from __future__ import annotations

from pytest_bdd import when

from vendorsim.simulator.report import Report

from .world import World


@when("the audiences are activated", target_fixture="report")
def activate(world: World) -> Report | None:
    """Replays the scenario; the run's report becomes the `report` fixture of the Then steps
    (None when the validation refused the scenario: see `world.problems`)."""
    world.run()
    return world.report
