"""Prometheus metrics of one cloud (`GET /__admin/metrics`, prometheus_client's text format).

Counted as calls are answered (so they outlive the bounded journal): requests by vendor,
tenant, route template, status and vendor code; latency histograms by vendor and route;
throttled answers by code; faults fired by rule. Read at scrape time: each tenant's limiter
(calls in the window, in flight, quota used) and the journal's size. Labels stay bounded:
route templates (`/rest/v1/lists/<int:list_id>/leads.json`), never raw paths; at most MAX_TENANTS
tenants by name, the rest as `other`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from vendorsim.mocks.cloud import Cloud

MAX_TENANTS = 200
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class CloudMetrics:
    """The cloud's registry: counters updated per call, gauges collected per scrape."""

    def __init__(self, cloud: Cloud) -> None:
        self.registry = CollectorRegistry()
        self._tenants: set[str] = set()
        self._lock = threading.Lock()
        labels = ("vendor", "tenant", "route", "status", "code")
        self.requests = Counter("vendorsim_requests", "Vendor calls answered", labels,
                                registry=self.registry)
        self.latency = Histogram("vendorsim_request_duration_seconds",
                                 "Time the mock took to answer (wall clock)",
                                 ("vendor", "route"), buckets=BUCKETS, registry=self.registry)
        self.throttled = Counter("vendorsim_throttled", "Throttling answers by vendor code",
                                 ("vendor", "tenant", "code"), registry=self.registry)
        self.faults = Counter("vendorsim_faults_fired", "Calls a fault rule shaped",
                              ("vendor", "rule"), registry=self.registry)
        self.registry.register(_StateCollector(cloud, self))

    def tenant_label(self, tenant: str | None) -> str:
        if not tenant:
            return "none"
        with self._lock:
            if tenant in self._tenants:
                return tenant
            if len(self._tenants) < MAX_TENANTS:
                self._tenants.add(tenant)
                return tenant
        return "other"

    def observe(self, vendor: str, tenant: str | None, route: str, status: int,
                codes: list[str], seconds: float, fault: int | None,
                throttles: frozenset[str]) -> None:
        who = self.tenant_label(tenant)
        self.requests.labels(vendor, who, route, str(status), codes[0] if codes else "").inc()
        self.latency.labels(vendor, route).observe(seconds)
        for code in codes:
            if code in throttles:
                self.throttled.labels(vendor, who, code).inc()
        if fault is not None:
            self.faults.labels(vendor, str(fault)).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


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
