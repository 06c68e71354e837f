"""Bombora account lists of one client (tenant = client id), vendor-apis.md §4.

Lists have uuid ids and a type; accounts are upserted into Manual lists by id (which
defaults to the normalised domain); a request naming one identifier twice is refused whole;
a list name can be used once (B-BOM-06: the same audience name from another dataflow fails).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from vendorsim.mocks.core.backend import atomic
from vendorsim.mocks.core.bearer import ApiError
from vendorsim.mocks.core.clock import Clock, iso_utc
from vendorsim.mocks.core.domains import normalise_domain
from vendorsim.mocks.core.locking import locked
from vendorsim.mocks.core.outbox import Outbox
from vendorsim.mocks.core.seeds import Names, Records, Shape

from ..facts import LIST_TYPES, MAX_LIST_NAME
from .errors import problem
from .webhooks import Webhooks

__all__ = ["AccountList", "BomboraClient", "problem"]


@dataclass
class AccountList:
    id: str
    type: str
    name: str
    description: str
    specification: dict
    created: float
    modified: float
    accounts_modified: float | None = None
    accounts: dict[str, dict] = field(default_factory=dict)  # id -> {domain, id, attributes}

    def render(self) -> dict:
        return {"id": self.id, "type": self.type, "name": self.name,
                "description": self.description,
                "accountsLastModified": iso_utc(self.accounts_modified)
                if self.accounts_modified else None,
                "accountTotal": len(self.accounts), "pendingUpdate": False,
                "createdDate": iso_utc(self.created), "modifiedDate": iso_utc(self.modified)}


class BomboraListSeed(Shape):
    id: Any = None
    type: Any = None
    name: Any = None
    description: Any = None
    specification: Any = None
    domains: Names = []


class BomboraSeed(Shape):
    account_lists: list[BomboraListSeed] | None = None
    webhook_destinations: Records | None = None


class BomboraClient:
    """All account lists of one API client."""

    seed_shape = BomboraSeed

    def __init__(self, client_id: str, clock: Clock, outbox: Outbox | None = None) -> None:
        self.client_id = client_id
        self.clock = clock
        self.lock = threading.RLock()
        self.lists: dict[str, AccountList] = {}
        self.outbox = outbox  # the cloud's: where webhook deliveries wait for their time
        self.webhooks = Webhooks(self.lock, clock, outbox, client_id)

    def get(self, list_id: str) -> AccountList:
        found = self.lists.get(list_id)
        if found is None:
            raise problem(404, f"Account list '{list_id[:100]}' not found")
        return found

    def _by_name(self, name: str) -> AccountList | None:
        return next((x for x in self.lists.values() if x.name.lower() == name.lower()), None)

    @locked
    def all_lists(self) -> list[dict]:
        """Every account list as the API renders it."""
        return [x.render() for x in self.lists.values()]

    @locked
    def describe(self, list_id: str) -> dict:
        return self.get(list_id).render()

    @locked
    def domains(self, list_id: str) -> list[str]:
        """The domains of a list's accounts, sorted."""
        return sorted(a["domain"] for a in self.get(list_id).accounts.values())

    @locked
    def create(self, body: object, list_id: str | None = None) -> AccountList:
        if not isinstance(body, dict):
            raise problem(400, "The request body must be a JSON object")
        kind = body.get("type")
        raw_meta = body.get("metadata")
        meta: dict = raw_meta if isinstance(raw_meta, dict) else {}
        name = meta.get("name")
        if kind not in LIST_TYPES:
            raise problem(422, f"type must be one of {', '.join(LIST_TYPES)}")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_LIST_NAME:
            raise problem(422, f"metadata.name is required (at most {MAX_LIST_NAME} "
                               "characters)")
        raw_spec = body.get("specification")
        spec: dict = raw_spec if isinstance(raw_spec, dict) else {}
        parent = spec.get("parentId")
        if kind == "Derived" and (not isinstance(parent, str) or parent not in self.lists):
            raise problem(422, "A Derived list needs specification.parentId of an existing list")
        if self._by_name(name) is not None:
            raise problem(409, f"An account list named '{name}' already exists")
        now = self.clock.now()
        created = AccountList(list_id or str(uuid.uuid4()), kind, name,
                              str(meta.get("description") or ""), spec, now, now)
        if created.id in self.lists:
            raise problem(409, f"An account list with id '{created.id[:100]}' already exists")
        self.lists[created.id] = created
        return created

    @locked
    def update(self, list_id: str, body: object) -> dict:
        current = self.get(list_id)
        meta = body.get("metadata") if isinstance(body, dict) else None
        if not isinstance(meta, dict):
            raise problem(400, "Expected {\"metadata\": {\"name\", \"description\"}}")
        name = meta.get("name", current.name)
        other = self._by_name(str(name))
        if other is not None and other.id != list_id:
            raise problem(409, f"An account list named '{name}' already exists")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_LIST_NAME:
            raise problem(422, "metadata.name is text of at most "
                               f"{MAX_LIST_NAME} characters")
        current.name = name
        current.description = str(meta.get("description", current.description))[:2000]
        current.modified = self.clock.now()
        return current.render()

    @locked
    def delete(self, list_id: str) -> None:
        self.get(list_id)
        if any(x.specification.get("parentId") == list_id for x in self.lists.values()):
            raise problem(409, "The list is the parent of a Derived list")
        del self.lists[list_id]

    @locked
    def upsert_accounts(self, list_id: str, items: object) -> dict:
        """Upsert by id (default: the normalised domain); invalid domains are reported."""
        target = self.get(list_id)
        if target.type != "Manual":
            raise problem(422, "Accounts can only be added to Manual lists")
        if not isinstance(items, list) or not items:
            raise problem(400, "The request body must be a non-empty array of accounts")
        accepted: list[dict] = []
        rejected: list[dict] = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            # `domain` in Bombora's API; `companyWebsiteDomain` as the CDP's mapping names it
            raw = (item.get("domain", item.get("companyWebsiteDomain"))
                   if isinstance(item, dict) else None)
            domain = normalise_domain(raw)
            if domain is None:
                rejected.append({"index": index, "domain": raw, "message": "Invalid domain"})
                continue
            ident = str(item.get("id") or domain)
            if ident in seen:
                raise problem(400, f"Duplicate account identifier in request: '{ident}'")
            seen.add(ident)
            accepted.append({"id": ident, "domain": domain,
                             "attributes": item.get("attributes") or {}})
        added = sum(1 for a in accepted if a["id"] not in target.accounts)
        for account in accepted:
            target.accounts[account["id"]] = account
        if accepted:
            target.accounts_modified = self.clock.now()
            self._updated(target, added, 0, len(accepted) - added)
        return {"accepted": len(accepted), "rejected": rejected}

    def _updated(self, target: AccountList, added: int, removed: int, updated: int) -> None:
        """AccountListAccountsUpdated for the destinations that enabled it."""
        self.webhooks.happened("AccountListAccountsUpdated", {
            "accountListId": target.id, "accountListName": target.name,
            "accountsAdded": added, "accountsUpdated": updated, "accountsRemoved": removed,
            "accountTotal": len(target.accounts)})

    @locked
    def remove_accounts(self, list_id: str, domains: object | None) -> int:
        """Clear the list (no body, idempotent) or remove the given domains."""
        target = self.get(list_id)
        if domains is None:
            removed = len(target.accounts)
            target.accounts.clear()
        else:
            if not isinstance(domains, list):
                raise problem(400, "Expected an array of domains")
            wanted = {normalise_domain(d) for d in domains}
            gone = [k for k, a in target.accounts.items() if a["domain"] in wanted]
            for key in gone:
                del target.accounts[key]
            removed = len(gone)
        target.accounts_modified = self.clock.now()
        if removed:
            self._updated(target, 0, removed, 0)
        return removed

    # -- seeding and snapshots -------------------------------------------------------
    @atomic
    def seed(self, data: dict) -> None:
        for spec in data.get("account_lists") or []:
            try:
                created = self.create({"type": spec.get("type", "Manual"),
                                       "metadata": {"name": spec.get("name"),
                                                    "description": spec.get("description")},
                                       "specification": spec.get("specification") or {}},
                                      spec.get("id"))
                if spec.get("domains"):
                    result = self.upsert_accounts(created.id, [{"domain": d}
                                                               for d in spec["domains"]])
                    if result["rejected"]:
                        raise ValueError(f"invalid domains {result['rejected']}")
            except ApiError as exc:
                raise ValueError(str(exc.body)) from None
        self.webhooks.seed(data.get("webhook_destinations") or [])

    def snapshot(self) -> dict:
        with self.lock:
            return {"account_lists": [
                {"id": x.id, "type": x.type, "name": x.name, "description": x.description,
                 "specification": x.specification,
                 "domains": sorted(a["domain"] for a in x.accounts.values())}
                for x in self.lists.values()],
                "webhook_destinations": self.webhooks.snapshot()}

    def restore(self, data: dict) -> None:
        if not isinstance(data, dict):
            raise ValueError("Bombora state must be an object")
        self.seed(data)
