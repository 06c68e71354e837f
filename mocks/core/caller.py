"""Who calls a model operation, and the one rule of what they may do: an operation names
what it does (`data_extensions.write`), and the vendor's table (its facts) names the grant
that needs (an OAuth scope, a permission). The operation checks the caller's grants and
takes its model's lock itself, so no transport (REST, SOAP, bulk) can do what the caller may
not, or change a model half-way."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Caller:
    """The grants of the token a call carries (scopes, permissions); None: every grant
    (Python-side seeding and inspection, a vendor's own work on its clock)."""

    grants: frozenset[str] | None = None

    def holds(self, grant: str | None) -> bool:
        return grant is None or self.grants is None or grant in self.grants


SYSTEM = Caller()


class Guarded(Protocol):
    lock: threading.RLock


S = TypeVar("S", bound=Guarded)


class Operations:
    """A vendor's operation decorator and its `require`: `table` maps an operation's name to
    the grant it needs (None: none), `refuse` makes the vendor's refusal for a grant."""

    def __init__(self, table: Mapping[str, str | None],
                 refuse: Callable[[str], Exception]) -> None:
        self.table = table
        self.refuse = refuse

    def require(self, caller: Caller, name: str) -> None:
        """The vendor's refusal unless the caller holds what `name` needs."""
        grant = self.table[name]
        if not caller.holds(grant):
            raise self.refuse(grant or "")

    def __call__(self, name: str) -> Callable[[Callable[Concatenate[S, Caller, P], R]],
                                              Callable[Concatenate[S, Caller, P], R]]:
        """Decorate a model method taking (self, caller, ...): the grant checked, then run
        under the model's lock (re-entrant: an operation may call another)."""
        if name not in self.table:
            raise KeyError(f"no grant for operation {name!r} in the vendor's table")
        require = self.require

        def wrap(method: Callable[Concatenate[S, Caller, P], R]
                 ) -> Callable[Concatenate[S, Caller, P], R]:
            @functools.wraps(method)
            def run(self: S, caller: Caller, *args: P.args, **kwargs: P.kwargs) -> R:
                require(caller, name)
                with self.lock:
                    return method(self, caller, *args, **kwargs)

            run.operation = name  # type: ignore[attr-defined]  # the layout test reads it
            return run

        return wrap
