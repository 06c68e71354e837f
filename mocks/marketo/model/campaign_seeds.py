"""A smart campaign's asset-API fields in seeds and snapshots (description, active, its
place, smart list, flow, workspace, times, the leads requested and the runs scheduled), each
checked so a restored campaign never breaks a later call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import iso_utc, parse_time

from .campaign_flow import parse_flow

if TYPE_CHECKING:
    from .campaigns import Campaign


def seed_campaign_fields(campaign: Campaign, spec: dict) -> None:
    where = f"campaign {campaign.id}"
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise ValueError(f"{where}: description is text")
    campaign.description = description
    for key, attr in (("isActive", "active"),):
        value = spec.get(key, True)
        if not isinstance(value, bool):
            raise ValueError(f"{where}: {key} is true or false")
        setattr(campaign, attr, value)
    folder = spec.get("folder")
    if folder is not None:
        if not (isinstance(folder, dict) and folder.get("type") in ("Folder", "Program")
                and type(folder.get("id")) is int):
            raise ValueError(f"{where}: folder is {{id, type Folder|Program}}")
        campaign.folder = (folder["type"], folder["id"])
    for key, attr, low in (("smartListId", "smart_list_id", 1), ("flowSteps", "flow_steps", 0)):
        if spec.get(key) is not None:
            number = whole_number(spec[key], low)
            if number is None or type(spec[key]) is not int:
                raise ValueError(f"{where}: {key} is a whole number")
            setattr(campaign, attr, number)
    workspace = spec.get("workspace", "Default")
    if not isinstance(workspace, str) or not workspace:
        raise ValueError(f"{where}: workspace is a name")
    campaign.workspace = workspace
    requested, runs = spec.get("requested", []), spec.get("runs", [])
    if not (isinstance(requested, list) and all(type(i) is int for i in requested)):
        raise ValueError(f"{where}: requested is a list of lead ids")
    if not (isinstance(runs, list) and all(isinstance(r, str) for r in runs)):
        raise ValueError(f"{where}: runs is a list of ISO-8601 times")
    campaign.requested = list(requested)
    if spec.get("flow") is not None:
        campaign.flow = parse_flow(spec["flow"], where)
        if spec.get("flowSteps") is None:  # the asset API's count of its steps
            campaign.flow_steps = len(campaign.flow)
    list_ids = spec.get("listIds") or []
    if not (isinstance(list_ids, list) and all(type(i) is int for i in list_ids)):
        raise ValueError(f"{where}: listIds is a list of static list ids")
    campaign.list_ids = list(list_ids)
    try:
        campaign.runs = [parse_time(r) for r in runs]
        if "createdAt" in spec:
            campaign.created_at = parse_time(spec["createdAt"])
        campaign.updated_at = parse_time(spec["updatedAt"]) if "updatedAt" in spec \
            else campaign.created_at
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"{where}: runs, createdAt and updatedAt are ISO-8601") from None


def campaign_fields(campaign: Campaign) -> dict:
    return {"description": campaign.description, "isActive": campaign.active,
            "folder": {"id": campaign.folder[1], "type": campaign.folder[0]}
            if campaign.folder else None, "smartListId": campaign.smart_list_id,
            "flowSteps": campaign.flow_steps, "workspace": campaign.workspace,
            "requested": list(campaign.requested), "runs": [iso_utc(r) for r in campaign.runs],
            "flow": [dict(step) for step in campaign.flow], "listIds": list(campaign.list_ids),
            "createdAt": iso_utc(campaign.created_at),
            "updatedAt": iso_utc(campaign.updated_at)}
