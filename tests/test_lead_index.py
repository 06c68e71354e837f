"""The leads' dedupe index as a create writes it (`hold_new_lead`, one pass over the values,
issue 34) against the plain rule: every indexed value put with `index_put`, one at a time.
Whatever the values, the index and the held values come out the same (B-MKT-09: a lookup
by the dedupe field finds the lead through this index, case-insensitively)."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from vendorsim.mocks.marketo.model.lead_index import SHARED, hold_new_lead, index_put

INDEXED = ("email", "sfdcLeadId", "cookies")
NAMES = st.sampled_from((*INDEXED, "firstName", "company", "title", "numberOfEmployees"))
VALUES = st.one_of(st.none(), st.text(max_size=80), st.integers(), st.sampled_from(
    ["", "Pat@Example.com", "pat@example.com", "PAT@EXAMPLE.COM"]))
EXISTING = st.dictionaries(st.sampled_from(INDEXED), st.dictionaries(
    st.sampled_from(["pat@example.com", "x", 7]),
    st.one_of(st.integers(1, 5), st.sets(st.integers(1, 5), min_size=2, max_size=3)),
    max_size=3))


def _copy(index: dict) -> dict:
    return {name: {key: set(ids) if isinstance(ids, set) else ids for key, ids in idx.items()}
            for name, idx in index.items()}


@given(values=st.dictionaries(NAMES, VALUES, max_size=7), existing=EXISTING,
       lead_id=st.integers(6, 10))
def test_one_pass_matches_putting_each_indexed_value(values: dict, existing: dict,
                                                      lead_id: int) -> None:
    index = {name: {} for name in INDEXED} | _copy(existing)
    expected = {name: {} for name in INDEXED} | _copy(existing)
    for name, value in values.items():
        if name in expected:
            index_put(expected[name], value, lead_id)
    held = hold_new_lead(index, lead_id, dict(values))
    assert index == expected
    assert held == values  # the same values, in the same order
    assert list(held) == list(values)
    for name, value in held.items():
        if name not in INDEXED and type(value) is str and len(value) <= SHARED:
            twin = (value + ".")[:-1]  # an equal string, another object
            assert sys.intern(twin) is value  # short text held once, whatever the lead
