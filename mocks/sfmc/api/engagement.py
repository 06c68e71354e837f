"""REST routes besides data extensions (vendor-apis.md §7.2): journey entry events,
triggered sends, campaigns, and the legacy SOAP endpoint discovery FuelSDK calls. Each view
calls one operation of the account's `Engagement` (which checks the package's scope)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from vendorsim.mocks.core.openapi import doc

from ..facts import HOST
from . import http

bp = Blueprint("sfmc_engagement", __name__)


@bp.get("/platform/v1/endpoints/soap")
@doc()
def soap_endpoint() -> Response:
    """Where this account's SOAP API is (legacy discovery, FuelSDK's fallback)."""
    host = request.host.split(":")[0]
    if http.service().host_pattern.fullmatch(host):
        url = "https://" + HOST.format(tenant=host.split(".")[0], kind="soap") + "/Service.asmx"
    else:
        url = f"{request.host_url.rstrip('/')}{request.script_root}/Service.asmx"
    return http.json_response({"url": url})


@bp.post("/interaction/v1/events")
@doc(body="json", examples=[{"ContactKey": "C1", "EventDefinitionKey": "APIEvent-1",
                             "Data": {"Email": "c1@x.example"}}])
def entry_event() -> Response:
    """Fire a journey entry event for a contact (201 with its eventInstanceId)."""
    return http.json_response(http.account().engagement.fire_event(http.caller(),
                                                                    http.body_json()), 201)


@bp.post("/messaging/v1/messageDefinitionSends/key:<key>/send")
@doc(body="json", examples=[{"To": {"Address": "c1@x.example", "SubscriberKey": "C1"}}])
def triggered_send(key: str) -> Response:
    """Queue a triggered send to one recipient (202 with requestId and messageKey)."""
    return http.json_response(http.account().engagement.send(http.caller(), key,
                                                              http.body_json()), 202)


@bp.get("/hub/v1/campaigns")
@doc(query=("$page", "$pageSize"))
def campaigns() -> Response:
    """The account's campaigns, a page at a time."""
    page, size = http.page_args(50, 500, clamp=True)
    return http.json_response(http.account().engagement.list_campaigns(http.caller(), page,
                                                                        size))


@bp.post("/hub/v1/campaigns")
@doc(body="json", examples=[{"name": "Spring launch", "campaignCode": "SPR26"}])
def create_campaign() -> Response:
    """Create a campaign."""
    return http.json_response(http.account().engagement.create_campaign(http.caller(),
                                                                         http.body_json()))


@bp.get("/hub/v1/campaigns/<campaign_id>")
@doc()
def campaign(campaign_id: str) -> Response:
    """One campaign."""
    return http.json_response(http.account().engagement.campaign(http.caller(), campaign_id))


@bp.delete("/hub/v1/campaigns/<campaign_id>")
@doc()
def delete_campaign(campaign_id: str) -> Response:
    """Delete a campaign."""
    http.account().engagement.delete_campaign(http.caller(), campaign_id)
    return http.json_response({"id": campaign_id, "deleted": True})
