"""A campaign's Send Email flow step, on the clock (issue 36): each lead the step reaches gets
the activities Marketo logs (Send Email, then Email Delivered or Email Bounced / Email
Bounced Soft, then perhaps Open Email, Click Email, Unsubscribe Email), drawn from the
instance's seeded engagement model (core/engagement.py, shared with SFMC), each at its time.

A send draws every lead's events at once; they wait in a heap and are logged when their time
comes (one outbox task waits for the next), so the activity log stays in time order and
reads show only what has happened. A hard bounce sets the lead's `emailInvalid`, an
unsubscribe its `unsubscribed` (each a Change Data Value naming why), when it happens.

Chosen where Adobe is silent: a lead that is not emailable (`unsubscribed`, `emailInvalid`,
`marketingSuspended`, `blackListed` true, or no email address) gets no activity, as a
skipped flow step logs none; the skip is counted, by reason, in the campaign run (snapshot,
admin state). Step ID is the step's number in the flow; Choice Number is 0."""

from __future__ import annotations

import heapq
import itertools
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.engagement import EngagementModel, Event
from vendorsim.mocks.core.ids import IdSequence

from ..facts import BOUNCE_CATEGORIES, NOT_EMAILABLE
from .activity_log import (
    CLICK_EMAIL,
    EMAIL_BOUNCED,
    EMAIL_BOUNCED_SOFT,
    EMAIL_DELIVERED,
    OPEN_EMAIL,
    SEND_EMAIL,
    UNSUBSCRIBE_EMAIL,
    ActivityLog,
)
from .leads import LeadStore

if TYPE_CHECKING:
    from vendorsim.mocks.core.outbox import Outbox

    from .assets.world import AssetWorld

KIND_TYPES = {"sent": SEND_EMAIL, "delivered": EMAIL_DELIVERED, "opened": OPEN_EMAIL,
              "clicked": CLICK_EMAIL, "unsubscribed": UNSUBSCRIBE_EMAIL}
DEVICES = (("Desktop", False, "Windows"), ("Desktop", False, "Mac OS"),
           ("iPhone", True, "iOS"), ("Android", True, "Android"))
AGENTS = {"Windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
          "Mac OS": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)",
          "iOS": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
          "Android": "Mozilla/5.0 (Linux; Android 14)"}


@dataclass
class CampaignRun:
    """One run of a campaign's flow (a request or a scheduled batch run)."""

    id: int
    campaign_id: int
    at: float
    leads: int = 0
    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> leads

    def to_dict(self) -> dict:
        return {"id": self.id, "campaignId": self.campaign_id, "at": self.at,
                "leads": self.leads, "sent": self.sent, "skipped": dict(self.skipped)}


@dataclass(order=True)
class Pending:
    """An activity drawn for a time still to come."""

    at: float
    seq: int
    lead_id: int = field(compare=False)
    type_id: int = field(compare=False)
    mailing: tuple[int, str] = field(compare=False)
    campaign_id: int = field(compare=False)
    attributes: tuple = field(compare=False)

    def to_list(self) -> list:
        return [self.at, self.lead_id, self.type_id, list(self.mailing), self.campaign_id,
                dict(self.attributes)]


