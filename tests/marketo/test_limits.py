"""Marketo's limits on the virtual clock: 606 rolling window, 615 concurrency, 607 quota."""

from __future__ import annotations

from tests.helpers import MUNCHKIN, MarketoCaller, codes
from vendorsim import Cloud

PATH = "/rest/v1/leads/partitions.json"


def burst(caller: MarketoCaller, n: int) -> list[str]:
    return ["ok" if (b := caller.get(PATH))["success"] else b["errors"][0]["code"]
            for _ in range(n)]


def test_the_101st_call_in_20_seconds_gets_606(cloud: Cloud, mkto: MarketoCaller) -> None:
    results = burst(mkto, 101)
    assert results.count("ok") == 100 and results[-1] == "606"
    last = mkto.get(PATH)
    assert last["errors"] == [{"code": "606",
                               "message": "Max rate limit '100' exceeded with in '20' secs"}]


def test_the_window_rolls_rather_than_resets(cloud: Cloud, mkto: MarketoCaller) -> None:
    burst(mkto, 50)  # t = 0
    cloud.clock.advance(10)
    burst(mkto, 50)  # t = 10
    assert burst(mkto, 1) == ["606"]
    cloud.clock.advance(10)  # t = 20: the first 50 have aged out, the next 50 have not
    assert burst(mkto, 51) == ["ok"] * 50 + ["606"]


def test_errored_calls_do_not_count(cloud: Cloud, mkto: MarketoCaller) -> None:
    for _ in range(30):
        assert codes(mkto.get("/rest/v1/leads.json")) == ["701"]
    assert codes(mkto.get("/rest/v1/nothing.json")) == ["610"]
    assert burst(mkto, 101).count("ok") == 100
    limiter = cloud.service("marketo").tenant(MUNCHKIN).limiter
    assert limiter.snapshot()["quota_used_today"] == 100


def test_concurrent_access_limit_615(cloud: Cloud, mkto: MarketoCaller) -> None:
    limiter = cloud.service("marketo").tenant(MUNCHKIN).limiter
    in_flight = [limiter.admit() for _ in range(10)]  # ten calls still being answered
    body = mkto.get(PATH)
    assert body["errors"] == [{"code": "615", "message": "Concurrent access limit '10' reached"}]
    in_flight[0].release()
    assert mkto.get(PATH)["success"] is True


def test_daily_quota_607_resets_at_midnight_us_central(cloud: Cloud) -> None:
    cloud.clock.set("2026-11-23T05:00:00Z")  # 23:00 in Chicago (CST, UTC-6)
    cloud.service("marketo").seed_tenant(MUNCHKIN, limits={"daily_quota": 3})
    caller = MarketoCaller().login()
    assert burst(caller, 4) == ["ok", "ok", "ok", "607"]
    cloud.clock.advance(59 * 60)  # 23:59 Chicago: still the same day
    assert burst(caller, 1) == ["607"]
    cloud.clock.advance(60)  # midnight in Chicago, 06:00 UTC; the hour-long token has expired
    assert burst(caller, 1) == ["602"]
    assert burst(caller.login(), 1) == ["ok"]


def test_limits_are_per_instance(cloud: Cloud, mkto: MarketoCaller) -> None:
    burst(mkto, 100)
    other = MarketoCaller("https://999-ZZZ-999.mktorest.com").login()
    assert burst(other, 1) == ["ok"]
    assert burst(mkto, 1) == ["606"]


def test_limits_can_be_changed_or_switched_off_per_tenant(cloud: Cloud,
                                                          mkto: MarketoCaller) -> None:
    service = cloud.service("marketo")
    service.set_limits(MUNCHKIN, {"window_calls": 5, "window_seconds": 60})
    assert burst(mkto, 6)[-1] == "606"
    assert mkto.get(PATH)["errors"][0]["message"] == \
        "Max rate limit '5' exceeded with in '60' secs"
    service.set_limits(MUNCHKIN, {"enabled": False})
    assert set(burst(mkto, 300)) == {"ok"}


def test_max_batch_is_configurable(cloud: Cloud, mkto: MarketoCaller) -> None:
    cloud.service("marketo").set_limits(MUNCHKIN, {"max_batch": 2})
    body = mkto.sync([{"email": f"{i}@x.example"} for i in range(3)])
    assert codes(body) == ["1003"]


def test_exhausting_the_quota_by_fault(cloud: Cloud, mkto: MarketoCaller) -> None:
    cloud.service("marketo").tenant(MUNCHKIN).limiter.exhaust_quota()
    assert codes(mkto.get(PATH)) == ["607"]
