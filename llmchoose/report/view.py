"""The report view model: everything a report template shows, as plain data.

:func:`build_view` is pure: it takes the decision, the recommendation, the catalogue, the
factors and the guidance and returns JSON-ready dicts, lists, strings and numbers. Both
the Markdown and the HTML template render this one structure, so they never disagree;
`llmchoose report --format json` prints it for template authors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from llmchoose import __version__
from llmchoose.engine.recommend import Recommendation, WorkloadResult
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.formatting import money, number, pct
from llmchoose.report.brand import brand_view
from llmchoose.report.guidance import Chosen, Guidance, select_guidance
from llmchoose.report.sentences import hybrid_trade_text, per_month
from llmchoose.report.sources import collect_sources, source_quality
from llmchoose.report.workload_view import Factor, margin_text, option_extras, workload_view
from llmchoose.schemas.decision import Decision
from llmchoose.schemas.vocabulary import CATEGORY_LABELS, ON_DEVICE

__all__ = ["VIEW_VERSION", "build_view"]

VIEW_VERSION = 1
METHODS = {
    "weighted-sum": "weighted sum",
    "minmax": "weighted sum of rescaled scores",
    "topsis": "TOPSIS",
}
WEIGHT_METHODS = {
    "importance": "from the importance answers (1–5 per factor), normalised to sum to 100%",
    "direct": "given directly in the decision file",
    "ahp": "from pairwise comparisons (AHP)",
}


def _answer_text(question: Any, value: Any) -> str:
    if value is None:
        return "—"
    labels = {c.value: c.label for c in question.choices}
    if question.type == "bool":
        return "Yes" if value else "No"
    if question.type == "multi":
        items = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(v, str(v)) for v in items) or "None"
    if question.type == "choice":
        return labels.get(value, str(value))
    if question.type == "importance":
        return f"{value:g} of 5"
    if question.type == "number":
        digits = 0 if float(value).is_integer() else 2
        text = number(float(value), digits)
        return f"{text} {question.unit}" if question.unit else text
    return str(value)


def _answers(criteria: CriteriaSet, decision: Decision, rec: Recommendation) -> dict[str, Any]:
    given = [{**decision.answers, **w.answers} for w in decision.workloads]
    groups: list[dict[str, Any]] = []
    for criterion in criteria.criteria:
        rows: list[dict[str, Any]] = []
        for question in criterion.questions:
            values: list[dict[str, Any]] = []
            for result, explicit in zip(rec.workloads, given, strict=True):
                value = result.answers.get(question.id)
                values.append(
                    {
                        "text": _answer_text(question, value),
                        "given": question.id in explicit,
                        "asked": question.id in result.answers,
                    }
                )
            if not any(v["asked"] for v in values):
                continue
            rows.append(
                {
                    "id": question.id,
                    "question": question.text,
                    "cells": values,
                    "same": len({v["text"] for v in values}) == 1,
                    "any_given": any(v["given"] for v in values),
                    # Importance answers are the factor weights, listed on their own.
                    "importance": question.type == "importance",
                    "defaults_text": " / ".join(
                        dict.fromkeys(v["text"] for v in values if v["asked"])
                    ),
                }
            )
        if rows:
            brief = [r for r in rows if r["any_given"] and not r["importance"]]
            groups.append({"factor": criterion.name, "rows": rows, "brief_rows": brief})
    return {
        "workloads": [w.name for w in rec.workloads],
        "given_count": sum(len(g) for g in given),
        "groups": groups,
        # Questions nobody answered, for the compact list under the answers table.
        "kept_defaults": [
            {"question": row["question"], "text": row["defaults_text"]}
            for group in groups
            for row in group["rows"]
            if not row["any_given"] and not row["importance"]
        ],
    }


def _summary(
    workloads: Sequence[Mapping[str, Any]], hybrid: Mapping[str, Any] | None
) -> dict[str, Any]:
    sentences = []
    rows = []
    for w in workloads:
        winner = w["winner"]
        if winner is None:
            sentences.append(f"For {w['name']}, no option meets every hard requirement.")
            rows.append(
                {
                    "workload": w["name"],
                    "anchor": w["anchor"],
                    "option": None,
                    "category_label": None,
                    "score": None,
                    "monthly_text": "—",
                    "monthly_phrase": "—",
                    "monthly_10x_text": "—",
                    "monthly_100x_text": "—",
                    "break_even": None,
                    "confidence": w["confidence"],
                    "win_share_text": "—",
                    "margin": None,
                    "margin_text": "—",
                }
            )
            continue
        monthly = (
            "with no per-request bill"
            if winner["category"] == ON_DEVICE
            else f"at {per_month(winner['monthly'], about=True)}"
        )
        kind = f", {winner['category_phrase']}," if winner["category_phrase"] else ","
        sentences.append(
            f"For {w['name']}, the recommended option is {winner['name']}{kind} {monthly}. "
            f"{w['confidence']['text']}"
        )
        break_even = w["cost"]["break_even"]
        if break_even and break_even["state"] != "never":
            sentences.append(break_even["text"])
        rows.append(
            {
                "workload": w["name"],
                "anchor": w["anchor"],
                "option": winner["name"],
                "category_label": winner["category_label"],
                "score": winner["score"],
                "monthly_text": winner["monthly_text"],
                "monthly_phrase": winner["monthly_phrase"],
                "monthly_10x_text": winner["monthly_10x_text"],
                "monthly_100x_text": winner["monthly_100x_text"],
                "break_even": break_even,
                "confidence": w["confidence"],
                "win_share_text": pct(winner["win_share"]),
                "margin": w["sensitivity"]["margin"],
                "margin_text": margin_text(w["sensitivity"]["margin"]),
            }
        )
    total = None
    if hybrid is not None:
        sentences.append(hybrid["summary"])
        total = hybrid["monthly"]
        if hybrid["monthly"] is not None:
            sentences.append(
                f"All workloads together cost about {money(hybrid['monthly'])} a month."
            )
    elif len(workloads) == 1 and workloads[0]["winner"]:
        total = workloads[0]["winner"]["monthly"]
    return {
        "paragraph": " ".join(sentences),
        "rows": rows,
        "total_monthly": total,
        "total_monthly_text": money(total, unknown="—"),
    }


def _hybrid(rec: Recommendation) -> dict[str, Any] | None:
    hybrid = rec.hybrid
    if hybrid is None:
        return None
    names = {w.id: w.name for w in rec.workloads}
    options = {r.id: r.name for w in rec.workloads for r in w.ranked}
    single = hybrid.single_option
    trade = None
    distinct = len({a["option"] for a in hybrid.assignments}) > 1
    hybrid_cost = hybrid.hybrid_monthly_cost
    single_cost = single["monthly_cost"] if single else None
    if single is not None and distinct and hybrid_cost is not None and single_cost is not None:
        diff = hybrid_cost - single_cost
        gain = hybrid.hybrid_mean_score - single["mean_score"]
        name = options.get(single["option"], single["name"])
        trade = hybrid_trade_text(diff, gain, name, margin_text(gain))
    return {
        "worthwhile": hybrid.worthwhile,
        "summary": hybrid.summary,
        "assignments": [
            {
                "workload": names.get(a["workload"], a["workload"]),
                "option": options.get(a["option"], a["name"]),
                "category_label": CATEGORY_LABELS.get(a["category"], a["category"]),
                "monthly_text": money(a["monthly_cost"]),
            }
            for a in hybrid.assignments
        ],
        "routing_rule": list(hybrid.routing_rule),
        "abstraction": hybrid.abstraction if hybrid.routing_rule else None,
        "monthly": hybrid.hybrid_monthly_cost,
        "monthly_text": money(hybrid.hybrid_monthly_cost),
        "monthly_phrase": per_month(hybrid.hybrid_monthly_cost, about=True),
        "mean_score": hybrid.hybrid_mean_score,
        "trade_off": trade,
        "single": None
        if single is None
        else {
            "name": options.get(single["option"], single["name"]),
            "mean_score": single["mean_score"],
            "monthly_text": money(single["monthly_cost"]),
        },
    }


def _relabel(results: Sequence[WorkloadResult]) -> list[WorkloadResult]:
    """Results whose option names are unique: where two options share a name (say, an
    offering and its EU variant), each gets its id in brackets."""
    ids_by_name: dict[str, set[str]] = {}
    for result in results:
        entries = [(r.id, r.name) for r in result.ranked]
        entries += [(e["id"], e["name"]) for e in result.eliminated]
        entries += [(u.id, u.name) for u in result.unavailable]
        for option_id, name in entries:
            ids_by_name.setdefault(name, set()).add(option_id)

    def label(option_id: str, name: str) -> str:
        return f"{name} ({option_id})" if len(ids_by_name.get(name, ())) > 1 else name

    return [
        replace(
            result,
            ranked=[replace(r, name=label(r.id, r.name)) for r in result.ranked],
            eliminated=[{**e, "name": label(e["id"], e["name"])} for e in result.eliminated],
            unavailable=[replace(u, name=label(u.id, u.name)) for u in result.unavailable],
        )
        for result in results
    ]


def _chosen(catalog: Catalog, rec: Recommendation) -> list[Chosen]:
    chosen = []
    for result in rec.workloads:
        winner = result.winner
        if winner is None or winner.option is None:
            continue
        facts = {
            **winner.option.facts,
            **option_extras(catalog, winner, result.usage),
            "workload": result.name,
        }
        chosen.append(
            Chosen(
                workload=result.name,
                option_id=winner.id,
                option_name=winner.name,
                category=winner.category,
                answers=result.answers,
                facts=facts,
            )
        )
    return chosen


def _kb_assumptions(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "value": a.value,
            "unit": a.unit,
            "note": a.note,
            "source": a.source,
            "as_of": a.as_of.isoformat(),
        }
        for a in catalog.records("assumptions")
    ]


def _assumptions(
    notes: list[Any], workloads: list[dict[str, Any]], catalog: Catalog, top: int
) -> dict[str, Any]:
    """What the ranking assumed: method notes, each workload's weights and usage, the
    knowledge base."""
    return {
        "notes": notes,
        "weights": [
            {
                "workload": w["name"],
                "method": WEIGHT_METHODS.get(w["weights_method"], w["weights_method"]),
                "consistency_ratio": w["consistency_ratio"],
                "weights": w["weights"],
            }
            for w in workloads
        ],
        "usage": [{"workload": w["name"], "text": w["usage"]["text"]} for w in workloads],
        "knowledge": _kb_assumptions(catalog),
        "top": top,
    }


def build_view(
    decision: Decision,
    rec: Recommendation,
    catalog: Catalog,
    criteria: CriteriaSet,
    guidance: Guidance,
    *,
    brand: Mapping[str, Any] | None = None,
    top: int = 8,
    appendix: str = "summary",
) -> dict[str, Any]:
    """The whole report as plain data; the same inputs always give equal output.

    ``appendix`` says how much of the ruled-out options it shows: ``none`` (counts
    only), ``summary`` (a summary per workload) or ``full`` (the summary, and every
    option with its reason in an appendix).
    """
    factors = [
        Factor(i, c) for i, c in enumerate(c for c in criteria.criteria if c.scoring is not None)
    ]
    descriptions = {w.id: w.description for w in decision.workloads}
    results = _relabel(rec.workloads)
    rec = replace(rec, workloads=results)
    workloads = [
        workload_view(
            catalog,
            result,
            position=i + 1,
            factors=factors,
            description=descriptions.get(result.id),
            top=top,
        )
        for i, result in enumerate(results)
    ]
    hybrid = _hybrid(rec)
    brand = dict(brand) if brand is not None else brand_view()
    project = decision.project
    title = brand.get("title") or f"LLM deployment recommendation: {project.name}"
    guide = select_guidance(guidance, _chosen(catalog, rec))
    as_of: dt.date = rec.as_of
    return {
        "version": VIEW_VERSION,
        "generator": f"llmchoose {__version__}",
        "appendix": appendix,
        "title": title,
        "as_of": as_of.isoformat(),
        "project": {
            "name": project.name,
            "organisation": project.organisation,
            "description": project.description,
        },
        "brand": brand,
        "method": {
            "id": rec.method,
            "name": METHODS.get(rec.method, rec.method),
            "samples": rec.workloads[0].sensitivity.get("samples", 0) if rec.workloads else 0,
        },
        "factors": [f.as_dict() for f in factors],
        "summary": _summary(workloads, hybrid),
        "workloads": workloads,
        "hybrid": hybrid,
        "next_steps": guide["next_steps"],
        "checklist": guide["checklist"],
        "assumptions": _assumptions(guide["method_notes"], workloads, catalog, top),
        "answers": _answers(criteria, decision, rec),
        "sources": (sources := collect_sources(catalog, rec, as_of)),
        "source_quality": source_quality(sources),
        "warnings": list(rec.warnings),
    }
