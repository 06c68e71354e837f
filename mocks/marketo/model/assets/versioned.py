"""Assets Marketo keeps as a draft beside an approved version (emails, email templates,
landing pages and their templates, forms, snippets), and the life every one of them shares
(Adobe's Assets page, "Approval" and "Delete"):

- a new asset is a draft; a content change edits the draft, opening one (a copy of the
  approved version) when there is none; name, description and folder are the asset's own;
- approving needs a draft (709) and the kind's own rules; the draft becomes the live version;
- unapproving needs an approved version and an asset nothing uses (709); the live version
  becomes the draft and a pending draft is dropped;
- discarding needs a draft beside an approved version (709);
- deleting needs an unapproved asset (forms excepted) that nothing uses (709);
- cloning copies the approved version, else the draft, into a new draft.

Reads: by id (`status` picks a version; none: the approved one when there is one), by name
(exact), and browse (one entry per asset, filtered by status, folder and update dates).
Names are unique among the kind's assets in one folder (the mock's choice: Marketo refuses
duplicates with 709)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from ..versions import Versioned
from .common import (
    STATUSES,
    Ref,
    app_url,
    asset_time,
    name_value,
    parse_ref,
    status_value,
    text_value,
    within,
)

if TYPE_CHECKING:
    from .world import AssetWorld

@dataclass
class Asset(Versioned[dict]):
    id: int
    name: str
    description: str
    folder: Ref
    created_at: float
    updated_at: float
    draft: dict | None
    approved: dict | None = None
    extra: dict = field(default_factory=dict)  # the kind's own unversioned data

    def versions(self, status: str | None) -> list[tuple[str, dict]]:
        """The version a read asks for: `status` names one; none gives the live one."""
        if status == "draft":
            return [("draft", self.draft)] if self.draft is not None else []
        if status == "approved":
            return [("approved", self.approved)] if self.approved is not None else []
        return [("approved", self.approved)] if self.approved is not None else \
            [("draft", self.version())]

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "folder": {"id": self.folder[1], "type": self.folder[0]},
                "createdAt": asset_time(self.created_at),
                "updatedAt": asset_time(self.updated_at), "draft": self.draft,
                "approved": self.approved, "extra": self.extra}


@dataclass(frozen=True)
class Kind:
    """What differs between the versioned kinds: names, where they live, what answers."""

    name: str  # "email"
    label: str  # "Email"
    code: str  # the app URL's letters, e.g. EM
    accepts: tuple[str, ...]  # folder types it lives in
    in_programs: bool  # whether programs (and folders in them) hold it too
    full_answers: frozenset[str] = frozenset()  # operations answering the whole asset
    unapprove_to_delete: bool = True  # forms may be deleted while approved


class VersionedStore:
    """The assets of one versioned kind. Subclasses render them and add their own rules:
    `check_approve`, `users` (what uses an asset) and the content operations."""

    kind: Kind
    browse_statuses: tuple[str, ...] = STATUSES  # what a browse's `status` may be

    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world
        self.assets: dict[int, Asset] = {}
        self.next_id = 1001

    # -- what subclasses give ----------------------------------------------------------
    def render(self, asset: Asset, status: str, version: dict) -> dict:
        raise NotImplementedError

    def check_approve(self, asset: Asset, draft: dict) -> None:
        """Raise 709 when the draft may not go live."""

    def create(self, form: dict) -> list[dict]:
        """Make a new draft asset from a create call's parameters."""
        raise NotImplementedError

    def seed_content(self, asset_id: int, content: object) -> None:
        """A short-form seed's `content` (templates and snippets take one)."""
        raise MarketoError("1003", f"A {self.kind.label.lower()} seed takes no content")

    def probe(self, asset: Asset, status: str) -> None:
        """Read a restored asset's content the ways the API does (raises when it cannot)."""

    def users(self, asset: Asset) -> list[tuple[str, Ref]]:
        """What uses the asset and where it is (any use blocks unapproving and deleting)."""
        return []

    # -- shared helpers ----------------------------------------------------------------
    def find(self, asset_id: int) -> Asset:
        found = self.assets.get(asset_id)
        if found is None:
            raise MarketoError("702", f"{self.kind.label} '{asset_id}' not found")
        return found

    def base(self, asset: Asset, status: str) -> dict:
        """The fields every versioned asset answers with."""
        return {"id": asset.id, "name": asset.name, "description": asset.description,
                "createdAt": asset_time(asset.created_at),
                "updatedAt": asset_time(asset.updated_at),
                "url": app_url(self.kind.code, asset.id),
                "folder": self.world.tree.ref_value(asset.folder), "status": status,
                "workspace": self.world.tree.workspace(asset.folder)}

    def answer(self, asset: Asset, operation: str) -> list[dict]:
        if operation in self.kind.full_answers:
            status, version = asset.versions(None)[0]
            return [self.render(asset, status, version)]
        return [{"id": asset.id}]

    def place(self, raw: object) -> Ref:
        ref = parse_ref(raw)
        assert ref is not None  # required
        return self.world.tree.place(ref, self.kind.accepts, in_programs=self.kind.in_programs)

    def check_unique(self, name: str, folder: Ref, but: int | None = None) -> None:
        if any(a.name == name and a.folder == folder and a.id != but
               for a in self.assets.values()):
            raise MarketoError("709", f"{self.kind.label} name '{name[:80]}' is already in "
                                      "use in this folder")

    def add(self, name: object, folder: object, description: object, version: dict,
            extra: dict | None = None) -> Asset:
        """A new draft-only asset (checks first, nothing changes on a refusal)."""
        clean_name = name_value(name)
        assert clean_name is not None
        text = text_value(description, "description") or ""
        place = self.place(folder)
        self.check_unique(clean_name, place)
        now = self.clock.now()
        asset = Asset(self.next_id, clean_name, text, place, now, now, version, None,
                      extra or {})
        self.assets[asset.id] = asset
        self.next_id += 1
        return asset

    def editing(self, asset_id: int) -> tuple[Asset, dict]:
        """The asset and its draft to change (a copy of the live version when there was no
        draft; the caller changes it only after its checks passed)."""
        asset = self.find(asset_id)
        draft = copy.deepcopy(asset.draft if asset.draft is not None else asset.approved)
        assert draft is not None
        return asset, draft

    def save(self, asset: Asset, draft: dict) -> None:
        asset.draft = draft
        asset.updated_at = self.clock.now()

    # -- reads -------------------------------------------------------------------------
    @locked
    def read(self, asset_id: int, status: str | None = None) -> list[dict]:
        wanted = status_value(status)
        asset = self.assets.get(asset_id)
        if asset is None:
            return []
        return [self.render(asset, s, v) for s, v in asset.versions(wanted)]

    @locked
    def by_name(self, name: str, status: str | None = None, folder: object = None
                ) -> list[dict]:
        status = status_value(status)
        place = parse_ref(folder, required=False)
        if place is not None:
            self.world.tree.need(place)
        return [self.render(a, s, v) for a in self.assets.values()
                if a.name == name and (place is None or a.folder == place)
                for s, v in a.versions(status)]

    def listing(self, status: str | None, folder: object, earliest: str | None = None,
                latest: str | None = None, keep: Callable[[Asset], bool] | None = None
                ) -> list[dict]:
        status = status_value(status, self.browse_statuses)
        if status == "approved with draft":
            status, keep = "draft", (lambda a: a.approved is not None)
        place = parse_ref(folder, required=False)
        if place is not None:
            self.world.tree.need(place)
        found = [a for a in self.assets.values() if (place is None or a.folder == place)
                 and (keep is None or keep(a))]
        found = within(found, lambda a: a.updated_at, earliest, latest)
        return [self.render(a, s, v) for a in found for s, v in a.versions(status)]

    @locked
    def browse(self, status: str | None, folder: object, offset: int, limit: int,
               earliest: str | None = None, latest: str | None = None) -> list[dict]:
        return self.listing(status, folder, earliest, latest)[offset:offset + limit]

    # -- the life of an asset ----------------------------------------------------------
    @locked
    def update(self, asset_id: int, name: object, description: object) -> list[dict]:
        """Update metadata: name and description (the asset's own, not the draft's)."""
        asset = self.find(asset_id)
        new_name = name_value(name, required=False)
        text = text_value(description, "description")
        if new_name is not None:
            self.check_unique(new_name, asset.folder, asset.id)
            asset.name = new_name
        if text is not None:
            asset.description = text
        asset.updated_at = self.clock.now()
        return self.answer(asset, "update")

    @locked
    def approve(self, asset_id: int) -> list[dict]:
        asset = self.find(asset_id)
        if asset.draft is None:
            raise MarketoError("709", f"{self.kind.label} '{asset_id}' has no draft to "
                                      "approve")
        self.check_approve(asset, asset.draft)
        asset.promote()
        asset.updated_at = self.clock.now()
        return self.answer(asset, "approve")

    @locked
    def unapprove(self, asset_id: int) -> list[dict]:
        asset = self.find(asset_id)
        if asset.approved is None:
            raise MarketoError("709", f"{self.kind.label} '{asset_id}' is not approved")
        self.refuse_if_used(asset, "unapproved")
        asset.draft, asset.approved = asset.approved, None
        asset.updated_at = self.clock.now()
        return self.answer(asset, "unapprove")

    @locked
    def discard(self, asset_id: int) -> list[dict]:
        asset = self.find(asset_id)
        if asset.draft is None or asset.approved is None:
            raise MarketoError("709", f"{self.kind.label} '{asset_id}' has no draft beside an "
                                      "approved version to discard")
        asset.draft = None
        asset.updated_at = self.clock.now()
        return self.answer(asset, "discard")

    @locked
    def delete(self, asset_id: int) -> list[dict]:
        asset = self.find(asset_id)
        if asset.approved is not None and self.kind.unapprove_to_delete:
            raise MarketoError("709", f"{self.kind.label} '{asset_id}' is approved: unapprove "
                                      "it before deleting it")
        self.refuse_if_used(asset, "deleted")
        del self.assets[asset_id]
        return [{"id": asset_id}]

    @locked
    def clone(self, asset_id: int, name: object, folder: object, description: object
              ) -> list[dict]:
        source = self.find(asset_id)
        version = copy.deepcopy(source.approved if source.approved is not None
                                else source.draft)
        assert version is not None
        copied = self.add(name, folder, description, version, copy.deepcopy(source.extra))
        return self.answer(copied, "clone")

    def copy_into(self, asset: Asset, folder: Ref) -> Asset:
        """A copy in another folder (a cloned program's), with the same name, as a draft."""
        now = self.clock.now()
        version = copy.deepcopy(asset.approved if asset.approved is not None else asset.draft)
        copied = Asset(self.next_id, asset.name, asset.description, folder, now, now, version,
                       None, copy.deepcopy(asset.extra))
        self.assets[copied.id] = copied
        self.next_id += 1
        return copied

    def refuse_if_used(self, asset: Asset, what: str) -> None:
        used = [label for label, _ in self.users(asset)]
        if used:
            raise MarketoError("709", f"{self.kind.label} '{asset.id}' is in use by "
                                      f"{', '.join(used[:5])}: it cannot be {what}")

    # -- seeds and snapshots ---------------------------------------------------------
    def snapshot(self) -> list[dict]:
        return [a.to_dict() for a in self.assets.values()]
