"""Types Marketo edits as a draft beside the approved version (custom object types, custom
activity types): a change opens a draft (a copy of the approved version), approving
promotes it, discarding drops it."""

from __future__ import annotations

import copy
from typing import Generic, TypeVar

from .errors import MarketoError

T = TypeVar("T")


class Versioned(Generic[T]):
    """Mixin for a type with `draft` and `approved` versions (one of them always set)."""

    draft: T | None
    approved: T | None

    def version(self, draft: bool = False) -> T:
        """The draft when asked for and there is one, else the approved version, else the
        draft (a type never approved)."""
        if draft and self.draft is not None:
            return self.draft
        found = self.approved if self.approved is not None else self.draft
        if found is None:
            raise MarketoError("611", "A type with neither a draft nor an approved version")
        return found

    def latest(self) -> T:
        """The draft if there is one, else the approved version."""
        return self.version(draft=True)

    @property
    def version_state(self) -> str:
        if self.approved is None:
            return "draft"
        return "approvedWithDraft" if self.draft is not None else "approved"

    def open_draft(self) -> T:
        """The draft to change: the existing one, or a copy of the approved version."""
        if self.draft is None:
            self.draft = copy.deepcopy(self.approved)
        return self.latest()

    def pending_draft(self) -> T:
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
