"""Fixtures shared by the tests: an in-process cloud on a virtual clock and a logged-in caller."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud, mock_vendors
from vendorsim.mocks.marketo.model.instance import MarketoInstance

FEATURES = Path(__file__).parent.parent / "features"
pytest_plugins = ["tests.client_matrix"]  # the client compatibility matrix (build/compatibility.*)


def feature_tags() -> set[str]:
    """Every Gherkin tag used in features/ (behaviour IDs such as B-MKT-14, and groups)."""
    return {tag for path in FEATURES.glob("*.feature")
            for tag in re.findall(r"(?m)^\s*@([\w-]+(?:\s+@[\w-]+)*)", path.read_text())
            for tag in tag.replace("@", " ").split()}


def pytest_configure(config: pytest.Config) -> None:
    """Feature tags become pytest markers (`pytest -m B-MKT-14`): register them."""
    for tag in sorted(feature_tags()):
        config.addinivalue_line("markers", f"{tag}: Gherkin tag (features/)")


@pytest.fixture
def cloud() -> Iterator[Cloud]:
    with mock_vendors(clock="virtual") as cloud:
        cloud.clock.set("2026-11-23T12:00:00Z")
        yield cloud


@pytest.fixture
def db(cloud: Cloud) -> MarketoInstance:
    return cloud.marketo(MUNCHKIN)


@pytest.fixture
def mkto(cloud: Cloud) -> MarketoCaller:
    return MarketoCaller().login()
