"""Score options on each factor, on a fixed 0..1 value scale of their own.

A factor score is a property of the option and the workload — its facts and the
answers — never of which other options happen to be compared, so adding or removing an
option cannot reorder the rest under the default method:

- ``table`` looks a fact up in a table of scores and applies adjustments (clipped to
  0..1);
- ``numeric`` maps a numeric fact through the factor's value function: a log or linear
  scale between a ``best`` anchor (scores 1) and a ``worst`` anchor (scores 0), where
  an anchor may follow an answer (latency against the stated need) or the workload's
  volume (cost per million tokens). A fact already on a 0..1 scale (the quality
  percentile) is used as it is.

An unknown fact is a range, not a guess: ``low``..``high`` on the value scale (from the
factor's documented prior, or the table's own range). The ranking uses the middle of
the range; the sensitivity analysis draws from all of it. A measured figure that stands
in for a sibling's, or a predicted one, widens the range around its value by the
factor's ``band``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from llmchoose.engine.option import Option
from llmchoose.loading.conditions import attributes, bind, fact_key, resolve
from llmchoose.schemas.criteria import (
    Anchor,
    Criterion,
    NumericScorer,
    TableScorer,
    ValueFunction,
)

__all__ = ["FactorColumn", "ScoringContext", "score_factor", "value_of"]

# How far a figure that is not measured on the exact option may be off, as a share of
# the figure, by the option's ``speed_basis``. A prediction's own band
# (``speed_error_band``) is used where the option gives one.
UNCERTAIN_BASIS = {"stand-in": 0.35, "predicted": 0.3}


@dataclass(frozen=True)
class ScoringContext:
    """What value functions may depend on besides the option: the answers and the
    workload's volume."""

    answers: Mapping[str, Any]
    monthly_million_tokens: float = 0.0


@dataclass
class FactorColumn:
    criterion: str
    direction: str  # always "benefit": values are on the 0..1 value scale
    values: list[float]  # expected value per option (the middle of its range)
    low: list[float]  # pessimistic end of each option's range
    high: list[float]  # optimistic end
    raw: list[Any]  # the fact each value came from
    missing: list[bool]
    notes: list[list[str]] = field(default_factory=list)  # adjustments applied, per option


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


# An option's score on one factor: (expected, low, high) and the adjustments applied.
Judged = tuple[tuple[float, float, float], list[str]]


def _middle(low: float, high: float) -> tuple[float, float, float]:
    """An unknown fact scores the middle of its range, ranging over all of it."""
    return (low + high) / 2, low, high


class _TableRule:
    """A table scorer with the answers bound.

    Many options share the facts a table reads (one model on many runtimes), so the
    score is kept per distinct set of them.
    """

    def __init__(self, scorer: TableScorer, answers: Mapping[str, Any]) -> None:
        self.scorer = scorer
        self.unknown = _middle(*_table_unknown(scorer))
        self.adjustments = [
            (bind(a.when, answers), a.add, f"{a.why} ({a.add:+.2f})" if a.why else None)
            for a in scorer.adjustments
        ]
        self.reads = sorted(set().union(*(attributes(a.when) for a in scorer.adjustments)))
        self.memo: dict[tuple, Judged] = {}

    def __call__(self, facts: Mapping[str, Any]) -> Judged:
        fact = facts.get(self.scorer.attribute)
        lookup = (
            "unknown"
            if fact is None
            else (str(fact).lower() if isinstance(fact, bool) else str(fact))
        )
        try:
            key = (lookup, fact is None, fact_key(facts, self.reads))
            triple, notes = self.memo[key]
        except KeyError:
            triple, notes = self.memo[key] = self._judge(lookup, fact, facts)
        except TypeError:  # a fact that cannot be a key: judge this option alone
            triple, notes = self._judge(lookup, fact, facts)
        return triple, list(notes)  # each option's own list: bonuses append to it

    def _judge(self, lookup: str, fact: Any, facts: Mapping[str, Any]) -> Judged:
        values = self.scorer.values
        base = values.get(
            lookup, self.scorer.default if fact is not None else values.get("unknown")
        )
        if base is None:
            return self.unknown, []
        notes = []
        for test, add, note in self.adjustments:
            if test(facts) is True:
                base += add
                if note:
                    notes.append(note)
        value = _clip(base)
        return (value, value, value), notes


def _table_unknown(scorer: TableScorer) -> tuple[float, float]:
    if scorer.unknown is not None:
        return scorer.unknown.low, scorer.unknown.high
    known = [v for k, v in scorer.values.items() if k != "unknown"]
    return (min(known), max(known)) if known else (0.0, 1.0)


def _anchor(anchor: Anchor, answers: Mapping[str, Any]) -> float:
    if anchor.value is not None:
        value = anchor.value
    else:
        assert anchor.by is not None and anchor.default is not None
        value = anchor.values.get(str(answers.get(anchor.by)), anchor.default)
    if anchor.at_most is not None:
        limit = resolve(anchor.at_most, answers)
        if isinstance(limit, int | float) and not isinstance(limit, bool) and limit > 0:
            value = min(value, float(limit))
    return value


