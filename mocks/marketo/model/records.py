"""The records of a Marketo lead database: leads, partitions, instance settings, and the
plan of one Sync Leads call."""

from __future__ import annotations

from dataclasses import dataclass, field

from vendorsim.mocks.core.auth import Credential
from vendorsim.mocks.core.clock import iso_utc

from .errors import RecordError


@dataclass(slots=True)
class Lead:
    id: int
    values: dict
    partition_id: int
    created_at: float
    updated_at: float

    def get(self, name: str) -> object:
        if name == "id":
            return self.id
        if name == "leadPartitionId":
            return self.partition_id
        if name == "createdAt":
            return iso_utc(self.created_at)
        if name == "updatedAt":
            return iso_utc(self.updated_at)
        return self.values.get(name)

    def render(self, fields: tuple[str, ...] | list[str]) -> dict:
        out: dict[str, object] = {"id": self.id}
        for name in fields:
            if name != "id":
                out[name] = self.get(name)
        return out


@dataclass
class Partition:
    id: int
    name: str
    description: str = ""


BOUNDED = {"activity_retention_days": (1, 3650), "max_activities": (1_000, 10_000_000)}


@dataclass
class Settings:
    """Instance settings a real admin (or Marketo Support) would set."""

    dedupe_by_partition: bool = False  # 'Lead Partition' added as a custom dupe rule
    on_multiple_matches: str = "skip"  # "skip" (REST: 1007) or "update_most_recent"
    pod: str = "ab"  # the suffix of access tokens
    reject_query_token: bool = False  # refuse ?access_token= (Marketo is retiring it)
    activity_retention_days: int = 90  # Marketo's: activities older than this are gone
    max_activities: int = 100_000  # the mock's: at most this many kept (the oldest go)
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"dedupe_by_partition": self.dedupe_by_partition,
                "on_multiple_matches": self.on_multiple_matches, "pod": self.pod,
                "reject_query_token": self.reject_query_token,
                "activity_retention_days": self.activity_retention_days,
                "max_activities": self.max_activities}

    def update(self, data: object) -> None:
        if not isinstance(data, dict):
            raise ValueError("settings is an object")
        for key, value in data.items():
            if key not in self.to_dict():
                raise ValueError(f"unknown Marketo setting {key!r}")
            if key == "on_multiple_matches" and value not in ("skip", "update_most_recent"):
                raise ValueError("on_multiple_matches is 'skip' or 'update_most_recent'")
            if key in ("dedupe_by_partition", "reject_query_token") and \
                    not isinstance(value, bool):
                raise ValueError(f"{key} is true or false")
            if key == "pod" and not (isinstance(value, str) and value.isalnum()
                                     and len(value) <= 10):
                raise ValueError("pod is a short alphanumeric name (e.g. 'ab')")
            if key in BOUNDED and not (isinstance(value, int) and not isinstance(value, bool)
                                       and BOUNDED[key][0] <= value <= BOUNDED[key][1]):
                low, high = BOUNDED[key]
                raise ValueError(f"{key} is a whole number from {low:,} to {high:,}")
        for key, value in data.items():
            setattr(self, key, value)


@dataclass(slots=True)
class SyncPlan:
    action: str
    lookup_field: str
    allow: frozenset
    partition_name: str | None
    target: Partition | RecordError | None
    scope: int | None  # partition id when dedupe is per partition
    index: dict | None  # the lookup field's index when one look-up answers
    credential: Credential | None  # only when it is limited to some partitions
    now: float


def name_of(lead: Lead) -> str:
    """How Marketo names a lead in activities: `Last, First`, else its email."""
    first, last = lead.values.get("firstName"), lead.values.get("lastName")
    if first or last:
        return ", ".join(str(p) for p in (last, first) if p)
    return str(lead.values.get("email") or lead.id)


def may_use(cred: Credential | None, partition: Partition) -> bool:
    """Whether a credential limited to some partitions may touch this one."""
    return cred is None or cred.partitions is None or partition.name in cred.partitions
