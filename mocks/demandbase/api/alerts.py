"""Subscription alerts (vendor-apis.md §8.4): subscriptions with a destination URL, checked
by a HEAD whose validation code the receiver echoes, then sent signed alert pages."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from ..facts import SUBSCRIPTIONS
from . import http

bp = Blueprint("demandbase_alerts", __name__)


@bp.post(SUBSCRIPTIONS)
@doc(body="json", examples=[{"name": "Target accounts", "destinationUrl":
                             "https://hooks.example.com/demandbase",
                             "alertType": "ACCOUNT_LIST_MEMBERSHIP",
                             "accountListIds": [11416]}])
def create_subscription() -> Response:
    """A subscription (201, with its signingSecret, shown only here); Demandbase then checks
    the destination with a HEAD."""
    return http.json_response(http.client().alerts.create(http.caller(), http.body()), 201)


@bp.get(SUBSCRIPTIONS)
@doc(query=())
def subscriptions() -> Response:
    """The client's subscriptions and their states."""
    found = http.client().alerts.all(http.caller())
    return http.json_response({"totalCount": len(found), "data": found})


@bp.get(f"{SUBSCRIPTIONS}/<subscription_id>")
@doc(query=())
def subscription(subscription_id: str) -> Response:
    """One subscription."""
    return http.json_response(http.client().alerts.describe(http.caller(), subscription_id))


@bp.delete(f"{SUBSCRIPTIONS}/<subscription_id>")
@doc()
def delete_subscription(subscription_id: str) -> Response:
    """Delete a subscription (204): no more alerts."""
    http.client().alerts.delete(http.caller(), subscription_id)
    return Response(status=204)


@bp.post(f"{SUBSCRIPTIONS}/<subscription_id>/validate")
@doc()
def validate(subscription_id: str) -> Response:
    """Check the destination again (a DISABLED or pending subscription; 409 otherwise)."""
    return http.json_response(http.client().alerts.revalidate(http.caller(),
                                                              subscription_id), 202)
