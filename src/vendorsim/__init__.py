"""vendorsim: mock Marketo, SFMC, Bombora and Demandbase, and a CDP simulator to drive them.

    from vendorsim import mock_vendors

    with mock_vendors(clock="virtual") as cloud:
        ...  # requests/httpx calls to the vendors' hosts are answered in-process

The mocks live in `vendorsim.mocks`, the simulator (the CDP side) in `vendorsim.simulator`.
Names are imported on first use, so that `vendorsim serve` does not pay for the in-process
interceptors (httpx, responses) it never uses.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud
    from vendorsim.mocks.core.clock import RealClock, VirtualClock
    from vendorsim.mocks.core.faults import FaultRule
    from vendorsim.mocks.inprocess import mock_vendors

try:
    __version__ = version("vendorsim")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

_WHERE = {"Cloud": "vendorsim.mocks.cloud", "RealClock": "vendorsim.mocks.core.clock",
          "VirtualClock": "vendorsim.mocks.core.clock",
          "FaultRule": "vendorsim.mocks.core.faults",
          "mock_vendors": "vendorsim.mocks.inprocess"}

__all__ = ["Cloud", "FaultRule", "RealClock", "VirtualClock", "__version__", "mock_vendors"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'vendorsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
