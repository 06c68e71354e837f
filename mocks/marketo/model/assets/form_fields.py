"""A form's fields (Adobe's Forms page, "Field Metadata" to "Progressive Profiling"): lead
fields (and, for forms in programs, program member fields) added once each, placed in a
grid of 3 columns and 10 rows, updated, deleted; fieldsets whose field lists are set by
rearranging; rich text (HTML without scripts, meta or link tags); a visibility rule per
field; progressive profiling as the `Profiling` fieldset."""

from __future__ import annotations

import base64
import re

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.locking import locked

from ... import facts
from ..errors import MarketoError
from ..program_records import MEMBER_FIELDS
from .common import flag, json_value
from .versioned import VersionedStore

FORM_TYPES = {"string": "text", "text": "textarea", "email": "email", "phone": "phone",
              "url": "url", "integer": "number", "score": "number", "float": "number",
              "percent": "number", "currency": "currency", "boolean": "checkbox",
              "date": "date", "datetime": "date"}
OPERATORS = ("is", "isNot", "isEmpty", "isNotEmpty", "startsWith", "notStartsWith", "endsWith",
             "notEndsWith", "contains", "notContains", "greaterThan", "lessThan", "atLeast",
             "atMost", "between", "notBetween", "notInTimeFrame", "inPast", "notInPast",
             "after", "before", "inTimeFrame", "onOrAfter", "onOrBefore")
RULE_TYPES = ("show", "alwaysShow", "hide")
FORBIDDEN = re.compile(r"<\s*(script|meta|link)\b", re.I)
TEXT_PARAMS = ("label", "hintText", "instructions", "defaultValue", "validationMessage",
               "maskInput")
NUMBER_PARAMS = ("fieldWidth", "labelWidth", "maxLength", "blankFields", "visibleLines")
FLAG_PARAMS = ("required", "formPrefill", "isSensitive", "initiallyChecked", "labelToRight",
               "multiSelect")


def _field(field_id: str, label: str, data_type: str, row: int, length: int | None) -> dict:
    out = {"id": field_id, "label": label, "dataType": data_type,
           "validationMessage": "This field is required.", "rowNumber": row,
           "columnNumber": 0, "required": False, "formPrefill": True,
           "visibilityRules": {"ruleType": "alwaysShow"}}
    if length:
        out["maxLength"] = length
    return out


def default_fields() -> list[dict]:
    return [_field("FirstName", "First Name:", "text", 0, 255),
            _field("LastName", "Last Name:", "text", 1, 255),
            _field("Email", "Email Address:", "email", 2, None)]


