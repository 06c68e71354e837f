"""A landing page's content (Adobe's Landing Pages page, "Manage Content Section", "Dynamic
Content", "Variables", "Preview"): sections ordered by index, each of a type whose value is
HTML (RichText, HTML), an id (Form, Image, Snippet), or nothing (Rectangle); a section made
DynamicContent on an approved segmentation keeps its content as the default and takes
content per segment; guided pages have their template's variables; the full content is
the template's HTML with the sections filled in (free-form pages: inside `mktoContent`)."""

from __future__ import annotations

import re

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import flag, json_value
from .markup import fill, parse
from .versioned import Asset, VersionedStore

ADD_TYPES = ("Image", "Form", "Rectangle", "Snippet", "RichText", "HTML")
UPDATE_TYPES = (*ADD_TYPES, "DynamicContent")
FORMATTING = ("backgroundColor", "borderColor", "borderStyle", "borderWidth", "height", "left",
              "opacity", "top", "width", "zIndex")
GUIDED = {"Text": "RichText", "Image": "Image", "Form": "Form", "Snippet": "Snippet",
          "Video": "Video", "HTML": "HTML"}
CONTENT_DIV = re.compile(r'(<div[^>]*\bid\s*=\s*["\']mktoContent["\'][^>]*>)', re.I)
TOKEN = re.compile(r"\{\{\s*(my|lead)\.([^}|]+?)\s*(?:\|[^}]*)?\}\}", re.I)


def template_sections(template: dict) -> list[dict]:
    """The sections a guided template gives a new page (a free-form one gives none)."""
    if template["templateType"] != "guided":
        return []
    return [{"id": s.html_id, "type": GUIDED[s.kind], "index": n,
             "value": s.inner.strip() if s.kind in ("Text", "HTML") else "",
             "formatting": {}, "segmentation": None}
            for n, s in enumerate(parse(template["content"]).editable) if s.kind in GUIDED]


