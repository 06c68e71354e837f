"""The synthetic B2B profile generator: determinism, integrity, uniqueness, distributions,
and records the mocks must refuse."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.helpers import MUNCHKIN, MarketoCaller, reasons
from vendorsim import Cloud
from vendorsim.simulator.cli import main as vendorsim
from vendorsim.simulator.generate import INVALID_KINDS, GeneratorConfig, ProfileGenerator
from vendorsim.simulator.generate.pools import SENIORITY
from vendorsim.simulator.generate.writers import load_marketo_seed, write


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.name != "manifest.json":
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def population() -> dict[str, list[dict]]:
    config = GeneratorConfig(count=12_000, seed=5, events_per_person=1.0,
                             partitions=("Default", "EMEA", "APAC"), duplicate_share=0.1,
                             invalid_share=0.08)
    out: dict[str, list[dict]] = {"accounts": [], "people": [], "opportunities": [],
                                  "events": []}
    for block in ProfileGenerator(config).blocks():
        out["accounts"].append(block.account)
        out["people"] += block.people
        out["opportunities"] += block.opportunities
        out["events"] += block.events
    return out


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "bundle"])
def test_same_seed_same_bytes_whatever_the_workers(tmp_path: Path, fmt: str) -> None:
    config = GeneratorConfig(count=3000, seed=42, events_per_person=0.5,
                             partitions=("Default", "EMEA"), duplicate_share=0.05)
    write(config, fmt, tmp_path / "a", workers=1)
    write(config, fmt, tmp_path / "b", workers=1)
    write(config, fmt, tmp_path / "c", workers=2)
    assert digest(tmp_path / "a") == digest(tmp_path / "b") == digest(tmp_path / "c")


def test_another_seed_other_data(tmp_path: Path) -> None:
    write(GeneratorConfig(count=500, seed=1), "jsonl", tmp_path / "a")
    write(GeneratorConfig(count=500, seed=2), "jsonl", tmp_path / "b")
    a = read_jsonl(tmp_path / "a" / "people.jsonl")
    b = read_jsonl(tmp_path / "b" / "people.jsonl")
    assert len(a) == len(b) == 500
    assert sum(x["email"] == y["email"] for x, y in zip(a, b, strict=True)) < 10


def test_counts_are_exact(population: dict) -> None:
    assert len(population["people"]) == 12_000
    assert len(population["accounts"]) == 600
    sizes = Counter(p["accountId"] for p in population["people"])
    assert 10 <= sum(sizes.values()) / len(sizes) <= 30


def test_referential_integrity(population: dict) -> None:
    accounts = {a["accountId"]: a for a in population["accounts"]}
    valid_emails = 0
    for person in population["people"]:
        account = accounts[person["accountId"]]
        assert person["company"] == account["name"]
        if "invalid" not in person:
            assert person["email"].endswith("@" + account["domain"])
            valid_emails += 1
    assert valid_emails > 10_000
    people = {p["personId"] for p in population["people"]}
    assert all(o["accountId"] in accounts for o in population["opportunities"])
    assert all(e["personId"] in people for e in population["events"])


def test_keys_are_unique(population: dict) -> None:
    for entity, key in (("people", "personId"), ("people", "ecid"), ("people", "crmId"),
                        ("accounts", "domain"), ("accounts", "crmId"),
                        ("opportunities", "opportunityId"), ("events", "eventId")):
        values = [r[key] for r in population[entity]]
        assert len(set(values)) == len(values), f"{entity}.{key} repeats"
    emails = [p["email"] for p in population["people"] if "invalid" not in p]
    assert len(set(emails)) == len(emails)
    assert all(len(p["ecid"]) == 38 and p["ecid"].isdigit() for p in population["people"])


def test_requested_distributions(population: dict) -> None:
    people = population["people"]
    n = len(people)
    assert abs(sum("duplicateIn" in p for p in people) / n - 0.10) < 0.015
    assert abs(sum("invalid" in p for p in people) / n - 0.08) < 0.015
    kinds = Counter(p["invalid"] for p in people if "invalid" in p)
    assert set(kinds) == set(INVALID_KINDS)
    partitions = Counter(p["partition"] for p in people)
    assert all(abs(c / n - 1 / 3) < 0.03 for c in partitions.values())
    seniority = Counter(p["seniority"] for p in people)
    total_weight = sum(w for w, _ in SENIORITY.values())
    for level, (weight, _) in SENIORITY.items():
        assert abs(seniority[level] / n - weight / total_weight) < 0.02, level
    assert all(p["duplicateIn"] != p["partition"] for p in people if "duplicateIn" in p)


def test_locale_changes_names_and_emails_stay_ascii(tmp_path: Path) -> None:
    people = list(ProfileGenerator(GeneratorConfig(count=400, seed=3, locale="fr_FR")).people())
    assert any(not p["lastName"].isascii() or not p["firstName"].isascii() for p in people)
    assert all(p["email"].isascii() for p in people)


def test_invalid_records_get_the_vendors_errors(cloud: Cloud) -> None:
    config = GeneratorConfig(count=2000, seed=9, invalid_share=0.2)
    people = [p for p in ProfileGenerator(config).people() if "invalid" in p][:60]
    expected = {"missing_email": "1002", "non_ascii_email": "1003", "overlong_name": "1003"}
    records = [{"email": p["email"], "firstName": p["firstName"], "lastName": p["lastName"]}
               for p in people if p["invalid"] in expected]
    results = MarketoCaller().login().sync(records)["result"]
    kinds = [p["invalid"] for p in people if p["invalid"] in expected]
    assert [reasons(r) for r in results] == [[expected[k]] for k in kinds]
    # bad email syntax is Marketo's business to accept; SFMC's row validation refuses it
    assert any(p["invalid"] == "bad_email_syntax" for p in people)


def test_marketo_seed_loads_and_duplicates_collide(tmp_path: Path, cloud: Cloud) -> None:
    config = GeneratorConfig(count=400, seed=4, partitions=("Default", "EMEA"),
                             duplicate_share=0.2, invalid_share=0.05)
    write(config, "marketo", tmp_path)
    seed = load_marketo_seed(tmp_path)
    db = cloud.marketo(MUNCHKIN)
    db.seed(seed)
    assert len(db.leads) == len(seed["leads"])
    twice = Counter(lead["email"] for lead in seed["leads"])
    duplicated = [email for email, n in twice.items() if n == 2]
    assert duplicated
    body = MarketoCaller().login().sync([{"email": duplicated[0], "title": "x"}])
    assert reasons(body["result"][0]) == ["1007"]  # several leads match: REST skips


def test_cli_generate_writes_files_and_refuses_bad_options(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    assert vendorsim(["generate", "--count", "300", "--seed", "1", "--format", "sfmc",
                      "--events-per-person", "1", "--out", str(tmp_path), "--workers", "1"]) == 0
    rows = read_jsonl(tmp_path / "sfmc_contacts.jsonl")
    assert len(rows) == 300 and set(rows[0]) == {"keys", "values"}
    assert (tmp_path / "sfmc_activities.jsonl").exists()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["generator"]["seed"] == 1
    assert vendorsim(["generate", "--count", "10", "--duplicate-share", "0.5",
                      "--out", str(tmp_path / "x")]) == 2
    assert "two partitions" in capsys.readouterr().err


def test_namesakes_in_one_account_get_distinct_emails() -> None:
    """With two first and two last names, colleagues share names all the time."""
    from dataclasses import replace

    from vendorsim.simulator.generate.pools import build_pools

    pools = replace(build_pools("en_US", 0), first_names=["Ann", "Bo"], last_names=["Li", "Ng"])
    config = GeneratorConfig(count=2000, accounts=20, seed=0)
    people = list(ProfileGenerator(config, pools=pools).people())
    emails = [p["email"] for p in people]
    assert len(set(emails)) == len(emails)
    assert any(e.startswith("ann.li2@") for e in emails)


def test_bad_email_syntax_is_refused_by_sfmc(cloud: Cloud) -> None:
    from vendorsim.simulator.generate.writers import sfmc_contact_row

    blocks = ProfileGenerator(GeneratorConfig(count=3000, seed=9, invalid_share=0.3)).blocks()
    bad = next((p, b.account) for b in blocks for p in b.people
               if p.get("invalid") == "bad_email_syntax")
    sub = "mc-test"
    cloud.sfmc(sub).seed({"data_extensions": [{"name": "Contacts", "key": "contacts", "fields": [
        {"name": "ContactKey", "isPrimaryKey": True}, {"name": "EmailAddress",
                                                       "type": "EmailAddress"},
        {"name": "FirstName"}, {"name": "LastName"}, {"name": "JobTitle"},
        {"name": "LifecycleStage"}, {"name": "Company"}, {"name": "AccountDomain"},
        {"name": "ModifiedDate", "type": "Date"}]}]})
    auth = f"https://{sub}.auth.marketingcloudapis.com"
    value = requests.post(f"{auth}/v2/token", json={"grant_type": "client_credentials",
                                                    "client_id": "a", "client_secret": "b"})
    response = requests.post(
        f"https://{sub}.rest.marketingcloudapis.com/hub/v1/dataevents/key:contacts/rowset",
        json=[sfmc_contact_row(*bad)],
        headers={"Authorization": f"Bearer {value.json()['access_token']}"})
    assert response.status_code == 400 and response.json()["errorcode"] == 10006


def test_generate_refuses_a_folder_that_holds_files_unless_forced(tmp_path: Path) -> None:
    from vendorsim.simulator.cli import main

    out = tmp_path / "out"
    assert main(["generate", "--count", "20", "--format", "bundle", "--out", str(out)]) == 0
    (out / "stale_from_an_older_format.csv").write_text("x\n")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["generate", "--count", "10", "--format", "jsonl", "--out", str(out)]) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched
    assert main(["generate", "--count", "10", "--format", "jsonl", "--out", str(out),
                 "--force"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert "stale_from_an_older_format.csv" not in names and "manifest.json" in names
    assert json.loads((out / "manifest.json").read_text())["format"] == "jsonl"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_a_generate_that_fails_midway_leaves_no_folder(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from vendorsim.simulator.generate import writers

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(writers, "_deliver", broken)
    with pytest.raises(OSError):
        write(GeneratorConfig(count=50, seed=1), "jsonl", tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
