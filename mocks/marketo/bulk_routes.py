"""Bulk extract (leads, activities, program members, custom objects) and bulk import (leads,
program members, custom objects): one set of handlers per direction, registered for each
entity's paths."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, Response, request

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.openapi import doc

from . import http
from .bulk_files import check_request
from .bulk_imports import DELIMITERS
from .errors import MarketoError
from .object_routes import db
from .routes import require

EXPORTS = {"leads": "/bulk/v1/leads/export", "activities": "/bulk/v1/activities/export",
           "program members": "/bulk/v1/program/members/export",
           "custom": "/bulk/v1/customobjects/<api_name>/export"}
EXPORT_EXAMPLE = {"format": "CSV", "fields": ["id", "email"],
                  "filter": {"createdAt": {"startAt": "2026-01-01T00:00:00Z",
                                           "endAt": "2026-01-20T00:00:00Z"}}}
RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _entity(kwargs: dict, default: str) -> str:
    """The entity of a call: the custom object's API name, or the path's fixed entity."""
    name = kwargs.get("api_name")
    if name is None:
        return default
    with db().lock:
        db().custom.store(name)  # 1013 for an unknown custom object
    return name


def register_bulk_routes(app: Flask) -> None:
    for entity, prefix in EXPORTS.items():
        _register_export(app, entity, prefix)
    _register_imports(app)


def _register_export(app: Flask, entity: str, prefix: str) -> None:
    stem = entity.replace(" ", "_")

    def add(rule: str, name: str, view: Callable, methods: list[str]) -> None:
        app.add_url_rule(prefix + rule, endpoint=f"export_{stem}_{name}", methods=methods,
                         view_func=view)

    @doc(query=("status", "batchSize", "nextPageToken"))
    def list_jobs(**kwargs: str) -> Response:
        """Export jobs of the last 7 days."""
        require("read")
        kind = _entity(kwargs, entity)
        statuses = set(http.csv_param("status"))
        batch = http.int_param("batchSize", 300, high=300)
        offset = http.page_offset()
        database = db()
        with database.lock:
            database.run_due_jobs()
            jobs = [j.render() for j in database.exports.listed(kind, database.clock.now(),
                                                                statuses)]
        return http.ok(jobs[offset:offset + batch], more=offset + batch < len(jobs),
                       offset=offset + batch)

    @doc(body="json", examples=[EXPORT_EXAMPLE])
    def create(**kwargs: str) -> Response:
        """Create an export job (status Created)."""
        require("read")
        kind = _entity(kwargs, entity)
        body = http.json_body()
        database = db()
        with database.lock:
            fmt, fields, headers, filter_ = check_request(database, kind, body)
            job = database.exports.create(kind, fmt, fields, headers, filter_,
                                          database.clock.now())
            return http.ok([job.render()])

    def job_call(action: str) -> Callable:
        def view(export_id: str, **kwargs: str) -> Response:
            require("read")
            kind = _entity(kwargs, entity)
            database = db()
            with database.lock:
                database.run_due_jobs()
                job = database.exports.get(export_id, kind)
                now = database.clock.now()
                if action == "enqueue":
                    database.exports.enqueue(job, now)
                    database.run_due_jobs()
                elif action == "cancel":
                    database.exports.cancel(job, now)
                elif action == "file":
                    return _file(database.exports.file(job, now))
                return http.ok([job.render()])
        view.__doc__ = f"{action} an export job."
        return view

    add(".json", "list", list_jobs, ["GET"])
    add("/create.json", "create", create, ["POST"])
    for action, method in (("enqueue", "POST"), ("cancel", "POST"), ("status", "GET"),
                           ("file", "GET")):
        add(f"/<export_id>/{action}.json", action, doc()(job_call(action)), [method])


def _file(data: bytes) -> Response:
    """The file, whole or the byte range asked for (Range: bytes=a-b gives 206)."""
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


def _register_imports(app: Flask) -> None:
    @app.post("/bulk/v1/leads.json")
    @doc(query=("format", "lookupField", "partitionName", "listId"), body="multipart")
    def import_leads() -> Response:
        """Import leads from a file."""
        require("edit_person")
        data, fmt = _upload()
        database = db()
        options: dict = {"lookupField": _form("lookupField") or "email",
                         "partitionName": _form("partitionName")}
        with database.lock:
            if options["lookupField"] not in database.schema.fields:
                raise MarketoError("1006", field=options["lookupField"])
            if _form("listId"):
                list_id = whole_number(_form("listId"), 1)
                database.lists.get(list_id or 0)
                options["listId"] = list_id
            batch = database.imports.submit("leads", data, fmt, options, database.clock.now())
            for name in batch.header:
                if name not in database.schema.fields:
                    del database.imports.batches[batch.id]
                    raise MarketoError("1006", field=name)
            return http.ok([batch.render()])

    @app.post("/bulk/v1/program/<int:program_id>/members/import.json")
    @doc(query=("format", "programMemberStatus"), body="multipart")
    def import_members(program_id: int) -> Response:
        """Import program members from a file, all at one status."""
        require("edit_person")
        data, fmt = _upload()
        status = _form("programMemberStatus")
        if not status:
            raise MarketoError("701", what="programMemberStatus")
        database = db()
        with database.lock:
            program = database.programs.get(program_id)
            if program.status(status) is None:
                raise MarketoError("1003", f"Invalid programMemberStatus '{status[:40]}'")
            batch = database.imports.submit("program members", data, fmt,
                                            {"programId": program_id, "status": status},
                                            database.clock.now())
            return http.ok([batch.render()])

    @app.post("/bulk/v1/customobjects/<api_name>/import.json")
    @doc(query=("format",), body="multipart")
    def import_custom_objects(api_name: str) -> Response:
        """Import custom object records from a file."""
        require("edit_person")
        data, fmt = _upload()
        database = db()
        with database.lock:
            database.custom.store(api_name)
            batch = database.imports.submit(api_name, data, fmt, {}, database.clock.now())
            return http.ok([batch.render()])

    paths = {"leads": ("/bulk/v1/leads/batch/<int:batch_id>", ".json"),
             "program members": ("/bulk/v1/program/members/import/<int:batch_id>",
                                 "/status.json"),
             "custom": ("/bulk/v1/customobjects/<api_name>/import/<int:batch_id>",
                        "/status.json")}
    for entity, (base, status_suffix) in paths.items():
        stem = entity.replace(" ", "_")
        for what, suffix in (("status", status_suffix), ("failures", "/failures.json"),
                             ("warnings", "/warnings.json")):
            app.add_url_rule(base + suffix, endpoint=f"import_{stem}_{what}", methods=["GET"],
                             view_func=doc()(_batch_view(entity, what)))


def _batch_view(entity: str, what: str) -> Callable:
    def view(batch_id: int, **kwargs: str) -> Response:
        require("read")
        kind = _entity(kwargs, entity)
        database = db()
        with database.lock:
            database.run_due_jobs()
            batch = database.imports.get(batch_id, kind)
            if what == "status":
                return http.ok([batch.render()])
            if batch.status != "Complete":
                raise MarketoError("1019", "Import in progress")
            return Response(batch.report(what), content_type="text/plain",
                            headers={"Server": "nginx"})
    view.__doc__ = f"The {what} of an import batch."
    return view
