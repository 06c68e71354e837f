"""REST routes besides data extensions (vendor-apis.md §7.2): journey entry events,
triggered sends, campaigns, and the legacy SOAP endpoint discovery FuelSDK calls. Each view
checks the package's scope, calls one operation of the account's `Engagement` and answers."""

from __future__ import annotations

from flask import Blueprint, Response, request

from vendorsim.mocks.core.bearer import json_response
from vendorsim.mocks.core.context import tenant_backend
from vendorsim.mocks.core.openapi import doc

from .engagement import Engagement
from .errors import SfmcError
from .routes import body_json
from .service import require_scope

bp = Blueprint("sfmc_engagement", __name__)


def _engagement() -> Engagement:
    found: Engagement = tenant_backend().engagement
    return found


@bp.get("/platform/v1/endpoints/soap")
@doc()
def soap_endpoint() -> Response:
    """Where this account's SOAP API is (legacy discovery, FuelSDK's fallback)."""
    host = request.host.split(":")[0]
    if host.endswith(".marketingcloudapis.com"):
        url = f"https://{host.split('.')[0]}.soap.marketingcloudapis.com/Service.asmx"
    else:
        url = f"{request.host_url.rstrip('/')}{request.script_root}/Service.asmx"
    return json_response({"url": url})


@bp.post("/interaction/v1/events")
@doc(body="json", examples=[{"ContactKey": "C1", "EventDefinitionKey": "APIEvent-1",
                             "Data": {"Email": "c1@x.example"}}])
def entry_event() -> Response:
    """Fire a journey entry event for a contact (201 with its eventInstanceId)."""
    require_scope("journeys_execute")
    return json_response(_engagement().fire_event(body_json()), 201)


@bp.post("/messaging/v1/messageDefinitionSends/key:<key>/send")
@doc(body="json", examples=[{"To": {"Address": "c1@x.example", "SubscriberKey": "C1"}}])
def triggered_send(key: str) -> Response:
    """Queue a triggered send to one recipient (202 with requestId and messageKey)."""
    require_scope("email_send")
    return json_response(_engagement().send(key, body_json()), 202)


@bp.get("/hub/v1/campaigns")
@doc(query=("$page", "$pageSize"))
def campaigns() -> Response:
    """The account's campaigns, a page at a time."""
    require_scope("campaign_read")
    try:
        page = max(1, int(request.args.get("$page") or 1))
        size = min(500, max(1, int(request.args.get("$pageSize") or 50)))
    except ValueError:
        raise SfmcError(400, "$page and $pageSize are whole numbers", 10001) from None
    return json_response(_engagement().list_campaigns(page, size))


@bp.post("/hub/v1/campaigns")
@doc(body="json", examples=[{"name": "Spring launch", "campaignCode": "SPR26"}])
def create_campaign() -> Response:
    """Create a campaign."""
    require_scope("campaign_write")
    return json_response(_engagement().create_campaign(body_json()))


@bp.get("/hub/v1/campaigns/<campaign_id>")
@doc()
def campaign(campaign_id: str) -> Response:
    """One campaign."""
    require_scope("campaign_read")
    return json_response(_engagement().campaign(campaign_id))


@bp.delete("/hub/v1/campaigns/<campaign_id>")
@doc()
def delete_campaign(campaign_id: str) -> Response:
    """Delete a campaign."""
    require_scope("campaign_write")
    _engagement().delete_campaign(campaign_id)
    return json_response({"id": campaign_id, "deleted": True})
