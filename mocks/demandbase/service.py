"""Demandbase as a vendor of the mock cloud: `uapi.demandbase.com`, tenants are client ids.

`POST /auth/v1/token` takes a form body and answers camelCase (`accessToken`, `tokenType`,
`expiresIn` 28,800 s), as Demandbase's own SDK reads it; a UI-issued API token can be
registered too (B-DB-03). Errors carry `{errorCode, errorMessage, diagnosticCode}`. Limits:
1,000 calls a minute (429, no Retry-After), two import jobs at a time.
"""

from __future__ import annotations

import math
import re
import uuid

from flask import Flask, Response, request

from vendorsim.mocks.core.auth import Credential
from vendorsim.mocks.core.bearer import ApiError, BearerService, json_response
from vendorsim.mocks.core.bodies import BadBody, parse_json, whole_number
from vendorsim.mocks.core.context import call, call_permissions, tenant_backend
from vendorsim.mocks.core.faults import FaultRule
from vendorsim.mocks.core.limits import LimitExceeded
from vendorsim.mocks.core.openapi import doc
from vendorsim.mocks.core.pipeline import drop_some
from vendorsim.mocks.core.service import Tenant

from . import facts
from .data_routes import register_data_routes
from .models import DemandbaseClient, normalise_domain, problem
from .models import entity_type as validated

LISTS = "/accountlists/v1/lists"


class DemandbaseService(BearerService):
    name = "demandbase"
    host_pattern = re.compile(r"uapi\.demandbase\.com", re.I)
    token_ttl = facts.TOKEN_TTL
    default_limits = facts.DEFAULT_LIMITS
    tenant_in_path = False
    example_tenant = ""
    token_endpoints = frozenset({"demandbase_token"})
    max_body = facts.MAX_BODY
    openapi_answers = facts.OPENAPI_ANSWERS
    additive_states = facts.ADDITIVE_STATES

    def new_backend(self, tenant_id: str) -> DemandbaseClient:
        return DemandbaseClient(tenant_id, self.clock)

    def make_token_value(self, tenant_id: str) -> str:
        return f"eyJhbGciOiJIUzI1NiJ9.{uuid.uuid4().hex}.{uuid.uuid4().hex}"

    def client(self, client_id: str) -> DemandbaseClient:
        return self.backend(client_id)

    def add_api_token(self, client_id: str, value: str) -> None:
        """Register a user's API token (My Profile > API Token) as a bearer for `client_id`."""
        tenant = self.tenant(client_id, create=True)
        self.tokens.add_static(tenant.id, Credential(client_id, value), value)

    def unauthorized(self) -> ApiError:
        return problem(401, "Unauthorized: the token is invalid or expired")

    def throttled(self, exc: LimitExceeded, tenant: Tenant) -> ApiError:
        return problem(429, "Rate limit exceeded")

    def fault_error(self, rule: FaultRule) -> ApiError:
        """Injected statuses in Demandbase's own error shape (errors.py)."""
        if rule.error_code is None and rule.status is not None:
            text = "Rate limit exceeded" if rule.status == 429 else \
                rule.message or f"Injected fault {rule.status}"
            return problem(rule.status, text)
        return super().fault_error(rule)

    def not_found(self) -> ApiError:
        return problem(404, "Not found")

    def too_large(self) -> ApiError:
        return problem(413, f"Request body larger than {self.max_body // 1048576} MB")

    def register_routes(self, app: Flask) -> None:
        app.add_url_rule("/auth/v1/token", "demandbase_token", self._token, methods=["POST"])

        def client() -> DemandbaseClient:
            return tenant_backend()

        def require_write() -> None:
            if "edit_assets" not in call_permissions():
                raise problem(403, "Forbidden: insufficient privilege")

        @app.post("/import/v1/job")
        @doc(body="json", examples=[
            {"entityType": "account", "dataImportName": "J", "source": "CSV"}])
        def create_job() -> Response:
            require_write()
            return json_response(client().create_job(_body()).render())

        @app.put("/import/v1/job/<int:job_id>/data")
        @doc(query=("listAction",), body="csv")
        def job_data(job_id: int) -> Response:
            require_write()
            data = request.get_data()
            kept, lost = drop_some(data.splitlines(keepends=True)[1:])
            if lost:  # accepted whole, part of it lost (B-DB-06)
                data = b"".join(data.splitlines(keepends=True)[:1] + kept)
            # the API description's default list action is `replace`
            job = client().submit(job_id, request.args.get("listAction", "replace"), data)
            return json_response(job.render())

        @app.get("/import/v1/job/<int:job_id>")
        @doc(query=())
        def get_job(job_id: int) -> Response:
            return json_response(client().get_job(job_id).render())

        @app.get("/import/v1/jobs")
        @doc(query=("page", "perPage", "entityType", "state", "sort"))
        def jobs() -> Response:
            c = client()
            with c.lock:
                c.advance_jobs()
                kind = request.args.get("entityType")
                found = [j.render() for j in c.jobs.values()
                         if kind is None or kind.lower() == j.entity_type  # any case
                         if request.args.get("state") in (None, j.state)]
            page, per_page = _int_arg("page", 1), _int_arg("perPage", 50)
            return json_response({"totalCount": len(found),
                                  "data": found[(page - 1) * per_page: page * per_page]})

        @app.get("/import/v1/<entity_type>/sources")
        @doc(query=())
        def sources(entity_type: str) -> Response:
            """Where imports of this entity type may come from (documented: CSV)."""
            validated(entity_type)
            return json_response({"data": ["CSV"]})

        register_data_routes(app, self, _body)

        @app.route(LISTS, methods=["GET", "POST"])
        @doc(body="json", examples=[{"name": "L", "description": "d", "dataflowId": "f"}])
        def account_lists() -> Response:
            c = client()
            if request.method == "POST":
                require_write()
                return json_response(c.create_list(_body()).render(), 201)
            return json_response({"totalCount": len(c.lists),
                                  "data": [x.render() for x in c.lists.values()]})

        @app.get(f"{LISTS}/<int:list_id>")
        @doc(query=())
        def account_list(list_id: int) -> Response:
            return json_response(client().get_list(list_id).render())

        @app.route(f"{LISTS}/<int:list_id>/accounts", methods=["GET", "POST", "DELETE"])
        @doc(query=("page", "perPage"), body="json", examples=[
            {"accounts": [{"accountName": "A", "accountEmailDomain": "a.com"}]},
            {"domains": ["acme.com", "a.com"]}])
        def list_accounts(list_id: int) -> Response:
            c = client()
            with c.lock:
                target = c.get_list(list_id)
                if request.method == "GET":
                    members = [c.accounts[d] for d in target.members]
                    page, per_page = _int_arg("page", 1), _int_arg("perPage", 500)
                    return json_response({"totalCount": len(members), "data":
                                          members[(page - 1) * per_page: page * per_page]})
                require_write()
                body = _body()
                if request.method == "DELETE":
                    domains = body.get("domains") if isinstance(body, dict) else None
                    if not isinstance(domains, list):
                        raise problem(400, "Expected {\"domains\": [...]}")
                    clean = [d for d in map(normalise_domain, domains) if d]
                    return json_response({"removed": c.remove_accounts(target, clean)}, 202)
                return json_response(_add(c, target, body), 202)

    @doc(body="form", auth=False)
    def _token(self) -> Response:
        form = request.form
        if form.get("grant_type", "client_credentials") != "client_credentials" or \
                not form.get("client_id") or not form.get("client_secret"):
            raise problem(400, "grant_type=client_credentials, client_id and client_secret "
                               "are required (form-encoded)")
        cred = self.authenticate(form["client_id"], form["client_id"], form["client_secret"])
        if cred is None:
            raise problem(401, "Invalid client credentials")
        token = self.tokens.issue(self.tenant(form["client_id"]).id, cred, reuse=False)
        return json_response({"accessToken": token.value, "tokenType": "Bearer",
                              "expiresIn": math.ceil(self.tokens.remaining(token))})


