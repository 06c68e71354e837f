"""Bulk extract (leads, activities, program members, custom objects) and bulk import (leads,
program members, custom objects). Each entity has its own paths; the views are shared and
take the entity (a custom object's API name for custom objects)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, request

from vendorsim.mocks.core.openapi import doc

from ..model.bulk_imports import DELIMITERS
from ..model.errors import MarketoError
from . import http

bp = Blueprint("bulk", __name__)
EXPORTS = {"leads": "/bulk/v1/leads/export", "activities": "/bulk/v1/activities/export",
           "program members": "/bulk/v1/program/members/export",
           "custom": "/bulk/v1/customobjects/<api_name>/export"}
IMPORT_BATCHES = {"leads": ("/bulk/v1/leads/batch/<int:batch_id>", ".json"),
                  "program members": ("/bulk/v1/program/members/import/<int:batch_id>",
                                      "/status.json"),
                  "custom": ("/bulk/v1/customobjects/<api_name>/import/<int:batch_id>",
                             "/status.json")}
EXPORT_EXAMPLE = {"format": "CSV", "fields": ["id", "email"],
                  "filter": {"createdAt": {"startAt": "2026-01-01T00:00:00Z",
                                           "endAt": "2026-01-20T00:00:00Z"}}}
RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _entity(entity: str, api_name: str | None) -> str:
    """The entity of a call: the custom object's API name, or the path's fixed entity."""
    return api_name if api_name is not None else entity


# -- export --------------------------------------------------------------------------------
@doc(query=("status", "batchSize", "nextPageToken"))
def export_jobs(entity: str, api_name: str | None = None) -> Response:
    """Export jobs of the last 7 days."""
    http.require("read")
    statuses = set(http.csv_param("status"))
    batch = http.batch_size()
    offset = http.page_offset()
    found, more = http.instance().bulk.export_jobs(_entity(entity, api_name), statuses,
                                                   offset, batch)
    return http.page(found, more, offset, batch)


@doc(body="json", examples=[EXPORT_EXAMPLE])
def create_export(entity: str, api_name: str | None = None) -> Response:
    """Create an export job (status Created)."""
    http.require("read")
    return http.ok(http.instance().bulk.create_export(_entity(entity, api_name),
                                                      http.json_body()))


@doc()
def export_job(entity: str, export_id: str, action: str, api_name: str | None = None
               ) -> Response:
    """Enqueue or cancel an export job, or read its status."""
    http.require("read")
    return http.ok(http.instance().bulk.export_job(_entity(entity, api_name), export_id,
                                                   action))


@doc()
def export_file(entity: str, export_id: str, api_name: str | None = None) -> Response:
    """The file of a completed export job, whole or the byte range asked for."""
    http.require("read")
    data = http.instance().bulk.export_file(_entity(entity, api_name), export_id)
    wanted = RANGE.fullmatch(request.headers.get("Range", "").strip())
    headers = {"Server": "nginx", "Accept-Ranges": "bytes"}
    if wanted and (wanted.group(1) or wanted.group(2)) and len(wanted.group(1)) < 19 \
            and len(wanted.group(2)) < 19:
        first = int(wanted.group(1)) if wanted.group(1) else max(0, len(data) -
                                                                   int(wanted.group(2)))
        last = int(wanted.group(2)) if wanted.group(1) and wanted.group(2) else len(data) - 1
        last = min(last, len(data) - 1)
        if first <= last:
            headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
            return Response(data[first:last + 1], status=206, content_type="text/plain",
                            headers=headers)
    return Response(data, content_type="text/plain", headers=headers)


for _entity_name, _prefix in EXPORTS.items():
    _stem = _entity_name.replace(" ", "_")
    _fixed = {"entity": _entity_name}
    bp.add_url_rule(f"{_prefix}.json", f"export_{_stem}_list", export_jobs, methods=["GET"],
                    defaults=_fixed)
    bp.add_url_rule(f"{_prefix}/create.json", f"export_{_stem}_create", create_export,
                    methods=["POST"], defaults=_fixed)
    for _action, _method in (("enqueue", "POST"), ("cancel", "POST"), ("status", "GET")):
        bp.add_url_rule(f"{_prefix}/<export_id>/{_action}.json", f"export_{_stem}_{_action}",
                        export_job, methods=[_method], defaults={**_fixed, "action": _action})
    bp.add_url_rule(f"{_prefix}/<export_id>/file.json", f"export_{_stem}_file", export_file,
                    methods=["GET"], defaults=_fixed)


# -- import --------------------------------------------------------------------------------
def _upload() -> tuple[bytes, str]:
    """The `file` part of a multipart body and the `format` parameter (613 when the body is
    not multipart or has no file)."""
    if request.mimetype != "multipart/form-data":
        raise MarketoError("613")
    try:
        part = request.files.get("file")
    except ValueError:
        raise MarketoError("613") from None
    if part is None:
        raise MarketoError("613", "Invalid Multipart Request: no 'file' part")
    fmt = (request.form.get("format") or http.param("format") or "csv").lower()
    if fmt not in DELIMITERS:
        raise MarketoError("1003", "format is one of csv, tsv, ssv")
    return part.read(), fmt


def _form(name: str) -> str | None:
    return request.form.get(name) or http.param(name)


@bp.post("/bulk/v1/leads.json")
@doc(query=("format", "lookupField", "partitionName", "listId"), body="multipart")
def import_leads() -> Response:
    """Import leads from a file."""
    http.require("edit_person")
    data, fmt = _upload()
    return http.ok(http.instance().bulk.import_leads(
        data, fmt, _form("lookupField") or "email", _form("partitionName"), _form("listId")))


@bp.post("/bulk/v1/program/<int:program_id>/members/import.json")
@doc(query=("format", "programMemberStatus"), body="multipart")
def import_members(program_id: int) -> Response:
    """Import program members from a file, all at one status."""
    http.require("edit_person")
    data, fmt = _upload()
    status = _form("programMemberStatus")
    if not status:
        raise MarketoError("701", what="programMemberStatus")
    return http.ok(http.instance().bulk.import_members(program_id, data, fmt, status))


@bp.post("/bulk/v1/customobjects/<api_name>/import.json")
@doc(query=("format",), body="multipart")
def import_custom_objects(api_name: str) -> Response:
    """Import custom object records from a file."""
    http.require("edit_person")
    data, fmt = _upload()
    return http.ok(http.instance().bulk.import_custom(api_name, data, fmt))


@doc()
def batch_status(entity: str, batch_id: int, api_name: str | None = None) -> Response:
    """The status of an import batch."""
    http.require("read")
    return http.ok(http.instance().bulk.batch_status(_entity(entity, api_name), batch_id))


@doc()
def batch_report(entity: str, which: str, batch_id: int, api_name: str | None = None
                 ) -> Response:
    """The failures or warnings of a finished import batch."""
    http.require("read")
    data = http.instance().bulk.batch_report(_entity(entity, api_name), batch_id, which)
    return Response(data, content_type="text/plain", headers={"Server": "nginx"})


for _entity_name, (_base, _status_suffix) in IMPORT_BATCHES.items():
    _stem = _entity_name.replace(" ", "_")
    bp.add_url_rule(_base + _status_suffix, f"import_{_stem}_status", batch_status,
                    methods=["GET"], defaults={"entity": _entity_name})
    for _which in ("failures", "warnings"):
        bp.add_url_rule(f"{_base}/{_which}.json", f"import_{_stem}_{_which}", batch_report,
                        methods=["GET"], defaults={"entity": _entity_name, "which": _which})
