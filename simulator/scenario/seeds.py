"""Vendor seed state in a scenario: what each vendor holds before the replay starts. Each
part is checked by `vendorsim check` through the mock's own seed validation (a dry run)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .base import MunchkinId, Strict


class MarketoInstance(Strict):
    munchkin_id: MunchkinId
    """The instance's Munchkin ID, NNN-AAA-NNN (e.g. 123-ABC-456)."""
    credentials: list[dict[str, Any]] = []
    """API clients: {client_id, client_secret, user, permissions, partitions}."""
    limits: dict[str, Any] = {}
    """Limit overrides: window_calls, window_seconds, concurrent, daily_quota,
    quota_timezone, max_batch, enabled."""
    settings: dict[str, Any] = {}
    """Instance settings: dedupe_by_partition, on_multiple_matches, pod, reject_query_token."""
    fields: list[dict[str, Any]] = []
    """Custom lead fields: {name, dataType, length, searchable}."""
    partitions: list[str | dict[str, Any]] = []
    """Lead partitions besides Default: names, or {name, description}."""
    leads: list[dict[str, Any]] = []
    """Existing leads: any lead fields plus id, partition, createdAt, updatedAt."""
    folders: list[dict[str, Any]] = []
    """Folders: {id, name, folderType List|Program, workspace}."""
    lists: list[dict[str, Any]] = []
    """Static lists: {id, name, folder, members (lead ids)}."""
    companies: list[dict[str, Any]] = []
    """Companies: {externalCompanyId, company, website, industry, ...} (B-B2B-01)."""
    opportunities: list[dict[str, Any]] = []
    """Opportunities: {externalOpportunityId, externalCompanyId, name, stage, amount, ...}."""
    opportunityRoles: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Opportunity contact roles: {externalOpportunityId, leadId, role, isPrimary}."""
    namedAccounts: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Named accounts: {name, domainName, ...}."""
    salesPersons: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Sales persons: {externalSalesPersonId, email, ...}."""
    programs: list[dict[str, Any]] = []
    """Programs: {id, name, type, channel, statuses, members [{leadId, status}]}."""


class SfmcAccount(Strict):
    subdomain: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,100}$")]
    """The account's base URI prefix (subdomain of *.auth.marketingcloudapis.com)."""
    credentials: list[dict[str, Any]] = []
    """Installed-package clients: {client_id, client_secret, scopes}."""
    limits: dict[str, Any] = {}
    """Limit overrides (window_calls, window_seconds, ...)."""
    data_extensions: list[dict[str, Any]] = []
    """Data extensions: {name, key, fields: [{name, type, length, isPrimaryKey}], rows}."""


class ListClient(Strict):
    """Bombora or Demandbase: a client id with its existing account lists."""

    client_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$")]
    """The API client id (the tenant)."""
    credentials: list[dict[str, Any]] = []
    """{client_id, client_secret} pairs this client accepts."""
    limits: dict[str, Any] = {}
    """Limit overrides (window_calls, window_seconds, ...)."""
    account_lists: list[dict[str, Any]] = []
    """Existing lists: {name, description, domains}."""
    api_tokens: list[str] = []
    """Demandbase: API tokens its users hold (B-DB-03)."""


class Vendors(Strict):
    marketo: list[MarketoInstance] = []
    """Marketo Engage instances."""
    sfmc: list[SfmcAccount] = []
    """Salesforce Marketing Cloud accounts."""
    bombora: list[ListClient] = []
    """Bombora API clients."""
    demandbase: list[ListClient] = []
    """Demandbase API clients."""
