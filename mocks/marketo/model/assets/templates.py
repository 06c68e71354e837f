"""Email templates and landing page templates (Adobe's Email Templates and Landing Page
Templates pages): Design Studio assets holding an HTML document, drafted and approved like
every versioned asset. An email template goes live only when its HTML is well formed and
has an editable section; a landing page template only with content. A template that emails
or landing pages use may be neither unapproved nor deleted."""

from __future__ import annotations

from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import flag
from .markup import parse
from .versioned import Asset, Kind, VersionedStore

TEMPLATE_ANSWERS = frozenset({"update", "approve", "unapprove", "clone"})
LP_TEMPLATE_TYPES = {"freeform": "freeForm", "guided": "guided"}


def html_content(raw: object, what: str = "content") -> str:
    """An uploaded HTML document: 701 when missing or empty, 1003 when not text."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise MarketoError("1003", f"{what} is not UTF-8 text") from None
    if not isinstance(raw, str) or not raw.strip():
        raise MarketoError("701", what=what)
    return raw


class EmailTemplateStore(VersionedStore):
    kind = Kind("emailTemplate", "Email template", "EMT", ("Email", "Email Template"),
                in_programs=False, full_answers=TEMPLATE_ANSWERS)

    def render(self, asset: Asset, status: str, version: dict) -> dict:
        parsed = parse(version["content"])
        editor = 2 if parsed.modules or any(
            "mktoText" in s.attrs.get("class", "") for s in parsed.sections) else 1
        return {**self.base(asset, status), "version": editor}

    def check_approve(self, asset: Asset, draft: dict) -> None:
        parsed = parse(draft["content"])
        if parsed.unbalanced:
            raise MarketoError("709", "The template's HTML is not valid: tags are left open "
                                      "or closed twice")
        if not parsed.editable:
            raise MarketoError("709", "A template needs at least one editable section "
                                      "(an element with class mktEditable or mktoText and an id)")

    def users(self, asset: Asset) -> list[tuple[str, tuple[str, int]]]:
        return [(f"email {e.id}", e.folder) for e in self.world.emails.assets.values()
                if any(v is not None and v.get("template") == asset.id
                       for v in (e.draft, e.approved))]

    @locked
    def create(self, form: dict) -> list[dict]:
        """Create Email Template: name, folder and the HTML `content` file needed."""
        text = html_content(form.get("content"))
        asset = self.add(form.get("name"), form.get("folder"), form.get("description"),
                         {"content": text})
        return [self.render(asset, "draft", {"content": text})]

    def seed_content(self, asset_id: int, content: object) -> None:
        self.set_content(asset_id, content)

    def probe(self, asset: Asset, status: str) -> None:
        self.content(asset.id, status)

    @locked
    def content(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        if asset is None:
            return []
        return [{"id": asset.id, "content": v["content"], "status": s}
                for s, v in asset.versions(status)]

    @locked
    def set_content(self, asset_id: int, content: object) -> list[dict]:
        """The uploaded HTML replaces the draft's (a draft of an approved template opens)."""
        asset, draft = self.editing(asset_id)
        draft["content"] = html_content(content)
        self.save(asset, draft)
        return [{"id": asset.id}]

    @locked
    def used_by(self, asset_id: int, offset: int, limit: int) -> list[dict]:
        self.find(asset_id)
        found = []
        for email in self.world.emails.assets.values():
            for status, version in email.versions(None):
                if version.get("template") == asset_id:
                    found.append({"id": email.id, "name": email.name, "type": "Email",
                                  "status": status,
                                  "updatedAt": self.base(email, status)["updatedAt"]})
        return found[offset:offset + limit]

    def live(self, template_id: object) -> Asset:
        """A template an email is made from: it exists and is approved (709)."""
        found = self.assets.get(template_id) if type(template_id) is int else None
        if found is None or found.approved is None:
            raise MarketoError("709", f"Email template '{str(template_id)[:40]}' not found or "
                                      "not approved: emails are made from approved templates")
        return found


class LandingPageTemplateStore(VersionedStore):
    kind = Kind("landingPageTemplate", "Landing page template", "LT",
                ("Landing Page", "Landing Page Template"), in_programs=False,
                full_answers=TEMPLATE_ANSWERS)

    def render(self, asset: Asset, status: str, version: dict) -> dict:
        return {**self.base(asset, status), "templateType": version["templateType"],
                "enableMunchkin": version["enableMunchkin"]}

    def check_approve(self, asset: Asset, draft: dict) -> None:
        if not draft["content"].strip():
            raise MarketoError("709", "A landing page template needs content to be approved")
        if draft["templateType"] == "guided" and parse(draft["content"]).unbalanced:
            raise MarketoError("709", "A guided template's HTML must be well formed")

    def users(self, asset: Asset) -> list[tuple[str, tuple[str, int]]]:
        return [(f"landing page {p.id}", p.folder)
                for p in self.world.landing_pages.assets.values()
                if any(v is not None and v.get("template") == asset.id
                       for v in (p.draft, p.approved))]

    @locked
    def create(self, form: dict) -> list[dict]:
        raw = form.get("templateType") or "freeForm"
        kind = LP_TEMPLATE_TYPES.get(str(raw).lower())
        if kind is None:
            raise MarketoError("1003", "templateType is freeForm or guided")
        munchkin = flag(form.get("enableMunchkin"), "enableMunchkin", False)
        version = {"content": "", "templateType": kind, "enableMunchkin": munchkin}
        asset = self.add(form.get("name"), form.get("folder"), form.get("description"),
                         version)
        return [self.render(asset, "draft", version)]

    @locked
    def update_meta(self, asset_id: int, form: dict) -> list[dict]:
        """Name and description (the asset's), enableMunchkin (the draft's)."""
        munchkin = flag(form.get("enableMunchkin"), "enableMunchkin")
        self.update(asset_id, form.get("name"), form.get("description"))
        if munchkin is not None:
            asset, draft = self.editing(asset_id)
            draft["enableMunchkin"] = munchkin
            self.save(asset, draft)
        return self.answer(self.find(asset_id), "update")

    def seed_content(self, asset_id: int, content: object) -> None:
        self.set_content(asset_id, content)

    def probe(self, asset: Asset, status: str) -> None:
        self.content(asset.id, status)

    @locked
    def content(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        if asset is None:
            return []
        return [{"id": asset.id, "content": v["content"], "status": s,
                 "enableMunchkin": v["enableMunchkin"], "templateType": v["templateType"]}
                for s, v in asset.versions(status)]

    @locked
    def set_content(self, asset_id: int, content: object) -> list[dict]:
        asset, draft = self.editing(asset_id)
        draft["content"] = html_content(content)
        self.save(asset, draft)
        return [{"id": asset.id}]

    def live(self, template_id: object) -> Asset:
        found = self.assets.get(template_id) if type(template_id) is int else None
        if found is None or found.approved is None:
            raise MarketoError("709", f"Landing page template '{str(template_id)[:40]}' not "
                                      "found or not approved")
        return found

