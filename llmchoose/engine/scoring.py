"""Score options on each factor by the factor's named scorer.

A scorer turns option facts into one number per option: ``table`` looks a fact up in a
table of scores and applies adjustments (clipped to 0..1); ``numeric`` takes a numeric
fact as it is, or on a log scale. The MCDA method then normalises each column, so the
final per-factor score is relative to the options being compared (1 = best of them).

A fact the knowledge base lacks is not silently zero: the option gets the median of the
known values in its column — neither rewarded nor punished for the gap — and the factor
is listed under ``missing`` for that option, so reports can say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from llmchoose.conditions import evaluate, resolve
from llmchoose.engine.options import Option
from llmchoose.schemas.criteria import Criterion, NumericScorer, TableScorer

__all__ = ["FactorColumn", "score_factor"]


@dataclass
class FactorColumn:
    criterion: str
    direction: str  # benefit or cost
    values: list[float]  # one per option, missing values already imputed
    raw: list[Any]  # the fact each value came from
    missing: list[bool]
    notes: list[list[str]] = field(default_factory=list)  # adjustments applied, per option


def _table_value(
    scorer: TableScorer, facts: Mapping[str, Any], answers: Mapping[str, Any]
) -> tuple[float | None, list[str]]:
    fact = facts.get(scorer.attribute)
    key = (
        "unknown" if fact is None else (str(fact).lower() if isinstance(fact, bool) else str(fact))
    )
    base = scorer.values.get(
        key, scorer.default if fact is not None else scorer.values.get("unknown")
    )
    if base is None:
        return None, []
    notes = []
    for adjustment in scorer.adjustments:
        if evaluate(adjustment.when, answers, facts) is True:
            base += adjustment.add
            if adjustment.why:
                notes.append(f"{adjustment.why} ({adjustment.add:+.2f})")
    return min(1.0, max(0.0, base)), notes


def _numeric_value(
    scorer: NumericScorer, facts: Mapping[str, Any], answers: Mapping[str, Any]
) -> float | None:
    fact = facts.get(scorer.attribute)
    if fact is None or isinstance(fact, bool) or not isinstance(fact, int | float):
        return None
    value = float(fact)
    if scorer.cap is not None:
        cap = resolve(scorer.cap, answers)
        if isinstance(cap, int | float) and not isinstance(cap, bool):
            value = min(value, float(cap))
    if scorer.transform == "log":
        # log(1 + x) keeps zero (a free on-device option) finite and ordered.
        value = math.log10(1 + max(value, 0.0))
    return value


def score_factor(
    criterion: Criterion, options: list[Option], answers: Mapping[str, Any]
) -> FactorColumn:
    scorer = criterion.scoring
    assert scorer is not None
    values: list[float | None] = []
    raw: list[Any] = []
    notes: list[list[str]] = []
    direction = "benefit" if isinstance(scorer, TableScorer) else scorer.direction
    for option in options:
        raw.append(option.facts.get(scorer.attribute))
        if isinstance(scorer, TableScorer):
            value, applied = _table_value(scorer, option.facts, answers)
        else:
            value, applied = _numeric_value(scorer, option.facts, answers), []
        values.append(value)
        notes.append(applied)
    known = sorted(v for v in values if v is not None)
    if known:
        middle = len(known) // 2
        neutral = known[middle] if len(known) % 2 else (known[middle - 1] + known[middle]) / 2
    else:
        neutral = 0.0
    missing = [v is None for v in values]
    return FactorColumn(
        criterion=criterion.id,
        direction=direction,
        values=[neutral if v is None else v for v in values],
        raw=raw,
        missing=missing,
        notes=notes,
    )
