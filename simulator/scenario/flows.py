"""Audiences, the dataflows that activate them (destinations) and the sources that feed the
CDP, with the settings the platform documents (behaviour IDs in docs/behaviours.md)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import Duration, Id, MunchkinId, Strict, parse_offset


def unscoped(mappings: dict[str, str], scope: str) -> dict[str, str]:
    """Mapping sources as the connectors read records: `person.email` -> `email` (the bare
    old form is kept as it is; `vendorsim check` notes it)."""
    prefix = scope + "."
    return {target: source.removeprefix(prefix) for target, source in mappings.items()}


class Condition(Strict):
    """One test on a person, account or opportunity field, or on events."""

    attribute: str
    """person.seniority, account.industry, opportunity.stage or event.type (a bare name is
    a person attribute)."""
    equals: Any = None
    """The value must equal this."""
    not_equals: Any = None
    """The value must differ from this."""
    in_: Annotated[list[Any] | None, Field(alias="in")] = None
    """The value must be one of these."""
    exists: bool | None = None
    """true: the value must be set; false: it must not be."""
    gte: float | None = None
    """The value must be a number at least this."""
    lte: float | None = None
    """The value must be a number at most this."""
    within: str | None = None
    """Events: only events within this duration of now count (e.g. 7d)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True,
                              use_attribute_docstrings=True)

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
    id: Id
    """The audience's id (used by destinations, steps and expectations)."""
    name: Annotated[str, Field(min_length=1, max_length=250)]
    """Its name: the vendor list it becomes is named after it."""
    type: Literal["people", "account", "prospect"] = "people"
    """people, account or prospect (B-MKT-02, B-BOM-01, B-DB-01)."""
    origin: Literal["segmentation_service", "custom_upload", "lookalike", "federated",
                    "other"] = "segmentation_service"
    """Where the audience comes from (B-MKT-03, B-BOM-02, B-DB-02)."""
    all: list[Condition] = []
    """The definition: every condition holds."""
    members: list[str] = []
    """Or explicit membership: person ids (account ids for account audiences)."""

    @model_validator(mode="after")
    def _definition_or_members(self) -> Audience:
        if self.all and self.members:
            raise ValueError("give either 'all' (a definition) or 'members', not both")
        return self


class Delivery(Strict):
    """The CDP's documented delivery policies, plus vendorsim's `lossless`."""

    policy: Literal["best_effort", "configurable", "lossless"] = "best_effort"
    """best_effort (two retries, then drop), configurable (30-minute retries), lossless
    (wait out every throttling signal)."""
    max_users_per_request: Annotated[int, Field(ge=1, le=10_000)] = 100
    """Profiles per request (the vendor's own limit applies too)."""
    max_num_events_in_batch: Annotated[int, Field(ge=1000, le=10000)] = 1000
    """Configurable aggregation: a batch is sent at this many events."""
    max_batch_age_in_secs: Annotated[int, Field(ge=301, le=3600)] = 301
    """Configurable aggregation: or when its oldest event is this old."""
    streaming_latency: Duration = "5m"
    """How long a streaming change takes to reach the destination (B-B2B-06: up to 5m)."""


class MarketoDestination(Strict):
    id: Id
    """The dataflow's id."""
    type: Literal["marketo"]
    """marketo."""
    name: str = ""
    """B-MKT-04: the destination's name."""
    description: str = ""
    """B-MKT-04: its description."""
    munchkin_id: MunchkinId
    """The instance's Munchkin ID."""
    client_id: str = "vendorsim"
    """The API client id."""
    client_secret: str = "vendorsim"
    """The API client secret."""
    workspace: str = "Default"
    """B-MKT-04: the workspace."""
    sync_type: Literal["audience_and_profile", "profile_only", "audience_only"]
    """B-MKT-05: what is synchronised."""
    person_action: Literal["update_existing_and_create_new",
                           "update_existing_only"] | None = None
    """B-MKT-08: whether unmatched profiles create leads."""
    partition: str | None = None
    """B-MKT-06: the partition new leads go to (profile sync types only)."""
    dedupe_field: str = "email"
    """B-MKT-07/09: the searchable Marketo field leads are matched on."""
    mappings: dict[str, str] = {}
    """Marketo field -> profile attribute (person.email or email), B-MKT-10."""

    @field_validator("mappings")
    @classmethod
    def _attributes(cls, value: dict[str, str]) -> dict[str, str]:
        return unscoped(value, "person")
    audiences: list[str] = []
    """The audiences this dataflow activates (ids)."""
    delivery: Delivery = Delivery()
    """The delivery policy."""
    cdp_instance: str | None = None
    """B-B2B-03: which CDP instance sends (default: this scenario's)."""
    legacy: bool = False
    """The legacy destination: email + ECID only, never creates leads (B-B2B-08)."""


