"""Unit tests of the shared core: clocks, limiter, tokens, fault plan, journal."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime

import pytest

from vendorsim.mocks.core.auth import Credential, TokenStore
from vendorsim.mocks.core.clock import RealClock, VirtualClock, make_clock
from vendorsim.mocks.core.faults import FaultPlan, FaultSpecError
from vendorsim.mocks.core.journal import Journal
from vendorsim.mocks.core.limits import LimitConfig, LimitExceeded, TenantLimiter, next_midnight


def test_virtual_clock_moves_only_when_told() -> None:
    clock = VirtualClock(datetime(2026, 1, 1, tzinfo=UTC))
    start = clock.now()
    clock.sleep(3.5)
    assert clock.now() - start == 3.5
    clock.set("2026-06-01T00:00:00Z")
    assert clock.utcnow() == datetime(2026, 6, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_make_clock() -> None:
    assert isinstance(make_clock(None), RealClock)
    assert make_clock("virtual").virtual
    with pytest.raises(ValueError, match="unknown clock"):
        make_clock("lunar")


def test_window_admits_exactly_its_calls_and_refunds() -> None:
    clock = VirtualClock(0)
    limiter = TenantLimiter(LimitConfig(window_calls=3, window_seconds=20.0, concurrent=None,
                                        daily_quota=None), clock)
    tickets = [limiter.admit() for _ in range(3)]
    with pytest.raises(LimitExceeded) as exc:
        limiter.admit()
    assert exc.value.kind == "window"
    tickets[0].refund()  # that call ended in an error: it does not count
    limiter.admit()
    assert limiter.seconds_until_window_frees() == 20.0
    clock.advance(20)
    assert limiter.snapshot()["in_window"] == 0


def test_limiter_is_exact_under_many_threads() -> None:
    limiter = TenantLimiter(LimitConfig(window_calls=100, concurrent=None, daily_quota=150),
                            VirtualClock(0))
    admitted: list[int] = []
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: a missing lock shows as a race
    try:
        def worker() -> None:
            for _ in range(50):
                try:
                    limiter.admit()
                    admitted.append(1)
                except LimitExceeded:
                    pass

        threads = [threading.Thread(target=worker) for _ in range(32)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(before)
    assert len(admitted) == 100
    assert limiter.snapshot()["quota_used_today"] == 100


def test_concurrency_gate_is_released_once() -> None:
    limiter = TenantLimiter(LimitConfig(concurrent=2, window_calls=None, daily_quota=None),
                            VirtualClock(0))
    first, _still_running = limiter.admit(), limiter.admit()
    with pytest.raises(LimitExceeded):
        limiter.admit()
    first.release()
    first.release()  # a second release must not free the slot the other call holds
    limiter.admit()
    with pytest.raises(LimitExceeded):
        limiter.admit()


def test_quota_day_follows_the_configured_time_zone() -> None:
    clock = VirtualClock(datetime(2026, 7, 1, 4, 59, tzinfo=UTC))  # 23:59 in Chicago (CDT)
    limiter = TenantLimiter(LimitConfig(daily_quota=1, window_calls=None, concurrent=None,
                                        quota_timezone="America/Chicago"), clock)
    limiter.admit()
    with pytest.raises(LimitExceeded):
        limiter.admit()
    clock.advance(60)
    limiter.admit()
    assert next_midnight(clock.now(), "America/Chicago").startswith("2026-07-02T00:00:00")


def test_disabled_limits_admit_everything() -> None:
    limiter = TenantLimiter(LimitConfig(enabled=False, window_calls=1), VirtualClock(0))
    for _ in range(10):
        limiter.admit().release()


def test_limit_config_rejects_unknown_settings() -> None:
    with pytest.raises(ValueError, match="turbo"):
        LimitConfig().updated(turbo=True)


def test_token_store_reuses_until_expiry_and_expires_on_demand() -> None:
    clock = VirtualClock(0)
    store = TokenStore(clock, ttl=60)
    cred = Credential("id", "secret")
    first = store.issue("T", cred)
    assert store.issue("T", cred) is first
    assert store.issue("T", cred, reuse=False) is not first
    assert store.check("nope") == ("unknown", None)
    clock.advance(61)
    assert store.check(first.value)[0] == "expired"
    live = store.issue("T", cred)
    assert store.expire("T") == 1 and store.check(live.value)[0] == "expired"


def test_fault_plan_counts_windows_and_matching() -> None:
    clock = VirtualClock(0)
    plan = FaultPlan(clock)
    counted = plan.add({"error_code": 606, "times": 2, "method": "post", "path": "leads"})
    assert counted.error_code == "606" and counted.method == "POST"
    assert plan.pick("marketo", "T", "GET", "/rest/v1/leads.json") is None
    assert plan.pick("marketo", "T", "POST", "/rest/v1/leads.json") is counted
    assert plan.pick("marketo", "T", "POST", "/rest/v1/leads.json") is counted
    assert plan.pick("marketo", "T", "POST", "/rest/v1/leads.json") is None
    windowed = plan.add({"status": 503, "duration": 10, "tenant": "t"})
    assert plan.pick("marketo", "T", "GET", "/x") is windowed
    clock.advance(10)
    assert plan.pick("marketo", "T", "GET", "/x") is None


def test_fault_plan_refuses_nonsense() -> None:
    plan = FaultPlan(VirtualClock(0))
    for spec in ({}, {"status": 1000}, {"error_code": "1", "probability": -0.1},
                 {"error_code": "1", "nope": 1}, {"error_code": "1", "start": "yesterday"},
                 {"drop": 1.5}, {"drop": "most"}):
        with pytest.raises(FaultSpecError):
            plan.add(spec)
    assert plan.list() == []


def test_fault_plan_clear_per_vendor() -> None:
    plan = FaultPlan(VirtualClock(0))
    plan.add({"error_code": "1", "vendor": "marketo"})
    plan.add({"error_code": "1", "vendor": "sfmc"})
    plan.add({"error_code": "1"})
    plan.clear("marketo")
    assert [r["vendor"] for r in plan.list()] == ["sfmc"]


def test_journal_is_bounded_and_filterable() -> None:
    journal = Journal(maxlen=3)
    for i in range(5):
        journal.record(time=float(i), vendor="marketo", tenant="T", method="GET", path=f"/p{i}",
                       status=200, codes=["606"] if i % 2 else [], duration_ms=1.0)
    assert [e.path for e in journal.entries()] == ["/p2", "/p3", "/p4"]
    assert [e.path for e in journal.entries(code="606")] == ["/p3"]
    assert [e.path for e in journal.entries(since=3.0, limit=1)] == ["/p4"]
    journal.enabled = False
    assert journal.record(time=9.0, vendor="m", tenant=None, method="GET", path="/",
                          status=200, codes=[], duration_ms=0.0) is None


def test_whole_numbers_are_ascii_digits_only() -> None:
    """Found by the fuzzer: '¹' passes str.isdigit() and then breaks int()."""
    from vendorsim.mocks.core.bodies import whole_number

    assert whole_number("42") == 42 and whole_number(" -7 ") == -7 and whole_number(3.0) == 3
    for bad in ("¹", "٣", "1e3", "", "+", "12a", True, 2.5, float("nan"), "9" * 25):
        assert whole_number(bad) is None, bad


def test_moving_a_real_clock_is_one_plain_error() -> None:
    """Issue 22: `cloud.clock.advance(20)` on a real clock was AttributeError."""
    from vendorsim import Cloud
    from vendorsim.mocks.core.clock import RealClockError

    cloud = Cloud("real")
    with pytest.raises(RealClockError, match="clock is real.*clock='virtual'"):
        cloud.clock.advance(20)
    with pytest.raises(RealClockError):
        cloud.clock.set("2026-01-01T00:00:00Z")
