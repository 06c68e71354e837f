"""Static lists and the folders that hold them (vendor-apis.md §1.10).

Names are unique in the instance (a duplicate answers 709), re-adding a member answers
`added`, removing a non-member answers 1015, and deleting a lead takes it off every list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import BadBody, parse_json, whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.ids import IdSequence
from vendorsim.mocks.core.locking import locked

from ..facts import DUPLICATE_LIST_MESSAGE
from .activity_log import ADD_TO_LIST, REMOVE_FROM_LIST, ActivityLog
from .errors import MarketoError, reason

if TYPE_CHECKING:
    from .leads import LeadStore

_LIST_SOURCE = (("Source", "API"),)


@dataclass
class Folder:
    id: int
    name: str
    folder_type: str  # "List" for lead-database list folders, "Program" for programs
    path: str
    workspace: str = "Default"

    def render(self) -> dict:
        return {"id": self.id, "name": self.name, "folderType": self.folder_type,
                "path": self.path, "workspace": self.workspace,
                "folderId": {"id": self.id,
                             "type": "Program" if self.folder_type == "Program" else "Folder"},
                "isArchive": False, "isSystem": False}


@dataclass
class StaticList:
    id: int
    name: str
    description: str
    folder: Folder
    created_at: float
    updated_at: float
    members: dict[int, float] = field(default_factory=dict)  # lead id -> time added

    def render_lead_db(self) -> dict:
        out = {"id": self.id, "name": self.name, "description": self.description,
               "workspaceName": self.folder.workspace,
               "createdAt": iso_utc(self.created_at), "updatedAt": iso_utc(self.updated_at)}
        if self.folder.folder_type == "Program":
            out["programName"] = self.folder.name
        return out

    def render_asset(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "createdAt": asset_time(self.created_at),
                "updatedAt": asset_time(self.updated_at),
                "folder": {"id": self.folder.id,
                           "type": "Program" if self.folder.folder_type == "Program"
                           else "Folder"},
                "computedUrl": f"https://app-ab00.marketo.com/#ST{self.id}A1",
                "workspace": self.folder.workspace}


def _text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 255


def asset_time(epoch: float) -> str:
    """The asset API's odd date format: `2021-11-23T22:57:24Z+0000`."""
    return iso_utc(epoch) + "+0000"


DEFAULT_FOLDERS = (
    Folder(11, "Default", "List", "/Lead Database/Default"),
    Folder(12, "Group Lists", "List", "/Lead Database/Default/Group Lists"),
)