class LandingPageContent(VersionedStore):
    """The content operations of the landing page store."""

    def template_variables(self, version: dict) -> list[dict]:
        raise NotImplementedError

    def _render_section(self, section: dict) -> dict:
        kind, value = section["type"], section["value"]
        if section["segmentation"] is not None:
            content: object = {"segmentation": section["segmentation"], "default": value}
            kind = "DynamicContent"
        elif kind in ("RichText", "HTML"):
            content = value
        elif kind == "Rectangle":
            content = None
        else:
            content = {"content": value, "contentType": kind}
        return {"id": section["id"], "type": kind, "index": section["index"],
                "content": content, "formattingOptions": dict(section["formatting"])}

    @locked
    def content(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        found = asset.versions(status) if asset else []
        if not found:
            return []
        return [self._render_section(s) for s in
                sorted(found[0][1]["sections"], key=lambda s: s["index"])]

    def _value(self, kind: str, value: object) -> str:
        """What a section of that type may hold (709 for an id of nothing usable)."""
        text = "" if value is None else str(value)
        if kind == "Form":
            number = whole_number(text, 1)
            if number is None or number not in self.world.forms.assets:
                raise MarketoError("709", f"Form '{text[:40]}' not found")
        elif kind == "Snippet":
            self.world.snippets.live(whole_number(text, 1))
        elif kind == "Image":
            number = whole_number(text, 1)
            if number is None or number not in self.world.files.files:
                raise MarketoError("709", f"Image '{text[:40]}' not found")
        return text

    @staticmethod
    def _formatting(form: dict) -> dict:
        out: dict[str, object] = {k: str(form[k]) for k in FORMATTING
                                  if form.get(k) not in (None, "")}
        for key in ("hideDesktop", "hideMobile"):
            shown = flag(form.get(key), key)
            if shown is not None:
                out[key] = shown
        for key in ("linkUrl", "imageOpenNewWindow"):
            if form.get(key) not in (None, ""):
                out[key] = str(form[key])
        return out

    @locked
    def add_section(self, asset_id: int, form: dict) -> list[dict]:
        asset, draft = self.editing(asset_id)
        section_id, kind = form.get("contentId"), form.get("type")
        if not section_id:
            raise MarketoError("701", what="contentId")
        if not kind:
            raise MarketoError("701", what="type")
        if kind not in ADD_TYPES:
            raise MarketoError("1003", f"Invalid type '{str(kind)[:40]}': one of "
                                       f"{', '.join(ADD_TYPES)}")
        if any(s["id"] == str(section_id) for s in draft["sections"]):
            raise MarketoError("709", f"Section '{str(section_id)[:60]}' is already on the page")
        value = self._value(str(kind), form.get("value"))
        draft["sections"].append({"id": str(section_id), "type": kind, "value": value,
                                  "index": len(draft["sections"]),
                                  "formatting": self._formatting(form), "segmentation": None})
        self.save(asset, draft)
        return [{"id": asset.id}]

    def _find(self, draft: dict, section_id: str) -> dict:
        found = next((s for s in draft["sections"] if s["id"] == section_id), None)
        if found is None:
            raise MarketoError("702", f"Section '{section_id[:60]}' not found")
        return found

    @locked
    def set_section(self, asset_id: int, section_id: str, form: dict) -> list[dict]:
        """Update a section: its content (type and value), index or formatting; type
        DynamicContent makes it dynamic on the segmentation its value names."""
        asset, draft = self.editing(asset_id)
        section = self._find(draft, section_id)
        kind = form.get("type")
        if not kind:
            raise MarketoError("701", what="type")
        if kind not in UPDATE_TYPES:
            raise MarketoError("1003", f"Invalid type '{str(kind)[:40]}': one of "
                                       f"{', '.join(UPDATE_TYPES)}")
        index = form.get("index")
        position = whole_number(index, 0) if index not in (None, "") else None
        if index not in (None, "") and position is None:
            raise MarketoError("1003", "index is a whole number")
        if kind == "DynamicContent":
            section["segmentation"] = self.world.segmentations.live(
                whole_number(form.get("value"), 1)).id
            draft["dynamic"].setdefault(section_id, {})
        else:
            section.update(type=kind, value=self._value(str(kind), form.get("value")),
                           segmentation=None)
            draft["dynamic"].pop(section_id, None)
        section["formatting"].update(self._formatting(form))
        if position is not None:
            others = [s for s in draft["sections"] if s is not section]
            others.insert(min(position, len(others)), section)
            for n, item in enumerate(others):
                item["index"] = n
            draft["sections"] = others
        self.save(asset, draft)
        return [{"id": asset.id}]

    @locked
    def delete_section(self, asset_id: int, section_id: str) -> list[dict]:
        asset, draft = self.editing(asset_id)
        section = self._find(draft, section_id)
        draft["sections"] = [s for s in draft["sections"] if s is not section]
        for n, item in enumerate(sorted(draft["sections"], key=lambda s: s["index"])):
            item["index"] = n
        draft["dynamic"].pop(section_id, None)
        self.save(asset, draft)
        return [{"id": asset.id}]

    # -- dynamic content -----------------------------------------------------------------
    @locked
    def dynamic_content(self, asset_id: int, section_id: str) -> list[dict]:
        asset = self.find(asset_id)
        version = asset.latest()
        section = self._find(version, section_id)
        segmentation = self.world.segmentations.get(section["segmentation"])
        if segmentation is None:
            raise MarketoError("709", f"Section '{section_id[:60]}' is not dynamic")
        own = version["dynamic"].get(section_id, {})
        base = self.base(asset, "draft")
        return [{"id": asset.id, "segmentation": segmentation.id,
                 "content": [{"segmentId": g.id, "segmentName": g.name,
                              "type": own.get(str(g.id), {}).get("type", section["type"]),
                              "content": own.get(str(g.id), {}).get("value", section["value"]),
                              "followupType": None, "followupValue": None}
                             for g in segmentation.segments],
                 "createdAt": base["createdAt"], "updatedAt": base["updatedAt"]}]

    @locked
    def set_dynamic_content(self, asset_id: int, section_id: str, form: dict) -> list[dict]:
        asset, draft = self.editing(asset_id)
        section = self._find(draft, section_id)
        segmentation = self.world.segmentations.get(section["segmentation"])
        if segmentation is None:
            raise MarketoError("709", f"Section '{section_id[:60]}' is not dynamic")
        raw = form.get("segment")
        if raw in (None, ""):
            raise MarketoError("701", what="segment")
        segment = next((g for g in segmentation.segments
                        if str(g.id) == str(raw) or g.name == raw), None)
        if segment is None:
            raise MarketoError("1003", f"Invalid segment '{str(raw)[:60]}'")
        kind = form.get("type") or section["type"]
        value = self._value(str(kind), form.get("value")) if kind in ADD_TYPES else \
            str(form.get("value") or "")
        draft["dynamic"].setdefault(section_id, {})[str(segment.id)] = {
            "type": kind, "value": value, "formatting": self._formatting(form)}
        self.save(asset, draft)
        return [{"id": asset.id}]

    # -- variables -----------------------------------------------------------------------
    @locked
    def variables(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        found = asset.versions(status) if asset else []
        if not found:
            return []
        version = found[0][1]
        return [{"id": v["name"], "type": v["type"],
                 "value": version["variables"].get(v["name"], v["value"])}
                for v in self.template_variables(version)]

    @locked
    def set_variable(self, asset_id: int, variable_id: str, value: object) -> list[dict]:
        asset, draft = self.editing(asset_id)
        found = next((v for v in self.template_variables(draft) if v["name"] == variable_id),
                     None)
        if found is None:
            raise MarketoError("702", f"Variable '{variable_id[:60]}' not found")
        if value is None:
            raise MarketoError("701", what="value")
        text = str(value)
        if found["type"] == "boolean" and text.lower() not in ("true", "false"):
            raise MarketoError("1003", "A boolean variable is true or false")
        if found["type"] == "color" and not re.fullmatch(r"#[0-9A-Fa-f]{3,8}", text):
            raise MarketoError("1003", "A color variable is #RRGGBB")
        draft["variables"][variable_id] = text
        self.save(asset, draft)
        return [{"id": variable_id, "type": found["type"], "value": text}]

    # -- full content --------------------------------------------------------------------
    @locked
    def full_content(self, asset_id: int, lead: object, segmentation: object) -> list[dict]:
        lead_id = whole_number(lead, 1) if lead not in (None, "") else None
        if lead not in (None, "") and (lead_id is None or
                                       self.world.owner.leads.get(lead_id) is None):
            raise MarketoError("1004")
        chosen = json_value(segmentation, "segmentation") if segmentation else []
        if not isinstance(chosen, list) or not all(isinstance(c, dict) for c in chosen):
            raise MarketoError("1003", "segmentation is [{segmentationId, segmentId}]")
        asset = self.assets.get(asset_id)
        if asset is None:
            return []
        version = asset.latest()
        picks = {str(c.get("segmentationId")): str(c.get("segmentId")) for c in chosen}
        return [{"id": asset.id, "content": self._page(asset, version, picks, lead_id)}]

    def _page(self, asset: Asset, version: dict, picks: dict, lead_id: int | None) -> str:
        values = {}
        for section in version["sections"]:
            value = section["value"]
            if section["segmentation"] is not None:
                segment = picks.get(str(section["segmentation"]))
                value = version["dynamic"].get(section["id"], {}).get(
                    str(segment), {}).get("value", value)
            if section["type"] == "Snippet" and value:
                snippet = self.world.snippets.assets.get(whole_number(value, 1) or 0)
                value = snippet.latest()["content"]["value"] if snippet else ""
            values[section["id"]] = value
        template = self.world.lp_templates.assets.get(version["template"])
        source = template.latest()["content"] if template else "<html><body></body></html>"
        variables = {v["name"]: version["variables"].get(v["name"], v["value"])
                     for v in self.template_variables(version)}
        html = fill(source, values, variables)
        if template is not None and template.latest()["templateType"] != "guided":
            added = "".join(f'<div id="{k}">{v}</div>' for k, v in values.items())
            html = CONTENT_DIV.sub(lambda m: m.group(1) + added, html, count=1) \
                if CONTENT_DIV.search(html) else html.replace("</body>", added + "</body>")
        tokens = {t.name.lower(): t.value for t in self.world.tokens.visible(asset.folder)}
        lead = self.world.owner.leads.get(lead_id) if lead_id else None

        def token(match: re.Match) -> str:
            if match.group(1).lower() == "my":
                return tokens.get(match.group(2).strip().lower(), match.group(0))
            name = match.group(2).strip()
            value = lead.get(name[0].lower() + name[1:]) if lead is not None else None
            return "" if value is None else str(value)

        return TOKEN.sub(token, html)
