"""Static lists and the folders that hold them (vendor-apis.md §1.10).

Names are unique in the instance (a duplicate answers 709), re-adding a member answers
`added`, removing a non-member answers 1015, and deleting a lead takes it off every list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.ids import IdSequence
from vendorsim.mocks.core.locking import locked

from ..facts import DUPLICATE_LIST_MESSAGE
from .activity_log import ADD_TO_LIST, REMOVE_FROM_LIST, ActivityLog
from .assets.common import Ref, asset_time, parse_ref, within
from .errors import MarketoError, reason

if TYPE_CHECKING:
    from .assets.folders import FolderTree
    from .leads import LeadStore

_LIST_SOURCE = (("Source", "API"),)


@dataclass
class StaticList:
    id: int
    name: str
    description: str
    folder: Ref  # ("Folder", id) of a list folder, or ("Program", id)
    created_at: float
    updated_at: float
    members: dict[int, float] = field(default_factory=dict)  # lead id -> time added

    def render_lead_db(self, tree: FolderTree) -> dict:
        out = {"id": self.id, "name": self.name, "description": self.description,
               "workspaceName": tree.workspace(self.folder),
               "createdAt": iso_utc(self.created_at), "updatedAt": iso_utc(self.updated_at)}
        program = tree.program_of(self.folder)
        if program is not None:
            out["programName"] = tree.name(("Program", program))
        return out

    def render_asset(self, tree: FolderTree) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "createdAt": asset_time(self.created_at),
                "updatedAt": asset_time(self.updated_at),
                "folder": {"id": self.folder[1], "type": self.folder[0]},
                "computedUrl": f"https://app-ab00.marketo.com/#ST{self.id}A1",
                "workspace": tree.workspace(self.folder)}


def _text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 255


class StaticListStore:
    """Folders and static lists of one instance; every operation takes its lock. Membership
    changes are logged (Add to List, Remove from List) in the instance's activity log."""

    def __init__(self, lock: threading.RLock, clock: Clock, leads: LeadStore,
                 activities: ActivityLog, tree: FolderTree, ids: IdSequence) -> None:
        self.lock = lock
        self.clock = clock
        self.leads = leads
        self.activities = activities
        self.tree = tree
        self.lists: dict[int, StaticList] = {}
        self.ids = ids  # list ids, from 1001 (mocks/core/ids.py)

    def resolve_folder(self, folder_param: object) -> Ref:
        """The place of an asset-API `folder={"id":12,"type":"Folder"}` parameter: a list
        folder, or a program (or a folder in one)."""
        ref = parse_ref(folder_param)
        assert ref is not None  # required
        return self.tree.place(ref, ("List",), in_programs=True)

    # -- lists -----------------------------------------------------------------------
    def by_name(self, name: str) -> StaticList | None:
        wanted = name.lower()
        for lst in self.lists.values():
            if lst.name.lower() == wanted:
                return lst
        return None

    def get(self, list_id: int) -> StaticList:
        lst = self.lists.get(list_id)
        if lst is None:
            raise MarketoError("1013")
        return lst

    def query(self, ids: set[int], names: set[str], programs: set[str], workspaces: set[str],
              offset: int, batch: int) -> tuple[list[dict], bool]:
        """Get Lists: a page of the lists matching every filter given."""
        with self.lock:
            found = [lst for lst in self.lists.values()
                     if (not ids or lst.id in ids) and (not names or lst.name in names)
                     and (not workspaces or self.tree.workspace(lst.folder) in workspaces)
                     and (not programs or self._program_name(lst) in programs)]
            return ([lst.render_lead_db(self.tree) for lst in found[offset:offset + batch]],
                    offset + batch < len(found))

    def _program_name(self, lst: StaticList) -> str | None:
        program = self.tree.program_of(lst.folder)
        return self.tree.name(("Program", program)) if program is not None else None

    @locked
    def member_ids(self, list_id: int) -> set[int]:
        return set(self.get(list_id).members)

    def described(self, list_id: int) -> list[dict]:
        with self.lock:
            return [self.get(list_id).render_lead_db(self.tree)]

    def members_page(self, list_id: int, fields: list[str], offset: int, batch: int
                     ) -> tuple[list[dict], bool]:
        """A page of a list's members, rendered as leads."""
        with self.lock:
            fields = self.leads.check_fields(fields)
            ids = list(self.get(list_id).members)
            page = [self.leads[i].render(fields) for i in ids[offset:offset + batch]
                    if i in self.leads]
            return page, offset + batch < len(ids)

    def add_members(self, list_id: int, ids: list[int],
                    lose: Callable[[list], tuple[list, int]] | None = None) -> list[dict]:
        """Add leads to a list (re-adding answers `added`); `lose`: a `drop` fault, which
        lets the answer say added and then loses some."""
        with self.lock:
            lst = self.get(list_id)
            now = self.clock.now()
            fresh = {i for i in ids if i not in lst.members}
            out = []
            for lead_id in ids:
                if lead_id not in self.leads:
                    out.append({"id": lead_id, "status": "skipped",
                                "reasons": [reason("1004")]})
                    continue
                lst.members.setdefault(lead_id, now)
                out.append({"id": lead_id, "status": "added"})
            if any(r["status"] == "added" for r in out):
                lst.updated_at = now
            added = [r["id"] for r in out if r["status"] == "added" and r["id"] in fresh]
            kept, _ = lose(added) if lose is not None else (added, 0)
            for lead_id in set(added) - set(kept):
                del lst.members[lead_id]
            self._log(lst.id, kept, ADD_TO_LIST)
            return out

    def remove_members(self, list_id: int, ids: list[int]) -> list[dict]:
        with self.lock:
            lst = self.get(list_id)
            out: list[dict] = []
            for lead_id in ids:
                if lead_id not in self.leads:
                    out.append({"id": lead_id, "status": "skipped",
                                "reasons": [reason("1004")]})
                elif lead_id not in lst.members:
                    out.append({"id": lead_id, "status": "skipped",
                                "reasons": [reason("1015")]})
                else:
                    del lst.members[lead_id]
                    out.append({"id": lead_id, "status": "removed"})
            if any(r["status"] == "removed" for r in out):
                lst.updated_at = self.clock.now()
            self._log(lst.id, [r["id"] for r in out if r["status"] == "removed"],
                      REMOVE_FROM_LIST)
            return out

    def is_member(self, list_id: int, ids: list[int]) -> list[dict]:
        with self.lock:
            lst = self.get(list_id)
            return [{"id": i, "status": "skipped", "reasons": [reason("1004")]}
                    if i not in self.leads else
                    {"id": i, "status": "memberof" if i in lst.members else "notmemberof"}
                    for i in ids]

    def _log(self, list_id: int, lead_ids: list[int], type_id: int) -> None:
        """Add to List / Remove from List activities, one per lead whose membership
        changed."""
        now, add = self.clock.now(), self.activities.add
        for lead_id in lead_ids:
            add(lead_id, type_id, now, list_id, None, _LIST_SOURCE)

    def of_lead(self, lead_id: int) -> list[dict]:
        """The lists a lead is on (its listMembership)."""
        with self.lock:
            return [{"id": lst.id, "name": lst.name, "description": lst.description,
                     "createdAt": iso_utc(lst.created_at), "updatedAt": iso_utc(lst.updated_at)}
                    for lst in self.lists.values() if lead_id in lst.members]

    def forget_lead(self, lead_id: int) -> None:
        with self.lock:
            for lst in self.lists.values():
                lst.members.pop(lead_id, None)

    def carry_over(self, loser: int, winner: int) -> None:
        """A merge: the winner joins every list the loser was on."""
        with self.lock:
            for lst in self.lists.values():
                if loser in lst.members:
                    lst.members.setdefault(winner, lst.members[loser])

    # -- the asset API ---------------------------------------------------------------
    def browse(self, folder_param: str | None, offset: int, limit: int,
               earliest: str | None = None, latest: str | None = None) -> list[dict]:
        with self.lock:
            found = list(self.lists.values())
            if folder_param:
                folder = self.resolve_folder(folder_param)
                found = [lst for lst in found if lst.folder == folder]
            found = within(found, lambda lst: lst.updated_at, earliest, latest)
            return [lst.render_asset(self.tree) for lst in found[offset:offset + limit]]

    def create(self, name: str, folder_param: object, description: str = "") -> list[dict]:
        with self.lock:
            folder = self.resolve_folder(folder_param)
            if not name or not name.strip():
                raise MarketoError("701", what="name")
            if self.by_name(name) is not None:
                raise MarketoError("709", DUPLICATE_LIST_MESSAGE)
            now = self.clock.now()
            lst = StaticList(self.ids.take(), name, description, folder, now, now)
            self.lists[lst.id] = lst
            return [lst.render_asset(self.tree)]

    def asset(self, list_id: int) -> list[dict]:
        with self.lock:
            lst = self.lists.get(list_id)
            return [lst.render_asset(self.tree)] if lst else []

    def asset_by_name(self, name: str) -> list[dict]:
        with self.lock:
            lst = self.by_name(name)
            return [lst.render_asset(self.tree)] if lst is not None and lst.name == name else []

    def update(self, list_id: int, name: str | None, description: str | None) -> list[dict]:
        with self.lock:
            lst = self.get(list_id)
            if name is not None:
                other = self.by_name(name)
                if other is not None and other.id != list_id:
                    raise MarketoError("709", DUPLICATE_LIST_MESSAGE)
                if not name.strip():
                    raise MarketoError("701", what="name")
                lst.name = name
            if description is not None:
                lst.description = description
            lst.updated_at = self.clock.now()
            return [lst.render_asset(self.tree)]

    def delete(self, list_id: int) -> list[dict]:
        """Delete a static list (702 when there is none, as the asset API answers)."""
        with self.lock:
            if list_id not in self.lists:
                raise MarketoError("702", f"Static List '{list_id}' not found")
            del self.lists[list_id]
            return [{"id": list_id}]

    def copy_into(self, source: Ref, target: Ref) -> None:
        """Empty copies of the lists in a place (a cloned program's), named after the
        program they now belong to."""
        program = self.tree.program_of(target)
        owner = self.tree.name(("Program", program)) if program is not None else \
            self.tree.name(target)
        for lst in [x for x in self.lists.values() if x.folder == source]:
            name = f"{owner}.{lst.name.split('.')[-1]}"
            if self.by_name(name) is not None:
                raise MarketoError("709", DUPLICATE_LIST_MESSAGE)
            now = self.clock.now()
            copy = StaticList(self.ids.take(), name, lst.description, target, now, now)
            self.lists[copy.id] = copy

    # -- seeding and snapshots -------------------------------------------------------
    def _folder_of(self, spec: dict) -> Ref:
        """A seeded list's folder: {id, type}, or an id (a list folder, else a program)."""
        raw = spec.get("folder", 12)
        if isinstance(raw, dict):
            ref: Ref | None = (str(raw.get("type", "Folder")), raw.get("id"))  # type: ignore[assignment]  # checked below
        elif whole_number(raw, 1) is not None:
            number = whole_number(raw, 1) or 0
            ref = ("Folder", number) if number in self.tree.folders else ("Program", number)
        else:
            ref = None
        if ref is None or ref[0] not in ("Folder", "Program") or type(ref[1]) is not int or \
                not self.tree.exists(ref):
            raise ValueError(f"list {spec.get('name')!r}: unknown folder {raw!r}")
        return ref

    def seed(self, data: dict) -> None:
        for spec in data.get("lists") or []:
            if not isinstance(spec, dict) or not _text(spec.get("name")) or \
                    not isinstance(spec.get("description", ""), str):
                raise ValueError("a list is {name, description, folder, id, members} with a "
                                 "text name")
            folder = self._folder_of(spec)
            if self.by_name(spec["name"]) is not None:
                raise ValueError(f"list {spec['name']!r} is seeded twice")
            now = self.clock.now()
            created = parse_time(spec["createdAt"]) if "createdAt" in spec else now
            updated = parse_time(spec["updatedAt"]) if "updatedAt" in spec else created
            list_id = int(spec.get("id") or self.ids.take())
            lst = StaticList(list_id, spec["name"], spec.get("description", ""), folder,
                             created, updated)
            for lead_id in spec.get("members") or []:
                if int(lead_id) not in self.leads:
                    raise ValueError(f"list {spec['name']!r}: member {lead_id} is not a lead")
                lst.members[int(lead_id)] = created
            self.lists[list_id] = lst
            self.ids.note(list_id)

    def snapshot(self) -> dict:
        return {"lists": [{"id": lst.id, "name": lst.name, "description": lst.description,
                           "folder": {"id": lst.folder[1], "type": lst.folder[0]},
                           "createdAt": iso_utc(lst.created_at),
                           "updatedAt": iso_utc(lst.updated_at), "members": list(lst.members)}
                          for lst in self.lists.values()]}