def _add(c: DemandbaseClient, target: object, body: object) -> dict:
    """Add accounts by domain; a `drop` fault accepts them all and loses some (B-DB-06)."""
    accounts = body.get("accounts") if isinstance(body, dict) else None
    if not isinstance(accounts, list) or not accounts:
        raise problem(400, "Expected {\"accounts\": [{\"accountName\", \"accountEmailDomain\"}]}")
    call().records = len(accounts)
    good, rejected = [], []
    for index, item in enumerate(accounts):
        item = item if isinstance(item, dict) else {}
        domain = normalise_domain(item.get("accountEmailDomain"))
        name = item.get("accountName")
        if domain is None or not isinstance(name, str) or not name.strip():
            rejected.append({"index": index, "errorMessage":
                             "accountName and a valid accountEmailDomain are required"})
            continue
        # every submitted field is kept, so a test can see what the CDP sent (primaryId must
        # never arrive: B-BOM-05 / AEP's Demandbase mapping)
        good.append({**item, "accountName": name.strip(), "domain": domain})
    kept, _ = drop_some(good)
    c.add_accounts(target, kept)  # type: ignore[arg-type]  # the records drop_some let through
    return {"accepted": len(good), "rejected": rejected}


def _body() -> object:
    data = request.get_data(cache=True)
    if not data:
        return None
    try:
        return parse_json(data)
    except BadBody as exc:
        raise problem(400, f"The request body is not acceptable: {exc}") from None


def _int_arg(name: str, default: int) -> int:
    value = whole_number(request.args.get(name, default), 1, 100_000)
    if value is None:
        raise problem(400, f"{name} must be a whole number from 1 to 100000")
    return value
