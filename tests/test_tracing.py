"""OpenTelemetry (issue 28): a SERVER span per vendor call with the vendor, tenant, route,
status, code and fault, continuing the caller's traceparent; in-process and against a server;
off unless configured."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.helpers import MUNCHKIN
from vendorsim import Cloud
from vendorsim.mocks.core import tracing
from vendorsim.mocks.server import ServerRunner

sdk = pytest.importorskip("opentelemetry.sdk.trace", reason="opentelemetry-sdk is the otel extra")
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = sdk.TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    assert tracing.configure(provider)
    yield exporter
    tracing._tracer = None  # off again for the other tests of this process


@pytest.mark.parametrize("mode", ["inprocess", "server"])
def test_a_span_per_call_inside_the_callers_trace(cloud: Cloud, spans: InMemorySpanExporter,
                                                  mode: str) -> None:
    def calls(base: str, target: Cloud) -> None:
        token = requests.get(f"{base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "c",
            "client_secret": "s"}).json()["access_token"]
        target.add_fault(error_code="606", path="partitions", times=1)
        requests.get(f"{base}/rest/v1/leads/partitions.json", headers={
            "Authorization": f"Bearer {token}", "traceparent": PARENT})

    if mode == "inprocess":
        calls(f"https://{MUNCHKIN}.mktorest.com", cloud)
    else:
        with ServerRunner(Cloud("virtual")) as server:
            calls(server.base_url("marketo", MUNCHKIN), server.cloud)
    token_span, call_span = spans.get_finished_spans()
    assert token_span.name == "marketo GET /identity/oauth/token"
    assert call_span.name == "marketo GET /rest/v1/leads/partitions.json"
    assert f"{call_span.context.trace_id:032x}" == TRACE  # the caller's trace
    assert call_span.parent is not None and f"{call_span.parent.span_id:016x}" == \
        "00f067aa0ba902b7"
    attributes = dict(call_span.attributes or {})
    assert attributes["vendorsim.vendor"] == "marketo"
    assert attributes["vendorsim.tenant"] == MUNCHKIN
    assert attributes["vendorsim.code"] == "606" and attributes["vendorsim.fault"] == 1
    assert attributes["http.response.status_code"] == 200


def test_tracing_is_off_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in tracing.ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    assert tracing.configure() is False
    assert tracing.start("marketo", "GET", "/x", {}) is None


def test_a_call_without_trace_headers_is_a_trace_of_its_own(
        cloud: Cloud, spans: InMemorySpanExporter) -> None:
    """No propagator's header on the call: with the default propagators (tracecontext, then
    baggage) its span starts a trace, even inside a span the calling code has open, as
    extracting an empty carrier gives."""
    outer = sdk.TracerProvider().get_tracer("the test")
    with outer.start_as_current_span("the test's own span"):
        requests.get(f"https://{MUNCHKIN}.mktorest.com/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})
    (token_span,) = spans.get_finished_spans()
    assert token_span.parent is None


def test_the_applications_propagator_reads_its_own_headers(
        cloud: Cloud, spans: InMemorySpanExporter) -> None:
    """A propagator the application set, with headers of its own, still continues the trace
    (the headers looked for are the propagator's fields, not a fixed list)."""
    from opentelemetry import propagate
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    class OwnHeader(TraceContextTextMapPropagator):
        _TRACEPARENT_HEADER_NAME = "x-parent"

    before = propagate.get_global_textmap()
    propagate.set_global_textmap(OwnHeader())
    try:
        requests.get(f"https://{MUNCHKIN}.mktorest.com/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"},
            headers={"X-Parent": PARENT})
    finally:
        propagate.set_global_textmap(before)
    (token_span,) = spans.get_finished_spans()
    assert f"{token_span.context.trace_id:032x}" == TRACE
