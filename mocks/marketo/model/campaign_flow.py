"""A smart campaign's flow, run on the clock (issue 36): a requested trigger campaign runs
its flow for the leads of the request at once; a scheduled batch campaign runs it at its
time for its audience. Flows are seeded with the campaign:

    flow: [{type: sendEmail, emailId: 3001}, {type: wait, seconds: 3600},
           {type: callWebhook, webhookId: 1}]
    listIds: [5]    # a batch campaign's smart list: members of these static lists

Chosen where Adobe is silent or the mock is smaller: the flow steps are Send Email, Call
Webhook and Wait; a batch campaign without `listIds` reaches every lead; Call Webhook is
valid only in a trigger campaign (Marketo's error 1000: refused when seeded); each request
or batch run is one campaign run (its Campaign Run ID); what a wait holds back, and runs
scheduled for later, are kept in snapshots and taken up again on restore."""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from vendorsim.mocks.core.clock import Clock

from ..facts import MAX_FLOW_STEPS
from .email_sends import CampaignRun, EmailSends
from .webhooks import Context, Webhooks

if TYPE_CHECKING:
    from vendorsim.mocks.core.outbox import Outbox

    from .campaigns import Campaign, CampaignStore
    from .lists import StaticListStore

STEP_KEYS = {"sendEmail": "emailId", "callWebhook": "webhookId", "wait": "seconds"}
MAX_WAIT = 86400.0 * 365  # a wait step's longest (chosen)
_ENTRY_IDS = itertools.count(1)  # one count for every copy (a seed put back by `atomic`)


def parse_flow(raw: object, where: str) -> list[dict]:
    """A campaign's flow from its seed: ValueError naming the step that is wrong."""
    if not isinstance(raw, list) or len(raw) > MAX_FLOW_STEPS:
        raise ValueError(f"{where}: flow is a list of at most {MAX_FLOW_STEPS} steps")
    steps = []
    for n, step in enumerate(raw, start=1):
        kind = step.get("type") if isinstance(step, dict) else None
        key = STEP_KEYS.get(kind) if isinstance(kind, str) else None
        if key is None or set(step) != {"type", key}:
            raise ValueError(f"{where}: flow step {n} is {{type: sendEmail, emailId}}, "
                             "{type: callWebhook, webhookId} or {type: wait, seconds}")
        value = step[key]
        if kind == "wait":
            if isinstance(value, bool) or not isinstance(value, int | float) or \
                    not math.isfinite(value) or not 0 <= value <= MAX_WAIT:
                raise ValueError(f"{where}: flow step {n}: seconds is 0 to {MAX_WAIT:g}")
        elif type(value) is not int or value < 1:
            raise ValueError(f"{where}: flow step {n}: {key} is a whole number from 1")
        steps.append({"type": kind, key: value})
    return steps


