"""Identity and lead-database routes: HTTP in, LeadDatabase calls, Marketo envelopes out."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from flask import Flask, Response, g, request

from vendorsim.mocks.core.openapi import doc

from . import http
from .errors import MarketoError

if TYPE_CHECKING:
    from .models import LeadDatabase
    from .service import MarketoService



def require(permission: str) -> None:
    """B-MKT-15: the API user needs the permission (e.g. Edit Person) or the call gets 603."""
    if permission not in g.credential.permissions:
        raise MarketoError("603")


def register_lead_routes(app: Flask, service: MarketoService) -> None:
    def db() -> LeadDatabase:  # the instance the token belongs to
        return g.tenant.backend

    def max_batch() -> int:
        return g.tenant.limiter.config.max_batch

    @app.route("/identity/oauth/token", methods=["GET", "POST"], endpoint="identity_token")
    @doc(query=("grant_type", "client_id", "client_secret"), body="form", auth=False)
    def identity_token() -> Response:
        tenant_id = request.environ["vendorsim.tenant"]
        grant = http.param("grant_type")
        if not grant:
            return http.oauth_error(400, "invalid_request", "Missing grant type")
        if grant != "client_credentials":
            return http.oauth_error(400, "unsupported_grant_type",
                                    f"Unsupported grant type: {grant}")
        cred = service.authenticate(tenant_id, http.param("client_id") or "",
                                    http.param("client_secret") or "")
        if cred is None:
            return http.oauth_error(401, "invalid_client", "Bad client credentials")
        tenant = service.tenant(tenant_id)
        token = service.tokens.issue(tenant.id, cred)
        body = {"access_token": token.value, "token_type": "bearer",
                "expires_in": max(0, math.ceil(service.tokens.remaining(token)) - 1),
                "scope": cred.user}
        return Response(json.dumps(body, separators=(",", ":")), content_type=http.JSON_TYPE,
                        headers=http.TOKEN_HEADERS)

    @app.route("/rest/v1/leads.json", methods=["GET", "POST", "DELETE"])
    @doc(query=("filterType", "filterValues", "fields", "batchSize", "nextPageToken", "id",
                "_method", "access_token"), body="json", examples=[
        {"action": "createOrUpdate", "lookupField": "email", "partitionName": "Default",
         "input": [{"email": "a@x.example", "firstName": "A", "numberOfEmployees": 5}]},
        {"action": "updateOnly", "lookupField": "id", "input": [{"id": 1, "title": "T"}]}])
    def leads() -> Response:
        if request.method == "GET":
            return _get_leads(db(), max_batch())
        if request.method == "DELETE":
            return _delete(db(), max_batch())
        require("edit_person")
        body = http.json_body()
        records = http.input_list(body, max_batch())
        action = body.get("action") or "createOrUpdate"
        lookup = body.get("lookupField") or "email"
        partition = body.get("partitionName")
        if not isinstance(action, str) or not isinstance(lookup, str):
            raise MarketoError("1003", "Invalid data: action and lookupField are strings")
        if partition is not None and not isinstance(partition, str):
            raise MarketoError("1003", "Invalid data: partitionName is a string")
        result = db().sync(records, action=action, lookup_field=lookup,
                           partition_name=partition if action != "updateOnly" else None,
                           credential=g.credential)
        if body.get("asyncProcessing") is True:
            return http.ok()
        return http.ok(result)

    @app.post("/rest/v1/leads/delete.json")
    @doc(query=("id", "access_token"), body="json", examples=[{"input": [{"id": 1}]}])
    def delete_leads() -> Response:
        return _delete(db(), max_batch())

    @app.get("/rest/v1/lead/<int:lead_id>.json")
    @doc(query=("fields", "access_token"))
    def lead_by_id(lead_id: int) -> Response:
        require("read")
        database = db()
        fields = database.check_fields(http.csv_param("fields"))
        with database.lock:
            lead = database.leads.get(lead_id)
            return http.ok([lead.render(fields)] if lead else [])

    @app.get("/rest/v1/leads/describe.json")
    @doc(query=("access_token",))
    def describe() -> Response:
        require("read")
        fields = db().schema.fields.values()
        return http.ok([f.describe(n) for n, f in enumerate(fields, start=1)])

    @app.get("/rest/v1/leads/describe2.json")
    @doc(query=("access_token",))
    def describe2() -> Response:
        require("read")
        schema = db().schema
        return http.ok([{"name": "API Lead",
                         "searchableFields": [[name] for name in schema.searchable],
                         "fields": [f.describe2() for f in schema.fields.values()]}])

    @app.route("/rest/v1/leads/partitions.json", methods=["GET", "POST"])
    @doc(query=("access_token",), body="json",
         examples=[{"input": [{"id": 1, "partitionName": "Default"}]}])
    def partitions() -> Response:
        database = db()
        if request.method == "GET":
            require("read")
            return http.ok([{"id": p.id, "name": p.name, "description": p.description}
                            for p in database.partitions.values()])
        require("edit_person")
        moves = http.input_list(http.json_body(), max_batch())
        return http.ok(database.move(moves, g.credential))


def _get_leads(database: LeadDatabase, limit: int) -> Response:
    require("read")
    filter_type = http.required_param("filterType")
    values = http.filter_values(limit)
    batch = http.int_param("batchSize", limit, high=limit)
    offset = http.page_offset()
    fields = database.check_fields(http.csv_param("fields"))
    found = database.query(filter_type, values)
    page = found[offset:offset + batch]
    with database.lock:
        result = [lead.render(fields) for lead in page]
    more = offset + batch < len(found)
    return http.ok(result, more=more, offset=offset + batch)


def _delete(database: LeadDatabase, limit: int) -> Response:
    require("edit_person")
    ids = http.lead_ids(limit)
    return http.ok(database.delete(ids, g.credential))

