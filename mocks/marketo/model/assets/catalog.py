"""Channels and tag types: an instance's settings that programs are made against. A channel
serves one program type and gives its programs their member statuses; a tag type is a
program field, required or not, with a list of allowed values or none (Adobe's Channels and
Tags pages). Both are set up in Marketo's admin: the API reads them, seeds make them.

A new instance has the channels below (the mock's choice of Marketo's usual set; the
statuses of Blog and Online Advertising are those of Adobe's examples) and no tag types."""

from __future__ import annotations

from dataclasses import dataclass, field

from vendorsim.mocks.core.bodies import whole_number

from ..errors import MarketoError
from .common import asset_time

# a program type -> the applicableProgramType of the channels it may use
CHANNEL_TYPES = {"program": "program", "event": "event", "webinar": "webinar",
                 "engagement": "nurture", "email": "email"}
TAG_PROGRAM_TYPES = ("program", "email_batch", "nurture", "event", "webinar")
TAG_TYPE_OF = {"program": "program", "email": "email_batch", "engagement": "nurture",
               "event": "event", "webinar": "webinar"}
_CORE = (("Not in Program", 0, False), ("Member", 10, False))
DEFAULT_CHANNELS = (
    ("Content", "program", (*_CORE, ("Engaged", 20, True))),
    ("Blog", "program", (("Not in Program", 0, False), ("Invited", 10, False),
                         ("Visited Booth", 20, False), ("Influenced", 30, True))),
    ("Online Advertising", "program", (("Not in Program", 0, False), ("Invited", 10, False),
                                       ("Registered", 20, False), ("No Show", 30, False),
                                       ("Attended", 40, True))),
    ("Email Blast", "program", (*_CORE, ("Engaged", 20, True))),
    ("Operational", "program", _CORE),
    ("Tradeshow", "event", (("Not in Program", 0, False), ("Invited", 10, False),
                            ("Registered", 20, False), ("No Show", 30, False),
                            ("Visited Booth", 40, True))),
    ("Webinar", "webinar", (("Not in Program", 0, False), ("Invited", 10, False),
                            ("Registered", 20, False), ("No Show", 30, False),
                            ("Attended", 40, True), ("Attended On-demand", 50, True))),
    ("Nurture", "nurture", (*_CORE, ("Influenced", 20, True))),
    ("Email Send", "email", (*_CORE, ("Engaged", 20, True))),
)


@dataclass
class Channel:
    id: int
    name: str
    program_type: str  # applicableProgramType
    statuses: list[tuple[str, int, bool]]
    created_at: float

    def render(self) -> dict:
        return {"id": self.id, "name": self.name, "applicableProgramType": self.program_type,
                "progressionStatuses": [{"name": n, "step": s, "description": None,
                                         "hidden": False, "success": ok}
                                        for n, s, ok in self.statuses],
                "createdAt": asset_time(self.created_at),
                "updatedAt": asset_time(self.created_at)}


@dataclass
class TagType:
    name: str
    program_types: list[str]
    required: bool = False
    values: list[str] = field(default_factory=list)  # empty: any value

    def render(self, with_values: bool) -> dict:
        out: dict = {"tagType": self.name,
                     "applicableProgramTypes": "[" + ",".join(self.program_types) + "]",
                     "required": self.required}
        if with_values:
            out["allowableValues"] = "[" + ", ".join(self.values) + "]"
        return out


