"""Content Builder (vendor-apis.md §8.2): an account's categories (folders, under the root
"Content Builder") and its assets (emails, templates, blocks, files), as the asset API
reads and writes them. The rules SFMC documents: an asset's name is unique within its
category and asset type, its customer key unique in the account, its category must exist;
a category's name is unique under its parent. Every operation takes the account's lock and
checks the package's scope."""

from __future__ import annotations

import copy
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.ids import IdSequences

from ..facts import ASSET_TYPES, DUPLICATE_ASSET_KEY, DUPLICATE_ASSET_NAME, INVALID_REQUEST
from .content_query import Query, QueryError, run
from .errors import SfmcError
from .scopes import Caller, operation

ROOT = "Content Builder"
MAX_NAME = 200
WRITABLE = ("name", "description", "content", "contentType", "views", "data", "meta",
            "tags", "design", "slots", "blocks", "file", "fileProperties", "sharingProperties")


@dataclass
class Category:
    id: int
    name: str
    parent_id: int
    description: str = ""

    def render(self, member: int) -> dict:
        return {"id": self.id, "description": self.description, "enterpriseId": member,
                "memberId": member, "name": self.name, "parentId": self.parent_id,
                "categoryType": "asset"}


@dataclass
class Asset:
    id: int
    customer_key: str
    object_id: str
    type_id: int
    category_id: int
    created: float
    modified: float
    values: dict[str, Any] = field(default_factory=dict)  # name, content, views, ...
    status: str = "Draft"
    version: int = 1


