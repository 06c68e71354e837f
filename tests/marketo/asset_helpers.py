"""Shared steps of the asset API tests: form posts, uploads, and assets made the way a
client makes them (template, email, landing page, form, snippet, program)."""

from __future__ import annotations

import json

from tests.helpers import MarketoCaller

BASE = "/rest/asset/v1"
EMAILS, EMAIL_TEMPLATES, PAGES, PAGE_TEMPLATES, FORMS, SNIPPETS, FILES = 22, 23, 24, 25, 26, \
    27, 28
TEMPLATE = """<html><head>
<meta class="mktoString" id="ctaText" mktoName="CTA" default="Read more" mktoModuleScope="true">
<meta class="mktoColor" id="bgColor" mktoName="Background" default="#ffffff">
</head><body style="background:${bgColor}">
<div class="mktoContainer" id="body">
<table class="mktoModule" id="hero"><tr><td>
<div class="mktoText" id="headline"><h1>Hello {{my.Greeting}}</h1></div>
<a href="#">${ctaText}</a></td></tr></table>
<table class="mktoModule" id="footer"><tr><td>
<div class="mktoText" id="footerText"><p>Bye {{lead.First Name}}</p></div>
<img class="mktoImg" id="logo" src="logo.png" alt="Logo"/>
</td></tr></table>
</div></body></html>"""
PAGE_TEMPLATE = """<html><head>
<meta class="mktoString" id="heroTitle" mktoName="Title" default="Welcome">
<meta class="mktoColor" id="accent" mktoName="Accent" default="#336699">
<meta class="mktoBoolean" id="showFooter" mktoName="Footer" default="true">
</head><body><h1>${heroTitle}</h1>
<div class="mktoText" id="intro">Intro {{my.Greeting}}</div>
<div class="mktoForm" id="signup"></div>
</body></html>"""


def ref(number: int, kind: str = "Folder") -> str:
    return json.dumps({"id": number, "type": kind})


def form(mkto: MarketoCaller, path: str, **data: object) -> dict:
    """A form-encoded POST to the asset API, as Adobe's examples send them."""
    return mkto.session.post(mkto.base + BASE + path, data=data).json()


def upload(mkto: MarketoCaller, path: str, part: str, content: str | bytes,
           mime: str = "text/html", **data: object) -> dict:
    return mkto.session.post(mkto.base + BASE + path, data=data,
                             files={part: ("f.html", content, mime)}).json()


def get(mkto: MarketoCaller, path: str, **params: object) -> dict:
    return mkto.get(BASE + path, **params)


def only(body: dict) -> dict:
    assert body["success"] is True and body["errors"] == [], body
    assert len(body["result"]) == 1, body
    return body["result"][0]


def email_template(mkto: MarketoCaller, name: str = "Newsletter", approve: bool = True,
                   html: str = TEMPLATE) -> int:
    made = only(upload(mkto, "/emailTemplates.json", "content", html, name=name,
                       folder=ref(EMAIL_TEMPLATES)))
    if approve:
        only(form(mkto, f"/emailTemplate/{made['id']}/approveDraft.json"))
    return made["id"]


def email(mkto: MarketoCaller, name: str = "Welcome", folder: str = ref(EMAILS),
          template: int | None = None, **extra: object) -> int:
    template = template or email_template(mkto, f"T for {name}")
    return only(form(mkto, "/emails.json", name=name, folder=folder, template=template,
                     subject="Hi", **extra))["id"]


def page_template(mkto: MarketoCaller, name: str = "Guided", kind: str = "guided",
                  html: str = PAGE_TEMPLATE) -> int:
    made = only(form(mkto, "/landingPageTemplates.json", name=name, folder=ref(PAGE_TEMPLATES),
                     templateType=kind))
    upload(mkto, f"/landingPageTemplate/{made['id']}/content.json", "content", html)
    only(form(mkto, f"/landingPageTemplate/{made['id']}/approveDraft.json"))
    return made["id"]


def program(mkto: MarketoCaller, name: str = "Webinar 2026", kind: str = "Default",
            channel: str = "Content", folder: str = ref(15), **extra: object) -> int:
    return only(form(mkto, "/programs.json", name=name, folder=folder, type=kind,
                     channel=channel, **extra))["id"]


def codes(body: dict) -> list[str]:
    return [e["code"] for e in body.get("errors", [])]


def no_assets(body: dict) -> bool:
    """Marketo's answer to a read that finds nothing: success, the warning, no result."""
    return body["success"] is True and "result" not in body and \
        body["warnings"] == ["No assets found for the given search criteria."]
