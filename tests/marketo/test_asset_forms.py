"""Forms through the asset API (issue 35; Adobe's Forms page): default fields, lead and
program member fields, fieldsets, rich text, visibility rules, positions, follow-up pages,
the submit button, approval without unapproval, and refusals that change nothing."""

from __future__ import annotations

import json

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import FORMS, codes, form, get, no_assets, only, program, ref
from vendorsim.mocks.marketo.model.instance import MarketoInstance


def new_form(mkto: MarketoCaller, name: str = "Signup", folder: str = ref(FORMS),
             **extra: object) -> int:
    return only(form(mkto, "/forms.json", name=name, folder=folder, **extra))["id"]


def ids(mkto: MarketoCaller, fid: int, **params: object) -> list[str]:
    return [f["id"] for f in get(mkto, f"/form/{fid}/fields.json", **params)["result"]]


def test_a_new_form(mkto: MarketoCaller) -> None:
    made = only(form(mkto, "/forms.json", name="Signup", folder=ref(FORMS), language="French",
                     locale="fr_FR", description="d"))
    assert (made["language"], made["locale"], made["theme"], made["status"]) == \
        ("French", "fr_FR", "simple", "draft")
    assert made["thankYouList"] == [{"followupType": "none", "followupValue": None,
                                     "default": True}]
    assert (made["buttonLabel"], made["buttonLocation"], made["waitingLabel"]) == \
        ("Submit", 120, "Please Wait")
    assert made["url"].endswith(f"#FO{made['id']}B2")
    assert ids(mkto, made["id"]) == ["FirstName", "LastName", "Email"]
    assert codes(form(mkto, "/forms.json", name="X", folder=ref(FORMS),
                      labelPosition="under")) == ["1003"]
    assert codes(form(mkto, "/forms.json", name="X", folder=ref(FORMS),
                      knownVisitor='{"type":"magic"}')) == ["1003"]
    assert codes(form(mkto, "/forms.json", name="X", folder=ref(22))) == ["711"]


def test_fields_added_updated_deleted(mkto: MarketoCaller, db: MarketoInstance) -> None:
    fid = new_form(mkto)
    available = {f["id"]: f for f in get(mkto, "/form/fields.json", maxReturn=200)["result"]}
    assert available["Company"]["dataType"] == "text" and "Email" in available
    added = only(form(mkto, f"/form/{fid}/fields.json", fieldId="Company", label="Company:",
                      required="true", maxLength=100, minValue=1))
    assert (added["rowNumber"], added["required"], added["maxLength"]) == (3, True, 100)
    assert added["fieldMetaData"] == {"minValue": 1.0}
    assert codes(form(mkto, f"/form/{fid}/fields.json", fieldId="Company")) == ["709"]
    assert codes(form(mkto, f"/form/{fid}/fields.json", fieldId="Nope")) == ["1003"]
    assert codes(form(mkto, f"/form/{fid}/fields.json")) == ["701"]
    assert codes(form(mkto, f"/form/{fid}/fields.json", fieldId="registrationCode")) == \
        ["709"]  # a program member field: only for forms in programs
    picklist = json.dumps([{"label": "Select...", "value": "", "isDefault": True},
                           {"label": "MR", "value": "MR"}])
    updated = only(form(mkto, f"/form/{fid}/field/LastName.json", label="Surname:",
                        values=picklist))
    assert updated["label"] == "Surname:" and updated["dataType"] == "select"
    assert codes(form(mkto, f"/form/{fid}/field/Nope.json", label="x")) == ["702"]
    only(form(mkto, f"/form/{fid}/field/Company/delete.json"))
    assert ids(mkto, fid) == ["FirstName", "LastName", "Email"]
    members = get(mkto, "/form/programMemberFields.json")["result"]
    assert "registrationCode" in {f["id"] for f in members}
    in_program = new_form(mkto, "PM form", folder=ref(program(mkto), "Program"))
    only(form(mkto, f"/form/{in_program}/fields.json", fieldId="registrationCode"))


