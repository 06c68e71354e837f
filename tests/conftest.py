"""Fixtures shared by the tests: an in-process cloud on a virtual clock and a logged-in caller."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mocks import Cloud, mock_vendors
from mocks.marketo.models import LeadDatabase
from tests.helpers import MUNCHKIN, MarketoCaller


@pytest.fixture
def cloud() -> Iterator[Cloud]:
    with mock_vendors(clock="virtual") as cloud:
        cloud.clock.set("2026-11-23T12:00:00Z")
        yield cloud


@pytest.fixture
def db(cloud: Cloud) -> LeadDatabase:
    return cloud.marketo(MUNCHKIN)


@pytest.fixture
def mkto(cloud: Cloud) -> MarketoCaller:
    return MarketoCaller().login()
