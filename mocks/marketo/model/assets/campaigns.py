"""Smart campaigns through the asset API (Adobe's Smart Campaigns page), over the same
campaigns the lead-database API requests and schedules: browse by folder, update dates and
isActive; by id or name; create and clone in a program (or a folder inside one) with a
unique name; update name and description; delete an inactive one; activate a trigger
campaign that has a trigger and a flow step, deactivate an active one. Each campaign owns
a smart list (smartListId), read through the campaign.

Chosen where Adobe is silent: a campaign made through the API is a batch campaign with an
empty smart list and no flow (so activating it answers 709, as Marketo does for a campaign
without a trigger); a seeded campaign with no program shows the Marketing Activities
Default folder as its folder."""

from __future__ import annotations

import copy
import threading
from typing import TYPE_CHECKING

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from ..campaigns import Campaign
from ..errors import MarketoError
from .common import Ref, app_url, asset_time, flag, name_value, parse_ref, text_value, within

if TYPE_CHECKING:
    from .world import AssetWorld

NO_PROGRAM_FOLDER: Ref = ("Folder", 15)


class CampaignAssets:
    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world

    @property
    def campaigns(self) -> dict[int, Campaign]:
        return self.world.owner.campaigns.campaigns

    def place(self, campaign: Campaign) -> Ref:
        found = campaign.place
        return found if found is not None and self.world.tree.exists(found) \
            else NO_PROGRAM_FOLDER

    def find(self, campaign_id: int) -> Campaign:
        found = self.campaigns.get(campaign_id)
        if found is None:
            raise MarketoError("702", f"Smart campaign '{campaign_id}' not found")
        return found

    def smart_list_of(self, campaign: Campaign) -> int:
        """The campaign's own smart list, made with the campaign (or when it is seeded)."""
        owned = self.world.smart_lists
        if campaign.smart_list_id is None or campaign.smart_list_id not in owned.lists:
            campaign.smart_list_id = owned.make_owned(("campaign", campaign.id), campaign.name,
                                                      self.place(campaign))
            if campaign.triggerable:
                owned.lists[campaign.smart_list_id].rules["triggers"] = \
                    ["Campaign is Requested"]
        return campaign.smart_list_id

    def render(self, campaign: Campaign) -> dict:
        tree = self.world.tree
        place = self.place(campaign)
        if campaign.triggerable:
            status = "Active" if campaign.active else "Inactive"
        else:
            status = "Single Run" if campaign.runs else "Never Run"
        return {"id": campaign.id, "name": campaign.name, "description": campaign.description,
                "createdAt": asset_time(campaign.created_at),
                "updatedAt": asset_time(campaign.updated_at), "status": status,
                "type": "trigger" if campaign.triggerable else "batch", "isSystem": False,
                "isActive": campaign.active and campaign.triggerable,
                "isRequestable": campaign.triggerable, "isCommunicationLimitEnabled": False,
                "recurrence": {"weekdayOnly": False}, "qualificationRuleType": "once",
                "maxMembers": 0, "workspace": tree.workspace(place),
                "smartListId": campaign.smart_list_id, "flowId": campaign.id,
                "parentProgramId": tree.program_of(place), "folder": tree.ref_id(place),
                "computedUrl": app_url("SC", campaign.id)}

    # -- reads -----------------------------------------------------------------------
    @locked
    def by_id(self, campaign_id: int) -> list[dict]:
        found = self.campaigns.get(campaign_id)
        return [self.render(found)] if found else []

    @locked
    def by_name(self, name: str) -> list[dict]:
        return [self.render(c) for c in self.campaigns.values() if c.name == name]

    @locked
    def browse(self, folder: object, offset: int, limit: int, earliest: str | None,
               latest: str | None, active: object) -> list[dict]:
        place = parse_ref(folder, required=False)
        if place is not None:
            self.world.tree.need(place)
        only_active = flag(active, "isActive")
        found = [c for c in self.campaigns.values()
                 if (place is None or self.place(c) == place)
                 and (only_active is None or (c.active and c.triggerable) == only_active)]
        found = within(found, lambda c: c.updated_at, earliest, latest)
        return [self.render(c) for c in found[offset:offset + limit]]

    @locked
    def smart_list(self, campaign_id: int, rules: object) -> list[dict]:
        if campaign_id not in self.campaigns:
            return []
        return self.world.smart_lists.owned(("campaign", campaign_id), rules)

    # -- changes ---------------------------------------------------------------------
    def _new(self, name: object, folder: object, description: object) -> Campaign:
        clean = name_value(name)
        assert clean is not None
        ref = parse_ref(folder)
        assert ref is not None
        place = self.world.tree.place(ref, (), in_programs=True)
        text = text_value(description, "description") or ""
        if any(c.name == clean and self.place(c) == place for c in self.campaigns.values()):
            raise MarketoError("709", f"Smart campaign name '{clean[:80]}' is already in use "
                                      "in this folder")
        program = self.world.tree.program_of(place)
        number = max(1000, max(self.campaigns, default=0)) + 1
        now = self.clock.now()
        campaign = Campaign(number, clean, program, False, now, description=text,
                            active=False, folder=place if place[0] == "Folder" else None,
                            flow_steps=0, workspace=self.world.tree.workspace(place))
        self.campaigns[number] = campaign
        self.smart_list_of(campaign)
        return campaign

    @locked
    def create(self, form: dict) -> list[dict]:
        return [self.render(self._new(form.get("name"), form.get("folder"),
                                      form.get("description")))]

    @locked
    def update(self, campaign_id: int, form: dict) -> list[dict]:
        found = self.find(campaign_id)
        name = name_value(form.get("name"), required=False)
        text = text_value(form.get("description"), "description")
        if name is not None:
            if any(c.name == name and c.id != found.id and self.place(c) == self.place(found)
                   for c in self.campaigns.values()):
                raise MarketoError("709", f"Smart campaign name '{name[:80]}' is already in "
                                          "use in this folder")
            found.name = name
        if text is not None:
            found.description = text
        found.updated_at = self.clock.now()
        return [self.render(found)]

    @locked
    def clone(self, campaign_id: int, form: dict) -> list[dict]:
        source = self.find(campaign_id)
        copied = self._new(form.get("name"), form.get("folder"), form.get("description")
                           if form.get("description") is not None else source.description)
        copied.triggerable, copied.flow_steps = source.triggerable, source.flow_steps
        rules = copy.deepcopy(self.world.smart_lists.lists[self.smart_list_of(source)].rules)
        self.world.smart_lists.lists[self.smart_list_of(copied)].rules = rules
        return [self.render(copied)]

    @locked
    def delete(self, campaign_id: int) -> list[dict]:
        found = self.find(campaign_id)
        if found.active and found.triggerable:
            raise MarketoError("709", f"Smart campaign '{campaign_id}' is active: deactivate "
                                      "it first")
        del self.campaigns[campaign_id]
        if found.smart_list_id is not None:
            self.world.smart_lists.lists.pop(found.smart_list_id, None)
        return [{"id": campaign_id}]

    @locked
    def activate(self, campaign_id: int, on: bool) -> list[dict]:
        """Activate: inactive, with a trigger and a flow step; deactivate: active (709)."""
        found = self.find(campaign_id)
        active = found.active and found.triggerable
        if on:
            if active:
                raise MarketoError("709", f"Smart campaign '{campaign_id}' is already active")
            rules = self.world.smart_lists.lists[self.smart_list_of(found)].rules
            if not found.triggerable or not rules.get("triggers") or found.flow_steps < 1:
                raise MarketoError("709", f"Smart campaign '{campaign_id}' cannot be "
                                          "activated: it needs a trigger and a flow step")
        elif not active:
            raise MarketoError("709", f"Smart campaign '{campaign_id}' is not active")
        found.active = on
        found.updated_at = self.clock.now()
        return [{"id": campaign_id}]
