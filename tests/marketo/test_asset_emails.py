"""Emails and email templates through the asset API (issue 35; Adobe's Emails, Email
Templates and Dynamic Content pages): templates uploaded and approved, emails made from
them with their sections, modules and variables; drafts, approval, unapproval, discard,
clone and delete; dynamic content on segmentations; full content with tokens and leads."""

from __future__ import annotations

import json

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import (
    EMAIL_TEMPLATES,
    EMAILS,
    TEMPLATE,
    codes,
    email,
    email_template,
    form,
    get,
    no_assets,
    only,
    program,
    ref,
    upload,
)
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance


def test_template_life(cloud: Cloud, mkto: MarketoCaller) -> None:
    tid = email_template(mkto, approve=False)
    assert only(get(mkto, f"/emailTemplate/{tid}.json"))["status"] == "draft"
    assert codes(form(mkto, f"/emailTemplate/{tid}/discardDraft.json")) == ["709"]
    approved = only(form(mkto, f"/emailTemplate/{tid}/approveDraft.json"))
    assert approved["status"] == "approved" and approved["version"] == 2
    assert codes(form(mkto, f"/emailTemplate/{tid}/approveDraft.json")) == ["709"]
    upload(mkto, f"/emailTemplate/{tid}/content.json", "content", "<p class='mktEditable' "
                                                                    "id='x'>New</p>")
    statuses = [r["status"] for r in get(mkto, f"/emailTemplate/{tid}/content")["result"]]
    assert statuses == ["approved"]  # the live version unless the draft is asked for
    draft = only(get(mkto, f"/emailTemplate/{tid}/content", status="draft"))
    assert "New" in draft["content"] and draft["status"] == "draft"
    assert "mktoText" in only(get(mkto, f"/emailTemplate/{tid}/content"))["content"]
    only(form(mkto, f"/emailTemplate/{tid}/discardDraft.json"))
    assert no_assets(get(mkto, f"/emailTemplate/{tid}.json", status="draft"))
    renamed = only(form(mkto, f"/emailTemplate/{tid}.json", name="Renamed", description="d"))
    assert (renamed["name"], renamed["description"]) == ("Renamed", "d")
    assert only(get(mkto, "/emailTemplate/byName.json", name="Renamed"))["id"] == tid
    copy = only(form(mkto, f"/emailTemplate/{tid}/clone.json", name="Copy",
                     folder=ref(EMAIL_TEMPLATES)))
    assert copy["status"] == "draft" and copy["id"] != tid
    assert codes(form(mkto, f"/emailTemplate/{tid}/delete.json")) == ["709"]  # approved
    unapproved = only(form(mkto, f"/emailTemplate/{tid}/unapprove.json"))
    assert unapproved["status"] == "draft"
    assert only(form(mkto, f"/emailTemplate/{tid}/delete.json")) == {"id": tid}


def test_template_rules(mkto: MarketoCaller, db: MarketoInstance) -> None:
    plain = email_template(mkto, "Plain", approve=False, html="<html><body>x</body></html>")
    assert codes(form(mkto, f"/emailTemplate/{plain}/approveDraft.json")) == ["709"]
    broken = email_template(mkto, "Broken", approve=False,
                            html="<div class='mktEditable' id='a'><span></div></b>")
    assert codes(form(mkto, f"/emailTemplate/{broken}/approveDraft.json")) == ["709"]
    before = db.snapshot(activities=False)
    assert codes(upload(mkto, "/emailTemplates.json", "content", "", name="E",
                        folder=ref(EMAIL_TEMPLATES))) == ["701"]
    assert codes(upload(mkto, "/emailTemplates.json", "content", "<p>x</p>", name="E",
                        folder=ref(24))) == ["711"]
    assert codes(upload(mkto, "/emailTemplates.json", "content", "<p>x</p>", name="Plain",
                        folder=ref(EMAIL_TEMPLATES))) == ["709"]
    assert codes(form(mkto, "/emailTemplates.json", name="E", folder=ref(23))) == ["613"]
    assert db.snapshot(activities=False) == before


