"""The one When of every scenario: the simulator replays what the Given steps built."""

from __future__ import annotations

from pytest_bdd import when

from .world import World


@when("the audiences are activated")
def activate(world: World) -> None:
    world.run()
