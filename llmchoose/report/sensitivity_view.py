"""What would change the answer: weight thresholds, score gains and win shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmchoose.engine.recommend import WorkloadResult
from llmchoose.report.fmt import pct
from llmchoose.report.sentences import score_gain_text, weight_change_text

__all__ = ["sensitivity_view"]


def sensitivity_view(
    result: WorkloadResult,
    by_id: Mapping[str, Any],
    names: Mapping[str, str],
    break_even: Mapping[str, Any] | None,
) -> dict[str, Any]:
    sens = result.sensitivity
    ranked = result.ranked
    changes = []
    steady = []
    for t in sens.get("thresholds", []):
        factor = by_id.get(t["factor"])
        label = factor.short if factor else t["factor"]
        if t["new_weight"] is None:
            steady.append(label)
            continue
        changes.append(
            {
                "factor": t["factor"],
                "short": label,
                "weight": t["weight"],
                "new_weight": t["new_weight"],
                "change": t["change"],
                "new_winner": names.get(t["new_winner"], t["new_winner"]),
                "text": weight_change_text(
                    label,
                    t["weight"],
                    t["new_weight"],
                    names.get(t["new_winner"], t["new_winner"]),
                ),
            }
        )
    changes.sort(key=lambda c: (abs(c["change"]), c["factor"]))
    gains = []
    if len(ranked) >= 2 and result.method == "weighted-sum":
        top = ranked[0]
        runner = result.sensitivity.get("runner_up")
        second = next((r for r in ranked if r.id == runner), ranked[1])
        gap = top.score - second.score
        for factor_id, factor in by_id.items():
            weight = result.weights.values.get(factor_id, 0.0)
            if weight <= 0:
                continue
            needed = gap / weight
            now = second.factor_scores.get(factor_id, 0.0)
            if 0 < needed <= 1 - now and now < top.factor_scores.get(factor_id, 0.0):
                gains.append(
                    score_gain_text(
                        second.name, factor.short, needed, now, top.factor_scores[factor_id]
                    )
                )
    shares = [
        {"name": r.name, "share": r.win_share, "text": pct(r.win_share)}
        for r in ranked
        if r.win_share > 0
    ]
    shares.sort(key=lambda s: -s["share"])
    return {
        "close_call": bool(sens.get("close_call")),
        "margin": sens.get("margin"),
        "samples": sens.get("samples", 0),
        "weight_changes": changes,
        "steady_factors": steady,
        "score_gains": gains,
        "win_shares": shares,
        "volume": break_even["text"] if break_even and break_even["state"] != "never" else None,
    }
