"""One Marketo instance (a Munchkin ID): the stores of every API area under one lock, its
seed, snapshot and restore, the bulk work the clock says is due, and the operations that
span areas (deleting and merging leads, pushing leads into a program, form fills, a lead's
memberships)."""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from vendorsim.mocks.core.auth import Credential
from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.calendar import NEVER, RuleView
from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.ids import IdSequences
from vendorsim.mocks.core.locking import locked
from vendorsim.mocks.core.service import atomic

from .account_lists import NamedAccountLists
from .activities import Activities
from .activity_log import FILL_OUT_FORM, MERGE_LEADS, ActivityLog, restore, snapshot
from .assets.world import AssetWorld
from .bulk import BulkArea
from .bulk_exports import ExportQueue
from .bulk_imports import ImportQueue
from .campaign_flow import CampaignFlows
from .campaigns import CampaignStore
from .custom_activities import FIRST_ID as CUSTOM_TYPE_FIRST_ID
from .custom_activities import CustomActivityTypes
from .custom_objects import CustomObjects
from .email_sends import EmailSends
from .errors import MarketoError
from .fields import FieldDef, Schema
from .leads import LeadStore
from .lists import StaticListStore
from .object_kinds import SEED_KEYS, STANDARD_KINDS
from .objects import ObjectStore
from .programs import ProgramStore
from .records import Lead, Partition, Settings
from .seed_shape import MarketoSeed
from .usage import Usage, last_days
from .webhooks import Webhooks

if TYPE_CHECKING:
    from vendorsim.mocks.core.outbox import Outbox

COOKIE = re.compile(r"id:\d{3}-[A-Z]{3}-\d{3}&token:_mch-[\w.-]+-\d+-\d+", re.I)
MAX_MERGE = 3  # a winner and up to three losers per call (chosen from the docs' example)
MEMBERSHIPS = ("listMembership", "programMembership", "smartCampaignMembership")


