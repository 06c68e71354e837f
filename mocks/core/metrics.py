"""Prometheus metrics of one cloud (`GET /__admin/metrics`, prometheus_client's text format).

Counted as calls are answered (so they outlive the bounded journal): requests by vendor,
tenant, route template, status and vendor code; latency histograms by vendor and route;
throttled answers by code; faults fired by rule. Read at scrape time: each tenant's limiter
(calls in the window, in flight, quota used) and the journal's size. Labels stay bounded:
route templates (`/rest/v1/lists/<int:list_id>/leads.json`), never raw paths; at most MAX_TENANTS
tenants by name, the rest as `other`.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud

MAX_TENANTS = 200
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class CloudMetrics:
    """The cloud's counts, kept per call in plain dicts under one lock (a call pays a few
    dict updates, not prometheus_client's label look-ups); its registry turns them into
    counters and histograms, with the gauges, when scraped."""

    def __init__(self, cloud: Cloud) -> None:
        self.registry = CollectorRegistry()
        self._tenants: set[str] = set()
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, str, str, str], int] = {}
        # (vendor, route) -> [count in each bucket (not cumulative) + overflow, sum]
        self.latency: dict[tuple[str, str], list] = {}
        self.throttled: dict[tuple[str, str, str], int] = {}
        self.faults: dict[tuple[str, str], int] = {}
        self.registry.register(_CountsCollector(self))
        self.registry.register(_StateCollector(cloud, self))

    def tenant_label(self, tenant: str | None) -> str:
        if not tenant:
            return "none"
        if tenant in self._tenants:
            return tenant
        with self._lock:
            if len(self._tenants) < MAX_TENANTS:
                self._tenants.add(tenant)
                return tenant
        return "other"

    def observe(self, vendor: str, tenant: str | None, route: str, status: int,
                codes: list[str], seconds: float, fault: int | None,
                throttles: frozenset[str]) -> None:
        who = self.tenant_label(tenant)
        key = (vendor, who, route, str(status), codes[0] if codes else "")
        bucket = bisect.bisect_left(BUCKETS, seconds)
        with self._lock:
            self.requests[key] = self.requests.get(key, 0) + 1
            timing = self.latency.get((vendor, route))
            if timing is None:
                timing = self.latency[(vendor, route)] = [[0] * (len(BUCKETS) + 1), 0.0]
            timing[0][bucket] += 1
            timing[1] += seconds
            for code in codes:
                if code in throttles:
                    name = (vendor, who, code)
                    self.throttled[name] = self.throttled.get(name, 0) + 1
            if fault is not None:
                rule = (vendor, str(fault))
                self.faults[rule] = self.faults.get(rule, 0) + 1

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _CountsCollector(Collector):
    """The per-call counts as Prometheus counters and a latency histogram."""

    def __init__(self, metrics: CloudMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[CounterMetricFamily | HistogramMetricFamily]:
        m = self.metrics
        with m._lock:
            requests, latency = dict(m.requests), {k: (list(v[0]), v[1])
                                                   for k, v in m.latency.items()}
            throttled, faults = dict(m.throttled), dict(m.faults)
        calls = CounterMetricFamily("vendorsim_requests", "Vendor calls answered",
                                    labels=["vendor", "tenant", "route", "status", "code"])
        for call_labels, value in requests.items():
            calls.add_metric(list(call_labels), value)
        timing = HistogramMetricFamily("vendorsim_request_duration_seconds",
                                       "Time the mock took to answer (wall clock)",
                                       labels=["vendor", "route"])
        for route_labels, (counts, total) in latency.items():
            running, buckets = 0, []
            for bound, count in zip((*map(str, BUCKETS), "+Inf"), counts, strict=True):
                running += count
                buckets.append((bound, running))
            timing.add_metric(list(route_labels), buckets, total)
        refused = CounterMetricFamily("vendorsim_throttled", "Throttling answers by vendor code",
                                      labels=["vendor", "tenant", "code"])
        for code_labels, value in throttled.items():
            refused.add_metric(list(code_labels), value)
        fired = CounterMetricFamily("vendorsim_faults_fired", "Calls a fault rule shaped",
                                    labels=["vendor", "rule"])
        for rule_labels, value in faults.items():
            fired.add_metric(list(rule_labels), value)
        yield from (calls, timing, refused, fired)


class _StateCollector(Collector):
    """Gauges read when scraped: limiter state per tenant, the journal's size."""

    def __init__(self, cloud: Cloud, metrics: CloudMetrics) -> None:
        self.cloud = cloud
        self.metrics = metrics

    def collect(self) -> Iterator[GaugeMetricFamily]:
        window = GaugeMetricFamily("vendorsim_limiter_calls_in_window",
                                   "Calls counted in the rate window", labels=["vendor", "tenant"])
        flight = GaugeMetricFamily("vendorsim_limiter_in_flight", "Calls in flight",
                                   labels=["vendor", "tenant"])
        quota = GaugeMetricFamily("vendorsim_limiter_quota_used", "Daily quota used today",
                                  labels=["vendor", "tenant"])
        for service in self.cloud.services.values():
            for tenant in service.tenants():
                state = tenant.limiter.snapshot()
                who = self.metrics.tenant_label(tenant.id)
                window.add_metric([service.name, who], state["in_window"])
                flight.add_metric([service.name, who], state["in_flight"])
                quota.add_metric([service.name, who], state["quota_used_today"])
        yield from (window, flight, quota)
        yield GaugeMetricFamily("vendorsim_journal_entries", "Calls the journal holds",
                                value=len(self.cloud.journal))
