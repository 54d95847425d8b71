"""Plain-language explanations of a ranking: strengths, trade-offs, what would change it.

Scores are on an absolute 0..1 value scale, so "strong" and "weak" mean the same for
every workload: a factor scoring at least ``STRONG`` is a strength, at most ``WEAK`` a
trade-off. What would change the winner is found under the method in use (see
:func:`llmchoose.engine.sensitivity.score_needed`), never with weighted-sum arithmetic
applied to another method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmchoose.schemas.vocabulary import STRONG, WEAK

__all__ = ["STRONG", "WEAK", "explain_workload"]


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _would_win_if(
    runner: Any,
    thresholds: Sequence[Mapping[str, Any]],
    needed: Mapping[str, float],
    label,
) -> list[str]:
    """Sentences naming the smallest changes that would put the runner-up first."""
    found = []
    for t in thresholds:
        if t["new_winner"] != runner.id or t["new_weight"] is None:
            continue
        before, after = _pct(t["weight"]), _pct(t["new_weight"])
        if before == after:
            found.append(f"the weight of {label(t['factor'])} moved slightly from {before}")
        else:
            found.append(f"the weight of {label(t['factor'])} went from {before} to {after}")
    for factor, value in needed.items():
        now = runner.factor_scores[factor]
        if value - now < 0.005:
            found.append(f"it scored even slightly higher on {label(factor)}")
        else:
            found.append(f"it scored {value:.2f} instead of {now:.2f} on {label(factor)}")
    return found


# A weighted difference below this is rounding, not a reason.
_EDGE = 0.0005


def _head_to_head(
    headline: Any, runner_up: Any, factors: Sequence[str], weights: Mapping[str, float]
) -> dict[str, list[dict[str, Any]]]:
    """The factors that put the headline ahead of the runner-up and those it loses on,
    largest weighted difference first. Why an option is first is where it beats the
    next one; a factor every option scores the same on explains nothing."""

    def row(factor: str, gain: float) -> dict[str, Any]:
        return {
            "factor": factor,
            "score": headline.factor_scores[factor],
            "other": runner_up.factor_scores[factor],
            "weight": round(weights[factor], 4),
            "gain": round(gain, 4),
        }

    gains = {f: headline.contributions[f] - runner_up.contributions[f] for f in factors}
    ordered = sorted(gains.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
    return {
        "ahead_on": [row(f, g) for f, g in ordered if g >= _EDGE],
        "behind_on": [row(f, g) for f, g in ordered if g <= -_EDGE],
    }


def explain_workload(
    headline: Any,
    runner_up: Any,
    factors: Sequence[str],
    weights: Mapping[str, float],
    *,
    thresholds: Sequence[Mapping[str, Any]] = (),
    needed: Mapping[str, float] | None = None,
    verdict: Any = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``labels`` gives each factor's name for the sentences (ids stay in the data)."""

    def label(factor: str) -> str:
        return (labels or {}).get(factor, factor)

    if headline is None:
        return {
            "summary": "No option meets every hard requirement.",
            "strengths": [],
            "tradeoffs": [],
        }
    result: dict[str, Any] = {"winner": headline.id}
    if runner_up is None:
        result["summary"] = f"{headline.name} is the only option that meets every hard requirement."
    else:
        result["summary"] = (
            f"{headline.name} is recommended with {headline.score:.2f}; the best other model "
            f"is {runner_up.name} with {runner_up.score:.2f}."
        )
    scores = headline.factor_scores
    result["strengths"] = [
        {"factor": f, "score": scores[f], "weight": round(weights[f], 4)}
        for f in sorted(factors, key=lambda f: (-headline.contributions[f], f))
        if scores[f] >= STRONG and weights[f] > 0
    ]
    result["tradeoffs"] = [
        {"factor": f, "score": scores[f], "weight": round(weights[f], 4)}
        for f in sorted(factors, key=lambda f: (-weights[f], f))
        if scores[f] <= WEAK and weights[f] > 0
    ]
    if runner_up is not None:
        result["runner_up"] = {
            "id": runner_up.id,
            "name": runner_up.name,
            "gap": round(headline.score - runner_up.score, 4),
            "would_win_if": _would_win_if(runner_up, thresholds, needed or {}, label),
            **_head_to_head(headline, runner_up, factors, weights),
        }
    if verdict is not None:
        result["verdict"] = {"level": verdict.level, "label": verdict.label, "text": verdict.text}
        key = "close_call" if verdict.level in ("close", "tie") else "robustness"
        if verdict.level not in ("none", "single"):
            result[key] = verdict.text
    return result
