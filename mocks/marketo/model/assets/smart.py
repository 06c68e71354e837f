"""Smart lists and segmentations (Adobe's Smart Lists page and Dynamic Content page).

Smart lists: user smart lists in Lead Database list folders or programs (browse, by id with
rules, by name, clone into a program or list folder with a unique name, delete), and the
smart lists smart campaigns and email programs own (read through their owner, never
browsed, never deleted alone). Rules are kept as given: the mock does not evaluate them.

Segmentations: read-only (made in Marketo's UI, here by seeds), each with its segments and
a Default segment; only approved ones may drive dynamic content."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import (
    Ref,
    app_url,
    asset_time,
    flag,
    name_value,
    parse_ref,
    status_value,
    text_value,
    within,
)

if TYPE_CHECKING:
    from .world import AssetWorld

Owner = tuple[str, int]  # ("campaign", id) or ("program", id)
EMPTY_RULES = {"filterMatchType": "All", "triggers": [], "filters": []}


@dataclass
class SmartList:
    id: int
    name: str
    description: str
    folder: Ref
    created_at: float
    updated_at: float
    rules: dict = field(default_factory=lambda: copy.deepcopy(EMPTY_RULES))
    owner: Owner | None = None


class SmartListStore:
    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world
        self.lists: dict[int, SmartList] = {}
        self.next_id = 1001

    def render(self, found: SmartList, rules: bool = False) -> dict:
        out = {"id": found.id, "name": found.name, "description": found.description,
               "createdAt": asset_time(found.created_at),
               "updatedAt": asset_time(found.updated_at), "url": app_url("SL", found.id),
               "folder": self.world.tree.ref_id(found.folder),
               "workspace": self.world.tree.workspace(found.folder)}
        if rules:
            out["rules"] = copy.deepcopy(found.rules)
        return out

    def users(self) -> list[SmartList]:
        return [s for s in self.lists.values() if s.owner is None]

    @locked
    def by_id(self, list_id: int, rules: object = None) -> list[dict]:
        found = self.lists.get(list_id)
        if found is None or found.owner is not None:
            return []
        return [self.render(found, bool(flag(rules, "includeRules", False)))]

    @locked
    def by_name(self, name: str) -> list[dict]:
        return [self.render(s) for s in self.users() if s.name == name]

    @locked
    def browse(self, folder: object, offset: int, limit: int, earliest: str | None,
               latest: str | None) -> list[dict]:
        place = parse_ref(folder, required=False)
        if place is not None:
            self.world.tree.need(place)
        found = [s for s in self.users() if place is None or s.folder == place]
        found = within(found, lambda s: s.updated_at, earliest, latest)
        return [self.render(s) for s in found[offset:offset + limit]]

    def owned(self, owner: Owner, rules: object) -> list[dict]:
        found = next((s for s in self.lists.values() if s.owner == owner), None)
        return [self.render(found, bool(flag(rules, "includeRules", False)))] if found else []

    def make_owned(self, owner: Owner, name: str, folder: Ref) -> int:
        now = self.clock.now()
        number = self.next_id
        self.lists[number] = SmartList(number, name, "", folder, now, now, owner=owner)
        self.next_id += 1
        return number

    @locked
    def clone(self, list_id: int, form: dict) -> list[dict]:
        """Clone a smart list (or an owned one) into a program or a smart-list folder."""
        source = self.lists.get(list_id)
        if source is None:
            raise MarketoError("702", f"Smart list '{list_id}' not found")
        name = name_value(form.get("name"))
        assert name is not None
        ref = parse_ref(form.get("folder"))
        assert ref is not None
        place = self.world.tree.place(ref, ("List",), in_programs=True)
        if any(s.name == name for s in self.users()):
            raise MarketoError("709", f"Smart list name '{name[:80]}' is already in use")
        description = text_value(form.get("description"), "description")
        now = self.clock.now()
        copied = SmartList(self.next_id, name, source.description if description is None
                           else description, place, now, now, copy.deepcopy(source.rules))
        self.lists[copied.id] = copied
        self.next_id += 1
        return [self.render(copied)]

    @locked
    def delete(self, list_id: int) -> list[dict]:
        found = self.lists.get(list_id)
        if found is None or found.owner is not None:
            raise MarketoError("702", f"Smart list '{list_id}' not found")
        del self.lists[list_id]
        return [{"id": list_id}]

    # -- seeds and snapshots ---------------------------------------------------------
    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("smartLists is a list of {id, name, folder, description, rules}")
        for spec in specs:
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                raise ValueError(f"smart list {str(spec)[:60]}: needs a name")
            number = spec.get("id", self.next_id)
            folder = spec.get("folder", {"id": 11, "type": "Folder"})
            rules = spec.get("rules", EMPTY_RULES)
            owner = spec.get("owner")
            if type(number) is not int or number in self.lists or not isinstance(folder, dict) \
                    or not isinstance(rules, dict) or not isinstance(
                        spec.get("description", ""), str) or not (
                    owner is None or (isinstance(owner, list) and len(owner) == 2
                                      and owner[0] in ("campaign", "program")
                                      and type(owner[1]) is int)):
                raise ValueError(f"smart list {spec['name']!r}: a new whole id, a folder "
                                 "{id, type}, rules an object")
            ref = (str(folder.get("type", "Folder")), folder.get("id"))
            if ref[0] not in ("Folder", "Program") or type(ref[1]) is not int or \
                    not self.world.tree.exists((ref[0], ref[1])):
                raise ValueError(f"smart list {spec['name']!r}: folder {folder} not found")
            now = self.clock.now()
            self.lists[number] = SmartList(number, spec["name"], spec.get("description", ""),
                                           (ref[0], ref[1]), now, now, copy.deepcopy(rules),
                                           (owner[0], owner[1]) if owner else None)
            self.next_id = max(self.next_id, number + 1)

    def snapshot(self) -> list[dict]:
        return [{"id": s.id, "name": s.name, "description": s.description,
                 "folder": {"id": s.folder[1], "type": s.folder[0]}, "rules": s.rules,
                 "owner": list(s.owner) if s.owner else None} for s in self.lists.values()]


@dataclass
class Segment:
    id: int
    name: str
    description: str | None = None


@dataclass
class Segmentation:
    id: int
    name: str
    description: str
    folder: Ref
    status: str
    created_at: float
    updated_at: float
    segments: list[Segment] = field(default_factory=list)


class SegmentationStore:
    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world
        self.segmentations: dict[int, Segmentation] = {}

    def get(self, segmentation_id: object) -> Segmentation | None:
        return self.segmentations.get(segmentation_id) if type(segmentation_id) is int \
            else None

    def live(self, segmentation_id: int | None) -> Segmentation:
        """A segmentation content is made dynamic on: it exists and is approved (709)."""
        found = self.get(segmentation_id)
        if found is None or found.status != "approved":
            raise MarketoError("709", f"Segmentation '{segmentation_id}' not found or not "
                                      "approved")
        return found

    @locked
    def browse(self, status: str | None, offset: int, limit: int) -> list[dict]:
        status = status_value(status)
        tree = self.world.tree
        found = [s for s in self.segmentations.values() if status is None or s.status == status]
        return [{"id": s.id, "name": s.name, "description": s.description,
                 "createdAt": asset_time(s.created_at), "updatedAt": asset_time(s.updated_at),
                 "url": app_url("SG", s.id), "folder": tree.ref_value(s.folder),
                 "status": s.status, "workspace": tree.workspace(s.folder)}
                for s in found[offset:offset + limit]]

    @locked
    def segments(self, segmentation_id: int, status: str | None, offset: int, limit: int
                 ) -> list[dict]:
        status = status_value(status)
        found = self.segmentations.get(segmentation_id)
        if found is None or (status is not None and found.status != status):
            return []
        return [{"id": s.id, "name": s.name, "description": s.description,
                 "createdAt": asset_time(found.created_at),
                 "updatedAt": asset_time(found.updated_at), "url": app_url("SL", s.id),
                 "status": found.status, "segmentationId": found.id}
                for s in found.segments[offset:offset + limit]]

    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("segmentations is a list of {id, name, status, segments}")
        next_segment = max((g.id for s in self.segmentations.values() for g in s.segments),
                           default=1000) + 1
        for spec in specs:
            if not isinstance(spec, dict) or type(spec.get("id")) is not int or \
                    spec["id"] in self.segmentations or not isinstance(spec.get("name"), str):
                raise ValueError(f"segmentation {str(spec)[:60]}: a new whole id and a name")
            names = spec.get("segments", [])
            status = spec.get("status", "approved")
            if status not in ("approved", "draft") or not isinstance(names, list) or not all(
                    isinstance(n, str) or (isinstance(n, dict) and isinstance(n.get("name"), str)
                                           and type(n.get("id", 0)) is int) for n in names):
                raise ValueError(f"segmentation {spec['name']!r}: status approved|draft, "
                                 "segments are names or {id, name}")
            now = self.clock.now()
            found = Segmentation(spec["id"], spec["name"], str(spec.get("description", "")),
                                 ("Folder", 13), status, now, now)
            for item in names:
                item = {"name": item} if isinstance(item, str) else item
                number = item.get("id") or next_segment
                next_segment = max(next_segment, number) + 1
                found.segments.append(Segment(number, item["name"], item.get("description")))
            if "Default" not in {g.name for g in found.segments}:
                found.segments.append(Segment(next_segment, "Default"))
                next_segment += 1
            self.segmentations[found.id] = found

    def snapshot(self) -> list[dict]:
        return [{"id": s.id, "name": s.name, "description": s.description, "status": s.status,
                 "segments": [{"id": g.id, "name": g.name, "description": g.description}
                              for g in s.segments]} for s in self.segmentations.values()]
