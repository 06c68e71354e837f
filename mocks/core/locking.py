"""`locked`: a model operation that takes its owner's lock, so callers (HTTP handlers, the
simulator, tests) never hold a model's lock themselves."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Guarded(Protocol):
    """A model object whose operations share one lock (an instance's)."""

    lock: threading.RLock


S = TypeVar("S", bound=Guarded)


def locked(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run the method under `self.lock` (re-entrant: an operation may call another)."""

    @functools.wraps(method)
    def run(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.lock:
            return method(self, *args, **kwargs)

    return run
