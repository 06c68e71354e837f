"""Demandbase's grants are the API client's permissions: facts.PERMISSIONS names what each
operation needs (writes to lists and imports: `edit_assets`), and the operation checks it and
takes the client's lock itself."""

from __future__ import annotations

from vendorsim.mocks.core.caller import SYSTEM, Caller, Operations

from ..facts import PERMISSIONS
from .errors import problem


def _forbidden(grant: str) -> Exception:
    return problem(403, "Forbidden: insufficient privilege")


operation = Operations(PERMISSIONS, _forbidden)

__all__ = ["SYSTEM", "Caller", "operation"]
