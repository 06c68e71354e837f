"""Admin calls on the whole host: its API document, health, reset, state, the journal,
client verdicts, fault rules."""

from __future__ import annotations

from html import escape

from flask import Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from ..bodies import whole_number
from ..faults import FaultSpecError
from ..openapi import describe, doc
from ..verdicts import judge
from . import (
    AdminError,
    _body,
    _cloud,
    _described,
    _service,
    _services,
    _vendor,
    _vendor_service,
    bp,
    tenant_of,
)
from .access import admitted, masked


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """This host's API (the vendor's, then the admin API) as OpenAPI 3."""
    return jsonify(_document())


def _document() -> dict:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app, not its proxy
    if id(app) not in _described:
        service = _service()
        who = f"vendorsim {service.name} mock" if service else "vendorsim admin API"
        _described[id(app)] = describe(
            app, title=who, tags={"/__admin": "admin"}, bearer=service is not None,
            answers=service.openapi_answers if service is not None else None,
            description="Generated from the mock's route table. Vendor errors come back "
                        "in the vendor's own envelope; admin errors as {\"error\": ...}.")
    return _described[id(app)]


@bp.get("/docs")
def docs() -> ResponseReturnValue:
    """A readable list of this host's operations (no scripts, no CDN)."""
    spec = _document()
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
def health() -> ResponseReturnValue:
    """`degraded` while persistent mode cannot keep its file (the reason under
    `persistence.problem`); without the admin token, where one is set, only the status."""
    cloud = _cloud()
    saver = cloud.saver
    status = "degraded" if saver is not None and saver.problem else "ok"
    if not admitted(request, cloud.admin_token):
        return jsonify(status=status)
    return jsonify(status=status, vendors=[s.name for s in _services()],
                   tenants={s.name: [t.id for t in s.tenants()] for s in _services()},
                   strict=cloud.strict, clock=cloud.clock.describe(), urls=cloud.urls,
                   persistence=None if saver is None else saver.describe())


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    """Prometheus metrics of the whole cloud (text format 0.0.4)."""
    from prometheus_client import CONTENT_TYPE_LATEST

    return Response(_cloud().metrics.render(), content_type=CONTENT_TYPE_LATEST)


@bp.post("/reset")
@doc(query=("tenant",))
def reset() -> ResponseReturnValue:
    tenant = request.args.get("tenant")
    if tenant:
        tenant_of(tenant)
        _vendor_service().reset(tenant)
    else:
        _cloud().reset(_vendor())
    return jsonify(reset=tenant or _vendor() or "all")


@bp.get("/state")
@doc(query=("tenant", "secrets"))
def get_state() -> ResponseReturnValue:
    """The state; credentials' secrets masked unless `secrets=include` (a masked state put
    back keeps the secrets the server has; `--state` refuses one, saying so)."""
    tenant = request.args.get("tenant") or None  # an empty value: every tenant
    secrets = request.args.get("secrets", "mask")
    if secrets not in ("mask", "include"):
        raise AdminError(400, "secrets is mask (the default) or include")
    if tenant:
        tenant_of(tenant)
    service = _service()
    found = service.snapshot(tenant) if service is not None else \
        {"vendors": {s.name: s.snapshot() for s in _services()}}
    return jsonify(found if secrets == "include" else masked(found))


@bp.put("/state")
def put_state() -> ResponseReturnValue:
    """All or nothing across vendors and tenants: every part is checked and built aside
    before any is swapped in."""
    data = _body()
    service = _service()
    if service is not None:
        parts: dict = {service.name: data}
    else:
        vendors = data.get("vendors")
        if not isinstance(vendors, dict):
            raise AdminError(400, "expected {'vendors': {name: snapshot}}")
        parts = vendors
        unknown = sorted(set(parts) - set(_cloud().services))
        if unknown:
            raise AdminError(400, f"state not restored: unknown vendor(s) {unknown}")
    try:
        commits = {name: _cloud().service(name).prepare_restore(snap)
                   for name, snap in parts.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise AdminError(400, f"state not restored: {exc}") from None
    return jsonify(restored={name: commit() for name, commit in commits.items()})


@bp.get("/journal")
@doc(query=("vendor", "tenant", "method", "path", "status", "code", "since",
            "until", "limit", "unmatched"))


def journal() -> ResponseReturnValue:
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
        entries = _cloud().journal.entries(
            vendor=_vendor() or args.get("vendor"), tenant=args.get("tenant"),
            method=args.get("method"), path=args.get("path"),
            status=numbers.get("status"), code=args.get("code"),
            since=args.get("since"), until=args.get("until"), limit=numbers.get("limit"),
            unmatched=None if flag is None else flag == "true")
    except ValueError as exc:
        raise AdminError(400, f"bad journal filter: {exc}") from None
    return jsonify(count=len(entries), requests=[e.to_dict() for e in entries])


@bp.get("/verdicts")
@doc(query=("tenant", "client", "rule", "injected"))
def client_verdicts() -> ResponseReturnValue:
    """How the clients treated the vendor: verdicts with their journal evidence
    (`injected=judge`: judge answers fault rules injected too)."""
    cloud = _cloud()
    found = judge(cloud.journal.entries(vendor=_vendor()), cloud.services, request.args,
                  judge_injected=request.args.get("injected") == "judge")
    return jsonify(count=len(found), verdicts=found)


@bp.get("/journal/<int:seq>")
def journal_entry(seq: int) -> ResponseReturnValue:
    """One call with its query, request and response bodies (secrets masked)."""
    found = _cloud().journal.detail(seq)
    if found is None or (_vendor() and found["vendor"] != _vendor()):
        raise AdminError(404, f"no journal entry {seq}")
    return jsonify(found)


@bp.delete("/journal")
def clear_journal() -> ResponseReturnValue:
    _cloud().journal.clear(_vendor())
    return jsonify(cleared=True)


@bp.post("/faults")
@doc(examples=[{"status": 503, "times": 3, "path": "leads", "tenant": "123-ABC-456"},
               {"status": 503, "duration": 60, "method": "POST"},
               {"drop": 0.3, "seed": 7, "vendor": "demandbase"}, {"latency": 2.5},
               {"connection": "reset", "times": 1}, {"chaos": "mixed", "seed": 3}])


def add_fault() -> ResponseReturnValue:
    """Add a fault rule: an error code, a status, latency, a connection failure, chaos."""
    spec = _body()
    if _vendor():
        spec.setdefault("vendor", _vendor())
    try:
        rule = _cloud().faults.add(spec)
    except (FaultSpecError, TypeError) as exc:
        raise AdminError(400, str(exc)) from None
    return jsonify(rule.to_dict()), 201


@bp.get("/faults")
def list_faults() -> ResponseReturnValue:
    rules = [r for r in _cloud().faults.list() if _vendor() in (None, r["vendor"])]
    return jsonify(faults=rules)


@bp.delete("/faults")
def clear_faults() -> ResponseReturnValue:
    _cloud().faults.clear(_vendor())
    return jsonify(cleared=True)


@bp.delete("/faults/<int:rule_id>")
def delete_fault(rule_id: int) -> ResponseReturnValue:
    if not _cloud().faults.remove(rule_id):
        raise AdminError(404, f"no fault {rule_id}")
    return jsonify(deleted=rule_id)