class ContentStore:
    """The account's Content Builder: categories by id, assets by id (keys indexed)."""

    def __init__(self, lock: threading.RLock, clock: Clock, member_id: int,
                 sequences: IdSequences | None = None) -> None:
        self.lock = lock
        self.clock = clock
        self.member_id = member_id
        self.categories: dict[int, Category] = {}
        self.assets: dict[int, Asset] = {}
        self._keys: dict[str, int] = {}  # lower-cased customer key -> asset id
        ids = sequences or IdSequences()
        self.category_ids = ids.sequence("contentCategories", 1000)
        self.asset_ids = ids.sequence("contentAssets", 10000)
        self.root = self._category(ROOT, 0)

    # -- categories ------------------------------------------------------------------
    def _category(self, name: str, parent_id: int, description: str = "",
                  category_id: int | None = None) -> Category:
        if category_id:
            self.category_ids.note(category_id)
        made = Category(category_id or self.category_ids.take(), name, parent_id, description)
        self.categories[made.id] = made
        return made

    @operation("content.read")
    def list_categories(self, caller: Caller, parent_id: int | None) -> list[dict]:
        return [c.render(self.member_id) for c in self.categories.values()
                if parent_id is None or c.parent_id == parent_id]

    @operation("content.read")
    def category(self, caller: Caller, category_id: int) -> dict:
        return self._get_category(category_id).render(self.member_id)

    def _get_category(self, category_id: object) -> Category:
        found = self.categories.get(category_id) if isinstance(category_id, int) else None
        if found is None:
            raise SfmcError(404, f"Category with id {str(category_id)[:40]} was not found.",
                            10002)
        return found

    @operation("content.write")
    def create_category(self, caller: Caller, body: object) -> dict:
        spec = body if isinstance(body, dict) else {}
        name = spec.get("name")
        parent = self._check_category(name, spec.get("parentId", self.root.id), None)
        return self._category(str(name), parent,
                              str(spec.get("description") or "")[:500]).render(self.member_id)

    @operation("content.write")
    def update_category(self, caller: Caller, category_id: int, body: object) -> dict:
        found = self._get_category(category_id)
        spec = body if isinstance(body, dict) else {}
        name = spec.get("name", found.name)
        found.parent_id = self._check_category(name, spec.get("parentId", found.parent_id),
                                               found.id)
        found.name = str(name)
        return found.render(self.member_id)

    @operation("content.write")
    def delete_category(self, caller: Caller, category_id: int) -> None:
        found = self._get_category(category_id)
        if found.id == self.root.id or any(c.parent_id == found.id
                                           for c in self.categories.values()) \
                or any(a.category_id == found.id for a in self.assets.values()):
            raise SfmcError(400, "A category holding assets or categories, or the root, "
                                 "cannot be deleted.", INVALID_REQUEST)
        del self.categories[found.id]

    def _check_category(self, name: object, parent: object, itself: int | None) -> int:
        """The parent's id, once the name and the parent are checked."""
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise SfmcError(400, "A category needs a name (at most 200 characters).",
                            INVALID_REQUEST)
        if type(parent) is not int or parent not in self.categories or parent == itself:
            raise SfmcError(400, f"parentId {str(parent)[:40]} is not a category.",
                            INVALID_REQUEST)
        if any(c.parent_id == parent and c.name.lower() == name.lower() and c.id != itself
               for c in self.categories.values()):
            raise SfmcError(400, f"A category named '{name}' already exists here.",
                            INVALID_REQUEST)
        return parent

    # -- assets ----------------------------------------------------------------------
    def render(self, asset: Asset) -> dict:
        """An asset as the API answers it."""
        kind = ASSET_TYPES[asset.type_id]
        category = self.categories.get(asset.category_id, self.root)
        who = {"id": 1, "email": "api@vendorsim.example", "name": "API User"}
        return {"id": asset.id, "customerKey": asset.customer_key,
                "objectID": asset.object_id, "contentType": "",
                "assetType": {"id": asset.type_id, "name": kind[0], "displayName": kind[1]},
                "version": asset.version, "locked": False, "memberId": self.member_id,
                "enterpriseId": self.member_id, "createdDate": sfmc_time(asset.created),
                "createdBy": who, "modifiedDate": sfmc_time(asset.modified),
                "modifiedBy": who, "owner": who, "status": {
                    "id": 1 if asset.status == "Draft" else 2, "name": asset.status},
                "category": {"id": category.id, "name": category.name,
                             "parentId": category.parent_id},
                "availableViews": [], "modelVersion": 2, **copy.deepcopy(asset.values)}

    def get(self, asset_id: object) -> Asset:
        found = self.assets.get(asset_id) if isinstance(asset_id, int) else None
        if found is None:
            raise SfmcError(404, f"Asset with id {str(asset_id)[:40]} was not found.", 10002)
        return found

    @operation("content.read")
    def asset(self, caller: Caller, asset_id: int) -> dict:
        return self.render(self.get(asset_id))

    @operation("content.read")
    def query(self, caller: Caller, query: Query | None, sort: list[tuple[str, bool]],
              page: int, size: int, fields: list[str] | None = None) -> tuple[int, list[dict]]:
        """How many assets match a query, and one page of them, sorted (by id without
        `sort`)."""
        try:
            return run([self.render(a) for a in self.assets.values()], query, sort, page,
                       size, fields)
        except QueryError as exc:
            raise SfmcError(400, str(exc), INVALID_REQUEST) from None

    @operation("content.write")
    def create_asset(self, caller: Caller, body: object) -> dict:
        spec = body if isinstance(body, dict) else {}
        type_id = _asset_type(spec.get("assetType"))
        category = self._asset_category(spec.get("category"))
        key = spec.get("customerKey") or str(uuid.uuid4())
        self._check_asset(spec.get("name"), type_id, category, key, None)
        now = self.clock.now()
        made = Asset(self.asset_ids.take(), str(key), str(uuid.uuid4()), type_id, category, now,
                     now, _values(spec))
        self.assets[made.id] = made
        self._keys[made.customer_key.lower()] = made.id
        return self.render(made)

    @operation("content.write")
    def update_asset(self, caller: Caller, asset_id: int, body: object, whole: bool) -> dict:
        """PUT (`whole`: the body is the asset) or PATCH (only what the body names)."""
        found = self.get(asset_id)
        spec = body if isinstance(body, dict) else {}
        values = _values(spec) if whole else {**found.values, **_values(spec)}
        type_id = _asset_type(spec["assetType"]) if "assetType" in spec else found.type_id
        category = self._asset_category(spec["category"]) if "category" in spec \
            else found.category_id
        key = spec.get("customerKey", found.customer_key)
        self._check_asset(values.get("name"), type_id, category, key, found.id)
        self._keys.pop(found.customer_key.lower(), None)
        found.values, found.type_id, found.category_id = values, type_id, category
        found.customer_key = str(key)
        self._keys[found.customer_key.lower()] = found.id
        found.modified, found.version = self.clock.now(), found.version + 1
        return self.render(found)

    @operation("content.write")
    def delete_asset(self, caller: Caller, asset_id: int) -> None:
        found = self.get(asset_id)
        del self.assets[found.id]
        self._keys.pop(found.customer_key.lower(), None)

    def _asset_category(self, value: object) -> int:
        if value is None:
            return self.root.id
        category_id = value.get("id") if isinstance(value, dict) else None
        if type(category_id) is not int or category_id not in self.categories:
            raise SfmcError(400, f"Category {str(category_id)[:40]} does not exist.",
                            INVALID_REQUEST)
        return category_id

    def _check_asset(self, name: object, type_id: int, category: int, key: object,
                     itself: int | None) -> None:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise SfmcError(400, "An asset needs a name (at most 200 characters).",
                            INVALID_REQUEST)
        if not isinstance(key, str) or not key.strip() or len(key) > 36:
            raise SfmcError(400, "customerKey is text of at most 36 characters.",
                            INVALID_REQUEST)
        holder = self._keys.get(key.lower())
        if holder is not None and holder != itself:
            raise SfmcError(400, f"customerKey {key} is already in use.", DUPLICATE_ASSET_KEY)
        if any(a.type_id == type_id and a.category_id == category and a.id != itself and
               str(a.values.get("name", "")).lower() == name.lower()
               for a in self.assets.values()):
            raise SfmcError(400, "Asset names within a category and asset type must be "
                                 f"unique. {name} is already taken. Suggested name: "
                                 f"{name} (1)", DUPLICATE_ASSET_NAME)

    # -- seeding and snapshots -----------------------------------------------------------
    def seed(self, data: object) -> None:
        spec = data if isinstance(data, dict) else {}
        for category in spec.get("categories") or []:
            made = self.create_category(_SYSTEM, category)
            if isinstance(category, dict) and isinstance(category.get("id"), int):
                self.categories[category["id"]] = self.categories.pop(made["id"])
                self.categories[category["id"]].id = category["id"]
                self.category_ids.note(category["id"])
        for asset in spec.get("assets") or []:
            made = self.create_asset(_SYSTEM, asset)
            if isinstance(asset, dict) and isinstance(asset.get("id"), int) and \
                    asset["id"] not in self.assets:
                moved = self.assets.pop(made["id"])
                moved.id = asset["id"]
                self.assets[moved.id] = moved
                self._keys[moved.customer_key.lower()] = moved.id
                self.asset_ids.note(moved.id)

    def snapshot(self) -> dict:
        return {"categories": [{"id": c.id, "name": c.name, "parentId": c.parent_id,
                                "description": c.description}
                               for c in self.categories.values() if c.id != self.root.id],
                "assets": [{"id": a.id, "customerKey": a.customer_key,
                            "assetType": {"id": a.type_id}, "category": {"id": a.category_id},
                            **copy.deepcopy(a.values)} for a in self.assets.values()]}


_SYSTEM = Caller()


def _asset_type(value: object) -> int:
    """An asset type given by id or name (SFMC sets the name from the id)."""
    spec = value if isinstance(value, dict) else {}
    type_id, name = spec.get("id"), spec.get("name")
    if type(type_id) is int and type_id in ASSET_TYPES:
        return type_id
    if type_id is None and isinstance(name, str):
        found = next((i for i, (n, _) in ASSET_TYPES.items() if n == name.lower()), None)
        if found is not None:
            return found
    raise SfmcError(400, "assetType needs the id (or name) of a known asset type.",
                    INVALID_REQUEST)


def _values(spec: dict) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in spec.items() if k in WRITABLE}


def sfmc_time(epoch: float) -> str:
    """Content Builder's times: ISO 8601 in the servers' zone, UTC-6 all year (chosen)."""
    local = datetime.fromtimestamp(epoch, UTC).astimezone(timezone(timedelta(hours=-6)))
    return local.isoformat(timespec="milliseconds")
