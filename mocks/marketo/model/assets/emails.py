"""Emails (Adobe's Emails page): made from an approved email template in an Emails folder or
a program, their HTML a copy of the template's; headers (subject, from name, from email,
reply-to) and settings; approval needs all four headers. Content sections, modules,
variables, dynamic content and previews are in `email_content.py`.

Chosen where Adobe is silent: headers a create call leaves out start as the instance's
defaults below (subject empty); an email in an approved email program may be neither
unapproved nor deleted; sample sends are answered, not kept."""

from __future__ import annotations

import re

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import Ref, flag, json_value, text_value
from .email_content import EmailContent, editor_version
from .versioned import Asset, Kind

DEFAULT_FROM_NAME = "Marketing"
DEFAULT_FROM_EMAIL = "marketing@example.com"
HEADERS = ("subject", "fromName", "fromEmail", "replyEmail")
SETTINGS = {"operational": "operational", "textOnly": "textOnly", "webView": "webView",
            "published": "publishToMSI", "autoCopyToText": "autoCopyToText",
            "isOpenTrackingDisabled": "isOpenTrackingDisabled"}
EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")
CC_FIELDS = ({"attributeId": "157", "objectName": "lead",
              "displayName": "Lead Owner Email Address", "apiName": "leadOwnerEmailAddress"},
             {"attributeId": "396", "objectName": "company",
              "displayName": "Account Owner Email Address",
              "apiName": "accountOwnerEmailAddress"})


def header(raw: object, what: str) -> dict | None:
    """A header parameter: `{"type":"Text"|"DynamicContent","value":...}` in JSON, or plain
    text (taken as Text)."""
    if raw is None:
        return None
    value = json_value(raw, what) if isinstance(raw, str) and raw.lstrip().startswith("{") \
        else {"type": "Text", "value": raw}
    if not isinstance(value, dict) or value.get("type") not in ("Text", "DynamicContent") or \
            not isinstance(value.get("value"), str | int) or isinstance(value.get("value"), bool):
        raise MarketoError("1003", f"Invalid {what}: {{\"type\":\"Text\"|\"DynamicContent\","
                                   "\"value\":...}")
    text = str(value["value"])
    if len(text) > 1000:
        raise MarketoError("1003", f"{what} may hold at most 1000 characters")
    return {"type": value["type"], "value": text}


