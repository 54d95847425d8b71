"""Weights from answers, directly or by AHP; sensitivity thresholds and win shares."""

from __future__ import annotations

import numpy as np
import pytest
from enginehelp import rank

from llmchoose.engine.sensitivity import aggregate, perturbed_win_shares, weight_thresholds
from llmchoose.engine.weights import derive_weights
from llmchoose.errors import InputError
from llmchoose.loading.criteria import load_criteria
from llmchoose.schemas.decision import AhpComparison

CRITERIA = load_criteria()


def test_importance_answers_become_normalised_weights():
    weights = derive_weights(CRITERIA, {"privacy_importance": 5, "cost_importance": 1})
    assert sum(weights.values.values()) == pytest.approx(1.0)
    # Importance 5 against 1: four doublings.
    assert weights.values["privacy"] == pytest.approx(16 * weights.values["cost"])
    assert weights.method == "importance"


def test_direct_weights_and_unknown_factor():
    weights = derive_weights(CRITERIA, {}, direct={"cost": 3, "quality": 1})
    assert weights.values["cost"] == pytest.approx(0.75)
    assert weights.values["privacy"] == 0
    with pytest.raises(InputError, match="unknown factor 'cots'"):
        derive_weights(CRITERIA, {}, direct={"cots": 1})


def test_ahp_weights_and_inconsistency_warning():
    consistent = [AhpComparison(more="privacy", less="cost", by=2), AhpComparison(more="cost", less="quality", by=2),
                  AhpComparison(more="privacy", less="quality", by=4)]  # fmt: skip
    weights = derive_weights(CRITERIA, {}, ahp=consistent)
    assert weights.values["privacy"] == pytest.approx(4 / 7, abs=1e-6)
    assert weights.consistency_ratio == pytest.approx(0, abs=1e-6)
    assert not weights.warnings
    contradictory = [AhpComparison(more="privacy", less="cost", by=9), AhpComparison(more="cost", less="quality", by=9),
                     AhpComparison(more="quality", less="privacy", by=9)]  # fmt: skip
    warned = derive_weights(CRITERIA, {}, ahp=contradictory)
    assert warned.consistency_ratio > 0.1
    assert "inconsistent" in warned.warnings[0]
    incomplete = [consistent[0], AhpComparison(more="latency", less="quality", by=2)]
    with pytest.raises(InputError, match="2 of the 6 comparisons"):
        derive_weights(CRITERIA, {}, ahp=incomplete)


def test_weight_threshold_is_where_the_winner_changes():
    # Option 0 wins on factor 0, option 1 on factor 1.
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])
    weights = np.array([0.7, 0.3])
    directions = ["benefit", "benefit"]
    [first, second] = weight_thresholds(matrix, weights, directions, "weighted-sum", ["a", "b"])
    # The winner changes when factor a drops to 0.5 (or b rises to 0.5).
    assert first.new_weight == pytest.approx(0.5, abs=1e-4)
    assert second.new_weight == pytest.approx(0.5, abs=1e-4)
    assert first.new_winner == 1
    just_before = np.array([0.5 + 1e-3, 0.5 - 1e-3])
    assert int(np.argmax(aggregate(matrix, just_before, directions, "weighted-sum"))) == 0


def test_dominant_option_never_changes():
    matrix = np.array([[1.0, 1.0], [0.0, 0.0]])
    thresholds = weight_thresholds(
        matrix, np.array([0.5, 0.5]), ["benefit", "benefit"], "topsis", ["a", "b"]
    )
    assert all(t.new_weight is None for t in thresholds)
    shares = perturbed_win_shares(matrix, [0.5, 0.5], ["benefit", "benefit"], "topsis", samples=200)
    assert shares == [1.0, 0.0]


def test_win_shares_are_deterministic_and_sum_to_one():
    matrix = np.random.default_rng(1).random((30, 5))
    directions = ["benefit", "cost", "benefit", "benefit", "cost"]
    a = perturbed_win_shares(matrix, [1, 2, 3, 4, 5], directions, "weighted-sum", samples=500)
    b = perturbed_win_shares(matrix, [1, 2, 3, 4, 5], directions, "weighted-sum", samples=500)
    assert a == b
    assert sum(a) == pytest.approx(1.0)


def test_close_call_is_said_plainly():
    workload = rank({"quality_importance": 3}).workloads[0]
    sens = workload.sensitivity
    verdict = workload.verdict
    expected_close = (
        sens["margin"] < 0.03 or workload.headline.win_share < 0.6 or not verdict.methods_agree
    )
    assert sens["close_call"] == expected_close == (verdict.level in ("close", "tie"))
    text = workload.explanation.get("close_call") or workload.explanation.get("robustness")
    assert text == verdict.text and workload.runner_up.name in text


def test_skipping_dominated_options_leaves_the_win_shares_unchanged():
    # Weighted-sum shares skip options an earlier one beats on every factor; with known
    # facts the shares must equal counting winners over every option.
    from llmchoose.engine.sensitivity import _winners, aggregate

    rng = np.random.default_rng(7)
    matrix = rng.random((300, 6))
    matrix[50:] *= 0.3  # most rows dominated by the leaders
    rows = list(range(300))
    directions = ["benefit"] * 6
    weights = [1, 2, 3, 1, 2, 3]
    shares = perturbed_win_shares(
        matrix, weights, directions, "weighted-sum", samples=400, rows=rows
    )
    base = np.asarray(weights, dtype=float) / sum(weights)
    draw = np.random.default_rng(20261128)
    sets = base[None, :] * np.exp(draw.normal(0.0, 0.5, size=(400, 6)))
    sets /= sets.sum(axis=1, keepdims=True)
    winners = _winners(aggregate(matrix, sets, directions, "weighted-sum"), np.asarray(rows))
    expected = np.bincount(winners, minlength=300) / 400
    assert np.allclose(shares, expected)
    assert sum(shares[50:]) == 0 and sum(shares) == pytest.approx(1.0)


def test_a_near_score_that_no_sample_overturns_is_called_steady():
    """Scores 0.01 apart are a close call on the scale, but when nearly every sample of
    weights and unknown facts keeps the winner the text says so instead of sounding
    like a coin toss; the level (what CI reads) stays "close"."""
    from dataclasses import replace

    from llmchoose.engine.alternatives import verdict_of

    workload = rank({}).workloads[0]
    head, runner = workload.headline, workload.runner_up
    near = replace(runner, score=head.score - 0.01)
    steady = verdict_of(replace(head, win_share=0.95), near, samples=1000)
    shaky = verdict_of(replace(head, win_share=0.55), near, samples=1000)
    assert steady.level == shaky.level == "close"
    assert steady.text.startswith("Close on score but steady") and "95%" in steady.text
    assert shaky.text.startswith("A close call")
