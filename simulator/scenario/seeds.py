"""Vendor seed state in a scenario: what each vendor holds before the replay starts. Each
part is checked by `vendorsim check` through the mock's own seed validation (a dry run)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .base import MunchkinId, Strict
from .sends import Engagement


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
    """Folders: {id, name, folderType, workspace, parent {id, type}} (folderType Program: a
    program)."""
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
    """Programs: {id, name, type, channel, folderId, workspace, tags, costs, statuses,
    members [{leadId, status}]}."""
    campaigns: list[dict[str, Any]] = []
    """Smart campaigns: {id, name, programId, isTriggerable, isActive, description, listIds,
    flow [{type: sendEmail, emailId} | {type: callWebhook, webhookId} | {type: wait,
    seconds}]}."""
    channels: list[dict[str, Any]] = []
    """Channels besides Marketo's usual ones: {name, applicableProgramType,
    progressionStatuses [{name, step, success}]}."""
    tagTypes: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Program tag types: {tagType, applicableProgramTypes, required, allowableValues}."""
    segmentations: list[dict[str, Any]] = []
    """Segmentations: {id, name, status, segments (names or {id, name})}."""
    emailTemplates: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Email templates: {name, folder {id, type}, content (HTML), status: approved}."""
    emails: list[dict[str, Any]] = []
    """Emails: {name, folder, template, subject, fromName, fromEmail, replyEmail, status}."""
    landingPageTemplates: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Landing page templates: {name, folder, templateType, content (HTML), status}."""
    landingPages: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Landing pages: {name, folder, template, title, urlPageName, status}."""
    forms: list[dict[str, Any]] = []
    """Forms: {name, folder, language, locale, status}."""
    snippets: list[dict[str, Any]] = []
    """Snippets: {name, folder, content (HTML or {type, value}), status}."""
    files: list[dict[str, Any]] = []
    """Files: {name, folder, mimeType, content (base64)}."""
    smartLists: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Smart lists: {id, name, folder, rules}."""
    tokens: list[dict[str, Any]] = []
    """My Tokens: {folder {id, type Folder|Program}, name, type, value}."""
    redirectRules: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Landing page redirect rules: {hostname, redirectFrom, redirectTo}."""
    landingPageDomains: list[dict[str, Any]] = []  # noqa: N815 - Marketo's own name
    """Landing page domains besides the instance's own: {hostname, type}."""
    webhooks: list[dict[str, Any]] = []
    """Webhooks a campaign's Call Webhook step calls: {id, name, url, requestType, template,
    requestTokenEncoding, customHeaders, responseType, responseMappings}."""
    engagement: Engagement | None = None
    """What recipients of the instance's campaign emails do: seed, rates, delays, segments
    (fields by API name)."""

    def seed_state(self) -> dict[str, Any]:
        """What the mock is seeded with (the engagement model in its own seed shape, and
        only when set)."""
        state = self.model_dump(exclude={"munchkin_id", "credentials", "limits", "engagement"})
        if self.engagement is not None:
            state["engagement"] = self.engagement.to_seed()
        return state


class SfmcAccount(Strict):
    subdomain: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,100}$")]
    """The account's base URI prefix (subdomain of *.auth.marketingcloudapis.com)."""
    credentials: list[dict[str, Any]] = []
    """Installed-package clients: {client_id, client_secret, scopes}."""
    limits: dict[str, Any] = {}
    """Limit overrides (window_calls, window_seconds, ...)."""
    data_extensions: list[dict[str, Any]] = []
    """Data extensions: {name, key, fields: [{name, type, length, isPrimaryKey}], rows}."""
    engagement: Engagement | None = None
    """What recipients of the account's sends do: seed, rates, delays, segments."""
    lists: list[dict[str, Any]] = []
    """Subscriber lists: {id, name, description} (All Subscribers, ID 1, always exists)."""
    subscribers: list[dict[str, Any]] = []
    """Subscribers: {key, email, status, lists [{id}], attributes}."""
    emails: list[dict[str, Any]] = []
    """Emails: {id, name, subject, html}."""
    triggered_send_definitions: list[dict[str, Any]] = []
    """Triggered send definitions: {key, name, email (an Email ID), status}."""
    event_definitions: list[dict[str, Any] | str] = []
    """Journey entry events: {key, email (an Email ID), delay (seconds)}: the journey sends
    the email that long after a contact enters (a bare key sends nothing)."""
    message_definitions: list[dict[str, Any]] = []
    """Transactional send definitions: {definitionKey, name, emailId, status}."""

    def seed_state(self) -> dict[str, Any]:
        """What the mock is seeded with (the engagement model in its own seed shape)."""
        state = self.model_dump(exclude={"subdomain", "credentials", "limits", "engagement"})
        if self.engagement is not None:
            state["engagement"] = self.engagement.to_seed()
        return state


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
