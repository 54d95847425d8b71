"""Evaluate structured ``when:`` / ``require:`` conditions (never ``eval``).

A condition reads answers (``question``) or option facts (``attribute``). Facts can be
unknown, so evaluation is three-valued: True, False or None (unknown), combined with
Kleene logic. An unanswered question makes a comparison False, not unknown: a rule
that depends on an answer nobody gave does not fire.

:func:`evaluate` reads a condition as it stands. The engine tests the same condition
against thousands of options under one set of answers, so :func:`bind` does the answer
part once and returns a test of the option facts alone, with the same verdicts;
:func:`fact_key` names what such a verdict depends on, so it can be kept per distinct
set of facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from llmchoose.schemas.criteria import AnswerRef, Condition

__all__ = ["FactTest", "attributes", "bind", "evaluate", "fact_key", "resolve"]

# A condition with its answers bound: the verdict on one option's facts.
FactTest = Callable[[Mapping[str, Any]], bool | None]

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


def fact_key(facts: Mapping[str, Any], names: Iterable[str]) -> tuple:
    """What a verdict on ``names`` depends on, as a dict key: each fact with its type
    (``True`` and ``1`` are equal keys but not equal facts), lists as tuples.

    A fact that cannot be hashed makes the key unhashable: looking it up raises
    TypeError, and the caller then judges that option on its own.
    """
    key = []
    for name in names:
        value = facts.get(name)
        key.append((type(value), tuple(value) if isinstance(value, list) else value))
    return tuple(key)


# What binding makes of a condition: a verdict already settled by the answers (True,
# False or None), or a test that still needs the option's facts.
_Bound = bool | None | FactTest


def bind(condition: Condition, answers: Mapping[str, Any]) -> FactTest:
    """A test of option facts that gives :func:`evaluate`'s verdict under ``answers``.

    The answers are read once here: questions become settled verdicts, answer
    references become plain operands, and a group whose verdict they settle becomes a
    constant. Pass ``{}`` for an option without facts.
    """
    bound = _bind(condition, answers)
    if callable(bound):
        return bound
    return lambda facts: bound


def _bind(condition: Condition, answers: Mapping[str, Any]) -> _Bound:
    if condition.all is not None or condition.any is not None:
        return _bind_group(condition, answers)
    if condition.not_ is not None:
        inner = _bind(condition.not_, answers)
        if not callable(inner):
            return None if inner is None else not inner
        return lambda facts: None if (r := inner(facts)) is None else not r
    if condition.question is not None:
        return evaluate(condition, answers)
    op, operand = condition.operator()
    name = condition.attribute or ""
    if op == "known":
        return lambda facts: (facts.get(name) is not None) == operand
    operand = resolve(operand, answers)
    if operand is _MISSING:
        return None  # a missing fact or a missing answer: unknown either way
    compare = _comparison(op, operand)
    if compare is None:
        return None

    def test(facts: Mapping[str, Any]) -> bool | None:
        value = facts.get(name)
        return None if value is None else compare(value)

    return test


def _bind_group(condition: Condition, answers: Mapping[str, Any]) -> _Bound:
    """``all`` (False wins, then unknown) or ``any`` (True wins, then unknown)."""
    parts = condition.all if condition.all is not None else condition.any
    assert parts is not None
    decisive = condition.all is None  # True settles an `any`, False settles an `all`
    unknown = False
    tests = []
    for part in parts:
        bound = _bind(part, answers)
        if callable(bound):
            tests.append(bound)
        elif bound is decisive:
            return decisive
        elif bound is None:
            unknown = True
    otherwise = None if unknown else not decisive
    if not tests:
        return otherwise

    def test(facts: Mapping[str, Any]) -> bool | None:
        result = otherwise
        for part_test in tests:
            verdict = part_test(facts)
            if verdict is decisive:
                return decisive
            if verdict is None:
                result = None
        return result

    return test


_NUMERIC = (int, float, dt.date)


def _comparison(op: str, operand: Any) -> Callable[[Any], bool | None] | None:
    """``_compare(op, value, operand)`` as a function of a known value, or None when
    the operand alone makes every comparison unknown."""
    if op == "equals":
        return lambda value: value == operand
    if op == "not_equals":
        return lambda value: value != operand
    if op in ("in", "not_in", "contains", "contains_any"):
        return _membership(op, operand)
    if not isinstance(operand, _NUMERIC):
        return None
    is_date = isinstance(operand, dt.date)
    check = {
        "gte": lambda value: bool(value >= operand),
        "lte": lambda value: bool(value <= operand),
        "gt": lambda value: bool(value > operand),
        "lt": lambda value: bool(value < operand),
    }[op]

    def ordered(value: Any) -> bool | None:
        if not isinstance(value, _NUMERIC) or isinstance(value, bool):
            return None
        if isinstance(value, dt.date) != is_date:
            return None
        return check(value)

    return ordered


def _membership(op: str, operand: Any) -> Callable[[Any], bool]:
    if op == "contains":
        return lambda value: isinstance(value, list) and operand in value
    pool = operand if isinstance(operand, list) else [operand]
    if op == "contains_any":
        return lambda value: isinstance(value, list) and any(item in value for item in pool)
    wanted = op == "in"

    def inside(value: Any) -> bool:
        if isinstance(value, list):
            return any(item in pool for item in value) == wanted
        return any(value == item for item in pool) == wanted

    return inside
