"""What a vendor's model is to the core: a backend that seeds, snapshots and restores as
JSON, with seeding all or nothing (`atomic`) and every mistake in a seed one ValueError
(`seed_checked`)."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any, Protocol

from .seeds import check_shape


class Backend(Protocol):
    """What a vendor model must offer the core: seeding, snapshot and restore as JSON."""

    def seed(self, data: dict) -> None: ...

    def snapshot(self) -> dict: ...

    def restore(self, data: dict) -> None: ...


# what a backend shares with the cloud rather than owns: kept, not copied, by `atomic`
SHARED = ("lock", "clock", "outbox")


def atomic(method: Callable) -> Callable:
    """Make a backend method all-or-nothing: if it raises, the backend's state is put back
    as it was (in place, so handles to the backend stay valid). For seeding: bad seed data
    must never leave half of itself behind."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            # one copy of the whole state, so stores that point at each other still do; the
            # backend itself, its lock and its clock are shared, not copied
            shared = {name: getattr(self, name) for name in SHARED if hasattr(self, name)}
            memo = {id(self): self, **{id(obj): obj for obj in shared.values()}}
            saved = copy.deepcopy({k: v for k, v in self.__dict__.items()
                                   if k not in shared}, memo)
            try:
                return method(self, *args, **kwargs)
            except Exception:
                self.__dict__.update(saved)
                raise

    return wrapper


def seed_checked(backend: Backend, state: object, restore: bool = False) -> None:
    """Seed (or restore) a backend; any mistake in the document is a ValueError saying what,
    whatever the model tripped on (a number where a name goes, a list for an object)."""
    if not isinstance(state, dict):
        raise ValueError("the state is an object (the vendor's seed document)")
    check_shape(getattr(backend, "seed_shape", None), state,
                "snapshot" if restore else "seed")
    try:
        (backend.restore if restore else backend.seed)(state)
    except ValueError:
        raise
    except (TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        raise ValueError(f"the seed document does not fit: {type(exc).__name__}: "
                         f"{str(exc)[:200]}") from None
