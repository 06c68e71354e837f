"""The Webhooks API (vendor-apis.md §8.5): destinations, the events each has enabled, and
per-event delivery statistics."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from ..facts import EVENTS, WEBHOOKS
from . import http

bp = Blueprint("bombora_webhooks", __name__)
DESTINATIONS = f"{WEBHOOKS}/destinations"


@bp.get(f"{WEBHOOKS}/events")
@doc(query=())
def events() -> Response:
    """The events a destination can enable."""
    return http.json_response([{"event": name, "description": text}
                               for name, text in EVENTS.items()])


@bp.post(DESTINATIONS)
@doc(body="json", examples=[{"name": "CRM", "url": "https://hooks.example.com/bombora",
                             "secret": "a-secret-of-16-chars-or-more"}])
def create_destination() -> Response:
    """A destination (201; its secret, generated when none is given, is shown only here)."""
    return http.json_response(http.client().webhooks.create(http.body()), 201)


@bp.get(DESTINATIONS)
@doc(query=())
def destinations() -> Response:
    """The client's destinations."""
    return http.json_response(http.client().webhooks.all())


@bp.get(f"{DESTINATIONS}/<destination_id>")
@doc(query=())
def destination(destination_id: str) -> Response:
    """One destination."""
    return http.json_response(http.client().webhooks.describe(destination_id))


@bp.put(f"{DESTINATIONS}/<destination_id>")
@doc(body="json", examples=[{"name": "Renamed", "url": "https://hooks.example.com/b2"}])
def update_destination(destination_id: str) -> Response:
    """Rename a destination, move it or give it a new secret."""
    return http.json_response(http.client().webhooks.update(destination_id, http.body()))


@bp.delete(f"{DESTINATIONS}/<destination_id>")
@doc()
def delete_destination(destination_id: str) -> Response:
    """Delete a destination (204; 409 while any of its events is enabled)."""
    http.client().webhooks.delete(destination_id)
    return Response(status=204)


@bp.get(f"{DESTINATIONS}/<destination_id>/events")
@doc(query=())
def destination_events(destination_id: str) -> Response:
    """Every event, whether the destination enabled it and its delivery statistics."""
    return http.json_response(http.client().webhooks.events(destination_id))


@bp.put(f"{DESTINATIONS}/<destination_id>/events/<event>")
@doc()
def enable_event(destination_id: str, event: str) -> Response:
    """Enable an event for the destination (idempotent)."""
    return http.json_response(http.client().webhooks.enable(destination_id, event, True))


@bp.delete(f"{DESTINATIONS}/<destination_id>/events/<event>")
@doc()
def disable_event(destination_id: str, event: str) -> Response:
    """Disable an event for the destination (idempotent)."""
    return http.json_response(http.client().webhooks.enable(destination_id, event, False))


@bp.get(f"{DESTINATIONS}/<destination_id>/events/<event>/statistics")
@doc(query=())
def statistics(destination_id: str, event: str) -> Response:
    """An event's deliveries to the destination: delivered, failed, pending, tries, the
    last status and date."""
    return http.json_response(http.client().webhooks.statistics(destination_id, event))
