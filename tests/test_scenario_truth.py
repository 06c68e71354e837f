"""Verdicts that cannot pass by accident (issue 13): refusals fail the run unless expected,
every expectation gives one verdict, an audience that matched nobody is a warning (--strict
fails on it), JUnit XML for CI, one path syntax for mappings, and a schema that describes
every field."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from tests.helpers import scenario
from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.scenario.loader import schema

CORPUS = sorted((Path(__file__).parent / "broken_scenarios").glob("*.yaml"))
VP = {"all": [{"attribute": "person.seniority", "equals": "VP"}]}


def write(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def account_doc(**extra: object) -> dict:
    return {"name": "accounts",
            "data": {"accounts": [{"accountId": "A1", "name": "Acme", "domain": "acme.example",
                                   "industry": "Retail"}]},
            "audiences": [{"id": "r", "name": "Retail", "type": "account",
                           "all": [{"attribute": "account.industry", "equals": "Retail"}]}],
            "destinations": [{"id": "db", "type": "demandbase", "client_id": "cdp-db",
                              "mappings": {"primaryId": "account.accountId",
                                           "accountName": "account.name",
                                           "accountEmailDomain": "account.domain"},
                              "audiences": ["r"]}],
            "timeline": [{"at": "+0s", "action": "activate", "destination": "db",
                          "audience": "r"}], **extra}


def test_every_activation_refused_fails_the_run(tmp_path: Path) -> None:
    report = scenario(tmp_path, {"type": "account", "members": ["A1"]}, [])  # B-MKT-02
    assert report.destinations[0].refused
    assert not report.passed
    failed = [v for v in report.verdicts if not v.passed]
    assert any("activation refused" in v.expectation for v in failed), report.verdicts


def test_an_expected_refusal_passes(tmp_path: Path) -> None:
    report = scenario(tmp_path, {"type": "account", "members": ["A1"]}, [], expectations={
        "refused": [{"destination": "m", "reason": "people audiences only"}]})
    assert report.passed, report.verdicts


def test_the_new_mapping_syntax_delivers(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`accountEmailDomain: account.domain` was sent as the attribute 'account.domain'
    (missing) and reported as a vendor refusal ("invalid domain")."""
    path = write(tmp_path, account_doc(expectations={"list_members": [
        {"vendor": "demandbase", "tenant": "cdp-db", "list": "Retail",
         "members": ["acme.example"]}]}))
    assert vendorsim(["run", str(path)]) == 0, capsys.readouterr()
    assert "invalid domain" not in capsys.readouterr().out


def test_the_old_mapping_syntax_is_noted(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    doc = account_doc()
    doc["destinations"][0]["mappings"] = {"primaryId": "accountId", "accountName": "name",
                                          "accountEmailDomain": "domain"}
    assert vendorsim(["check", str(write(tmp_path, doc))]) == 0
    assert "note: write 'account.domain'" in capsys.readouterr().err


def test_an_audience_matching_nobody_warns_and_strict_fails(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture
                                                            ) -> None:
    """Issue 22: values each some account has, but no account has both: a warning at
    check (`--strict` fails) and at run."""
    doc = account_doc()
    doc["data"]["accounts"].append({"accountId": "A2", "name": "Globex",
                                    "domain": "globex.example", "industry": "Software"})
    doc["audiences"][0]["all"] = [{"attribute": "account.industry", "equals": "Retail"},
                                  {"attribute": "account.name", "equals": "Globex"}]
    path = write(tmp_path, doc)
    assert vendorsim(["check", str(path)]) == 0
    assert "warning: audience 'Retail' matches no account" in capsys.readouterr().err
    assert vendorsim(["check", "--strict", str(path)]) == 1
    capsys.readouterr()
    assert vendorsim(["run", str(path)]) == 0
    assert "matched no profile" in capsys.readouterr().out
    junit = tmp_path / "junit.xml"
    assert vendorsim(["run", str(path), "--strict", "--junit", str(junit)]) == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"


def test_a_value_no_profile_can_have_is_an_error_with_did_you_mean(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Issue 22: the generator writes C-Level; `CXO` would quietly lose those people."""
    doc = {"name": "g", "data": {"generate": {"count": 50, "seed": 1}},
           "audiences": [{"id": "a", "name": "Execs", "all": [
               {"attribute": "person.seniority", "in": ["VP", "CXO", "C-level"]}]}],
           "destinations": [{"id": "m", "type": "marketo", "munchkin_id": "123-ABC-456",
                             "sync_type": "audience_only", "mappings": {
                                 "email": "person.email"}, "audiences": ["a"]}]}
    path = write(tmp_path, doc)
    assert vendorsim(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "can have seniority 'CXO'" in err and "seniority 'C-level'" in err
    assert "did you mean 'C-Level'?" in err
    assert "seniority 'VP'" not in err


def test_junit_has_one_testcase_per_verdict(tmp_path: Path) -> None:
    path = write(tmp_path, account_doc(expectations={
        "list_members": [{"vendor": "demandbase", "tenant": "cdp-db", "list": "Retail",
                          "count": 5}],
        "drops": [{"destination": "db", "max": 0}]}))
    junit = tmp_path / "junit.xml"
    assert vendorsim(["run", str(path), "--junit", str(junit)]) == 1
    cases = ET.parse(junit).getroot().findall(".//testcase")
    assert len(cases) == 2
    assert [c.find("failure") is not None for c in cases] == [True, False]


def test_messages_never_use_library_wording(capsys: pytest.CaptureFixture) -> None:
    for path in CORPUS:
        vendorsim(["check", str(path)])
    said = capsys.readouterr().err
    for leak in ("discriminator", "instance of", "Input should be", "pydantic",
                 "Value error,", "Traceback"):
        assert leak not in said, leak


def test_the_schema_describes_every_field() -> None:
    missing = []
    document = schema()
    for name, model in document["$defs"].items():
        for field, spec in model.get("properties", {}).items():
            if not spec.get("description"):
                missing.append(f"{name}.{field}")
    for field, spec in document["properties"].items():
        if not spec.get("description"):
            missing.append(f"Scenario.{field}")
    assert missing == []
