"""An email's content (Adobe's Emails page, "Content Section", "Modules", "Variables",
"Preview", "Replace HTML"; its Dynamic Content page): the editable sections come from the
email's HTML (a copy of its template's), each updated as Text, Snippet (an approved snippet)
or DynamicContent (an approved segmentation, then content per segment); modules are added
from the template, duplicated, renamed, deleted and rearranged in the email's HTML;
variables are the template's `<meta>` variables, module-scoped ones per module; the full
content is the HTML with everything filled in, tokens and lead fields too."""

from __future__ import annotations

import base64
import binascii
import re

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import json_value
from .markup import VARIABLE_USE, Section, fill, parse, text_of
from .versioned import Asset, VersionedStore

SECTION_TYPES = ("Text", "DynamicContent", "Snippet")
TOKEN = re.compile(r"\{\{\s*(my|lead)\.([^}|]+?)\s*(?:\|[^}]*)?\}\}", re.I)
ID_ATTR = re.compile(r'(\bid\s*=\s*)(["\'])(.*?)\2', re.I)


def editor_version(source: str) -> int:
    """2 for Email Editor 2.0 HTML (modules, mktoText), else 1."""
    parsed = parse(source)
    return 2 if parsed.modules or "mktoText" in source else 1


def content_id(html_id: str) -> str:
    return base64.urlsafe_b64encode(f"ES-{html_id}".encode()).decode()


