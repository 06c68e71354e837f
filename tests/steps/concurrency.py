"""Steps of features/concurrent_dataflows.feature: fixture scenarios replayed as they are,
and checks on when each dataflow delivered and on the vendors' journal."""

from __future__ import annotations

import collections
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pytest_bdd import given, parsers, then

from .world import World

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"


@given(parsers.parse('the scenario file "{name}"'))
def scenario_file(world: World, name: str) -> None:
    world.doc = yaml.safe_load((FIXTURES / name).read_text())


def _batches(world: World, flow: str) -> list[dict]:
    found = [d for d in world.ran().destinations if d.id == flow]
    assert found, f"no dataflow {flow}"
    return found[0].batches


def _activated(world: World, flow: str) -> float:
    step = next(s for s in world.doc["timeline"]
                if s["action"] == "activate" and s["destination"] == flow)
    return world.ran_start() + world.seconds(step["at"])


@then(parsers.parse('the "{flow}" dataflow delivered within "{limit}" of its activation'))
def delivered_within(world: World, flow: str, limit: str) -> None:
    (batch,) = _batches(world, flow)
    assert batch["outcome"] == "delivered", batch
    assert batch["done"] - _activated(world, flow) <= world.seconds(limit), batch


@then(parsers.parse('the "{flow}" dataflow delivered once the quota reset at midnight in '
                    'Chicago'))
def delivered_after_midnight(world: World, flow: str) -> None:
    (batch,) = _batches(world, flow)
    local = datetime.fromtimestamp(world.ran_start(), ZoneInfo("America/Chicago"))
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0)
    assert batch["done"] == midnight.timestamp(), datetime.fromtimestamp(batch["done"], UTC)


@then("the vendors' journal never runs backwards")
def journal_in_order(world: World) -> None:
    journal = world.ran().journal
    assert all(a["epoch"] <= b["epoch"] and a["seq"] < b["seq"]
               for a, b in zip(journal, journal[1:], strict=False))


def _windows(world: World) -> tuple[collections.Counter, float]:
    journal = world.ran().journal
    start = journal[0]["epoch"]
    admitted: collections.Counter[int] = collections.Counter()
    for entry in journal:
        if "identity" not in entry["path"] and "606" not in entry["codes"]:
            admitted[int((entry["epoch"] - start) // 20)] += 1
    return admitted, start


@then("every 20-second window admitted 100 calls until the last")
def windows_full(world: World) -> None:
    admitted, _ = _windows(world)
    windows = sorted(admitted)
    assert len(windows) > 1 and all(admitted[w] == 100 for w in windows[:-1]), admitted


@then("their API client got one 606 per window boundary, the other dataflow holding off")
def one_606_per_boundary(world: World) -> None:
    _, start = _windows(world)
    flows = world.ran().destinations
    last = max(flow.batches[0]["done"] for flow in flows)
    assert sum(flow.throttled for flow in flows) == int((last - start) // 20)
    assert world.ran().client_verdicts == []  # nobody ran into the throttle twice


@then(parsers.parse('the dataflows "{flows}" each updated {count:d} leads'))
def each_updated(world: World, flows: str, count: int) -> None:
    for flow in flows.split(", "):
        assert next(d for d in world.ran().destinations if d.id == flow).updated == count
