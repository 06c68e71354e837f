"""The platform's export payload (vendor-apis.md §5.3): each profile travels with
`segmentMembership.ups.{audienceId}: {status, lastQualificationTime}` and an `identityMap`.
Status `realized` = entering, `existing` = still in (e.g. already a member when the audience
is activated), `exited` = leaving; only realized/existing count as members. Connectors read
the status the way a destination does, then write the vendor's own API payloads.
"""

from __future__ import annotations

IDENTITIES = {"email": "email", "ecid": "ecid", "crmId": "crmId", "accountId": "accountId"}
MEMBER = ("realized", "existing")


def export(profile: dict, audience_id: str, status: str, when_iso: str) -> dict:
    """One profile as the platform exports it for one audience."""
    identities = {namespace: [{"id": str(profile[attr])}] for attr, namespace in
                  IDENTITIES.items() if profile.get(attr)}
    return {**profile,
            "segmentMembership": {"ups": {audience_id: {"status": status,
                                                        "lastQualificationTime": when_iso}}},
            "identityMap": identities}


def status_of(exported: dict, audience_id: str) -> str:
    return exported["segmentMembership"]["ups"][audience_id]["status"]


class ReceivesExports:
    """Mixin: split an export batch into entries and exits for `deliver`."""

    def deliver_exports(self, audience, exports: list[dict]):  # type: ignore[no-untyped-def]  # each connector's own audience type
        entering = [p for p in exports if status_of(p, audience.id) in MEMBER]
        exiting = [p for p in exports if status_of(p, audience.id) == "exited"]
        return self.deliver(audience, entering, exiting)  # type: ignore[attr-defined]  # the mixing class has deliver()