def value_of(fn: ValueFunction, x: float, ctx: ScoringContext, direction: str) -> float:
    """The 0..1 value of a fact ``x`` under a value function."""
    if fn.per_million_tokens:
        x = x / ctx.monthly_million_tokens if ctx.monthly_million_tokens > 0 else 0.0
    best, worst = _anchor(fn.best, ctx.answers), _anchor(fn.worst, ctx.answers)
    if best == worst:
        better = x <= best if direction == "cost" else x >= best
        return 1.0 if better else 0.0
    if fn.shape == "log":
        if x <= 0:
            # Nothing to pay, no wait: as good as it gets on a cost-like scale.
            return 1.0 if direction == "cost" else 0.0
        if not math.isfinite(x) or worst / x <= 0:
            # A fixed bill spread over next to no tokens costs without bound per token.
            return 0.0 if direction == "cost" else 1.0
        return _clip(math.log(worst / x) / math.log(worst / best))
    return _clip((worst - x) / (worst - best))


def _number(fact: Any) -> float | None:
    if fact is None or isinstance(fact, bool) or not isinstance(fact, int | float):
        return None
    if not math.isfinite(float(fact)):
        return None
    return float(fact)


def _numeric_value(
    scorer: NumericScorer, facts: Mapping[str, Any], ctx: ScoringContext
) -> tuple[float, float, float] | None:
    """(expected, low, high) of a known numeric fact, or None when unknown."""
    x = _number(facts.get(scorer.attribute))
    if x is None:
        return None
    if scorer.cap is not None:
        cap = resolve(scorer.cap, ctx.answers)
        if isinstance(cap, int | float) and not isinstance(cap, bool):
            x = min(x, float(cap))
    if scorer.value is None:
        v = _clip(x if scorer.direction == "benefit" else 1 - x)
        return v, v, v
    v = value_of(scorer.value, x, ctx, scorer.direction)
    band = _band(facts)
    if not band:
        return v, v, v
    worse = x * (1 + band) if scorer.direction == "cost" else x * (1 - band)
    better = x * (1 - band) if scorer.direction == "cost" else x * (1 + band)
    low = value_of(scorer.value, worse, ctx, scorer.direction)
    high = value_of(scorer.value, better, ctx, scorer.direction)
    return v, min(low, v), max(high, v)


def _band(facts: Mapping[str, Any]) -> float:
    basis = facts.get("speed_basis")
    if basis == "predicted" and _number(facts.get("speed_error_band")) is not None:
        return float(facts["speed_error_band"])
    return UNCERTAIN_BASIS.get(str(basis), 0.0)


def _numeric_unknown(scorer: NumericScorer, facts: Mapping[str, Any]) -> tuple[float, float]:
    """The range an unknown numeric fact may score, lowered by its cap fact if known."""
    low, high = scorer.unknown.low, scorer.unknown.high
    cap = facts.get(scorer.unknown.cap) if scorer.unknown.cap else None
    if isinstance(cap, int | float) and not isinstance(cap, bool):
        high = max(low, min(high, float(cap)))
    return low, high


class _NumericRule:
    """A numeric scorer under one workload. Its score is kept per distinct set of the
    facts it reads: the value, what the figure rests on, and the fact that caps an
    unknown."""

    def __init__(self, scorer: NumericScorer, ctx: ScoringContext) -> None:
        self.scorer, self.ctx = scorer, ctx
        self.reads = [scorer.attribute, "speed_basis", "speed_error_band"]
        if scorer.unknown.cap:
            self.reads.append(scorer.unknown.cap)
        self.memo: dict[tuple, tuple[float, float, float]] = {}

    def __call__(self, facts: Mapping[str, Any]) -> Judged:
        try:
            key = fact_key(facts, self.reads)
            triple = self.memo[key]
        except KeyError:
            triple = self.memo[key] = self._judge(facts)
        except TypeError:  # a fact that cannot be a key: judge this option alone
            triple = self._judge(facts)
        return triple, []

    def _judge(self, facts: Mapping[str, Any]) -> tuple[float, float, float]:
        known = _numeric_value(self.scorer, facts, self.ctx)
        return known if known is not None else _middle(*_numeric_unknown(self.scorer, facts))


def score_factor(
    criterion: Criterion, options: list[Option], context: ScoringContext | Mapping[str, Any]
) -> FactorColumn:
    """One factor's column: each option's value, range and the notes behind it."""
    ctx = context if isinstance(context, ScoringContext) else ScoringContext(context)
    scorer = criterion.scoring
    assert scorer is not None
    column = FactorColumn(criterion.id, "benefit", [], [], [], [], [], [])
    judge: _TableRule | _NumericRule
    if isinstance(scorer, TableScorer):
        judge = _TableRule(scorer, ctx.answers)
        # A table that scores "unknown" itself leaves no fact missing.
        may_miss = "unknown" not in scorer.values
    else:
        judge = _NumericRule(scorer, ctx)
        may_miss = True
    for option in options:
        fact = option.facts.get(scorer.attribute)
        (value, low, high), notes = judge(option.facts)
        column.raw.append(fact)
        column.values.append(value)
        column.low.append(low)
        column.high.append(high)
        column.missing.append(fact is None and may_miss)
        column.notes.append(notes)
    return column
