"""What an SFMC seed or snapshot may hold, key by key: a misspelt key (`row:` for `rows:`,
`isPrimarykey:`) is refused by name, never silently ignored. The values' own rules (a
column's type, an email address) are the stores' to check."""

from __future__ import annotations

from typing import Any

from vendorsim.mocks.core.seeds import Record, Records, Shape


class FieldSeed(Shape):
    name: Any = None
    type: Any = None
    fieldType: Any = None  # noqa: N815 - SFMC's own names
    length: Any = None
    scale: Any = None
    isPrimaryKey: Any = None  # noqa: N815
    primaryKey: Any = None  # noqa: N815
    isNullable: Any = None  # noqa: N815
    ordinal: Any = None


class DataExtensionSeed(Shape):
    name: Any = None
    key: Any = None
    customerKey: Any = None  # noqa: N815
    id: Any = None
    description: Any = None
    isSendable: Any = None  # noqa: N815
    categoryId: Any = None  # noqa: N815
    fields: list[FieldSeed] = []
    rows: Records = []


class ListSeed(Shape):
    id: Any = None
    name: Any = None
    description: Any = None
    type: Any = None
    key: Any = None


class MembershipSeed(Shape):
    id: Any = None
    status: Any = None


class SubscriberSeed(Shape):
    key: Any = None
    email: Any = None
    status: Any = None
    lists: list[MembershipSeed] = []
    attributes: Record = {}
    createdAt: Any = None  # noqa: N815


class ContactSeed(Shape):
    contactKey: Any = None  # noqa: N815
    contactID: Any = None  # noqa: N815
    createdAt: Any = None  # noqa: N815
    email: Any = None
    html: Any = None


class CampaignSeed(Shape):
    id: Any = None
    name: Any = None
    description: Any = None
    campaignCode: Any = None  # noqa: N815
    color: Any = None
    favorite: Any = None
    createdDate: Any = None  # noqa: N815
    modifiedDate: Any = None  # noqa: N815


class ContentSeed(Shape):
    categories: Records = []
    assets: Records = []


class SfmcSeed(Shape):
    data_extensions: list[DataExtensionSeed] | None = None
    contacts: list[ContactSeed] | None = None
    lists: list[ListSeed] | None = None
    subscribers: list[SubscriberSeed] | None = None
    event_definitions: list[str | Record] | None = None
    triggered_sends: list[str | Record] | None = None
    triggered_send_definitions: Records | None = None
    journeys: Records | None = None
    emails: Records | None = None
    folders: Records | None = None
    engagement: Record | None = None
    send_jobs: Records | None = None
    tracking: Records | None = None
    ens: Record | None = None
    message_definitions: Records | None = None
    campaigns: list[CampaignSeed] | None = None
    entry_events: Records | None = None
    sends: Records | None = None
    content: ContentSeed | None = None
    nextIds: dict[str, int] | None = None  # noqa: N815 - as Marketo's snapshots name it