class Catalog:
    """Channels and tag types of one instance (callers hold the instance's lock)."""

    def __init__(self, now: float) -> None:
        self.channels = {n: Channel(n, name, kind, list(statuses), now)
                         for n, (name, kind, statuses) in enumerate(DEFAULT_CHANNELS, 1)}
        self.tag_types: dict[str, TagType] = {}

    def channel(self, name: str) -> Channel | None:
        return next((c for c in self.channels.values() if c.name == name), None)

    def statuses_for(self, channel_name: str, program_type: str) -> list[tuple[str, int, bool]]:
        """The statuses a new program of that type on that channel gets (709 when the
        channel does not exist or serves another program type)."""
        found = self.channel(channel_name)
        if found is None:
            raise MarketoError("709", f"Channel '{channel_name[:80]}' not found")
        if found.program_type != CHANNEL_TYPES[program_type]:
            raise MarketoError("709", f"Channel '{found.name}' is for {found.program_type} "
                                      "programs")
        return list(found.statuses)

    def check_tags(self, tags: list[dict], program_type: str, *, creating: bool) -> None:
        """Each tag of a known type that applies to the program type, with an allowed value;
        on creation every required tag type of the program type is there (709)."""
        kind = TAG_TYPE_OF[program_type]
        for tag in tags:
            found = self.tag_types.get(tag["tagType"])
            if found is None:
                raise MarketoError("709", f"Tag type '{tag['tagType'][:80]}' not found")
            if kind not in found.program_types:
                raise MarketoError("709", f"Tag type '{found.name}' does not apply to "
                                          f"{kind} programs")
            if found.values and tag["tagValue"] not in found.values:
                raise MarketoError("709", f"'{tag['tagValue'][:80]}' is not an allowed value "
                                          f"of tag type '{found.name}'")
        if creating:
            given = {t["tagType"] for t in tags}
            for required in self.tag_types.values():
                if required.required and kind in required.program_types and \
                        required.name not in given:
                    raise MarketoError("709", f"Tag type '{required.name}' is required for "
                                              f"{kind} programs")

    # -- seeds and snapshots ---------------------------------------------------------
    def seed(self, channels: object, tag_types: object, now: float) -> None:
        if not isinstance(channels or [], list) or not isinstance(tag_types or [], list):
            raise ValueError("channels and tagTypes are lists")
        for spec in channels or []:  # type: ignore[attr-defined]  # a list: checked above
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or \
                    spec.get("applicableProgramType") not in CHANNEL_TYPES.values():
                raise ValueError("a channel is {name, applicableProgramType (program, event, "
                                 "webinar, nurture, email), progressionStatuses}")
            rows = spec.get("progressionStatuses") or []
            if not isinstance(rows, list) or not rows or not all(
                    isinstance(r, dict) and isinstance(r.get("name"), str)
                    and whole_number(r.get("step"), 0) is not None
                    and isinstance(r.get("success", False), bool) for r in rows):
                raise ValueError(f"channel {spec['name']!r}: progressionStatuses are "
                                 "[{name, step, success}]")
            old = self.channel(spec["name"])
            number = old.id if old else whole_number(spec.get("id"), 1) or \
                max(self.channels, default=0) + 1
            self.channels[number] = Channel(
                number, spec["name"], spec["applicableProgramType"],
                [(r["name"], int(r["step"]), bool(r.get("success", False))) for r in rows], now)
        for spec in tag_types or []:  # type: ignore[attr-defined]  # a list: checked above
            if not isinstance(spec, dict) or not isinstance(spec.get("tagType"), str) or \
                    not isinstance(spec.get("required", False), bool):
                raise ValueError("a tag type is {tagType, applicableProgramTypes, required, "
                                 "allowableValues}")
            kinds = spec.get("applicableProgramTypes", list(TAG_PROGRAM_TYPES))
            values = spec.get("allowableValues", [])
            if not isinstance(kinds, list) or not set(kinds) <= set(TAG_PROGRAM_TYPES) or \
                    not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"tag type {spec['tagType']!r}: applicableProgramTypes from "
                                 f"{', '.join(TAG_PROGRAM_TYPES)}, allowableValues strings")
            self.tag_types[spec["tagType"]] = TagType(spec["tagType"], list(kinds),
                                                      spec.get("required", False), list(values))

    def snapshot(self) -> dict:
        return {"channels": [{"id": c.id, "name": c.name,
                              "applicableProgramType": c.program_type,
                              "progressionStatuses": [{"name": n, "step": s, "success": ok}
                                                      for n, s, ok in c.statuses]}
                             for c in self.channels.values()],
                "tagTypes": [{"tagType": t.name, "applicableProgramTypes": t.program_types,
                              "required": t.required, "allowableValues": t.values}
                             for t in self.tag_types.values()]}
