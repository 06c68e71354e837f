"""vendorsim's mock vendors: Marketo Engage, SFMC, Bombora and Demandbase on one core.

    from vendorsim.mocks import mock_vendors

    with mock_vendors(clock="virtual") as cloud:
        ...  # requests/httpx calls to *.mktorest.com are answered by the mocks

Names are imported on first use, so that `vendorsim serve` does not pay for the in-process
interceptors (httpx, responses) it never uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud
    from vendorsim.mocks.core.clock import RealClock, VirtualClock
    from vendorsim.mocks.inprocess import mock_vendors

_WHERE = {"Cloud": "vendorsim.mocks.cloud", "RealClock": "vendorsim.mocks.core.clock",
          "VirtualClock": "vendorsim.mocks.core.clock", "mock_vendors": "vendorsim.mocks.inprocess"}

__all__ = ["Cloud", "RealClock", "VirtualClock", "mock_vendors"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'vendorsim.mocks' has no attribute {name!r}")
