"""The CDP's Marketo destination against the Marketo mock: activation rules (B-MKT-02/06/
07/08/10) and the lead matching table (B-MKT-11..14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import BASE, MUNCHKIN, scenario
from vendorsim import Cloud
from vendorsim.mocks.marketo.model.instance import MarketoInstance
from vendorsim.simulator.destinations.marketo import ActivationRefused, MarketoConnector
from vendorsim.simulator.scenario.model import Audience, MarketoDestination

AUDIENCE = Audience(id="dm", name="Decision makers")
MAPPINGS = {"email": "email", "firstName": "firstName", "lastName": "lastName",
            "title": "jobTitle"}
ANA = {"personId": "P1", "email": "ana@acme.example", "firstName": "Ana", "lastName": "Silva",
       "jobTitle": "CMO"}
BO = {"personId": "P2", "email": "bo@globex.example", "firstName": "Bo", "lastName": "Li",
      "jobTitle": "CEO"}
CY = {"personId": "P3", "email": "cy@initech.example", "firstName": "Cy", "lastName": "Ng",
      "jobTitle": "CTO"}


@pytest.fixture
def instance(db: MarketoInstance) -> MarketoInstance:
    db.seed({"partitions": ["EMEA"], "leads": [
        {"id": 1, "email": "ana@acme.example", "title": "old",
         "updatedAt": "2025-10-01T00:00:00Z"},
        {"id": 2, "email": "bo@globex.example", "title": "old",
         "updatedAt": "2025-02-01T00:00:00Z"},
        {"id": 3, "email": "bo@globex.example", "title": "old", "partition": "EMEA",
         "updatedAt": "2025-03-01T00:00:00Z"}]})
    return db


def connector(**settings: object) -> MarketoConnector:
    config = MarketoDestination(**{"id": "m", "type": "marketo", "munchkin_id": MUNCHKIN,
                                   "mappings": MAPPINGS, **settings})
    return MarketoConnector(config, BASE)


def list_members(db: MarketoInstance) -> set[int]:
    lst = db.lists.by_name("Decision makers")
    return set(lst.members) if lst else set()


# B-MKT-14: sync type, person action -> updates?, creates?, list members
ROWS = [
    ("profile_only", "update_existing_and_create_new", True, True, None),
    ("profile_only", "update_existing_only", True, False, None),
    ("audience_only", None, False, False, {1, 3}),
    ("audience_and_profile", "update_existing_and_create_new", True, True, {1, 3, 4}),
    ("audience_and_profile", "update_existing_only", True, False, {1, 3}),
]


@pytest.mark.parametrize(("sync_type", "action", "updates", "creates", "members"), ROWS)
def test_lead_matching_table(cloud: Cloud, instance: MarketoInstance, sync_type: str,
                             action: str | None, updates: bool, creates: bool,
                             members: set[int] | None) -> None:
    partition = "EMEA" if sync_type != "audience_only" else None
    dest = connector(sync_type=sync_type, person_action=action, partition=partition)
    dest.activate(AUDIENCE)
    outcome = dest.deliver(AUDIENCE, [ANA, BO, CY], [])
    titles = {i: lead.values.get("title") for i, lead in instance.leads.items()}
    # B-MKT-11/12: Ana (Default) and the newer Bo (EMEA, id 3) are the matches
    assert titles[1] == ("CMO" if updates else "old")
    assert titles[3] == ("CEO" if updates else "old")
    assert titles[2] == "old"  # the older duplicate is never touched
    new = instance.find("email", "cy@initech.example")
    assert len(new) == (1 if creates else 0)
    if creates:  # B-MKT-13: in the chosen partition
        assert instance.partitions[new[0].partition_id].name == "EMEA"
        assert outcome.created == ["P3"]
    else:
        assert "P3" in outcome.not_created
    if members is None:
        assert instance.lists.by_name("Decision makers") is None
    else:
        assert list_members(instance) == members
    assert outcome.failed == {}


def test_default_partition_when_none_is_chosen(cloud: Cloud, instance: MarketoInstance) -> None:
    dest = connector(sync_type="profile_only", person_action="update_existing_and_create_new")
    dest.activate(AUDIENCE)
    dest.deliver(AUDIENCE, [CY], [])
    lead = instance.find("email", "cy@initech.example")[0]
    assert instance.partitions[lead.partition_id].name == "Default"  # B-MKT-06/13


def test_exits_leave_the_list(cloud: Cloud, instance: MarketoInstance) -> None:
    dest = connector(sync_type="audience_only")
    dest.deliver(AUDIENCE, [ANA, BO], [])
    outcome = dest.deliver(AUDIENCE, [], [ANA])
    assert outcome.unlisted == ["P1"] and list_members(instance) == {3}
    again = dest.deliver(AUDIENCE, [], [ANA])  # already gone: nothing to report
    assert again.unlisted == [] and again.failed == {}


def throttled_connector(cloud: Cloud, policy: str) -> MarketoConnector:
    config = MarketoDestination(id="m", type="marketo", munchkin_id=MUNCHKIN, mappings=MAPPINGS,
                                sync_type="audience_only", delivery={"policy": policy})
    return MarketoConnector(config, BASE, sleep=cloud.clock.advance, now=cloud.clock.now)


@pytest.mark.parametrize(("policy", "waited"), [("lossless", 40), ("best_effort", 45)])
def test_throttling_is_waited_out_on_the_given_clock(cloud: Cloud, instance: MarketoInstance,
                                                     policy: str, waited: float) -> None:
    """lossless waits Marketo's 20 s window per 606; best effort retries after 15 s, 30 s."""
    cloud.add_fault(error_code="606", times=2, path="^/rest/v1/leads")
    dest = throttled_connector(cloud, policy)
    before = cloud.clock.now()
    outcome = dest.deliver(AUDIENCE, [ANA], [])
    tally = dest.tally.mine()
    assert tally["throttled"] == 2 and cloud.clock.now() - before == waited == tally["waited"]
    assert outcome.dropped == {} and list_members(instance) == {1}


