"""The asset world of one instance: the folder tree and every store of assets in it, the
folder operations (which need to know what each folder holds), copying and removing what a
program holds, and the asset part of seeds and snapshots. Every operation takes the
instance's lock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .campaigns import CampaignAssets
from .catalog import Catalog
from .common import Ref, flag, name_value, parse_ref, text_value
from .content import ContentStore
from .emails import EmailStore
from .files import FileStore
from .folders import FolderTree
from .forms import FormStore
from .landing_pages import LandingPageStore
from .programs import ProgramAssets
from .redirects import RedirectStore
from .seeding import seed_tree, seed_versioned
from .smart import SegmentationStore, SmartListStore
from .snippets import SnippetStore
from .templates import EmailTemplateStore, LandingPageTemplateStore
from .tokens import TokenStore
from .versioned import VersionedStore

if TYPE_CHECKING:
    from ..instance import MarketoInstance

# seed and snapshot keys of the versioned stores, in the order they are seeded
VERSIONED_KEYS = (("snippets", "snippets"), ("emailTemplates", "email_templates"),
                  ("emails", "emails"), ("landingPageTemplates", "lp_templates"),
                  ("forms", "forms"), ("landingPages", "landing_pages"))
CONTENT_TYPES = {"snippets": "Snippet", "email_templates": "Email Template",
                 "emails": "Email", "lp_templates": "Landing Page Template",
                 "forms": "Form", "landing_pages": "Landing Page"}


class AssetWorld:
    def __init__(self, lock: threading.RLock, clock: Clock, owner: MarketoInstance) -> None:
        self.lock = lock
        self.clock = clock
        self.owner = owner
        now = clock.now()
        self.tree = FolderTree(owner.programs, now)
        self.catalog = Catalog(now)
        self.tokens = TokenStore(lock, clock, self)
        self.programs = ProgramAssets(lock, clock, self)
        self.campaigns = CampaignAssets(lock, clock, self)
        self.smart_lists = SmartListStore(lock, clock, self)
        self.segmentations = SegmentationStore(lock, clock, self)
        self.snippets = SnippetStore(lock, clock, self)
        self.email_templates = EmailTemplateStore(lock, clock, self)
        self.emails = EmailStore(lock, clock, self)
        self.lp_templates = LandingPageTemplateStore(lock, clock, self)
        self.forms = FormStore(lock, clock, self)
        self.landing_pages = LandingPageStore(lock, clock, self)
        self.files = FileStore(lock, clock, self)
        self.redirects = RedirectStore(lock, clock, self)
        self.content = ContentStore(lock, clock, self)

    def store(self, name: str) -> VersionedStore:
        """A versioned store by its attribute name (emails, forms, ...)."""
        return dict(self.versioned())[name]

    def versioned(self) -> Iterator[tuple[str, VersionedStore]]:
        for _, attr in VERSIONED_KEYS:
            yield attr, getattr(self, attr)

    # -- what a place holds --------------------------------------------------------------
    def contents(self, ref: Ref) -> list[dict]:
        """Everything directly in a folder or program: folders, programs, assets."""
        out = [{"id": r[1], "type": r[0]} for r in self.tree.children(ref)]
        for attr, store in self.versioned():
            out += [{"id": a.id, "type": CONTENT_TYPES[attr]} for a in store.assets.values()
                    if a.folder == ref]
        out += [{"id": s.id, "type": "Smart List"} for s in self.smart_lists.users()
                if s.folder == ref]
        out += [{"id": c.id, "type": "Smart Campaign"}
                for c in self.owner.campaigns.campaigns.values()
                if self.campaigns.place(c) == ref]
        out += [{"id": lst.id, "type": "Static List"} for lst in self.owner.lists.lists.values()
                if lst.folder == ref]
        out += [{"id": f.id, "type": "File"} for f in self.files.files.values()
                if f.folder == ref]
        return out

    def inside(self, ref: Ref) -> list[Ref]:
        """The place and every folder below it (for copying and removing programs)."""
        out, level = [], [ref]
        while level:
            out += level
            level = [c for r in level for c in self.tree.children(r) if c[0] == "Folder"]
        return out

    def copy_contents(self, source: Ref, target: Ref) -> None:
        """Copies of what a program holds into a new program: folders, assets, lists,
        campaigns and tokens (not program members, not approvals)."""
        places = {source: target}
        for ref in self.inside(source)[1:]:
            folder = self.tree.folders[ref[1]]
            copied = self.tree.add(folder.name, places[self.tree.parent(ref) or source],
                                   self.clock.now(), folder.description)
            places[ref] = ("Folder", copied.id)
        for old, new in places.items():
            self.tokens.copy(old, new)
            for _, store in self.versioned():
                for asset in [a for a in store.assets.values() if a.folder == old]:
                    store.copy_into(asset, new)
            for campaign in [c for c in self.owner.campaigns.campaigns.values()
                             if self.campaigns.place(c) == old]:
                self.campaigns.clone(campaign.id, {"name": campaign.name,
                                                   "folder": {"id": new[1], "type": new[0]}})
            self.owner.lists.copy_into(old, new)

    def check_copy(self, source: Ref, program_name: str) -> None:
        """What copying a program would refuse, found before anything is copied: its static
        lists' new names (`<program>.<list>`) must be free (709)."""
        places = set(self.inside(source))
        names = [f"{program_name}.{lst.name.split('.')[-1]}"
                 for lst in self.owner.lists.lists.values() if lst.folder in places]
        if len(set(names)) != len(names) or any(self.owner.lists.by_name(n) for n in names):
            raise MarketoError("709", "A static list of the copy would take a name in use")

    def remove_contents(self, ref: Ref) -> None:
        """Delete Program: everything inside goes, unless something outside uses it."""
        places = set(self.inside(ref))
        for _, store in self.versioned():
            for asset in store.assets.values():
                if asset.folder in places and any(
                        where not in places for _, where in store.users(asset)):
                    raise MarketoError("709", f"{store.kind.label} '{asset.id}' in the program "
                                              "is used outside it")
        for _, store in self.versioned():
            for asset_id in [a.id for a in store.assets.values() if a.folder in places]:
                del store.assets[asset_id]
        for campaign in [c for c in self.owner.campaigns.campaigns.values()
                         if self.campaigns.place(c) in places]:
            del self.owner.campaigns.campaigns[campaign.id]
        for found in [s for s in self.smart_lists.lists.values() if s.folder in places]:
            del self.smart_lists.lists[found.id]
        for lst in [x for x in self.owner.lists.lists.values() if x.folder in places]:
            del self.owner.lists.lists[lst.id]
        for place in places:
            self.tokens.drop(place)
            if place[0] == "Folder":
                self.tree.folders.pop(place[1], None)

    # -- folders -------------------------------------------------------------------------
    @staticmethod
    def _kind(raw: object, required: bool = True) -> str | None:
        if raw in (None, ""):
            if required:
                raise MarketoError("701", what="type")
            return None
        kind = str(raw).capitalize()
        if kind not in ("Folder", "Program"):
            raise MarketoError("1003", f"Invalid type '{str(raw)[:40]}': Folder or Program")
        return kind

    @locked
    def folder(self, folder_id: int, kind: object) -> list[dict]:
        ref: Ref = (str(self._kind(kind)), folder_id)
        return [self.tree.render(ref)] if self.tree.exists(ref) else []

    @locked
    def folder_by_name(self, name: str, kind: object, root: object, workspace: str | None
                       ) -> list[dict]:
        place = parse_ref(root, "root", required=False)
        chosen = self._kind(kind, required=place is not None)
        return [self.tree.render(r) for r in self.tree.by_name(name, chosen, place, workspace)]

    @locked
    def folders(self, root: object, depth: int, workspace: str | None, offset: int,
                limit: int) -> list[dict]:
        place = parse_ref(root, "root", required=False)
        found = self.tree.browse(place, depth, workspace)
        return [self.tree.render(r) for r in found[offset:offset + limit]]

    @locked
    def create_folder(self, form: dict) -> list[dict]:
        name = name_value(form.get("name"))
        assert name is not None
        parent = parse_ref(form.get("parent"), "parent")
        assert parent is not None
        description = text_value(form.get("description"), "description")
        made = self.tree.add(name, parent, self.clock.now(), description)
        return [self.tree.render(("Folder", made.id))]

    @locked
    def update_folder(self, folder_id: int, form: dict) -> list[dict]:
        if self._kind(form.get("type")) == "Program":
            raise MarketoError("709", "Programs are changed with the Programs API")
        name = name_value(form.get("name"), required=False)
        description = text_value(form.get("description"), "description")
        archive = flag(form.get("isArchive"), "isArchive")
        folder = self.tree.editable(folder_id)
        if name is not None:
            self.tree.rename(folder, name)
        if description is not None:
            folder.description = description
        if archive is not None:
            folder.is_archive = archive
        folder.updated_at = self.clock.now()
        return [self.tree.render(("Folder", folder_id))]

    @locked
    def delete_folder(self, folder_id: int, kind: object) -> list[dict]:
        if self._kind(kind) == "Program":
            raise MarketoError("709", "Programs are deleted with the Programs API")
        self.tree.editable(folder_id)
        if self.contents(("Folder", folder_id)):
            raise MarketoError("709", f"Folder '{folder_id}' is not empty")
        del self.tree.folders[folder_id]
        self.tokens.drop(("Folder", folder_id))
        return [{"id": folder_id}]

    @locked
    def folder_contents(self, folder_id: int, kind: object, offset: int, limit: int
                        ) -> list[dict]:
        ref: Ref = (str(self._kind(kind)), folder_id)
        self.tree.need(ref, "702")
        return self.contents(ref)[offset:offset + limit]

    # -- channels and tag types ----------------------------------------------------------
    @locked
    def channels(self, offset: int, limit: int, name: str | None = None) -> list[dict]:
        found = [c for c in self.catalog.channels.values() if name is None or c.name == name]
        return [c.render() for c in found[offset:offset + limit]]

    @locked
    def tag_types(self, offset: int, limit: int, name: str | None = None) -> list[dict]:
        found = [t for t in self.catalog.tag_types.values() if name is None or t.name == name]
        return [t.render(name is not None) for t in found[offset:offset + limit]]

    # -- seeds and snapshots -------------------------------------------------------------
    def seed_tree(self, data: dict) -> None:
        """Folders and programs, in whatever order they depend on each other."""
        seed_tree(self, data)

    def seed_assets(self, data: dict) -> None:
        """Everything else in the asset world, each store in dependency order (channels and
        tag types came with the tree: programs take their channel's statuses)."""
        if data.get("segmentations"):
            self.segmentations.seed(data["segmentations"])
        if data.get("files"):
            self.files.seed(data["files"])
        for key, attr in VERSIONED_KEYS:
            if data.get(key):
                seed_versioned(getattr(self, attr), data[key])
        self.redirects.seed(data.get("redirectRules"), data.get("landingPageDomains"))
        if data.get("smartLists"):
            self.smart_lists.seed(data["smartLists"])
        if data.get("tokens"):
            self.tokens.seed(data["tokens"])
        if data.get("contentAssets"):
            self.content.seed(data["contentAssets"])
        for campaign in self.owner.campaigns.campaigns.values():
            self.campaigns.smart_list_of(campaign)

    def snapshot(self) -> dict[str, Any]:
        out: dict[str, Any] = {"folders": self.tree.snapshot(), **self.catalog.snapshot(),
                               "segmentations": self.segmentations.snapshot(),
                               "files": self.files.snapshot(),
                               "smartLists": self.smart_lists.snapshot(),
                               "tokens": self.tokens.snapshot(), **self.redirects.snapshot(),
                               "contentAssets": self.content.snapshot()}
        for key, attr in VERSIONED_KEYS:
            out[key] = getattr(self, attr).snapshot()
        return out

