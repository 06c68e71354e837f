"""What every SFMC account holds from the start, beside what its users make: the system data
folders (one root per content type: data extensions, emails, lists, triggered sends, ...),
the "Default Commercial" and "Default Transactional" send classifications, and the folders
users add under them (SOAP `DataFolder`, `SendClassification`)."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.ids import IdSequence

from ..facts import SYSTEM_FOLDERS
from .errors import SfmcError
from .scopes import Caller, operation


@dataclass
class Folder:
    id: int
    name: str
    content_type: str
    parent_id: int
    customer_key: str
    created: float
    description: str = ""
    system: bool = False

    def record(self) -> dict:
        return {"ID": self.id, "ObjectID": f"folder-{self.id}", "CustomerKey": self.customer_key,
                "Name": self.name, "Description": self.description,
                "ContentType": self.content_type, "IsActive": True,
                "IsEditable": not self.system, "AllowChildren": True,
                "CreatedDate": self.created, "ModifiedDate": self.created,
                "ParentFolder": {"ID": self.parent_id}, "ParentFolder.ID": self.parent_id}


@dataclass(frozen=True)
class SendClassification:
    key: str
    name: str
    description: str

    def record(self) -> dict:
        return {"ObjectID": f"sendclassification-{self.key}", "CustomerKey": self.key,
                "Name": self.name, "Description": self.description}


CLASSIFICATIONS = (
    SendClassification("Default Commercial", "Default Commercial",
                       "Commercial emails honour unsubscribes"),
    SendClassification("Default Transactional", "Default Transactional",
                       "Transactional emails are sent to unsubscribed subscribers too"))


class FolderStore:
    """The account's data folders: the system roots, and folders made under them."""

    def __init__(self, lock: threading.RLock, clock: Clock,
                 ids: IdSequence | None = None) -> None:
        self.lock = lock
        self.clock = clock
        self.folders: dict[int, Folder] = {}
        # ids of folders made by users start at 100 (system roots below)
        self.ids = ids or IdSequence("folders", 100)
        now = clock.now()
        for folder_id, (name, content_type) in enumerate(SYSTEM_FOLDERS, start=1):
            self.folders[folder_id] = Folder(folder_id, name, content_type, 0,
                                             str(uuid.uuid5(uuid.NAMESPACE_URL, name)), now,
                                             system=True)
        self.classifications = {c.key.lower(): c for c in CLASSIFICATIONS}

    def root(self, content_type: str) -> int:
        """The system folder of a content type (data extensions go to "Data Extensions")."""
        return next(f.id for f in self.folders.values() if f.system and
                    f.content_type == content_type)

    def check(self, folder_id: int | None, content_type: str) -> int:
        """The folder an object goes into: the one named (of its content type), else the
        content type's root; 400 for a folder that is none of its type."""
        if folder_id is None:
            return self.root(content_type)
        found = self.folders.get(folder_id)
        if found is None or found.content_type != content_type:
            raise SfmcError(400, f"CategoryID {folder_id} is not a {content_type} folder.",
                            10001)
        return folder_id

    @operation("email.write")
    def create(self, caller: Caller, name: object, content_type: object, parent: object,
               description: object = "") -> Folder:
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise SfmcError(400, "A folder needs a Name (at most 200 characters).", 10001)
        parent_folder = self.folders.get(parent) if isinstance(parent, int) else None
        if parent_folder is None:
            raise SfmcError(400, "ParentFolder.ID must name a folder.", 10001)
        if content_type not in (None, "", parent_folder.content_type):
            raise SfmcError(400, "A folder's ContentType is its parent's.", 10001)
        if any(f.parent_id == parent_folder.id and f.name.lower() == name.lower()
               for f in self.folders.values()):
            raise SfmcError(400, f"A folder named '{name}' already exists there.", 10001)
        made = Folder(self.ids.take(), name, parent_folder.content_type, parent_folder.id,
                      str(uuid.uuid4()), self.clock.now(), str(description or "")[:500])
        self.folders[made.id] = made
        return made

    # -- seeding and snapshots -----------------------------------------------------------
    def snapshot(self) -> list[dict]:
        return [{"id": f.id, "name": f.name, "parentId": f.parent_id,
                 "description": f.description} for f in self.folders.values() if not f.system]

    def seed(self, folders: list) -> None:
        for spec in folders:
            if not isinstance(spec, dict):
                raise ValueError("a folder is {id, name, parentId, description}")
            made = self.create(Caller(), spec.get("name"), None, spec.get("parentId"),
                               spec.get("description", ""))
            wanted = spec.get("id")
            if isinstance(wanted, int) and not isinstance(wanted, bool) and wanted >= 100 \
                    and wanted not in self.folders:
                del self.folders[made.id]
                made.id = wanted
                self.folders[wanted] = made
                self.ids.note(wanted)
