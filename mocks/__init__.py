"""vendorsim's mock vendors: Marketo Engage (more vendors plug into the same core).

    from mocks import mock_vendors

    with mock_vendors(clock="virtual") as cloud:
        ...  # requests/httpx calls to *.mktorest.com are answered by the mocks
"""

from mocks.cloud import Cloud
from mocks.core.clock import RealClock, VirtualClock
from mocks.inprocess import mock_vendors

__all__ = ["Cloud", "RealClock", "VirtualClock", "mock_vendors"]
