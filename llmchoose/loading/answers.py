"""Answers to the questionnaire: checking one answer, and resolving the full set a
workload sees (defaults, then project answers, then the workload's own)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.conditions import evaluate
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.schemas.criteria import Question

__all__ = ["check_answer", "check_answer_ids", "derived_answers", "effective_answers"]

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def _bool_answer(question: Question, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("expected yes or no")


def _number_answer(question: Question, value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {value!r}") from None
    if not isinstance(value, int | float) or math.isnan(value) or math.isinf(value):
        raise ValueError("expected a finite number")
    if question.min is not None and value < question.min:
        raise ValueError(f"must be at least {question.min:,.12g}")
    if question.max is not None and value > question.max:
        raise ValueError(f"must be at most {question.max:,.12g}")
    if question.integer:
        if value != int(value):
            raise ValueError("expected a whole number")
        return int(value)
    return int(value) if isinstance(value, int) else float(value)


def _choice_answer(question: Question, value: Any) -> Any:
    allowed = [c.value for c in question.choices]
    _one_of(value, allowed)
    return value


def _multi_answer(question: Question, value: Any) -> list[Any]:
    allowed = [c.value for c in question.choices]
    items = value if isinstance(value, list) else [value]
    for item in items:
        _one_of(item, allowed)
    # Keep the order of the choices so files and reports are stable.
    return [c for c in allowed if c in items]


def _text_answer(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


# One reader per question type; each returns the answer in its type or raises ValueError.
_READERS = {
    "bool": _bool_answer,
    "number": _number_answer,
    "importance": _number_answer,
    "choice": _choice_answer,
    "multi": _multi_answer,
    "text": _text_answer,
}


def check_answer(question: Question, value: Any) -> Any:
    """Return the answer in its proper type, or raise ValueError saying what is allowed."""
    if value is None:
        return None
    reader = _READERS.get(question.type)
    if reader is None:
        raise AssertionError(question.type)
    return reader(question, value)


def check_answer_ids(
    criteria: CriteriaSet,
    answers: Mapping[str, Any],
    *,
    file: str | Path | None = None,
    lines: Mapping[str, int] | None = None,
    where: str = "answers",
) -> dict[str, Any]:
    """Check every answer's id and value; raise one InputError naming the first bad one."""
    questions = criteria.questions
    checked: dict[str, Any] = {}
    for qid, value in answers.items():
        line = (lines or {}).get(qid)
        if qid not in questions:
            raise InputError(
                f"{where}.{qid}: unknown question",
                file=file,
                line=line,
                hint=did_you_mean(str(qid), questions) or "see `llmchoose questions`",
            )
        try:
            checked[qid] = check_answer(questions[qid], value)
        except ValueError as exc:
            raise InputError(f"{where}.{qid}: {exc}", file=file, line=line) from None
    return checked


def _derived_default(question: Question, answers: Mapping[str, Any]) -> Any:
    """The default that follows another answer (``default_from``), if it applies."""
    rule = question.default_from
    if rule is None:
        return None
    source = answers.get(rule.question)
    return None if source is None else rule.values.get(str(source))


def effective_answers(
    criteria: CriteriaSet,
    project: Mapping[str, Any],
    workload: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The answers one workload runs on: given ones first, defaults for the rest.

    A default may follow another answer (``default_from``): a workload's privacy
    importance follows its own data sensitivity unless someone answered it.
    A question whose ``when`` does not hold is dropped (its default too), so a rule that
    depends on it cannot fire from an answer the flow would never have asked for.
    """
    given = {**project, **(workload or {})}
    answers: dict[str, Any] = {}
    for criterion in criteria.criteria:
        for question in criterion.questions:
            if question.when is not None and not evaluate(question.when, answers):
                continue
            value = given.get(question.id)
            if value is None:
                value = _derived_default(question, answers)
            if value is None:
                value = question.default
            if value is not None:
                answers[question.id] = value
    return answers


def derived_answers(
    criteria: CriteriaSet,
    project: Mapping[str, Any],
    workload: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Answers a workload took from another answer, each with the sentence that says so."""
    given = {**project, **(workload or {})}
    answers = effective_answers(criteria, project, workload)
    said: dict[str, str] = {}
    for question in criteria.questions.values():
        rule = question.default_from
        if rule is None or question.id in given or question.id not in answers:
            continue
        if _derived_default(question, answers) is None:
            continue
        source = answers.get(rule.question)
        said[question.id] = (
            rule.why or "{question} follows this workload's {source}: {value}"
        ).format(
            question=question.id.replace("_", " "),
            source=rule.question.replace("_", " "),
            value=source,
            answer=answers[question.id],
        )
    return said


def _one_of(value: Any, allowed: list[str]) -> None:
    """Refuse a value that is not one of the choices, suggesting the nearest."""
    if value not in allowed:
        hint = did_you_mean(str(value), allowed)
        raise ValueError(
            f"'{value}' is not a choice; allowed: {', '.join(allowed)}"
            + (f" ({hint})" if hint else "")
        )
