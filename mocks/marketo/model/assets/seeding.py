"""Seeding the asset world from a seed or a snapshot document.

Folders and programs are seeded in whatever order they depend on each other (a folder in a
program, a program in a folder). A folder without `parent` is placed by its type and
workspace, as the older seed form (`{id, name, folderType List|Program, workspace}`) gave
them; a folder of type Program there is a program.

A versioned asset is either a snapshot record (`draft`/`approved` versions as the mock keeps
them, checked by reading them back once) or a short form: the create call's parameters, plus
`content` for templates and snippets and `status: approved` to approve it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import parse_time

from ..errors import MarketoError
from .common import Ref
from .versioned import Asset, VersionedStore

if TYPE_CHECKING:
    from .world import AssetWorld

STUDIO = {"Email": 22, "Email Template": 23, "Landing Page": 24, "Landing Page Template": 25,
          "Landing Page Form": 26, "Snippet": 27, "Image": 28}
AREA_OF = {"List": 10, "Segmentation": 10, "Marketing Folder": 14, "Zone": 14}
KNOWN_TYPES = frozenset({*STUDIO, *AREA_OF})


def _workspace(spec: dict) -> str:
    value = spec.get("workspace", "Default")
    if not isinstance(value, str) or not 0 < len(value) <= 255:
        raise ValueError(f"{str(spec.get('name'))[:60]!r}: workspace is a name")
    return value


def _parent(world: AssetWorld, spec: dict) -> Ref:
    raw = spec.get("parent")
    if raw is not None:
        if not (isinstance(raw, dict) and raw.get("type") in ("Folder", "Program")
                and type(raw.get("id")) is int):
            raise ValueError(f"folder {str(spec.get('name'))[:60]!r}: parent is {{id, type}}")
        return raw["type"], raw["id"]
    kind, workspace = spec.get("folderType", "List"), _workspace(spec)
    if kind in STUDIO and workspace == "Default":
        return "Folder", STUDIO[kind]
    area = AREA_OF.get(kind, 20 if kind in STUDIO else None)
    if area is None:
        raise ValueError(f"folder {str(spec.get('name'))[:60]!r}: folderType {kind!r} is not "
                         "one the mock knows")
    return "Folder", world.tree.zone(area, workspace)


def _add_folder(world: AssetWorld, spec: dict, parent: Ref) -> None:
    name, number, kind = spec.get("name"), spec.get("id"), spec.get("folderType")
    if not isinstance(name, str) or not 0 < len(name) <= 255 or \
            (number is not None and whole_number(number, 1) is None) or \
            not isinstance(spec.get("description") or "", str) or \
            (kind is not None and kind not in KNOWN_TYPES):
        raise ValueError(f"folder {str(spec)[:60]}: a name, a whole id, a text description, a "
                         f"folderType of {', '.join(sorted(KNOWN_TYPES))}")
    folder_id = whole_number(number, 1) if number is not None else None
    siblings = [world.tree.folders[c[1]] for c in world.tree.children(parent)
                if c[0] == "Folder"]
    if spec.get("isSystem") and any(f.name == name and f.is_system for f in siblings):
        return  # a workspace's zone the instance already has
    if folder_id in world.tree.folders:
        raise ValueError(f"folder {name!r}: id {folder_id} is taken")
    now = world.clock.now()
    try:
        made = world.tree.add(name, parent, now, spec.get("description"), folder_id, kind)
        made.is_archive = spec.get("isArchive") is True
        made.is_system = spec.get("isSystem") is True
        made.created_at = _when(spec.get("createdAt"), now)
        made.updated_at = _when(spec.get("updatedAt"), made.created_at)
    except MarketoError as exc:
        raise ValueError(f"folder {name!r}: {exc.text}") from None
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"folder {name!r}: createdAt and updatedAt are ISO-8601") from None


def _when(raw: object, default: float) -> float:
    return parse_time(raw.replace("Z+0000", "Z")) if isinstance(raw, str) else default


def seed_tree(world: AssetWorld, data: dict) -> None:
    tree, store = world.tree, world.owner.programs
    now = world.clock.now()
    world.catalog.seed(data.get("channels"), data.get("tagTypes"), now)
    programs = [dict(p) if isinstance(p, dict) else p for p in data.get("programs") or []]
    known = {p.get("id") for p in programs if isinstance(p, dict)} | set(store.programs)
    folders = []
    for spec in data.get("folders") or []:
        if not isinstance(spec, dict):
            raise ValueError("a folder is {id, name, folderType, workspace, parent}")
        if spec.get("folderType") == "Program":  # the older seed form of a program
            if spec.get("id") not in known:
                programs.append({"id": spec.get("id"), "name": spec.get("name"),
                                 "workspace": spec.get("workspace", "Default")})
                known.add(spec.get("id"))
        else:
            folders.append(spec)
    reserved = {n for s in folders if (n := whole_number(s.get("id"), 1)) is not None}
    zones = [s for s in folders if s.get("isSystem") is True]
    for spec in zones:  # a snapshot's workspace zones first, with their own ids
        if tree.exists(_parent(world, spec)):
            _add_folder(world, spec, _parent(world, spec))
    folders = [s for s in folders if s not in zones or not tree.exists(_parent(world, s))]
    for spec in [*folders, *programs]:
        if isinstance(spec, dict):
            tree.ensure_workspace(_workspace(spec), now, reserved)
    for spec in programs:
        if not isinstance(spec, dict):
            continue  # the program store says what is wrong with it
        if not spec.get("folderId"):
            spec["folderId"] = tree.zone(14, _workspace(spec))
        name = spec.get("channel")
        channel = world.catalog.channel(name) if isinstance(name, str) else None
        if channel is not None and not spec.get("statuses"):
            spec["statuses"] = [list(s) for s in channel.statuses]  # the channel's own
    while folders or programs:
        ready = [s for s in folders if tree.exists(_parent(world, s))]
        for spec in ready:
            _add_folder(world, spec, _parent(world, spec))
        placed = [p for p in programs if not isinstance(p, dict) or
                  whole_number(p.get("folderId"), 1) in tree.folders]
        if placed:
            store.seed(placed)
        if not ready and not placed:
            stuck = (folders or programs)[0]
            raise ValueError(f"{str(stuck)[:80]}: its parent folder is not seeded")
        folders = [s for s in folders if s not in ready]
        programs = [p for p in programs if p not in placed]


def _probe(store: VersionedStore, asset: Asset) -> None:
    """Read a restored asset back the ways the API will (any error: it does not fit)."""
    for status, version in asset.versions(None) + asset.versions("draft"):
        store.render(asset, status, version)
        store.probe(asset, status)


def _restore(store: VersionedStore, spec: dict) -> None:
    number, folder = spec.get("id"), spec.get("folder")
    versions = [spec.get("draft"), spec.get("approved")]
    if type(number) is not int or number in store.assets or not isinstance(folder, dict) or \
            folder.get("type") not in ("Folder", "Program") or type(folder.get("id")) is not int \
            or not all(v is None or isinstance(v, dict) for v in versions) or \
            versions == [None, None] or not isinstance(spec.get("name"), str) or \
            not isinstance(spec.get("description", ""), str) or \
            not isinstance(spec.get("extra", {}), dict):
        raise ValueError(f"{str(spec.get('name'))[:60]!r}: a new whole id, a name, a folder "
                         "{id, type}, a draft and/or an approved version")
    ref: Ref = (folder["type"], folder["id"])
    if not store.world.tree.exists(ref):
        raise ValueError(f"{spec['name']!r}: folder {folder} not found")
    try:
        created = _when(spec.get("createdAt"), store.clock.now())
        updated = _when(spec.get("updatedAt"), created)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"{spec['name']!r}: createdAt and updatedAt are ISO-8601") from None
    asset = Asset(number, spec["name"], spec.get("description", ""), ref, created, updated,
                  spec.get("draft"), spec.get("approved"), dict(spec.get("extra", {})))
    store.assets[number] = asset
    store.next_id = max(store.next_id, number + 1)
    try:
        _probe(store, asset)
    except Exception:  # noqa: BLE001 - whatever breaks, the record does not fit the mock
        del store.assets[number]
        raise ValueError(f"{spec['name']!r}: its versions are not ones the mock keeps for a "
                         f"{store.kind.label.lower()}") from None


def _short(store: VersionedStore, spec: dict) -> None:
    number = store.create(spec)[0]["id"]
    wanted = spec.get("id")
    if wanted is not None:
        if type(wanted) is not int or wanted < 1 or (wanted in store.assets
                                                     and wanted != number):
            raise ValueError(f"{str(spec.get('name'))[:60]!r}: id {wanted!r} is not a new "
                             "whole number")
        store.assets[wanted] = store.assets.pop(number)
        store.assets[wanted].id = number = wanted
        store.next_id = max(store.next_id, wanted + 1)
    if spec.get("content") is not None:
        store.seed_content(number, spec["content"])
    if spec.get("status") == "approved":
        store.approve(number)


def seed_versioned(store: VersionedStore, specs: object) -> None:
    if not isinstance(specs, list):
        raise ValueError(f"{store.kind.name}s is a list of assets")
    for spec in specs:
        if not isinstance(spec, dict):
            raise ValueError(f"a {store.kind.label.lower()} is an object")
        try:
            if "draft" in spec or "approved" in spec:
                _restore(store, spec)
            else:
                _short(store, spec)
        except MarketoError as exc:
            raise ValueError(f"{store.kind.label.lower()} {str(spec.get('name'))[:60]!r}: "
                             f"{exc.text}") from None
