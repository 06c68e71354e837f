"""Request bookkeeping every vendor app shares: per-request state and the journal entry."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from .service import VendorService


def install_journal(app: Flask, service: VendorService) -> None:
    """Give each request its bookkeeping slots and journal it when it is answered.

    Vendor code sets `g.codes` (its error codes), `g.records` (batch size), `g.failed`
    (a response-level error, so limits are refunded) and `g.fault` (the fault rule used).
    """
    journal = service.cloud.journal
    clock = service.clock

    @app.before_request
    def _open() -> None:
        g.started = time.perf_counter()
        g.now = clock.now()
        g.codes = []
        g.records = None
        g.failed = False
        g.fault = None
        g.ticket = None

    @app.after_request
    def _journal(response: Response) -> Response:
        if not request.path.startswith("/__admin"):
            journal.record(
                time=g.now,
                vendor=service.name,
                tenant=request.environ.get("vendorsim.tenant"),
                method=request.environ.get("vendorsim.method_override") or request.method,
                path=request.path,
                status=response.status_code,
                codes=list(g.codes),
                duration_ms=round((time.perf_counter() - g.started) * 1000, 3),
                records=g.records,
                fault=g.fault,
            )
        return response
