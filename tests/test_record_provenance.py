"""Which provenance a record gives for a fact, with and without per-field entries."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoose.schemas.common import Record


def record(**extra) -> Record:
    return Record.model_validate(
        {"id": "r", "source": "vendor-page", "as_of": "2026-10-01", **extra}
    )


def test_the_most_specific_field_entry_wins_over_the_records_own():
    found = record(
        provenance={
            "compliance": {"source": "trust-centre", "as_of": "2026-09-01"},
            "compliance.hipaa_baa": {"source": "baa-page", "as_of": "2026-08-01"},
        }
    )
    assert found.provenance_of("compliance.hipaa_baa").source == "baa-page"
    assert found.provenance_of("compliance.soc2_type2").source == "trust-centre"
    own = found.provenance_of("price")
    assert (own.source, own.as_of) == ("vendor-page", dt.date(2026, 10, 1))


def test_records_of_one_source_and_date_give_equal_provenance_and_others_do_not():
    first, second = record(), record(id="other")
    assert first.provenance_of("price") == second.provenance_of("regions")
    later = record(as_of="2026-11-01").provenance_of("price")
    assert later.as_of == dt.date(2026, 11, 1)
    assert later != first.provenance_of("price")


def _longest_prefix_entry(record: Record, path: str):
    """The rule spelled out: the entry of the longest dotted prefix of the path."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        found = record.provenance.get(".".join(parts[:end]))
        if found is not None:
            return found
    return record.provenance_of("no-such-field-anywhere")


segments = st.sampled_from(["a", "b", "c", ""])
paths = st.lists(segments, min_size=1, max_size=4).map(".".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(paths, max_size=5, unique=True), paths)
def test_provenance_of_is_the_longest_prefix_entry(keys, path):
    entries = {
        key: {"source": f"s{index}", "as_of": "2026-09-01"} for index, key in enumerate(keys)
    }
    found = record(provenance=entries)
    assert found.provenance_of(path) == _longest_prefix_entry(found, path)
