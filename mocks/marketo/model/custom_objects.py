"""Custom object types and their records: a type is drafted (fields, dedupe fields, a link to
leads), approved, then records sync like any lead-database object. Editing an approved type
makes a draft beside it ("approvedWithDraft") until it is approved again or discarded."""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass, field

from vendorsim.mocks.core.clock import Clock, iso_utc
from vendorsim.mocks.core.locking import locked

from .errors import MarketoError, RecordError, reason
from .fields import FieldDef
from .objects import ObjectKind, ObjectStore
from .versions import Versioned

DATA_TYPES = ("string", "integer", "float", "currency", "date", "datetime", "boolean",
              "email", "phone", "url", "text", "link")
LINKABLE = {"Lead": ("id", "email"), "Company": ("id", "externalCompanyId")}
API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
TYPE_ACTIONS = ("createOnly", "updateOnly", "createOrUpdate")


@dataclass
class TypeVersion:
    display_name: str
    plural_name: str
    description: str = ""
    show_in_lead_detail: bool = False
    fields: list[dict] = field(default_factory=list)  # {name, displayName, dataType, ...}


@dataclass
class CustomObjectType(Versioned[TypeVersion]):
    api_name: str
    created_at: float
    updated_at: float
    draft: TypeVersion | None
    approved: TypeVersion | None = None

    @property
    def state(self) -> str:
        return self.version_state

    def kind(self, version: TypeVersion) -> ObjectKind:
        dedupe = tuple(f["name"] for f in version.fields if f.get("isDedupe"))
        links = [f for f in version.fields if f["dataType"] == "link"]
        searchable = [dedupe, ("marketoGUID",)] + [(f["name"],) for f in links]
        fields = [FieldDef("marketoGUID", "Marketo GUID", "string", 36, read_only=True),
                  FieldDef("createdAt", "Created At", "datetime", read_only=True),
                  FieldDef("updatedAt", "Updated At", "datetime", read_only=True)]
        for f in version.fields:
            data_type = f["dataType"]
            if data_type == "link":
                related = f["relatedTo"]
                data_type = "integer" if related["field"] == "id" else "string"
            fields.append(FieldDef(f["name"], f.get("displayName") or f["name"], data_type,
                                   255 if data_type in ("string", "email", "phone", "url")
                                   else None))
        relationships = tuple({"field": f["name"], "type": "parent",
                               "relatedTo": dict(f["relatedTo"])} for f in links)
        return ObjectKind(name=self.api_name, description=version.description,
                          id_field="marketoGUID", dedupe=dedupe,
                          searchable=tuple(s for s in searchable if s),
                          fields=tuple(fields), relationships=relationships)

    def render(self, version: TypeVersion, which: str) -> dict:
        kind = self.kind(version)
        return {"apiName": self.api_name, "displayName": version.display_name,
                "pluralName": version.plural_name, "description": version.description,
                "showInLeadDetail": version.show_in_lead_detail,
                "createdAt": iso_utc(self.created_at), "updatedAt": iso_utc(self.updated_at),
                "idField": "marketoGUID", "dedupeFields": list(kind.dedupe),
                "searchableFields": [list(s) for s in kind.searchable],
                "relationships": list(kind.relationships), "state": self.state,
                "version": which, "fields": [f.describe2() for f in kind.fields]}