def test_fieldsets_rich_text_visibility_and_positions(mkto: MarketoCaller) -> None:
    fid = new_form(mkto)
    only(form(mkto, f"/form/{fid}/fields.json", fieldId="Company"))
    fieldset = only(form(mkto, f"/form/{fid}/fieldSet.json", label="Work"))
    assert fieldset["dataType"] == "fieldset"
    rich = only(mkto.session.post(f"{mkto.base}/rest/asset/v1/form/{fid}/richText.json",
                                  files={"text": ("t.html", "<div>Fine print</div>",
                                                  "text/html")}).json())
    assert (rich["dataType"], rich["text"]) == ("htmltext", "<div>Fine print</div>")
    script = mkto.session.post(f"{mkto.base}/rest/asset/v1/form/{fid}/richText.json",
                               files={"text": ("t.html", "<script>x</script>", "text/html")})
    assert codes(script.json()) == ["709"]
    rule = json.dumps({"ruleType": "show", "rules": [{"subjectField": "LastName",
                                                      "operator": "isNotEmpty", "values": [],
                                                      "altLabel": "Email:"}]})
    shown = only(form(mkto, f"/form/{fid}/field/Email/visibility.json", visibilityRule=rule))
    assert shown["formFieldId"] == "Email" and shown["ruleType"] == "show"
    bad = json.dumps({"ruleType": "show", "rules": [{"subjectField": "Ghost",
                                                     "operator": "is", "values": []}]})
    assert codes(form(mkto, f"/form/{fid}/field/Email/visibility.json",
                      visibilityRule=bad)) == ["1003"]
    positions = [{"columnNumber": 0, "rowNumber": 0, "fieldName": "Email"},
                 {"columnNumber": 1, "rowNumber": 0, "fieldName": "FirstName"},
                 {"columnNumber": 0, "rowNumber": 1, "fieldName": "LastName"},
                 {"columnNumber": 0, "rowNumber": 2, "fieldName": fieldset["id"],
                  "fieldList": [{"columnNumber": 0, "rowNumber": 0, "fieldName": "Company"}]},
                 {"columnNumber": 0, "rowNumber": 3, "fieldName": rich["id"]}]
    only(form(mkto, f"/form/{fid}/reArrange.json", positions=json.dumps(positions)))
    fields = {f["id"]: f for f in get(mkto, f"/form/{fid}/fields.json")["result"]}
    assert (fields["FirstName"]["rowNumber"], fields["FirstName"]["columnNumber"]) == (0, 1)
    assert fields[fieldset["id"]]["fields"] == ["Company"] and "Company" not in fields
    clash = [dict(p, rowNumber=0, columnNumber=0) for p in positions]
    assert codes(form(mkto, f"/form/{fid}/reArrange.json", positions=json.dumps(clash))) == \
        ["1003"]
    assert codes(form(mkto, f"/form/{fid}/reArrange.json",
                      positions=json.dumps(positions[:2]))) == ["1003"]
    only(form(mkto, f"/form/{fid}/fieldSet/{fieldset['id']}/field/Company/delete.json"))
    assert codes(form(mkto, f"/form/{fid}/fieldSet/{fieldset['id']}/field/Company/"
                            "delete.json")) == ["702"]


def test_follow_up_button_progressive_profiling(mkto: MarketoCaller) -> None:
    fid = new_form(mkto)
    rules = [{"followupType": "url", "followupValue": "https://x.example/thanks",
              "default": True},
             {"followupType": "lp", "followupValue": 4242, "operator": "is",
              "subjectField": "Country", "values": ["FR"], "default": False}]
    assert codes(form(mkto, f"/form/{fid}/thankYouPage.json",
                      thankyou=json.dumps(rules))) == ["709"]  # no landing page 4242
    two_defaults = [dict(rules[0]), dict(rules[0])]
    assert codes(form(mkto, f"/form/{fid}/thankYouPage.json",
                      thankyou=json.dumps(two_defaults))) == ["1003"]
    kept = only(form(mkto, f"/form/{fid}/thankYouPage.json", thankyou=json.dumps(rules[:1])))
    assert kept["thankYouList"][0]["followupValue"] == "https://x.example/thanks"
    assert only(get(mkto, f"/form/{fid}/thankYouPage.json", status="draft"))["id"] == fid
    only(form(mkto, f"/form/{fid}/approveDraft.json"))
    button = only(form(mkto, f"/form/{fid}/submitButton.json", label="Send",
                       waitingLabel="Sending", buttonPosition=80))
    assert (button["buttonLabel"], button["buttonLocation"]) == ("Submit", 120)  # the live one
    drafted = only(get(mkto, f"/form/{fid}.json", status="draft"))
    assert (drafted["buttonLabel"], drafted["buttonLocation"]) == ("Send", 80)
    assert codes(form(mkto, f"/form/{fid}/submitButton.json", buttonPosition="far")) == \
        ["1003"]
    only(form(mkto, f"/form/{fid}.json", progressiveProfiling="true", theme="flat"))
    assert "Profiling" in ids(mkto, fid, status="draft")


def test_approval_clone_delete(mkto: MarketoCaller, db: MarketoInstance) -> None:
    fid = new_form(mkto)
    approved = only(form(mkto, f"/form/{fid}/approveDraft.json"))
    assert approved["status"] == "approved"
    only(form(mkto, f"/form/{fid}/fields.json", fieldId="Company"))
    listed = get(mkto, "/forms.json", status="approved with draft")["result"]
    assert [f["id"] for f in listed] == [fid]
    assert only(get(mkto, "/form/byName.json", name="Signup", status="draft"))["id"] == fid
    only(form(mkto, f"/form/{fid}/discardDraft.json"))
    assert no_assets(get(mkto, "/forms.json", status="approved with draft"))
    assert codes(get(mkto, "/forms.json", status="finished")) == ["1003"]
    copy = only(form(mkto, f"/form/{fid}/clone.json", name="Copy", folder=ref(FORMS)))
    assert copy["status"] == "draft"
    unapprove = mkto.session.post(f"{mkto.base}/rest/asset/v1/form/{fid}/unapprove.json")
    assert codes(unapprove.json()) == ["610"]  # Adobe has no unapprove for forms
    assert only(form(mkto, f"/form/{fid}/delete.json")) == {"id": fid}  # approved: fine
    assert no_assets(get(mkto, f"/form/{fid}/fields.json"))