class AccountDestination(Strict):
    id: Id
    """The dataflow's id."""
    type: Literal["bombora", "demandbase"]
    """bombora or demandbase."""
    name: str = ""
    """B-BOM-04: the destination's name."""
    description: str = ""
    """B-BOM-04: its description."""
    client_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$")]
    """The API client id."""
    client_secret: str = "vendorsim"
    """The API client secret."""
    api_token: str | None = None
    """Demandbase: a UI-issued API token (B-DB-03)."""
    entity_type: Literal["account", "Account"] = "account"
    """B-DB-04: Account."""
    mappings: dict[str, str] = {}
    """Partner field -> account attribute (account.domain or domain); primaryId required."""

    @field_validator("mappings")
    @classmethod
    def _attributes(cls, value: dict[str, str]) -> dict[str, str]:
        return unscoped(value, "account")
    audiences: list[str] = []
    """The audiences this dataflow activates (ids)."""
    delivery: Delivery = Delivery()
    """The delivery policy."""


Destination = Annotated[MarketoDestination | AccountDestination, Field(discriminator="type")]


class SfmcSource(Strict):
    id: Id
    """The source's id."""
    type: Literal["sfmc"]
    """sfmc (the V2 source; V1 is deprecated, B-SFMC-04)."""
    subdomain: str
    """The account's base URI prefix (B-SFMC-03)."""
    client_id: str = "vendorsim"
    """The installed package's client id."""
    client_secret: str = "vendorsim"
    """Its client secret."""
    data_extension: str
    """The external key of the data extension read (B-SFMC-01)."""
    kind: Literal["profiles", "events"] = "profiles"
    """Rows become profile attributes, or events of the profile they name (B-SFMC-02)."""
    mapping: dict[str, str]
    """Data-extension column -> profile attribute (or event field)."""
    identity: str = "email"
    """The profile attribute rows are matched on."""
    modified_column: str | None = None
    """A Date column: later runs read only rows changed since the previous run."""
    schedule: Duration = "1h"
    """How often the source is ingested."""


class MarketoSource(Strict):
    """Marketo as a B2B source (B-B2B-01/02/07): leads become profiles. `cdp_instance` and
    `sandbox` say which CDP the connection belongs to (default: this scenario's), so the
    multi-instance patterns of B-B2B-02 can be expressed, and refused when unsupported."""

    id: Id
    """The source's id."""
    type: Literal["marketo"]
    """marketo."""
    munchkin_id: MunchkinId
    """The instance read."""
    client_id: str = "vendorsim"
    """The API client id."""
    client_secret: str = "vendorsim"
    """The API client secret."""
    mapping: dict[str, str] = {"email": "email", "firstName": "firstName",
                               "lastName": "lastName"}
    """Lead field -> profile attribute."""
    identity: str = "email"
    """The profile attribute leads are matched on."""
    cdp_instance: str | None = None
    """Which CDP instance the connection belongs to (B-B2B-02)."""
    sandbox: str | None = None
    """Which sandbox of it."""
    backfill: Duration = "1d"
    """When the historical backfill completes (at most 7 days, B-B2B-07)."""
    schedule: Duration = "5m"
    """Ongoing changes reach the profile this often (~5 minutes, B-B2B-07)."""
    history: Duration = "31d"
    """How far back the backfill's bulk extract reads leads (by createdAt, in windows of at
    most 31 days, Marketo's limit)."""
    account_mapping: dict[str, str] = {}
    """Company field -> account attribute. When given, the companies of the leads read
    (by the leads' externalCompanyId) become CDP accounts, and each profile's accountId is
    its company's externalCompanyId (B-B2B-01)."""
    opportunity_mapping: dict[str, str] = {}
    """Opportunity field -> opportunity attribute: the opportunities of those companies
    become the accounts' opportunities (B-B2B-01); needs account_mapping."""

    @field_validator("backfill")
    @classmethod
    def _backfill(cls, value: str) -> str:
        if parse_offset(value) > 7 * 86400:
            raise ValueError("the historical backfill takes up to 7 days (B-B2B-07)")
        return value


class Cdp(Strict):
    """The CDP this scenario plays: an instance and its sandbox (B-B2B-02/03)."""

    instance: str = "cdp-prod"
    """The CDP instance."""
    sandbox: str = "prod"
    """Its sandbox."""


Source = Annotated[SfmcSource | MarketoSource, Field(discriminator="type")]
