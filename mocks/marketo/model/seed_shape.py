"""What a Marketo seed or snapshot may hold, and of what kind (the lead database checks
each record's own fields: `leads.py`, `fields.py`). Custom fields, partitions, folders and
static lists have a closed set of keys (those their snapshot writes), so a misspelt one is
refused with the closest key; their values are the model's to check. Leads, companies and
the other records hold any of the instance's fields."""

from __future__ import annotations

from typing import Any

from vendorsim.mocks.core.seeds import Names, Record, Records, Shape


class FieldSeed(Shape):
    """A custom lead field (`fields.py` FieldDef.from_dict)."""

    name: Any = None
    displayName: Any = None  # noqa: N815 - Marketo's own names
    dataType: Any = None  # noqa: N815
    length: Any = None
    readOnly: Any = None  # noqa: N815
    searchable: Any = None


class PartitionSeed(Shape):
    id: Any = None
    name: Any = None
    description: Any = None


class FolderSeed(Shape):
    """A folder (`assets/seeding.py`): the keys its snapshot writes."""

    id: Any = None
    name: Any = None
    folderType: Any = None  # noqa: N815
    path: Any = None
    workspace: Any = None
    parent: Any = None
    description: Any = None
    isArchive: Any = None  # noqa: N815
    isSystem: Any = None  # noqa: N815
    createdAt: Any = None  # noqa: N815
    updatedAt: Any = None  # noqa: N815


class ListSeed(Shape):
    id: Any = None
    name: Any = None
    description: Any = None
    folder: Any = None
    createdAt: Any = None  # noqa: N815
    updatedAt: Any = None  # noqa: N815
    members: Any = None


class MarketoSeed(Shape):
    settings: Record | None = None
    fields: list[FieldSeed] | None = None
    partitions: list[str | PartitionSeed] | None = None
    leads: Records | None = None
    next_lead_id: int | None = None
    folders: list[FolderSeed] | None = None
    lists: list[ListSeed] | None = None
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
    webhooks: Records | None = None  # the Call Webhook flow step's webhooks (webhooks.py)
    engagement: Record | None = None  # the seeded engagement model (core/engagement.py)
    campaignRuns: Records | None = None  # noqa: N815
    pendingEmailActivities: list[list[Any]] | None = None  # noqa: N815
    flowsWaiting: Records | None = None  # noqa: N815
    activities: list[list[Any]] | None = None
    activityOffset: int | None = None  # noqa: N815
    nextIds: dict[str, int] | None = None  # noqa: N815
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
