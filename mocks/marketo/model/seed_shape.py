"""What a Marketo seed or snapshot may hold, and of what kind (the lead database checks
each record's own fields: `leads.py`, `fields.py`)."""

from __future__ import annotations

from typing import Any

from vendorsim.mocks.core.seeds import Names, Record, Records, Shape


class MarketoSeed(Shape):
    settings: Record | None = None
    fields: Records | None = None
    partitions: list[str | Record] | None = None
    leads: Records | None = None
    next_lead_id: int | None = None
    folders: Records | None = None
    lists: Records | None = None
    companies: Records | None = None
    opportunities: Records | None = None
    opportunityRoles: Records | None = None  # noqa: N815 - Marketo's own names
    namedAccounts: Records | None = None  # noqa: N815
    namedAccountLists: Records | None = None  # noqa: N815
    namedAccountListMembers: dict[str, Names] | None = None  # noqa: N815
    salesPersons: Records | None = None  # noqa: N815
    customObjects: Records | None = None  # noqa: N815
    customActivityTypes: Records | None = None  # noqa: N815
    programs: Records | None = None
    campaigns: Records | None = None
    activities: list[list[Any]] | None = None
    activityOffset: int | None = None  # noqa: N815
    exportJobs: Records | None = None  # noqa: N815
    exportSlots: Any = None  # noqa: N815
    exportQuotaBytes: Any = None  # noqa: N815
    importBatches: Records | None = None  # noqa: N815
    # the asset world (model/assets/): settings, content, and what programs hold
    channels: Records | None = None
    tagTypes: Records | None = None  # noqa: N815
    segmentations: Records | None = None
    files: Records | None = None
    snippets: Records | None = None
    emailTemplates: Records | None = None  # noqa: N815
    emails: Records | None = None
    landingPageTemplates: Records | None = None  # noqa: N815
    forms: Records | None = None
    landingPages: Records | None = None  # noqa: N815
    redirectRules: Records | None = None  # noqa: N815
    landingPageDomains: Records | None = None  # noqa: N815
    smartLists: Records | None = None  # noqa: N815
    tokens: Records | None = None
    contentAssets: Records | None = None  # noqa: N815 - the v2 content API's assets
