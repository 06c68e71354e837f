"""The newer content API (`/rest/asset/v2/`, Adobe's Emails, Email Templates and Fragments
pages of the Email Designer): emails, email templates and fragments as JSON documents with
string ids, placed by `appData` (a workspace, a Design Studio folder, a program), drafted
and approved by state transitions (approve, unapprove, discard, create_draft), filtered by
workspace with index paging (at most 50 a page), cloned, deleted one by one or in bulk, and
asked what uses them.

Chosen where Adobe is silent: workspace ids are "1" for Default and then in the order
workspaces appear; an email uses its template; an email or template uses a fragment whose
id its HTML names in a `data-fragment-id` attribute; an approved asset or one in use is not
deleted (709) unless a bulk delete says ignoreUsedBy (then only unused ones go)."""

from __future__ import annotations

import copy
import re
import threading
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import asset_time, name_value, parse_asset_time, text_value
from .versioned import Asset

if TYPE_CHECKING:
    from .world import AssetWorld

TYPES = ("email", "emailtemplate", "fragment")
ACTIONS = ("approve", "unapprove", "discard", "create_draft")
PAGE_MAX = 50
FRAGMENT_USE = re.compile(r'data-fragment-id\s*=\s*["\']([^"\']+)["\']')
BODY_KEYS = ("data", "headers", "settings", "editorContext", "templateId")


def _object(body: dict, key: str, required: bool = False) -> dict:
    value = body.get(key)
    if value is None:
        if required:
            raise MarketoError("701", what=key)
        return {}
    if not isinstance(value, dict):
        raise MarketoError("1003", f"{key} is an object")
    return value