def test_email_made_from_an_approved_template(mkto: MarketoCaller) -> None:
    tid = email_template(mkto)
    made = only(form(mkto, "/emails.json", name="Welcome", folder=ref(EMAILS), template=tid,
                     subject="Hi", fromName="Ann", fromEmail="ann@x.example",
                     replyEmail="reply@x.example", operational="true"))
    assert made["subject"] == {"type": "Text", "value": "Hi"}
    assert made["fromName"] == {"type": "Text", "value": "Ann"}
    assert (made["template"], made["operational"], made["status"]) == (tid, True, "draft")
    assert made["folder"] == {"type": "Folder", "value": EMAILS, "folderName": "Emails"}
    assert made["createdAt"].endswith("Z+0000") and made["url"].endswith(f"EM{made['id']}A1")
    draft_tpl = email_template(mkto, "Draft only", approve=False)
    assert codes(form(mkto, "/emails.json", name="X", folder=ref(EMAILS),
                      template=draft_tpl)) == ["709"]
    assert codes(form(mkto, "/emails.json", name="X", folder=ref(EMAILS))) == ["701"]
    assert codes(form(mkto, "/emails.json", name="X", folder=ref(15), template=tid)) == ["711"]
    assert codes(form(mkto, "/emails.json", name="Welcome", folder=ref(EMAILS),
                      template=tid)) == ["709"]
    pid = program(mkto)
    in_program = email(mkto, "Welcome", folder=ref(pid, "Program"), template=tid)
    assert only(get(mkto, f"/email/{in_program}.json"))["folder"]["type"] == "Program"


def test_content_sections_modules_and_variables(mkto: MarketoCaller) -> None:
    eid = email(mkto)
    sections = get(mkto, f"/email/{eid}/content.json")["result"]
    modules = [s["htmlId"] for s in sections if s["contentType"] == "Module"]
    assert modules == ["hero", "footer"]
    headline = next(s for s in sections if s["htmlId"] == "headline")
    assert headline["parentHtmlId"] == "hero" and headline["contentType"] == "Text"
    assert headline["value"][1] == {"type": "Text", "value": "Hello {{my.Greeting}}"}
    assert only(form(mkto, f"/email/{eid}/content/headline.json", type="Text",
                     value="<h2>Hey</h2>", textValue="Hey")) == {"id": eid}
    assert codes(form(mkto, f"/email/{eid}/content/nope.json", type="Text", value="x")) == \
        ["702"]
    assert codes(form(mkto, f"/email/{eid}/content/headline.json", type="Bold",
                      value="x")) == ["1003"]
    only(form(mkto, f"/email/{eid}/content/hero/duplicate.json", name="hero2"))
    only(form(mkto, f"/email/{eid}/content/footer/rename.json", name="bottom"))
    only(form(mkto, f"/email/{eid}/content/hero2/delete.json"))
    only(form(mkto, f"/email/{eid}/content/footer/add.json", name="footer2", index=0))
    order = [s["htmlId"] for s in get(mkto, f"/email/{eid}/content.json")["result"]
             if s["contentType"] == "Module"]
    assert order == ["footer2", "hero", "bottom"]
    positions = json.dumps([{"index": 0, "moduleId": "hero"}, {"index": 1, "moduleId": "bottom"},
                            {"index": 2, "moduleId": "footer2"}])
    only(form(mkto, f"/email/{eid}/content/rearrange.json", positions=positions))
    order = [s["htmlId"] for s in get(mkto, f"/email/{eid}/content.json")["result"]
             if s["contentType"] == "Module"]
    assert order == ["hero", "bottom", "footer2"]
    assert codes(form(mkto, f"/email/{eid}/content/rearrange.json",
                      positions=json.dumps([{"index": 0, "moduleId": "hero"}]))) == ["1003"]
    assert codes(form(mkto, f"/email/{eid}/content/hero/rename.json", name="bottom")) == \
        ["709"]
    variables = get(mkto, f"/email/{eid}/variables.json")["result"]
    assert {"name": "bgColor", "value": "#ffffff", "moduleScope": False} in variables
    assert {"name": "ctaText", "value": "Read more", "moduleScope": True,
            "moduleId": "hero"} in variables
    changed = only(form(mkto, f"/email/{eid}/variable/ctaText.json", value="Buy",
                        moduleId="hero"))
    assert changed == {"name": "ctaText", "value": "Buy", "moduleScope": True,
                       "moduleId": "hero"}
    assert codes(form(mkto, f"/email/{eid}/variable/ctaText.json", value="x")) == ["702"]
    only(form(mkto, f"/email/{eid}/approveDraft.json"))
    html = only(get(mkto, f"/email/{eid}/fullContent.json"))["content"]
    assert "<h2>Hey</h2>" in html and "Buy" in html and "background:#ffffff" in html


