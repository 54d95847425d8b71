"""The decision factors: shipped files load, references are checked, layers merge."""

from __future__ import annotations

import pytest
import yaml

from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.layers import KnowledgeErrors
from llmchoose.loading.paths import builtin_dir

REQUIRED = {
    "privacy",
    "cost",
    "customization",
    "integration",
    "latency",
    "offline",
    "compliance",
    "quality",
    "lock_in",
}


def test_shipped_factors_cover_the_article_and_more():
    criteria = load_criteria()
    ids = {c.id for c in criteria.criteria}
    assert ids >= REQUIRED
    for criterion in criteria.criteria:
        assert criterion.description and criterion.summary
        if criterion.id not in REQUIRED and criterion.scoring is None:
            # A group of settings (the currency): asked, never scored or weighed.
            assert criterion.weight_question is None and not criterion.constraints
            continue
        assert criterion.scoring is not None, criterion.id
        weight = criterion.weight_question
        assert weight and criteria.questions[weight].type == "importance"
        for question in criterion.questions:
            assert question.help, f"{question.id} has no help"
            assert question.example, f"{question.id} has no example"


def test_when_conditions_only_look_back():
    """A question's `when` may only read questions asked before it."""
    criteria = load_criteria()
    asked: set[str] = set()
    for criterion in criteria.criteria:
        for question in criterion.questions:
            if question.when:
                assert question.when.questions() <= asked, question.id
            asked.add(question.id)


def factor(tmp_path, data: dict, name: str = "extra.yaml"):
    folder = tmp_path / "criteria"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def test_unknown_attribute_and_question_get_suggestions(tmp_path):
    folder = factor(
        tmp_path,
        {
            "id": "sovereignty",
            "name": "Sovereignty",
            "summary": "Who controls it",
            "description": "Longer text",
            "questions": [
                {"id": "sovereign", "text": "Sovereign?", "type": "bool", "default": False}
            ],
            "constraints": [
                {
                    "id": "x",
                    "when": {"question": "sovereing", "equals": True},
                    "require": {"attribute": "data_leaves_infrastucture", "equals": False},
                    "reason": "no",
                }
            ],
        },
    )
    with pytest.raises(KnowledgeErrors) as caught:
        load_criteria([folder])
    messages = [(e.message, e.hint) for e in caught.value.errors]
    assert (
        "constraint 'x' when: unknown question 'sovereing'",
        "did you mean 'sovereign'?",
    ) in messages
    assert (
        "constraint 'x' require: unknown option attribute 'data_leaves_infrastucture'",
        "did you mean 'data_leaves_infrastructure'?",
    ) in messages


def test_unknown_scorer_is_rejected_with_line(tmp_path):
    folder = factor(
        tmp_path,
        {
            "id": "odd",
            "name": "Odd",
            "summary": "s",
            "description": "d",
            "scoring": {"scorer": "magic", "attribute": "category"},
        },
    )
    with pytest.raises(KnowledgeErrors) as caught:
        load_criteria([folder])
    first = caught.value.errors[0]
    assert first.message.startswith("scoring")
    assert "magic" in first.message
    assert first.line == 5


def test_overlay_changes_one_question_and_keeps_the_rest(tmp_path):
    folder = factor(
        tmp_path,
        {"id": "cost", "questions": [{"id": "requests_per_day", "default": 50000}]},
        "cost.yaml",
    )
    criteria = load_criteria([folder])
    cost = criteria.by_id()["cost"]
    assert criteria.questions["requests_per_day"].default == 50000
    assert criteria.questions["requests_per_day"].unit == "requests per day"
    builtin = yaml.safe_load((builtin_dir("criteria") / "cost.yaml").read_text())
    assert [q.id for q in cost.questions] == [q["id"] for q in builtin["questions"]]


def test_invalid_question_defaults_are_refused(tmp_path):
    folder = factor(
        tmp_path,
        {
            "id": "odd",
            "name": "Odd",
            "summary": "s",
            "description": "d",
            "questions": [
                {
                    "id": "pick",
                    "text": "Pick",
                    "type": "choice",
                    "default": "c",
                    "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                },
                {"id": "num", "text": "Num", "type": "number", "default": 11, "max": 10},
            ],
        },
    )
    with pytest.raises(KnowledgeErrors) as caught:
        load_criteria([folder])
    text = " | ".join(e.message for e in caught.value.errors)
    assert "default 'c' is not one of the choices" in text
    assert "default is above max" in text


def test_an_unknown_range_capped_by_a_misspelt_fact_is_refused(tmp_path):
    folder = factor(
        tmp_path,
        {
            "id": "quality",
            "scoring": {
                "scorer": "numeric",
                "attribute": "quality",
                "direction": "benefit",
                "unknown": {"low": 0.0, "high": 0.6, "cap": "quality_cieling"},
            },
        },
        name="quality.yaml",
    )
    with pytest.raises(KnowledgeErrors) as caught:
        load_criteria([folder])
    messages = [(e.message, e.hint) for e in caught.value.errors]
    assert (
        "scoring unknown.cap: unknown option attribute 'quality_cieling'",
        "did you mean 'quality_ceiling'?",
    ) in messages
