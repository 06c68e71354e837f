"""The admin API under `/__admin/`, served on every vendor host (WireMock's convention).

On a vendor host it acts on that vendor; on the cloud's own address (no vendor Host) it acts
on every vendor. Errors are plain `{"error": "..."}` with 400/403/404/409: the admin API is
vendorsim's own, not a vendor's, so even on Marketo's host a bad admin call is never a 611.

Every body is typed and bounded before anything changes, and every write is all or nothing.
Writes refuse cross-site requests (a web page in the user's browser must not reset the mocks):
a request carrying an `Origin` other than the server's own is refused with 403, and a write
with a body must declare `Content-Type: application/json` (which a cross-site form cannot).
"""

from __future__ import annotations

import logging
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from .bodies import BadBody, parse_json, whole_number
from .clock import parse_time
from .faults import FaultSpecError
from .openapi import describe, doc
from .service import VendorService, seed_checked
from .verdicts import judge

log = logging.getLogger("vendorsim.admin")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud


class AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def admin_http_error(exc: HTTPException) -> Response | None:
    """An unknown admin path or method on a vendor's host, answered as the admin API does
    (JSON) rather than in the vendor's envelope; None for vendor paths."""
    if not request.path.startswith("/__admin"):
        return None
    response = jsonify(error=f"{exc.code} {exc.name}: no admin call {request.method} "
                             f"{request.path} (see /__admin/openapi.json)")
    response.status_code = exc.code or 404
    return response


def _body() -> dict:
    data = request.get_data()
    if not data:
        return {}
    try:
        value = parse_json(data)
    except BadBody as exc:
        raise AdminError(400, f"the body is not acceptable JSON: {exc}") from None
    if not isinstance(value, dict):
        raise AdminError(400, "expected a JSON object body")
    return value


def _refuse_cross_site() -> None:
    """403 for a write from another origin; 415 for a write whose body is not JSON."""
    if request.method not in WRITES:
        return
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
        raise AdminError(403, f"cross-site admin request from {origin[:100]} refused: the "
                              "admin API takes writes from its own origin or non-browser "
                              "clients only")
    if request.content_length and request.mimetype != "application/json":
        raise AdminError(415, "admin writes with a body need Content-Type: application/json")


