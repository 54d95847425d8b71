"""What would change the answer: weight thresholds, score gains and win shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmchoose.engine.recommend import WorkloadResult
from llmchoose.loading.formatting import pct
from llmchoose.report.sentences import score_gain_text, weight_change_text

__all__ = ["sensitivity_view"]


def sensitivity_view(
    result: WorkloadResult,
    by_id: Mapping[str, Any],
    names: Mapping[str, str],
    break_even: Mapping[str, Any] | None,
) -> dict[str, Any]:
    sens = result.sensitivity
    ranked = [a.option for a in result.alternatives]
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
    top, second = result.headline, result.runner_up
    if top is not None and second is not None:
        # Found by the engine under the method in use, not with weighted-sum arithmetic.
        for factor_id, value in sens.get("score_needed", {}).items():
            factor = by_id.get(factor_id)
            now = second.factor_scores.get(factor_id, 0.0)
            gains.append(
                score_gain_text(
                    second.name,
                    factor.short if factor else factor_id,
                    value - now,
                    now,
                    top.factor_scores.get(factor_id, 0.0),
                )
            )
    shares = [
        {"name": r.name, "share": r.win_share, "text": pct(r.win_share)}
        for r in sorted(ranked, key=lambda r: -r.win_share)
        if r.win_share > 0
    ]
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
