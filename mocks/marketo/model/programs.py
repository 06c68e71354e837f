"""Programs and their members: each program has a channel's progression statuses; a lead
becomes a member with a status, reaches success at a success status, and carries program
member fields. Programs live in the asset tree (folders); the asset API makes, changes and
browses them (`assets/programs.py`), the lead-database API only reads them, as in Marketo."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.locking import locked

from .activity_log import CHANGE_PROGRAM_STATUS, ActivityLog
from .errors import MarketoError, RecordError, reason
from .fields import check_value
from .program_records import (
    DEFAULT_MEMBER_GET,
    DEFAULT_STATUSES,
    MEMBER_FIELDS_BY_NAME,
    PROGRAM_TYPES,
    Member,
    Program,
    ids_in,
)
from .program_seeds import DEFAULT_PROGRAM_FOLDER, asset_fields, seed_asset_fields

if TYPE_CHECKING:
    from .leads import LeadStore

_SEED_ONLY = frozenset({"status", "leadId", "membershipDate", "updatedAt", "reachedSuccess",
                        "acquiredBy"})
_NOT_A_MEMBER = {"code": "1013", "message": "Program member not found"}


class ProgramStore:
    """Programs and their members in one instance; every operation takes the instance's
    lock. Status changes are logged (Change Status in Progression)."""

    def __init__(self, lock: threading.RLock, clock: Clock, leads: LeadStore,
                 activities: ActivityLog) -> None:
        self.lock = lock
        self.clock = clock
        self.leads = leads
        self.activities = activities
        self.programs: dict[int, Program] = {}
        self.members: dict[int, dict[int, Member]] = {}  # program id -> lead id -> member

    def get(self, program_id: int) -> Program:
        program = self.programs.get(program_id)
        if program is None:
            raise MarketoError("1013", f"Program '{program_id}' not found")
        return program

    def _members(self, program_id: int) -> dict[int, Member]:
        return self.members.get(self.get(program_id).id, {})

    # -- members ---------------------------------------------------------------------
    def set_status(self, program: Program, lead_id: int, status_name: object,
                   now: float, acquired: bool = False) -> tuple[str, str | None]:
        """Make the lead a member at that status: ("created"|"updated", old status)."""
        status = program.status(status_name)
        if status is None:
            raise RecordError("1003", f"Invalid status '{str(status_name)[:40]}' for program")
        members = self.members.setdefault(program.id, {})
        member = members.get(lead_id)
        if member is None:
            members[lead_id] = Member(lead_id, program.id, status[0], now, now, status[2],
                                      acquired)
            return "created", None
        old = member.status
        current = program.status(old)
        if current is not None and status[1] < current[1]:
            raise RecordError("1003", f"Status cannot move back from '{old}' to '{status[0]}'")
        member.status, member.updated = status[0], now
        member.success = member.success or status[2]
        return "updated", old

    def _move(self, program: Program, lead_id: int | None, status: str) -> dict:
        """One lead to a status, logged when it changes: the result without its seq."""
        if lead_id is None or lead_id not in self.leads:
            return {"status": "skipped", "reasons": [reason("1004")]}
        now = self.clock.now()
        try:
            outcome, old = self.set_status(program, lead_id, status, now)
        except RecordError as exc:
            return {"leadId": lead_id, "status": "skipped", "reasons": [exc.reason]}
        new = program.status(status)
        if new is not None and old != new[0]:
            self.activities.add(lead_id, CHANGE_PROGRAM_STATUS, now, program.id, program.name,
                                (("New Status", status), ("Old Status", old)))
        return {"leadId": lead_id, "status": outcome}

    @locked
    def change_status(self, program_id: int, status: str, lead_ids: list[int | None]
                      ) -> list[dict]:
        """Change Program Member Status: each lead to the status (forward only)."""
        program = self.get(program_id)
        if program.status(status) is None:
            raise MarketoError("1003", f"Invalid statusName '{status[:40]}'")
        return [{"seq": seq, **self._move(program, lead_id, status)}
                for seq, lead_id in enumerate(lead_ids)]

    @locked
    def change_lead_status(self, program_id: int, status: str, lead_ids: list[int | None]
                           ) -> list[dict]:
        """The older Change Lead Program Status: results keyed by `id`, no seq."""
        program = self.get(program_id)
        results = []
        for lead_id in lead_ids:
            outcome = self._move(program, lead_id, status)
            outcome["id"] = outcome.pop("leadId", lead_id)
            results.append(outcome)
        return results

    @locked
    def join(self, program: Program, lead_ids: list[int]) -> None:
        """Push Lead to Marketo: the leads become members at the program's first member
        status."""
        status = program.statuses[1][0] if len(program.statuses) > 1 else \
            program.statuses[0][0]
        for lead_id in lead_ids:
            self._move(program, lead_id, status)

    @locked
    def program_named(self, name: str) -> Program:
        found = next((p for p in self.programs.values() if p.name == name), None)
        if found is None:
            raise MarketoError("1013", f"Program '{name[:40]}' not found")
        return found

    def set_values(self, member: Member, record: dict) -> None:
        for name, value in record.items():
            if name == "leadId":
                continue
            spec = MEMBER_FIELDS_BY_NAME.get(name)
            if spec is None:
                raise RecordError("1006", field=name)
            if spec.read_only:
                raise RecordError("1003", f"Field '{name}' is not updateable")
            member.values[name] = check_value(spec, value)
        member.updated = self.clock.now()

    @locked
    def write_members(self, program_id: int, records: list) -> list[dict]:
        """Sync Program Member Data: the writable member fields of existing members."""
        members = self._members(program_id)
        results = []
        for seq, (record, lead_id) in enumerate(zip(records, ids_in(records, "leadId"),
                                                    strict=True)):
            if lead_id not in members:
                results.append({"seq": seq, "status": "skipped", "reasons": [_NOT_A_MEMBER]})
                continue
            try:
                self.set_values(members[lead_id], record)
            except RecordError as exc:
                results.append({"seq": seq, "status": "skipped", "reasons": [exc.reason]})
                continue
            results.append({"seq": seq, "leadId": lead_id, "programId": program_id,
                            "status": "updated"})
        return results

    @locked
    def delete_members(self, program_id: int, lead_ids: list[int | None]) -> list[dict]:
        members = self._members(program_id)
        results = []
        for seq, lead_id in enumerate(lead_ids):
            if lead_id not in members:
                results.append({"seq": seq, "status": "skipped", "reasons": [_NOT_A_MEMBER]})
                continue
            del members[lead_id]
            results.append({"seq": seq, "leadId": lead_id, "status": "deleted"})
        return results

    @locked
    def query_members(self, program_id: int, filter_type: str, values: list[str],
                      fields: list[str], offset: int, batch: int) -> tuple[list[dict], bool]:
        """Get Program Members: a page of members whose field holds one of the values."""
        if filter_type not in MEMBER_FIELDS_BY_NAME:
            raise MarketoError("1003", f"Invalid filterType '{filter_type[:40]}'")
        if not values:
            raise MarketoError("701", what="filterValues")
        fields = fields or list(DEFAULT_MEMBER_GET)
        for name in fields:
            if name not in MEMBER_FIELDS_BY_NAME:
                raise MarketoError("1006", field=name)
        wanted = {v.lower() for v in values}
        found = [m for m in self._members(program_id).values()
                 if str(m.get(filter_type)).lower() in wanted]
        page = [{"seq": offset + n, **{f: m.get(f) for f in fields}}
                for n, m in enumerate(found[offset:offset + batch])]
        return page, offset + batch < len(found)

    @locked
    def leads_page(self, program_id: int, fields: list[str], offset: int, batch: int
                   ) -> tuple[list[dict], bool]:
        """Get Leads by Program: members as leads, each with its membership."""
        fields = self.leads.check_fields(fields)
        members = list(self._members(program_id).values())
        page = []
        for member in members[offset:offset + batch]:
            lead = self.leads.get(member.lead_id)
            if lead is not None:
                page.append({**lead.render(fields), "membership": {
                    "progressionStatus": member.status, "acquiredBy": member.acquired_by,
                    "reachedSuccess": member.success,
                    "membershipDate": member.get("membershipDate"),
                    "updatedAt": member.get("updatedAt")}})
        return page, offset + batch < len(members)

    @locked
    def of_lead(self, lead_id: int) -> list[dict]:
        """The programs a lead is a member of (its programMembership)."""
        out = []
        for members in self.members.values():
            member = members.get(lead_id)
            if member is None:
                continue
            program = self.programs[member.program_id]
            out.append({"id": program.id, "name": program.name,
                        "type": program.render()["type"], "channel": program.channel,
                        "membership": {"progressionStatus": member.status,
                                       "reachedSuccess": member.success,
                                       "membershipDate": member.get("membershipDate")}})
        return out

    @locked
    def forget_lead(self, lead_id: int) -> None:
        for members in self.members.values():
            members.pop(lead_id, None)

    @locked
    def carry_over(self, loser: int, winner: int) -> None:
        """A merge: the winner takes the loser's memberships where it has none."""
        for members in self.members.values():
            if loser in members and winner not in members:
                members[winner] = members[loser]
                members[winner].lead_id = winner

    @locked
    def import_member(self, program_id: int, lead_id: int, status: str, values: dict) -> None:
        """A bulk-imported member (RecordError when the row does not fit)."""
        program = self.get(program_id)
        self.set_status(program, lead_id, status, self.clock.now())
        self.set_values(self.members[program.id][lead_id], values)

    @locked
    def check_status(self, program_id: int, status: str) -> None:
        """1013 for no such program, 1003 for a status it does not have."""
        if self.get(program_id).status(status) is None:
            raise MarketoError("1003", f"Invalid programMemberStatus '{status[:40]}'")

    # -- seeding and snapshots -------------------------------------------------------
    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("programs is a list of {id, name, type, channel, statuses, "
                             "members}")
        for spec in specs:
            if not isinstance(spec, dict):
                raise ValueError("a program is an object")
            pid = whole_number(spec.get("id"), 1)
            name = spec.get("name")
            if pid is None or pid in self.programs or not isinstance(name, str) or not name:
                raise ValueError(f"program {str(spec)[:60]}: needs a new id and a name")
            kind = spec.get("type", "program")
            if kind not in PROGRAM_TYPES:
                raise ValueError(f"program {pid}: type is one of {', '.join(PROGRAM_TYPES)}")
            statuses = spec.get("statuses") or [list(s) for s in DEFAULT_STATUSES]
            if not (isinstance(statuses, list) and all(
                    isinstance(s, list) and len(s) == 3 and isinstance(s[0], str)
                    and whole_number(s[1], 0) is not None and isinstance(s[2], bool)
                    for s in statuses)):
                raise ValueError(f"program {pid}: statuses are [name, step, success] rows")
            program = Program(pid, name, kind, str(spec.get("channel", "Content")),
                              whole_number(spec.get("folderId") or DEFAULT_PROGRAM_FOLDER, 1)
                              or DEFAULT_PROGRAM_FOLDER, self.clock.now(),
                              str(spec.get("description", "")),
                              statuses=[(s[0], int(s[1]), s[2]) for s in statuses])
            seed_asset_fields(program, spec)
            self.programs[pid] = program
            for member in spec.get("members") or []:
                lead_id = member.get("leadId") if isinstance(member, dict) else None
                if type(lead_id) is not int or lead_id not in self.leads:
                    raise ValueError(f"program {pid}: member lead {lead_id!r} is not seeded")
                try:
                    self.set_status(program, lead_id, member.get("status", "Member"),
                                    self.clock.now())
                    seeded = self.members[pid][lead_id]
                    extra = {k: v for k, v in member.items() if k not in _SEED_ONLY}
                    self.set_values(seeded, extra)
                    self._seed_history(seeded, member)
                except RecordError as exc:
                    raise ValueError(f"program {pid}: {exc.reason['message']}") from None

    @staticmethod
    def _seed_history(member: Member, spec: dict) -> None:
        """Dates and flags a snapshot carries (a seed may give them too)."""
        try:
            if "membershipDate" in spec:
                member.joined = parse_time(spec["membershipDate"])
            if "updatedAt" in spec:
                member.updated = parse_time(spec["updatedAt"])
        except (ValueError, TypeError, OverflowError):
            raise RecordError("1003", "membershipDate and updatedAt are ISO-8601") from None
        for key, attr in (("reachedSuccess", "success"), ("acquiredBy", "acquired_by")):
            if key in spec:
                if not isinstance(spec[key], bool):
                    raise RecordError("1003", f"{key} is true or false")
                setattr(member, attr, spec[key])

    def snapshot(self) -> list[dict]:
        return [{"id": p.id, "name": p.name, "type": p.type, "channel": p.channel,
                 "folderId": p.folder_id, "description": p.description,
                 "statuses": [list(s) for s in p.statuses], **asset_fields(p),
                 "members": [{"leadId": m.lead_id, "status": m.status,
                              "membershipDate": iso_utc(m.joined),
                              "updatedAt": iso_utc(m.updated), "reachedSuccess": m.success,
                              "acquiredBy": m.acquired_by, **m.values}
                             for m in self.members.get(p.id, {}).values()]}
                for p in sorted(self.programs.values(), key=lambda p: p.id)]

