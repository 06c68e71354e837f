"""Every documented behaviour has a Gherkin scenario (issue 5): each ID in
../shared/spec/behaviour.md must tag at least one scenario in features/, and every ID used
as a tag must exist there (a typo'd tag verifies nothing)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import feature_tags

ID = re.compile(r"\bB-(?:MKT|BOM|DB|B2B|SFMC)-\d{2}\b")
BEHAVIOUR = Path(os.environ.get(
    "VENDORSIM_BEHAVIOUR",
    Path(__file__).resolve().parents[2] / "shared" / "spec" / "behaviour.md"))


@pytest.fixture(scope="module")
def documented() -> set[str]:
    if not BEHAVIOUR.exists():
        pytest.skip(f"{BEHAVIOUR} not found: put ../shared beside the repository or set "
                    "VENDORSIM_BEHAVIOUR")
    ids = set(ID.findall(BEHAVIOUR.read_text(encoding="utf-8")))
    assert len(ids) > 30, "behaviour.md lists far fewer IDs than expected"
    return ids


def test_every_documented_behaviour_has_a_scenario(documented: set[str]) -> None:
    missing = sorted(documented - feature_tags())
    assert missing == [], f"behaviours without a scenario in features/: {', '.join(missing)}"


def test_every_behaviour_tag_is_documented(documented: set[str]) -> None:
    unknown = sorted(t for t in feature_tags() if ID.fullmatch(t) and t not in documented)
    assert unknown == [], f"tags naming no behaviour in behaviour.md: {', '.join(unknown)}"
