"""Structured conditions: operators, answer references and three-valued logic."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from llmchoose.loading.conditions import evaluate
from llmchoose.schemas.criteria import Condition


def cond(data: dict) -> Condition:
    return Condition.model_validate(data)


@pytest.mark.parametrize(
    ("data", "answers", "expected"),
    [
        ({"question": "q", "equals": "a"}, {"q": "a"}, True),
        ({"question": "q", "equals": "a"}, {"q": "b"}, False),
        ({"question": "q", "equals": "a"}, {}, False),  # unanswered: the rule does not fire
        ({"question": "q", "in": ["a", "b"]}, {"q": "b"}, True),
        ({"question": "q", "not_in": ["a", "b"]}, {"q": "c"}, True),
        ({"question": "q", "contains": "hipaa"}, {"q": ["gdpr", "hipaa"]}, True),
        ({"question": "q", "contains": "hipaa"}, {"q": []}, False),
        ({"question": "n", "gt": 0}, {"n": 5}, True),
        ({"question": "n", "lte": 4}, {"n": 5}, False),
        ({"question": "q", "answered": True}, {"q": 0}, True),
        ({"question": "q", "answered": False}, {}, True),
    ],
)
def test_question_conditions(data, answers, expected):
    assert evaluate(cond(data), answers) is expected


def test_attribute_conditions_are_unknown_when_the_fact_is():
    rule = cond({"attribute": "hipaa_baa", "equals": True})
    assert evaluate(rule, {}, {"hipaa_baa": True}) is True
    assert evaluate(rule, {}, {"hipaa_baa": False}) is False
    assert evaluate(rule, {}, {"hipaa_baa": None}) is None
    assert evaluate(cond({"attribute": "hipaa_baa", "known": False}), {}, {}) is True


def test_answer_reference_with_factor():
    rule = cond({"attribute": "days_to_retirement", "gte": {"answer": "months", "times": 30.4}})
    assert evaluate(rule, {"months": 12}, {"days_to_retirement": 400}) is True
    assert evaluate(rule, {"months": 12}, {"days_to_retirement": 300}) is False
    # Without the answer there is nothing to compare against.
    assert evaluate(rule, {}, {"days_to_retirement": 300}) is None


def test_kleene_logic_for_all_any_not():
    unknown = {"attribute": "x", "equals": 1}
    true = {"question": "q", "equals": "a"}
    false = {"question": "q", "equals": "b"}
    answers, facts = {"q": "a"}, {"x": None}
    assert evaluate(cond({"all": [true, unknown]}), answers, facts) is None
    assert evaluate(cond({"all": [false, unknown]}), answers, facts) is False
    assert evaluate(cond({"any": [true, unknown]}), answers, facts) is True
    assert evaluate(cond({"any": [false, unknown]}), answers, facts) is None
    assert evaluate(cond({"not": unknown}), answers, facts) is None
    assert evaluate(cond({"not": false}), answers, facts) is True


def test_dates_compare_only_with_dates():
    rule = cond({"attribute": "retires", "lt": dt.date(2027, 1, 1)})
    assert evaluate(rule, {}, {"retires": dt.date(2026, 12, 1)}) is True
    assert evaluate(rule, {}, {"retires": 5}) is None


@pytest.mark.parametrize(
    "data",
    [
        {"question": "q"},  # no operator
        {"question": "q", "equals": 1, "gt": 0},  # two operators
        {"question": "q", "attribute": "x", "equals": 1},  # two subjects
        {"all": [], "any": []},
        {"question": "q", "equals": 1, "all": []},
        {"question": "q", "eqals": 1},  # typo
    ],
)
def test_malformed_conditions_are_rejected(data):
    with pytest.raises(ValidationError):
        cond(data)
