"""The view of one workload: ranking, strengths, comparison, cost, sensitivity and the
options that were ruled out, as plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmchoose.engine.recommend import RankedOption, WorkloadResult
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.formatting import money, number, pct, requests, seconds
from llmchoose.report.compare import comparison, describe_factor, leading_options
from llmchoose.report.cost_view import cost_view, sizing_text
from llmchoose.report.sensitivity_view import sensitivity_view
from llmchoose.report.sentences import per_month, speed_text
from llmchoose.schemas.vocabulary import CATEGORY_LABELS, CATEGORY_PHRASES

__all__ = ["Factor", "option_extras", "workload_view"]


class Factor:
    """A scored decision factor as the report names it."""

    def __init__(self, index: int, criterion: Any) -> None:
        self.index = index
        self.id = criterion.id
        self.name = criterion.name
        self.short = criterion.name.split(" and ")[0]
        self.summary = criterion.summary
        self.compare = dict(criterion.compare)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "index": self.index,
            "name": self.name,
            "short": self.short,
            "summary": self.summary,
        }


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _category(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def option_extras(catalog: Catalog, item: RankedOption, usage: Any) -> dict[str, Any]:
    """Facts the report adds for texts: names of the runtime and hardware, sizing, money."""
    facts = item.option.facts if item.option else {}
    runtime = catalog.runtimes.get(facts.get("runtime") or "")
    hardware = catalog.hardware.get(facts.get("hardware") or "")
    deployment = item.deployment or {}
    return {
        "runtime_name": runtime.name if runtime else facts.get("runtime"),
        "hardware_name": hardware.name if hardware else None,
        "sizing": sizing_text(item.deployment, item.category) or "no servers",
        "replicas": deployment.get("replicas"),
        "monthly": money(item.monthly_cost),
        "monthly_phrase": per_month(item.monthly_cost, about=True),
        "peak_rps": number(usage.peak_requests_per_s, 1 if usage.peak_requests_per_s < 10 else 0),
        "first_token": seconds(facts.get("ttft_s")),
        "full_answer": seconds(facts.get("response_time_s")),
        "cached_pct": pct(usage.cached_share),
    }


def _usage(usage: Any) -> dict[str, Any]:
    parts = [
        f"{requests(usage.requests_per_day)} requests a day",
        f"{usage.input_tokens:,} input and {usage.output_tokens:,} output tokens each",
    ]
    if usage.cached_share:
        parts.append(f"{pct(usage.cached_share)} of the input cacheable")
    parts.append(f"busiest hour {usage.peak_factor:g}× the average")
    if usage.growth_per_month:
        parts.append(f"growing {usage.growth_per_month:g}% a month")
    return {
        "requests_per_day": usage.requests_per_day,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cached_share": usage.cached_share,
        "peak_factor": usage.peak_factor,
        "growth_per_month": usage.growth_per_month,
        "horizon_months": usage.horizon_months,
        "batch": usage.batch,
        "text": "; ".join(parts),
    }


def margin_text(margin: float | None) -> str:
    """A score gap with enough digits to not read as zero."""
    if margin is None:
        return "—"
    return f"{margin:.2f}" if abs(margin) >= 0.01 else f"{margin:.3f}"


def _confidence(result: WorkloadResult) -> dict[str, Any]:
    """The engine's verdict on the lead, as the report shows it."""
    verdict = result.verdict
    if verdict is None:
        return {"level": "none", "label": "No option", "text": "No option was ranked."}
    level = "close" if verdict.level == "tie" else verdict.level
    return {"level": level, "label": verdict.label, "text": verdict.text}


def _ranked_row(
    item: RankedOption,
    factors: Sequence[Factor],
    weights: Mapping[str, float],
    leading: set[str],
    place: int,
) -> dict[str, Any]:
    return {
        "rank": place,
        "id": item.id,
        "name": item.name,
        "category": item.category,
        "category_label": _category(item.category),
        "score": item.score,
        "monthly": item.monthly_cost,
        "monthly_text": money(item.monthly_cost),
        "win_share": item.win_share,
        "win_text": pct(item.win_share),
        "missing": [f.short for f in factors if f.id in item.missing],
        "sizing": sizing_text(item.deployment, item.category),
        "speed": speed_text(item.option.facts) if item.option is not None else None,
        "leading": item.id in leading,
        "factors": [
            {
                "id": f.id,
                "index": f.index,
                "short": f.short,
                "score": item.factor_scores.get(f.id, 0.0),
                "weight": round(weights.get(f.id, 0.0), 4),
                "contribution": item.contributions.get(f.id, 0.0),
            }
            for f in factors
        ],
    }


