"""Routes of Demandbase's activity types (Import API) and Data Export API."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request

from vendorsim.mocks.core.bearer import json_response
from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.context import tenant_backend
from vendorsim.mocks.core.openapi import doc

from .errors import export_error
from .exports import EXPORT_ENTITIES, FIELDS

if TYPE_CHECKING:
    from .models import DemandbaseClient
    from .service import DemandbaseService

EXPORT = "/data/export/v1"


def register_data_routes(app: Flask, service: DemandbaseService,
                         body: Callable[[], Any]) -> None:
    """`body` reads a request's JSON the way the rest of the vendor does."""

    def client() -> DemandbaseClient:
        return tenant_backend()

    @app.route("/import/v1/activity_type", methods=["GET", "POST"])
    @doc(body="json", examples=[{"activityType": {"label": "Webinar", "name": "webinar",
                                                  "description": "d"},
                                 "fields": [{"fieldName": "topic", "fieldDataType": "string"}]}])
    def activity_types() -> Response:
        """Create an activity type, or list them."""
        if request.method == "POST":
            made = client().add_activity_type(body())
            return json_response({"id": made.id, "label": made.label})
        return json_response([t.summary() for t in client().activity_types.values()])

    @app.route("/import/v1/activity_type/<type_id>", methods=["GET", "PUT"])
    @doc(body="json", examples=[{"activityType": {"label": "Webinar 2"}}])
    def activity_type(type_id: str) -> Response:
        """One activity type: details, or update."""
        c = client()
        found = c.activity_type(type_id)
        if request.method == "GET":
            return json_response(found.details())
        updated = c.add_activity_type(body(), found.id)
        return json_response({"id": updated.id, "label": updated.label})

    @app.get(f"{EXPORT}/fields")
    @doc(query=("entityType", "adReportType"))
    def export_fields() -> Response:
        """The fields an export job of an entity type can hold."""
        kind = request.args.get("entityType")
        if kind not in EXPORT_ENTITIES:
            raise export_error(400, "400-101", "Invalid entityType")
        return json_response([{"name": n, "dataType": t, "label": label, "description": label}
                              for n, t, label in FIELDS.get(kind, [])])

    def create(kind: str) -> Response:
        job = client().create_export(body(), kind)
        return json_response(job.details(), 202)

    app.add_url_rule(f"{EXPORT}/job", "export_job",
                     doc(body="json", examples=[{"entityType": "account", "jobName": "All",
                                                 "fields": ["{Account}.name",
                                                            "{Account}.domain"]}])(
                         lambda: create("job")), methods=["POST"])
    app.add_url_rule(f"{EXPORT}/accountList/job", "export_account_list",
                     doc(body="json", examples=[{"jobName": "L", "accountListIds": [11416]}])(
                         lambda: create("accountList")), methods=["POST"])
    app.add_url_rule(f"{EXPORT}/personList/job", "export_person_list",
                     doc(body="json", examples=[{"jobName": "P", "personListIds": [1]}])(
                         lambda: create("personList")), methods=["POST"])

    @app.get(f"{EXPORT}/jobs")
    @doc(query=("entityType", "page", "perPage", "sort", "jobStatus"))
    def export_jobs() -> Response:
        """Submitted export jobs, newest first unless sort=ascending."""
        c = client()
        with c.lock:
            c.advance_exports()
            kind, status = request.args.get("entityType", "All"), \
                request.args.get("jobStatus", "All")
            found = [j.details() for j in c.exports.values()
                     if kind in ("All", j.entity_type) and status in ("All", j.status)]
        if request.args.get("sort", "descending") != "ascending":
            found.reverse()
        page = whole_number(request.args.get("page", "1"), 1, 100_000)
        size = whole_number(request.args.get("perPage", "10"), 1, 1000)
        if page is None or size is None:
            raise export_error(400, "400-105", "page and perPage are whole numbers")
        return json_response({"pageNo": page, "pageSize": size, "totalCount": len(found),
                              "data": found[(page - 1) * size: page * size]})

    @app.get(f"{EXPORT}/job/<job_id>")
    @doc(query=())
    def export_status(job_id: str) -> Response:
        """A job's status; a finished job names where its CSV is."""
        job = client().get_export(job_id)
        url = f"{request.host_url.rstrip('/')}{request.script_root}{EXPORT}/job/{job.id}/results"
        return json_response(job.state(url))

    @app.get(f"{EXPORT}/job/<job_id>/results")
    @doc(query=())
    def export_results(job_id: str) -> Response:
        """The CSV of a finished job."""
        job = client().get_export(job_id)
        if job.status != "finished":
            raise export_error(409, "409-100", f"Job {job.id} is {job.status}: poll its status "
                                               "until it is finished")
        return Response(job.result, content_type="text/csv; charset=utf-8")
