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


# a program type's API name -> (the name the asset API shows, its app URL code)
TYPE_NAMES = {"program": ("Default", "PG"), "event": ("Event", "ME"),
              "webinar": ("Event with Webinar", "ME"), "engagement": ("Engagement", "NP"),
              "email": ("Email", "EBP")}
# what Create Program accepts as `type` (any case): the shown names and the API names
TYPE_ALIASES = {**{shown.lower(): kind for kind, (shown, _) in TYPE_NAMES.items()},
                **{kind: kind for kind in TYPE_NAMES}, "nurture": "engagement",
                "default": "program"}


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
    updated_at: float = 0.0
    tags: list[dict] = field(default_factory=list)  # [{tagType, tagValue}]
    costs: list[dict] = field(default_factory=list)  # [{startDate, cost, note}]
    start_date: str | None = None  # email programs run from startDate to endDate
    end_date: str | None = None
    approved: bool = False  # email programs are approved; engagement programs are on
    active: bool = False

    def __post_init__(self) -> None:
        self.updated_at = self.updated_at or self.created_at

    def status(self, name: object) -> tuple[str, int, bool] | None:
        wanted = name.lower() if isinstance(name, str) else None
        return next((s for s in self.statuses if s[0].lower() == wanted), None)

    @property
    def shown_status(self) -> str:
        """Email programs are locked (approved) or unlocked; engagement programs on or off;
        the others have none."""
        if self.type == "email":
            return "locked" if self.approved else "unlocked"
        if self.type == "engagement":
            return "on" if self.active else "off"
        return ""

    def render(self, folder_name: str = "Marketing Activities") -> dict:
        shown, code = TYPE_NAMES.get(self.type, (self.type.capitalize(), "PG"))
        return {"id": self.id, "name": self.name, "description": self.description,
                "createdAt": iso_utc(self.created_at) + "+0000",
                "updatedAt": iso_utc(self.updated_at) + "+0000",
                "url": f"https://app-ab00.marketo.com/#{code}{self.id}A1", "type": shown,
                "channel": self.channel,
                "folder": {"type": "Folder", "value": self.folder_id,
                           "folderName": folder_name},
                "status": self.shown_status, "workspace": self.workspace, "headStart": False,
                "tags": [dict(t) for t in self.tags] or None,
                "costs": [dict(c) for c in self.costs] or None,
                **({"startDate": self.start_date, "endDate": self.end_date}
                   if self.type == "email" else {})}


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