def _level(result: WorkloadResult, factor_id: str) -> bool:
    """Whether a factor cannot tell the ranked options apart (all score the same)."""
    return (
        len(result.ranked) > 1 and len({r.factor_scores.get(factor_id) for r in result.ranked}) == 1
    )


def _points(
    entries: Sequence[Mapping[str, Any]],
    top: RankedOption,
    by_id: Mapping[str, Factor],
    extras: Mapping[str, Any],
) -> list[dict[str, Any]]:
    out = []
    facts = {**(top.option.facts if top.option else {}), **extras}
    for entry in entries:
        factor = by_id.get(entry["factor"])
        if factor is None:
            continue
        out.append(
            {
                "factor": factor.id,
                "index": factor.index,
                "short": factor.short,
                "name": factor.name,
                "score": entry["score"],
                "weight": entry["weight"],
                "fact": describe_factor(factor.id, facts, top),
                "adjustments": list(top.notes.get(factor.id, [])),
            }
        )
    return out


# Words a constraint id spells in lower case that read as acronyms.
_ACRONYMS = {"api", "baa", "dpa", "eu", "gdpr", "gpu", "hipaa", "iso", "soc", "soc2", "us"}


def rule_title(constraint_id: str) -> str:
    """A constraint id as a title: ``hipaa-baa`` → ``HIPAA BAA``, ``not-retired`` →
    ``Not retired``."""
    words = constraint_id.replace("_", "-").split("-")
    out = [w.upper() if w in _ACRONYMS else w for w in words if w]
    if out and not out[0].isupper():
        out[0] = out[0].capitalize()
    return " ".join(out)


def _eliminated(result: WorkloadResult, by_id: Mapping[str, Factor]) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    for entry in result.eliminated:
        rule = entry["constraints"][0] if entry["constraints"] else "other"
        factor_id, _, constraint = rule.partition(".")
        factor = by_id.get(factor_id)
        group = groups.setdefault(
            rule,
            {
                "rule": rule,
                "factor": factor.short if factor else factor_id,
                "title": rule_title(constraint or rule),
                "options": [],
            },
        )
        group["options"].append(
            {
                "id": entry["id"],
                "name": entry["name"],
                "category_label": _category(entry["category"]),
                "reasons": list(entry["reasons"]),
                "why": _sentence("; ".join(entry["reasons"])),
            }
        )
    ordered = sorted(groups.values(), key=lambda g: (-len(g["options"]), g["rule"]))
    for group in ordered:
        group["count"] = len(group["options"])
    return {
        "count": len(result.eliminated),
        "groups": ordered,
        "summary": eliminated_summary(ordered),
    }


# The one-page summary of ruled-out options: the largest rules, a few names each.
SUMMARY_RULES = 8
SUMMARY_EXAMPLES = 3


