"""Every documented behaviour has a Gherkin scenario (issue 5): each ID in
docs/behaviours.md (the catalogue that ships with the repository) must tag at least one
scenario in features/, and every ID used as a tag must exist there (a typo'd tag verifies
nothing). Where the team's spec (../shared/spec/behaviour.md) is beside the checkout, the
shipped catalogue must list exactly its IDs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import feature_tags

ID = re.compile(r"\bB-(?:MKT|BOM|DB|B2B|SFMC)-\d{2}\b")
ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "docs" / "behaviours.md"
SPEC = ROOT.parent / "shared" / "spec" / "behaviour.md"


@pytest.fixture(scope="module")
def documented() -> set[str]:
    ids = set(ID.findall(CATALOGUE.read_text(encoding="utf-8")))
    assert len(ids) > 30, "docs/behaviours.md lists far fewer IDs than expected"
    return ids


def test_every_documented_behaviour_has_a_scenario(documented: set[str]) -> None:
    missing = sorted(documented - feature_tags())
    assert missing == [], f"behaviours without a scenario in features/: {', '.join(missing)}"


def test_every_behaviour_tag_is_documented(documented: set[str]) -> None:
    unknown = sorted(t for t in feature_tags() if ID.fullmatch(t) and t not in documented)
    assert unknown == [], f"tags naming no behaviour in docs/behaviours.md: {', '.join(unknown)}"


def test_the_shipped_catalogue_matches_the_spec(documented: set[str]) -> None:
    if not SPEC.exists():
        pytest.skip(f"{SPEC} is not beside this checkout: nothing to compare with")
    assert documented == set(ID.findall(SPEC.read_text(encoding="utf-8")))
