"""The activity log of a Marketo instance: what happened to each lead, in order.

The lead database records activities as they happen (new lead, change data value, add to /
remove from list, change partition, merge, delete, form fill, campaign request, program status)
and reads them back the way the REST API does: a paging token names a position in the log
(`pagingtoken.json` finds the first activity at or after a time), each page scans forward
from it, and `moreResult` says whether the log goes on (vendor docs: keep paging while it is
true, even through empty pages).
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import overload

from vendorsim.mocks.core.clock import iso_utc
from vendorsim.mocks.core.ids import IdSequence

from ..facts import ACTIVITY_RETENTION_DAYS as RETENTION_DAYS
from .errors import MarketoError

NEW_LEAD, CHANGE_DATA_VALUE, ADD_TO_LIST, REMOVE_FROM_LIST = 12, 13, 24, 25
MERGE_LEADS, DELETE_LEAD, CHANGE_PARTITION, CHANGE_PROGRAM_STATUS = 32, 37, 100, 104
FILL_OUT_FORM, REQUEST_CAMPAIGN = 2, 47
SEND_EMAIL, EMAIL_DELIVERED, EMAIL_BOUNCED, UNSUBSCRIBE_EMAIL = 6, 7, 8, 9
OPEN_EMAIL, CLICK_EMAIL, EMAIL_BOUNCED_SOFT, CALL_WEBHOOK = 10, 11, 27, 110
_EMAIL_STEP = (("Campaign Run ID", "integer"), ("Choice Number", "integer"),
               ("Step ID", "integer"))
_BOUNCE = (*_EMAIL_STEP, ("Category", "string"), ("Details", "string"), ("Email", "string"),
           ("Subcategory", "string"))

# id -> (name, description, primary attribute (name, dataType) or None, attributes)
STANDARD_TYPES: dict[int, tuple[str, str, tuple[str, str] | None, tuple[tuple[str, str], ...]]] = {
    1: ("Visit Webpage", "User visits a web page", ("Webpage ID", "integer"),
        (("Client IP Address", "string"), ("Query Parameters", "string"),
         ("Referrer URL", "string"), ("User Agent", "string"), ("Webpage URL", "string"))),
    FILL_OUT_FORM: ("Fill Out Form", "User fills out and submits form on web page",
                    ("Webform ID", "integer"),
                    (("Client IP Address", "string"), ("Form Fields", "text"),
                     ("Query Parameters", "string"), ("Referrer URL", "string"),
                     ("User Agent", "string"), ("Webpage ID", "integer"))),
    SEND_EMAIL: ("Send Email", "Send Marketo Email to a person", ("Mailing ID", "integer"),
                 _EMAIL_STEP),
    EMAIL_DELIVERED: ("Email Delivered", "Marketo Email is delivered to a person",
                      ("Mailing ID", "integer"), _EMAIL_STEP),
    EMAIL_BOUNCED: ("Email Bounced", "Marketo Email is bounced for a person",
                    ("Mailing ID", "integer"), _BOUNCE),
    UNSUBSCRIBE_EMAIL: ("Unsubscribe Email", "Person unsubscribing from Marketo Emails",
                        ("Mailing ID", "integer"),
                        (("Campaign Run ID", "integer"), ("Client IP Address", "string"),
                         ("Form Fields", "text"), ("Query Parameters", "string"),
                         ("Referrer URL", "string"), ("User Agent", "string"),
                         ("Webform ID", "integer"), ("Webpage ID", "integer"))),
    OPEN_EMAIL: ("Open Email", "User opens Marketo Email", ("Mailing ID", "integer"),
                 (*_EMAIL_STEP, ("Device", "string"), ("Is Mobile Device", "boolean"),
                  ("Platform", "string"), ("User Agent", "string"),
                  ("Is Bot Activity", "boolean"), ("Bot Activity Pattern", "string"))),
    CLICK_EMAIL: ("Click Email", "User clicks on a link in a Marketo Email",
                  ("Mailing ID", "integer"),
                  (*_EMAIL_STEP, ("Link", "string"), ("Link ID", "string"),
                   ("Device", "string"), ("Is Mobile Device", "boolean"),
                   ("Platform", "string"), ("User Agent", "string"),
                   ("Is Bot Activity", "boolean"), ("Bot Activity Pattern", "string"))),
    EMAIL_BOUNCED_SOFT: ("Email Bounced Soft", "Marketo Email is soft bounced for a person",
                         ("Mailing ID", "integer"), _BOUNCE),
    CALL_WEBHOOK: ("Call Webhook", "Call a webhook", ("Webhook ID", "integer"),
                   (("Error Type", "integer"), ("Response", "text"))),
    NEW_LEAD: ("New Lead", "New person", None,
               (("Source Type", "string"), ("API Method Name", "string"),
                ("Modifying User", "string"), ("Lead Source", "string"))),
    CHANGE_DATA_VALUE: ("Change Data Value", "Changed attribute value for a person",
                        ("Attribute Name", "reference"),
                        (("New Value", "string"), ("Old Value", "string"),
                         ("Reason", "string"), ("Source", "string"),
                         ("API Method Name", "string"), ("Modifying User", "string"))),
    ADD_TO_LIST: ("Add to List", "Add person to a static list", ("List ID", "integer"),
                  (("Source", "string"),)),
    REMOVE_FROM_LIST: ("Remove from List", "Remove person from a static list",
                       ("List ID", "integer"), (("Source", "string"),)),
    MERGE_LEADS: ("Merge Leads", "Merge two or more people", ("Lead ID", "integer"),
                  (("Merge IDs", "string"), ("Master Updated", "boolean"),
                   ("Merge Source", "string"))),
    34: ("Add to Opportunity", "Add person to an opportunity", ("Opportunity ID", "integer"),
         (("Role", "string"), ("Is Primary", "boolean"))),
    DELETE_LEAD: ("Delete Lead", "Delete a person", ("Lead ID", "integer"),
                  (("Remove from CRM", "boolean"),)),
    REQUEST_CAMPAIGN: ("Request Campaign", "Request a smart campaign for a person",
                       ("Campaign ID", "integer"), (("Source", "string"),)),
    CHANGE_PARTITION: ("Change Lead Partition", "Move a person to another partition",
                       ("Lead Partition ID", "integer"),
                       (("Old Partition ID", "integer"), ("Reason", "string"))),
    CHANGE_PROGRAM_STATUS: ("Change Status in Progression", "Change a program status",
                            ("Program ID", "integer"),
                            (("New Status ID", "integer"), ("Old Status ID", "integer"),
                             ("New Status", "string"), ("Old Status", "string"),
                             ("Reason", "string"), ("Success", "boolean"))),
}


@dataclass(slots=True)
class Activity:
    """One activity as the API reads it. The log holds each as a plain tuple of these fields,
    in this order (`Row`), and makes an `Activity` when one is read: the collector leaves a
    tuple of plain values alone once it has seen it, where it visited every activity object
    on each full collection (half of a create's cost, issue 34)."""

    id: int
    lead_id: int
    type_id: int
    at: float
    primary_id: int | None = None
    primary_value: object = None
    attributes: tuple = ()  # (name, value) pairs
    field: str | None = None  # Change Data Value: the field's API name
    old: object = None
    new: object = None
    campaign_id: int | None = None  # the smart campaign whose flow did it

    def render(self) -> dict:
        out: dict = {"id": self.id, "marketoGUID": str(self.id), "leadId": self.lead_id,
                     "activityDate": iso_utc(self.at), "activityTypeId": self.type_id}
        if self.campaign_id is not None:
            out["campaignId"] = self.campaign_id
        if self.primary_id is not None:
            out["primaryAttributeValueId"] = self.primary_id
        if self.primary_value is not None:
            out["primaryAttributeValue"] = self.primary_value
        out["attributes"] = [{"name": n, "value": v} for n, v in self.all_attributes()
                             if v is not None]
        return out

    def all_attributes(self) -> Iterable[tuple[str, object]]:
        if self.type_id == CHANGE_DATA_VALUE:
            yield from (("New Value", self.new), ("Old Value", self.old))
            if not self.attributes:  # a change the API made; a flow's names its reason
                yield from (("Reason", "Web service API"), ("Source", "Web service API"))
        yield from self.attributes

    def render_change(self, field_ids: dict[str, int]) -> dict:
        out = self.render()
        out["fields"] = ([{"id": field_ids.get(self.field or "", 0), "name": self.field,
                           "newValue": self.new, "oldValue": self.old}]
                         if self.type_id == CHANGE_DATA_VALUE else [])
        return out


Row = tuple  # (id, lead_id, type_id, at, primary_id, primary_value, attributes, field, old, new,
#              campaign_id): an Activity's fields, as the log holds them
_ID, _LEAD, _TYPE, _AT = 0, 1, 2, 3  # where a row holds what the log reads of it


class Activities(Sequence[Activity]):
    """The log's rows read as Activity objects (made as each is read)."""

    def __init__(self, rows: list[Row]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Activity: ...

    @overload
    def __getitem__(self, index: slice) -> list[Activity]: ...

    def __getitem__(self, index: int | slice) -> Activity | list[Activity]:
        if isinstance(index, slice):
            return [Activity(*row) for row in self._rows[index]]
        return Activity(*self._rows[index])

    def __iter__(self) -> Iterator[Activity]:
        return (Activity(*row) for row in self._rows)


MAX_ACTIVITIES = 100_000  # and this mock at most this many per instance (chosen: memory)


class ActivityLog:
    """The activities of one instance, oldest first, as long as Marketo keeps them: 90 days
    on the instance's clock and, so that a soak's memory levels off, at most
    `limit` activities (the oldest go first; both are instance settings). Ids come from
    the instance's `activities` id sequence, increasing; a paging token is a position, the
    id after which reading goes on, so tokens stay valid while the front is trimmed (a
    token older than what is kept reads on from the oldest kept), and ids may skip (after a
    crash in persistent mode, ids that may have been handed out are never reused).

    `position_at` is a binary search while activities arrive in time order (they do, on a
    clock that only moves forward), so a paging token costs the same at any log size."""

    def __init__(self, limit: int = MAX_ACTIVITIES,
                 retention: float = RETENTION_DAYS * 86400.0,
                 ids: IdSequence | None = None) -> None:
        self.rows: list[Row] = []  # oldest first (see Activity)
        self.ids = ids or IdSequence("activities")
        self.limit = limit
        self.retention = retention
        self.ordered = True  # every activity at or after the one before it

    @property
    def items(self) -> Activities:
        """The activities kept, oldest first, read as Activity objects."""
        return Activities(self.rows)

    @property
    def offset(self) -> int:
        """The position before the oldest activity kept (activities trimmed before it)."""
        return self.rows[0][_ID] - 1 if self.rows else self.end

    @property
    def end(self) -> int:
        """The position of the newest activity (the last id handed out)."""
        return self.ids.next - 1

    def _append(self, row: Row) -> int:
        """Keep an activity (its row); its id."""
        rows = self.rows
        at = row[_AT]
        if rows and at < rows[-1][_AT]:
            self.ordered = False
        rows.append(row)
        if len(rows) > self.limit + self.limit // 20 or at - rows[0][_AT] > self.retention:
            self._trim(at)
        return row[_ID]

    def _trim(self, now: float) -> None:
        """Drop what is past retention and, in one go, what is over the limit (a twentieth of
        slack keeps the cost of a trim off most calls)."""
        rows = self.rows
        cut = max(0, len(rows) - self.limit)
        oldest = now - self.retention
        while cut < len(rows) and rows[cut][_AT] < oldest:
            cut += 1
        if cut:
            del rows[:cut]

    def add(self, lead_id: int, type_id: int, at: float, primary_id: int | None = None,
            primary_value: object = None, attributes: tuple = (),
            campaign_id: int | None = None) -> int:
        """Log an activity; its id."""
        return self._append((self.ids.take(), lead_id, type_id, at, primary_id,
                             primary_value, attributes, None, None, None, campaign_id))

    def change(self, lead_id: int, field: str, display: str, old: object, new: object,
               at: float, attributes: tuple = (), campaign_id: int | None = None) -> None:
        self._append((self.ids.take(), lead_id, CHANGE_DATA_VALUE, at, None, display,
                      attributes, field, old, new, campaign_id))

    def _position(self, index: int) -> int:
        """The position before rows[index] (the end when past the newest)."""
        return self.rows[index][_ID] - 1 if index < len(self.rows) else self.end

    def position_at(self, since: float) -> int:
        """The position before the first activity that happened at or after `since`."""
        if self.ordered:
            return self._position(bisect.bisect_left(self.rows, since, key=_at))
        return self._position(next((n for n, row in enumerate(self.rows)
                                    if row[_AT] >= since), len(self.rows)))

    def page(self, start: int, batch: int, wanted: set[int] | None,
             leads: set[int] | None) -> tuple[list[Activity], int]:
        """Up to `batch` matching activities from position `start`; and where the next page
        starts. A page scans at most 10 x batch activities, so a sparse filter gives empty
        pages with moreResult true, as Marketo's do."""
        found: list[Activity] = []
        rows = self.rows
        index = bisect.bisect_right(rows, start, key=_id)  # the first one after `start`
        end = min(len(rows), index + 10 * batch)
        while index < end and len(found) < batch:
            row = rows[index]
            index += 1
            if (wanted is None or row[_TYPE] in wanted) and \
                    (leads is None or row[_LEAD] in leads):
                found.append(Activity(*row))
        return found, self._position(index)


_at = itemgetter(_AT)
_id = itemgetter(_ID)


def token(position: int) -> str:
    return base64.b32encode(f"act:{position}".encode()).decode()


def token_position(value: str) -> int:
    try:
        prefix, number = base64.b32decode(value).decode().split(":")
        if prefix != "act" or not number.isascii() or not number.isdigit():
            raise ValueError
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise MarketoError("1003", "Invalid nextPageToken") from None


def snapshot(log: ActivityLog) -> list[list]:
    """Compact rows: [leadId, typeId, at, primaryId, primaryValue, {attributes}, field, old,
    new], and the id as a tenth item where it is not the one after the row before's (ids
    skipped after a crash), and the campaign's id as an eleventh where a flow did it (the
    tenth then null when the id is the next one)."""
    rows = []
    expected = log.offset + 1
    for a in log.items:
        row = [a.lead_id, a.type_id, a.at, a.primary_id, a.primary_value, dict(a.attributes),
               a.field, a.old, a.new]
        if a.id != expected or a.campaign_id is not None:
            row.append(a.id if a.id != expected else None)
        if a.campaign_id is not None:
            row.append(a.campaign_id)
        expected = a.id + 1
        rows.append(row)
    return rows


def restore(log: ActivityLog, rows: object, offset: object = 0) -> None:
    """Rows a snapshot wrote; `offset`: the position before the first row (activities
    trimmed before it), so ids and paging tokens read the same after a restore."""
    if not isinstance(rows, list):
        raise ValueError("activities is a list of rows")
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= 10**12:
        raise ValueError("activityOffset is a whole number of activities trimmed before")
    if not log.rows:
        log.ids.continue_from(offset + 1)
    for row in rows:
        if not (isinstance(row, list) and len(row) in (9, 10, 11) and isinstance(row[0], int)
                and isinstance(row[1], int) and isinstance(row[2], int | float)
                and isinstance(row[5], dict) and all(isinstance(k, str) for k in row[5])
                and (len(row) == 9 or row[9] is None or _whole(row[9]) and row[9] > log.end)
                and (len(row) < 11 or _whole(row[10]))):
            raise ValueError(f"activity row {str(row)[:80]} is not "
                             f"[leadId, typeId, at, primaryId, primaryValue, attributes, field, "
                             f"old, new] (and its id, above the row before's, and a campaign)")
        activity_id = row[9] if len(row) >= 10 and row[9] is not None else log.end + 1
        log.ids.note(activity_id)
        log._append((activity_id, row[0], row[1], float(row[2]), row[3], row[4],
                     tuple(row[5].items()), row[6], row[7], row[8],
                     row[10] if len(row) == 11 else None))


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10**15
