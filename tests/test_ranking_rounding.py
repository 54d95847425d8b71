"""Ranked rows keep each value's rounding; what they show is still round(x, 4)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoose.engine.ranking import _Rows

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1.0, 0.00005, -0.00005, 0.12345, 0.5]),
    st.integers(-3, 3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(numbers, max_size=30))
def test_kept_roundings_print_as_round_does(sequence):
    rows = _Rows([], [], [])
    for x in sequence + sequence:  # the second pass reads what the first one kept
        assert repr(rows.round4(x)) == repr(round(x, 4))


def test_zero_and_negative_zero_and_whole_numbers_are_not_confused():
    rows = _Rows([], [], [])
    shown = [repr(rows.round4(x)) for x in (1.0, 1, -0.0, 0.0, -0.0)]
    assert shown == ["1.0", "1", "-0.0", "0.0", "-0.0"]
