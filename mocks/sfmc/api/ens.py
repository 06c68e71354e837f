"""The Event Notification Service's REST API (vendor-apis.md §8.1): callbacks, their
verification and signature keys, and subscriptions to send events."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("sfmc_ens", __name__)
CALLBACKS = "/platform/v1/ens-callbacks"
SUBSCRIPTIONS = "/platform/v1/ens-subscriptions"


@bp.post(CALLBACKS)
@doc(body="json", examples=[[{"callbackName": "Sends", "url": "https://hooks.example.com/ens",
                              "maxBatchSize": 1000}]])
def create_callbacks() -> Response:
    """Register callbacks (201): ENS then posts a verification key to each URL."""
    return http.json_response(http.account().ens.create_callbacks(http.caller(),
                                                                  http.body_json()), 201)


@bp.get(CALLBACKS)
@doc(query=())
def callbacks() -> Response:
    """The account's callbacks (signature keys are shown only when made)."""
    return http.json_response(http.account().ens.list_callbacks(http.caller()))


@bp.get(f"{CALLBACKS}/<callback_id>")
@doc(query=())
def callback(callback_id: str) -> Response:
    """One callback."""
    return http.json_response(http.account().ens.get_callback(http.caller(), callback_id))


@bp.put(CALLBACKS)
@doc(body="json", examples=[{"callbackId": "x", "callbackName": "Renamed"}])
def update_callback() -> Response:
    """Rename a callback, change its URL (verified again) or batch size."""
    return http.json_response(http.account().ens.update_callback(http.caller(),
                                                                 http.body_json()))


@bp.delete(f"{CALLBACKS}/<callback_id>")
@doc()
def delete_callback(callback_id: str) -> Response:
    """Delete a callback without subscriptions (204)."""
    http.account().ens.delete_callback(http.caller(), callback_id)
    return Response(status=204)


@bp.post("/platform/v1/ens-verify")
@doc(body="json", examples=[{"callbackId": "x", "verificationKey": "k"}])
def verify() -> Response:
    """Confirm a callback with the key ENS posted to it."""
    return http.json_response(http.account().ens.verify(http.caller(), http.body_json()))


@bp.put("/platform/v1/ens-regenerate")
@doc(body="json", examples=[{"callbackId": "x"}])
def regenerate() -> Response:
    """A new signature key for a callback."""
    return http.json_response(http.account().ens.regenerate(http.caller(), http.body_json()))


@bp.post(SUBSCRIPTIONS)
@doc(body="json", examples=[[{"subscriptionName": "S", "callbackId": "x",
                              "eventCategoryTypes": ["EngagementEvents.EmailOpen"],
                              "filters": ["definitionKey=welcome"]}]])
def subscribe() -> Response:
    """Subscribe callbacks to event categories (201)."""
    return http.json_response(http.account().ens.subscribe(http.caller(), http.body_json()),
                              201)


@bp.get(SUBSCRIPTIONS)
@doc(query=())
def subscriptions() -> Response:
    """The account's subscriptions."""
    return http.json_response(http.account().ens.list_subscriptions(http.caller()))


@bp.delete(f"{SUBSCRIPTIONS}/<subscription_id>")
@doc()
def unsubscribe(subscription_id: str) -> Response:
    """Delete a subscription (204)."""
    http.account().ens.unsubscribe(http.caller(), subscription_id)
    return Response(status=204)