class CampaignFlows:
    """Runs flows; what waits for later is in `later` (kept in snapshots)."""

    def __init__(self, lock: threading.RLock, clock: Clock, outbox: Outbox | None,
                 sends: EmailSends, webhooks: Webhooks) -> None:
        self.lock = lock
        self.clock = clock
        self.outbox = outbox
        self.sends = sends
        self.webhooks = webhooks
        self.campaigns: CampaignStore | None = None  # set by the instance
        self.lists: StaticListStore | None = None
        self.later: dict[int, dict] = {}  # id -> {at, campaignId, runId, leads, tokens, step}
        self.resume: Callable[[int], None] = self.run_later  # the instance repoints it

    def check(self, campaign: Campaign) -> None:
        """A seeded flow's references: emails and webhooks that exist, webhooks only in a
        trigger campaign."""
        for n, step in enumerate(campaign.flow, start=1):
            where = f"campaign {campaign.id}: flow step {n}"
            if step["type"] == "sendEmail" and self.sends.mailing(step["emailId"]) is None:
                raise ValueError(f"{where}: email {step['emailId']} is not seeded")
            if step["type"] == "callWebhook":
                if not campaign.triggerable:
                    raise ValueError(f"{where}: Call Webhook is valid only in a trigger "
                                     "campaign (Marketo's error 1000)")
                if step["webhookId"] not in self.webhooks.hooks:
                    raise ValueError(f"{where}: webhook {step['webhookId']} is not seeded")
        if self.lists is not None:
            for list_id in campaign.list_ids:
                if list_id not in self.lists.lists:
                    raise ValueError(f"campaign {campaign.id}: list {list_id} is not seeded")

    def start(self, campaign: Campaign, lead_ids: list[int], tokens: dict[str, str],
              at: float | None = None) -> CampaignRun:
        """A run of the campaign's flow for these leads, from `at` or now (under the
        lock)."""
        at = self.clock.now() if at is None else at
        run = self.sends.new_run(campaign.id, at)
        run.leads = len(lead_ids)
        self._steps(campaign, run, lead_ids, tokens, 0, at)
        return run

    def _steps(self, campaign: Campaign, run: CampaignRun, lead_ids: list[int],
               tokens: dict[str, str], first: int, at: float) -> None:
        for index in range(first, len(campaign.flow)):
            step = campaign.flow[index]
            if step["type"] == "wait":
                self._hold({"at": at + step["seconds"], "campaignId": campaign.id,
                            "runId": run.id, "leads": list(lead_ids), "tokens": tokens,
                            "step": index + 1})
                return
            if step["type"] == "sendEmail":
                self.sends.send(run, index + 1, step["emailId"], lead_ids, at)
            else:
                context = self._context(campaign, tokens, at)
                for lead_id in lead_ids:
                    lead = self.sends.leads.get(lead_id)
                    if lead is not None:
                        self.webhooks.call(step["webhookId"], lead, context, campaign.id)

    def _context(self, campaign: Campaign, tokens: dict[str, str], at: float) -> Context:
        programs = self.sends.assets.owner.programs.programs
        program = programs.get(campaign.program_id) if campaign.program_id else None
        return Context({"id": campaign.id, "name": campaign.name,
                        "description": campaign.description},
                       {"id": program.id, "name": program.name} if program else {},
                       tokens, at)

    def schedule(self, campaign: Campaign, when: float, tokens: dict[str, str]) -> None:
        """A batch campaign's run at `when` (now when it has come)."""
        if when <= self.clock.now():
            self.start(campaign, self.audience(campaign), tokens)
        else:
            self._hold({"at": when, "campaignId": campaign.id, "runId": None, "leads": [],
                        "tokens": tokens, "step": 0})

    def audience(self, campaign: Campaign) -> list[int]:
        """Who a batch run reaches: the members of its lists, else every lead."""
        if campaign.list_ids and self.lists is not None:
            return sorted({i for list_id in campaign.list_ids
                           for i in self.lists.member_ids(list_id)})
        return list(self.sends.leads)

    def _hold(self, entry: dict) -> None:
        entry_id = next(_ENTRY_IDS)
        self.later[entry_id] = entry
        if self.outbox is not None:
            self.outbox.at(entry["at"], lambda: self.resume(entry_id), self.lock)

    def run_later(self, entry_id: int) -> None:
        """What a wait held back, or a scheduled batch run, when its time comes."""
        with self.lock:
            entry = self.later.pop(entry_id, None)
            campaign = self.campaigns.campaigns.get(entry["campaignId"]) \
                if entry is not None and self.campaigns is not None else None
            if entry is None or campaign is None:
                return
            if entry["runId"] is None:
                self.start(campaign, self.audience(campaign), entry["tokens"], entry["at"])
                return
            run = self.sends.runs.get(entry["runId"])
            if run is not None:
                self._steps(campaign, run, entry["leads"], entry["tokens"], entry["step"],
                            entry["at"])

    # -- seeds and snapshots -------------------------------------------------------------
    def seed(self, entries: object) -> None:
        if not isinstance(entries, list):
            raise ValueError("flowsWaiting is a list of {at, campaignId, runId, leads, "
                             "tokens, step}")
        for entry in entries:
            if not (isinstance(entry, dict) and
                    set(entry) == {"at", "campaignId", "runId", "leads", "tokens", "step"}
                    and isinstance(entry["at"], int | float) and
                    type(entry["campaignId"]) is int and
                    (entry["runId"] is None or type(entry["runId"]) is int) and
                    isinstance(entry["leads"], list) and
                    all(type(i) is int for i in entry["leads"]) and
                    isinstance(entry["tokens"], dict) and
                    all(isinstance(v, str) for v in entry["tokens"].values()) and
                    type(entry["step"]) is int and entry["step"] >= 0):
                raise ValueError("flowsWaiting entries are {at, campaignId, runId, leads, "
                                 "tokens, step}")
            self._hold(dict(entry))

    def snapshot(self) -> list[dict]:
        return [dict(e) for e in self.later.values()]
