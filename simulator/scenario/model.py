"""The scenario file: one replayable situation for the simulator (issue 4).

Vendor seed state, CDP data (inline, from a file, or generated), audiences, destinations
with their documented settings (behaviour.md), sources, a timeline on virtual time, faults,
and expectations about what each vendor holds at the end. Validation here is structural and
about single settings; rules between settings (people audiences only to Marketo, required
mappings, ...) are checked at activation by the destination connectors, as the CDP does.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

DURATION = re.compile(r"^\+?(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$")
PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_offset(value: str | int | float) -> float:
    """`+90s`, `5m`, `2h`, `1d`, `1h30m` (or a number of seconds) -> seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not DURATION.match(text):
        raise ValueError(f"{value!r} is not a duration: write +30s, 5m, 2h, 1d or 1h30m")
    return sum(float(n) * UNITS[unit] for n, unit in PART.findall(text))


def _duration(value: str) -> str:
    parse_offset(value)
    return value


Duration = Annotated[str, AfterValidator(_duration)]  # +30s, 5m, 2h, 1d
MunchkinId = Annotated[str, Field(pattern=r"^\d{3}-[A-Za-z]{3}-\d{3}$")]  # e.g. 123-ABC-456


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


# -- vendor seed state ---------------------------------------------------------------
class MarketoInstance(Strict):
    munchkin_id: MunchkinId
    credentials: list[dict[str, Any]] = []
    limits: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    fields: list[dict[str, Any]] = []
    partitions: list[str | dict[str, Any]] = []
    leads: list[dict[str, Any]] = []
    folders: list[dict[str, Any]] = []
    lists: list[dict[str, Any]] = []


class SfmcAccount(Strict):
    subdomain: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    credentials: list[dict[str, Any]] = []
    limits: dict[str, Any] = {}
    data_extensions: list[dict[str, Any]] = []


class ListClient(Strict):
    """Bombora or Demandbase: a client id with its existing account lists."""

    client_id: str
    credentials: list[dict[str, Any]] = []
    limits: dict[str, Any] = {}
    account_lists: list[dict[str, Any]] = []
    api_tokens: list[str] = []  # Demandbase: API tokens its users hold (B-DB-03)


class Vendors(Strict):
    marketo: list[MarketoInstance] = []
    sfmc: list[SfmcAccount] = []
    bombora: list[ListClient] = []
    demandbase: list[ListClient] = []


# -- CDP data --------------------------------------------------------------------------
class Generate(Strict):
    count: Annotated[int, Field(ge=0)]
    seed: int = 0
    accounts: Annotated[int, Field(ge=1)] | None = None
    locale: str = "en_US"
    events_per_person: Annotated[float, Field(ge=0)] = 0.0
    duplicate_share: Annotated[float, Field(ge=0, le=1)] = 0.0
    invalid_share: Annotated[float, Field(ge=0, le=1)] = 0.0
    partitions: list[str] = ["Default"]


class FromFile(Strict):
    file: str  # JSONL or CSV, relative to the scenario file


class Data(Strict):
    generate: Generate | None = None
    accounts: list[dict[str, Any]] | FromFile = []
    people: list[dict[str, Any]] | FromFile = []
    opportunities: list[dict[str, Any]] | FromFile = []
    events: list[dict[str, Any]] | FromFile = []  # {personId, type, timestamp, ...}


# -- audiences, destinations, sources ------------------------------------------------
class Condition(Strict):
    """One test on a person, account or opportunity field, or on events."""

    attribute: str  # person.seniority, account.industry, opportunity.stage, event.type
    equals: Any = None
    not_equals: Any = None
    in_: Annotated[list[Any] | None, Field(alias="in")] = None
    exists: bool | None = None
    gte: float | None = None
    lte: float | None = None
    within: str | None = None  # events: within the last 7d

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("attribute")
    @classmethod
    def _scope(cls, value: str) -> str:
        scope, dot, _ = value.partition(".")
        if dot and scope not in ("person", "account", "opportunity", "event"):
            raise ValueError(f"{value!r}: conditions look at person.*, account.*, "
                             "opportunity.* or event.* fields")
        return value

    @field_validator("within")
    @classmethod
    def _within(cls, value: str | None) -> str | None:
        if value is not None:
            parse_offset(value)
        return value


