"""The drift corpus (issue 27): the mocks' answers as recorded in tests/drift/corpus/ (one
session per vendor, `tools/record_corpus.py`). A change to the shape of any answer fails here
and shows in review as drift; after an intended change, record the corpus again."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorsim.simulator.drift.cassette import read_cassette
from vendorsim.simulator.drift.corpus import SECRET, SESSIONS, seed_state
from vendorsim.simulator.drift.report import summarize
from vendorsim.simulator.drift.verify import verify

CORPUS = Path(__file__).parent / "drift" / "corpus"


def test_the_corpus_has_a_session_per_vendor() -> None:
    assert sorted(p.stem for p in CORPUS.glob("*.yaml")) == sorted(SESSIONS)


@pytest.mark.parametrize("vendor", sorted(SESSIONS))
def test_the_mocks_answer_as_the_corpus_recorded(vendor: str) -> None:
    cassette = CORPUS / f"{vendor}.yaml"
    assert SECRET not in cassette.read_text()
    interactions = read_cassette(cassette)
    summary = summarize(verify(interactions, vendor, seed=seed_state()), [cassette.name])
    drifted = [(op["operation"], d) for op in summary["operations"] for d in op["differences"]]
    assert not drifted, "the mocks drifted from tests/drift/corpus (record it again with " \
                        f"tools/record_corpus.py if the change is intended): {drifted}"
