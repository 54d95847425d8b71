"""The bisection's one-at-a-time weight sets are bit for bit the batch ones."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoose.engine.sensitivity import _weights_at, _weights_with

weights = st.lists(st.floats(0.0, 10.0), min_size=1, max_size=8).filter(lambda w: sum(w) > 0)


@settings(max_examples=200, deadline=None)
@given(weights, st.data())
def test_weights_at_matches_weights_with(raw, data):
    base = np.asarray(raw) / sum(raw)
    j = data.draw(st.integers(0, base.size - 1))
    t = np.float64(data.draw(st.floats(0.0, 1.0)))
    one = _weights_at(base, j)(t)
    batch = _weights_with(base, j, t)[0]
    assert one.tobytes() == batch.tobytes()
    assert one[j] == t


def test_a_factor_holding_all_the_weight_shares_the_rest_evenly():
    base = np.array([0.0, 1.0, 0.0])
    assert _weights_at(base, 1)(np.float64(0.4)).tolist() == [0.3, 0.4, 0.3]
