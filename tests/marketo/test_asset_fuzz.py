"""Hostile input to the asset API (issue 35): hypothesis draws an asset route of the mock,
ids from a seeded world (or hostile ones), and a query or form body mixing valid examples
with hostile values. Every answer is below 500, never 611, always Marketo's asset envelope,
and a refused call leaves the instance exactly as it was.

`VENDORSIM_ASSET_FUZZ_EXAMPLES` (default 300) sets how many calls one run makes."""

from __future__ import annotations

import copy
import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import MUNCHKIN, MarketoCaller
from tests.marketo.test_asset_seeds import WORLD
from vendorsim import Cloud

EXAMPLES = int(os.environ.get("VENDORSIM_ASSET_FUZZ_EXAMPLES", "300"))
CLOUD = Cloud("virtual")
CLOUD.clock.set("2026-11-23T12:00:00Z")
CALLER = MarketoCaller()
CALLER.session = CLOUD.requests_session()
ROUTES = sorted({(r.rule, m) for r in CLOUD.service("marketo").app.url_map.iter_rules()
                 if r.rule.startswith("/rest/asset/v1/")
                 for m in (r.methods or set()) - {"HEAD", "OPTIONS"}})
IDS = [1, 7, 11, 13, 15, 22, 23, 24, 25, 26, 27, 28, 100, 101, 1001, 1002, 2001, 3001,
       4001, 5001]
NAMES = ["headline", "hero", "footer", "intro", "signup", "FirstName", "Email", "ctaText",
         "heroTitle", "RVMtaGVhZGxpbmU=", "..%2F..", "x" * 300, "%00", "Default"]
PARAMS = ["name", "folder", "parent", "description", "type", "value", "content", "template",
          "status", "root", "maxDepth", "offset", "maxReturn", "earliestUpdatedAt",
          "latestUpdatedAt", "fieldId", "label", "positions", "visibilityRule", "thankyou",
          "segment", "moduleId", "index", "tags", "costs", "channel", "folderType",
          "hostname", "redirectFrom", "redirectTo", "emailAddress", "leadId", "includeRules",
          "isActive", "isArchive", "insertOnly", "subject", "fromEmail", "replyTO",
          "textValue", "values", "costsDestructiveUpdate", "startDate", "endDate",
          "templateType", "enableMunchkin", "urlPageName", "segmentation", "workSpace"]
VALID = ['{"id":15,"type":"Folder"}', '{"id":7,"type":"Program"}', '{"id":22,"type":"Folder"}',
         "Default", "Content", "Event", "Text", "HTML", "DynamicContent", "approved", "draft",
         "Folder", "Program", "1001", "2001", "3001", "true", "false", "0", "20", "200",
         "2026-01-01T00:00:00Z", "2026-11-23T12:00:00Z+0000", "a@x.example", "go.acme.example",
         '{"type":"path","value":"/a"}', '{"type":"url","value":"https://x.example"}',
         '[{"tagType":"Region","tagValue":"EMEA"}]', '[{"startDate":"2026-01-01","cost":5}]',
         '[{"index":0,"moduleId":"hero"}]', '{"ruleType":"alwaysShow","rules":[]}',
         '[{"followupType":"none","followupValue":null,"default":true}]', "<p>hi</p>",
         '{"type":"Text","value":"Hi"}', "guided", "Retail", "New name"]
HOSTILE = ["", " ", "null", "[]", "{}", '{"id":1e999}', '{"id":-1,"type":"Folder"}', "-1",
           "99999999999999999999", "NaN", "\u0000", "<script>x</script>", "x" * 5000,
           '{"type":"Text","value":' + "1" * 400 + "}", "[" * 200 + "]" * 200, "0001-01-01",
           '{"id":15,"type":"Zone"}', "ünïcödé", ",,,", '[{"index":"a"}]']
values = st.sampled_from(VALID) | st.sampled_from(HOSTILE) | st.text(max_size=30)


def fill(path: str, draw: st.DrawFn) -> str:
    def one(match: re.Match) -> str:
        if match.group(1) == "int":
            return str(draw(st.sampled_from(IDS) | st.integers(0, 2**40)))
        return draw(st.sampled_from(NAMES))
    return re.sub(r"<(?:(\w+):)?\w+>", one, path)


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, str, dict, str]:
    rule, method = draw(st.sampled_from(ROUTES))
    params = draw(st.dictionaries(st.sampled_from(PARAMS), values, max_size=6))
    how = draw(st.sampled_from(["query", "form", "form", "json", "multipart"]))
    return method, fill(rule, draw), params, how


def fresh_instance() -> None:
    """The seeded world again; the rate limits off, so every call reaches its view."""
    service = CLOUD.service("marketo")
    service.reset(MUNCHKIN)
    service.seed_tenant(MUNCHKIN, state=copy.deepcopy(WORLD), credentials=[
        {"client_id": "cdp", "client_secret": "s3cret"}], limits={"enabled": False})
    CALLER.login()


fresh_instance()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(call=calls())
def test_no_asset_call_breaks_the_instance(call: tuple[str, str, dict, str]) -> None:
    method, path, params, how = call
    db = CLOUD.marketo(MUNCHKIN)
    before = db.snapshot(activities=False)
    url = f"{CALLER.base}{path}"
    if how == "query" or method == "GET":
        answer = CALLER.session.request(method, url, params=params)
    elif how == "json":
        answer = CALLER.session.request(method, url, json=params)
    elif how == "multipart":
        answer = CALLER.session.request(method, url, data=params,
                                        files={"content": ("f.html", "<p class='mktEditable' "
                                                           "id='a'>x</p>", "text/html")})
    else:
        answer = CALLER.session.request(method, url, data=params)
    assert answer.status_code < 500, (call, answer.text[:300])
    if answer.status_code in (404, 405, 413, 414):
        return  # the nginx front's answers: no envelope
    body = answer.json()
    assert {"success", "requestId"} <= set(body), (call, body)
    found = [e["code"] for e in body.get("errors", [])]
    assert "611" not in found, (call, body)
    if body["success"] is False:
        assert found, body
        assert db.snapshot(activities=False) == before, (call, body)
    else:
        assert body["errors"] == [] and isinstance(body["warnings"], list), body
        json.dumps(db.snapshot(activities=False))  # still serialises
        if method == "POST":
            fresh_instance()  # the next call starts from the seeded world again
