"""`GET /__admin/metrics` (issue 28): Prometheus text, parsed with prometheus_client's own
parser; its counts agree with the journal, labels are route templates, limiter state and the
journal's size are there; in-process and against a server."""

from __future__ import annotations

import collections

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud
from vendorsim.mocks.server import ServerRunner


def scrape(url: str) -> dict[str, list]:
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/plain")
    return {f.name: f.samples for f in text_string_to_metric_families(answer.text)}


def exercise(cloud: Cloud, base: str) -> None:
    cloud.service("marketo").set_limits(MUNCHKIN, {"window_calls": 3})
    caller = MarketoCaller(base).login()
    caller.sync([{"email": "a@x.example"}])
    for lead_list in (1, 2):  # no such lists: refused, so not counted in the window
        caller.get(f"/rest/v1/lists/{lead_list}/leads.json")
    for _ in range(3):  # the 4th call in the window: 606
        caller.get("/rest/v1/leads/partitions.json")
    cloud.clock.advance(20)
    cloud.add_fault(status=503, path="partitions", times=1)
    assert caller.session.get(f"{base}/rest/v1/leads/partitions.json").status_code == 503


@pytest.mark.parametrize("mode", ["inprocess", "server"])
def test_metrics_agree_with_the_journal(cloud: Cloud, mode: str) -> None:
    if mode == "inprocess":
        exercise(cloud, f"https://{MUNCHKIN}.mktorest.com")
        families = scrape(f"https://{MUNCHKIN}.mktorest.com/__admin/metrics")
        journal = cloud.journal.entries()
    else:
        with ServerRunner(Cloud("virtual")) as server:
            exercise(server.cloud, server.base_url("marketo", MUNCHKIN))
            families = scrape(f"{server.urls['cloud']}/__admin/metrics")
            journal = server.cloud.journal.entries()
    counted = collections.Counter()
    for sample in families["vendorsim_requests"]:
        if sample.name == "vendorsim_requests_total":
            counted[(sample.labels["vendor"], sample.labels["status"])] += sample.value
    assert counted == collections.Counter((e.vendor, str(e.status)) for e in journal)
    routes = {s.labels["route"] for s in families["vendorsim_requests"]}
    assert "/rest/v1/lists/<int:list_id>/leads.json" in routes  # a template, not two paths
    throttled = [s for s in families["vendorsim_throttled"] if s.name.endswith("_total")]
    assert [(s.labels["code"], s.value) for s in throttled] == [("606", 1.0)]
    assert sum(s.value for s in families["vendorsim_faults_fired"]
               if s.name.endswith("_total")) == 1
    quota = {s.labels["tenant"]: s.value for s in families["vendorsim_limiter_quota_used"]}
    assert quota[MUNCHKIN] == 3  # the write and two reads; refused calls give theirs back
    assert "vendorsim_limiter_calls_in_window" in families
    assert families["vendorsim_journal_entries"][0].value == len(journal)
    histogram = [s for s in families["vendorsim_request_duration_seconds"]
                 if s.name.endswith("_count")]
    assert sum(s.value for s in histogram) == len(journal)
