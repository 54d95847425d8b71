"""Score every kept option on every factor and order them by the chosen method."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from llmchoose.engine.constraints import Screening
from llmchoose.engine.option import Option
from llmchoose.engine.scoring import FactorColumn, ScoringContext, score_factor
from llmchoose.engine.sensitivity import aggregate
from llmchoose.engine.usage import DAYS_PER_MONTH, Usage
from llmchoose.engine.weights import Weights
from llmchoose.loading.criteria import CriteriaSet

__all__ = ["Matrix", "RankedOption", "rank_options", "scoring_context"]


@dataclass
class RankedOption:
    rank: int
    id: str
    name: str
    category: str
    score: float
    factor_scores: dict[str, float]  # 0..1 per factor, as the method compares them
    contributions: dict[str, float]  # weight × factor score
    facts: dict[str, Any]  # the scored facts, as they are
    missing: list[str]  # factors whose fact is unknown (scored as the middle of a range)
    notes: dict[str, list[str]]  # scoring adjustments and preferences applied, per factor
    monthly_cost: float | None
    monthly_cost_10x: float | None
    monthly_cost_100x: float | None
    monthly_cost_at_horizon: float | None
    cost_breakdown: dict[str, float]
    deployment: dict[str, Any] | None
    win_share: float = 0.0
    provenance: dict[str, tuple[str, dt.date]] = field(default_factory=dict)
    option: Option | None = field(default=None, repr=False, compare=False)
    values: dict[str, float] = field(default_factory=dict)  # absolute 0..1 values
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # unknown/uncertain
    flags: list[str] = field(default_factory=list)  # what a rule could not check

    @property
    def price_known(self) -> bool:
        return self.monthly_cost is not None


@dataclass
class Matrix:
    """The scored options in ranked order, as the sensitivity analysis needs them."""

    names: list[str]
    directions: list[str]
    values: Any  # numpy array (options × factors), expected values
    low: Any
    high: Any


def scoring_context(answers: dict[str, Any], usage: Usage) -> ScoringContext:
    monthly_tokens = usage.requests_per_day * DAYS_PER_MONTH * usage.tokens_per_request
    return ScoringContext(answers=answers, monthly_million_tokens=monthly_tokens / 1e6)


def _apply_bonuses(columns: list[FactorColumn], options: list[Option], screening: Screening):
    """A met preference adds its bonus to the factor it belongs to (capped at 1)."""
    by_factor = {c.criterion: c for c in columns}
    for i, option in enumerate(options):
        for factor, bonuses in screening.bonuses.get(option.id, {}).items():
            column = by_factor.get(factor)
            if column is None:
                continue
            for bonus, why in bonuses:
                column.values[i] = min(1.0, column.values[i] + bonus)
                column.low[i] = min(1.0, column.low[i] + bonus)
                column.high[i] = min(1.0, column.high[i] + bonus)
                column.notes[i].append(f"{why} (+{bonus:.2f})")


def _deployment_view(option: Option) -> dict[str, Any] | None:
    d = option.deployment
    if d is None:
        return None
    view: dict[str, Any] = {"instance": d.instance} if d.instance else {}
    return view | {
        "hardware": d.hardware,
        "hardware_name": d.hardware_name,
        "count": d.count,
        "replicas": d.replicas,
        "quantization": d.quantization,
        "weights_gb": d.weights_gb,
        "memory_gb": d.memory_gb,
        "max_concurrency": d.max_concurrency,
        "output_tokens_per_s": d.output_tokens_per_s,
        "ttft_s": d.ttft_s,
        "utilization": d.utilization,
        # An option of unknown cost has no known hourly price either.
        "hourly_cost": None if option.cost.monthly is None else d.hourly_cost,
    }


def _method_scores(values, directions: list[str], method: str):
    """Per-factor scores as the method compares them (rescaled for minmax)."""
    if method == "minmax":
        from llmchoose.engine.mcda import minmax_normalize

        return minmax_normalize(values, directions)
    return values


def rank_options(
    criteria: CriteriaSet,
    screening: Screening,
    ctx: ScoringContext,
    weights: Weights,
    method: str,
) -> tuple[list[RankedOption], Matrix]:
    """Ranked options (best first, ties by id) and their matrix in the same order."""
    import numpy as np

    options = screening.kept
    scored = [c for c in criteria.criteria if c.scoring is not None]
    columns = [score_factor(c, options, ctx) for c in scored]
    _apply_bonuses(columns, options, screening)
    names = [c.id for c in scored]
    directions = [col.direction for col in columns]
    shape = (len(options), len(names))

    def stack(attr: str):
        if not options:
            return np.zeros(shape)
        return np.array([getattr(col, attr) for col in columns], dtype=float).T

    values, low, high = stack("values"), stack("low"), stack("high")
    w = np.array([weights.values[n] for n in names])
    if not options:
        return [], Matrix(names, directions, values, low, high)
    scores = aggregate(values, w, directions, method)
    # Plain floats: element access on numpy arrays is slow when done per option and factor.
    score_list = scores.tolist()
    shown_rows = _method_scores(values, directions, method).tolist()
    value_rows = values.tolist()
    weight_list = w.tolist()
    total = sum(weight_list)
    rows = _Rows(columns, names, [weight / total for weight in weight_list])
    order = sorted(range(len(options)), key=lambda i: (-round(score_list[i], 10), options[i].id))
    ranked = [
        rows.row(
            rank,
            i,
            options[i],
            score_list[i],
            shown_rows[i],
            value_rows[i],
            screening.flags.get(options[i].id, []),
        )
        for rank, i in enumerate(order, start=1)
    ]
    return ranked, Matrix(names, directions, values[order], low[order], high[order])


class _Rows:
    """Builds one ranking's rows. Rows repeat few distinct values (a table gives many
    options the same score) and ``round`` is slow next to a dict lookup, so each value's
    rounding is kept."""

    def __init__(self, columns: list[FactorColumn], names: list[str], shares: list[float]):
        self.columns, self.names = columns, names
        self.shares = shares  # each weight's share of their total
        self.rounded: dict[float, float] = {}

    def round4(self, x: float) -> float:
        # Only non-zero floats are kept: 0.0 and -0.0, or 1 and 1.0, are equal keys
        # that print differently.
        if type(x) is not float or not x:
            return round(x, 4)
        found = self.rounded.get(x)
        if found is None:
            found = self.rounded[x] = round(x, 4)
        return found

    def row(self, rank, index, option, score, shown, values, flags) -> RankedOption:
        """One ranked row; ``index`` is the option's position in every column, ``shown``
        and ``values`` its row of scores."""
        columns, names, r4 = self.columns, self.names, self.round4
        ranges = {
            col.criterion: (r4(col.low[index]), r4(col.high[index]))
            for col in columns
            if col.high[index] - col.low[index] > 0
        }
        return RankedOption(
            rank=rank,
            id=option.id,
            name=option.name,
            category=option.category,
            score=r4(score),
            factor_scores={n: r4(s) for n, s in zip(names, shown, strict=True)},
            contributions={
                n: r4(share * s) for n, share, s in zip(names, self.shares, shown, strict=True)
            },
            facts={col.criterion: col.raw[index] for col in columns},
            missing=[col.criterion for col in columns if col.missing[index]],
            notes={col.criterion: col.notes[index] for col in columns if col.notes[index]},
            monthly_cost=option.cost.monthly,
            monthly_cost_10x=option.cost.monthly_10x,
            monthly_cost_100x=option.cost.monthly_100x,
            monthly_cost_at_horizon=option.cost.at_horizon,
            cost_breakdown=option.cost.breakdown,
            deployment=_deployment_view(option),
            provenance=option.provenance,
            option=option,
            values={n: r4(v) for n, v in zip(names, values, strict=True)},
            ranges=ranges,
            flags=list(flags),
        )