class EmailSends:
    """The instance's campaign email sends, their runs and the activities still to come."""

    def __init__(self, lock: threading.RLock, clock: Clock, leads: LeadStore,
                 log: ActivityLog, assets: AssetWorld, outbox: Outbox | None,
                 run_ids: IdSequence) -> None:
        self.lock = lock
        self.clock = clock
        self.leads = leads
        self.log = log
        self.assets = assets
        self.outbox = outbox
        self.model = EngagementModel()
        self.runs: dict[int, CampaignRun] = {}
        self.run_ids = run_ids
        self._waiting: list[Pending] = []
        self._seq = itertools.count(1)
        self._task_at: float | None = None
        # what the outbox task calls (the instance points it at whichever EmailSends it
        # holds, so a seed put back by `atomic` stays the one woken)
        self.wake: Callable[[float], None] = self.catch_up

    def new_run(self, campaign_id: int, at: float) -> CampaignRun:
        run = CampaignRun(self.run_ids.take(), campaign_id, at)
        self.runs[run.id] = run
        return run

    def mailing(self, email_id: int) -> tuple[int, str] | None:
        """The email's id and the name activities show ("Program.Email" in a program)."""
        asset = self.assets.emails.assets.get(email_id)
        if asset is None:
            return None
        program_id = self.assets.tree.program_of(asset.folder)
        program = self.assets.owner.programs.programs.get(program_id) \
            if program_id is not None else None
        return email_id, f"{program.name}.{asset.name}" if program else asset.name

    def send(self, run: CampaignRun, step: int, email_id: int, lead_ids: list[int],
             at: float) -> None:
        """The Send Email step for these leads (under the instance's lock)."""
        mailing = self.mailing(email_id)
        for lead_id in lead_ids:
            lead = self.leads.get(lead_id)
            if lead is None:
                continue
            reason = "email not found" if mailing is None else next(
                (name for name in NOT_EMAILABLE if lead.values.get(name) is True), None) or \
                (None if lead.values.get("email") else "no email address")
            if reason is not None or mailing is None:
                run.skipped[reason or ""] = run.skipped.get(reason or "", 0) + 1
                continue
            run.sent += 1
            address = str(lead.values["email"])
            events = self.model.outcomes(f"mkto-{run.id}-{step}", str(lead_id),
                                         {k: v for k, v in lead.values.items()
                                          if v is not None}, at)
            for event in events:
                attributes = self._attributes(event, run.id, step, address, lead_id)
                type_id = KIND_TYPES.get(event.kind) or (
                    EMAIL_BOUNCED if event.get("category") == "Hard bounce"
                    else EMAIL_BOUNCED_SOFT)
                heapq.heappush(self._waiting, Pending(event.at, next(self._seq), lead_id,
                                                      type_id, mailing, run.campaign_id,
                                                      attributes))
        self.catch_up(at)

    @staticmethod
    def _attributes(event: Event, run_id: int, step: int, address: str, lead_id: int
                    ) -> tuple:
        common: tuple = (("Campaign Run ID", run_id), ("Choice Number", 0), ("Step ID", step))
        if event.kind == "bounced":
            category = BOUNCE_CATEGORIES[event.get("category")][0]
            smtp = str(event.get("smtp"))
            details = f"{smtp} 5.1.1 mailbox unavailable" if category == "1" else \
                f"{smtp} 4.2.2 mailbox full"
            return (*common, ("Category", category), ("Details", details),
                    ("Email", address), ("Subcategory", smtp))
        if event.kind in ("opened", "clicked", "unsubscribed"):
            device, mobile, platform = DEVICES[zlib.crc32(f"{run_id}-{lead_id}".encode()) % 4]
            agent = AGENTS[platform]
            if event.kind == "unsubscribed":
                return (("Campaign Run ID", run_id), ("Client IP Address", "192.0.2.10"),
                        ("User Agent", agent))
            bot = bool(event.get("bot", False))
            seen: tuple = (("Device", device), ("Is Mobile Device", mobile), ("Platform", platform),
                    ("User Agent", agent), ("Is Bot Activity", bot),
                    ("Bot Activity Pattern", "Proxy/prefetch" if bot else "N/A"))
            if event.kind == "clicked":
                url = str(event.get("url"))
                seen = (("Link", url), ("Link ID", str(zlib.crc32(url.encode()))), *seen)
            return (*common, *seen)
        return common

    # -- on the clock --------------------------------------------------------------------
    def catch_up(self, until: float | None = None) -> None:
        """Log every activity whose time has come (up to `until`: a task logs only its own
        time's, so that on a clock that jumps, the outbox's other work at times between
        is logged in time order with them), apply its effect, and make sure a task waits
        for the next (on the outbox)."""
        with self.lock:
            now = self.clock.now()
            limit = now if until is None else min(until, now)
            while self._waiting and self._waiting[0].at <= limit:
                self._happen(heapq.heappop(self._waiting))
            if self._task_at is not None and self._task_at <= limit:
                self._task_at = None
            if self._waiting and self.outbox is not None and \
                    (self._task_at is None or self._waiting[0].at < self._task_at):
                due = self._task_at = self._waiting[0].at
                self.outbox.at(due, lambda: self.wake(due), self.lock)

    def _happen(self, item: Pending) -> None:
        lead = self.leads.get(item.lead_id)
        if lead is None:
            return  # deleted since the send: nothing to log
        self.log.add(item.lead_id, item.type_id, item.at, item.mailing[0], item.mailing[1],
                     item.attributes, campaign_id=item.campaign_id)
        effect = {EMAIL_BOUNCED: ("emailInvalid", "Hard bounce"),
                  UNSUBSCRIBE_EMAIL: ("unsubscribed", "Unsubscribe Email")}.get(item.type_id)
        if effect is not None and lead.values.get(effect[0]) is not True:
            self.leads.update(lead, {effect[0]: True}, item.at,
                              (("Reason", effect[1]), ("Source", "Marketo Flow Action")))

    def pending(self) -> int:
        with self.lock:
            return len(self._waiting)

    # -- seeds and snapshots -------------------------------------------------------------
    def seed(self, data: dict) -> None:
        if "engagement" in data:
            self.model = EngagementModel.from_dict(data["engagement"])
        for spec in data.get("campaignRuns") or []:
            if not (isinstance(spec, dict) and type(spec.get("id")) is int and
                    type(spec.get("campaignId")) is int and
                    isinstance(spec.get("at"), int | float) and
                    isinstance(spec.get("skipped", {}), dict)):
                raise ValueError("campaignRuns are {id, campaignId, at, leads, sent, skipped}")
            run = CampaignRun(spec["id"], spec["campaignId"], float(spec["at"]),
                              int(spec.get("leads") or 0), int(spec.get("sent") or 0),
                              {str(k): int(v) for k, v in spec.get("skipped", {}).items()})
            self.runs[run.id] = run
            self.run_ids.note(run.id)
        for row in data.get("pendingEmailActivities") or []:
            if not (isinstance(row, list) and len(row) == 6 and
                    isinstance(row[0], int | float) and type(row[1]) is int and
                    type(row[2]) is int and isinstance(row[3], list) and len(row[3]) == 2 and
                    type(row[4]) is int and isinstance(row[5], dict)):
                raise ValueError("pendingEmailActivities rows are [at, leadId, typeId, "
                                 "[mailingId, name], campaignId, {attributes}]")
            heapq.heappush(self._waiting, Pending(float(row[0]), next(self._seq), row[1],
                                                  row[2], (int(row[3][0]), str(row[3][1])),
                                                  row[4], tuple(row[5].items())))
        self.catch_up()

    def snapshot(self) -> dict:
        return {"engagement": self.model.to_dict(),
                "campaignRuns": [r.to_dict() for r in self.runs.values()],
                "pendingEmailActivities": [p.to_list() for p in sorted(self._waiting)]}