def test_headers_approval_and_versions(cloud: Cloud, mkto: MarketoCaller) -> None:
    eid = email(mkto)
    only(form(mkto, f"/email/{eid}/content.json", subject='{"type":"Text","value":""}'))
    assert codes(form(mkto, f"/email/{eid}/approveDraft.json")) == ["709"]  # subject empty
    only(form(mkto, f"/email/{eid}/content.json", subject='{"type":"Text","value":"News"}',
              replyTO='{"type":"Text","value":"r@x.example"}'))
    assert codes(form(mkto, f"/email/{eid}/content.json",
                      fromEmail='{"type":"Text","value":"not an address"}')) == ["1003"]
    assert codes(form(mkto, f"/email/{eid}/content.json")) == ["701"]
    assert only(form(mkto, f"/email/{eid}/approveDraft.json")) == {"id": eid}
    cloud.clock.advance(60)
    only(form(mkto, f"/email/{eid}/content.json", subject='{"type":"Text","value":"Later"}'))
    versions = {v["status"]: v["subject"]["value"] for v in
                [only(get(mkto, f"/email/{eid}.json")),
                 only(get(mkto, f"/email/{eid}.json", status="draft"))]}
    assert versions == {"approved": "News", "draft": "Later"}
    assert only(get(mkto, "/emails.json", status="draft"))["subject"]["value"] == "Later"
    assert only(get(mkto, "/emails.json"))["status"] == "approved"
    only(form(mkto, f"/email/{eid}/discardDraft.json"))
    assert no_assets(get(mkto, f"/email/{eid}.json", status="draft"))
    assert codes(form(mkto, f"/email/{eid}/discardDraft.json")) == ["709"]
    assert codes(form(mkto, f"/email/{eid}/delete.json")) == ["709"]
    assert only(form(mkto, f"/email/{eid}/unapprove.json")) == {"id": eid}
    assert only(get(mkto, f"/email/{eid}.json"))["status"] == "draft"
    assert only(form(mkto, f"/email/{eid}/delete.json")) == {"id": eid}
    assert codes(form(mkto, f"/email/{eid}/approveDraft.json")) == ["702"]
    assert codes(get(mkto, f"/email/{eid}.json", status="final")) == ["1003"]


def test_metadata_clone_browse_and_dates(cloud: Cloud, mkto: MarketoCaller) -> None:
    first = email(mkto, "First")
    cloud.clock.advance(3600)
    mkto.login()
    second = email(mkto, "Second")
    meta = only(form(mkto, f"/email/{second}.json", name="Second!", preHeader="Read me",
                     textOnly="true", webView="true"))
    assert (meta["name"], meta["preHeader"], meta["textOnly"], meta["webView"]) == \
        ("Second!", "Read me", True, True)
    later = only(get(mkto, f"/email/{second}.json"))["updatedAt"]
    names = [e["name"] for e in get(mkto, "/emails.json", earliestUpdatedAt=later)["result"]]
    assert names == ["Second!"]  # the asset API's own date format is taken back
    everything = get(mkto, "/emails.json", earliestUpdatedAt="2026-01-01T00:00:00Z",
                     latestUpdatedAt="2027-01-01T00:00:00Z", maxReturn=1, offset=1)
    assert [e["id"] for e in everything["result"]] == [second]
    assert codes(get(mkto, "/emails.json", earliestUpdatedAt="yesterday")) == ["704"]
    clone = only(form(mkto, f"/email/{first}/clone.json", name="First copy",
                      folder=ref(EMAILS)))
    assert clone["status"] == "draft" and clone["subject"]["value"] == "Hi"
    assert only(get(mkto, "/email/byName.json", name="First copy",
                    folder=ref(EMAILS)))["id"] == clone["id"]
    assert no_assets(get(mkto, "/email/byName.json", name="First copy", folder=ref(27)))
    assert codes(get(mkto, "/emails.json", folder=ref(9999))) == ["710"]


def test_dynamic_content_on_a_segmentation(mkto: MarketoCaller, db: MarketoInstance) -> None:
    db.seed({"segmentations": [{"id": 1001, "name": "Region", "segments": ["West", "East"]},
                               {"id": 1002, "name": "Draft one", "status": "draft"}]})
    eid = email(mkto)
    assert codes(form(mkto, f"/email/{eid}/content/headline.json", type="DynamicContent",
                      value="1002")) == ["709"]  # not approved
    only(form(mkto, f"/email/{eid}/content/headline.json", type="DynamicContent",
              value="1001"))
    section = next(s for s in get(mkto, f"/email/{eid}/content.json")["result"]
                   if s["htmlId"] == "headline")
    assert section["contentType"] == "DynamicContent"
    content_id = section["value"]
    only(form(mkto, f"/email/{eid}/dynamicContent/{content_id}.json", segment="West",
              type="HTML", value="<h1>Howdy</h1>"))
    shown = only(get(mkto, f"/email/{eid}/dynamicContent/{content_id}.json"))
    by_segment = {c["segmentName"]: c["content"] for c in shown["content"]}
    assert by_segment["West"] == "<h1>Howdy</h1>" and shown["segmentation"] == 1001
    assert set(by_segment) == {"West", "East", "Default"}
    assert codes(form(mkto, f"/email/{eid}/dynamicContent/{content_id}.json",
                      segment="North", type="HTML", value="x")) == ["1003"]
    assert codes(get(mkto, f"/email/{eid}/dynamicContent/bm9wZQ.json")) == ["702"]
    only(form(mkto, f"/email/{eid}/content.json", subject='{"type":"DynamicContent",'
                                                          '"value":1001}'))
    assert only(get(mkto, f"/email/{eid}.json"))["subject"]["type"] == "DynamicContent"


