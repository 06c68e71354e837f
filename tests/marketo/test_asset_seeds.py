"""Seeding the asset world (issue 35): short-form seeds build the same world the API would,
snapshots round-trip whole, a hostile snapshot is refused whole, the older folder seed form
still works, and scenario files seed assets (checked by `vendorsim check`)."""

from __future__ import annotations

import base64
import copy
from pathlib import Path

import pytest

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import PAGE_TEMPLATE, TEMPLATE, get, only
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance
from vendorsim.simulator.cli import main as vendorsim

WORLD = {
    "leads": [{"id": 1, "email": "ann@x.example", "firstName": "Ann"}],
    "folders": [{"id": 100, "name": "Events", "folderType": "Marketing Folder"},
                {"id": 101, "name": "Assets", "parent": {"id": 7, "type": "Program"}}],
    "programs": [{"id": 7, "name": "Summit", "type": "event", "channel": "Tradeshow",
                  "folderId": 100, "tags": [{"tagType": "Region", "tagValue": "EMEA"}],
                  "costs": [{"startDate": "2026-01-01", "cost": 10}]}],
    "campaigns": [{"id": 11, "name": "Invite", "programId": 7, "isTriggerable": True}],
    "tagTypes": [{"tagType": "Region", "allowableValues": ["EMEA"]}],
    "segmentations": [{"id": 1001, "name": "Industry", "segments": ["Retail"]}],
    "emailTemplates": [{"id": 2001, "name": "Base", "folder": {"id": 23, "type": "Folder"},
                        "content": TEMPLATE, "status": "approved"}],
    "emails": [{"id": 3001, "name": "Invite", "folder": {"id": 101, "type": "Folder"},
                "template": 2001, "subject": "Come", "status": "approved"}],
    "landingPageTemplates": [{"name": "Guided", "folder": {"id": 25, "type": "Folder"},
                              "templateType": "guided", "content": PAGE_TEMPLATE,
                              "status": "approved"}],
    "forms": [{"id": 4001, "name": "Signup", "folder": {"id": 7, "type": "Program"},
               "status": "approved"}],
    "landingPages": [{"name": "Register", "folder": {"id": 7, "type": "Program"},
                      "template": 1001, "title": "Register"}],
    "snippets": [{"name": "Legal", "folder": {"id": 27, "type": "Folder"},
                  "content": "<p>(c)</p>", "status": "approved"}],
    "files": [{"name": "logo.png", "mimeType": "image/png",
               "content": base64.b64encode(b"png").decode()}],
    "smartLists": [{"id": 5001, "name": "Retail people"}],
    "tokens": [{"folder": {"id": 7, "type": "Program"}, "name": "Date", "type": "date",
                "value": "2026-12-01"}],
    "landingPageDomains": [{"hostname": "go.acme.example"}],
    "redirectRules": [{"hostname": "go.acme.example", "redirectFrom": {"type": "path",
                                                                       "value": "/summit"},
                       "redirectTo": {"type": "landingPageId", "value": "1001"}}],
}


def test_a_seeded_world_reads_like_one_made_through_the_api(mkto: MarketoCaller,
                                                             db: MarketoInstance) -> None:
    db.seed(copy.deepcopy(WORLD))
    assert only(get(mkto, "/program/7.json"))["folder"]["folderName"] == "Events"
    assert only(get(mkto, "/folder/101.json"))["path"] == \
        "/Marketing Activities/Default/Events/Summit/Assets"
    assert only(get(mkto, "/email/3001.json"))["status"] == "approved"
    assert only(get(mkto, "/emailTemplates/2001/usedBy.json"))["id"] == 3001
    assert only(get(mkto, "/folder/101/tokens.json"))["tokens"][0]["value"] == "2026-12-01"
    assert only(get(mkto, "/smartCampaign/11.json"))["parentProgramId"] == 7
    assert [c["type"] for c in get(mkto, "/folder/7/content.json",
                                   type="Program")["result"]] == \
        ["Folder", "Form", "Landing Page", "Smart Campaign"]
    assert only(get(mkto, "/redirectRules.json"))["redirectToUrl"].endswith("/Register.html")


