"""Programs through the asset API (Adobe's Programs page): browse with filters and update
dates, by id, name or tag; create in a Marketing Activities folder on a channel that serves
the program type (its member statuses come from the channel), with tags and costs; update
name, description, tags, costs (appended, or replaced with costsDestructiveUpdate) and an
email program's dates; clone with everything inside; delete with everything inside; approve
and unapprove email programs. Program names are unique in the instance (709)."""

from __future__ import annotations

import copy
import re
import threading
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from ..program_records import TYPE_ALIASES, Program, program_value
from .common import (
    Ref,
    flag,
    json_value,
    name_value,
    parse_asset_time,
    parse_ref,
    text_value,
    within,
)

if TYPE_CHECKING:
    from .world import AssetWorld

PROGRAM_FILTERS = ("id", "programId", "folderId", "workspace")  # Get Programs' filterType
COST_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ProgramAssets:
    """The asset API's program operations over the instance's program store."""

    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world
        self.next_id = 1001

    @property
    def programs(self) -> dict[int, Program]:
        return self.world.owner.programs.programs

    def find(self, program_id: int) -> Program:
        found = self.programs.get(program_id)
        if found is None:
            raise MarketoError("702", f"Program '{program_id}' not found")
        return found

    def render(self, program: Program, tags: bool = True) -> dict:
        out = program.render(self.world.tree.name(("Folder", program.folder_id)))
        if not tags:
            out.pop("tags")
            out.pop("costs")
        return out

    # -- reads -----------------------------------------------------------------------
    @locked
    def browse(self, offset: int, limit: int, filter_type: str | None = None,
               values: tuple[str, ...] = (), earliest: str | None = None,
               latest: str | None = None) -> list[dict]:
        """Get Programs: filtered by id, programId, folderId or workspace, and by when they
        were last updated; a filter the API does not know is refused, never ignored."""
        found = list(self.programs.values())
        if filter_type is not None:
            if filter_type not in PROGRAM_FILTERS:
                raise MarketoError("1003", f"Invalid filterType '{filter_type[:40]}': one of "
                                           f"{', '.join(PROGRAM_FILTERS)}")
            if not values:
                raise MarketoError("701", what="filterValues")
            wanted = {v.strip().lower() for v in values}
            found = [p for p in found if str(program_value(p, filter_type)).lower() in wanted]
        found = within(found, lambda p: p.updated_at, earliest, latest)
        return [self.render(p, tags=False) for p in found[offset:offset + limit]]

    @locked
    def by_id(self, program_id: int) -> list[dict]:
        found = self.programs.get(program_id)
        return [self.render(found)] if found else []

    @locked
    def by_name(self, name: str, tags: object = None, costs: object = None) -> list[dict]:
        with_tags, with_costs = flag(tags, "includeTags", False), flag(costs, "includeCosts",
                                                                      False)
        out = []
        for program in self.programs.values():
            if program.name == name:
                shown = self.render(program)
                if not with_tags:
                    shown.pop("tags")
                if not with_costs:
                    shown.pop("costs")
                out.append(shown)
        return out

    @locked
    def by_tag(self, tag_type: str, tag_value: str, offset: int, limit: int) -> list[dict]:
        found = [p for p in self.programs.values()
                 if {"tagType": tag_type, "tagValue": tag_value} in p.tags]
        return [self.render(p) for p in found[offset:offset + limit]]

    @locked
    def smart_list(self, program_id: int, rules: object) -> list[dict]:
        """An email program's smart list (709 for other programs)."""
        program = self.programs.get(program_id)
        if program is None:
            return []
        if program.type != "email":
            raise MarketoError("709", f"Program '{program_id}' is not an email program: only "
                                      "email programs have a smart list")
        return self.world.smart_lists.owned(("program", program_id), rules)

    # -- changes ---------------------------------------------------------------------
    def _folder(self, raw: object) -> Ref:
        """Programs live in Marketing Activities folders, never in other programs (711)."""
        ref = parse_ref(raw)
        assert ref is not None
        tree = self.world.tree
        tree.need(ref)
        kind = tree.folder_type(ref)
        if ref[0] != "Folder" or tree.area(ref) != "Marketing Activities" or \
                kind not in ("Zone", "Marketing Folder") or tree.program_of(ref) is not None:
            raise MarketoError("711", "Incompatible Folder Type: programs live in Marketing "
                                      "Activities folders outside programs")
        return ref

    def _unique(self, name: str, but: int | None = None) -> None:
        if any(p.name == name and p.id != but for p in self.programs.values()):
            raise MarketoError("709", f"Program name '{name[:80]}' is already in use")

    @staticmethod
    def _costs(raw: object) -> list[dict] | None:
        if raw is None or raw == "":
            return None
        value = json_value(raw, "costs")
        if not isinstance(value, list):
            raise MarketoError("1003", "costs is an array of {startDate, cost, note}")
        out = []
        for item in value:
            cost = whole_number(item.get("cost"), 0) if isinstance(item, dict) else None
            start = item.get("startDate") if isinstance(item, dict) else None
            note = item.get("note") if isinstance(item, dict) else None
            if cost is None or not isinstance(start, str) or not COST_DATE.fullmatch(start) \
                    or not isinstance(note, str | None):
                raise MarketoError("1003", "Each cost is {startDate: yyyy-MM-dd, cost: a whole "
                                           "number, note}")
            out.append({"startDate": start, "cost": cost, **({"note": note} if note else {})})
        return out

    @staticmethod
    def _tags(raw: object) -> list[dict] | None:
        if raw is None or raw == "":
            return None
        value = json_value(raw, "tags")
        if not isinstance(value, list) or not all(
                isinstance(t, dict) and isinstance(t.get("tagType"), str)
                and isinstance(t.get("tagValue"), str) for t in value):
            raise MarketoError("1003", "tags is an array of {tagType, tagValue}")
        return [{"tagType": t["tagType"], "tagValue": t["tagValue"]} for t in value]

    @staticmethod
    def _date(raw: object, what: str) -> str | None:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str):
            raise MarketoError("1003", f"Invalid {what}")
        parse_asset_time(raw, what)
        return raw

    @locked
    def create(self, form: dict) -> list[dict]:
        """Create Program: name, folder, type and channel needed; description, costs, tags,
        and an email program's startDate/endDate optional."""
        name = name_value(form.get("name"))
        assert name is not None
        folder = self._folder(form.get("folder"))
        raw_type = form.get("type")
        if not raw_type:
            raise MarketoError("701", what="type")
        kind = TYPE_ALIASES.get(str(raw_type).lower())
        if kind is None:
            raise MarketoError("1003", f"Invalid program type '{str(raw_type)[:40]}'")
        channel = form.get("channel")
        if not channel:
            raise MarketoError("701", what="channel")
        statuses = self.world.catalog.statuses_for(str(channel), kind)
        description = text_value(form.get("description"), "description") or ""
        costs, tags = self._costs(form.get("costs")) or [], self._tags(form.get("tags")) or []
        self.world.catalog.check_tags(tags, kind, creating=True)
        start, end = self._date(form.get("startDate"), "startDate"), \
            self._date(form.get("endDate"), "endDate")
        self._unique(name)
        number = max(self.next_id, max(self.programs, default=0) + 1)
        now = self.clock.now()
        program = Program(number, name, kind, str(channel), folder[1], now, description,
                          self.world.tree.workspace(folder), statuses, now, tags, costs,
                          start if kind == "email" else None, end if kind == "email" else None)
        self.programs[number] = program
        self.next_id = number + 1
        if kind == "email":
            self.world.smart_lists.make_owned(("program", number), f"{name} smart list",
                                              ("Program", number))
        return [self.render(program)]

    @locked
    def update(self, program_id: int, form: dict) -> list[dict]:
        program = self.find(program_id)
        name = name_value(form.get("name"), required=False)
        description = text_value(form.get("description"), "description")
        costs, tags = self._costs(form.get("costs")), self._tags(form.get("tags"))
        destructive = flag(form.get("costsDestructiveUpdate"), "costsDestructiveUpdate", False)
        start, end = self._date(form.get("startDate"), "startDate"), \
            self._date(form.get("endDate"), "endDate")
        if tags is not None:
            self.world.catalog.check_tags(tags, program.type, creating=False)
        if name is not None:
            self._unique(name, program.id)
            program.name = name
        if description is not None:
            program.description = description
        if destructive:
            program.costs = []
        if costs is not None:
            program.costs += costs
        for tag in tags or []:
            program.tags = [t for t in program.tags if t["tagType"] != tag["tagType"]] + [tag]
        if program.type == "email":
            program.start_date = start or program.start_date
            program.end_date = end or program.end_date
        program.updated_at = self.clock.now()
        return [self.render(program)]

    @locked
    def clone(self, program_id: int, form: dict) -> list[dict]:
        """Clone Program: a new program in a folder of the same workspace, with copies of
        what the program holds (not its members)."""
        source = self.find(program_id)
        name = name_value(form.get("name"))
        assert name is not None
        folder = self._folder(form.get("folder"))
        if self.world.tree.workspace(folder) != source.workspace:
            raise MarketoError("709", "The target folder is in another workspace than the "
                                      "program")
        description = text_value(form.get("description"), "description")
        self._unique(name)
        self.world.check_copy(("Program", source.id), name)
        number = max(self.next_id, max(self.programs, default=0) + 1)
        now = self.clock.now()
        copied = copy.deepcopy(source)
        copied.id, copied.name, copied.folder_id = number, name, folder[1]
        copied.created_at = copied.updated_at = now
        copied.approved = copied.active = False
        copied.description = description if description is not None else source.description
        self.programs[number] = copied
        self.next_id = number + 1
        self.world.copy_contents(("Program", source.id), ("Program", number))
        return [self.render(copied)]

    @locked
    def delete(self, program_id: int) -> list[dict]:
        """Delete Program with everything in it, unless something outside uses it (709)."""
        program = self.find(program_id)
        if program.approved:
            raise MarketoError("709", f"Program '{program_id}' is approved: unapprove it first")
        self.world.remove_contents(("Program", program.id))
        del self.programs[program_id]
        self.world.owner.programs.members.pop(program_id, None)
        return [{"id": program_id}]

    @locked
    def approve(self, program_id: int, approve: bool) -> list[dict]:
        """Approve (or unapprove) an email program: it needs both dates and an approved
        email inside it (709)."""
        program = self.find(program_id)
        if program.type != "email":
            raise MarketoError("709", "Only email programs can be approved or unapproved")
        if approve:
            if program.approved:
                raise MarketoError("709", f"Program '{program_id}' is already approved")
            if not program.start_date or not program.end_date:
                raise MarketoError("709", "An email program needs startDate and endDate to "
                                          "be approved")
            if not self.world.emails.approved_in(("Program", program_id)):
                raise MarketoError("709", "An email program needs an approved email to be "
                                          "approved")
        elif not program.approved:
            raise MarketoError("709", f"Program '{program_id}' is not approved")
        program.approved = approve
        program.updated_at = self.clock.now()
        return [{"id": program_id}]