def test_snippets_in_sections_and_full_content(mkto: MarketoCaller, db: MarketoInstance) -> None:
    mkto.sync([{"email": "ann@x.example", "firstName": "Ann"}])
    pid = program(mkto)
    only(form(mkto, f"/folder/{pid}/tokens.json", name="Greeting", type="text", value="friend",
              folderType="Program"))
    eid = email(mkto, folder=ref(pid, "Program"))
    snippet = only(form(mkto, "/snippets.json", name="Legal", folder=ref(27)))["id"]
    assert codes(form(mkto, f"/email/{eid}/content/footerText.json", type="Snippet",
                      value=str(snippet))) == ["709"]  # not approved yet
    form(mkto, f"/snippet/{snippet}/content.json", type="HTML", content="<p>Legal</p>")
    only(form(mkto, f"/snippet/{snippet}/approveDraft.json"))
    only(form(mkto, f"/email/{eid}/content/footerText.json", type="Snippet",
              value=str(snippet)))
    html = only(get(mkto, f"/email/{eid}/fullContent.json", leadId=1))["content"]
    assert "Hello friend" in html and "<p>Legal</p>" in html
    text = only(get(mkto, f"/email/{eid}/fullContent.json", type="Text"))["content"]
    assert "<" not in text and "Hello friend" in text
    assert codes(get(mkto, f"/email/{eid}/fullContent.json", leadId=99)) == ["1004"]
    assert codes(form(mkto, f"/snippet/{snippet}/unapprove.json")) == ["709"]  # in use
    replaced = upload(mkto, f"/email/{eid}/fullContent.json", "content", "<p>x</p>")
    assert codes(replaced) == ["709"]  # still linked to its template
    assert only(get(mkto, f"/emailTemplates/{db.assets.emails.assets[eid].draft['template']}"
                          "/usedBy.json"))["id"] == eid


def test_replace_html_of_an_unlinked_email(mkto: MarketoCaller, db: MarketoInstance) -> None:
    eid = email(mkto)
    db.assets.emails.assets[eid].draft["template"] = None  # "Edit Code" in the UI unlinks it
    refused = upload(mkto, f"/email/{eid}/fullContent.json", "content",
                     "<html><script>x()</script></html>")
    assert codes(refused) == ["709"]
    answer = upload(mkto, f"/email/{eid}/fullContent.json", "content",
                    "<html><body><div><p>Plain</body></html>")
    assert answer["result"] == [{"id": eid}] and answer["warnings"]  # malformed: a warning
    assert "Plain" in only(get(mkto, f"/email/{eid}/fullContent.json"))["content"]


def test_send_sample_and_cc_fields(mkto: MarketoCaller) -> None:
    eid = email(mkto)
    assert only(form(mkto, f"/email/{eid}/sendSample.json", emailAddress="qa@x.example",
                     textOnly="true")) == {"service": "sendTestEmail", "result": True}
    assert codes(form(mkto, f"/email/{eid}/sendSample.json")) == ["701"]
    assert codes(form(mkto, f"/email/{eid}/sendSample.json", emailAddress="nope")) == ["1003"]
    assert codes(form(mkto, "/email/4242/sendSample.json", emailAddress="a@x.example")) == \
        ["702"]
    fields = get(mkto, "/email/ccFields.json")["result"]
    assert {f["displayName"] for f in fields} >= {"Lead Owner Email Address"}


def test_template_in_use_stays(mkto: MarketoCaller) -> None:
    tid = email_template(mkto)
    email(mkto, template=tid)
    assert codes(form(mkto, f"/emailTemplate/{tid}/unapprove.json")) == ["709"]
    used = get(mkto, f"/emailTemplates/{tid}/usedBy.json")["result"]
    assert [u["type"] for u in used] == ["Email"]
    assert codes(get(mkto, "/emailTemplates/4242/usedBy.json")) == ["702"]
    assert TEMPLATE  # the template every email here is made from
