"""What a Demandbase seed or snapshot may hold, key by key (a misspelt key is refused by
name, never ignored); the records' own rules are the client's to check."""

from __future__ import annotations

from typing import Any

from vendorsim.mocks.core.seeds import Names, Records, Shape


class DemandbaseListSeed(Shape):
    id: Any = None
    name: Any = None
    description: Any = None
    dataflowId: Any = None  # noqa: N815 - Demandbase's own name
    domains: Names = []


class DemandbaseSeed(Shape):
    account_lists: list[DemandbaseListSeed] | None = None
    accounts: Records | None = None
    jobs: Records | None = None
    activity_types: Records | None = None
    exports: Records | None = None
    alert_subscriptions: Records | None = None
    nextIds: dict[str, int] | None = None  # noqa: N815 - as Marketo's snapshots name it
