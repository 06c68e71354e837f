"""Admin calls on the vendors' callbacks to the customer's systems: what was delivered (or
given up), faults aimed at the receiving side, and running what is due."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ..openapi import doc
from . import AdminError, _body, _cloud, _vendor, bp


@bp.get("/callbacks")
def callbacks() -> ResponseReturnValue:
    """Callbacks delivered or given up (newest last; `kind`, `tenant`, `state` filter)."""
    cloud = _cloud()
    cloud.outbox.run_due()
    found = [d.to_dict() for d in cloud.outbox.deliveries(
        _vendor(), request.args.get("tenant"), request.args.get("kind"))
        if request.args.get("state") in (None, d.state)]
    return jsonify(count=len(found), pending=cloud.outbox.pending(), deliveries=found[-1000:])


@bp.post("/callbacks/faults")
@doc(examples=[{"kind": "bad_signature", "times": 1}, {"kind": "late", "delay": 600}])
def add_callback_fault() -> ResponseReturnValue:
    """A fault on the next callbacks: duplicate, out_of_order, late or bad_signature."""
    data = _body()
    unknown = set(data) - {"kind", "tenant", "times", "delay"}
    if unknown:
        raise AdminError(400, f"unknown field(s): {', '.join(sorted(unknown))}")
    try:
        fault = _cloud().add_receiver_fault(
            str(data.get("kind")), vendor=_vendor(), tenant=data.get("tenant"),
            times=data.get("times", 1), delay=data.get("delay", 60.0))
    except (ValueError, TypeError) as exc:
        raise AdminError(400, str(exc)) from None
    return jsonify(id=fault.id, kind=fault.kind, times=fault.times), 201


@bp.delete("/callbacks/faults")
def clear_callback_faults() -> ResponseReturnValue:
    _cloud().outbox.clear_faults()
    return jsonify(cleared=True)


@bp.post("/callbacks/run")
def run_callbacks() -> ResponseReturnValue:
    """Run the vendors' work and callbacks that are due now (a real clock does by itself)."""
    return jsonify(ran=_cloud().outbox.run_due())