def eliminated_summary(groups: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts by rule, largest first, with a few example names; the smaller rules past
    :data:`SUMMARY_RULES` are counted together."""
    rows = []
    for group in groups[:SUMMARY_RULES]:
        names = [o["name"] for o in group["options"]]
        rows.append(
            {
                "factor": group["factor"],
                "title": group["title"],
                "count": group["count"],
                "why": group["options"][0]["why"] if group["options"] else "",
                "examples": names[:SUMMARY_EXAMPLES],
                "more": max(0, len(names) - SUMMARY_EXAMPLES),
            }
        )
    rest = groups[SUMMARY_RULES:]
    return {
        "rows": rows,
        "other_rules": len(rest),
        "other_options": sum(g["count"] for g in rest),
    }


def _scores_chart(
    rows: Sequence[Mapping[str, Any]],
    factors: Sequence[Factor],
    weights: Mapping[str, float],
    method: str,
) -> dict[str, Any]:
    return {
        "method": method,
        "factors": [
            {"index": f.index, "short": f.short, "weight": round(weights.get(f.id, 0.0), 4)}
            for f in factors
        ],
        "rows": [
            {
                "label": f"{row['rank']}. {row['name']}",
                "score": row["score"],
                "segments": [
                    {"index": part["index"], "value": part["contribution"], "short": part["short"]}
                    for part in row["factors"]
                ],
            }
            for row in rows
        ],
    }


def _profile_chart(leading: Sequence[RankedOption], factors: Sequence[Factor]) -> dict | None:
    """Each leading option's factor scores, for the profile chart."""
    if not leading:
        return None
    return {
        "axes": [f.short for f in factors],
        "series": [
            {"label": item.name, "values": [item.factor_scores.get(f.id, 0.0) for f in factors]}
            for item in leading
        ],
    }


def _weights(factors: Sequence[Factor], weights: Mapping[str, float]) -> list[dict[str, Any]]:
    return [
        {
            "factor": f.id,
            "short": f.short,
            "name": f.name,
            "weight": round(weights.get(f.id, 0.0), 4),
            "text": pct(weights.get(f.id, 0.0)),
        }
        for f in factors
    ]


def _winner_view(
    catalog: Catalog,
    result: WorkloadResult,
    winner: RankedOption,
    factors: Sequence[Factor],
    names: Mapping[str, str],
) -> dict[str, Any]:
    """The winner, its strengths and trade-offs, and the runner-up."""
    view: dict[str, Any] = {}
    view["winner"] = {
        "id": winner.id,
        "name": winner.name,
        "category": winner.category,
        "category_label": _category(winner.category),
        "category_phrase": CATEGORY_PHRASES.get(winner.category),
        "score": winner.score,
        "monthly": winner.monthly_cost,
        "monthly_text": money(winner.monthly_cost),
        "monthly_phrase": per_month(winner.monthly_cost),
        "monthly_10x_text": money(winner.monthly_cost_10x),
        "monthly_100x_text": money(winner.monthly_cost_100x),
        "sizing": sizing_text(winner.deployment, winner.category),
        "win_share": winner.win_share,
    }
    winner_extras = option_extras(catalog, winner, result.usage)
    # A factor on which every option scores the same is no strength of the winner's.
    strengths = [
        s
        for s in result.explanation.get("strengths", [])
        if not _level(result, s["factor"]) and s["factor"] not in winner.missing
    ]
    view["strengths"] = _points(strengths, winner, {f.id: f for f in factors}, winner_extras)
    view["level_factors"] = [f.short for f in factors if _level(result, f.id)]
    view["tradeoffs"] = _points(
        result.explanation.get("tradeoffs", []), winner, {f.id: f for f in factors}, winner_extras
    )
    runner = result.explanation.get("runner_up")
    if runner:
        view["runner_up"] = {
            "name": names.get(runner["id"], runner["name"]),
            "gap": runner["gap"],
        }
    return view


def workload_view(
    catalog: Catalog,
    result: WorkloadResult,
    *,
    position: int,
    factors: Sequence[Factor],
    description: str | None,
    top: int,
) -> dict[str, Any]:
    by_id = {f.id: f for f in factors}
    weights = result.weights.values
    shown = [a.option for a in result.alternatives[:top]]
    leading = leading_options(result)
    leading_ids = {item.id for item in leading}
    # Rows are numbered by place among distinct models, as check and decide count them.
    places = {item.id: result.standing(item).rank for item in [*shown, *leading]}
    rows = [_ranked_row(item, factors, weights, leading_ids, places[item.id]) for item in shown]
    names = {r.id: r.name for r in result.ranked}
    winner = result.winner
    cost = cost_view(catalog, result, shown)
    extras = {item.id: option_extras(catalog, item, result.usage) for item in leading}
    view: dict[str, Any] = {
        "id": result.id,
        "anchor": f"workload-{position}",
        "position": position,
        "name": result.name,
        "description": description,
        "method": result.method,
        "usage": _usage(result.usage),
        "counts": {
            "ranked": len(result.ranked),
            "shown": len(shown),
            "eliminated": len(result.eliminated),
            "unavailable": len(result.unavailable),
        },
        "winner": None,
        "level_factors": [],
        "confidence": _confidence(result),
        "ranked": rows,
        "strengths": [],
        "tradeoffs": [],
        "runner_up": None,
        "comparison": comparison(leading, {f.id: f.compare for f in factors}, extras, places)
        if leading
        else None,
        "cost": cost,
        "sensitivity": sensitivity_view(result, by_id, names, cost["break_even"]),
        "eliminated": _eliminated(result, by_id),
        "unavailable": [
            {
                "id": u.id,
                "name": u.name,
                "category_label": _category(u.category),
                "reason": u.reason,
            }
            for u in result.unavailable
        ],
        "weights": _weights(factors, weights),
        "weights_method": result.weights.method,
        "consistency_ratio": result.weights.consistency_ratio,
        "warnings": list(result.warnings),
        "charts": {
            "scores": _scores_chart(rows, factors, weights, result.method) if rows else None,
            "profile": _profile_chart(leading, factors),
            "cost": cost["curve"],
        },
    }
    if winner is not None:
        view.update(_winner_view(catalog, result, winner, factors, names))
    return view
