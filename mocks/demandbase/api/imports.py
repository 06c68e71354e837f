"""The Import API (vendor-apis.md §3.1): jobs, their CSV data, activity types, sources."""

from __future__ import annotations

from flask import Blueprint, Response, request

from vendorsim.mocks.core.openapi import doc
from vendorsim.mocks.core.pipeline import drop_some

from ..model import imports as model
from . import http

bp = Blueprint("demandbase_imports", __name__)


@bp.post("/import/v1/job")
@doc(body="json", examples=[
    {"entityType": "account", "dataImportName": "J", "source": "CSV"}])
def create_job() -> Response:
    """Create an import job for an entity type."""
    return http.json_response(http.client().create_job(http.caller(), http.body()))


@bp.put("/import/v1/job/<int:job_id>/data")
@doc(query=("listAction",), body="csv")
def job_data(job_id: int) -> Response:
    """Send a job its CSV data (once), with the list action (default `replace`)."""
    data = request.get_data()
    lines = data.splitlines(keepends=True)
    kept, lost = drop_some(lines[1:])
    if lost:  # accepted whole, part of it lost (B-DB-06)
        data = b"".join(lines[:1] + kept)
    return http.json_response(http.client().submit(
        http.caller(), job_id, request.args.get("listAction", "replace"), data))


@bp.get("/import/v1/job/<int:job_id>")
@doc(query=())
def get_job(job_id: int) -> Response:
    """One import job."""
    return http.json_response(http.client().get_job(http.caller(), job_id))


@bp.get("/import/v1/jobs")
@doc(query=("page", "perPage", "entityType", "state", "sort"))
def jobs() -> Response:
    """Import jobs of an entity type (any case) and state, a page at a time."""
    found = http.client().list_jobs(http.caller(), request.args.get("entityType"),
                                    request.args.get("state"))
    page, per_page = http.int_arg("page", 1), http.int_arg("perPage", 50)
    return http.json_response({"totalCount": len(found),
                               "data": found[(page - 1) * per_page: page * per_page]})


@bp.get("/import/v1/<entity_type>/sources")
@doc(query=())
def sources(entity_type: str) -> Response:
    """Where imports of this entity type may come from (documented: CSV)."""
    model.entity_type(entity_type)
    return http.json_response({"data": ["CSV"]})


@bp.get("/import/v1/activity_type")
@doc(query=())
def activity_types() -> Response:
    """The client's activity types."""
    return http.json_response(http.client().activity_type_summaries(http.caller()))


@bp.post("/import/v1/activity_type")
@doc(body="json", examples=[{"activityType": {"label": "Webinar", "name": "webinar",
                                              "description": "d"},
                             "fields": [{"fieldName": "topic", "fieldDataType": "string"}]}])
def create_activity_type() -> Response:
    """Create an activity type."""
    return http.json_response(http.client().add_activity_type(http.caller(), http.body()))


@bp.get("/import/v1/activity_type/<type_id>")
@doc(query=())
def activity_type(type_id: str) -> Response:
    """One activity type's details."""
    return http.json_response(http.client().activity_type(http.caller(), type_id))


@bp.put("/import/v1/activity_type/<type_id>")
@doc(body="json", examples=[{"activityType": {"label": "Webinar 2"}}])
def update_activity_type(type_id: str) -> Response:
    """A new definition of an activity type."""
    return http.json_response(http.client().add_activity_type(http.caller(), http.body(),
                                                              type_id))
