"""Marketo's activity log holds each activity as a plain tuple (issue 34: creates as fast as
updates): the collector stops visiting a tuple of plain values once it has seen it, so a log
of 100,000 activities costs a create nothing at each full collection. Read back, each is
the same Activity as before, through `items` as through the API's pages."""

from __future__ import annotations

import gc

from vendorsim.mocks.core.ids import IdSequence
from vendorsim.mocks.marketo.model.activity_log import (
    CHANGE_DATA_VALUE,
    NEW_LEAD,
    Activity,
    ActivityLog,
    restore,
    snapshot,
)


def _log() -> ActivityLog:
    log = ActivityLog(ids=IdSequence("activities"))
    assert log.add(7, NEW_LEAD, 10.0, None, None, (("Source Type", "Web service API"),)) == 1
    log.change(7, "title", "Job Title", "Engineer", "CTO", 11.0)
    assert log.add(8, 24, 12.0, 3, "Webinar list", campaign_id=42) == 3
    return log


def test_rows_of_plain_values_are_left_alone_by_the_collector() -> None:
    log = _log()
    gc.collect()
    assert [gc.is_tracked(row) for row in log.rows] == [False, False, False]


def test_items_read_as_activities_in_order() -> None:
    log = _log()
    items = log.items
    assert len(items) == 3
    assert items[0] == Activity(1, 7, NEW_LEAD, 10.0, None, None,
                                (("Source Type", "Web service API"),))
    assert items[-2] == Activity(2, 7, CHANGE_DATA_VALUE, 11.0, None, "Job Title", (),
                                 "title", "Engineer", "CTO")
    assert items[2].campaign_id == 42 and items[2].primary_value == "Webinar list"
    assert [a.id for a in items] == [1, 2, 3]
    assert items[1:] == [items[1], items[2]]
    assert log.offset == 0 and log.end == 3


def test_a_page_and_a_snapshot_read_the_same_activities() -> None:
    log = _log()
    found, position = log.page(0, 2, {NEW_LEAD, CHANGE_DATA_VALUE}, {7})
    assert found == list(log.items[:2]) and position == 2
    again = ActivityLog(ids=IdSequence("activities"))
    restore(again, snapshot(log))
    assert list(again.items) == list(log.items)
    assert again.rows == log.rows


def test_trimming_keeps_the_newest_and_their_positions() -> None:
    log = ActivityLog(limit=20, ids=IdSequence("activities"))
    for n in range(30):
        log.add(n, NEW_LEAD, float(n))
    assert len(log.rows) <= 21 and log.rows[-1][0] == 30
    assert log.offset == log.rows[0][0] - 1
    assert log.position_at(25.0) == 25
