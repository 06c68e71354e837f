"""Benchmark: what metrics, the journal and tracing cost a call (issue 34, item 1: metrics and
traces on at most 10 % of a call; off, nothing).

One small authenticated Marketo GET (`/rest/v1/leads/partitions.json`) answered in-process
through the mocks' WSGI app (no `requests`, no sockets: the mock's own work only), in
alternating rounds, process time, best round of each:

- as shipped (metrics and the journal on, tracing off: OpenTelemetry not configured);
- tracing on as well (an SDK tracer provider whose spans go to a processor that drops them,
  so the exporter's own work is not counted);
- metrics off (their per-call `observe` replaced by nothing) and the journal off, to give
  their share of the call.

    python benchmarks/observability.py [--calls 5000] [--rounds 5]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.trace import SpanKind
from timing import per_call

from vendorsim.mocks.cloud import Cloud
from vendorsim.mocks.core import tracing
from vendorsim.mocks.core.metrics import CloudMetrics
from vendorsim.mocks.core.routing import call_wsgi

MUNCHKIN = "123-ABC-456"
BASE = f"https://{MUNCHKIN}.mktorest.com"


class Dropped(SpanProcessor):
    """Spans are made, filled and ended, then dropped (no exporter's work counted)."""


def the_call() -> tuple[Cloud, Callable[[], object]]:
    cloud = Cloud(clock="real")
    cloud.marketo(MUNCHKIN)
    cloud.service("marketo").configure_default_limits(enabled=False)
    token = cloud.requests_session().get(f"{BASE}/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": "b", "client_secret": "b"}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}",
               "Host": f"{MUNCHKIN}.mktorest.com"}
    url = f"{BASE}/rest/v1/leads/partitions.json"

    def call() -> object:
        status, _, _ = call_wsgi(cloud.wsgi, "GET", url, headers, b"")
        assert status == 200
        return status

    return cloud, call


def sdk_floor(provider: TracerProvider, calls: int) -> float:
    """What the SDK itself takes for a span like the mocks' (the floor of tracing's cost)."""
    tracer = provider.get_tracer("floor")
    attributes = {"vendorsim.vendor": "marketo", "vendorsim.tenant": MUNCHKIN,
                  "http.route": "/rest/v1/leads/partitions.json", "http.request.method": "GET",
                  "http.response.status_code": 200}

    def span() -> None:
        started = tracer.start_span("marketo GET /rest/v1/leads/partitions.json",
                                    kind=SpanKind.SERVER)
        started.set_attributes(attributes)
        started.end()

    return min(per_call(span, calls) for _ in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cloud, call = the_call()
    provider = TracerProvider()
    provider.add_span_processor(Dropped())
    observe = CloudMetrics.observe
    results: dict[str, list[float]] = {}

    def variant(name: str, traced: bool, metrics: bool, journal: bool) -> None:
        tracing.configure(provider) if traced else tracing.configure(None)
        CloudMetrics.observe = observe if metrics else (lambda *a, **k: None)  # type: ignore[method-assign]
        cloud.journal.enabled = journal
        try:
            results.setdefault(name, []).append(per_call(call, args.calls))
        finally:
            CloudMetrics.observe = observe  # type: ignore[method-assign]
            cloud.journal.enabled = True
            tracing.configure(None)

    per_call(call, args.calls // 5)  # warm up
    for _ in range(args.rounds):
        variant("as shipped: metrics and journal on, tracing off", False, True, True)
        variant("tracing on too", True, True, True)
        variant("metrics off", False, False, True)
        variant("metrics and journal off", False, False, False)
    best = {name: min(values) for name, values in results.items()}
    shipped = best["as shipped: metrics and journal on, tracing off"]
    traced, plain = best["tracing on too"], best["metrics off"]
    print(f"in-process authenticated Marketo GET, {args.calls} calls x {args.rounds} rounds "
          "(process time, best round)")
    for name, value in best.items():
        print(f"  {name:50s} {value:7.1f} us")
    sdk = sdk_floor(provider, args.calls)
    print(f"  {'the OpenTelemetry SDK alone: one span started, filled, ended':50s} {sdk:7.1f} us")
    print(f"metrics: {(shipped - plain) / shipped:.1%} of a call as shipped; metrics and traces"
          f" on: {(traced - plain) / traced:.1%} of a call (target <= 10 %); the journal: "
          f"{(plain - best['metrics and journal off']) / plain:.1%}")


if __name__ == "__main__":
    main()