class MarketoInstance:
    """Everything one instance holds. Each store's operations take `lock` themselves."""

    seed_shape = MarketoSeed

    def __init__(self, munchkin_id: str, clock: Clock, in_force: RuleView = NEVER,
                 outbox: Outbox | None = None) -> None:
        self.munchkin_id = munchkin_id
        self.clock = clock
        self.outbox = outbox  # the cloud's: campaign flows' work and webhook calls
        self.in_force = in_force  # which of Marketo's dated changes hold (its calendar)
        self.lock = lock = threading.RLock()
        self.settings = Settings()
        self.schema = Schema()
        self.sequences = ids = IdSequences()  # every id it hands out (mocks/core/ids.py)
        self.activity_log = log = ActivityLog(ids=ids.sequence("activities"))
        self.leads = LeadStore(lock, clock, self.schema, self.settings, log,
                               ids.sequence("leads"))
        self.programs = ProgramStore(lock, clock, self.leads, log)
        self.assets = AssetWorld(lock, clock, self)
        self.lists = StaticListStore(lock, clock, self.leads, log, self.assets.tree,
                                     ids.sequence("lists", 1001))
        self.campaigns = CampaignStore(lock, clock, self.leads, log)
        self.email_sends = EmailSends(lock, clock, self.leads, log, self.assets, outbox,
                                      ids.sequence("campaignRuns"))
        self.webhooks = Webhooks(lock, clock, self.leads, log, outbox, munchkin_id)
        self.flows = CampaignFlows(lock, clock, outbox, self.email_sends, self.webhooks)
        self.flows.campaigns, self.flows.lists = self.campaigns, self.lists
        self.campaigns.flows = self.flows
        # the outbox's tasks reach whichever stores the instance holds (after `atomic`)
        self.email_sends.wake = lambda due: self.email_sends.catch_up(due)
        self.flows.resume = lambda entry_id: self.flows.run_later(entry_id)
        self.objects = {stem: ObjectStore(kind, clock, lock, ids=ids.sequence(SEED_KEYS[stem]))
                        for stem, kind in STANDARD_KINDS.items()}
        self.account_lists = NamedAccountLists(lock, clock, self.objects["namedAccountLists"],
                                               self.objects["namedaccounts"])
        self.custom = CustomObjects(lock, clock)
        self.activity_types = CustomActivityTypes(
            lock, clock, ids.sequence("activityTypes", CUSTOM_TYPE_FIRST_ID))
        self.activities = Activities(lock, log, self.leads, self.lists, self.activity_types,
                                     in_force)
        self.bulk = BulkArea(lock, clock, self)
        self.usage = Usage()

    # -- what tests and tools read ---------------------------------------------------
    @property
    def partitions(self) -> dict[int, Partition]:
        return self.leads.partitions

    @property
    def exports(self) -> ExportQueue:
        return self.bulk.exports

    @property
    def imports(self) -> ImportQueue:
        return self.bulk.imports

    def find(self, field_name: str, value: object, partition_id: int | None = None
             ) -> list[Lead]:
        return self.leads.find(field_name, value, partition_id)

    def run_due_jobs(self) -> None:
        self.bulk.run_due_jobs()

    # -- operations that span areas --------------------------------------------------
    @locked
    def delete_leads(self, ids: list[int], credential: Credential | None = None
                     ) -> list[dict]:
        """Delete Leads: each also leaves every list and program."""
        results, deleted = self.leads.delete(ids, credential)
        for lead_id in deleted:
            self.lists.forget_lead(lead_id)
            self.programs.forget_lead(lead_id)
        return results

    @locked
    def merge(self, winner_id: int, loser_ids: list[int], credential: Credential | None
              ) -> None:
        """Merge Leads: the winner keeps its values and fills its empty ones from the
        losers, takes their list and program memberships, and the losers go."""
        winner = self.leads.get(winner_id)
        losers = [self.leads.get(i) for i in loser_ids]
        if winner is None or any(lead is None for lead in losers):
            raise MarketoError("1004")
        for loser in losers:
            assert loser is not None  # checked above
            self.leads.update(winner, {k: v for k, v in loser.values.items()
                                       if winner.values.get(k) in (None, "")})
            self.lists.carry_over(loser.id, winner.id)
            self.programs.carry_over(loser.id, winner.id)
        self.delete_leads(loser_ids, credential)
        self.activity_log.add(winner.id, MERGE_LEADS, self.clock.now(), winner.id, None,
                              (("Merge IDs", ",".join(map(str, loser_ids))),))

    @locked
    def push(self, program_name: str, records: list, lookup: str,
             credential: Credential | None) -> list[dict]:
        """Push Lead to Marketo: sync the leads, then make them members of the program."""
        program = self.programs.program_named(program_name)
        results = self.leads.sync(records, lookup_field=lookup, credential=credential)
        self.programs.join(program, [r["id"] for r in results if "id" in r])
        return results

    @locked
    def submit_form(self, form_id: int, records: list, credential: Credential | None
                    ) -> list[dict]:
        """Submit Form: sync each lead by email and log a Fill Out Form activity."""
        results = []
        for item in records:
            fields = item.get("leadFormFields") if isinstance(item, dict) else None
            if not isinstance(fields, dict) or not fields.get("email"):
                results.append({"status": "skipped", "reasons": [
                    {"code": "1003", "message": "leadFormFields with an email is needed"}]})
                continue
            result = self.leads.sync([fields], credential=credential)[0]
            if "id" in result:
                self.activity_log.add(result["id"], FILL_OUT_FORM, self.clock.now(), form_id,
                                      f"Form {form_id}",
                                      (("Form Fields", str(sorted(fields))[:255]),))
            results.append(result)
        return results

    def associate(self, lead_id: int, cookie: str) -> None:
        """Associate Lead: a Munchkin cookie (1012 for one that is not) with a lead."""
        if not COOKIE.fullmatch(cookie):
            raise MarketoError("1012", value=cookie[:60])
        self.leads.associate(lead_id, cookie)

    @locked
    def memberships(self, lead_id: int, what: str, offset: int, batch: int
                    ) -> tuple[list[dict], bool]:
        """A page of a lead's lists, programs or smart campaigns."""
        if lead_id not in self.leads:
            raise MarketoError("1004")
        found = (self.lists.of_lead(lead_id) if what == "listMembership" else
                 self.programs.of_lead(lead_id) if what == "programMembership" else
                 self.campaigns.of_lead(lead_id))
        return found[offset:offset + batch], offset + batch < len(found)

    def stats(self, kind: str, days: int) -> list[dict]:
        """API usage or errors per day, for the last `days` days."""
        wanted = last_days(self.clock.now(), days)
        return self.usage.report(kind, wanted)

    # -- seeds and snapshots ---------------------------------------------------------
    @atomic
    def seed(self, data: dict) -> None:
        """Add state: settings, fields, partitions, leads, folders and programs, lists, B2B
        objects, custom objects, bulk jobs, campaigns, the asset world, custom activity
        types, activities."""
        with self.lock:
            self.settings.update(data.get("settings") or {})
            self.activity_log.limit = self.settings.max_activities
            self.activity_log.retention = self.settings.activity_retention_days * 86400.0
            for spec in data.get("fields") or []:
                self.leads.add_field(FieldDef.from_dict(spec))
            for spec in data.get("partitions") or []:
                spec = {"name": spec} if isinstance(spec, str) else spec
                self.leads.add_partition(spec["name"], spec.get("description", ""))
            for spec in data.get("leads") or []:
                self.leads.seed_lead(spec)
            self.assets.seed_tree(data)  # folders and programs
            self.lists.seed(data)
            for stem, key in SEED_KEYS.items():
                if data.get(key):
                    self.objects[stem].seed(data[key])
            if data.get("namedAccountListMembers"):
                self.account_lists.seed(data["namedAccountListMembers"])
            if data.get("customObjects"):
                self.custom.seed(data["customObjects"])
            self.bulk.seed(data)
            if data.get("webhooks"):
                self.webhooks.seed(data["webhooks"])
            if data.get("campaigns"):
                self.campaigns.seed(data["campaigns"], set(self.programs.programs))
            self.assets.seed_assets(data)
            for campaign in self.campaigns.campaigns.values():
                self.flows.check(campaign)  # emails are seeded with the assets, above
            if data.get("customActivityTypes"):
                self.activity_types.seed(data["customActivityTypes"])
            if data.get("activities") or data.get("activityOffset"):
                restore(self.activity_log, data.get("activities") or [],
                        data.get("activityOffset", 0))
            self.sequences.restore(data.get("nextIds"))
            # last: activities whose time came while a snapshot lay on disk are logged after
            # the restored ones, with ids above them
            self.email_sends.seed(data)
            if data.get("flowsWaiting"):
                self.flows.seed(data["flowsWaiting"])

    @locked
    def snapshot(self, *, activities: bool = True) -> dict:
        """All state; `activities=False` leaves out the activity log (for quick checks)."""
        out: dict = {"settings": self.settings.to_dict(), **self.leads.snapshot(),
                     **self.lists.snapshot()}
        out.update({key: self.objects[stem].snapshot() for stem, key in SEED_KEYS.items()})
        out["namedAccountListMembers"] = self.account_lists.snapshot()
        out["customObjects"] = self.custom.snapshot()
        out["customActivityTypes"] = self.activity_types.snapshot()
        out["programs"] = self.programs.snapshot()
        out["campaigns"] = self.campaigns.snapshot()
        out["webhooks"] = self.webhooks.snapshot()
        out.update(self.email_sends.snapshot())
        out["flowsWaiting"] = self.flows.snapshot()
        out.update(self.assets.snapshot())
        out.update(self.bulk.snapshot())
        if activities:
            out["activities"] = snapshot(self.activity_log)
            if self.activity_log.offset:
                out["activityOffset"] = self.activity_log.offset
        out["nextIds"] = self.sequences.snapshot()  # so no id is handed out again
        return out

    def restore(self, data: dict) -> None:
        """Load a snapshot into this (fresh) instance; ValueError when it does not fit."""
        if not isinstance(data, dict):
            raise ValueError("Marketo state must be an object")
        with self.lock:
            for spec in data.get("partitions") or []:
                pid = int(spec["id"])
                self.partitions[pid] = Partition(pid, spec["name"], spec.get("description", ""))
            self.seed({k: v for k, v in data.items() if k not in ("partitions", "next_lead_id")})
            older = data.get("next_lead_id")  # what snapshots held before nextIds
            if isinstance(older, int) and not isinstance(older, bool) and older > 0:
                self.sequences.sequence("leads").continue_from(older)


def merge_ids(raw: list[str], winner: int) -> list[int]:
    """The losing leads' ids of a merge call (1003 for one that is not another lead's)."""
    if len(raw) > MAX_MERGE:
        raise MarketoError("1003", f"At most {MAX_MERGE} losing leads per merge")
    losers = [whole_number(v, 1) for v in raw]
    if any(i is None for i in losers) or winner in losers:
        raise MarketoError("1003", "leadIds are other leads' ids")
    return [i for i in losers if i is not None]