def test_best_effort_drops_after_two_retries_and_says_so(cloud: Cloud,
                                                         instance: MarketoInstance) -> None:
    cloud.add_fault(error_code="606", times=3, path="^/rest/v1/leads")
    dest = throttled_connector(cloud, "best_effort")
    outcome = dest.deliver(AUDIENCE, [ANA, BO], [])
    assert set(outcome.dropped) == {"P1", "P2"} and "606" in outcome.dropped["P1"]
    assert outcome.listed == [] and list_members(instance) == set()


def test_lossless_waits_for_the_daily_quota_to_reset_in_chicago(cloud: Cloud,
                                                                instance: MarketoInstance) -> None:
    cloud.clock.set("2026-11-23T12:00:00Z")  # 06:00 in Chicago: 18 h to its midnight
    cloud.add_fault(error_code="607", times=1, path="^/rest/v1/leads")
    dest = throttled_connector(cloud, "lossless")
    outcome = dest.deliver(AUDIENCE, [ANA], [])
    assert cloud.clock.utcnow().isoformat() == "2026-11-24T06:00:00+00:00"
    assert outcome.dropped == {} and list_members(instance) == {1}


def test_a_refusal_is_a_failure_not_a_drop(cloud: Cloud, instance: MarketoInstance) -> None:
    cloud.add_fault(error_code="1003", times=1, path="^/rest/v1/lists")
    outcome = throttled_connector(cloud, "best_effort").deliver(AUDIENCE, [ANA], [])
    assert outcome.dropped == {} and "1003" in outcome.failed["P1"]


@pytest.mark.parametrize(("settings", "audience", "words"), [
    ({"sync_type": "audience_only"}, Audience(id="a", name="A", type="account"), "B-MKT-02"),
    ({"sync_type": "audience_only", "partition": "EMEA"}, AUDIENCE, "B-MKT-06"),
    ({"sync_type": "audience_only", "person_action": "update_existing_only"}, AUDIENCE,
     "B-MKT-08"),
    ({"sync_type": "profile_only"}, AUDIENCE, "B-MKT-08"),
    ({"sync_type": "audience_only", "dedupe_field": "ecids"}, AUDIENCE, "B-MKT-07"),
    ({"sync_type": "audience_only", "dedupe_field": "id"}, AUDIENCE, "B-MKT-07"),
    ({"sync_type": "audience_only", "dedupe_field": "firstName"}, AUDIENCE, "not a searchable"),
    ({"sync_type": "profile_only", "person_action": "update_existing_and_create_new",
      "mappings": {"email": "email", "firstName": "firstName"}}, AUDIENCE, "lastName"),
])
def test_activation_refusals(cloud: Cloud, instance: MarketoInstance, settings: dict,
                             audience: Audience, words: str) -> None:
    with pytest.raises(ActivationRefused, match=words):
        connector(**settings).activate(audience)
    assert len(cloud.journal.entries(method="POST", path="/rest/v1/leads.json")) == 0


def test_update_only_needs_no_name_mappings(cloud: Cloud, instance: MarketoInstance) -> None:
    """B-MKT-10: with email as dedupe field, only creation needs first and last name."""
    connector(sync_type="profile_only", person_action="update_existing_only",
              mappings={"email": "email"}).activate(AUDIENCE)


def test_throttling_on_the_token_call_is_waited_out_not_a_refusal(tmp_path: Path) -> None:
    """Issue 13: a 606 fault without a path hits the identity call first; the activation
    waits it out like every other activation call instead of reporting bad credentials."""
    report = scenario(tmp_path, {"all": [{"attribute": "person.seniority", "equals": "VP"}]},
                      [], faults=[{"error_code": "606", "times": 3}])
    marketo = report.destinations[0]
    assert marketo.refused == [], marketo.refused
    assert marketo.throttled >= 3 and marketo.listed == 1
    assert report.passed, report.verdicts
