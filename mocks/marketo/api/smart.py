"""Smart lists, smart campaigns and segmentations (asset API)."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("smart", __name__)
CAMPAIGN = "/rest/asset/v1/smartCampaign/<int:campaign_id>"
LIST = "/rest/asset/v1/smartList/<int:list_id>"


# -- smart lists ------------------------------------------------------------------------------
@bp.get("/rest/asset/v1/smartLists.json")
@doc(query=("folder", "offset", "maxReturn", "earliestUpdatedAt", "latestUpdatedAt"))
def smart_lists() -> Response:
    """User smart lists, in a folder and updated in a range when asked."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.smart_lists.browse(
        http.param("folder"), offset, limit, http.param("earliestUpdatedAt"),
        http.param("latestUpdatedAt")))


@bp.get(f"{LIST}.json")
@doc(query=("includeRules",))
def smart_list(list_id: int) -> Response:
    """A smart list by id (with its rules when asked)."""
    http.require("read")
    return http.assets(http.instance().assets.smart_lists.by_id(
        list_id, http.param("includeRules")))


@bp.get("/rest/asset/v1/smartList/byName.json")
@doc(query=("name",))
def smart_list_by_name() -> Response:
    """A smart list by its exact name."""
    http.require("read")
    return http.assets(http.instance().assets.smart_lists.by_name(http.required_param("name")))


@bp.post(f"{LIST}/clone.json")
@doc(body="form", examples=[{"name": "Copy", "folder": '{"id":12,"type":"Folder"}'}])
def clone_smart_list(list_id: int) -> Response:
    """Clone a smart list into a program or a list folder."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.smart_lists.clone(list_id, http.asset_form()))


@bp.post(f"{LIST}/delete.json")
@doc()
def delete_smart_list(list_id: int) -> Response:
    """Delete a smart list."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.smart_lists.delete(list_id))


# -- smart campaigns --------------------------------------------------------------------------
@bp.get("/rest/asset/v1/smartCampaigns.json")
@doc(query=("folder", "offset", "maxReturn", "earliestUpdatedAt", "latestUpdatedAt",
            "isActive"))
def campaigns() -> Response:
    """Smart campaigns, filtered by folder, update dates and isActive."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.campaigns.browse(
        http.param("folder"), offset, limit, http.param("earliestUpdatedAt"),
        http.param("latestUpdatedAt"), http.param("isActive")))


@bp.get(f"{CAMPAIGN}.json")
@doc()
def campaign(campaign_id: int) -> Response:
    """A smart campaign by id."""
    http.require("read")
    return http.assets(http.instance().assets.campaigns.by_id(campaign_id))


@bp.get("/rest/asset/v1/smartCampaign/byName.json")
@doc(query=("name",))
def campaign_by_name() -> Response:
    """A smart campaign by its exact name."""
    http.require("read")
    return http.assets(http.instance().assets.campaigns.by_name(http.required_param("name")))


@bp.get(f"{CAMPAIGN}/smartList.json")
@doc(query=("includeRules",))
def campaign_smart_list(campaign_id: int) -> Response:
    """A smart campaign's own smart list."""
    http.require("read")
    return http.assets(http.instance().assets.campaigns.smart_list(
        campaign_id, http.param("includeRules")))


@bp.post("/rest/asset/v1/smartCampaigns.json")
@doc(body="form", examples=[{"name": "Nurture", "folder": '{"id":1001,"type":"Program"}'}])
def create_campaign() -> Response:
    """Create a smart campaign in a program."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.campaigns.create(http.asset_form()))


@bp.post(f"{CAMPAIGN}.json")
@doc(body="form", examples=[{"name": "Renamed"}])
def update_campaign(campaign_id: int) -> Response:
    """Update a smart campaign's name and description."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.campaigns.update(campaign_id,
                                                                 http.asset_form()))


@bp.post(f"{CAMPAIGN}/clone.json")
@doc(body="form", examples=[{"name": "Copy", "folder": '{"id":1001,"type":"Program"}'}])
def clone_campaign(campaign_id: int) -> Response:
    """Clone a smart campaign."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.campaigns.clone(campaign_id,
                                                                http.asset_form()))


@bp.post(f"{CAMPAIGN}/delete.json")
@doc()
def delete_campaign(campaign_id: int) -> Response:
    """Delete an inactive smart campaign."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.campaigns.delete(campaign_id))


@doc()
def activation(campaign_id: int, on: bool) -> Response:
    """Activate or deactivate a trigger campaign."""
    http.require("edit_assets")
    return http.asset_ok(http.instance().assets.campaigns.activate(campaign_id, on))


bp.add_url_rule(f"{CAMPAIGN}/activate.json", "activate", activation, methods=["POST"],
                defaults={"on": True})
bp.add_url_rule(f"{CAMPAIGN}/deactivate.json", "deactivate", activation, methods=["POST"],
                defaults={"on": False})


# -- segmentations ----------------------------------------------------------------------------
@bp.get("/rest/asset/v1/segmentation.json")
@doc(query=("status", "offset", "maxReturn"))
def segmentations() -> Response:
    """Segmentations (approved or draft when asked), paged by offset."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.segmentations.browse(
        http.param("status"), offset, limit))


@bp.get("/rest/asset/v1/segmentation/<int:segmentation_id>/segments.json")
@doc(query=("status", "offset", "maxReturn"))
def segments(segmentation_id: int) -> Response:
    """A segmentation's segments."""
    http.require("read")
    offset, limit = http.asset_page()
    return http.assets(http.instance().assets.segmentations.segments(
        segmentation_id, http.param("status"), offset, limit))