class CustomObjects:
    """Every custom object type of one instance and the records of the approved ones;
    every operation takes the instance's lock."""

    def __init__(self, lock: threading.RLock, clock: Clock) -> None:
        self.lock = lock
        self.clock = clock
        self.types: dict[str, CustomObjectType] = {}
        self.stores: dict[str, ObjectStore] = {}

    def get(self, api_name: str) -> CustomObjectType:
        found = self.types.get(api_name)
        if found is None:
            raise MarketoError("1013", f"Custom object type '{api_name}' not found")
        return found

    @locked
    def store(self, api_name: str) -> ObjectStore:
        """The records of an approved type (1013 for an unknown or never approved one)."""
        store = self.stores.get(api_name)
        if store is None:
            raise MarketoError("1013", f"Custom object '{api_name}' not found")
        return store

    @locked
    def sync_type(self, body: dict) -> dict:
        action = body.get("action", "createOrUpdate")
        if action not in TYPE_ACTIONS:
            raise MarketoError("1003", f"Invalid action '{str(action)[:40]}'")
        api_name = body.get("apiName")
        if not isinstance(api_name, str) or not API_NAME.fullmatch(api_name):
            raise MarketoError("1003", "apiName is letters, digits and _ (at most 40)")
        texts = {k: body.get(k) for k in ("displayName", "pluralName", "description")}
        for key, value in texts.items():
            if value is not None and (not isinstance(value, str) or len(value) > 255):
                raise MarketoError("1003", f"Invalid data: {key} is a string")
        show = body.get("showInLeadDetail", False)
        if not isinstance(show, bool):
            raise MarketoError("1003", "Invalid data: showInLeadDetail is true or false")
        existing = self.types.get(api_name)
        now = self.clock.now()
        if existing is None:
            if action == "updateOnly":
                return {"apiName": api_name, "status": "skipped",
                        "reasons": [reason("1013", "Object not found")]}
            if not texts["displayName"]:
                raise MarketoError("701", what="displayName")
            self.types[api_name] = CustomObjectType(api_name, now, now, TypeVersion(
                texts["displayName"], texts["pluralName"] or texts["displayName"] + "s",
                texts["description"] or "", show))
            return {"apiName": api_name, "status": "created"}
        if action == "createOnly":
            return {"apiName": api_name, "status": "skipped",
                    "reasons": [reason("1017", "Object already exists")]}
        draft = self._draft(existing)
        draft.display_name = texts["displayName"] or draft.display_name
        draft.plural_name = texts["pluralName"] or draft.plural_name
        draft.description = texts["description"] if texts["description"] is not None \
            else draft.description
        draft.show_in_lead_detail = show
        existing.updated_at = now
        return {"apiName": api_name, "status": "updated"}

    def _draft(self, object_type: CustomObjectType) -> TypeVersion:
        return object_type.open_draft()

    @locked
    def add_fields(self, api_name: str, specs: list) -> list[dict]:
        draft = self._draft(self.get(api_name))
        results = []
        for seq, spec in enumerate(specs):
            try:
                clean = _field_spec(spec)
                if any(f["name"] == clean["name"] for f in draft.fields):
                    raise RecordError("1017", f"Field '{clean['name']}' already exists")
                draft.fields.append(clean)
                results.append({"seq": seq, "name": clean["name"], "status": "created"})
            except RecordError as exc:
                results.append({"seq": seq, "status": "skipped", "reasons": [exc.reason]})
        return results

    @locked
    def delete_fields(self, api_name: str, specs: list) -> list[dict]:
        draft = self._draft(self.get(api_name))
        results = []
        for seq, spec in enumerate(specs):
            name = spec.get("name") if isinstance(spec, dict) else None
            if not any(f["name"] == name for f in draft.fields):
                results.append({"seq": seq, "status": "skipped",
                                "reasons": [reason("1006", f"Field '{str(name)[:40]}' not "
                                                           f"found")]})
                continue
            draft.fields = [f for f in draft.fields if f["name"] != name]
            results.append({"seq": seq, "name": name, "status": "deleted"})
        return results

    @locked
    def update_field(self, api_name: str, field_name: str, spec: object) -> dict:
        draft = self._draft(self.get(api_name))
        target = next((f for f in draft.fields if f["name"] == field_name), None)
        if target is None:
            raise MarketoError("1006", field=field_name)
        if not isinstance(spec, dict) or set(spec) - {"displayName", "description"}:
            raise MarketoError("1003", "Only displayName and description can be updated")
        for key, value in spec.items():
            if not isinstance(value, str) or len(value) > 255:
                raise MarketoError("1003", f"Invalid data: {key} is a string")
            target[key] = value
        return {"seq": 0, "name": field_name, "status": "updated"}

    @locked
    def approve(self, api_name: str) -> dict:
        object_type = self.get(api_name)
        kind = object_type.kind(object_type.pending_draft())
        if not kind.dedupe:
            raise MarketoError("709", "A custom object needs at least one dedupe field")
        store = self.stores.get(api_name)
        if store is not None and store.records and store.kind.dedupe != kind.dedupe:
            raise MarketoError("709", "Dedupe fields cannot change while records exist")
        object_type.promote()
        object_type.updated_at = self.clock.now()
        if store is None:
            self.stores[api_name] = ObjectStore(kind, self.clock, self.lock)
        else:
            store.kind = kind
        return object_type.render(object_type.version(), "approved")

    @locked
    def discard(self, api_name: str) -> dict:
        object_type = self.get(api_name)
        object_type.discard_draft()
        return object_type.render(object_type.version(), "approved")

    @locked
    def delete_type(self, api_name: str) -> dict:
        self.get(api_name)
        store = self.stores.get(api_name)
        if store is not None and store.records:
            raise MarketoError("1022", "Object in use: delete its records first")
        del self.types[api_name]
        self.stores.pop(api_name, None)
        return {"apiName": api_name, "status": "deleted"}

    @locked
    def approved_types(self, names: set[str]) -> list[dict]:
        """List Custom Objects: the approved types (all, or those named)."""
        found = [t.render(t.version(), "approved") for t in self.types.values()
                 if t.approved is not None and (not names or t.api_name in names)]
        for item in found:
            item["name"] = item.pop("apiName")
            del item["fields"]
        return found

    @locked
    def listed_types(self, names: set[str], state: str) -> list[dict]:
        """List Custom Object Types: each in the state asked for (its draft, or approved)."""
        if state not in ("draft", "approved"):
            raise MarketoError("1003", "state is 'draft' or 'approved'")
        out = []
        for t in self.types.values():
            version = t.version(state == "draft")
            if not names or t.api_name in names:
                out.append(t.render(version, "draft" if version is t.draft else "approved"))
        return out

    @locked
    def describe_type(self, api_name: str, draft: bool) -> list[dict]:
        """A type, its draft or its approved version."""
        t = self.get(api_name)
        version = t.version(draft)
        return [t.render(version, "draft" if version is t.draft else "approved")]

    @locked
    def type_action(self, api_name: str, verb: str) -> dict:
        """approve, discardDraft or delete a type."""
        if verb == "approve":
            return self.approve(api_name)
        if verb == "discardDraft":
            return self.discard(api_name)
        return self.delete_type(api_name)

    @locked
    def dependent_assets(self, api_name: str) -> list[dict]:
        """Assets (smart lists, campaigns) that use the type: none in the mock."""
        self.get(api_name)
        return [{"apiName": api_name, "dependentAssets": []}]

    @staticmethod
    def field_types() -> list[dict]:
        return [{"dataType": t} for t in DATA_TYPES]

    @staticmethod
    def linkable() -> list[dict]:
        """The objects a link field may point at, with their fields."""
        return [{"name": name, "displayName": name, "pluralName": name + "s",
                 "fields": [{"name": f, "displayName": f,
                             "dataType": "integer" if f == "id" else "string"}
                            for f in fields]} for name, fields in LINKABLE.items()]

    # -- seeding and snapshots -------------------------------------------------------
    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("customObjects is a list of {apiName, displayName, fields, "
                             "records}")
        for spec in specs:
            if not isinstance(spec, dict):
                raise ValueError("a custom object type is an object")
            try:
                result = self.sync_type({k: spec[k] for k in ("apiName", "displayName",
                                                              "pluralName", "description")
                                         if k in spec})
                if result["status"] == "skipped":
                    raise MarketoError("1017", "Object already exists")
                bad = [r for r in self.add_fields(spec["apiName"], spec.get("fields") or [])
                       if r["status"] == "skipped"]
                if bad:
                    raise MarketoError("1003", bad[0]["reasons"][0]["message"])
                self.approve(spec["apiName"])
            except MarketoError as exc:
                raise ValueError(f"custom object {spec.get('apiName')!r}: {exc.text}") from None
            self.stores[spec["apiName"]].seed(spec.get("records") or [])

    def snapshot(self) -> list[dict]:
        out = []
        for object_type in self.types.values():
            version = object_type.approved
            if version is None:
                continue  # drafts are not kept across a snapshot (chosen)
            out.append({"apiName": object_type.api_name, "displayName": version.display_name,
                        "pluralName": version.plural_name, "description": version.description,
                        "fields": copy.deepcopy(version.fields),
                        "records": self.stores[object_type.api_name].snapshot()})
        return out


