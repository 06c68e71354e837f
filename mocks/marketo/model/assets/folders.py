"""The asset tree of one instance: the three areas (Marketing Activities, Design Studio, Lead
Database) with a Default workspace each, their system folders, user folders, and programs
(folders of type Program, whose records live in the program store). Every asset sits in one
place of this tree; paths, workspaces and program membership are read from it.

A new instance holds what a new Marketo subscription holds (ids are the mock's choice):
Lead Database 10 (Default 11, Group Lists 12, Segmentations 13), Marketing Activities 14
(Default 15), Design Studio 20 (Default 21: Emails 22 with Templates 23, Landing Pages 24 with
Templates 25, Forms 26, Snippets 27, Images and Files 28)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import MarketoError
from .common import Ref, app_url, asset_time

if TYPE_CHECKING:
    from ..programs import ProgramStore

ZONE = "Zone"
AREAS = {10: "Lead Database", 14: "Marketing Activities", 20: "Design Studio"}
# (id, name, folder type, parent id, system): the folders every instance starts with
SYSTEM_FOLDERS = (
    (10, "Lead Database", ZONE, None, True), (11, "Default", "List", 10, True),
    (12, "Group Lists", "List", 11, False), (13, "Segmentations", "Segmentation", 11, True),
    (14, "Marketing Activities", ZONE, None, True), (15, "Default", ZONE, 14, True),
    (20, "Design Studio", ZONE, None, True), (21, "Default", ZONE, 20, True),
    (22, "Emails", "Email", 21, True), (23, "Templates", "Email Template", 22, True),
    (24, "Landing Pages", "Landing Page", 21, True),
    (25, "Templates", "Landing Page Template", 24, True),
    (26, "Forms", "Landing Page Form", 21, True), (27, "Snippets", "Snippet", 21, True),
    (28, "Images and Files", "Image", 21, True),
)
DEFAULT_PROGRAM_FOLDER = 15
# what a folder made under a folder of each type is
CHILD_TYPE = {"Marketing Folder": "Marketing Folder", "Program": "Marketing Folder",
              "List": "List", "Email": "Email", "Email Template": "Email Template",
              "Landing Page": "Landing Page", "Landing Page Template": "Landing Page Template",
              "Landing Page Form": "Landing Page Form", "Snippet": "Snippet", "Image": "Image",
              "Segmentation": "Segmentation"}


@dataclass
class Folder:
    id: int
    name: str
    folder_type: str
    parent: int | None  # a Folder id; programs hold folders, folders hold folders and programs
    workspace: str
    created_at: float
    updated_at: float
    description: str | None = None
    is_system: bool = False
    is_archive: bool = False
    parent_program: int | None = None  # set when the parent is a program

    @property
    def parent_ref(self) -> Ref | None:
        if self.parent_program is not None:
            return ("Program", self.parent_program)
        return ("Folder", self.parent) if self.parent is not None else None


class FolderTree:
    """Folders and the program records seen as folders. Callers hold the instance's lock."""

    def __init__(self, programs: ProgramStore, now: float) -> None:
        self.programs = programs
        self.folders: dict[int, Folder] = {}
        for fid, name, kind, parent, system in SYSTEM_FOLDERS:
            self.folders[fid] = Folder(fid, name, kind, parent, "Default", now, now,
                                       is_system=system)

    # -- looking things up -----------------------------------------------------------
    def exists(self, ref: Ref) -> bool:
        kind, number = ref
        return number in (self.programs.programs if kind == "Program" else self.folders)

    def need(self, ref: Ref, code: str = "710") -> Ref:
        """The place must exist (710 Parent Folder Not Found, or the code asked for)."""
        if not self.exists(ref):
            raise MarketoError(code, f"{ref[0]} '{ref[1]}' not found" if code != "710"
                               else None)
        return ref

    def parent(self, ref: Ref) -> Ref | None:
        if ref[0] == "Program":
            return ("Folder", self.programs.programs[ref[1]].folder_id)
        return self.folders[ref[1]].parent_ref

    def name(self, ref: Ref) -> str:
        if ref[0] == "Program":
            return self.programs.programs[ref[1]].name
        return self.folders[ref[1]].name

    def folder_type(self, ref: Ref) -> str:
        return "Program" if ref[0] == "Program" else self.folders[ref[1]].folder_type

    def workspace(self, ref: Ref) -> str:
        if ref[0] == "Program":
            return self.programs.programs[ref[1]].workspace
        return self.folders[ref[1]].workspace

    def lineage(self, ref: Ref) -> list[Ref]:
        """The place and every place above it, nearest first."""
        out: list[Ref] = []
        current: Ref | None = ref
        while current is not None and current not in out:
            out.append(current)
            current = self.parent(current)
        return out

    def path(self, ref: Ref) -> str:
        return "/" + "/".join(self.name(r) for r in reversed(self.lineage(ref)))

    def area(self, ref: Ref) -> str:
        top = self.lineage(ref)[-1]
        return AREAS.get(top[1], "") if top[0] == "Folder" else ""

    def program_of(self, ref: Ref) -> int | None:
        """The program a place belongs to (itself, or the nearest program above it)."""
        return next((r[1] for r in self.lineage(ref) if r[0] == "Program"), None)

    def children(self, ref: Ref) -> list[Ref]:
        found: list[Ref] = [("Folder", f.id) for f in self.folders.values()
                            if f.parent_ref == ref]
        if ref[0] == "Folder":
            found += [("Program", p.id) for p in self.programs.programs.values()
                      if p.folder_id == ref[1]]
        return found

    def place(self, ref: Ref, accepts: tuple[str, ...], *, in_programs: bool = False) -> Ref:
        """Where an asset may be made: an existing place (710) of a folder type the asset
        lives in (711); `in_programs`: programs, and Marketing Folders inside them, too."""
        self.need(ref)
        kind = self.folder_type(ref)
        if kind in accepts:
            return ref
        if in_programs and (kind == "Program" or (kind == "Marketing Folder"
                                                  and self.program_of(ref) is not None)):
            return ref
        raise MarketoError("711", f"Incompatible Folder Type: a {kind} folder cannot hold it")

    # -- answers ---------------------------------------------------------------------
    def ref_value(self, ref: Ref) -> dict:
        """An asset's folder as emails, landing pages and forms show it."""
        return {"type": ref[0], "value": ref[1], "folderName": self.name(ref)}

    @staticmethod
    def ref_id(ref: Ref) -> dict:
        """An asset's folder as lists, smart lists and smart campaigns show it."""
        return {"id": ref[1], "type": ref[0]}

    def render(self, ref: Ref) -> dict:
        """A FolderResponse."""
        parent = self.parent(ref)
        url: str | None
        description: str | None
        if ref[0] == "Program":
            program = self.programs.programs[ref[1]]
            created, updated = program.created_at, program.updated_at
            description, system, archive = program.description, False, False
            url = app_url("PG", program.id)
        else:
            folder = self.folders[ref[1]]
            created, updated = folder.created_at, folder.updated_at
            description, system, archive = folder.description, folder.is_system, \
                folder.is_archive
            url = None if folder.is_system else app_url("MF", folder.id)
        return {"name": self.name(ref), "description": description,
                "createdAt": asset_time(created), "updatedAt": asset_time(updated),
                "url": url, "folderId": self.ref_id(ref), "folderType": self.folder_type(ref),
                "parent": self.ref_id(parent) if parent else None, "path": self.path(ref),
                "isArchive": archive, "isSystem": system, "accessZoneId": 1,
                "workspace": self.workspace(ref), "id": ref[1]}

    def browse(self, root: Ref | None, depth: int, workspace: str | None) -> list[Ref]:
        """Get Folders: the root and what lies below it, `depth` levels down (each area's
        root when none is given), breadth first."""
        level = [self.need(root, "702")] if root is not None else \
            [("Folder", fid) for fid in AREAS]
        found: list[Ref] = []
        for _ in range(depth + 1):
            found += level
            level = [c for r in level for c in self.children(r)]
        return [r for r in found if not workspace or self.workspace(r) == workspace]

    def by_name(self, name: str, kind: str | None, root: Ref | None,
                workspace: str | None) -> list[Ref]:
        everything: list[Ref] = [("Folder", f) for f in self.folders] + \
            [("Program", p) for p in self.programs.programs]
        return [r for r in everything if self.name(r) == name
                and (kind is None or r[0] == kind)
                and (root is None or root in self.lineage(r)[1:])
                and (not workspace or self.workspace(r) == workspace)]

    # -- changes ---------------------------------------------------------------------
    def ensure_workspace(self, workspace: str, now: float, reserved: set[int]) -> None:
        """A workspace's zone in each area (Marketo's admin makes them; seeds name them),
        with ids no folder of the seed document uses."""
        for area in AREAS:
            if not any(f.parent == area and f.name == workspace for f in self.folders.values()):
                fid = max(self.next_id(), max(reserved, default=0) + 1)
                self.folders[fid] = Folder(fid, workspace, ZONE if area != 10 else "List",
                                           area, workspace, now, now, is_system=True)

    def zone(self, area: int, workspace: str) -> int:
        """A workspace's zone in an area (ValueError for a workspace the instance lacks)."""
        found = next((f.id for f in self.folders.values()
                      if f.parent == area and f.name == workspace), None)
        if found is None:
            raise ValueError(f"workspace {workspace[:60]!r} has no folder in "
                             f"{AREAS.get(area, area)}")
        return found

    def next_id(self) -> int:
        return max(self.folders) + 1

    def add(self, name: str, parent: Ref, now: float, description: str | None = None,
            folder_id: int | None = None, folder_type: str | None = None) -> Folder:
        """A new folder under a folder or program: its type follows the parent's."""
        self.need(parent)
        parent_type = self.folder_type(parent)
        if folder_type is None:
            if parent_type == ZONE:
                folder_type = {"Marketing Activities": "Marketing Folder",
                               "Lead Database": "List"}.get(self.area(parent))
            else:
                folder_type = CHILD_TYPE.get(parent_type)
        if folder_type is None:
            raise MarketoError("711", f"Incompatible Folder Type: no folder can be made in "
                                      f"'{self.name(parent)}'")
        if any(self.name(c) == name for c in self.children(parent)):
            raise MarketoError("709", f"A folder named '{name[:80]}' already exists there")
        fid = folder_id or self.next_id()
        folder = Folder(fid, name, folder_type, parent[1] if parent[0] == "Folder" else None,
                        self.workspace(parent), now, now, description,
                        parent_program=parent[1] if parent[0] == "Program" else None)
        self.folders[fid] = folder
        return folder

    def editable(self, folder_id: int) -> Folder:
        folder = self.folders.get(folder_id)
        if folder is None:
            raise MarketoError("702", f"Folder '{folder_id}' not found")
        if folder.is_system:
            raise MarketoError("709", "System folders cannot be changed")
        return folder

    def rename(self, folder: Folder, name: str) -> None:
        parent = folder.parent_ref
        if parent is not None and any(self.name(c) == name and c != ("Folder", folder.id)
                                      for c in self.children(parent)):
            raise MarketoError("709", f"A folder named '{name[:80]}' already exists there")
        folder.name = name

    # -- seeds and snapshots ---------------------------------------------------------
    def snapshot(self) -> list[dict]:
        """The folders made after the instance began (the system ones always exist)."""
        system = {row[0] for row in SYSTEM_FOLDERS}
        return [{"id": f.id, "name": f.name, "folderType": f.folder_type,
                 "workspace": f.workspace, "path": self.path(("Folder", f.id)),
                 "parent": self.ref_id(f.parent_ref) if f.parent_ref else None,
                 "description": f.description, "isArchive": f.is_archive,
                 "isSystem": f.is_system, "createdAt": asset_time(f.created_at),
                 "updatedAt": asset_time(f.updated_at)}
                for f in sorted(self.folders.values(), key=lambda f: f.id) if f.id not in system]
