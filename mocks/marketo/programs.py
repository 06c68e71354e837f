"""Programs and their members: each program has a channel's progression statuses; a lead
becomes a member with a status, reaches success at a success status, and carries program
member fields. Programs live in the asset tree (folders) and are seeded, not created by
the lead-database API, as in Marketo."""

from __future__ import annotations

from dataclasses import dataclass, field

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time

from .errors import MarketoError, RecordError
from .fields import FieldDef, check_value

DEFAULT_STATUSES = (("Not in Program", 0, False), ("Member", 10, False),
                    ("Engaged", 20, True))
PROGRAM_TYPES = ("program", "event", "webinar", "engagement", "email")
MEMBER_FIELDS: tuple[FieldDef, ...] = (
    FieldDef("leadId", "Lead Id", "integer", read_only=True),
    FieldDef("programId", "Program Id", "integer", read_only=True),
    FieldDef("progressionStatus", "Status", "string", 255, read_only=True),
    FieldDef("membershipDate", "Membership Date", "datetime", read_only=True),
    FieldDef("reachedSuccess", "Success", "boolean", read_only=True),
    FieldDef("acquiredBy", "Acquired By", "boolean", read_only=True),
    FieldDef("isExhausted", "Is Exhausted", "boolean", read_only=True),
    FieldDef("nurtureCadence", "Nurture Cadence", "string", 255, read_only=True),
    FieldDef("updatedAt", "Updated At", "datetime", read_only=True),
    FieldDef("registrationCode", "Registration Code", "string", 255),
    FieldDef("webinarUrl", "Webinar Url", "url", 255),
    FieldDef("attendanceLikelihood", "Attendance Likelihood", "integer"),
)


@dataclass
class Program:
    id: int
    name: str
    type: str
    channel: str
    folder_id: int
    created_at: float
    description: str = ""
    workspace: str = "Default"
    statuses: list[tuple[str, int, bool]] = field(default_factory=lambda: list(DEFAULT_STATUSES))

    def status(self, name: object) -> tuple[str, int, bool] | None:
        wanted = name.lower() if isinstance(name, str) else None
        return next((s for s in self.statuses if s[0].lower() == wanted), None)

    def render(self) -> dict:
        stamp = iso_utc(self.created_at) + "+0000"
        return {"id": self.id, "name": self.name, "description": self.description,
                "type": self.type.capitalize() if self.type != "email" else "Email",
                "channel": self.channel, "workspace": self.workspace, "status": "unlocked",
                "folder": {"type": "Folder", "value": self.folder_id,
                           "folderName": "Marketing Activities"},
                "url": f"https://app-ab00.marketo.com/#PG{self.id}A1",
                "createdAt": stamp, "updatedAt": stamp, "tags": [], "costs": []}


@dataclass
class Member:
    lead_id: int
    program_id: int
    status: str
    joined: float
    updated: float
    success: bool = False
    acquired_by: bool = False
    values: dict = field(default_factory=dict)

    def get(self, name: str) -> object:
        return {"leadId": self.lead_id, "programId": self.program_id,
                "progressionStatus": self.status, "membershipDate": iso_utc(self.joined),
                "reachedSuccess": self.success, "acquiredBy": self.acquired_by,
                "isExhausted": False, "nurtureCadence": None,
                "updatedAt": iso_utc(self.updated)}.get(name, self.values.get(name))


_SEED_ONLY = frozenset({"status", "leadId", "membershipDate", "updatedAt", "reachedSuccess",
                        "acquiredBy"})


class ProgramStore:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.programs: dict[int, Program] = {}
        self.members: dict[int, dict[int, Member]] = {}  # program id -> lead id -> member
        # smart campaigns: id -> {id, name, programId, isTriggerable, createdAt, requested}
        self.campaigns: dict[int, dict] = {}

    def get(self, program_id: int) -> Program:
        program = self.programs.get(program_id)
        if program is None:
            raise MarketoError("1013", f"Program '{program_id}' not found")
        return program

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

    def set_values(self, member: Member, record: dict) -> None:
        fields = {f.name: f for f in MEMBER_FIELDS}
        for name, value in record.items():
            if name == "leadId":
                continue
            spec = fields.get(name)
            if spec is None:
                raise RecordError("1006", field=name)
            if spec.read_only:
                raise RecordError("1003", f"Field '{name}' is not updateable")
            member.values[name] = check_value(spec, value)
        member.updated = self.clock.now()

    def forget_lead(self, lead_id: int) -> None:
        for members in self.members.values():
            members.pop(lead_id, None)

    def of_lead(self, lead_id: int) -> list[Member]:
        return [m[lead_id] for m in self.members.values() if lead_id in m]

    # -- seeding and snapshots -------------------------------------------------------
    def seed(self, specs: object, leads: dict) -> None:
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
                              int(spec.get("folderId", 39) or 39), self.clock.now(),
                              str(spec.get("description", "")),
                              statuses=[(s[0], int(s[1]), s[2]) for s in statuses])
            self.programs[pid] = program
            for member in spec.get("members") or []:
                lead_id = member.get("leadId") if isinstance(member, dict) else None
                if lead_id not in leads:
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

    def seed_campaigns(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("campaigns is a list of {id, name, programId, isTriggerable}")
        for spec in specs:
            cid = whole_number(spec.get("id"), 1) if isinstance(spec, dict) else None
            if cid is None or cid in self.campaigns or not isinstance(spec.get("name"), str):
                raise ValueError(f"campaign {str(spec)[:60]}: needs a new id and a name")
            pid = spec.get("programId")
            if pid is not None and pid not in self.programs:
                raise ValueError(f"campaign {cid}: program {pid!r} is not seeded")
            triggerable = spec.get("isTriggerable", True)
            if not isinstance(triggerable, bool):
                raise ValueError(f"campaign {cid}: isTriggerable is true or false")
            self.campaigns[cid] = {"id": cid, "name": spec["name"], "programId": pid,
                                   "isTriggerable": triggerable,
                                   "createdAt": iso_utc(self.clock.now()), "requested": [],
                                   "runs": []}

    def snapshot(self) -> list[dict]:
        return [{"id": p.id, "name": p.name, "type": p.type, "channel": p.channel,
                 "folderId": p.folder_id, "description": p.description,
                 "statuses": [list(s) for s in p.statuses],
                 "members": [{"leadId": m.lead_id, "status": m.status,
                              "membershipDate": iso_utc(m.joined),
                              "updatedAt": iso_utc(m.updated), "reachedSuccess": m.success,
                              "acquiredBy": m.acquired_by, **m.values}
                             for m in self.members.get(p.id, {}).values()]}
                for p in self.programs.values()]
