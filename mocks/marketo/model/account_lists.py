"""Named account lists' members (B-B2B-01): which named accounts are on which list. The
lists and the accounts are records of their object stores; membership is kept here."""

from __future__ import annotations

import threading

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from .errors import MarketoError, reason
from .objects import ObjectStore


class NamedAccountLists:
    """Members of each named account list; every operation takes the instance's lock."""

    def __init__(self, lock: threading.RLock, clock: Clock, lists: ObjectStore,
                 accounts: ObjectStore) -> None:
        self.lock = lock
        self.clock = clock
        self.lists = lists
        self.accounts = accounts
        self.members: dict[int, dict[int, float]] = {}  # list record id -> account id -> when

    def _list_id(self, list_guid: str) -> int:
        record = self.lists.by_id_field(list_guid)
        if record is None:
            raise MarketoError("1013", "Named account list not found")
        return record.id

    @locked
    def members_page(self, list_guid: str, fields: list[str], offset: int, batch: int
                     ) -> tuple[list[dict], bool]:
        """Get Named Account List Accounts: a page of the accounts on the list."""
        held = self.members.get(self._list_id(list_guid), {})
        accounts = self.accounts.records
        ids = [rid for rid in held if rid in accounts]
        fields = self.accounts.check_fields(fields)
        return ([accounts[rid].render(fields, offset + n)
                 for n, rid in enumerate(ids[offset:offset + batch])],
                offset + batch < len(ids))

    @locked
    def change(self, list_guid: str, records: list, *, add: bool) -> list[dict]:
        """Add named accounts to a list, or take them off (1013 for one not on it)."""
        members = self.members.setdefault(self._list_id(list_guid), {})
        results = []
        for seq, item in enumerate(records):
            guid = item.get("marketoGUID") if isinstance(item, dict) else None
            account = self.accounts.by_id_field(guid)
            if account is None:
                results.append({"seq": seq, "status": "skipped",
                                "reasons": [reason("1013", "Named account not found")]})
                continue
            if add:
                members.setdefault(account.id, self.clock.now())
            elif account.id not in members:
                results.append({"seq": seq, "marketoGUID": account.guid, "status": "skipped",
                                "reasons": [reason("1013", "Named account not in list")]})
                continue
            else:
                del members[account.id]
            results.append({"seq": seq, "marketoGUID": account.guid,
                            "status": "added" if add else "removed"})
        return results

    def seed(self, spec: object) -> None:
        """`namedAccountListMembers`: list GUID -> account GUIDs."""
        if not isinstance(spec, dict):
            raise ValueError("namedAccountListMembers maps a list's GUID to account GUIDs")
        for guid, members in spec.items():
            nal = self.lists.by_id_field(guid)
            if nal is None or not isinstance(members, list):
                raise ValueError(f"namedAccountListMembers: unknown list {guid!r} or not a list")
            for member in members:
                account = self.accounts.by_id_field(member)
                if account is None:
                    raise ValueError(f"named account list {guid}: unknown account {member!r}")
                self.members.setdefault(nal.id, {})[account.id] = self.clock.now()

    def snapshot(self) -> dict:
        lists, accounts = self.lists.records, self.accounts.records
        return {lists[lid].guid: [accounts[a].guid for a in members if a in accounts]
                for lid, members in self.members.items() if lid in lists}
