"""Rank the options for each workload of a decision, explain the ranking, and propose a
hybrid when workloads are best served by different options."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from llmchoose.engine.alternatives import (
    Alternative,
    Standing,
    Verdict,
    category_bests,
    distinct_alternatives,
    headline_of,
    standing_of,
    verdict_of,
)
from llmchoose.engine.constraints import Elimination, Screening, rules_without, screen
from llmchoose.engine.cost import selfhost_monthly_at
from llmchoose.engine.explain import explain_workload
from llmchoose.engine.hybrid import HybridProposal, propose_hybrid
from llmchoose.engine.option import Option, Unavailable
from llmchoose.engine.options import SIZED_FACTS, Enumeration, enumerate_screened
from llmchoose.engine.ranking import Matrix, RankedOption, rank_options, scoring_context
from llmchoose.engine.rental import required_vendor_facts
from llmchoose.engine.sensitivity import (
    aggregate,
    perturbed_win_shares,
    score_needed,
    weight_thresholds,
)
from llmchoose.engine.usage import Usage
from llmchoose.engine.weights import Weights, derive_weights
from llmchoose.loading.answers import check_answer_ids, derived_answers, effective_answers
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.schemas.decision import Decision
from llmchoose.schemas.vocabulary import API_CATEGORIES, MANAGED_IN_ACCOUNT, SELF_HOSTED

__all__ = [
    "Alternative",
    "RankedOption",
    "Recommendation",
    "Standing",
    "Verdict",
    "WorkloadResult",
    "recommend",
]


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
    alternatives: list[Alternative] = field(default_factory=list)
    category_best: dict[str, RankedOption] = field(default_factory=dict)
    headline: RankedOption | None = None
    runner_up: RankedOption | None = None
    verdict: Verdict | None = None
    derived: dict[str, str] = field(default_factory=dict)  # answers taken from others
    notes: list[str] = field(default_factory=list)  # how answers and weights were read

    @property
    def winner(self) -> RankedOption | None:
        """The recommendation: the best distinct option whose price is known."""
        return self.headline

    def find(self, option_id: str) -> RankedOption | None:
        return next((r for r in self.ranked if r.id == option_id), None)

    def standing(self, option: RankedOption) -> Standing:
        """Its model's place among the distinct alternatives and its distance to the
        best other model."""
        return standing_of(option, self.alternatives, self.headline, self.runner_up)


@dataclass
class Recommendation:
    project: str
    as_of: dt.date
    method: str
    workloads: list[WorkloadResult]
    hybrid: HybridProposal | None
    warnings: list[str]


# Break-even volumes are worked out for the API options people look at: the best option
# of each of this many distinct models, and everything folded under the first few.
BREAK_EVEN_MODELS = 30
BREAK_EVEN_FOLDED = 10


def _break_even_apis(ranked: list[RankedOption], alternatives: list[Alternative]):
    """The API options worth a break-even volume, in ranked order."""
    wanted = {a.option.id for a in alternatives[:BREAK_EVEN_MODELS]}
    for alternative in alternatives[:BREAK_EVEN_FOLDED]:
        wanted.update(alternative.folded)
    return [r for r in ranked if r.id in wanted]


def _break_even(
    catalog: Catalog, ranked: list[RankedOption], usage: Usage, apis: list[RankedOption]
) -> list[dict[str, Any]]:
    """Volume where the best self-hosted option costs no more than each API option."""
    own = next((r for r in ranked if r.category == SELF_HOSTED), None)
    if own is None:
        return []
    option = own.option
    assert option is not None
    from llmchoose.engine.breakeven import break_even_crossings

    model = catalog.models[option.facts["model"]]
    runtime = catalog.runtimes[option.facts["runtime"]]
    results = []
    for api in apis:
        if api.category not in API_CATEGORIES or api.option is None:
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


def _merged_usage(group: Sequence[WorkloadResult]) -> Usage:
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
        # One deployment serves every workload, so it must meet every workload's rules.
        vendor_must=tuple(sorted({f for w in group for f in w.usage.vendor_must})),
    )


def _shared_cost(catalog: Catalog, option_id: str, group: Sequence[WorkloadResult]) -> float | None:
    """Monthly cost of one option serving a group of workloads together."""
    found = [next((r for r in w.ranked if r.id == option_id), None) for w in group]
    items = [item for item in found if item is not None]
    if len(items) < len(found):
        return None
    option = items[0].option
    if option is not None and option.category == MANAGED_IN_ACCOUNT:
        from llmchoose.engine.managed import shared_monthly

        return shared_monthly(catalog, option, _merged_usage(group))
    if option is None or option.category != SELF_HOSTED:
        # Per-token bills add up; devices users own cost nothing either way.
        costs = [item.monthly_cost for item in items if item.monthly_cost is not None]
        return None if len(costs) < len(items) else round(sum(costs), 2)
    usage = _merged_usage(group)
    model = catalog.models[option.facts["model"]]
    runtime = catalog.runtimes[option.facts["runtime"]]
    monthly = selfhost_monthly_at(catalog, model, runtime, usage)
    return None if monthly is None else round(monthly, 2)


def _other_method(method: str) -> str:
    """The method that cross-checks the one in use: TOPSIS for the weighted sums."""
    return "weighted-sum" if method == "topsis" else "topsis"


@dataclass
class _Picks:
    alternatives: list[Alternative]
    headline: RankedOption | None
    runner_up: RankedOption | None
    rows: list[int]  # matrix rows of the alternatives, in ranked order


def _picks(ranked: list[RankedOption]) -> _Picks:
    alternatives = distinct_alternatives(ranked)
    headline = headline_of(alternatives)
    runner_up = next((a.option for a in alternatives if a.option is not headline), None)
    row_of = {item.id: index for index, item in enumerate(ranked)}
    return _Picks(alternatives, headline, runner_up, [row_of[a.option.id] for a in alternatives])


def _sensitivity(
    ranked: list[RankedOption],
    matrix: Matrix,
    weights: Weights,
    method: str,
    samples: int,
    picks: _Picks,
) -> tuple[dict[str, Any], dict[str, float], RankedOption | None]:
    """Win shares, weight thresholds, the scores the runner-up would need, and the
    winner under the cross-checking method."""
    import numpy as np

    sensitivity: dict[str, Any] = {
        "thresholds": [],
        "win_shares": {},
        "close_call": False,
        "samples": samples,
        "uncertain_cells": 0,
    }
    if picks.headline is None:
        return sensitivity, {}, None
    if picks.runner_up is None:
        picks.headline.win_share = 1.0
        sensitivity["margin"] = None
        sensitivity["win_shares"] = {picks.headline.id: 1.0}
        return sensitivity, {}, None
    x, names, directions = matrix.values, matrix.names, matrix.directions
    w = np.array([weights.values[n] for n in names])
    rows = picks.rows
    shares = perturbed_win_shares(
        x, w, directions, method, samples=samples, rows=rows, low=matrix.low, high=matrix.high
    )
    for item, share in zip(ranked, shares, strict=True):
        item.win_share = round(float(share), 4)
    thresholds = weight_thresholds(x, w, directions, method, names, rows=rows)
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
    margin = picks.headline.score - picks.runner_up.score
    sensitivity["runner_up"] = picks.runner_up.id
    sensitivity["margin"] = round(margin, 4)
    sensitivity["uncertain_cells"] = int((matrix.high - matrix.low > 0).sum())
    head_row, run_row = ranked.index(picks.headline), ranked.index(picks.runner_up)
    needed = {}
    for j, name in enumerate(names):
        value = score_needed(x, w, directions, method, run_row, head_row, j)
        if value is not None:
            needed[name] = round(value, 2)
    sensitivity["score_needed"] = needed
    other = aggregate(x, w, directions, _other_method(method))
    other_best = ranked[max(rows, key=lambda r: (float(other[r]), -r))]
    return sensitivity, needed, other_best


def _weight_notes(
    criteria: CriteriaSet, answers: dict[str, Any], derived: dict[str, str], given: dict
) -> tuple[list[str], list[str]]:
    """(notes, warnings) on where weights came from: an importance that followed the
    workload's data is a note; one set for the project that the data contradicts is a
    warning."""
    notes = [f"{text[0].upper()}{text[1:]}." for text in derived.values()]
    warnings = []
    for criterion in criteria.criteria:
        question = next((q for q in criterion.questions if q.id == criterion.weight_question), None)
        if question is None or question.default_from is None or question.id not in given:
            continue
        source = question.default_from.question
        follows = question.default_from.values.get(str(answers.get(source)))
        if isinstance(follows, int | float) and answers.get(question.id, 0) > follows + 1:
            warnings.append(
                f"{criterion.name} weighs {answers[question.id]} of 5 here although this "
                f"workload's {source.replace('_', ' ')} is {answers.get(source)}: answer "
                f"{question.id} for this workload to weigh it less."
            )
    return notes, warnings


def _screened(
    catalog: Catalog, criteria: CriteriaSet, usage: Usage, answers: dict, today: dt.date
) -> tuple[Enumeration, Screening]:
    """The options and what the rules make of them. Rules that need no sizing run first,
    so an own-hardware option they rule out is never sized (sizing is the slow part)."""
    found = enumerate_screened(
        catalog, usage, today, early=rules_without(criteria, answers, SIZED_FACTS)
    )
    screening = screen(criteria, found.options, answers)
    for ruled in found.ruled_out:
        screening.eliminated[ruled.option.id] = ruled.reasons
    return found, screening


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
    own = check_answer_ids(criteria, workload.answers, where=f"workloads.{workload.id}.answers")
    answers = effective_answers(criteria, project_answers, own)
    derived = derived_answers(criteria, project_answers, own)
    usage = Usage.from_answers(answers, required_vendor_facts(criteria, answers))
    weights = derive_weights(criteria, answers, direct=decision.weights, ahp=decision.ahp)
    found, screening = _screened(catalog, criteria, usage, answers, today)
    ctx = scoring_context(answers, usage)
    ranked, matrix = rank_options(criteria, screening, ctx, weights, method)
    picks = _picks(ranked)
    sensitivity, needed, other_best = _sensitivity(ranked, matrix, weights, method, samples, picks)
    verdict = verdict_of(
        picks.headline,
        picks.runner_up,
        samples=samples,
        other_method=_other_method(method),
        other_winner=other_best,
    )
    sensitivity["close_call"] = verdict.level in ("close", "tie")
    labels = {c.id: c.name.lower() for c in criteria.criteria}
    explanation = explain_workload(
        picks.headline,
        picks.runner_up,
        matrix.names,
        weights.values,
        thresholds=sensitivity["thresholds"],
        needed=needed,
        verdict=verdict,
        labels=labels,
    )
    given = {**project_answers, **own}
    notes, weight_warnings = _weight_notes(criteria, answers, derived, given)
    warnings = list(weights.warnings) + weight_warnings
    warnings += _retirement_warnings(ranked, today)
    if not ranked:
        warnings.append(
            "No option meets every hard requirement; see the eliminated options for why."
        )
    elif picks.headline is not None and not picks.headline.price_known:
        warnings.append("No ranked option has a known price; the ranking cannot be costed.")
    return WorkloadResult(
        id=workload.id,
        name=workload.name,
        answers=answers,
        usage=usage,
        weights=weights,
        method=method,
        ranked=ranked,
        eliminated=_eliminated_view(
            found.options + [r.option for r in found.ruled_out], screening.eliminated
        ),
        unavailable=found.unavailable,
        sensitivity=sensitivity,
        explanation=explanation,
        break_even=_break_even(
            catalog, ranked, usage, _break_even_apis(ranked, picks.alternatives)
        ),
        warnings=warnings,
        alternatives=picks.alternatives,
        category_best=category_bests(ranked),
        headline=picks.headline,
        runner_up=picks.runner_up,
        verdict=verdict,
        derived=derived,
        notes=notes,
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
