"""Landing pages, their templates, redirect rules and domains through the asset API (issue 35;
Adobe's Landing Pages, Landing Page Templates and Redirect Rules pages)."""

from __future__ import annotations

import json

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import (
    PAGE_TEMPLATES,
    PAGES,
    codes,
    form,
    get,
    no_assets,
    only,
    page_template,
    program,
    ref,
    upload,
)
from vendorsim.mocks.marketo.model.instance import MarketoInstance


def page(mkto: MarketoCaller, name: str = "Signup", template: int | None = None,
         **extra: object) -> int:
    template = template or page_template(mkto, f"T {name}")
    return only(form(mkto, "/landingPages.json", name=name, folder=ref(PAGES),
                     template=template, **extra))["id"]


def test_template_life(mkto: MarketoCaller) -> None:
    made = only(form(mkto, "/landingPageTemplates.json", name="Free", folder=ref(PAGE_TEMPLATES)))
    assert (made["templateType"], made["enableMunchkin"], made["status"]) == \
        ("freeForm", False, "draft")
    tid = made["id"]
    assert codes(form(mkto, f"/landingPageTemplate/{tid}/approveDraft.json")) == ["709"]
    upload(mkto, f"/landingPageTemplate/{tid}/content.json", "content",
           '<html><body><div id="mktoContent"></div></body></html>')
    content = only(get(mkto, f"/landingPageTemplate/{tid}/content.json"))
    assert content["templateType"] == "freeForm" and "mktoContent" in content["content"]
    assert only(form(mkto, f"/landingPageTemplate/{tid}/approveDraft.json"))["status"] == \
        "approved"
    meta = only(form(mkto, f"/landingPageTemplate/{tid}.json", enableMunchkin="true",
                     name="Free form"))
    assert meta["name"] == "Free form"
    drafted = only(get(mkto, f"/landingPageTemplate/{tid}.json", status="draft"))
    assert drafted["enableMunchkin"] is True
    only(form(mkto, f"/landingPageTemplate/{tid}/discardDraft.json"))
    assert only(get(mkto, "/landingPageTemplate/byName.json", name="Free form"))["id"] == tid
    assert [t["id"] for t in get(mkto, "/landingPageTemplates.json", status="approved",
                                 folder=ref(PAGE_TEMPLATES))["result"]] == [tid]
    copy = only(form(mkto, f"/landingPageTemplate/{tid}/clone.json", name="Copy",
                     folder=ref(PAGE_TEMPLATES)))
    assert copy["status"] == "draft"
    assert codes(form(mkto, "/landingPageTemplates.json", name="X", folder=ref(PAGE_TEMPLATES),
                      templateType="fancy")) == ["1003"]
    assert only(form(mkto, f"/landingPageTemplate/{tid}/unapprove.json"))["status"] == "draft"
    assert only(form(mkto, f"/landingPageTemplate/{tid}/delete.json")) == {"id": tid}


def test_a_guided_page_gets_its_templates_sections_and_variables(mkto: MarketoCaller) -> None:
    tid = page_template(mkto)
    made = only(form(mkto, "/landingPages.json", name="Sign up", folder=ref(PAGES),
                     template=tid, title="Join", keywords="x", prefillForm="true"))
    assert (made["template"], made["title"], made["formPrefill"]) == (tid, "Join", True)
    assert made["URL"].endswith("/lp/123-ABC-456/Sign-up.html")
    assert made["computedUrl"].endswith(f"#LP{made['id']}A1")
    sections = get(mkto, f"/landingPage/{made['id']}/content.json")["result"]
    assert [(s["id"], s["type"]) for s in sections] == [("intro", "RichText"), ("signup", "Form")]
    variables = get(mkto, f"/landingPage/{made['id']}/variables.json")["result"]
    assert {"id": "accent", "type": "color", "value": "#336699"} in variables
    changed = only(form(mkto, f"/landingPage/{made['id']}/variable/heroTitle.json",
                        value="Hi there"))
    assert changed == {"id": "heroTitle", "type": "string", "value": "Hi there"}
    assert codes(form(mkto, f"/landingPage/{made['id']}/variable/accent.json",
                      value="blue")) == ["1003"]
    assert codes(form(mkto, f"/landingPage/{made['id']}/variable/nope.json", value="x")) == \
        ["702"]
    html = only(get(mkto, f"/landingPage/{made['id']}/fullContent.json"))["content"]
    assert "<h1>Hi there</h1>" in html
    assert codes(form(mkto, "/landingPages.json", name="Other", folder=ref(PAGES),
                      template=tid, urlPageName="Sign-up")) == ["709"]


