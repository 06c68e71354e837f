"""Everything that grows with traffic has a bound (issue 23): the journal (entries, bodies by
count and bytes), tokens (expired ones forgotten after a day, a cap), the records of calls
(export jobs, import batches, async requests, import and export jobs) and daily usage
counts. Data a client writes is kept as written."""

from __future__ import annotations

import pytest

from tests.helpers import MUNCHKIN, MarketoCaller
from vendorsim import Cloud
from vendorsim.mocks.core import auth, journal, retention


def test_journal_bodies_stay_within_their_byte_budget(cloud: Cloud,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "BODY_BUDGET", 50_000)
    mkto = MarketoCaller().login()
    for n in range(20):  # ~8 KB kept of each request body
        mkto.sync([{"email": f"a{n}-{i}@x.example", "title": "x" * 200} for i in range(60)])
    assert 0 < cloud.journal.body_bytes <= 50_000
    kept = [e.seq for e in cloud.journal.entries() if cloud.journal.detail(e.seq)["bodies"]]
    assert kept and kept == list(range(kept[0], kept[-1] + 1))  # the newest, in one run
    assert cloud.journal.detail(cloud.journal.entries()[-1].seq)["bodies"]


def test_journal_entries_are_capped() -> None:
    kept = journal.Journal(maxlen=100)
    for n in range(250):
        kept.record(time=0.0, vendor="marketo", tenant="T", method="GET", path=f"/{n}",
                    status=200, codes=[], duration_ms=1.0)
    assert len(kept) == 100 and kept.entries()[0].path == "/150"


def test_expired_tokens_are_forgotten_after_a_day_and_the_store_is_capped(
        cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "TOKENS_KEPT", 1500)
    store = cloud.service("sfmc").tokens
    credential = auth.Credential(client_id="c", client_secret="s")
    first = store.issue("acme", credential, reuse=False)
    cloud.clock.advance(2 * 86400)
    for _ in range(3000):
        store.issue("acme", credential, reuse=False)
    assert store.check(first.value)[0] == "unknown"  # expired over a day ago: forgotten
    assert len(store) <= 1500 * 2
    newest = store.issue("acme", credential, reuse=False)
    assert store.check(newest.value)[0] == "ok"


def test_a_token_expired_within_the_day_is_still_expired_not_unknown(cloud: Cloud) -> None:
    store = cloud.service("marketo").tokens
    credential = auth.Credential(client_id="c", client_secret="s")
    token = store.issue(MUNCHKIN, credential)
    cloud.clock.advance(3600 + 60)
    for _ in range(2000):
        store.issue(MUNCHKIN, credential, reuse=False)
    assert store.check(token.value)[0] == "expired"


def test_finished_job_records_are_capped_never_the_running_ones() -> None:
    records = {n: {"done": n % 2 == 0} for n in range(10)}
    retention.keep_newest(records, 6, lambda r: r["done"])
    assert len(records) == 6 and all(not records[n]["done"] for n in (1, 3, 5, 7, 9))
    assert sorted(records) == [1, 3, 5, 7, 8, 9]  # the oldest finished went first


def test_marketo_export_jobs_are_capped(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vendorsim.mocks.marketo.model.bulk_exports.JOBS_KEPT", 5)
    mkto = MarketoCaller().login()
    ids = [mkto.post("/bulk/v1/leads/export/create.json", {
        "format": "CSV", "fields": ["email"], "filter": {"createdAt": {
            "startAt": "2026-11-01T00:00:00Z", "endAt": "2026-11-20T00:00:00Z"}}})
        ["result"][0]["exportId"] for _ in range(8)]
    jobs = cloud.marketo(MUNCHKIN).exports.jobs
    assert list(jobs) == ids[-5:]


def test_usage_counts_keep_thirty_days(cloud: Cloud) -> None:
    mkto = MarketoCaller().login()
    for _ in range(40):
        mkto.get("/rest/v1/leads/partitions.json")
        cloud.clock.advance(86400)
        mkto.login()
    usage = cloud.marketo(MUNCHKIN).usage
    assert 29 <= len(usage.calls) <= 31
    assert mkto.get("/rest/v1/stats/usage/last7days.json")["success"]
