"""Every sentence the report writes from numbers, in its ordinary and its edge cases:
unknown values, values equal before and after, and zero differences."""

from __future__ import annotations

import pytest

from llmchoose.report.cost_view import breakdown_text
from llmchoose.report.sentences import (
    cost_structure_text,
    hybrid_trade_text,
    per_month,
    score_gain_text,
    weight_change_text,
    wins_text,
)
from llmchoose.report.workload_view import margin_text, rule_title


def test_a_monthly_cost_reads_as_a_phrase_or_says_it_is_unknown():
    assert per_month(236.4) == "$236 a month"
    assert per_month(58.44, about=True) == "about $58.44 a month"
    assert per_month(0.0) == "$0 a month"
    assert per_month(None) == "an unknown monthly cost"
    assert per_month(None, about=True) == "an unknown monthly cost"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (0.09, 0.20, "If Cost weighed 20% instead of 9%, X would rank first."),
        # Equal once rounded to whole percents: one decimal tells them apart.
        (0.0904, 0.0936, "If Cost weighed 9.4% instead of 9.0%, X would rank first."),
        # Equal even at one decimal: no "9% instead of 9%".
        (
            0.09,
            0.0901,
            "The slightest change to the weight of Cost (now 9%) would put X first.",
        ),
        (0.0, 0.05, "If Cost weighed 5% instead of 0%, X would rank first."),
    ],
)
def test_a_weight_change_never_reads_as_no_change(old, new, expected):
    text = weight_change_text("Cost", old, new, "X")
    assert text == expected
    assert "9% instead of 9%" not in text


def test_a_score_gain_of_almost_nothing_is_said_in_words():
    assert score_gain_text("B", "Cost", 0.25, 0.5, 0.9) == (
        "B would rank first if it scored 0.25 higher on Cost (it scores 0.50, the winner 0.90)."
    )
    text = score_gain_text("B", "Cost", 0.001, 0.5, 0.9)
    assert "0.00 higher" not in text and "any higher at all" in text


def test_win_shares_need_samples():
    assert wins_text(0.48, 1000) == "wins 48% of 1,000 samples of weights and unknown facts"
    assert wins_text(0.0, 1000) == "wins 0% of 1,000 samples of weights and unknown facts"
    assert wins_text(0.0, 0) == ""


def test_a_score_gap_never_reads_as_zero_unless_it_is():
    assert margin_text(0.12) == "0.12"
    assert margin_text(0.004) == "0.004"
    assert margin_text(0.0) == "0.000"
    assert margin_text(None) == "—"


@pytest.mark.parametrize(
    ("structure", "monthly", "parts", "expected"),
    [
        ("per-token", 236.0, {"tokens": 236.0}, "Per token: $236 a month now, nothing when idle"),
        (
            "per-token",
            None,
            {},
            "Per token: price unknown for this usage; nothing when idle",
        ),
        (
            "fixed",
            4037.0,
            {"hardware": 2037.0, "operations": 2000.0},
            "Fixed: $4,037 a month ($2,037 machines, $2,000 operations)",
        ),
        ("fixed", None, {}, "Fixed: an unknown monthly cost"),
        ("user-device", None, {}, "No per-request bill: runs on hardware users own"),
    ],
)
def test_cost_structures_with_known_and_unknown_costs(structure, monthly, parts, expected):
    text = cost_structure_text(structure, monthly, parts)
    assert text == expected
    assert "unknown a month" not in text


@pytest.mark.parametrize(
    ("diff", "gain", "expected"),
    [
        (
            120.0,
            0.05,
            "The hybrid costs $120 a month more than S for everything, for a mean score 0.05 higher.",
        ),
        (
            -120.0,
            0.05,
            "The hybrid costs $120 a month less than S for everything, for a mean score 0.05 higher.",
        ),
        (0.2, 0.0, "The hybrid costs about the same as S for everything, for the same mean score."),
        (
            0.0,
            -0.02,
            "The hybrid costs about the same as S for everything, for a mean score 0.02 lower.",
        ),
    ],
)
def test_the_hybrid_trade_off_with_zero_and_negative_differences(diff, gain, expected):
    assert hybrid_trade_text(diff, gain, "S", margin_text(gain)) == expected


def test_cost_parts_with_nothing_known_say_nothing():
    assert breakdown_text({}) == ""
    assert breakdown_text({"tokens": None, "hardware": None}) == ""


def test_rule_titles_read_as_words():
    assert rule_title("hipaa-baa") == "HIPAA BAA"
    assert rule_title("not-retired") == "Not retired"
    assert rule_title("eu-residency") == "EU residency"
    assert rule_title("") == ""
