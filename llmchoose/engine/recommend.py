"""Rank the options for each workload of a decision, explain the ranking, and propose a
hybrid when workloads are best served by different options."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from llmchoose.answers import check_answer_ids, effective_answers
from llmchoose.catalog import Catalog
from llmchoose.engine.constraints import Elimination, apply_constraints
from llmchoose.engine.cost import selfhost_monthly_cost
from llmchoose.engine.explain import explain_workload
from llmchoose.engine.hybrid import HybridProposal, propose_hybrid
from llmchoose.engine.options import Option, Unavailable, enumerate_options
from llmchoose.engine.scoring import score_factor
from llmchoose.engine.sensitivity import aggregate, perturbed_win_shares, weight_thresholds
from llmchoose.engine.sizing import SizingError, size_deployment
from llmchoose.engine.usage import Usage
from llmchoose.engine.weights import Weights, derive_weights
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.schemas.decision import Decision

__all__ = ["RankedOption", "Recommendation", "WorkloadResult", "recommend"]

CLOSE_MARGIN = 0.03  # score points (on 0..1) below which the top two are "close"
CLOSE_SHARE = 0.6  # winner's share of perturbed weight sets below which it is "close"


@dataclass
class RankedOption:
    rank: int
    id: str
    name: str
    category: str
    score: float
    factor_scores: dict[str, float]  # normalised 0..1, 1 = best of the options compared
    contributions: dict[str, float]  # weight × factor score
    facts: dict[str, Any]  # the scored facts, as they are
    missing: list[str]  # factors whose fact is unknown (scored as the worst known)
    notes: dict[str, list[str]]  # scoring adjustments applied, per factor
    monthly_cost: float | None
    monthly_cost_10x: float | None
    monthly_cost_100x: float | None
    monthly_cost_at_horizon: float | None
    cost_breakdown: dict[str, float]
    deployment: dict[str, Any] | None
    win_share: float = 0.0
    provenance: dict[str, tuple[str, dt.date]] = field(default_factory=dict)
    option: Option | None = field(default=None, repr=False, compare=False)


@dataclass
class WorkloadResult:
    id: str
    name: str
    answers: dict[str, Any]
    usage: Usage
    weights: Weights
    method: str
    ranked: list[RankedOption]
    eliminated: list[dict[str, Any]]
    unavailable: list[Unavailable]
    sensitivity: dict[str, Any]
    explanation: dict[str, Any]
    break_even: list[dict[str, Any]]
    warnings: list[str]

    @property
    def winner(self) -> RankedOption | None:
        return self.ranked[0] if self.ranked else None


@dataclass
class Recommendation:
    project: str
    as_of: dt.date
    method: str
    workloads: list[WorkloadResult]
    hybrid: HybridProposal | None
    warnings: list[str]


def _rank(
    criteria: CriteriaSet,
    options: list[Option],
    answers: dict[str, Any],
    weights: Weights,
    method: str,
) -> tuple[list[RankedOption], Any, list[str], list[str]]:
    from llmchoose.mcda import minmax_normalize

    scored = [c for c in criteria.criteria if c.scoring is not None]
    columns = [score_factor(c, options, answers) for c in scored]
    names = [c.id for c in scored]
    directions = [col.direction for col in columns]
    import numpy as np

    matrix = (
        np.array([col.values for col in columns], dtype=float).T
        if options
        else np.zeros((0, len(names)))
    )
    w = np.array([weights.values[n] for n in names])
    ranked: list[RankedOption] = []
    if not options:
        return ranked, matrix, names, directions
    scores = aggregate(matrix, w, directions, method)
    normalized = minmax_normalize(matrix, directions)
    order = sorted(range(len(options)), key=lambda i: (-round(float(scores[i]), 10), options[i].id))
    for rank, i in enumerate(order, start=1):
        option = options[i]
        factor_scores = {n: round(float(normalized[i, j]), 4) for j, n in enumerate(names)}
        ranked.append(
            RankedOption(
                rank=rank,
                id=option.id,
                name=option.name,
                category=option.category,
                score=round(float(scores[i]), 4),
                factor_scores=factor_scores,
                contributions={
                    n: round(float(w[j] * normalized[i, j]), 4) for j, n in enumerate(names)
                },
                facts={col.criterion: col.raw[i] for col in columns},
                missing=[col.criterion for col in columns if col.missing[i]],
                notes={col.criterion: col.notes[i] for col in columns if col.notes[i]},
                monthly_cost=option.cost.monthly,
                monthly_cost_10x=option.cost.monthly_10x,
                monthly_cost_100x=option.cost.monthly_100x,
                monthly_cost_at_horizon=option.cost.at_horizon,
                cost_breakdown=option.cost.breakdown,
                deployment=_deployment_view(option),
                provenance=option.provenance,
                option=option,
            )
        )
    # Keep the matrix rows in ranked order for sensitivity and explanations.
    return ranked, matrix[order], names, directions


def _deployment_view(option: Option) -> dict[str, Any] | None:
    d = option.deployment
    if d is None:
        return None
    return {
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
        "hourly_cost": d.hourly_cost,
    }


def _break_even(catalog: Catalog, ranked: list[RankedOption], usage: Usage) -> list[dict[str, Any]]:
    """Volume where the best self-hosted option costs no more than each API option."""
    own = next((r for r in ranked if r.category == "self-hosted"), None)
    if own is None:
        return []
    option = own.option
    assert option is not None
    from llmchoose.engine.breakeven import break_even_crossings

    model = catalog.models[option.facts["model"]]
    runtime = catalog.runtimes[option.facts["runtime"]]
    results = []
    for api in ranked:
        if api.category not in ("proprietary-api", "hosted-open-weights") or api.option is None:
            continue
        crossings = break_even_crossings(catalog, model, runtime, catalog.offerings[api.id], usage)
        if crossings is None:
            continue
        volume = crossings[0] if crossings else None
        results.append(
            {
                "api_option": api.id,
                "self_hosted_option": own.id,
                "requests_per_day": None if volume is None else round(volume),
                # Self-hosting can turn dearer again when one more machine is needed.
                "later_crossings": [round(v) for v in crossings[1:6]],
                "times_today": None
                if volume is None or not usage.requests_per_day
                else round(volume / usage.requests_per_day, 2),
            }
        )
    return results


def _eliminated_view(
    options: list[Option], eliminated: dict[str, list[Elimination]]
) -> list[dict[str, Any]]:
    by_id = {o.id: o for o in options}
    return [
        {
            "id": option_id,
            "name": by_id[option_id].name,
            "category": by_id[option_id].category,
            "reasons": [e.reason for e in reasons],
            "constraints": [f"{e.criterion}.{e.constraint}" for e in reasons],
        }
        for option_id, reasons in sorted(eliminated.items())
    ]


def _retirement_warnings(ranked: list[RankedOption], today: dt.date) -> list[str]:
    warnings = []
    for item in ranked[:5]:
        option = item.option
        if option is None:
            continue
        retires = option.facts.get("retires")
        deprecated = option.facts.get("deprecated")
        if retires is not None and retires <= today:
            warnings.append(f"{item.name} was retired on {retires.isoformat()}.")
        elif retires is not None:
            days = (retires - today).days
            warnings.append(
                f"{item.name} is scheduled to retire on {retires.isoformat()} ({days} days from {today.isoformat()})."
            )
        elif deprecated is not None and deprecated <= today:
            warnings.append(f"{item.name} was deprecated on {deprecated.isoformat()}.")
        if option.facts.get("runtime_maintenance") in ("maintenance", "archived"):
            warnings.append(
                f"{item.name}: the {option.facts['runtime']} runtime is in {option.facts['runtime_maintenance']} mode."
            )
    return warnings


def _choice_key(item: RankedOption) -> tuple:
    """Options that differ only by the runtime serving the same model are one choice."""
    facts = item.option.facts if item.option is not None else {}
    if facts.get("runtime"):
        return (facts.get("model"), item.category)
    return (item.id,)


def _distinct_rows(ranked: list[RankedOption]) -> list[int]:
    """Rows of the best-ranked option of each distinct choice, in ranked order.

    Sensitivity and explanations compare these: that vLLM and SGLang serve the same model
    almost equally well is not a close call between two answers.
    """
    seen: set[tuple] = set()
    rows = []
    for index, item in enumerate(ranked):
        key = _choice_key(item)
        if key not in seen:
            seen.add(key)
            rows.append(index)
    return rows


def _merged_usage(group: list[WorkloadResult]) -> Usage:
    """One load made of several workloads: volumes add, token counts average by volume."""
    total = sum(w.usage.requests_per_day for w in group)
    share = [(w.usage.requests_per_day / total) if total else 1 / len(group) for w in group]
    first = group[0].usage
    return replace(
        first,
        requests_per_day=total,
        input_tokens=round(
            sum(s * w.usage.input_tokens for s, w in zip(share, group, strict=True))
        ),
        output_tokens=max(
            1, round(sum(s * w.usage.output_tokens for s, w in zip(share, group, strict=True)))
        ),
        cached_share=sum(s * w.usage.cached_share for s, w in zip(share, group, strict=True)),
        peak_factor=max(w.usage.peak_factor for w in group),
        min_context_tokens=max(w.usage.min_context_tokens for w in group),
        ops_hours_per_month=max(w.usage.ops_hours_per_month for w in group),
    )


def _shared_cost(catalog: Catalog, option_id: str, group: list[WorkloadResult]) -> float | None:
    """Monthly cost of one option serving a group of workloads together."""
    items = [next((r for r in w.ranked if r.id == option_id), None) for w in group]
    if any(item is None for item in items):
        return None
    option = items[0].option
    if option is None or option.category != "self-hosted":
        # Per-token bills add up; devices users own cost nothing either way.
        costs = [item.monthly_cost for item in items]
        return None if any(c is None for c in costs) else round(sum(costs), 2)
    usage = _merged_usage(group)
    model = catalog.models[option.facts["model"]]
    runtime = catalog.runtimes[option.facts["runtime"]]
    try:
        sized = size_deployment(catalog, model, runtime, usage, on_device=False)
    except SizingError:
        return None
    return round(
        selfhost_monthly_cost(
            sized.hourly_cost, usage, catalog.assumption("hours-per-month", 730.0)
        ),
        2,
    )


def _workload(
    catalog: Catalog,
    criteria: CriteriaSet,
    decision: Decision,
    workload,
    project_answers: dict[str, Any],
    today: dt.date,
    method: str,
    samples: int,
) -> WorkloadResult:
    import numpy as np

    own = check_answer_ids(criteria, workload.answers, where=f"workloads.{workload.id}.answers")
    answers = effective_answers(criteria, project_answers, own)
    usage = Usage.from_answers(answers)
    weights = derive_weights(criteria, answers, direct=decision.weights, ahp=decision.ahp)
    options, unavailable = enumerate_options(catalog, usage, today)
    kept, eliminated = apply_constraints(criteria, options, answers)
    ranked, matrix, names, directions = _rank(criteria, kept, answers, weights, method)
    sensitivity: dict[str, Any] = {
        "thresholds": [],
        "win_shares": {},
        "close_call": False,
        "samples": samples,
    }
    distinct = _distinct_rows(ranked)
    if len(distinct) >= 2:
        w = np.array([weights.values[n] for n in names])
        shares = perturbed_win_shares(matrix, w, directions, method, samples=samples, rows=distinct)
        for item, share in zip(ranked, shares, strict=True):
            item.win_share = round(float(share), 4)
        thresholds = weight_thresholds(matrix, w, directions, method, names, rows=distinct)
        sensitivity["thresholds"] = [
            {
                "factor": t.criterion,
                "weight": round(t.weight, 4),
                "new_weight": t.new_weight,
                "change": None if t.change is None else round(t.change, 4),
                "new_winner": None if t.new_winner is None else ranked[t.new_winner].id,
            }
            for t in thresholds
        ]
        sensitivity["win_shares"] = {r.id: r.win_share for r in ranked if r.win_share > 0}
        margin = ranked[0].score - ranked[distinct[1]].score
        sensitivity["runner_up"] = ranked[distinct[1]].id
        sensitivity["margin"] = round(margin, 4)
        sensitivity["close_call"] = bool(margin < CLOSE_MARGIN or ranked[0].win_share < CLOSE_SHARE)
    elif ranked:
        ranked[0].win_share = 1.0
        sensitivity["margin"] = None
        sensitivity["win_shares"] = {ranked[0].id: 1.0}
    labels = {c.id: c.name.lower() for c in criteria.criteria}
    explanation = explain_workload(
        [ranked[i] for i in distinct], names, weights.values, sensitivity, labels
    )
    warnings = list(weights.warnings) + _retirement_warnings(ranked, today)
    if not ranked:
        warnings.append(
            "No option meets every hard requirement; see the eliminated options for why."
        )
    return WorkloadResult(
        id=workload.id,
        name=workload.name,
        answers=answers,
        usage=usage,
        weights=weights,
        method=method,
        ranked=ranked,
        eliminated=_eliminated_view(options, eliminated),
        unavailable=unavailable,
        sensitivity=sensitivity,
        explanation=explanation,
        break_even=_break_even(catalog, ranked, usage),
        warnings=warnings,
    )


def recommend(
    decision: Decision,
    catalog: Catalog,
    criteria: CriteriaSet,
    *,
    as_of: dt.date,
    method: str | None = None,
    samples: int = 1000,
) -> Recommendation:
    """Rank every workload's options; a pure function of its inputs."""
    chosen_method = method or decision.method
    project_answers = check_answer_ids(criteria, decision.answers, where="answers")
    results = [
        _workload(
            catalog, criteria, decision, workload, project_answers, as_of, chosen_method, samples
        )
        for workload in decision.workloads
    ]
    hybrid = None
    if len(results) > 1:
        hybrid = propose_hybrid(
            results, lambda option_id, group: _shared_cost(catalog, option_id, group)
        )
    warnings = sorted({w for r in results for w in r.warnings})
    return Recommendation(
        project=decision.project.name,
        as_of=as_of,
        method=chosen_method,
        workloads=results,
        hybrid=hybrid,
        warnings=warnings,
    )