def test_sections_added_updated_deleted(mkto: MarketoCaller) -> None:
    free = only(form(mkto, "/landingPageTemplates.json", name="Free", folder=ref(PAGE_TEMPLATES)))
    upload(mkto, f"/landingPageTemplate/{free['id']}/content.json", "content",
           '<html><body><div id="mktoContent"></div></body></html>')
    form(mkto, f"/landingPageTemplate/{free['id']}/approveDraft.json")
    pid = page(mkto, "Free page", template=free["id"])
    assert no_assets(get(mkto, f"/landingPage/{pid}/content.json"))  # free form: empty
    only(form(mkto, f"/landingPage/{pid}/content.json", contentId="hello", type="RichText",
              value="<p>Hello</p>", top="10px", left="20px"))
    only(form(mkto, f"/landingPage/{pid}/content.json", contentId="box", type="Rectangle"))
    assert codes(form(mkto, f"/landingPage/{pid}/content.json", contentId="box",
                      type="HTML", value="x")) == ["709"]
    assert codes(form(mkto, f"/landingPage/{pid}/content.json", contentId="f", type="Form",
                      value="4242")) == ["709"]
    assert codes(form(mkto, f"/landingPage/{pid}/content.json", contentId="v", type="Video",
                      value="1")) == ["1003"]
    only(form(mkto, f"/landingPage/{pid}/content/box.json", type="HTML", value="<i>x</i>",
              index=0))
    sections = get(mkto, f"/landingPage/{pid}/content.json")["result"]
    assert [(s["id"], s["index"]) for s in sections] == [("box", 0), ("hello", 1)]
    assert sections[1]["formattingOptions"] == {"top": "10px", "left": "20px"}
    html = only(get(mkto, f"/landingPage/{pid}/fullContent.json"))["content"]
    assert '<div id="mktoContent"><div id="box"><i>x</i></div><div id="hello"><p>Hello</p>' \
           '</div></div>' in html
    only(form(mkto, f"/landingPage/{pid}/content/box/delete.json"))
    assert codes(form(mkto, f"/landingPage/{pid}/content/box/delete.json")) == ["702"]
    assert [s["id"] for s in get(mkto, f"/landingPage/{pid}/content.json")["result"]] == \
        ["hello"]


def test_dynamic_sections(mkto: MarketoCaller, db: MarketoInstance) -> None:
    db.seed({"segmentations": [{"id": 1001, "name": "Industry",
                                "segments": [{"id": 2001, "name": "Retail"}]}]})
    pid = page(mkto)
    only(form(mkto, f"/landingPage/{pid}/content/intro.json", type="DynamicContent",
              value="1001"))
    intro = get(mkto, f"/landingPage/{pid}/content.json")["result"][0]
    assert intro["type"] == "DynamicContent" and intro["content"]["segmentation"] == 1001
    only(form(mkto, f"/landingPage/{pid}/dynamicContent/intro.json", segment="2001",
              type="HTML", value="<b>Shops</b>"))
    shown = only(get(mkto, f"/landingPage/{pid}/dynamicContent/intro.json"))
    assert {c["segmentName"]: c["content"] for c in shown["content"]}["Retail"] == \
        "<b>Shops</b>"
    preview = only(get(mkto, f"/landingPage/{pid}/fullContent.json",
                       segmentation=json.dumps([{"segmentationId": 1001,
                                                 "segmentId": 2001}])))["content"]
    assert "<b>Shops</b>" in preview
    assert codes(get(mkto, f"/landingPage/{pid}/dynamicContent/signup.json")) == ["709"]
    assert codes(form(mkto, f"/landingPage/{pid}/dynamicContent/intro.json",
                      segment="9", value="x")) == ["1003"]


