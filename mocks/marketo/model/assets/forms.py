"""Forms (Adobe's Forms page): made in a Forms folder or a program with First Name, Last Name
and Email; styling, known-visitor behaviour, follow-up (thank-you) rules and the submit
button are the draft's; approving always works, deleting needs no unapproval but no landing
page may use the form; there is no unapprove. Fields, fieldsets, rich text, visibility rules
and positions are in `form_fields.py`.

Chosen where Adobe is silent: the defaults of a new form are those of Adobe's examples
(theme simple, English/en_US, labels left, Helvetica 13px, button "Submit" at 120,
"Please Wait")."""

from __future__ import annotations

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import Ref, flag, json_value, text_value
from .form_fields import FormFields, default_fields, sync_profiling
from .versioned import Asset, Kind

SETTINGS = ("theme", "language", "locale", "labelPosition", "fontFamily", "fontSize",
            "customCss")
DEFAULTS = {"theme": "simple", "language": "English", "locale": "en_US",
            "labelPosition": "left", "fontFamily": "Helvetica", "fontSize": "13px",
            "customCss": ""}
FOLLOWUP_TYPES = ("lp", "url", "none")


class FormStore(FormFields):
    kind = Kind("form", "Form", "FO", ("Landing Page Form",), in_programs=True,
                full_answers=frozenset({"update", "approve", "clone", "button"}),
                unapprove_to_delete=False)
    browse_statuses = ("approved", "approved with draft", "draft")

    def render(self, asset: Asset, status: str, version: dict) -> dict:
        settings, button = version["settings"], version["button"]
        out = {**self.base(asset, status), **{k: settings[k] for k in SETTINGS
                                              if k != "customCss"},
               "progressiveProfiling": settings["progressiveProfiling"],
               "knownVisitor": dict(settings["knownVisitor"]),
               "thankYouList": [dict(t) for t in version["thankYouList"]],
               "buttonLocation": button["location"], "buttonLabel": button["label"],
               "waitingLabel": button["waitingLabel"]}
        out["url"] = out["url"].replace("A1", "B2")
        return out

    def users(self, asset: Asset) -> list[tuple[str, Ref]]:
        return [(f"landing page {p.id}", p.folder)
                for p in self.world.landing_pages.assets.values()
                if any(v is not None and any(s["type"] == "Form" and
                                             str(s["value"]) == str(asset.id)
                                             for s in v["sections"])
                       for v in (p.draft, p.approved))]

    def probe(self, asset: Asset, status: str) -> None:
        self.fields(asset.id, status)
        self.thank_you(asset.id, status)

    @staticmethod
    def _known_visitor(raw: object) -> dict | None:
        if raw in (None, ""):
            return None
        value = json_value(raw, "knownVisitor")
        if not isinstance(value, dict) or value.get("type") not in ("form", "callback") or \
                not isinstance(value.get("template"), str | None):
            raise MarketoError("1003", "knownVisitor is {type: form|callback, template}")
        return {"type": value["type"], "template": value.get("template")}

    def _settings(self, form: dict, base: dict) -> dict:
        out = dict(base)
        for key in SETTINGS:
            value = text_value(form.get(key), key, 10000)
            if value is not None:
                out[key] = value
        if out["labelPosition"] not in ("left", "above"):
            raise MarketoError("1003", "labelPosition is left or above")
        profiling = flag(form.get("progressiveProfiling"), "progressiveProfiling")
        if profiling is not None:
            out["progressiveProfiling"] = profiling
        visitor = self._known_visitor(form.get("knownVisitor"))
        if visitor is not None:
            out["knownVisitor"] = visitor
        return out

    @locked
    def create(self, form: dict) -> list[dict]:
        settings = self._settings(form, {**DEFAULTS, "progressiveProfiling": False,
                                         "knownVisitor": {"type": "form", "template": None}})
        version = {"settings": settings, "fields": default_fields(), "nested": {},
                   "button": {"label": "Submit", "location": 120, "style": "simple",
                              "waitingLabel": "Please Wait"},
                   "thankYouList": [{"followupType": "none", "followupValue": None,
                                     "default": True}]}
        sync_profiling(version)
        asset = self.add(form.get("name"), form.get("folder"), form.get("description"),
                         version)
        return [self.render(asset, "draft", version)]

    @locked
    def update_meta(self, asset_id: int, form: dict) -> list[dict]:
        asset = self.find(asset_id)
        settings = self._settings(form, asset.latest()["settings"])
        self.update(asset_id, form.get("name"), form.get("description"))
        asset, draft = self.editing(asset_id)
        draft["settings"] = settings
        sync_profiling(draft)
        self.save(asset, draft)
        return self.answer(asset, "update")

    @locked
    def thank_you(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        found = asset.versions(status) if asset else []
        if not found:
            return []
        return [{"id": asset_id, "thankYouList": [dict(t) for t in found[0][1]["thankYouList"]]}]

    @locked
    def set_thank_you(self, asset_id: int, raw: object) -> list[dict]:
        """The follow-up rules, replaced whole: exactly one default; lp names a page."""
        if raw in (None, ""):
            raise MarketoError("701", what="thankyou")
        rules = json_value(raw, "thankyou")
        if not isinstance(rules, list) or not rules or not all(isinstance(r, dict)
                                                              for r in rules):
            raise MarketoError("1003", "thankyou is an array of follow-up rules")
        clean = []
        for rule in rules:
            kind = rule.get("followupType")
            if kind not in FOLLOWUP_TYPES:
                raise MarketoError("1003", "followupType is lp, url or none")
            value = rule.get("followupValue")
            if kind == "lp":
                page = whole_number(value, 1)
                if page is None or page not in self.world.landing_pages.assets:
                    raise MarketoError("709", f"Landing page '{str(value)[:40]}' not found")
            values = rule.get("values", [])
            if not isinstance(values, list) or not isinstance(rule.get("default", False), bool):
                raise MarketoError("1003", "values is an array and default true or false")
            clean.append({"followupType": kind, "followupValue": value,
                          "operator": rule.get("operator"),
                          "subjectField": rule.get("subjectField"),
                          "values": [str(v) for v in values],
                          "default": rule.get("default", False)})
        if sum(r["default"] for r in clean) != 1:
            raise MarketoError("1003", "Exactly one follow-up rule is the default")
        asset, draft = self.editing(asset_id)
        draft["thankYouList"] = clean
        self.save(asset, draft)
        return [{"id": asset_id, "thankYouList": [dict(t) for t in clean]}]

    @locked
    def set_button(self, asset_id: int, form: dict) -> list[dict]:
        position = form.get("buttonPosition")
        location = whole_number(position, 0) if position not in (None, "") else None
        if position not in (None, "") and location is None:
            raise MarketoError("1003", "buttonPosition is a whole number")
        asset, draft = self.editing(asset_id)
        button = draft["button"]
        if location is not None:
            button["location"] = location
        for key, param in (("style", "buttonStyle"), ("label", "label"),
                           ("waitingLabel", "waitingLabel")):
            value = text_value(form.get(param), param, 255)
            if value is not None:
                button[key] = value
        self.save(asset, draft)
        return self.answer(asset, "button")

    @locked
    def used_by(self, asset_id: int, offset: int, limit: int) -> list[dict]:
        self.find(asset_id)
        found = []
        for page in self.world.landing_pages.assets.values():
            for status, version in page.versions(None):
                if any(s["type"] == "Form" and str(s["value"]) == str(asset_id)
                       for s in version["sections"]):
                    found.append({"id": page.id, "name": page.name, "type": "Landing Page",
                                  "status": status,
                                  "updatedAt": self.base(page, status)["updatedAt"]})
        return found[offset:offset + limit]