def test_snapshots_round_trip(cloud: Cloud, mkto: MarketoCaller, db: MarketoInstance) -> None:
    db.seed(copy.deepcopy(WORLD))
    # changes made through the API after the seed: drafts, a created program, a clone
    mkto.session.post(f"{mkto.base}/rest/asset/v1/email/3001/content/headline.json",
                      data={"type": "Text", "value": "<h1>Soon</h1>"})
    mkto.session.post(f"{mkto.base}/rest/asset/v1/program/7/clone.json",
                      data={"name": "Summit 2", "folder": '{"id":100,"type":"Folder"}'})
    mkto.session.post(f"{mkto.base}/rest/asset/v1/folders.json",
                      data={"name": "Old", "parent": '{"id":15,"type":"Folder"}'})
    state = db.snapshot()
    fresh = MarketoInstance("X", db.clock)
    fresh.restore(state)
    assert fresh.snapshot() == state
    again = MarketoInstance("Y", db.clock)
    again.restore(fresh.snapshot())
    assert again.assets.emails.assets[3001].draft == db.assets.emails.assets[3001].draft


@pytest.mark.parametrize(("key", "change"), [
    ("emails", lambda r: r.update(draft={"html": 3})),
    ("emails", lambda r: r.update(approved=None, draft=None)),
    ("emails", lambda r: r.update(folder={"id": 9999, "type": "Folder"})),
    ("forms", lambda r: r.update(draft={"fields": "all"})),
    ("folders", lambda r: r.update(parent={"id": 9999, "type": "Folder"})),
    ("tokens", lambda r: r.update(type="colour")),
    ("smartLists", lambda r: r.update(rules=[])),
    ("files", lambda r: r.update(content="not base64!")),
    ("redirectRules", lambda r: r.update(hostname="elsewhere.example")),
    ("channels", lambda r: r.update(applicableProgramType="party")),
])
def test_a_hostile_snapshot_is_refused_whole(db: MarketoInstance, key: str, change) -> None:
    db.seed(copy.deepcopy(WORLD))
    state = db.snapshot()
    change(state[key][-1])
    fresh = MarketoInstance("X", db.clock)
    with pytest.raises(ValueError):
        fresh.restore(state)
    assert fresh.snapshot() == MarketoInstance("X", db.clock).snapshot()


def test_short_form_seed_mistakes_name_the_asset(db: MarketoInstance) -> None:
    with pytest.raises(ValueError, match="email 'Bad'.*template"):
        db.seed({"emails": [{"name": "Bad", "folder": {"id": 22, "type": "Folder"},
                             "template": 4242}]})
    with pytest.raises(ValueError, match="its parent folder is not seeded"):
        db.seed({"programs": [{"id": 9, "name": "Lost", "folderId": 777}]})
    assert db.assets.emails.assets == {} and 9 not in db.programs.programs


def test_the_older_folder_seed_form_makes_programs(mkto: MarketoCaller,
                                                   db: MarketoInstance) -> None:
    db.seed({"folders": [{"id": 50, "name": "Webinar", "folderType": "Program",
                          "workspace": "EMEA"},
                         {"id": 60, "name": "Partner lists", "folderType": "List"}]})
    program = only(get(mkto, "/program/50.json"))
    assert (program["workspace"], program["folder"]["folderName"]) == ("EMEA", "EMEA")
    assert only(get(mkto, "/folder/60.json"))["path"] == "/Lead Database/Default/Partner lists"


SCENARIO = """\
name: assets
start: 2026-01-05T09:00:00Z
vendors:
  marketo:
    - munchkin_id: 123-ABC-456
      emailTemplates:
        - name: Base
          folder: {id: 23, type: Folder}
          content: "<p class='mktEditable' id='a'>x</p>"
          status: approved
      emails:
        - {name: Hello, folder: {id: 22, type: Folder}, template: %s}
data:
  people: []
"""


def test_scenarios_seed_assets(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(SCENARIO % "1001")
    assert vendorsim(["check", str(good)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO % "4242")
    assert vendorsim(["check", str(bad)]) == 2
    error = capsys.readouterr().err
    assert "bad.yaml:" in error and "4242" in error
