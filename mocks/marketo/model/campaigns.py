"""Smart campaigns: list and get them, request a triggerable one for leads (logged as
Request Campaign), schedule a batch one; either runs the campaign's seeded flow on the clock
(campaign_flow.py: Send Email, Call Webhook, Wait). Campaigns are seeded, as programs are."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.locking import locked

from .activity_log import REQUEST_CAMPAIGN, ActivityLog
from .campaign_seeds import campaign_fields, seed_campaign_fields
from .errors import MarketoError
from .leads import LeadStore

if TYPE_CHECKING:
    from .campaign_flow import CampaignFlows

MAX_TRIGGER_LEADS = 100


@dataclass
class Campaign:
    id: int
    name: str
    program_id: int | None
    triggerable: bool
    created_at: float
    requested: list[int] = field(default_factory=list)  # lead ids, in request order
    runs: list[float] = field(default_factory=list)  # when a schedule asked it to run
    description: str = ""
    active: bool = True  # a trigger campaign listens only while active
    updated_at: float = 0.0
    folder: tuple[str, int] | None = None  # its place when not the program itself
    smart_list_id: int | None = None  # its own smart list (the asset API's smartListId)
    flow_steps: int = 1  # seeded campaigns have a flow; made ones start with none
    workspace: str = "Default"
    flow: list[dict] = field(default_factory=list)  # seeded steps (campaign_flow.py)
    list_ids: list[int] = field(default_factory=list)  # a batch campaign's smart list

    def __post_init__(self) -> None:
        self.updated_at = self.updated_at or self.created_at

    @property
    def place(self) -> tuple[str, int] | None:
        if self.folder is not None:
            return self.folder
        return ("Program", self.program_id) if self.program_id is not None else None

    def render(self, workspace: str | None = None) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "type": "trigger" if self.triggerable else "batch",
                "isTriggerable": self.triggerable, "isRequestable": self.triggerable,
                "isActive": self.active, "programId": self.program_id,
                "workspaceName": workspace or self.workspace,
                "createdAt": iso_utc(self.created_at), "updatedAt": iso_utc(self.updated_at),
                "active": self.active}


class CampaignStore:
    """The smart campaigns of one instance; every operation takes the instance's lock."""

    def __init__(self, lock: threading.RLock, clock: Clock, leads: LeadStore,
                 activities: ActivityLog) -> None:
        self.lock = lock
        self.clock = clock
        self.leads = leads
        self.activities = activities
        self.campaigns: dict[int, Campaign] = {}
        self.flows: CampaignFlows | None = None  # set by the instance

    def _get(self, campaign_id: int) -> Campaign:
        found = self.campaigns.get(campaign_id)
        if found is None:
            raise MarketoError("1013", f"Campaign '{campaign_id}' not found")
        return found

    @locked
    def query(self, ids: set[int | None], names: set[str], triggerable: bool | None,
              offset: int, batch: int) -> tuple[list[dict], bool]:
        """Get Campaigns: a page of those matching every filter given."""
        found = [c.render() for c in self.campaigns.values()
                 if (not ids or c.id in ids) and (not names or c.name in names)
                 and (triggerable is None or c.triggerable == triggerable)]
        return found[offset:offset + batch], offset + batch < len(found)

    @locked
    def described(self, campaign_id: int) -> list[dict]:
        return [self._get(campaign_id).render()]

    @locked
    def trigger(self, campaign_id: int, lead_ids: list[int],
                tokens: dict[str, str] | None = None) -> list[dict]:
        """Request Campaign: leads that exist go through it (each logged), then its flow
        runs for them (`tokens`: the request's {{my.}} tokens)."""
        found = self._get(campaign_id)
        if not found.triggerable:
            raise MarketoError("1003", "The campaign cannot be requested: it has no "
                                       "'Campaign is Requested' trigger")
        now = self.clock.now()
        reached = []
        for lead_id in lead_ids:
            if lead_id in self.leads:
                found.requested.append(lead_id)
                reached.append(lead_id)
                self.activities.add(lead_id, REQUEST_CAMPAIGN, now, campaign_id, found.name,
                                    (("Source", "Web Service API"),), campaign_id=campaign_id)
        if found.flow and reached and self.flows is not None:
            self.flows.start(found, reached, tokens or {})
        return [{"id": campaign_id}]

    @locked
    def schedule(self, campaign_id: int, run_at: object,
                 tokens: dict[str, str] | None = None) -> list[dict]:
        """Schedule Campaign: a batch campaign runs now, or at `runAt`."""
        found = self._get(campaign_id)
        if found.triggerable:
            raise MarketoError("1003", "A trigger campaign cannot be scheduled")
        when = self.clock.now()
        if run_at is not None:
            try:
                when = parse_time(run_at)  # type: ignore[arg-type]  # bad types are caught
            except (ValueError, TypeError, OverflowError):
                raise MarketoError("1003", "runAt is an ISO-8601 date-time") from None
        found.runs.append(when)
        if found.flow and self.flows is not None:
            self.flows.schedule(found, when, tokens or {})
        return [{"id": campaign_id}]

    @locked
    def of_lead(self, lead_id: int) -> list[dict]:
        """The campaigns a lead was requested for (its smartCampaignMembership)."""
        return [{"id": c.id, "name": c.name, "description": c.description,
                 "createdAt": iso_utc(c.created_at), "updatedAt": iso_utc(c.updated_at)}
                for c in self.campaigns.values() if lead_id in c.requested]

    def seed(self, specs: object, programs: set[int]) -> None:
        if not isinstance(specs, list):
            raise ValueError("campaigns is a list of {id, name, programId, isTriggerable}")
        for spec in specs:
            cid = whole_number(spec.get("id"), 1) if isinstance(spec, dict) else None
            if cid is None or cid in self.campaigns or not isinstance(spec.get("name"), str):
                raise ValueError(f"campaign {str(spec)[:60]}: needs a new id and a name")
            pid = spec.get("programId")
            if pid is not None and pid not in programs:
                raise ValueError(f"campaign {cid}: program {pid!r} is not seeded")
            triggerable = spec.get("isTriggerable", True)
            if not isinstance(triggerable, bool):
                raise ValueError(f"campaign {cid}: isTriggerable is true or false")
            campaign = Campaign(cid, spec["name"], pid, triggerable, self.clock.now())
            seed_campaign_fields(campaign, spec)
            self.campaigns[cid] = campaign

    def snapshot(self) -> list[dict]:
        return [{"id": c.id, "name": c.name, "programId": c.program_id,
                 "isTriggerable": c.triggerable, **campaign_fields(c)}
                for c in self.campaigns.values()]
