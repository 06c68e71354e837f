"""Custom activity types (the Activities metadata API) and adding custom activities.

A type is created as a draft, gets attributes, and is approved before activities of it can
be added; editing an approved type makes a draft beside it. Ids start at 100000, as custom
activity type ids do in Marketo.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from vendorsim.mocks.core.clock import Clock, iso_utc, parse_time
from vendorsim.mocks.core.ids import IdSequence
from vendorsim.mocks.core.locking import locked

from .errors import MarketoError, RecordError
from .versions import Versioned

API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
DATA_TYPES = ("string", "text", "integer", "float", "boolean", "date", "datetime", "email",
              "phone", "url", "currency", "link")
FIRST_ID = 100_000


@dataclass
class ActivityTypeVersion:
    name: str
    trigger_name: str
    filter_name: str
    description: str
    primary: dict  # {apiName, name, dataType, description}
    attributes: list[dict] = field(default_factory=list)


@dataclass
class CustomActivityType(Versioned[ActivityTypeVersion]):
    id: int
    api_name: str
    created_at: float
    updated_at: float
    draft: ActivityTypeVersion | None
    approved: ActivityTypeVersion | None = None

    @property
    def status(self) -> str:
        return self.version_state

    def render(self, version: ActivityTypeVersion) -> dict:
        return {"id": self.id, "apiName": self.api_name, "name": version.name,
                "description": version.description, "triggerName": version.trigger_name,
                "filterName": version.filter_name, "status": self.status,
                "createdAt": iso_utc(self.created_at), "updatedAt": iso_utc(self.updated_at),
                "primaryAttribute": dict(version.primary),
                "attributes": [dict(a) for a in version.attributes]}

    def describe_type(self) -> dict:
        """As `activities/types.json` lists it (approved types only)."""
        version = self.approved
        assert version is not None
        return {"id": self.id, "name": version.name, "description": version.description,
                "primaryAttribute": {"name": version.primary["name"],
                                     "dataType": version.primary["dataType"]},
                "attributes": [{"name": a["name"], "dataType": a["dataType"]}
                               for a in version.attributes]}


class CustomActivityTypes:
    """The custom activity types of one instance; every operation takes its lock."""

    def __init__(self, lock: threading.RLock, clock: Clock, ids: IdSequence | None = None
                 ) -> None:
        self.lock = lock
        self.clock = clock
        self.ids = ids or IdSequence("activityTypes", FIRST_ID)  # never reused, even deleted
        self.types: dict[str, CustomActivityType] = {}

    @locked
    def listed(self) -> list[dict]:
        """Every type, drafts included (its draft where it has one)."""
        return [t.render(t.latest())
                for t in self.types.values()]

    @locked
    def approved_types(self) -> list[dict]:
        """Approved types as `activities/types.json` lists them."""
        return [t.describe_type() for t in self.types.values() if t.approved is not None]

    @locked
    def describe(self, api_name: str, draft: bool) -> list[dict]:
        """A type, its approved version or (draft) its draft."""
        found = self.get(api_name)
        return [found.render(found.version(draft))]

    @locked
    def act(self, api_name: str, verb: str) -> dict:
        """approve, discardDraft or delete a type."""
        if verb == "approve":
            return self.approve(api_name)
        if verb == "discardDraft":
            return self.discard(api_name)
        return self.delete(api_name)

    def get(self, api_name: str) -> CustomActivityType:
        found = self.types.get(api_name)
        if found is None:
            raise MarketoError("1013", f"Activity type '{api_name[:40]}' not found")
        return found

    def by_id(self, type_id: int) -> CustomActivityType | None:
        return next((t for t in self.types.values() if t.id == type_id), None)

    @locked
    def create(self, body: dict, type_id: int | None = None) -> dict:
        now = self.clock.now()
        api_name = body.get("apiName")
        if not isinstance(api_name, str) or not API_NAME.fullmatch(api_name):
            raise MarketoError("1003", "apiName is letters, digits and _ (at most 40)")
        if api_name in self.types:
            raise MarketoError("1017", f"Activity type '{api_name}' already exists")
        version = ActivityTypeVersion(
            name=_text(body, "name", required=True), trigger_name=_text(body, "triggerName",
                                                                        required=True),
            filter_name=_text(body, "filterName", required=True),
            description=_text(body, "description"),
            primary=_attribute(body.get("primaryAttribute"), "primaryAttribute"))
        if type_id is None:
            type_id = self.ids.take()
        elif type_id < FIRST_ID or self.by_id(type_id) is not None:
            raise MarketoError("1003", f"id {type_id} is not a free custom type id")
        self.ids.note(type_id)
        created = self.types[api_name] = CustomActivityType(type_id, api_name, now, now,
                                                            version)
        return created.render(version)

    @locked
    def update(self, api_name: str, body: dict) -> dict:
        now = self.clock.now()
        found = self.get(api_name)
        draft = self._draft(found)
        for key, attr in (("name", "name"), ("triggerName", "trigger_name"),
                          ("filterName", "filter_name"), ("description", "description")):
            if key in body:
                setattr(draft, attr, _text(body, key, required=key != "description"))
        if "primaryAttribute" in body:
            draft.primary = _attribute(body["primaryAttribute"], "primaryAttribute")
        found.updated_at = now
        return found.render(draft)

    def _draft(self, found: CustomActivityType) -> ActivityTypeVersion:
        return found.open_draft()

    @locked
    def change_attributes(self, api_name: str, specs: object, how: str) -> dict:
        found = self.get(api_name)
        if not isinstance(specs, list) or not specs:
            raise MarketoError("701", what="attributes")
        draft = self._draft(found)
        for spec in specs:
            if how == "delete":
                name = spec.get("apiName") if isinstance(spec, dict) else None
                if not any(a["apiName"] == name for a in draft.attributes):
                    raise MarketoError("1013", f"Attribute '{str(name)[:40]}' not found")
                draft.attributes = [a for a in draft.attributes if a["apiName"] != name]
                continue
            clean = _attribute(spec, "attributes")
            existing = [a for a in draft.attributes if a["apiName"] == clean["apiName"]]
            if how == "create" and existing:
                raise MarketoError("1017", f"Attribute '{clean['apiName']}' already exists")
            if how == "update" and not existing:
                raise MarketoError("1013", f"Attribute '{clean['apiName']}' not found")
            draft.attributes = [a for a in draft.attributes if a["apiName"] != clean["apiName"]]
            draft.attributes.append(clean)
        return found.render(draft)

    @locked
    def approve(self, api_name: str) -> dict:
        found = self.get(api_name)
        found.promote()
        found.updated_at = self.clock.now()
        return found.render(found.version())

    def discard(self, api_name: str) -> dict:
        found = self.get(api_name)
        found.discard_draft()
        return found.render(found.version())

    def delete(self, api_name: str) -> dict:
        found = self.get(api_name)
        del self.types[api_name]
        return {"id": found.id, "apiName": api_name}

    def check_activity(self, item: object, leads: Mapping) -> tuple:
        """One custom activity to add: (leadId, typeId, at, primaryValue, attributes)."""
        if not isinstance(item, dict):
            raise RecordError("1003", "Invalid data: each activity is an object")
        lead_id, type_id = item.get("leadId"), item.get("activityTypeId")
        if not isinstance(lead_id, int) or isinstance(lead_id, bool) or lead_id not in leads:
            raise RecordError("1004")
        found = self.by_id(type_id) if isinstance(type_id, int) else None
        if found is None or found.approved is None:
            raise RecordError("1013", "Activity type not found or not approved")
        try:
            at = parse_time(item.get("activityDate"))  # type: ignore[arg-type]  # bad types are caught below
        except (ValueError, TypeError, OverflowError):
            raise RecordError("1003", "activityDate is an ISO-8601 date-time") from None
        primary = item.get("primaryAttributeValue")
        if primary is None or isinstance(primary, dict | list):
            raise RecordError("1003", "primaryAttributeValue is required")
        known = {a["apiName"]: a["name"] for a in found.approved.attributes}
        pairs = []
        for attr in item.get("attributes") or []:
            if not isinstance(attr, dict) or attr.get("apiName") not in known or \
                    isinstance(attr.get("value"), dict | list):
                raise RecordError("1006", f"Attribute '{str(attr)[:40]}' not found")
            pairs.append((known[attr["apiName"]], attr.get("value")))
        return lead_id, found.id, at, primary, tuple(pairs)

    def snapshot(self) -> list[dict]:
        return [{"apiName": t.api_name, **{k: v for k, v in t.render(t.version()).items()
                                           if k in ("id", "name", "triggerName", "filterName",
                                                    "description", "primaryAttribute",
                                                    "attributes")}}
                for t in self.types.values() if t.approved is not None]

    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("customActivityTypes is a list of objects")
        for spec in specs:
            if not isinstance(spec, dict):
                raise ValueError("a custom activity type is an object")
            try:
                type_id = spec.get("id")
                if type_id is not None and (isinstance(type_id, bool) or
                                            not isinstance(type_id, int)):
                    raise ValueError(f"custom activity type {spec.get('apiName')!r}: id is a "
                                     "whole number")
                self.create(spec, type_id)
                if spec.get("attributes"):
                    self.change_attributes(spec["apiName"], spec["attributes"], "create")
                self.approve(spec["apiName"])
            except MarketoError as exc:
                raise ValueError(f"custom activity type {spec.get('apiName')!r}: "
                                 f"{exc.text}") from None


def _text(body: dict, key: str, required: bool = False) -> str:
    value = body.get(key)
    if value in (None, "") and not required:  # an empty description is no description
        return ""
    if not isinstance(value, str) or not value or len(value) > 255:
        raise MarketoError("1003", f"Invalid data: {key} is a string of 1 to 255 characters")
    return value


def _attribute(spec: object, what: str) -> dict:
    if not isinstance(spec, dict):
        raise MarketoError("1003", f"Invalid data: {what} is an object {{apiName, name, "
                                   f"dataType}}")
    api_name = spec.get("apiName")
    if not isinstance(api_name, str) or not API_NAME.fullmatch(api_name):
        raise MarketoError("1003", f"Invalid data: {what}.apiName is letters, digits and _")
    if spec.get("dataType") not in DATA_TYPES:
        raise MarketoError("1003", f"Invalid data: {what}.dataType is one of "
                                   f"{', '.join(DATA_TYPES)}")
    return {"apiName": api_name, "name": _text(spec, "name", required=True),
            "dataType": spec["dataType"], "description": _text(spec, "description")}

