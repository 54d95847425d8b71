"""Property tests (hypothesis): invariances the ranking must keep."""

from __future__ import annotations

import copy

import numpy as np
from enginehelp import FIXTURE_KB, rank
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoose.engine import mcda
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog

CATALOG = load_catalog(layers=[FIXTURE_KB])
CRITERIA = load_criteria()

matrices = st.integers(min_value=2, max_value=8).flatmap(
    lambda n: st.integers(min_value=1, max_value=6).flatmap(
        lambda m: st.tuples(
            st.lists(
                st.lists(
                    st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=m, max_size=m
                ),
                min_size=n,
                max_size=n,
            ),
            st.lists(st.floats(min_value=0.01, max_value=100), min_size=m, max_size=m),
            st.lists(st.sampled_from(["benefit", "cost"]), min_size=m, max_size=m),
        )
    )
)


@given(matrices, st.floats(min_value=0.001, max_value=1000))
def test_scaling_weights_changes_no_score(data, factor):
    matrix, weights, directions = data
    for method in (mcda.weighted_sum, mcda.topsis):
        base = method(matrix, weights, directions)
        scaled = method(matrix, [w * factor for w in weights], directions)
        assert np.allclose(base, scaled, atol=1e-9)


@given(
    matrices,
    st.integers(min_value=0, max_value=7),
    st.integers(min_value=0, max_value=5),
    st.floats(min_value=0.0, max_value=1e5),
)
def test_improving_a_value_never_lowers_that_option(data, row, col, step):
    matrix, weights, directions = data
    row %= len(matrix)
    col %= len(matrix[0])
    better = copy.deepcopy(matrix)
    better[row][col] += step if directions[col] == "benefit" else -min(step, better[row][col])
    before = mcda.weighted_sum(matrix, weights, directions)[row]
    after = mcda.weighted_sum(better, weights, directions)[row]
    assert after >= before - 1e-9


weight_sets = st.lists(st.integers(min_value=1, max_value=5), min_size=9, max_size=9)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weight_sets, st.integers(min_value=2, max_value=50))
def test_engine_ranking_ignores_a_common_weight_factor(importances, factor):
    ids = [c.id for c in CRITERIA.criteria if c.scoring is not None]
    direct = dict(zip(ids, importances, strict=False))
    scaled = {k: v * factor for k, v in direct.items()}
    first = rank(catalog=CATALOG, criteria=CRITERIA, weights=direct, samples=50).workloads[0]
    second = rank(catalog=CATALOG, criteria=CRITERIA, weights=scaled, samples=50).workloads[0]
    assert [r.id for r in first.ranked] == [r.id for r in second.ranked]
    assert [r.score for r in first.ranked] == [r.score for r in second.ranked]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(min_value=0.0, max_value=0.95))
def test_cheaper_price_never_lowers_the_cost_score(cut):
    cheaper = copy.deepcopy(CATALOG)
    offering = cheaper.offerings["api-co/big-closed"]
    offering.price = offering.price.model_copy(
        update={
            "input": offering.price.input * (1 - cut),
            "output": offering.price.output * (1 - cut),
        }
    )
    answers = {"planning_horizon_months": 1}
    before = next(
        r
        for r in rank(answers, catalog=CATALOG, criteria=CRITERIA, samples=20).workloads[0].ranked
        if r.id == "api-co/big-closed"
    )
    after = next(
        r
        for r in rank(answers, catalog=cheaper, criteria=CRITERIA, samples=20).workloads[0].ranked
        if r.id == "api-co/big-closed"
    )
    assert after.factor_scores["cost"] >= before.factor_scores["cost"]
    assert after.score >= before.score - 1e-9


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=8_000, max_value=400_000))
def test_more_context_never_lowers_the_quality_side(context):
    """Raising a model's context window can only keep or remove a context elimination."""
    bigger = copy.deepcopy(CATALOG)
    bigger.models["open-8b"] = bigger.models["open-8b"].model_copy(
        update={"context_window": 131072 + context}
    )
    answers = {"min_context_tokens": 150_000}
    small = rank(answers, catalog=CATALOG, criteria=CRITERIA, samples=20).workloads[0]
    large = rank(answers, catalog=bigger, criteria=CRITERIA, samples=20).workloads[0]
    small_ids = {r.id for r in small.ranked}
    large_ids = {r.id for r in large.ranked}
    assert small_ids <= large_ids


def _answer_strategy():
    """Random but valid answers to every choice, yes/no and importance question."""
    fields = {}
    for question in CRITERIA.questions.values():
        if question.type == "choice":
            fields[question.id] = st.sampled_from([c.value for c in question.choices])
        elif question.type == "bool":
            fields[question.id] = st.booleans()
        elif question.type == "importance":
            fields[question.id] = st.integers(min_value=1, max_value=5)
        elif question.type == "multi":
            fields[question.id] = st.lists(
                st.sampled_from([c.value for c in question.choices]), unique=True
            )
    fields["requests_per_day"] = st.integers(min_value=0, max_value=10_000_000)
    return st.fixed_dictionaries({}, optional=fields)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_answer_strategy())
def test_no_eliminated_option_is_ever_ranked(answers):
    workload = rank(answers, catalog=CATALOG, criteria=CRITERIA, samples=20).workloads[0]
    ranked = [r.id for r in workload.ranked]
    eliminated = {e["id"] for e in workload.eliminated}
    assert len(ranked) == len(set(ranked))
    assert not set(ranked) & eliminated
    assert all(e["reasons"] for e in workload.eliminated)
    assert [r.rank for r in workload.ranked] == list(range(1, len(ranked) + 1))