class ContentStore:
    """The v2 assets of one instance, each kind with its own string ids."""

    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world
        self.assets: dict[str, dict[str, Asset]] = {kind: {} for kind in TYPES}
        self.next_id = 1

    # -- helpers -------------------------------------------------------------------------
    def workspaces(self) -> dict[str, str]:
        """Workspace id -> name ("1" is Default)."""
        names = [f.name for f in self.world.tree.folders.values() if f.parent == 14]
        return {str(n): name for n, name in enumerate(names, 1)}

    def find(self, kind: str, asset_id: str) -> Asset:
        found = self.assets[kind].get(str(asset_id))
        if found is None:
            raise MarketoError("702", f"{kind} '{str(asset_id)[:40]}' not found")
        return found

    def _app_data(self, kind: str, raw: dict) -> dict:
        """Where the asset lives: a workspace, folder or (emails) program that exists."""
        keys = ("folderId", "workspaceId", "programId") if kind == "email" else \
            ("folderId", "workspaceId")
        if not any(raw.get(k) not in (None, "") for k in keys):
            raise MarketoError("701", what=" or ".join(keys))
        out = {"editorType": str(raw.get("editorType") or kind)}
        spaces = self.workspaces()
        if raw.get("workspaceId") not in (None, ""):
            if str(raw["workspaceId"]) not in spaces:
                raise MarketoError("710", f"Workspace '{str(raw['workspaceId'])[:40]}' not found")
            out["workspaceId"] = str(raw["workspaceId"])
        for key, tree_kind in (("folderId", "Folder"), ("programId", "Program")):
            if raw.get(key) in (None, ""):
                continue
            number = whole_number(raw[key], 1)
            if number is None or not self.world.tree.exists((tree_kind, number)):
                raise MarketoError("710", f"{key} '{str(raw[key])[:40]}' not found")
            out[key] = str(number)
            name = self.world.tree.workspace((tree_kind, number))
            out["workspaceId"] = next(i for i, n in spaces.items() if n == name)
        return out

    def _version(self, kind: str, body: dict, base: dict | None = None) -> dict:
        version = copy.deepcopy(base) if base else {"data": {}, "headers": {}, "settings": {},
                                                    "editorContext": {}, "templateId": None}
        for key in ("data", "headers", "settings", "editorContext"):
            if body.get(key) is not None:
                version[key] = {**version[key], **_object(body, key)}
        if kind == "email" and body.get("templateId") not in (None, ""):
            template = str(body["templateId"])
            self.find("emailtemplate", template)
            version["templateId"] = template
        if kind == "email" and not isinstance(version["headers"].get("subject"), str):
            raise MarketoError("701", what="headers.subject")
        if kind == "fragment":
            settings = version["settings"]
            if not isinstance(settings.get("fragmentType"), str):
                raise MarketoError("701", what="settings.fragmentType")
            channels = settings.get("supportedChannels")
            if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
                raise MarketoError("701", what="settings.supportedChannels")
        return version

    def render(self, kind: str, asset: Asset, status: str | None = None) -> dict:
        shown, version = asset.versions(status)[0] if asset.versions(status) else \
            ("draft", asset.latest())
        state = "approvedWithDraft" if asset.approved is not None and asset.draft is not None \
            else shown
        out = {"id": str(asset.id), "name": asset.name, "description": asset.description,
               "appType": kind, "status": shown, "state": state,
               "appData": dict(asset.extra["appData"]),
               "metadata": {"createdAt": asset_time(asset.created_at),
                            "modifiedAt": asset_time(asset.updated_at)},
               **{k: copy.deepcopy(version[k]) for k in ("data", "editorContext")}}
        if kind in ("email", "fragment"):
            out["settings"] = copy.deepcopy(version["settings"])
        if kind == "email":
            out["headers"] = copy.deepcopy(version["headers"])
            out["templateId"] = version["templateId"]
        return out

    def users(self, kind: str, asset: Asset) -> list[tuple[str, Asset]]:
        """What uses an asset: emails of a template; content naming a fragment."""
        found: list[tuple[str, Asset]] = []
        for other_kind in ("email", "emailtemplate"):
            for other in self.assets[other_kind].values():
                for version in (other.draft, other.approved):
                    if version is None:
                        continue
                    body = str(version["data"].get("html", {}).get("body", "")) \
                        if isinstance(version["data"].get("html"), dict) else ""
                    if (kind == "emailtemplate" and other_kind == "email"
                            and version["templateId"] == str(asset.id)) or \
                            (kind == "fragment" and str(asset.id) in FRAGMENT_USE.findall(body)):
                        found.append((other_kind, other))
                        break
        return found

    # -- operations ------------------------------------------------------------------------
    @locked
    def get(self, kind: str, asset_id: str) -> list[dict]:
        found = self.assets[kind].get(str(asset_id))
        return [self.render(kind, found)] if found else []

    @locked
    def bulk_get(self, kind: str, body: dict) -> list[dict]:
        ids = self._ids(body)
        return [self.render(kind, self.assets[kind][i]) for i in ids if i in self.assets[kind]]

    @staticmethod
    def _ids(body: dict) -> list[str]:
        ids = body.get("assetIds")
        if not isinstance(ids, list) or not ids:
            raise MarketoError("701", what="assetIds")
        if len(ids) > PAGE_MAX or not all(isinstance(i, str | int) and not isinstance(i, bool)
                                          for i in ids):
            raise MarketoError("1003", f"assetIds holds at most {PAGE_MAX} ids")
        return [str(i) for i in ids]

    @locked
    def create(self, kind: str, body: dict) -> list[dict]:
        name = name_value(body.get("name"))
        assert name is not None
        description = text_value(body.get("description"), "description") or ""
        app_data = self._app_data(kind, _object(body, "appData", required=True))
        version = self._version(kind, body)
        if any(a.name == name and a.extra["appData"].get("workspaceId") ==
               app_data.get("workspaceId") for a in self.assets[kind].values()):
            raise MarketoError("709", f"A {kind} named '{name[:80]}' exists in the workspace")
        now = self.clock.now()
        asset = Asset(self.next_id, name, description, ("Folder", 21), now, now, version,
                      None, {"appData": app_data})
        self.assets[kind][str(asset.id)] = asset
        self.next_id += 1
        return [self.render(kind, asset)]

    @locked
    def update(self, kind: str, asset_id: str, body: dict) -> list[dict]:
        asset = self.find(kind, asset_id)
        name = name_value(body.get("name"), required=False)
        description = text_value(body.get("description"), "description")
        version = self._version(kind, body, asset.latest())
        if name is not None:
            asset.name = name
        if description is not None:
            asset.description = description
        asset.draft = version
        asset.updated_at = self.clock.now()
        return [{"id": str(asset.id)}]

    @locked
    def transition(self, kind: str, body: dict) -> list[dict]:
        """approve, unapprove, discard (the draft beside the approved version), create_draft."""
        asset = self.find(kind, str(body.get("contentId") or ""))
        action = body.get("action")
        if action not in ACTIONS:
            raise MarketoError("1003", f"action is one of {', '.join(ACTIONS)}")
        if action == "approve":
            asset.promote()
        elif action == "unapprove":
            if asset.approved is None:
                raise MarketoError("709", f"{kind} '{asset.id}' is not approved")
            if self.users(kind, asset):
                raise MarketoError("709", f"{kind} '{asset.id}' is in use")
            asset.draft, asset.approved = asset.approved, None
        elif action == "discard":
            asset.discard_draft()
        else:
            if asset.draft is not None:
                raise MarketoError("709", f"{kind} '{asset.id}' already has a draft")
            asset.open_draft()
        asset.updated_at = self.clock.now()
        return [self.render(kind, asset)]

    @locked
    def clone(self, kind: str, body: dict) -> list[dict]:
        source = self.find(kind, str(body.get("assetId") or ""))
        new = _object(body, "newAsset", required=True)
        name = name_value(new.get("name"))
        assert name is not None
        description = text_value(new.get("description"), "description")
        now = self.clock.now()
        version = copy.deepcopy(source.approved if source.approved is not None
                                else source.draft)
        copied = Asset(self.next_id, name, source.description if description is None
                       else description, source.folder, now, now, version, None,
                       copy.deepcopy(source.extra))
        self.assets[kind][str(copied.id)] = copied
        self.next_id += 1
        return [self.render(kind, copied)]

    @locked
    def delete(self, kind: str, ids: list[str], ignore_used: bool = False) -> None:
        """Delete assets (all checked first: nothing goes when one may not)."""
        chosen = [self.find(kind, i) for i in ids]
        doomed = []
        for asset in chosen:
            if asset.approved is not None:
                raise MarketoError("709", f"{kind} '{asset.id}' is approved: unapprove it first")
            if self.users(kind, asset):
                if ignore_used:
                    continue
                raise MarketoError("709", f"{kind} '{asset.id}' is in use")
            doomed.append(asset)
        for asset in doomed:
            del self.assets[kind][str(asset.id)]

    @locked
    def delete_many(self, kind: str, body: dict) -> None:
        ignore = body.get("ignoreUsedBy", False)
        if not isinstance(ignore, bool):
            raise MarketoError("1003", "ignoreUsedBy is true or false")
        self.delete(kind, self._ids(body), ignore)

    @locked
    def used_by(self, kind: str, body: dict) -> tuple[list[dict], dict]:
        asset = self.find(kind, str(body.get("assetId") or ""))
        index = whole_number(body.get("pageIndex", 0), 0)
        size = whole_number(body.get("pageSize", 20), 1, PAGE_MAX)
        if index is None or size is None:
            raise MarketoError("1003", f"pageIndex is 0 or more, pageSize 1 to {PAGE_MAX}")
        found = [{"id": str(a.id), "name": a.name, "appData": dict(a.extra["appData"]),
                  "channel": "email", "contentType": k} for k, a in self.users(kind, asset)]
        return found[index * size:(index + 1) * size], {"totalItems": len(found),
                                                       "pageSize": size, "currentPage": index}

    @locked
    def bulk_used_by(self, kind: str, body: dict) -> list[dict]:
        out = []
        for asset_id in self._ids(body):
            asset = self.find(kind, asset_id)
            count = len(self.users(kind, asset))
            out.append({"id": asset_id, "name": asset.name, "count": count, "used": count > 0})
        return out

    @locked
    def filter(self, kind: str, query: dict) -> list[dict]:
        workspace = query.get("workspaceId")
        if not workspace:
            raise MarketoError("701", what="workspaceId")
        index = whole_number(query.get("pageIndex") or 0, 0)
        size = whole_number(query.get("pageSize") or 20, 1, PAGE_MAX)
        if index is None or size is None:
            raise MarketoError("1003", f"pageIndex is 0 or more, pageSize 1 to {PAGE_MAX}")
        statuses = {s.strip().lower() for s in str(query.get("status") or "").split(",")
                    if s.strip()}
        found = [a for a in self.assets[kind].values()
                 if a.extra["appData"].get("workspaceId") == str(workspace)]
        for key, attr in (("folderId", "folderId"), ("programId", "programId")):
            if query.get(key):
                found = [a for a in found if a.extra["appData"].get(attr) == str(query[key])]
        if query.get("name"):
            found = [a for a in found if str(query["name"]).lower() in a.name.lower()]
        if kind == "email" and query.get("templateId"):
            found = [a for a in found if a.latest()["templateId"] == str(query["templateId"])]
        if kind == "fragment" and query.get("fragmentType"):
            found = [a for a in found
                     if a.latest()["settings"].get("fragmentType") == query["fragmentType"]]
        if statuses:
            found = [a for a in found if ("approved" in statuses and a.approved is not None)
                     or ("draft" in statuses and a.draft is not None)]
        for key, attr, keep in (("createdAtStart", "created_at", 1),
                                ("createdAtEnd", "created_at", -1),
                                ("modifiedAtStart", "updated_at", 1),
                                ("modifiedAtEnd", "updated_at", -1)):
            if query.get(key):
                when = parse_asset_time(str(query[key]), key)
                found = [a for a in found if (getattr(a, attr) - when) * keep >= 0]
        reverse = str(query.get("sortOrder") or "asc").lower() == "desc"
        order = {"name": lambda a: a.name.lower(), "createdAt": lambda a: a.created_at,
                 "modifiedAt": lambda a: a.updated_at}.get(str(query.get("sortKey") or ""),
                                                           lambda a: a.id)
        found.sort(key=order, reverse=reverse)
        return [self.render(kind, a) for a in found[index * size:(index + 1) * size]]

    # -- seeds and snapshots ---------------------------------------------------------
    def seed(self, specs: object) -> None:
        """Snapshot records: {kind, id, name, description, draft, approved, extra.appData}."""
        try:
            self._seed(specs)
        except MarketoError as exc:
            raise ValueError(f"content asset: {exc.text}") from None

    def _seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("contentAssets is a list of v2 assets")
        for spec in specs:
            kind = spec.get("kind") if isinstance(spec, dict) else None
            versions = [spec.get("draft"), spec.get("approved")] if kind else []
            if kind not in TYPES or type(spec.get("id")) is not int or \
                    str(spec["id"]) in self.assets[kind] or \
                    not isinstance(spec.get("name"), str) or \
                    not isinstance(spec.get("description", ""), str) or \
                    not isinstance((spec.get("extra") or {}).get("appData"), dict) or \
                    versions == [None, None] or not all(
                        v is None or (isinstance(v, dict) and set(v) == set(BODY_KEYS)
                                      and all(isinstance(v[k], dict) for k in BODY_KEYS[:4])
                                      and isinstance(v["templateId"], str | None))
                        for v in versions):
                raise ValueError(f"content asset {str(spec)[:60]}: kind, a new whole id, a "
                                 "name, appData, a draft and/or approved version")
            now = self.clock.now()
            created = parse_asset_time(spec["createdAt"], "createdAt") \
                if isinstance(spec.get("createdAt"), str) else now
            updated = parse_asset_time(spec["updatedAt"], "updatedAt") \
                if isinstance(spec.get("updatedAt"), str) else created
            asset = Asset(spec["id"], spec["name"], spec.get("description", ""), ("Folder", 21),
                          created, updated, spec.get("draft"), spec.get("approved"),
                          {"appData": dict(spec["extra"]["appData"])})
            self.assets[kind][str(asset.id)] = asset
            self.next_id = max(self.next_id, asset.id + 1)

    def snapshot(self) -> list[dict]:
        return [{"kind": kind, **asset.to_dict()} for kind in TYPES
                for asset in self.assets[kind].values()]
