"""Plain-language explanations of a ranking: strengths, trade-offs, what would change it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["explain_workload"]

STRONG = 0.75
WEAK = 0.4


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def explain_workload(
    ranked: Sequence[Any],
    factors: Sequence[str],
    weights: Mapping[str, float],
    sensitivity: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``labels`` gives each factor's name for the sentences (ids stay in the data)."""
    label = (labels or {}).get
    if not ranked:
        return {
            "summary": "No option meets every hard requirement.",
            "strengths": [],
            "tradeoffs": [],
        }
    top = ranked[0]
    result: dict[str, Any] = {"winner": top.id}
    if len(ranked) == 1:
        result["summary"] = f"{top.name} is the only option that meets every hard requirement."
    else:
        second = ranked[1]
        result["summary"] = (
            f"{top.name} ranks first with {top.score:.2f}, ahead of {second.name} with {second.score:.2f}."
        )
    # A factor on which every option scores the same decides nothing: not a strength.
    deciding = [f for f in factors if len({r.factor_scores[f] for r in ranked}) > 1]
    by_weight = sorted(deciding, key=lambda f: (-top.contributions[f], f))
    result["strengths"] = [
        {"factor": f, "score": top.factor_scores[f], "weight": round(weights[f], 4)}
        for f in by_weight
        if top.factor_scores[f] >= STRONG and weights[f] > 0
    ]
    result["tradeoffs"] = [
        {"factor": f, "score": top.factor_scores[f], "weight": round(weights[f], 4)}
        for f in sorted(deciding, key=lambda f: (-weights[f], f))
        if top.factor_scores[f] <= WEAK and weights[f] > 0
    ]
    if len(ranked) >= 2:
        second = ranked[1]
        gap = top.score - second.score
        to_win = []
        for t in sensitivity.get("thresholds", []):
            if t["new_winner"] == second.id and t["new_weight"] is not None:
                to_win.append(
                    f"the weight of {label(t['factor'], t['factor'])} went from {_pct(t['weight'])} to {_pct(t['new_weight'])}"
                )
        for f in factors:
            w = weights[f]
            if w <= 0:
                continue
            needed = gap / w
            headroom = 1 - second.factor_scores[f]
            if 0 < needed <= headroom and second.factor_scores[f] < top.factor_scores[f]:
                to_win.append(
                    f"it scored {needed:.2f} higher on {label(f, f)} (now {second.factor_scores[f]:.2f} against {top.factor_scores[f]:.2f})"
                )
        result["runner_up"] = {
            "id": second.id,
            "name": second.name,
            "gap": round(gap, 4),
            "would_win_if": to_win,
        }
    if len(ranked) >= 2 and ranked[0].score == ranked[1].score:
        result["close_call"] = (
            f"This is a tie: {top.name} and {ranked[1].name} score the same; the order between "
            "them only follows their ids."
        )
    elif sensitivity.get("close_call"):
        share = top.win_share
        result["close_call"] = (
            f"This is a close call: the top two are {sensitivity.get('margin', 0):.2f} apart and "
            f"{top.name} wins {_pct(share)} of {sensitivity.get('samples', 0)} perturbed weight sets."
        )
    elif len(ranked) >= 2:
        result["robustness"] = (
            f"{top.name} wins {_pct(top.win_share)} of {sensitivity.get('samples', 0)} perturbed weight sets."
        )
    return result
