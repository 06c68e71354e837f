"""Programs and their members as records: a program's channel statuses (name, step,
success), a member's status, dates and program member fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.clock import iso_utc

from .fields import FieldDef

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


MEMBER_FIELDS_BY_NAME = {f.name: f for f in MEMBER_FIELDS}
DEFAULT_MEMBER_GET = ("leadId", "programId", "progressionStatus", "membershipDate",
                      "reachedSuccess")
MEMBER_DESCRIBE = {"name": "Program Member", "description": "Program member object",
                   "idField": "leadId", "dedupeFields": ["leadId", "programId"],
                   "searchableFields": [["leadId"], ["programId"], ["progressionStatus"]]}


PROGRAM_FILTERS = ("id", "programId", "folderId", "workspace")  # Get Programs' filterType


def program_value(program: Program, filter_type: str) -> object:
    """What a Get Programs filter compares: the id, the folder's id, the workspace."""
    if filter_type == "folderId":
        return program.folder_id
    if filter_type == "workspace":
        return program.workspace
    return program.id


def ids_in(records: list, key: str) -> list[int | None]:
    """The ids a list of input records names under `key` (None where one names none)."""
    return [whole_number(r.get(key), 1) if isinstance(r, dict) else None for r in records]


def member_fields() -> list[dict]:
    return [f.describe2() for f in MEMBER_FIELDS]