class FormFields(VersionedStore):
    """The field operations of the form store."""

    def available(self, in_program: bool) -> dict[str, dict]:
        """The fields a form may use: lead fields by their SOAP-style names, program member
        fields when the form sits in a program."""
        out = {}
        for spec in self.world.owner.leads.schema.fields.values():
            if spec.read_only or spec.data_type == "reference":
                continue
            name = spec.name[0].upper() + spec.name[1:]
            out[name] = {"id": name, "isRequired": False,
                         "dataType": FORM_TYPES.get(spec.data_type, "text"),
                         **({"maxLength": spec.length} if spec.length else {})}
        if in_program:
            out.update(self.member_fields())
        return out

    @staticmethod
    def member_fields() -> dict[str, dict]:
        return {f.name: {"id": f.name, "isRequired": False,
                         "dataType": FORM_TYPES.get(f.data_type, "text"),
                         **({"maxLength": f.length} if f.length else {})}
                for f in MEMBER_FIELDS if not f.read_only}

    @locked
    def fields_list(self, offset: int, limit: int, members: bool) -> list[dict]:
        found = list(self.member_fields().values() if members
                     else self.available(False).values())
        return found[offset:offset + limit]

    @locked
    def fields(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        found = asset.versions(status) if asset else []
        return [dict(f) for f in found[0][1]["fields"]] if found else []

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _all_ids(draft: dict) -> list[str]:
        """Every field on the form: the top-level ones and those inside fieldsets."""
        return [f["id"] for f in draft["fields"]] + list(draft["nested"])

    @staticmethod
    def _free_cell(draft: dict) -> tuple[int, int]:
        taken = {(f["rowNumber"], f["columnNumber"]) for f in draft["fields"]}
        rows, columns = facts.FORM_GRID[1], facts.FORM_GRID[0]
        bottom = max((r for r, _ in taken), default=-1) + 1
        if bottom < rows:
            return bottom, 0
        free = next(((r, c) for r in range(rows) for c in range(columns)
                     if (r, c) not in taken), None)
        if free is None:
            raise MarketoError("709", "The form is full: 3 columns by 10 rows")
        return free

    @staticmethod
    def _apply(target: dict, form: dict) -> None:
        """The properties an add or update call sets (1003 for wrong kinds)."""
        for key in TEXT_PARAMS:
            if form.get(key) is not None:
                target[key] = str(form[key])[:2000]
        for key in NUMBER_PARAMS:
            if form.get(key) not in (None, ""):
                number = whole_number(form[key], 0, 32000)
                if number is None:
                    raise MarketoError("1003", f"{key} is a whole number")
                target[key] = number
        for key in FLAG_PARAMS:
            value = flag(form.get(key), key)
            if value is not None:
                target[key] = value
        meta = dict(target.get("fieldMetaData") or {})
        for key in ("minValue", "maxValue"):
            if form.get(key) not in (None, ""):
                try:
                    meta[key] = float(form[key])
                except (TypeError, ValueError):
                    raise MarketoError("1003", f"{key} is a number") from None
        if form.get("values") not in (None, ""):
            values = json_value(form["values"], "values")
            if not isinstance(values, list) or not all(
                    isinstance(v, dict) and isinstance(v.get("label"), str) for v in values):
                raise MarketoError("1003", "values is [{label, value, isDefault}]")
            meta["values"] = values
            target["dataType"] = "select"
        if form.get("fieldType") not in (None, ""):
            target["dataType"] = str(form["fieldType"])
        if meta:
            target["fieldMetaData"] = meta

    def _field(self, draft: dict, field_id: str) -> dict:
        found = next((f for f in draft["fields"] if f["id"] == field_id),
                     draft["nested"].get(field_id))
        if found is None:
            raise MarketoError("702", f"Field '{field_id[:60]}' not found on the form")
        return found

    # -- fields ----------------------------------------------------------------------------
    @locked
    def add_field(self, asset_id: int, form: dict) -> list[dict]:
        asset, draft = self.editing(asset_id)
        field_id = form.get("fieldId")
        if not field_id:
            raise MarketoError("701", what="fieldId")
        known = self.available(self.world.tree.program_of(asset.folder) is not None)
        if field_id not in known:
            raise MarketoError("709" if field_id in self.member_fields() else "1003",
                               f"Field '{str(field_id)[:60]}' cannot be used on this form")
        if field_id in self._all_ids(draft):
            raise MarketoError("709", f"Field '{field_id}' is already on the form")
        row, column = self._free_cell(draft)
        meta = known[field_id]
        added = _field(field_id, f"{field_id}:", meta["dataType"], row, meta.get("maxLength"))
        added["columnNumber"] = column
        self._apply(added, form)
        draft["fields"].append(added)
        self.save(asset, draft)
        return [dict(added)]

    @locked
    def update_field(self, asset_id: int, field_id: str, form: dict) -> list[dict]:
        asset, draft = self.editing(asset_id)
        found = self._field(draft, field_id)
        self._apply(found, form)
        self.save(asset, draft)
        return [dict(found)]

    @locked
    def delete_field(self, asset_id: int, field_id: str) -> list[dict]:
        asset, draft = self.editing(asset_id)
        found = self._field(draft, field_id)
        draft["fields"] = [f for f in draft["fields"] if f is not found]
        draft["nested"].pop(field_id, None)
        for other in [*draft["fields"], *draft["nested"].values()]:
            if field_id in other.get("fields", []):
                other["fields"] = [c for c in other["fields"] if c != field_id]
            if other.get("visibilityRules", {}).get("rules"):
                other["visibilityRules"]["rules"] = [
                    r for r in other["visibilityRules"]["rules"] if r["subjectField"] != field_id]
        self.save(asset, draft)
        return [{"id": asset.id}]

    @locked
    def add_fieldset(self, asset_id: int, label: object) -> list[dict]:
        asset, draft = self.editing(asset_id)
        if not isinstance(label, str) or not label.strip():
            raise MarketoError("701", what="label")
        row, column = self._free_cell(draft)
        number = 1 + sum(1 for f in draft["fields"] if f["dataType"] == "fieldset")
        added = {"id": f"FieldSet_{number}", "label": label, "dataType": "fieldset",
                 "rowNumber": row, "columnNumber": column, "fields": [],
                 "visibilityRules": {"ruleType": "alwaysShow"}}
        draft["fields"].append(added)
        self.save(asset, draft)
        return [dict(added)]

    @locked
    def remove_from_fieldset(self, asset_id: int, fieldset_id: str, field_id: str
                             ) -> list[dict]:
        asset, draft = self.editing(asset_id)
        fieldset = self._field(draft, fieldset_id)
        if field_id not in fieldset.get("fields", []):
            raise MarketoError("702", f"Field '{field_id[:60]}' is not in fieldset "
                                      f"'{fieldset_id[:60]}'")
        fieldset["fields"] = [f for f in fieldset["fields"] if f != field_id]
        draft["nested"].pop(field_id, None)
        self.save(asset, draft)
        return [{"id": asset.id}]

    @locked
    def add_rich_text(self, asset_id: int, text: object) -> list[dict]:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if not isinstance(text, str) or not text.strip():
            raise MarketoError("701", what="text")
        if FORBIDDEN.search(text):
            raise MarketoError("709", "Rich text may not contain scripts, meta or link tags")
        asset, draft = self.editing(asset_id)
        row, column = self._free_cell(draft)
        stamp = f"HtmlText_{self.clock.now():.6f}_{len(draft['fields'])}"
        added = {"id": base64.b64encode(stamp.encode()).decode(), "labelWidth": 260,
                 "dataType": "htmltext", "rowNumber": row, "columnNumber": column,
                 "visibilityRules": {"ruleType": "alwaysShow"}, "text": text}
        draft["fields"].append(added)
        self.save(asset, draft)
        return [dict(added)]

    @locked
    def set_visibility(self, asset_id: int, field_id: str, raw: object) -> list[dict]:
        asset, draft = self.editing(asset_id)
        found = self._field(draft, field_id)
        if raw in (None, ""):
            raise MarketoError("701", what="visibilityRule")
        rule = json_value(raw, "visibilityRule")
        if not isinstance(rule, dict) or rule.get("ruleType") not in RULE_TYPES or \
                not isinstance(rule.get("rules", []), list):
            raise MarketoError("1003", "visibilityRule is {ruleType: show|alwaysShow|hide, "
                                       "rules: [...]}")
        rules = []
        for item in rule.get("rules", []):
            if not isinstance(item, dict) or item.get("operator") not in OPERATORS or \
                    not isinstance(item.get("values", []), list):
                raise MarketoError("1003", "Each rule is {subjectField, operator, values, "
                                           "altLabel}")
            if item.get("subjectField") not in self._all_ids(draft):
                raise MarketoError("1003", f"subjectField '{str(item.get('subjectField'))[:60]}'"
                                           " is not on the form")
            rules.append({"subjectField": item["subjectField"], "operator": item["operator"],
                          "values": [str(v) for v in item.get("values", [])],
                          "altLabel": item.get("altLabel")})
        found["visibilityRules"] = {"ruleType": rule["ruleType"], "rules": rules}
        self.save(asset, draft)
        return [{"formFieldId": field_id, "ruleType": rule["ruleType"], "rules": rules}]

    @locked
    def rearrange(self, asset_id: int, raw: object) -> list[dict]:
        """Every top-level field once, each in its own cell; a fieldset's fieldList names
        the form's fields it holds."""
        asset, draft = self.editing(asset_id)
        if raw in (None, ""):
            raise MarketoError("701", what="positions")
        positions = json_value(raw, "positions")
        columns, rows = facts.FORM_GRID
        if not isinstance(positions, list) or not all(
                isinstance(p, dict) and isinstance(p.get("fieldName"), str)
                and whole_number(p.get("columnNumber"), 0, columns - 1) is not None
                and whole_number(p.get("rowNumber"), 0, rows - 1) is not None
                for p in positions):
            raise MarketoError("1003", "positions is [{columnNumber 0-2, rowNumber 0-9, "
                                       "fieldName, fieldList}]")
        pool = {**draft["nested"], **{f["id"]: f for f in draft["fields"]}}
        named = [p["fieldName"] for p in positions]
        children = [c.get("fieldName") for p in positions
                    for c in (p.get("fieldList") or []) if isinstance(c, dict)]
        cells = {(int(p["rowNumber"]), int(p["columnNumber"])) for p in positions}
        if sorted(named + children) != sorted(pool) or len(cells) != len(positions):
            raise MarketoError("1003", "positions must place every field of the form once, "
                                       "each in its own cell")
        for p in positions:
            item = pool[p["fieldName"]]
            if p.get("fieldList") and item["dataType"] not in ("fieldset", "profiling"):
                raise MarketoError("1003", f"'{item['id']}' is not a fieldset")
        for p in positions:
            item = pool[p["fieldName"]]
            item["rowNumber"], item["columnNumber"] = int(p["rowNumber"]), int(p["columnNumber"])
            if item["dataType"] in ("fieldset", "profiling"):
                item["fields"] = [c["fieldName"] for c in p.get("fieldList") or []]
                for n, child in enumerate(p.get("fieldList") or []):
                    pool[child["fieldName"]]["rowNumber"] = whole_number(
                        child.get("rowNumber"), 0) or n
                    pool[child["fieldName"]]["columnNumber"] = whole_number(
                        child.get("columnNumber"), 0) or 0
        draft["fields"] = [pool[n] for n in named]
        draft["nested"] = {n: pool[n] for n in children}
        self.save(asset, draft)
        return [{"id": asset.id}]


def sync_profiling(draft: dict) -> None:
    """Progressive profiling on: the Profiling fieldset is there; off: it is gone."""
    has = any(f["id"] == "Profiling" for f in draft["fields"])
    if draft["settings"]["progressiveProfiling"] and not has:
        row = max((f["rowNumber"] for f in draft["fields"]), default=-1) + 1
        draft["fields"].append({"id": "Profiling", "dataType": "profiling", "rowNumber": row,
                                "columnNumber": 0, "fields": []})
    elif not draft["settings"]["progressiveProfiling"] and has:
        draft["fields"] = [f for f in draft["fields"] if f["id"] != "Profiling"]
