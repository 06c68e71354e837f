"""Files (Adobe's Files page): images, scripts, documents in Design Studio's Images and Files
folders, uploaded as multipart with a file name and content type, served from the instance's
landing page domain. Creating a name that exists replaces its content unless insertOnly is
true (then 709); a file's content can be replaced by id.

Chosen where Adobe is silent: names are unique in a folder; the URL is
`https://<munchkin>.mktoweb.com/rs/<munchkin>/images/<name>`."""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from vendorsim.mocks.core.clock import Clock, parse_time
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import Ref, asset_time, flag, name_value, parse_ref, text_value

if TYPE_CHECKING:
    from .world import AssetWorld


@dataclass
class StoredFile:
    id: int
    name: str
    description: str
    folder: Ref
    mime_type: str
    content: bytes
    created_at: float
    updated_at: float


class FileStore:
    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world
        self.files: dict[int, StoredFile] = {}
        self.next_id = 1001

    def render(self, found: StoredFile) -> dict:
        munchkin = self.world.owner.munchkin_id
        return {"id": found.id, "name": found.name, "description": found.description or None,
                "createdAt": asset_time(found.created_at),
                "updatedAt": asset_time(found.updated_at),
                "folder": {"id": found.folder[1], "name": self.world.tree.name(found.folder),
                           "type": found.folder[0]},
                "mimeType": found.mime_type, "size": len(found.content),
                "url": f"https://{munchkin.lower()}.mktoweb.com/rs/{munchkin}/images/"
                       f"{quote(found.name)}"}

    @locked
    def by_id(self, file_id: int) -> list[dict]:
        found = self.files.get(file_id)
        return [self.render(found)] if found else []

    @locked
    def by_name(self, name: str) -> list[dict]:
        return [self.render(f) for f in self.files.values() if f.name == name]

    @locked
    def browse(self, folder: object, offset: int, limit: int) -> list[dict]:
        place = parse_ref(folder, required=False)
        if place is not None:
            self.world.tree.need(place)
        found = [f for f in self.files.values() if place is None or f.folder == place]
        return [self.render(f) for f in found[offset:offset + limit]]

    @locked
    def create(self, form: dict, upload: tuple[bytes, str, str] | None) -> list[dict]:
        """Create File: name, folder and the file part needed; an existing name in the
        folder is replaced, or refused with insertOnly."""
        if upload is None:
            raise MarketoError("701", what="file")
        name = name_value(form.get("name"))
        assert name is not None
        ref = parse_ref(form.get("folder"))
        assert ref is not None
        place = self.world.tree.place(ref, ("Image",))
        description = text_value(form.get("description"), "description") or ""
        insert_only = flag(form.get("insertOnly"), "insertOnly", False)
        data, _, mime = upload
        now = self.clock.now()
        existing = next((f for f in self.files.values()
                         if f.name == name and f.folder == place), None)
        if existing is not None:
            if insert_only:
                raise MarketoError("709", f"A file named '{name[:80]}' already exists in this "
                                          "folder")
            existing.content, existing.mime_type, existing.updated_at = data, mime, now
            return [self.render(existing)]
        stored = StoredFile(self.next_id, name, description, place, mime, data, now, now)
        self.files[stored.id] = stored
        self.next_id += 1
        return [self.render(stored)]

    @locked
    def replace(self, file_id: int, upload: tuple[bytes, str, str] | None) -> list[dict]:
        found = self.files.get(file_id)
        if found is None:
            raise MarketoError("702", f"File '{file_id}' not found")
        if upload is None:
            raise MarketoError("701", what="file")
        found.content, found.mime_type = upload[0], upload[2]
        found.updated_at = self.clock.now()
        return [self.render(found)]

    # -- seeds and snapshots ---------------------------------------------------------
    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("files is a list of {id, name, folder, mimeType, content (base64)}")
        for spec in specs:
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                raise ValueError(f"file {str(spec)[:60]}: needs a name")
            folder = spec.get("folder", {"id": 28, "type": "Folder"})
            number = spec.get("id", self.next_id)
            try:
                content = base64.b64decode(str(spec.get("content", "")), validate=True)
                created = parse_time(spec.get("createdAt", self.clock.now()))
                updated = parse_time(spec.get("updatedAt", created))
            except (binascii.Error, ValueError, TypeError, OverflowError):
                raise ValueError(f"file {spec['name']!r}: content is base64, times "
                                 "ISO-8601") from None
            if type(number) is not int or number in self.files or not isinstance(folder, dict) \
                    or type(folder.get("id")) is not int or folder.get("type") != "Folder" \
                    or not self.world.tree.exists(("Folder", folder["id"])) \
                    or not isinstance(spec.get("mimeType", ""), str) \
                    or not isinstance(spec.get("description", ""), str):
                raise ValueError(f"file {spec['name']!r}: a new whole id and an existing "
                                 "folder {id, type: Folder}")
            self.files[number] = StoredFile(
                number, spec["name"], spec.get("description", ""), ("Folder", folder["id"]),
                spec.get("mimeType") or "application/octet-stream", content, created, updated)
            self.next_id = max(self.next_id, number + 1)

    def snapshot(self) -> list[dict]:
        return [{"id": f.id, "name": f.name, "description": f.description,
                 "folder": {"id": f.folder[1], "type": f.folder[0]}, "mimeType": f.mime_type,
                 "content": base64.b64encode(f.content).decode(),
                 "createdAt": asset_time(f.created_at)[:-5],
                 "updatedAt": asset_time(f.updated_at)[:-5]} for f in self.files.values()]
