"""Landing pages (Adobe's Landing Pages page): made from an approved landing page template in
a Landing Pages folder or a program; a guided template gives the page its sections and
variables, a free-form one none (sections are added). Metadata (title, keywords, robots,
head HTML, Open Graph tags, form prefill, mobile, URL page name) lives in the draft.
Approval needs an approved template and approved forms and snippets in the sections;
redirect rules and forms' follow-up pages use landing pages (709 on unapprove and delete).
Sections, dynamic content, variables and previews are in `lp_content.py`.

Chosen where Adobe is silent: the page URL is `https://<munchkin>.mktoweb.com/lp/<munchkin>/
<urlPageName>.html` and urlPageName (the name with spaces as dashes unless given) is unique
in the instance (709)."""

from __future__ import annotations

import re

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import Ref, flag, text_value
from .lp_content import LandingPageContent, template_sections
from .markup import parse
from .versioned import Asset, Kind

TEXT_FIELDS = ("title", "keywords", "robots", "customHeadHTML", "facebookOgTags",
               "metaTagsDescription", "styleOverRide")
PAGE_NAME = re.compile(r"[A-Za-z0-9._~-]{1,255}")


class LandingPageStore(LandingPageContent):
    kind = Kind("landingPage", "Landing page", "LP", ("Landing Page",), in_programs=True,
                full_answers=frozenset({"update", "clone"}))

    def page_url(self, version: dict) -> str:
        munchkin = self.world.owner.munchkin_id
        return f"https://{munchkin.lower()}.mktoweb.com/lp/{munchkin}/" \
               f"{version['urlPageName']}.html"

    def render(self, asset: Asset, status: str, version: dict) -> dict:
        base = self.base(asset, status)
        base["computedUrl"] = base.pop("url")
        return {**base, "URL": self.page_url(version), "template": version["template"],
                "title": version["title"], "keywords": version["keywords"],
                "robots": version["robots"], "customHeadHTML": version["customHeadHTML"],
                "facebookOgTags": version["facebookOgTags"],
                "formPrefill": version["formPrefill"],
                "mobileEnabled": version["mobileEnabled"]}

    def check_approve(self, asset: Asset, draft: dict) -> None:
        template = self.world.lp_templates.assets.get(draft["template"])
        if template is None or template.approved is None:
            raise MarketoError("709", "The landing page's template is not approved")
        for section in draft["sections"]:
            if section["type"] == "Form":
                form = self.world.forms.assets.get(whole_number(section["value"], 1) or 0)
                if form is None or form.approved is None:
                    raise MarketoError("709", f"Form '{section['value']}' on the page is not "
                                              "approved")
            if section["type"] == "Snippet":
                self.world.snippets.live(whole_number(section["value"], 1))

    def users(self, asset: Asset) -> list[tuple[str, Ref]]:
        found: list[tuple[str, Ref]] = [
            (f"redirect rule {r.id}", ("Folder", 24))
            for r in self.world.redirects.rules.values()
            if asset.id in (r.source_page(), r.target_page())]
        for form in self.world.forms.assets.values():
            version = form.latest()
            if any(t.get("followupType") == "lp" and str(t.get("followupValue")) == str(asset.id)
                   for t in version["thankYouList"]):
                found.append((f"form {form.id}", form.folder))
        return found

    def probe(self, asset: Asset, status: str) -> None:
        self.content(asset.id, status)
        self.variables(asset.id, status)
        self.full_content(asset.id, None, None)

    def _page_name(self, raw: object, name: str, but: int | None = None) -> str:
        page = raw if isinstance(raw, str) and raw else re.sub(r"\s+", "-", name.strip())
        page = re.sub(r"[^A-Za-z0-9._~-]", "", page) or "page"
        if raw not in (None, "") and not PAGE_NAME.fullmatch(str(raw)):
            raise MarketoError("1003", "urlPageName holds letters, digits, '-', '.', '_', '~'")
        taken = {v["urlPageName"] for a in self.assets.values() if a.id != but
                 for v in (a.draft, a.approved) if v is not None}
        if page in taken:
            raise MarketoError("709", f"The URL page name '{page[:80]}' is already in use")
        return page

    @locked
    def create(self, form: dict) -> list[dict]:
        raw = form.get("template")
        if raw in (None, ""):
            raise MarketoError("701", what="template")
        template = self.world.lp_templates.live(whole_number(raw, 1))
        assert template.approved is not None
        name = form.get("name")
        texts = {k: text_value(form.get(k), k, 10000) for k in TEXT_FIELDS}
        version = {"template": template.id, **{k: v or "" for k, v in texts.items()},
                   "robots": texts["robots"] or "index, nofollow",
                   "formPrefill": bool(flag(form.get("prefillForm", form.get("formPrefill")),
                                            "prefillForm", False)),
                   "mobileEnabled": bool(flag(form.get("mobileEnabled"), "mobileEnabled",
                                              False)),
                   "urlPageName": self._page_name(form.get("urlPageName"),
                                                  name if isinstance(name, str) else ""),
                   "sections": template_sections(template.approved), "variables": {},
                   "dynamic": {}}
        asset = self.add(name, form.get("folder"), form.get("description"), version)
        return [self.render(asset, "draft", version)]

    @locked
    def update_meta(self, asset_id: int, form: dict) -> list[dict]:
        """Name and description (the page's own); the other metadata (the draft's)."""
        texts = {k: text_value(form.get(k), k, 10000) for k in TEXT_FIELDS}
        mobile = flag(form.get("mobileEnabled"), "mobileEnabled")
        prefill = flag(form.get("formPrefill", form.get("prefillForm")), "formPrefill")
        asset = self.find(asset_id)
        page = self._page_name(form.get("urlPageName"), asset.name, asset.id) \
            if form.get("urlPageName") not in (None, "") else None
        self.update(asset_id, form.get("name"), form.get("description"))
        asset, draft = self.editing(asset_id)
        draft.update({k: v for k, v in texts.items() if v is not None})
        if mobile is not None:
            draft["mobileEnabled"] = mobile
        if prefill is not None:
            draft["formPrefill"] = prefill
        if page is not None:
            draft["urlPageName"] = page
        self.save(asset, draft)
        return self.answer(asset, "update")

    @locked
    def clone_page(self, asset_id: int, form: dict) -> list[dict]:
        """Clone Landing Page: optionally onto another approved template; the copy gets a
        URL page name of its own."""
        self.find(asset_id)
        template = None
        if form.get("template") not in (None, ""):
            template = self.world.lp_templates.live(whole_number(form.get("template"), 1))
        name = form.get("name")
        page_name = self._page_name(None, name if isinstance(name, str) else "")
        copied = self.clone(asset_id, name, form.get("folder"), form.get("description"))
        page = self.assets[copied[0]["id"]]
        version = page.latest()
        version["urlPageName"] = page_name
        if template is not None and template.approved is not None and \
                template.id != version["template"]:
            version.update(template=template.id,
                           sections=template_sections(template.approved), dynamic={})
        return self.answer(page, "clone")

    def template_variables(self, version: dict) -> list[dict]:
        template = self.world.lp_templates.assets.get(version["template"])
        if template is None:
            return []
        return [v for v in parse(template.latest()["content"]).variables
                if v["type"] in ("string", "color", "boolean", "number")]
