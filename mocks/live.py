"""`--vendorsim-target=live`: the target subset against real vendor sandboxes, opt in.

Where each vendor is and how to log in comes from the environment (nothing is stored):
`VENDORSIM_LIVE_MARKETO=https://123-ABC-456.mktorest.com`, `VENDORSIM_LIVE_SFMC=https://{sub}.
auth.marketingcloudapis.com`, `VENDORSIM_LIVE_BOMBORA`, `VENDORSIM_LIVE_DEMANDBASE`, each with
`..._CLIENT_ID` and `..._CLIENT_SECRET`. Calls are paced to stay inside a sandbox's limits:
at least `VENDORSIM_LIVE_INTERVAL` seconds apart (default 0.2: Marketo's 100 calls per 20 s)
and at most `VENDORSIM_LIVE_BUDGET` calls a session (default 1,000 of the partner sandbox's
50,000 a day); past the budget a test is skipped, saying so. Tests that need vendorsim's admin
API (seeding, the clock, faults) are skipped against a live vendor, with the reason.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any
from unittest import mock

import pytest
import requests

VENDORS = ("marketo", "sfmc", "bombora", "demandbase")


def configured() -> dict[str, str]:
    """The vendors whose sandbox URL is set: name -> base URL."""
    return {v: os.environ[f"VENDORSIM_LIVE_{v.upper()}"].rstrip("/") for v in VENDORS
            if os.environ.get(f"VENDORSIM_LIVE_{v.upper()}")}


def credentials(vendor: str, default: tuple[str, str]) -> tuple[str, str]:
    prefix = f"VENDORSIM_LIVE_{vendor.upper()}"
    return (os.environ.get(f"{prefix}_CLIENT_ID", default[0]),
            os.environ.get(f"{prefix}_CLIENT_SECRET", default[1]))


class Pacer:
    """Spaces every `requests` call of the session and stops at the budget."""

    def __init__(self) -> None:
        self.interval = float(os.environ.get("VENDORSIM_LIVE_INTERVAL", "0.2"))
        self.budget = int(os.environ.get("VENDORSIM_LIVE_BUDGET", "1000"))
        self.calls = 0
        self.last = 0.0
        self._lock = threading.Lock()
        original = requests.adapters.HTTPAdapter.send
        pacer = self

        def send(adapter: Any, request: Any, **kwargs: Any) -> Any:
            pacer.wait()
            return original(adapter, request, **kwargs)

        self.patch = mock.patch.object(requests.adapters.HTTPAdapter, "send", send)

    def wait(self) -> None:
        with self._lock:
            if self.calls >= self.budget:
                pytest.skip(f"live sandbox budget of {self.budget} calls spent "
                            "(VENDORSIM_LIVE_BUDGET)")
            pause = self.last + self.interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)  # a live vendor's rate: real time is the point here
            self.calls += 1
            self.last = time.monotonic()
