"""When workloads are best served by different options, propose a hybrid and compare it
with the best single option for all of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from llmchoose.schemas.vocabulary import API_CATEGORIES

__all__ = ["MIN_GAIN", "HybridProposal", "propose_hybrid"]

MIN_GAIN = 0.02  # mean score points a hybrid must add over one option for everything

# Answers that make the routing rule: the ones that usually split workloads.
_ROUTING_KEYS = (
    "data_sensitivity",
    "data_location",
    "connectivity",
    "customization_need",
    "latency_need",
)


@dataclass
class HybridProposal:
    worthwhile: bool
    assignments: list[dict[str, Any]]  # workload -> option
    routing_rule: list[str]
    abstraction: str
    hybrid_monthly_cost: float | None
    hybrid_mean_score: float
    single_option: dict[str, Any] | None  # best one option for all workloads
    summary: str


CostOf = Callable[[str, Sequence[Any]], "float | None"]


def _total(assignment: Mapping[str, Sequence[Any]], cost_of: CostOf) -> float | None:
    """Monthly cost when each option serves the workloads assigned to it.

    Workloads that share an option share its deployment, so the cost of each group is
    worked out on the group's combined load rather than added up.
    """
    total = 0.0
    for option_id, group in sorted(assignment.items()):
        cost = cost_of(option_id, group)
        if cost is None:
            return None
        total += cost
    return round(total, 2)


def _routing(workloads: Sequence[Any]) -> list[str]:
    """One line per workload, naming the answers that set it apart from the others."""
    rules = []
    for result in workloads:
        if result.winner is None:
            continue
        traits = [
            f"{key.replace('_', ' ')}: {result.answers.get(key)}"
            for key in _ROUTING_KEYS
            if any(
                other.answers.get(key) != result.answers.get(key)
                for other in workloads
                if other is not result
            )
        ]
        why = f" ({'; '.join(traits)})" if traits else ""
        rules.append(f"Requests of '{result.name}'{why} go to {result.winner.name}.")
    return rules


def _worthwhile(score: float, cost: float | None, single: dict[str, Any] | None) -> bool:
    """Running two systems has a cost of its own, so a hybrid must either score clearly
    better than the best single option, or cost less while scoring at least as well."""
    if single is None:
        return True
    if score >= single["mean_score"] + MIN_GAIN:
        return True
    cheaper = (
        cost is not None and single["monthly_cost"] is not None and cost < single["monthly_cost"]
    )
    return cheaper and score >= single["mean_score"]


def _summary(assignments, distinct, single, score, cost, worthwhile) -> str:
    if len(distinct) == 1:
        return f"One option serves every workload best: {assignments[0]['name']}."
    if single is None:
        return "No single option meets every workload's hard requirements, so a hybrid is needed."
    money = ""
    if cost is not None and single["monthly_cost"] is not None:
        delta = cost - single["monthly_cost"]
        if abs(delta) < 0.5:
            money = ", at the same monthly cost"
        else:
            money = f", at ${abs(delta):,.0f} a month {'more' if delta > 0 else 'less'}"
    comparison = (
        f"a hybrid scores {score:.2f} on average against {single['mean_score']:.2f} for "
        f"{single['name']} alone{money}"
    )
    if worthwhile:
        return comparison[0].upper() + comparison[1:] + "."
    return (
        f"{single['name']} for everything is nearly as good as a hybrid and simpler to run: "
        f"{comparison}."
    )


def propose_hybrid(workloads: Sequence[Any], cost_of: CostOf) -> HybridProposal | None:
    """``cost_of(option_id, workloads)`` gives the monthly cost of one option serving
    those workloads together."""
    winners = [w.winner for w in workloads]
    if any(w is None for w in winners):
        return None
    assignments = [
        {
            "workload": w.id,
            "option": w.winner.id,
            "name": w.winner.name,
            "category": w.winner.category,
            "monthly_cost": w.winner.monthly_cost,
        }
        for w in workloads
    ]
    groups: dict[str, list[Any]] = {}
    for w in workloads:
        groups.setdefault(w.winner.id, []).append(w)
    hybrid_cost = _total(groups, cost_of)
    hybrid_score = round(sum(w.winner.score for w in workloads) / len(workloads), 4)
    # Best single option: ranked (not eliminated) in every workload, highest mean score,
    # with a known price: like the headline, an option of unknown cost is never proposed.
    common = set.intersection(
        *({r.id for r in w.ranked if r.monthly_cost is not None} for w in workloads)
    )
    single = None
    if common:

        def mean_score(option_id: str) -> float:
            return sum(
                next(r.score for r in w.ranked if r.id == option_id) for w in workloads
            ) / len(workloads)

        best = min(common, key=lambda oid: (-mean_score(oid), oid))
        per = [next(r for r in w.ranked if r.id == best) for w in workloads]
        single = {
            "option": best,
            "name": per[0].name,
            "mean_score": round(mean_score(best), 4),
            "monthly_cost": _total({best: list(workloads)}, cost_of),
        }
    distinct = {a["option"] for a in assignments}
    worthwhile = len(distinct) > 1 and _worthwhile(hybrid_score, hybrid_cost, single)
    categories = {a["category"] for a in assignments}
    if categories - set(API_CATEGORIES) and categories & set(API_CATEGORIES):
        abstraction = (
            "Put one client interface in front of both: an OpenAI-compatible gateway or a provider-neutral "
            "library, with the model and base URL chosen per workload, so the routing rule lives in one place."
        )
    else:
        abstraction = "Use one client interface with the model chosen per workload, so either can change alone."
    summary = _summary(assignments, distinct, single, hybrid_score, hybrid_cost, worthwhile)
    return HybridProposal(
        worthwhile=worthwhile,
        assignments=assignments,
        routing_rule=_routing(workloads) if len(distinct) > 1 else [],
        abstraction=abstraction,
        hybrid_monthly_cost=hybrid_cost,
        hybrid_mean_score=hybrid_score,
        single_option=single,
        summary=summary,
    )