class Audience(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
    name: str
    type: Literal["people", "account", "prospect"] = "people"
    origin: Literal["segmentation_service", "custom_upload", "lookalike", "federated",
                    "other"] = "segmentation_service"
    all: list[Condition] = []  # the definition: every condition holds
    members: list[str] = []  # or explicit membership (person or account ids)

    @model_validator(mode="after")
    def _definition_or_members(self) -> Audience:
        if self.all and self.members:
            raise ValueError("give either 'all' (a definition) or 'members', not both")
        return self


class Delivery(Strict):
    """The CDP's documented delivery policies (vendor-apis.md §5), plus `lossless`."""

    policy: Literal["best_effort", "configurable", "lossless"] = "best_effort"
    max_users_per_request: Annotated[int, Field(ge=1)] = 100
    max_num_events_in_batch: Annotated[int, Field(ge=1000, le=10000)] = 1000
    max_batch_age_in_secs: Annotated[int, Field(ge=301, le=3600)] = 301
    streaming_latency: Duration = "5m"  # B-B2B-06: streaming sharing takes up to 5 minutes


class MarketoDestination(Strict):
    id: str
    type: Literal["marketo"]
    name: str = ""
    description: str = ""  # B-MKT-04
    munchkin_id: MunchkinId
    client_id: str = "vendorsim"
    client_secret: str = "vendorsim"
    workspace: str = "Default"
    sync_type: Literal["audience_and_profile", "profile_only", "audience_only"]  # B-MKT-05
    person_action: Literal["update_existing_and_create_new",
                           "update_existing_only"] | None = None  # B-MKT-08
    partition: str | None = None  # B-MKT-06
    dedupe_field: str = "email"  # B-MKT-07/09
    mappings: dict[str, str] = {}  # Marketo field -> profile attribute (B-MKT-10)
    audiences: list[str] = []
    delivery: Delivery = Delivery()
    cdp_instance: str | None = None  # B-B2B-03: which CDP sends (default: this scenario's)
    legacy: bool = False  # the legacy destination: email + ECID only, never creates (B-B2B-08)


class AccountDestination(Strict):
    id: str
    type: Literal["bombora", "demandbase"]
    name: str = ""
    description: str = ""  # B-BOM-04
    client_id: str
    client_secret: str = "vendorsim"
    api_token: str | None = None  # Demandbase: a UI-issued API token (B-DB-03)
    entity_type: Literal["account", "Account"] = "account"  # B-DB-04
    mappings: dict[str, str] = {}  # partner field -> account attribute (primaryId required)
    audiences: list[str] = []
    delivery: Delivery = Delivery()


Destination = Annotated[MarketoDestination | AccountDestination, Field(discriminator="type")]


class SfmcSource(Strict):
    id: str
    type: Literal["sfmc"]
    subdomain: str
    client_id: str = "vendorsim"
    client_secret: str = "vendorsim"
    data_extension: str  # external key (B-SFMC-01)
    kind: Literal["profiles", "events"] = "profiles"
    mapping: dict[str, str]  # data-extension column -> profile attribute or event field
    identity: str = "email"  # the profile attribute rows are matched on
    modified_column: str | None = None  # a Date column: later runs read only changed rows
    schedule: Duration = "1h"


class MarketoSource(Strict):
    """Marketo as a B2B source (B-B2B-01/02/07): leads become profiles. `cdp_instance` and
    `sandbox` say which CDP the connection belongs to (default: this scenario's), so the
    multi-instance patterns of B-B2B-02 can be expressed — and refused when unsupported."""

    id: str
    type: Literal["marketo"]
    munchkin_id: MunchkinId
    client_id: str = "vendorsim"
    client_secret: str = "vendorsim"
    mapping: dict[str, str] = {"email": "email", "firstName": "firstName",
                               "lastName": "lastName"}  # lead field -> profile attribute
    identity: str = "email"
    cdp_instance: str | None = None
    sandbox: str | None = None
    backfill: Duration = "1d"  # the historical backfill completes after this (≤ 7 days)
    schedule: Duration = "5m"  # ongoing changes reach the profile in ~5 minutes (B-B2B-07)

    @field_validator("backfill")
    @classmethod
    def _backfill(cls, value: str) -> str:
        if parse_offset(value) > 7 * 86400:
            raise ValueError("the historical backfill takes up to 7 days (B-B2B-07)")
        return value


class Cdp(Strict):
    """The CDP this scenario plays: an instance and its sandbox (B-B2B-02/03)."""

    instance: str = "cdp-prod"
    sandbox: str = "prod"


Source = Annotated[SfmcSource | MarketoSource, Field(discriminator="type")]


# -- timeline, faults, expectations ---------------------------------------------------
class Step(Strict):
    at: str | int | float  # an offset (+30s, 2h) or an ISO time
    action: Literal["change", "event", "ingest", "activate", "deactivate", "advance",
                    "evaluate", "upsert_rows"]
    person: str | None = None
    account: str | None = None
    set: dict[str, Any] = {}
    event: dict[str, Any] = {}
    source: str | None = None
    destination: str | None = None
    audience: str | None = None
    by: str | None = None  # advance by a duration
    rows: list[dict[str, Any]] = []  # upsert_rows: rows a marketer writes into the source's DE

    @field_validator("at")
    @classmethod
    def _at(cls, value: str | int | float) -> str | int | float:
        if isinstance(value, str) and not value.startswith("+") and "T" in value:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            parse_offset(value)
        return value


class ExpectedLead(Strict):
    munchkin_id: str
    match: dict[str, Any]  # fields identifying the lead (e.g. email)
    fields: dict[str, Any] = {}
    partition: str | None = None
    lists: list[str] | None = None
    count: int = 1  # how many leads match (0: none may exist)


class Expectations(Strict):
    marketo_leads: list[ExpectedLead] = []
    list_members: list[dict[str, Any]] = []  # {vendor, tenant, list, members | count}
    drops: list[dict[str, Any]] = []  # deliveries the run must report dropped or refused
    refused: list[dict[str, Any]] = []  # {destination | source: id, reason: text it contains}
    profiles: list[dict[str, Any]] = []  # {match: {attr: value}, attributes: {...}, count}


class Scenario(Strict):
    name: str
    description: str = ""
    start: datetime = datetime.fromisoformat("2026-01-05T09:00:00+00:00")
    vendors: Vendors = Vendors()
    data: Data = Data()
    audiences: list[Audience] = []
    destinations: list[Destination] = []
    cdp: Cdp = Cdp()
    sources: list[Source] = []
    timeline: list[Step] = []
    faults: list[dict[str, Any]] = []
    expectations: Expectations = Expectations()

    @model_validator(mode="before")
    @classmethod
    def _deprecated(cls, data: Any) -> Any:
        for source in (data.get("sources") or []) if isinstance(data, dict) else []:
            if isinstance(source, dict) and source.get("type") == "sfmc_v1":
                raise ValueError("the SFMC V1 source is deprecated (January 2026); use "
                                 "type: sfmc, the V2 source (B-SFMC-04)")
        return data

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        audiences = {a.id for a in self.audiences}
        for dest in self.destinations:
            for name in dest.audiences:
                if name not in audiences:
                    raise ValueError(f"destination {dest.id!r} activates unknown audience "
                                     f"{name!r}; define it under 'audiences'")
        ids = [d.id for d in self.destinations] + [s.id for s in self.sources]
        repeated = {i for i in ids if ids.count(i) > 1}
        if repeated:
            raise ValueError(f"ids used twice: {', '.join(sorted(repeated))}")
        return self
