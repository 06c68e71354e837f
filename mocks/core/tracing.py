"""Optional OpenTelemetry tracing (`pip install vendorsim[otel]`): one SERVER span per vendor
call, named `{vendor} {METHOD} {route template}`, with the vendor, tenant, route, status, vendor
code and fault as attributes, continuing the caller's `traceparent`, so a user's trace of
their integration shows the vendor calls inside it.

Off unless configured: a tracer provider the application set up itself (its own code, or
`opentelemetry-instrument`), the standard environment variables (`OTEL_TRACES_EXPORTER`,
`OTEL_EXPORTER_OTLP_ENDPOINT`, ...; with the SDK installed), or `configure(provider)`.
Without the package nothing is imported and nothing is spent.
"""

from __future__ import annotations

import os
from typing import Any

ENVIRONMENT = ("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
               "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_tracer: Any = None
_checked = False
_api: Any = None  # what a span needs from OpenTelemetry, imported once it is configured


def configure(provider: Any = None) -> bool:
    """Trace with this provider (tests: an in-memory exporter), or as the environment says;
    False when OpenTelemetry is not installed or not configured."""
    global _tracer, _checked, _api
    _checked = True
    try:
        from opentelemetry import trace
    except ImportError:
        return False
    _api = _Api()
    if provider is None:
        from opentelemetry.trace import ProxyTracerProvider

        provider = trace.get_tracer_provider()
        if isinstance(provider, ProxyTracerProvider):  # the application set none up
            if not any(os.environ.get(name) for name in ENVIRONMENT):
                _tracer = None
                return False
            provider = _from_environment()
            if provider is None:
                return False
    _tracer = provider.get_tracer("vendorsim")
    return True


def _from_environment() -> Any:
    try:
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
    except ImportError:
        return None
    provider = TracerProvider()
    kind = os.environ.get("OTEL_TRACES_EXPORTER", "otlp")
    exporter: Any = ConsoleSpanExporter()
    if kind == "otlp":
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # type: ignore[import-not-found]  # an optional exporter
                OTLPSpanExporter,
            )
        except ImportError:
            return None
        exporter = OTLPSpanExporter()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def enabled() -> bool:
    """Whether calls are traced (configured on first use, as `start` does)."""
    if not _checked:
        configure()
    return _tracer is not None


class _EnvironGetter:
    """Reads a propagator's headers (traceparent, tracestate, baggage, b3, ...) straight from
    the WSGI environ: no dict of every header built per call."""

    def get(self, carrier: dict, key: str) -> list[str] | None:
        value = carrier.get("HTTP_" + key.upper().replace("-", "_"))
        return None if value is None else [value]

    def keys(self, carrier: dict) -> list[str]:
        return [k[5:].lower().replace("_", "-") for k in carrier if k.startswith("HTTP_")]


_ENVIRON = _EnvironGetter()


class _Api:
    """OpenTelemetry's pieces a span takes, looked up once rather than imported per call."""

    def __init__(self) -> None:
        from opentelemetry import propagate
        from opentelemetry.trace import SpanKind, Status, StatusCode

        self.extract = propagate.extract  # the global propagators, whatever they are set to
        self.server, self.error = SpanKind.SERVER, Status(StatusCode.ERROR)


def start(vendor: str, method: str, route: str, environ: dict) -> Any:
    """A span for a call (None when tracing is off), continuing the trace its headers carry."""
    if not _checked:
        configure()
    if _tracer is None:
        return None
    context = _api.extract(environ, getter=_ENVIRON)
    return _tracer.start_span(f"{vendor} {method} {route}", context=context, kind=_api.server)


def finish(span: Any, attributes: dict[str, Any], error: bool) -> None:
    if span is None:
        return
    span.set_attributes({k: v for k, v in attributes.items() if v is not None})
    if error:
        span.set_status(_api.error)
    span.end()
