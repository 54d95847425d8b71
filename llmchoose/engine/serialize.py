"""A recommendation as plain JSON-ready data (for ``--format json``, checks and reports)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from llmchoose.engine.recommend import RankedOption, Recommendation, WorkloadResult

__all__ = ["ranked_to_dict", "recommendation_to_dict"]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def ranked_to_dict(item: RankedOption) -> dict[str, Any]:
    return {
        "rank": item.rank,
        "id": item.id,
        "name": item.name,
        "category": item.category,
        "score": item.score,
        "factor_scores": item.factor_scores,
        "contributions": item.contributions,
        "facts": _plain(item.facts),
        "missing": item.missing,
        "notes": item.notes,
        "monthly_cost": item.monthly_cost,
        "monthly_cost_10x": item.monthly_cost_10x,
        "monthly_cost_100x": item.monthly_cost_100x,
        "monthly_cost_at_horizon": item.monthly_cost_at_horizon,
        "cost_breakdown": item.cost_breakdown,
        "deployment": item.deployment,
        "win_share": item.win_share,
        "values": item.values,
        "ranges": {k: list(v) for k, v in item.ranges.items()},
        "price_known": item.price_known,
        "flags": item.flags,
    }


def _alternatives(result: WorkloadResult, top: int | None) -> list[dict[str, Any]]:
    shown = result.alternatives if top is None else result.alternatives[:top]
    return [
        {
            "id": a.option.id,
            "model": a.model,
            "rank": a.option.rank,
            "category": a.option.category,
            "score": a.option.score,
            "monthly_cost": a.option.monthly_cost,
            "folded": a.folded,
        }
        for a in shown
    ]


def _workload(result: WorkloadResult, top: int | None) -> dict[str, Any]:
    ranked = result.ranked if top is None else result.ranked[:top]
    return {
        "id": result.id,
        "name": result.name,
        "method": result.method,
        "weights": {
            "method": result.weights.method,
            "values": {k: round(v, 4) for k, v in result.weights.values.items()},
            "consistency_ratio": result.weights.consistency_ratio,
        },
        "usage": _plain(result.usage),
        "answers": _plain(result.answers),
        "ranked_count": len(result.ranked),
        "ranked": [ranked_to_dict(r) for r in ranked],
        "eliminated_count": len(result.eliminated),
        "eliminated": result.eliminated,
        "unavailable": _plain(result.unavailable),
        "sensitivity": result.sensitivity,
        "explanation": result.explanation,
        "break_even": result.break_even,
        "warnings": result.warnings,
        "headline": None if result.headline is None else result.headline.id,
        "runner_up": None if result.runner_up is None else result.runner_up.id,
        "alternatives": _alternatives(result, top),
        "category_best": {k: v.id for k, v in result.category_best.items()},
        "verdict": _plain(result.verdict),
        "derived_answers": result.derived,
        "notes": result.notes,
    }


def recommendation_to_dict(rec: Recommendation, *, top: int | None = None) -> dict[str, Any]:
    return {
        "project": rec.project,
        "as_of": rec.as_of.isoformat(),
        "method": rec.method,
        "workloads": [_workload(w, top) for w in rec.workloads],
        "hybrid": _plain(rec.hybrid),
        "warnings": rec.warnings,
    }
