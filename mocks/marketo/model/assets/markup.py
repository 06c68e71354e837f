"""What Marketo reads out of a template's HTML (Adobe's email and landing page template
syntax): editable sections (`mktEditable`, `mktoText`, `mktoImg`, `mktoSnippet`,
`mktoVideo`, `mktoForm`, `mktoHtml` with an `id`), modules (`mktoModule` in a
`mktoContainer`), variables (`<meta class="mktoString|mktoColor|mktoBoolean|mktoNumber|
mktoList|mktoHTML" id=... default=...>`, `mktoModuleScope="true"` for module-scoped ones),
scripts, and tags left open. `fill` writes sections and variables back into the HTML for
full-content previews."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SECTION_CLASSES = {"mktEditable": "Text", "mktoText": "Text", "mktoImg": "Image",
                   "mktoSnippet": "Snippet", "mktoVideo": "Video", "mktoForm": "Form",
                   "mktoHtml": "HTML"}
VARIABLE_CLASSES = {"mktoString": "string", "mktoColor": "color", "mktoBoolean": "boolean",
                    "mktoNumber": "number", "mktoList": "list", "mktoHTML": "html",
                    "mktoImg": "image"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
OPTIONAL_END = {"p", "li", "td", "tr", "th", "option", "dt", "dd", "thead", "tbody", "tfoot",
                "colgroup", "html", "head", "body"}  # HTML lets these close themselves
TAGS = re.compile(r"<[^>]*>")
VARIABLE_USE = re.compile(r"\$\{([A-Za-z0-9_-]+)\}")


@dataclass
class Section:
    html_id: str
    kind: str  # Text, Image, Snippet, Video, Form, HTML, or Module
    start: int  # the inner HTML's place in the source
    end: int
    inner: str
    attrs: dict[str, str]
    outer_start: int = 0  # the whole element's place, tags included
    outer_end: int = 0
    parent: str | None = None  # the module (or container, for modules) it sits in
    index: int | None = None  # a module's place among the modules


@dataclass
class Parsed:
    sections: list[Section] = field(default_factory=list)
    variables: list[dict] = field(default_factory=list)  # {name, type, value, moduleScope}
    scripts: bool = False
    unbalanced: int = 0  # end tags that closed nothing, and tags never closed

    @property
    def editable(self) -> list[Section]:
        return [s for s in self.sections if s.kind != "Module"]

    @property
    def modules(self) -> list[Section]:
        return [s for s in self.sections if s.kind == "Module"]


class _Reader(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.out = Parsed()
        self.stack: list[tuple[str, Section | None, str | None]] = []  # tag, section, container
        self.ids: set[str] = set()

    def position(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _container(self) -> str | None:
        return next((c for _, _, c in reversed(self.stack) if c), None)

    def _module(self) -> str | None:
        return next((s.html_id for _, s, _ in reversed(self.stack)
                     if s is not None and s.kind == "Module"), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        if tag == "script":
            self.out.scripts = True
        if tag == "meta":
            kind = next((VARIABLE_CLASSES[c] for c in classes if c in VARIABLE_CLASSES), None)
            if kind and values.get("id"):
                self.out.variables.append({
                    "name": values["id"], "type": kind, "value": values.get("default", ""),
                    "moduleScope": values.get("mktomodulescope", "").lower() == "true"})
            return
        begin = self.position()
        end = begin + len(self.get_starttag_text() or "")
        section = None
        element_id = values.get("id", "")
        kind = "Module" if "mktoModule" in classes else next(
            (SECTION_CLASSES[c] for c in classes if c in SECTION_CLASSES), None)
        if kind and element_id and element_id not in self.ids:
            self.ids.add(element_id)
            parent = self._container() if kind == "Module" else self._module()
            section = Section(element_id, kind, end, end, "", values, begin, end, parent)
            if kind == "Module":
                section.index = len(self.out.modules)
            self.out.sections.append(section)
        container = element_id if "mktoContainer" in classes else None
        if tag in VOID:
            return
        self.stack.append((tag, section, container))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not any(t == tag for t, _, _ in self.stack):
            self.out.unbalanced += 1
            return
        here = self.position()
        while self.stack:
            open_tag, section, _ = self.stack.pop()
            if section is not None:
                section.end = here
                section.inner = self.source[section.start:section.end]
                close = self.source.find(">", here)
                section.outer_end = close + 1 if close >= 0 else len(self.source)
            if open_tag == tag:
                return
            if open_tag not in OPTIONAL_END:
                self.out.unbalanced += 1


def parse(source: str) -> Parsed:
    """The sections, modules and variables of a template (or of a whole email's HTML)."""
    reader = _Reader(source)
    reader.feed(source)
    reader.close()
    reader.out.unbalanced += sum(1 for tag, _, _ in reader.stack if tag not in OPTIONAL_END)
    return reader.out


def text_of(fragment: str) -> str:
    """A section's text version: its HTML without tags, entities resolved."""
    return " ".join(html.unescape(TAGS.sub(" ", fragment)).split())


def fill(source: str, values: dict[str, str], variables: dict[str, str] | None = None
         ) -> str:
    """The HTML with the sections named in `values` replaced by their HTML and `${var}`
    references by the variables' values."""
    parsed = parse(source)
    out, last = [], 0
    for section in sorted(parsed.editable, key=lambda s: s.start):
        if section.html_id in values and section.start >= last and section.end >= section.start:
            out += [source[last:section.start], values[section.html_id]]
            last = section.end
    out.append(source[last:])
    text = "".join(out)
    if variables:
        text = VARIABLE_USE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)
    return text
