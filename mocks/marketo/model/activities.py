"""Activity reads (types, paging tokens, activities, lead changes, deleted leads) and adding
custom activities: the REST API's view of the instance's activity log. A page scans forward
from a paging token, filtered by type, lead ids and a static list's members."""

from __future__ import annotations

import threading
from collections.abc import Callable

from vendorsim.mocks.core.calendar import NEVER, RuleView
from vendorsim.mocks.core.locking import locked

from ..facts import BIG_LIST_LEADS, BIG_LIST_RULE
from .activity_log import (
    CHANGE_DATA_VALUE,
    DELETE_LEAD,
    NEW_LEAD,
    STANDARD_TYPES,
    Activity,
    ActivityLog,
    token,
    token_position,
)
from .custom_activities import CustomActivityTypes
from .errors import MarketoError, RecordError
from .leads import LeadStore
from .lists import StaticListStore

# a page: the next paging token, the activities rendered, whether the log goes on
ActivityPage = tuple[str, list[dict], bool]


class Activities:
    """Reads of one instance's activity log; every operation takes the instance's lock."""

    def __init__(self, lock: threading.RLock, log: ActivityLog, leads: LeadStore,
                 lists: StaticListStore, types: CustomActivityTypes,
                 in_force: RuleView = NEVER) -> None:
        self.lock = lock
        self.in_force = in_force  # the instance's calendar (docs/how-to/calendar.md)
        self.log = log
        self.leads = leads
        self.lists = lists
        self.custom_types = types

    @locked
    def types(self) -> list[dict]:
        """Every activity type: the standard ones and the approved custom ones."""
        out = []
        for type_id, (name, description, primary, attributes) in STANDARD_TYPES.items():
            item: dict = {"id": type_id, "name": name, "description": description}
            if primary:
                item["primaryAttribute"] = {"name": primary[0], "dataType": primary[1]}
            item["attributes"] = [{"name": n, "dataType": t} for n, t in attributes]
            out.append(item)
        return out + self.custom_types.approved_types()

    @locked
    def paging_token(self, since: float) -> str:
        """The token of the first activity at or after `since`."""
        return token(self.log.position_at(since))

    @locked
    def page(self, next_token: str, batch: int, lead_ids: list[int], list_id: int | None,
             type_ids: list[int]) -> ActivityPage:
        """Get Lead Activities: the given types from a paging token on."""
        return self._page(next_token, batch, set(type_ids), lead_ids, list_id,
                          Activity.render)

    @locked
    def lead_changes(self, next_token: str, batch: int, lead_ids: list[int],
                     list_id: int | None, fields: list[str]) -> ActivityPage:
        """Get Lead Changes: New Lead and Change Data Value activities of these fields."""
        if not fields:
            raise MarketoError("701", what="fields")
        schema = self.leads.schema.fields
        for name in fields:
            if name not in schema:
                raise MarketoError("1006", field=name)
        field_ids = {name: n for n, name in enumerate(schema, start=1)}
        wanted = set(fields)
        return self._page(next_token, batch, {NEW_LEAD, CHANGE_DATA_VALUE}, lead_ids,
                          list_id, lambda a: a.render_change(field_ids),
                          lambda a: a.type_id == NEW_LEAD or a.field in wanted)

    @locked
    def deleted_leads(self, next_token: str, batch: int) -> ActivityPage:
        return self._page(next_token, batch, {DELETE_LEAD}, [], None, Activity.render)

    def _page(self, next_token: str, batch: int, types: set[int], lead_ids: list[int],
              list_id: int | None, render: Callable[[Activity], dict],
              keep: Callable[[Activity], bool] | None = None) -> ActivityPage:
        if not next_token:
            raise MarketoError("701", what="nextPageToken")
        start = token_position(next_token)
        leads: set[int] | None = set(lead_ids) or None
        if list_id is not None:
            members = self.lists.member_ids(list_id)
            if len(members) >= BIG_LIST_LEADS and self.in_force(BIG_LIST_RULE):
                raise MarketoError("1003", f"listId {list_id}: lists of {BIG_LIST_LEADS} or "
                                           "more leads cannot filter activities")
            leads = members & leads if leads else members
        found, position = self.log.page(start, batch, types, leads)
        if keep is not None:
            found = [a for a in found if keep(a)]
        return token(position), [render(a) for a in found], position < self.log.end

    @locked
    def add_custom(self, items: list) -> list[dict]:
        """Add Custom Activities (of approved custom types) to leads."""
        results: list[dict] = []
        for item in items:
            try:
                lead_id, type_id, at, primary, attrs = \
                    self.custom_types.check_activity(item, self.leads)
            except RecordError as exc:
                results.append({"status": "skipped", "reasons": [exc.reason]})
                continue
            added = self.log.add(lead_id, type_id, at, None, primary, attrs)
            results.append({"id": added, "status": "added"})
        return results
