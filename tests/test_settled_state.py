"""The end of a run reads each vendor tenant's state once (issue 34: three snapshots of a
100,000-lead instance were a fifth of the run), and the checks and the report say the same
as when every reader took its own snapshot."""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from vendorsim.simulator.engine.run import run_scenario
from vendorsim.simulator.engine.vendors import InProcessVendors, Vendors
from vendorsim.simulator.scenario.loader import load_scenario

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SCENARIOS = Path(__file__).parent.parent / "fixtures" / "scenarios"


@pytest.mark.parametrize("name", ["demo.yaml", "partitions_and_duplicates.yaml",
                                  "sends_and_engagement.yaml"])
def test_each_tenant_is_read_once_and_the_verdicts_do_not_change(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: Counter = Counter()
    original = InProcessVendors.read_state

    def counted(self: InProcessVendors, vendor: str, tenant: str) -> dict:
        reads[(vendor, tenant)] += 1
        return original(self, vendor, tenant)

    monkeypatch.setattr(InProcessVendors, "read_state", counted)
    settled = run_scenario(load_scenario(SCENARIOS / name))
    assert reads and max(reads.values()) == 1, reads

    @contextlib.contextmanager
    def unsettled(self: Vendors) -> Iterator[None]:
        yield

    reads.clear()
    monkeypatch.setattr(Vendors, "settled", unsettled)
    each = run_scenario(load_scenario(SCENARIOS / name))
    assert [(v.expectation, v.passed, v.detail) for v in settled.verdicts] == \
        [(v.expectation, v.passed, v.detail) for v in each.verdicts]
    assert without_uuids(settled.holdings) == without_uuids(each.holdings)


def without_uuids(holdings: dict) -> str:
    """The holdings as JSON, with the random keys SFMC gives new objects (uuid4s) masked."""
    return UUID.sub("<uuid>", json.dumps(holdings, sort_keys=True, default=str))