def test_approval_metadata_clone_and_reads(mkto: MarketoCaller) -> None:
    signup = only(form(mkto, "/forms.json", name="Signup form", folder=ref(26)))["id"]
    pid = page(mkto)
    only(form(mkto, f"/landingPage/{pid}/content/signup.json", type="Form", value=str(signup)))
    assert codes(form(mkto, f"/landingPage/{pid}/approveDraft.json")) == ["709"]  # form draft
    only(form(mkto, f"/form/{signup}/approveDraft.json"))
    assert only(form(mkto, f"/landingPage/{pid}/approveDraft.json")) == {"id": pid}
    assert only(get(mkto, f"/form/{signup}/usedBy.json"))["type"] == "Landing Page"
    assert codes(form(mkto, f"/form/{signup}/delete.json")) == ["709"]  # the page uses it
    meta = only(form(mkto, f"/landingPage/{pid}.json", title="New title", robots="noindex",
                     mobileEnabled="true", description="d"))
    assert meta["title"] == ""  # the answer shows the live version; the change is a draft
    assert only(get(mkto, f"/landingPage/{pid}.json", status="draft"))["title"] == "New title"
    assert only(get(mkto, "/landingPages.json", status="draft"))["id"] == pid
    assert only(get(mkto, "/landingPage/byName.json", name="Signup"))["id"] == pid
    copy = only(form(mkto, f"/landingPage/{pid}/clone.json", name="Signup B",
                     folder=ref(PAGES)))
    assert copy["status"] == "draft" and copy["URL"].endswith("/Signup-B.html")
    assert codes(form(mkto, f"/landingPage/{pid}/delete.json")) == ["709"]
    only(form(mkto, f"/landingPage/{pid}/unapprove.json"))
    only(form(mkto, f"/landingPage/{pid}/delete.json"))
    assert no_assets(get(mkto, f"/landingPage/{pid}.json"))
    programmed = only(form(mkto, "/landingPages.json", name="In program",
                           folder=ref(program(mkto), "Program"),
                           template=page_template(mkto, "T2")))
    assert programmed["folder"]["type"] == "Program"


def test_redirect_rules_and_domains(mkto: MarketoCaller, db: MarketoInstance) -> None:
    domains = get(mkto, "/landingPageDomains.json")["result"]
    assert domains == [{"hostname": "123-abc-456.mktoweb.com", "type": "domain"}]
    db.seed({"landingPageDomains": [{"hostname": "go.acme.example", "type": "domain-alias"}]})
    pid = page(mkto)
    rule = only(form(mkto, "/redirectRules.json", hostname="go.acme.example",
                     redirectFrom='{"type":"path","value":"/old"}',
                     redirectTo=json.dumps({"type": "landingPageId", "value": str(pid)})))
    assert rule["redirectFromUrl"] == "go.acme.example/old"
    assert rule["redirectToUrl"].endswith("/lp/123-ABC-456/Signup.html")
    assert codes(form(mkto, "/redirectRules.json", hostname="go.acme.example",
                      redirectFrom='{"type":"path","value":"/old"}',
                      redirectTo='{"type":"url","value":"https://x.example"}')) == ["709"]
    assert codes(form(mkto, "/redirectRules.json", hostname="evil.example",
                      redirectFrom='{"type":"path","value":"/a"}',
                      redirectTo='{"type":"url","value":"https://x.example"}')) == ["709"]
    assert codes(form(mkto, "/redirectRules.json", hostname="go.acme.example")) == ["701"]
    found = get(mkto, "/redirectRules.json", redirectToLandingPageId=pid)["result"]
    assert [r["id"] for r in found] == [rule["id"]]
    assert codes(form(mkto, f"/landingPage/{pid}/delete.json")) == ["709"]  # the rule uses it
    moved = only(form(mkto, f"/redirectRule/{rule['id']}.json",
                      redirectTo='{"type":"url","value":"https://x.example/new"}'))
    assert moved["redirectToUrl"] == "https://x.example/new"
    assert only(get(mkto, f"/redirectRule/{rule['id']}.json"))["id"] == rule["id"]
    assert only(form(mkto, f"/redirectRule/{rule['id']}/delete.json")) == {"id": rule["id"]}
    assert codes(form(mkto, f"/redirectRule/{rule['id']}/delete.json")) == ["702"]
    assert no_assets(get(mkto, "/redirectRules.json"))