class StaticListStore:
    """Folders and static lists of one instance; every operation takes its lock. Membership
    changes are logged (Add to List, Remove from List) in the instance's activity log."""

    def __init__(self, lock: threading.RLock, clock: Clock, leads: LeadStore,
                 activities: ActivityLog, ids: IdSequence) -> None:
        self.lock = lock
        self.clock = clock
        self.leads = leads
        self.activities = activities
        self.folders: dict[int, Folder] = {f.id: Folder(**f.__dict__) for f in DEFAULT_FOLDERS}
        self.lists: dict[int, StaticList] = {}
        self.ids = ids  # list ids, from 1001 (mocks/core/ids.py)

    # -- folders ---------------------------------------------------------------------
    def folder_by_name(self, name: str, workspace: str | None = None) -> list[dict]:
        with self.lock:
            return [f.render() for f in self.folders.values()
                    if f.name == name and (workspace is None or f.workspace == workspace)]

    def folder_by_id(self, folder_id: int) -> list[dict]:
        with self.lock:
            folder = self.folders.get(folder_id)
            return [folder.render()] if folder else []

    def folders_in(self, workspace: str | None) -> list[dict]:
        with self.lock:
            return [f.render() for f in self.folders.values()
                    if not workspace or f.workspace == workspace]

    def add_folder(self, name: str, folder_type: str = "List", workspace: str = "Default",
                   folder_id: int | None = None, path: str | None = None) -> Folder:
        fid = folder_id or max(self.folders) + 1
        if folder_type not in ("List", "Program"):
            raise ValueError("folder type is 'List' or 'Program'")
        path = path or (f"/Marketing Activities/{workspace}/{name}" if folder_type == "Program"
                        else f"/Lead Database/{workspace}/{name}")
        self.folders[fid] = Folder(fid, name, folder_type, path, workspace)
        return self.folders[fid]

    def resolve_folder(self, folder_param: object) -> Folder:
        """The folder of an asset-API `folder={"id":12,"type":"Folder"}` parameter."""
        if folder_param in (None, ""):
            raise MarketoError("701", what="folder")
        try:
            spec = parse_json(folder_param) if isinstance(folder_param, str) else folder_param
        except BadBody:
            spec = None
        folder_id = whole_number(spec.get("id"), 1) if isinstance(spec, dict) else None
        folder_type = spec.get("type", "Folder") if isinstance(spec, dict) else None
        if folder_id is None:
            raise MarketoError("1003", "Invalid folder: expected {\"id\":N,\"type\":"
                                       "\"Folder\"|\"Program\"}")
        if folder_type not in ("Folder", "Program"):
            raise MarketoError("1003", f"Invalid folder type '{folder_type}'")
        folder = self.folders.get(folder_id)
        if folder is None:
            raise MarketoError("710")
        expected = "Program" if folder_type == "Program" else "List"
        if folder.folder_type != expected:
            raise MarketoError("711")
        return folder

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
                     and (not workspaces or lst.folder.workspace in workspaces)
                     and (not programs or (lst.folder.folder_type == "Program"
                                           and lst.folder.name in programs))]
            return ([lst.render_lead_db() for lst in found[offset:offset + batch]],
                    offset + batch < len(found))

    @locked
    def member_ids(self, list_id: int) -> set[int]:
        return set(self.get(list_id).members)

    def described(self, list_id: int) -> list[dict]:
        with self.lock:
            return [self.get(list_id).render_lead_db()]

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
    def browse(self, folder_param: str | None, offset: int, limit: int) -> list[dict]:
        with self.lock:
            found = list(self.lists.values())
            if folder_param:
                folder = self.resolve_folder(folder_param)
                found = [lst for lst in found if lst.folder.id == folder.id]
            return [lst.render_asset() for lst in found[offset:offset + limit]]

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
            return [lst.render_asset()]

    def asset(self, list_id: int) -> list[dict]:
        with self.lock:
            lst = self.lists.get(list_id)
            return [lst.render_asset()] if lst else []

    def asset_by_name(self, name: str) -> list[dict]:
        with self.lock:
            lst = self.by_name(name)
            return [lst.render_asset()] if lst is not None and lst.name == name else []

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
            return [lst.render_asset()]

    def delete(self, list_id: int) -> list[dict]:
        """Delete a static list (702 when there is none, as the asset API answers)."""
        with self.lock:
            if list_id not in self.lists:
                raise MarketoError("702", f"Static List '{list_id}' not found")
            del self.lists[list_id]
            return [{"id": list_id}]

    # -- seeding and snapshots -------------------------------------------------------
    def seed(self, data: dict) -> None:
        for spec in data.get("folders") or []:
            if not isinstance(spec, dict) or not _text(spec.get("name")) or not all(
                    _text(spec.get(k, "x")) for k in ("workspace", "path")):
                raise ValueError("a folder is {name, folderType, workspace, id, path} with "
                                 "text values")
            folder_id = spec.get("id")
            if folder_id is not None and whole_number(folder_id, 1) is None:
                raise ValueError(f"folder {spec['name']!r}: id is a whole number")
            self.add_folder(spec["name"], spec.get("folderType", "List"),
                            spec.get("workspace", "Default"),
                            whole_number(folder_id) if folder_id is not None else None,
                            spec.get("path"))
        for spec in data.get("lists") or []:
            if not isinstance(spec, dict) or not _text(spec.get("name")) or \
                    not isinstance(spec.get("description", ""), str):
                raise ValueError("a list is {name, description, folder, id, members} with a "
                                 "text name")
            folder = self.folders.get(int(spec.get("folder", 12)))
            if folder is None:
                raise ValueError(f"list {spec.get('name')!r}: unknown folder {spec.get('folder')}")
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
        return {
            "folders": [{"id": f.id, "name": f.name, "folderType": f.folder_type,
                         "path": f.path, "workspace": f.workspace}
                        for f in self.folders.values()],
            "lists": [{"id": lst.id, "name": lst.name, "description": lst.description,
                       "folder": lst.folder.id, "createdAt": iso_utc(lst.created_at),
                       "updatedAt": iso_utc(lst.updated_at), "members": list(lst.members)}
                      for lst in self.lists.values()],
        }
