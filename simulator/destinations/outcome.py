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