def section_of(raw: str) -> str:
    """The section a dynamic content id stands for (702 for an id that is none)."""
    try:
        text = base64.urlsafe_b64decode(raw.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith("ES-"):
        raise MarketoError("702", f"Dynamic content '{raw[:40]}' not found")
    return text[3:]


def _reid(fragment: str, mapping: dict[str, str]) -> str:
    return ID_ATTR.sub(lambda m: m.group(1) + m.group(2) + mapping.get(m.group(3), m.group(3))
                       + m.group(2), fragment)


class EmailContent(VersionedStore):
    """The content operations of the email store."""

    def _section(self, version: dict, section: Section) -> dict:
        out: dict = {"htmlId": section.html_id}
        own = version["sections"].get(section.html_id)
        if section.kind == "Module":
            return {**out, "contentType": "Module", "index": section.index,
                    "parentHtmlId": section.parent, "isLocked": False}
        if own is not None and own["type"] == "DynamicContent":
            out.update(contentType="DynamicContent", value=content_id(section.html_id))
        elif own is not None and own["type"] == "Snippet":
            out.update(contentType="Snippet", value=own["ref"])
        elif section.kind == "Text":
            html = own["html"] if own else section.inner.strip()
            text = own["text"] if own and own["text"] is not None else text_of(html)
            out.update(value=[{"type": "HTML", "value": html}, {"type": "Text", "value": text}],
                       contentType="Text")
        else:
            shown = {("altText" if k == "alt" else k): v for k, v in section.attrs.items()
                     if k not in ("class", "id")}
            out.update(value=shown, contentType=section.kind)
        if section.parent is not None:
            out["parentHtmlId"] = section.parent
        out["isLocked"] = False
        return out

    @locked
    def content(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        if asset is None:
            return []
        found = asset.versions(status)
        if not found:
            return []
        version = found[0][1]
        return [self._section(version, s) for s in parse(version["html"]).sections]

    @locked
    def set_section(self, asset_id: int, html_id: str, form: dict) -> list[dict]:
        """Update Email Content Section: Text (HTML, and textValue for the text version),
        Snippet (an approved snippet's id) or DynamicContent (an approved segmentation)."""
        asset, draft = self.editing(asset_id)
        found = next((s for s in parse(draft["html"]).editable if s.html_id == html_id), None)
        if found is None:
            raise MarketoError("702", f"Section '{html_id[:60]}' not found in email {asset_id}")
        kind, value = form.get("type"), form.get("value")
        if not kind:
            raise MarketoError("701", what="type")
        if kind not in SECTION_TYPES:
            raise MarketoError("1003", f"Invalid type '{str(kind)[:40]}': one of "
                                       f"{', '.join(SECTION_TYPES)}")
        if value is None or value == "":
            raise MarketoError("701", what="value")
        text = form.get("textValue")
        own: dict = {"type": kind, "html": None, "text": None, "ref": None}
        if kind == "Text":
            own.update(html=str(value), text=str(text) if text is not None else None)
        elif kind == "Snippet":
            own["ref"] = self.world.snippets.live(whole_number(value, 1)).id
        else:
            spec = json_value(value, "value")
            raw = spec.get("segmentation") if isinstance(spec, dict) else spec
            segmentation = self.world.segmentations.live(whole_number(raw, 1))
            own.update(ref=segmentation.id, html=found.inner.strip())
            draft["dynamic"].setdefault(html_id, {})
        draft["sections"][html_id] = own
        self.save(asset, draft)
        return [{"id": asset.id}]

    # -- dynamic content -----------------------------------------------------------------
    def _dynamic(self, version: dict, raw_id: str) -> tuple[str, dict]:
        html_id = section_of(raw_id)
        own = version["sections"].get(html_id)
        if own is None or own["type"] != "DynamicContent":
            raise MarketoError("702", f"Dynamic content '{raw_id[:40]}' not found")
        return html_id, own

    @locked
    def dynamic_content(self, asset_id: int, raw_id: str, status: str | None) -> list[dict]:
        asset = self.find(asset_id)
        found = asset.versions(status)
        if not found:
            return []
        version = found[0][1]
        html_id, own = self._dynamic(version, raw_id)
        segmentation = self.world.segmentations.get(own["ref"])
        chosen = version["dynamic"].get(html_id, {})
        items = [{"id": raw_id, "segmentId": seg.id, "segmentName": seg.name,
                  "type": chosen.get(seg.name, {}).get("type", "HTML"),
                  "content": chosen.get(seg.name, {}).get("value", own["html"])}
                 for seg in segmentation.segments] if segmentation else []
        base = self.base(asset, found[0][0])
        return [{"id": asset.id, "segmentation": own["ref"], "content": items,
                 "createdAt": base["createdAt"], "updatedAt": base["updatedAt"]}]

    @locked
    def set_dynamic_content(self, asset_id: int, raw_id: str, form: dict) -> list[dict]:
        """Update Email Dynamic Content Section: a segment's content (by segment name)."""
        asset, draft = self.editing(asset_id)
        html_id, own = self._dynamic(draft, raw_id)
        segment, kind, value = form.get("segment"), form.get("type"), form.get("value")
        for name, given in (("segment", segment), ("type", kind), ("value", value)):
            if given is None or given == "":
                raise MarketoError("701", what=name)
        segmentation = self.world.segmentations.get(own["ref"])
        if segmentation is None or str(segment) not in {s.name for s in segmentation.segments}:
            raise MarketoError("1003", f"Invalid segment '{str(segment)[:60]}'")
        if kind not in ("HTML", "Text", "Snippet", "DynamicContent"):
            raise MarketoError("1003", "type is HTML, Text or Snippet")
        draft["dynamic"].setdefault(html_id, {})[str(segment)] = {"type": kind,
                                                                 "value": str(value)}
        self.save(asset, draft)
        return [{"id": asset.id}]

    # -- modules -------------------------------------------------------------------------
    def _module(self, draft: dict, module_id: str) -> Section:
        found = next((m for m in parse(draft["html"]).modules if m.html_id == module_id), None)
        if found is None:
            raise MarketoError("702", f"Module '{module_id[:60]}' not found")
        return found

    @staticmethod
    def _free(draft: dict, name: object) -> str:
        if not isinstance(name, str) or not name.strip():
            raise MarketoError("701", what="name")
        if any(s.html_id == name for s in parse(draft["html"]).sections):
            raise MarketoError("709", f"An element with id '{name[:60]}' is already in the "
                                      "email")
        return name

    @locked
    def module(self, asset_id: int, module_id: str, action: str, form: dict) -> list[dict]:
        """Add (from the template), delete, duplicate or rename one module."""
        asset, draft = self.editing(asset_id)
        source = draft["html"]
        if action == "add":
            template = self.world.email_templates.assets.get(draft["template"] or 0)
            if template is None or template.approved is None:
                raise MarketoError("709", "The email is not linked to an approved template")
            tpl = template.approved["content"]
            found = next((m for m in parse(tpl).modules if m.html_id == module_id), None)
            if found is None:
                raise MarketoError("702", f"Module '{module_id[:60]}' not in the template")
            index = whole_number(form.get("index"), 0)
            if index is None:
                raise MarketoError("701" if form.get("index") in (None, "") else "1003",
                                   what="index")
            name = self._free(draft, form.get("name") or module_id)
            piece = _reid(tpl[found.outer_start:found.outer_end], {module_id: name})
            modules = parse(source).modules
            if not modules:
                raise MarketoError("709", "The email has no module container")
            at = modules[index].outer_start if index < len(modules) else modules[-1].outer_end
            draft["html"] = source[:at] + piece + source[at:]
        else:
            found = self._module(draft, module_id)
            if action == "delete":
                draft["html"] = source[:found.outer_start] + source[found.outer_end:]
            elif action == "duplicate":
                name = self._free(draft, form.get("name"))
                inner = {s.html_id: f"{s.html_id}-{name}" for s in parse(source).sections
                         if s.parent == module_id}
                piece = _reid(source[found.outer_start:found.outer_end],
                              {module_id: name, **inner})
                draft["html"] = source[:found.outer_end] + piece + source[found.outer_end:]
            else:
                name = self._free(draft, form.get("name"))
                head = source[found.outer_start:found.start]
                draft["html"] = source[:found.outer_start] + _reid(head, {module_id: name}) + \
                    source[found.start:]
        self.save(asset, draft)
        return [{"id": asset.id}]

    @locked
    def rearrange(self, asset_id: int, raw: object) -> list[dict]:
        """Rearrange Modules: every module named once, each with its new zero-based index."""
        asset, draft = self.editing(asset_id)
        positions = json_value(raw, "positions") if raw not in (None, "") else None
        modules = parse(draft["html"]).modules
        if not isinstance(positions, list) or not all(
                isinstance(p, dict) and whole_number(p.get("index"), 0) is not None
                and isinstance(p.get("moduleId"), str) for p in positions):
            raise MarketoError("1003" if positions is not None else "701", what="positions")
        order = sorted(positions, key=lambda p: int(p["index"]))
        names = [p["moduleId"] for p in order]
        if sorted(names) != sorted(m.html_id for m in modules) or \
                sorted(int(p["index"]) for p in order) != list(range(len(modules))):
            raise MarketoError("1003", "positions must place every module of the email once")
        source, by_id = draft["html"], {m.html_id: m for m in modules}
        out, last = [], 0
        for slot, name in zip(modules, names, strict=True):
            chosen = by_id[name]
            out += [source[last:slot.outer_start], source[chosen.outer_start:chosen.outer_end]]
            last = slot.outer_end
        draft["html"] = "".join(out) + source[last:]
        self.save(asset, draft)
        return [{"id": asset.id}]

    # -- variables -----------------------------------------------------------------------
    @staticmethod
    def _variables(version: dict) -> list[dict]:
        parsed, own = parse(version["html"]), version["variables"]
        out = []
        for var in parsed.variables:
            if not var["moduleScope"]:
                out.append({"name": var["name"], "value": own.get(var["name"], var["value"]),
                            "moduleScope": False})
                continue
            for module in parsed.modules:
                if var["name"] in VARIABLE_USE.findall(module.inner):
                    key = f"{module.html_id}/{var['name']}"
                    out.append({"name": var["name"], "value": own.get(key, var["value"]),
                                "moduleScope": True, "moduleId": module.html_id})
        return out

    @locked
    def variables(self, asset_id: int) -> list[dict]:
        asset = self.assets.get(asset_id)
        return self._variables(asset.latest()) if asset else []

    @locked
    def set_variable(self, asset_id: int, name: str, form: dict) -> list[dict]:
        asset, draft = self.editing(asset_id)
        value, module = form.get("value"), form.get("moduleId") or None
        if value is None:
            raise MarketoError("701", what="value")
        found = next((v for v in self._variables(draft) if v["name"] == name
                      and v.get("moduleId") == module), None)
        if found is None:
            raise MarketoError("702", f"Variable '{name[:60]}' not found"
                                      + (f" in module '{str(module)[:60]}'" if module else ""))
        draft["variables"][f"{module}/{name}" if module else name] = str(value)
        self.save(asset, draft)
        return [{**found, "value": str(value)}]

    # -- full content --------------------------------------------------------------------
    def _filled(self, asset: Asset, version: dict, lead_id: int | None) -> str:
        values = {}
        for html_id, own in version["sections"].items():
            if own["type"] == "Snippet":
                snippet = self.world.snippets.assets.get(own["ref"])
                values[html_id] = snippet.latest()["content"]["value"] if snippet else ""
            elif own["html"] is not None:
                values[html_id] = own["html"]
        variables = {v["name"]: v["value"] for v in reversed(self._variables(version))}
        html = fill(version["html"], values, variables)
        tokens = {t.name.lower(): t.value for t in self.world.tokens.visible(asset.folder)}
        lead = self.world.owner.leads.get(lead_id) if lead_id else None

        def token(match: re.Match) -> str:
            kind, name = match.group(1).lower(), match.group(2).strip()
            if kind == "my":
                return tokens.get(name.lower(), match.group(0))
            value = lead.get(name[0].lower() + name[1:]) if lead is not None else None
            return "" if value is None else str(value)

        return TOKEN.sub(token, html)

    @locked
    def full_content(self, asset_id: int, status: str | None, lead: object,
                     kind: object) -> list[dict]:
        """Get Email Full Content: the HTML (or its text) as a recipient would get it."""
        shown = str(kind or "HTML")
        if shown.lower() not in ("html", "text"):
            raise MarketoError("1003", "type is HTML or Text")
        lead_id = whole_number(lead, 1) if lead not in (None, "") else None
        if lead not in (None, "") and (lead_id is None or
                                       self.world.owner.leads.get(lead_id) is None):
            raise MarketoError("1004")
        asset = self.assets.get(asset_id)
        found = asset.versions(status) if asset else []
        if asset is None or not found:
            return []
        html = self._filled(asset, found[0][1], lead_id)
        return [{"id": asset.id, "status": found[0][0],
                 "content": text_of(html) if shown.lower() == "text" else html}]

    @locked
    def set_full_content(self, asset_id: int, content: object) -> tuple[list[dict], list[str]]:
        """Update Email Full Content: only for an email unlinked from its template; no
        scripts; a malformed document is taken with a warning."""
        asset, draft = self.editing(asset_id)
        if draft["template"] is not None:
            raise MarketoError("709", "The email is linked to its template: its full content "
                                      "cannot be replaced")
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        if not isinstance(content, str) or not content.strip():
            raise MarketoError("701", what="content")
        parsed = parse(content)
        if parsed.scripts:
            raise MarketoError("709", "Email content may not contain scripts")
        if any(own["type"] == "DynamicContent" for own in draft["sections"].values()):
            raise MarketoError("709", "Emails with dynamic content cannot be replaced whole")
        draft["html"], draft["sections"] = content, {}
        self.save(asset, draft)
        warnings = ["The HTML is malformed: tags are left open or closed twice"] \
            if parsed.unbalanced else []
        return [{"id": asset.id}], warnings