class EmailStore(EmailContent):
    kind = Kind("email", "Email", "EM", ("Email",), in_programs=True,
                full_answers=frozenset({"update", "clone"}))

    def render(self, asset: Asset, status: str, version: dict) -> dict:
        settings = version["settings"]
        return {**self.base(asset, status),
                **{name: dict(version["headers"][name]) for name in HEADERS},
                "operational": settings["operational"], "textOnly": settings["textOnly"],
                "publishToMSI": settings["publishToMSI"], "webView": settings["webView"],
                "template": version["template"],
                "isOpenTrackingDisabled": settings["isOpenTrackingDisabled"],
                "version": editor_version(version["html"]),
                "autoCopyToText": settings["autoCopyToText"],
                "preHeader": version["preHeader"], "ccFields": version["ccFields"]}

    def check_approve(self, asset: Asset, draft: dict) -> None:
        missing = [n for n in HEADERS if not draft["headers"][n]["value"]]
        if missing:
            raise MarketoError("709", f"The email needs {', '.join(missing)} to be approved")

    def users(self, asset: Asset) -> list[tuple[str, Ref]]:
        program = self.world.tree.program_of(asset.folder)
        found = self.world.owner.programs.programs.get(program) if program else None
        return [(f"approved email program {found.id}", ("Program", found.id))] \
            if found is not None and found.approved else []

    def probe(self, asset: Asset, status: str) -> None:
        self.content(asset.id, status)
        self.variables(asset.id)
        self.full_content(asset.id, status, None, None)

    def approved_in(self, ref: Ref) -> bool:
        return any(e.approved is not None and e.folder == ref for e in self.assets.values())

    # -- create and metadata -----------------------------------------------------------
    @locked
    def create(self, form: dict) -> list[dict]:
        raw = form.get("template")
        if raw in (None, ""):
            raise MarketoError("701", what="template")
        template = self.world.email_templates.live(whole_number(raw, 1))
        assert template.approved is not None
        headers = {"subject": header(form.get("subject"), "subject")
                   or {"type": "Text", "value": ""},
                   "fromName": header(form.get("fromName"), "fromName")
                   or {"type": "Text", "value": DEFAULT_FROM_NAME},
                   "fromEmail": header(form.get("fromEmail"), "fromEmail")
                   or {"type": "Text", "value": DEFAULT_FROM_EMAIL},
                   "replyEmail": header(form.get("replyEmail"), "replyEmail")
                   or {"type": "Text", "value": DEFAULT_FROM_EMAIL}}
        settings = {name: False for name in SETTINGS.values()}
        for param, name in SETTINGS.items():
            settings[name] = bool(flag(form.get(param), param, False))
        version = {"template": template.id, "html": template.approved["content"],
                   "headers": headers, "settings": settings, "preHeader": None,
                   "ccFields": None, "sections": {}, "variables": {}, "dynamic": {}}
        asset = self.add(form.get("name"), form.get("folder"), form.get("description"),
                         version)
        return [self.render(asset, "draft", version)]

    @locked
    def update_meta(self, asset_id: int, form: dict) -> list[dict]:
        """Update Email Metadata: name and description (the email's), preHeader and the
        settings (the draft's)."""
        changes = {name: flag(form.get(param), param) for param, name in SETTINGS.items()}
        pre_header = text_value(form.get("preHeader"), "preHeader", 1000)
        self.update(asset_id, form.get("name"), form.get("description"))
        if pre_header is not None or any(v is not None for v in changes.values()):
            asset, draft = self.editing(asset_id)
            draft["settings"].update({k: v for k, v in changes.items() if v is not None})
            if pre_header is not None:
                draft["preHeader"] = pre_header
            self.save(asset, draft)
        return self.answer(self.find(asset_id), "update")

    @locked
    def set_headers(self, asset_id: int, form: dict) -> list[dict]:
        """Update Email Content: subject, fromName, fromEmail, replyTO as Text or as dynamic
        content on a segmentation; isOpenTrackingDisabled."""
        given = {"subject": form.get("subject"), "fromName": form.get("fromName"),
                 "fromEmail": form.get("fromEmail"),
                 "replyEmail": form.get("replyTO", form.get("replyEmail"))}
        parsed = {k: header(v, k) for k, v in given.items() if v is not None}
        tracking = flag(form.get("isOpenTrackingDisabled"), "isOpenTrackingDisabled")
        if not parsed and tracking is None:
            raise MarketoError("701", what="subject")
        for name, value in parsed.items():
            if value is not None and value["type"] == "DynamicContent":
                self.world.segmentations.live(whole_number(value["value"], 1))
            elif value is not None and name in ("fromEmail", "replyEmail") and \
                    value["value"] and not EMAIL.fullmatch(value["value"]):
                raise MarketoError("1003", f"Invalid {name} '{value['value'][:60]}'")
        asset, draft = self.editing(asset_id)
        draft["headers"].update(parsed)
        if tracking is not None:
            draft["settings"]["isOpenTrackingDisabled"] = tracking
        self.save(asset, draft)
        return [{"id": asset.id}]

    @locked
    def send_sample(self, asset_id: int, form: dict) -> list[dict]:
        """Send Sample: to an email address, as a lead when leadId is given."""
        asset = self.find(asset_id)
        address = form.get("emailAddress")
        if not address:
            raise MarketoError("701", what="emailAddress")
        if not isinstance(address, str) or not EMAIL.fullmatch(address):
            raise MarketoError("1003", f"Invalid emailAddress '{str(address)[:60]}'")
        lead = form.get("leadId")
        if lead not in (None, ""):
            number = whole_number(lead, 1)
            if number is None or self.world.owner.leads.get(number) is None:
                raise MarketoError("1004")
        flag(form.get("textOnly"), "textOnly")
        asset.versions(None)  # any version can be sent
        return [{"service": "sendTestEmail", "result": True}]

    @staticmethod
    def cc_fields() -> list[dict]:
        return [dict(f) for f in CC_FIELDS]
