"""The B2B side of a lead database (B-B2B-01): standard object stores, named-account-list
membership and custom objects, as a mixin of LeadDatabase so one lock and one snapshot
cover leads and everything that points at them."""

from __future__ import annotations

from vendorsim.mocks.core.clock import Clock

from . import activities
from .activities import ActivityLog
from .b2b_schema import SEED_KEYS, STANDARD_KINDS
from .custom_activities import CustomActivityTypes
from .custom_objects import CustomObjects
from .errors import MarketoError, reason
from .objects import ObjectStore
from .programs import ProgramStore


class B2BMixin:
    clock: Clock
    objects: dict[str, ObjectStore]
    named_account_lists: dict[int, dict[int, float]]  # list record id -> account ids
    custom: CustomObjects
    activities: ActivityLog
    activity_types: CustomActivityTypes
    programs: ProgramStore
    leads: dict

    def _init_b2b(self) -> None:
        self.objects = {stem: ObjectStore(kind, self.clock)
                        for stem, kind in STANDARD_KINDS.items()}
        self.named_account_lists = {}
        self.custom = CustomObjects(self.clock)
        self.activity_types = CustomActivityTypes()

    # -- named account lists ---------------------------------------------------------
    def _account_list(self, list_guid: str) -> int:
        record = self.objects["namedAccountLists"].by_id_field(list_guid)
        if record is None:
            raise MarketoError("1013", "Named account list not found")
        return record.id

    def named_account_members(self, list_guid: str) -> list[int]:
        members = self.named_account_lists.get(self._account_list(list_guid), {})
        accounts = self.objects["namedaccounts"].records
        return [rid for rid in members if rid in accounts]

    def change_named_account_members(self, list_guid: str, records: list, *,
                                     add: bool) -> list[dict]:
        list_id = self._account_list(list_guid)
        members = self.named_account_lists.setdefault(list_id, {})
        accounts = self.objects["namedaccounts"]
        results = []
        for seq, item in enumerate(records):
            guid = item.get("marketoGUID") if isinstance(item, dict) else None
            account = accounts.by_id_field(guid)
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

    # -- seeding and snapshots -------------------------------------------------------
    def _seed_b2b(self, data: dict) -> None:
        for stem, key in SEED_KEYS.items():
            if data.get(key):
                self.objects[stem].seed(data[key])
        lists = self.objects["namedAccountLists"]
        for guid, members in (data.get("namedAccountListMembers") or {}).items():
            nal = lists.by_id_field(guid)
            if nal is None or not isinstance(members, list):
                raise ValueError(f"namedAccountListMembers: unknown list {guid!r} or not a list")
            for member in members:
                account = self.objects["namedaccounts"].by_id_field(member)
                if account is None:
                    raise ValueError(f"named account list {guid}: unknown account {member!r}")
                self.named_account_lists.setdefault(nal.id, {})[account.id] = self.clock.now()
        if data.get("customObjects"):
            self.custom.seed(data["customObjects"])
        if data.get("programs"):
            self.programs.seed(data["programs"], self.leads)
        self._seed_bulk(data)  # type: ignore[attr-defined]
        if data.get("campaigns"):
            self.programs.seed_campaigns(data["campaigns"])
        if data.get("customActivityTypes"):
            self.activity_types.seed(data["customActivityTypes"], self.clock.now())
        if data.get("activities"):
            activities.restore(self.activities, data["activities"],
                               data.get("activityOffset", 0))

    def _snapshot_b2b(self, with_activities: bool = True) -> dict:
        out: dict = {key: self.objects[stem].snapshot() for stem, key in SEED_KEYS.items()}
        lists = self.objects["namedAccountLists"].records
        accounts = self.objects["namedaccounts"].records
        out["namedAccountListMembers"] = {
            lists[lid].guid: [accounts[a].guid for a in members if a in accounts]
            for lid, members in self.named_account_lists.items() if lid in lists}
        out["customObjects"] = self.custom.snapshot()
        out["customActivityTypes"] = self.activity_types.snapshot()
        out["programs"] = self.programs.snapshot()
        out["campaigns"] = [{k: c[k] for k in ("id", "name", "programId", "isTriggerable")}
                            for c in self.programs.campaigns.values()]
        out.update(self._snapshot_bulk())  # type: ignore[attr-defined]
        if with_activities:
            out["activities"] = activities.snapshot(self.activities)
            if self.activities.offset:
                out["activityOffset"] = self.activities.offset
        return out
