"""SFMC's grants are OAuth scopes of the installed package (B-SFMC-03): every operation of
the model names its area and kind (`data_extensions.write`), facts.SCOPES names the scope
that needs, and the operation checks it and takes the account's lock itself, so the REST and
SOAP views cannot disagree on what a package may do."""

from __future__ import annotations

from vendorsim.mocks.core.caller import SYSTEM, Caller, Operations

from ..facts import SCOPES
from .errors import NotPermitted

operation = Operations(SCOPES, NotPermitted)

__all__ = ["SYSTEM", "Caller", "operation"]
