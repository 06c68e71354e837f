"""What one Gherkin scenario builds and what its run produced.

Given steps fill in a scenario document (the same format as fixtures/scenarios/*.yaml); the
When step validates it and replays it through the simulator against the vendors chosen with
`--vendorsim-target` (embedded mocks by default, `server` or `docker` for a running
vendorsim); Then steps read the vendors' state through the same interface and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from vendorsim.simulator.engine.remote import RemoteVendors
from vendorsim.simulator.engine.run import Engine
from vendorsim.simulator.engine.vendors import InProcessVendors, Vendors
from vendorsim.simulator.report import DestinationReport, Report
from vendorsim.simulator.scenario.loader import LoadedScenario, ScenarioError, parse_scenario
from vendorsim.simulator.scenario.model import parse_offset

START = "2026-01-05T09:00:00Z"  # a Monday, 03:00 in Chicago
MUNCHKIN = "123-ABC-456"
PEOPLE_MAPPINGS = {"email": "person.email", "firstName": "person.firstName",
                   "lastName": "person.lastName", "title": "person.jobTitle"}
ACCOUNT_MAPPINGS = {"bombora": {"primaryId": "account.accountId",
                                "companyWebsiteDomain": "account.domain"},
                    "demandbase": {"primaryId": "account.accountId",
                                   "accountName": "account.name",
                                   "accountEmailDomain": "account.domain"}}


def cell(value: str) -> Any:
    """A table cell as YAML reads it ("300" -> 300, "[a, b]" -> list); empty -> None."""
    return yaml.safe_load(value) if value.strip() else None


def rows(datatable: list[list[str]]) -> list[dict[str, Any]]:
    head, *body = datatable
    return [{k: cell(v) for k, v in zip(head, row, strict=True) if v.strip()} for row in body]


@dataclass
class World:
    vendors: Vendors
    doc: dict = field(default_factory=lambda: {
        "name": "feature", "start": START, "vendors": {}, "data": {"people": [],
                                                                   "accounts": []},
        "audiences": [], "destinations": [], "sources": [], "timeline": [], "faults": []})
    report: Report | None = None
    engine: Engine | None = None
    problems: str = ""  # the validation's answer when the scenario is refused

    # -- building ----------------------------------------------------------------------
    def marketo(self, munchkin: str = MUNCHKIN) -> dict:
        instances = self.doc["vendors"].setdefault("marketo", [])
        found = next((i for i in instances if i["munchkin_id"] == munchkin), None)
        if found is None:
            found = {"munchkin_id": munchkin, "partitions": [], "leads": []}
            instances.append(found)
        return found

    def add_audience(self, name: str, **spec: Any) -> dict:
        audience = {"id": f"a{len(self.doc['audiences']) + 1}", "name": name, **spec}
        self.doc["audiences"].append(audience)
        return audience

    def add_destination(self, kind: str, **settings: Any) -> dict:
        number = sum(d["type"] == kind for d in self.doc["destinations"]) + 1
        dest = {"id": f"{kind}-{number}", "type": kind, **settings}
        self.doc["destinations"].append(dest)
        return dest

    @property
    def destination(self) -> dict:
        return self.doc["destinations"][-1]

    def at(self, offset: str, action: str, **fields: Any) -> None:
        self.doc["timeline"].append({"at": offset, "action": action, **fields})

    # -- running -----------------------------------------------------------------------
    def run(self) -> None:
        """Activate each dataflow's audiences at the start (unless a step already did), then
        replay; a scenario the validation refuses is kept as `problems`."""
        activations = {(s.get("destination"), s.get("audience")) for s in self.doc["timeline"]
                       if s["action"] == "activate"}
        firsts = []
        for dest in self.doc["destinations"]:
            dest.setdefault("audiences", [a["id"] for a in self.doc["audiences"]])
            firsts += [{"at": "+0s", "action": "activate", "destination": dest["id"],
                        "audience": a} for a in dest["audiences"]
                       if (dest["id"], a) not in activations]
        self.doc["timeline"] = firsts + self.doc["timeline"]
        try:
            scenario = parse_scenario(yaml.safe_dump(self.doc, sort_keys=False), "feature")
        except ScenarioError as exc:
            self.problems = str(exc)
            return
        self.engine = Engine(LoadedScenario(scenario, Path("feature.yaml")), self.vendors)
        self.report = self.engine.run()

    # -- reading -----------------------------------------------------------------------
    def ran(self) -> Report:
        assert self.report is not None, f"the scenario did not run: {self.problems}"
        return self.report

    def dest_report(self, kind: str | None = None) -> DestinationReport:
        found = [d for d in self.ran().destinations if kind in (None, d.type)]
        assert found, f"no {kind} destination in this scenario"
        return found[-1]

    def leads(self, munchkin: str = MUNCHKIN) -> list[dict]:
        return self.vendors.state("marketo", munchkin).get("leads", [])

    def marketo_lists(self, munchkin: str = MUNCHKIN) -> dict[str, set[int]]:
        return {x["name"]: set(x["members"])
                for x in self.vendors.state("marketo", munchkin).get("lists", [])}

    def ran_start(self) -> float:
        assert self.engine is not None
        return self.engine.start

    def seconds(self, offset: str) -> float:
        return parse_offset(offset)


@pytest.fixture
def world(request: pytest.FixtureRequest) -> World:
    """One scenario's world, on the vendors `--vendorsim-target` chooses."""
    mode = request.config.getoption("--vendorsim-target")
    if mode == "server":
        vendors: Vendors = RemoteVendors(request.getfixturevalue("vendorsim_server").urls)
    elif mode == "docker":
        vendors = RemoteVendors(request.getfixturevalue("_vendorsim_container"))
    else:
        vendors = InProcessVendors()
    return World(vendors)
