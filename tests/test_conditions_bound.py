"""A condition bound to its answers gives the same verdict as one read as it stands."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoose.loading.conditions import bind, evaluate, fact_key
from llmchoose.schemas.criteria import Condition

FACTS = ("a", "b", "c")
QUESTIONS = ("q", "r")

scalars = st.one_of(
    st.sampled_from(["x", "y", "z", "1"]),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5]),
    st.booleans(),
    st.sampled_from([dt.date(2026, 1, 1), dt.date(2027, 6, 1)]),
)
# Facts and answers may hold what a schema would refuse in a condition (NaN).
fact_scalars = st.one_of(scalars, st.just(float("nan")))
values = st.one_of(st.none(), fact_scalars, st.lists(fact_scalars, max_size=3))
answer_refs = st.builds(
    lambda name, times: {"answer": name, "times": times},
    st.sampled_from(QUESTIONS),
    st.sampled_from([1.0, 2.0, 0.5]),
)
operands = st.one_of(scalars, st.lists(scalars, max_size=3), answer_refs)
list_operands = st.one_of(st.lists(scalars, max_size=3), answer_refs)


@st.composite
def leaves(draw) -> dict:
    subject = draw(st.sampled_from(["question", "attribute"]))
    name = draw(st.sampled_from(QUESTIONS if subject == "question" else FACTS))
    op = draw(
        st.sampled_from(
            [
                *("equals", "not_equals", "in", "not_in", "gte", "lte", "gt", "lt"),
                *("contains", "contains_any", "answered" if subject == "question" else "known"),
            ]
        )
    )
    if op in ("answered", "known"):
        operand = draw(st.booleans())
    elif op in ("in", "not_in", "contains_any"):
        operand = draw(list_operands)
    else:
        operand = draw(operands)
    return {subject: name, op: operand}


conditions = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.builds(lambda parts: {"all": parts}, st.lists(inner, max_size=3)),
        st.builds(lambda parts: {"any": parts}, st.lists(inner, max_size=3)),
        st.builds(lambda part: {"not": part}, inner),
    ),
    max_leaves=8,
)
fact_sets = st.fixed_dictionaries({}, optional={name: values for name in FACTS})
answer_sets = st.fixed_dictionaries({}, optional={name: values for name in QUESTIONS})


@settings(max_examples=400, deadline=None)
@given(conditions, answer_sets, st.lists(fact_sets, min_size=1, max_size=4))
def test_bound_condition_gives_the_interpreted_verdict(data, answers, fact_list):
    condition = Condition.model_validate(data)
    test = bind(condition, answers)
    for facts in fact_list:
        assert test(facts) is evaluate(condition, answers, facts)


def test_answers_settle_a_group_before_any_fact_is_read():
    condition = Condition.model_validate(
        {"all": [{"question": "q", "equals": "yes"}, {"attribute": "a", "equals": 1}]}
    )
    settled = bind(condition, {"q": "no"})
    # Not even a missing fact can make it unknown: the answer already ruled it out.
    assert settled({}) is False
    open_test = bind(condition, {"q": "yes"})
    assert open_test({"a": 1}) is True
    assert open_test({}) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [(True, 1), (1, 1.0), (["x"], ("x",)), (dt.date(2026, 1, 1), dt.datetime(2026, 1, 1))],
)
def test_fact_key_tells_equal_facts_of_different_types_apart(first, second):
    assert fact_key({"a": first}, ["a"]) != fact_key({"a": second}, ["a"])


def test_fact_key_is_equal_for_equal_facts_and_refuses_unhashable_ones():
    assert fact_key({"a": ["x", "y"], "b": 2}, ["a", "b"]) == fact_key(
        {"a": ["x", "y"], "b": 2, "c": "ignored"}, ["a", "b"]
    )
    with pytest.raises(TypeError):
        hash(fact_key({"a": [{"nested": 1}]}, ["a"]))
