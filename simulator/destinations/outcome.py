"""What every destination connector reports: an activation it refuses, and the outcome of
one delivery per profile (written, skipped by design, dropped by the policy, or failed)."""

from __future__ import annotations

from dataclasses import dataclass, field


class ActivationRefused(Exception):
    """The CDP refuses the configuration before sending anything (with a clear reason)."""


@dataclass
class Outcome:
    """What happened to each profile in one delivery, keyed by profile id."""

    updated: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    not_created: list[str] = field(default_factory=list)  # unmatched, no lead may be created
    listed: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # profile id -> the vendor's reason
    dropped: dict[str, str] = field(default_factory=dict)  # given up by the delivery policy

    def fates(self, profiles: list[str], skipped_why: str) -> dict[str, tuple[str, str]]:
        """Each profile's one fate in this delivery, with the reason: failed (the vendor
        refused a write), dropped (the delivery policy gave up), delivered (every write the
        vendor took), or skipped (nothing to write, by design)."""
        found: dict[str, tuple[str, str]] = {}
        for pid, why in self.failed.items():
            found[pid] = ("failed", why)
        for pid, why in self.dropped.items():
            found.setdefault(pid, ("dropped", why))
        for bucket in (self.updated, self.created, self.listed, self.unlisted):
            for pid in bucket:
                found.setdefault(pid, ("delivered", ""))
        for pid in self.not_created:
            found.setdefault(pid, ("skipped", skipped_why))
        for pid in profiles:
            found.setdefault(pid, ("skipped", "nothing to change at the vendor (an exit of "
                                              "a profile it does not hold)"))
        return {pid: found[pid] for pid in profiles}