def admin_blueprint(cloud: Cloud, service: VendorService | None) -> Blueprint:
    """Admin routes acting on one vendor (`service`) or on the whole cloud (None)."""
    bp = Blueprint(f"admin_{service.name if service else 'cloud'}", __name__,
                   url_prefix="/__admin")
    vendor = service.name if service else None
    services = [service] if service else list(cloud.services.values())

    @bp.before_request
    def _guard() -> None:
        _refuse_cross_site()

    @bp.after_request
    def _changed(response: Response) -> Response:
        if request.method != "GET":  # a write: persistent mode saves it
            cloud.changes += 1
        return response

    @bp.errorhandler(AdminError)
    def _admin_error(exc: AdminError):
        return jsonify(error=exc.message), exc.status

    @bp.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return jsonify(error=exc.description), exc.code or 400

    @bp.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("vendorsim admin: unexpected error")
        return jsonify(error=f"internal error in the admin API: {type(exc).__name__}"), 500

    def tenant_of(tenant_id: str):
        if service is None:
            raise AdminError(404, "tenant routes live on a vendor host")
        found = service.find_tenant(tenant_id)
        if found is None:
            raise AdminError(404, f"no {service.name} tenant {tenant_id!r}")
        return found

    described: dict[int, dict] = {}

    @bp.get("/openapi.json")
    def openapi():
        """This host's API (the vendor's, then the admin API) as OpenAPI 3."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if id(app) not in described:
            who = f"vendorsim {service.name} mock" if service else "vendorsim admin API"
            described[id(app)] = describe(
                app, title=who, tags={"/__admin": "admin"}, bearer=service is not None,
                description="Generated from the mock's route table. Vendor errors come back "
                            "in the vendor's own envelope; admin errors as {\"error\": ...}.")
        return jsonify(described[id(app)])

    @bp.get("/docs")
    def docs():
        """A readable list of this host's operations (no scripts, no CDN)."""
        spec = openapi().get_json()
        rows = "".join(
            f"<tr><td>{escape(m.upper())}</td><td><code>{escape(p)}</code></td>"
            f"<td>{escape(', '.join(q['name'] for q in op['parameters'] if q['in'] == 'query'))}"
            f"</td><td>{escape(op['summary'])}</td></tr>"
            for p, ops in spec["paths"].items() for m, op in ops.items())
        return (f"<!doctype html><title>{escape(spec['info']['title'])}</title>"
                f"<h1>{escape(spec['info']['title'])}</h1><p>OpenAPI 3: "
                f"<a href='openapi.json'>openapi.json</a></p><table border=1 cellpadding=4>"
                f"<tr><th>method</th><th>path</th><th>query</th><th>what</th></tr>{rows}"
                "</table>")

    @bp.get("/health")
    def health():
        saver = cloud.saver
        persisted = None if saver is None else {
            "file": str(saver.path), "saved_at": saver.saved_at,
            "save_seconds": round(saver.last_duration, 3), "interval": saver.interval}
        return jsonify(status="ok", vendors=[s.name for s in services],
                       tenants={s.name: [t.id for t in s.tenants()] for s in services},
                       strict=cloud.strict, clock=cloud.clock.describe(), urls=cloud.urls,
                       persistence=persisted)

    @bp.post("/reset")
    @doc(query=("tenant",))
    def reset():
        tenant = request.args.get("tenant")
        if tenant:
            tenant_of(tenant)
            service.reset(tenant)  # type: ignore[union-attr]
        else:
            cloud.reset(vendor)
        return jsonify(reset=tenant or vendor or "all")

    @bp.get("/state")
    @doc(query=("tenant",))
    def get_state():
        tenant = request.args.get("tenant") or None  # an empty value: every tenant
        if tenant:
            tenant_of(tenant)
        if service is not None:
            return jsonify(service.snapshot(tenant))
        return jsonify(vendors={s.name: s.snapshot() for s in services})

    @bp.put("/state")
    def put_state():
        """All or nothing across vendors and tenants: every part is checked and built aside
        before any is swapped in."""
        data = _body()
        if service is not None:
            parts = {service.name: data}
        else:
            parts = data.get("vendors")
            if not isinstance(parts, dict):
                raise AdminError(400, "expected {'vendors': {name: snapshot}}")
            unknown = sorted(set(parts) - set(cloud.services))
            if unknown:
                raise AdminError(400, f"state not restored: unknown vendor(s) {unknown}")
        try:
            commits = {name: cloud.service(name).prepare_restore(snap)
                       for name, snap in parts.items()}
        except (ValueError, KeyError, TypeError) as exc:
            raise AdminError(400, f"state not restored: {exc}") from None
        return jsonify(restored={name: commit() for name, commit in commits.items()})

    @bp.get("/journal")
    @doc(query=("vendor", "tenant", "method", "path", "status", "code", "since",
                "until", "limit", "unmatched"))
    def journal():
        args = request.args
        numbers = {}
        for name, low, high in (("status", 100, 599), ("limit", 1, 10**7)):
            if name in args:
                numbers[name] = whole_number(args[name], low, high)
                if numbers[name] is None:
                    raise AdminError(400, f"bad journal filter: {name} is a whole number "
                                          f"from {low} to {high}")
        flag = args.get("unmatched")
        if flag not in (None, "true", "false"):
            raise AdminError(400, "bad journal filter: unmatched is true or false")
        try:
            entries = cloud.journal.entries(
                vendor=vendor or args.get("vendor"), tenant=args.get("tenant"),
                method=args.get("method"), path=args.get("path"),
                status=numbers.get("status"), code=args.get("code"),
                since=args.get("since"), until=args.get("until"), limit=numbers.get("limit"),
                unmatched=None if flag is None else flag == "true")
        except ValueError as exc:
            raise AdminError(400, f"bad journal filter: {exc}") from None
        return jsonify(count=len(entries), requests=[e.to_dict() for e in entries])

    @bp.get("/verdicts")
    @doc(query=("tenant", "client", "rule", "injected"))
    def client_verdicts():
        """How the clients treated the vendor: verdicts with their journal evidence
        (`injected=judge`: judge answers fault rules injected too)."""
        found = judge(cloud.journal.entries(vendor=vendor), cloud.services, request.args,
                      judge_injected=request.args.get("injected") == "judge")
        return jsonify(count=len(found), verdicts=found)

    @bp.get("/journal/<int:seq>")
    def journal_entry(seq: int):
        """One call with its query, request and response bodies (secrets masked)."""
        found = cloud.journal.detail(seq)
        if found is None or (vendor and found["vendor"] != vendor):
            raise AdminError(404, f"no journal entry {seq}")
        return jsonify(found)

    @bp.delete("/journal")
    def clear_journal():
        cloud.journal.clear(vendor)
        return jsonify(cleared=True)

    @bp.post("/faults")
    @doc(examples=[{"status": 503, "times": 3, "path": "leads", "tenant": "123-ABC-456"},
                   {"status": 503, "duration": 60, "method": "POST"},
                   {"drop": 0.3, "seed": 7, "vendor": "demandbase"}, {"latency": 2.5},
                   {"connection": "reset", "times": 1}, {"chaos": "mixed", "seed": 3}])
    def add_fault():
        """Add a fault rule: an error code, a status, latency, a connection failure, chaos."""
        spec = _body()
        if vendor:
            spec.setdefault("vendor", vendor)
        try:
            rule = cloud.faults.add(spec)
        except (FaultSpecError, TypeError) as exc:
            raise AdminError(400, str(exc)) from None
        return jsonify(rule.to_dict()), 201

    @bp.get("/faults")
    def list_faults():
        rules = [r for r in cloud.faults.list() if vendor in (None, r["vendor"])]
        return jsonify(faults=rules)

    @bp.delete("/faults")
    def clear_faults():
        cloud.faults.clear(vendor)
        return jsonify(cleared=True)

    @bp.delete("/faults/<int:rule_id>")
    def delete_fault(rule_id: int):
        if not cloud.faults.remove(rule_id):
            raise AdminError(404, f"no fault {rule_id}")
        return jsonify(deleted=rule_id)

    @bp.get("/clock")
    def clock():
        return jsonify(cloud.clock.describe())

    @bp.post("/clock/advance")
    @doc(examples=[{"seconds": 30}])
    def advance():
        if not cloud.clock.virtual:
            raise AdminError(409, "the clock is real; start with a virtual clock to move it")
        seconds = _body().get("seconds", 0)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise AdminError(400, "expected {'seconds': a number of seconds}")
        try:
            cloud.clock.advance(float(seconds))  # type: ignore[attr-defined]
        except ValueError as exc:
            raise AdminError(400, f"clock not moved: {exc}") from None
        return jsonify(cloud.clock.describe())

    @bp.post("/clock/set")
    @doc(examples=[{"time": "2026-02-01T00:00:00Z"}, {"time": 1767600000, "forward": True}])
    def set_clock():
        if not cloud.clock.virtual:
            raise AdminError(409, "the clock is real; start with a virtual clock to set it")
        body = _body()
        forward = body.get("forward", False)
        if not isinstance(forward, bool):
            raise AdminError(400, "forward is true or false")
        try:
            when = parse_time(body["time"])
            if not (forward and when < cloud.clock.now()):  # forward: never back in time
                cloud.clock.set(when)  # type: ignore[attr-defined]
        except (KeyError, TypeError, ValueError) as exc:
            raise AdminError(400, f"expected {{'time': ISO-8601}}: {exc}") from None
        return jsonify(cloud.clock.describe())

    @bp.get("/tenants")
    def tenants():
        return jsonify(tenants={s.name: [describe_tenant(s, t) for t in s.tenants()]
                                for s in services})

    @bp.post("/tenants")
    @doc(examples=[{"id": "999-FZZ-999", "credentials": [{"client_id": "c", "client_secret": "s",
                                                          "permissions": ["read"]}],
                    "limits": {"window_calls": 5, "quota_timezone": "Europe/Paris"},
                    "state": {"partitions": ["EMEA"], "leads": [{"email": "z@x.example",
                                                                  "updatedAt": 1700000000}]}}])
    def create_tenant():
        if service is None:
            raise AdminError(404, "create tenants on a vendor host")
        data = _body()
        unknown = set(data) - {"id", "credentials", "limits", "state"}
        if unknown:
            raise AdminError(400, f"unknown tenant field(s): {', '.join(sorted(unknown))}")
        if "id" not in data:
            raise AdminError(400, "a tenant needs an 'id' (Marketo: the Munchkin ID)")
        try:
            tenant = service.seed_tenant(data["id"], credentials=data.get("credentials"),
                                         limits=data.get("limits"), state=data.get("state"))
        except (ValueError, KeyError, TypeError) as exc:
            raise AdminError(400, f"tenant not seeded: {exc}") from None
        return jsonify(describe_tenant(service, tenant)), 201

    @bp.get("/tenants/<tenant_id>")
    def get_tenant(tenant_id: str):
        return jsonify(describe_tenant(service, tenant_of(tenant_id)))  # type: ignore[arg-type]

    @bp.post("/tenants/<tenant_id>/seed")
    @doc(examples=[{"leads": [{"email": "s@x.example", "partition": "Default"}],
                    "lists": [{"name": "S", "members": []}],
                    "data_extensions": [{"name": "X", "fields": [{"name": "A"}],
                                         "rows": [{"A": "1"}]}],
                    "account_lists": [{"name": "A", "domains": ["acme.com"]}]}])
    def seed(tenant_id: str):
        tenant = tenant_of(tenant_id)
        try:
            seed_checked(tenant.backend, _body())
        except ValueError as exc:
            raise AdminError(400, f"seed refused: {exc}") from None
        return jsonify(seeded=tenant.id)

    @bp.post("/tenants/<tenant_id>/credentials")
    @doc(examples=[{"client_id": "c2", "client_secret": "s", "scopes": ["data_extensions_read"]}])
    def add_credentials(tenant_id: str):
        tenant_of(tenant_id)
        try:
            service.seed_tenant(tenant_id, credentials=[_body()])  # type: ignore[union-attr]
        except ValueError as exc:
            raise AdminError(400, f"credential not added: {exc}") from None
        return jsonify(added=True), 201

    @bp.post("/tenants/<tenant_id>/api-tokens")
    def add_api_token(tenant_id: str):
        """Vendors whose users hold personal API tokens (Demandbase, B-DB-03)."""
        adder = getattr(service, "add_api_token", None)
        if adder is None:
            raise AdminError(404, "this vendor has no personal API tokens")
        token = _body().get("token")
        if not isinstance(token, str) or not 0 < len(token) <= 2000 or not token.isprintable():
            raise AdminError(400, "expected {'token': '<the API token>'} (1-2000 characters)")
        try:
            adder(service.check_tenant_id(tenant_id), token)  # type: ignore[union-attr]
        except ValueError as exc:
            raise AdminError(400, str(exc)) from None
        return jsonify(added=True), 201

    @bp.put("/tenants/<tenant_id>/limits")
    @doc(examples=[{"window_calls": 50, "daily_quota": 10, "concurrent": None}])
    def put_limits(tenant_id: str):
        tenant_of(tenant_id)
        try:
            config = service.set_limits(tenant_id, _body())  # type: ignore[union-attr]
        except (ValueError, TypeError) as exc:
            raise AdminError(400, str(exc)) from None
        return jsonify(config.to_dict())

    @bp.post("/tenants/<tenant_id>/expire-tokens")
    def expire_tokens(tenant_id: str):
        tenant = tenant_of(tenant_id)
        return jsonify(expired=service.tokens.expire(tenant.id))  # type: ignore[union-attr]

    @bp.post("/tenants/<tenant_id>/exhaust-quota")
    def exhaust_quota(tenant_id: str):
        tenant = tenant_of(tenant_id)
        tenant.limiter.exhaust_quota()
        return jsonify(tenant.limiter.snapshot())

    return bp


def describe_tenant(service: VendorService, tenant) -> dict:
    return {"vendor": service.name, "id": tenant.id, "seeded": tenant.seeded,
            "credentials": [c.client_id for c in tenant.credentials.values()],
            "limits": tenant.limiter.snapshot()}

