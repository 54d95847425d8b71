"""Evaluate structured ``when:`` / ``require:`` conditions (never ``eval``).

A condition reads answers (``question``) or option facts (``attribute``). Facts can be
unknown, so evaluation is three-valued: True, False or None (unknown), combined with
Kleene logic. An unanswered question makes a comparison False, not unknown: a rule
that depends on an answer nobody gave does not fire.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from llmchoose.schemas.criteria import AnswerRef, Condition

__all__ = ["attributes", "evaluate", "resolve"]

_MISSING = object()


def resolve(operand: Any, answers: Mapping[str, Any]) -> Any:
    """The value of an operand: literal, or an answer (times a factor)."""
    if isinstance(operand, AnswerRef):
        value = answers.get(operand.answer)
        if value is None:
            return _MISSING
        if operand.times != 1 and isinstance(value, int | float) and not isinstance(value, bool):
            return value * operand.times
        return value
    return operand


def _compare(op: str, value: Any, operand: Any) -> bool | None:
    if operand is _MISSING:
        return None
    if op == "equals":
        return value == operand
    if op == "not_equals":
        return value != operand
    if op in ("in", "not_in"):
        pool = operand if isinstance(operand, list) else [operand]
        inside = (
            any(value == item for item in pool)
            if not isinstance(value, list)
            else any(item in pool for item in value)
        )
        return inside if op == "in" else not inside
    if op == "contains":
        return isinstance(value, list) and operand in value
    if op == "contains_any":
        pool = operand if isinstance(operand, list) else [operand]
        return isinstance(value, list) and any(item in value for item in pool)
    numeric = (int, float, dt.date)
    if (
        not isinstance(value, numeric)
        or not isinstance(operand, numeric)
        or isinstance(value, bool)
    ):
        return None
    if isinstance(value, dt.date) != isinstance(operand, dt.date):
        return None
    # Both numbers or both dates (checked above), which the type checker cannot pair up.
    left: Any = value
    right: Any = operand
    if op == "gte":
        return bool(left >= right)
    if op == "lte":
        return bool(left <= right)
    if op == "gt":
        return bool(left > right)
    if op == "lt":
        return bool(left < right)
    raise AssertionError(f"unhandled operator {op}")


def evaluate(
    condition: Condition, answers: Mapping[str, Any], facts: Mapping[str, Any] | None = None
) -> bool | None:
    """True, False, or None when an option fact it needs is unknown."""
    if condition.all is not None:
        results = [evaluate(c, answers, facts) for c in condition.all]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if condition.any is not None:
        results = [evaluate(c, answers, facts) for c in condition.any]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if condition.not_ is not None:
        inner = evaluate(condition.not_, answers, facts)
        return None if inner is None else not inner

    op, operand = condition.operator()
    if condition.question is not None:
        value = answers.get(condition.question)
        if op == "answered":
            return (value is not None) == operand
        if value is None:
            return False
        result = _compare(op, value, resolve(operand, answers))
        return bool(result)
    value = (facts or {}).get(condition.attribute or "", None)
    if op == "known":
        return (value is not None) == operand
    if value is None:
        return None
    return _compare(op, value, resolve(operand, answers))


def attributes(condition: Condition) -> set[str]:
    """Every option fact a condition reads, however deeply it is nested."""
    found = {condition.attribute} if condition.attribute is not None else set()
    for part in (condition.all or []) + (condition.any or []):
        found |= attributes(part)
    if condition.not_ is not None:
        found |= attributes(condition.not_)
    return found
