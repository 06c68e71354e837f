"""Types Marketo edits as a draft beside the approved version (custom object types, custom
activity types): a change opens a draft (a copy of the approved version), approving
promotes it, discarding drops it."""

from __future__ import annotations

import copy
from typing import Any

from .errors import MarketoError


class Versioned:
    """Mixin for a type with `draft` and `approved` versions."""

    draft: Any
    approved: Any

    @property
    def version_state(self) -> str:
        if self.approved is None:
            return "draft"
        return "approvedWithDraft" if self.draft is not None else "approved"

    def open_draft(self) -> Any:
        """The draft to change: the existing one, or a copy of the approved version."""
        if self.draft is None:
            self.draft = copy.deepcopy(self.approved)
        return self.draft

    def pending_draft(self) -> Any:
        """The draft waiting for approval (709 when there is none)."""
        if self.draft is None:
            raise MarketoError("709", "No draft to approve")
        return self.draft

    def promote(self) -> None:
        """The draft becomes the approved version (709 when there is none)."""
        self.approved, self.draft = self.pending_draft(), None

    def discard_draft(self) -> None:
        if self.draft is None or self.approved is None:
            raise MarketoError("709", "No draft beside an approved version to discard")
        self.draft = None