def _field_spec(spec: object) -> dict:
    if not isinstance(spec, dict):
        raise RecordError("1003", "Invalid data: each field is an object")
    name, data_type = spec.get("name"), spec.get("dataType")
    if not isinstance(name, str) or not API_NAME.fullmatch(name):
        raise RecordError("1003", "Field name is letters, digits and _ (at most 40)")
    if data_type not in DATA_TYPES:
        raise RecordError("1003", f"Invalid dataType for field '{name}'")
    clean: dict = {"name": name, "dataType": data_type}
    for key in ("displayName", "description"):
        value = spec.get(key)
        if value is not None:
            if not isinstance(value, str) or len(value) > 255:
                raise RecordError("1003", f"Invalid data: {key} is a string")
            clean[key] = value
    dedupe = spec.get("isDedupe", False)
    if not isinstance(dedupe, bool):
        raise RecordError("1003", "Invalid data: isDedupe is true or false")
    clean["isDedupe"] = dedupe
    if data_type == "link":
        related = spec.get("relatedTo")
        if not (isinstance(related, dict) and related.get("name") in LINKABLE
                and related.get("field") in LINKABLE[related["name"]]):
            raise RecordError("1003", "A link field needs relatedTo {name: Lead|Company, "
                                      "field}")
        clean["relatedTo"] = {"name": related["name"], "field": related["field"]}
    return clean
