"""The Data Export API (vendor-apis.md §7.4): fields, export jobs of an entity type or of
account and person lists, their status and their CSV."""

from __future__ import annotations

from flask import Blueprint, Response, request

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.openapi import doc

from ..model.errors import export_error
from . import http

bp = Blueprint("demandbase_exports", __name__)
EXPORT = "/data/export/v1"


@bp.get(f"{EXPORT}/fields")
@doc(query=("entityType", "adReportType"))
def export_fields() -> Response:
    """The fields an export job of an entity type can hold."""
    return http.json_response(http.client().export_fields(http.caller(),
                                                          request.args.get("entityType")))


@bp.post(f"{EXPORT}/job")
@doc(body="json", examples=[{"entityType": "account", "jobName": "All",
                             "fields": ["{Account}.name", "{Account}.domain"]}])
def export_job() -> Response:
    """An export job of an entity type."""
    return _create("job")


@bp.post(f"{EXPORT}/accountList/job")
@doc(body="json", examples=[{"jobName": "L", "accountListIds": [11416]}])
def export_account_list() -> Response:
    """An export job of account lists."""
    return _create("accountList")


@bp.post(f"{EXPORT}/personList/job")
@doc(body="json", examples=[{"jobName": "P", "personListIds": [1]}])
def export_person_list() -> Response:
    """An export job of person lists."""
    return _create("personList")


def _create(kind: str) -> Response:
    return http.json_response(http.client().create_export(http.caller(), http.body(), kind),
                              202)


@bp.get(f"{EXPORT}/jobs")
@doc(query=("entityType", "page", "perPage", "sort", "jobStatus"))
def export_jobs() -> Response:
    """Submitted export jobs, newest first unless sort=ascending."""
    found = http.client().list_exports(http.caller(), request.args.get("entityType", "All"),
                                       request.args.get("jobStatus", "All"))
    if request.args.get("sort", "descending") != "ascending":
        found.reverse()
    page, size = _page_arg("page", "1", 100_000), _page_arg("perPage", "10", 1000)
    return http.json_response({"pageNo": page, "pageSize": size, "totalCount": len(found),
                               "data": found[(page - 1) * size: page * size]})


@bp.get(f"{EXPORT}/job/<job_id>")
@doc(query=())
def export_status(job_id: str) -> Response:
    """A job's status; a finished job names where its CSV is."""
    job = http.client().get_export(http.caller(), job_id)
    url = f"{request.host_url.rstrip('/')}{request.script_root}{EXPORT}/job/{job.id}/results"
    return http.json_response(job.state(url))


@bp.get(f"{EXPORT}/job/<job_id>/results")
@doc(query=())
def export_results(job_id: str) -> Response:
    """The CSV of a finished job."""
    job = http.client().get_export(http.caller(), job_id, counted=False)
    if job.status != "finished":
        raise export_error(409, "409-100", f"Job {job.id} is {job.status}: poll its status "
                                           "until it is finished")
    return Response(job.result, content_type="text/csv; charset=utf-8")


def _page_arg(name: str, default: str, high: int) -> int:
    value = whole_number(request.args.get(name, default), 1, high)
    if value is None:
        raise export_error(400, "400-105", "page and perPage are whole numbers")
    return value
