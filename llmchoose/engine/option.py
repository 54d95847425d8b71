"""One option and the facts every option shares: the types the rest of the engine
reads, the model's own facts and its quality percentiles.

An option is one way to run a model: an API offering, or an open-weights model on a
runtime (on servers you rent: ``self-hosted``; on users' laptops, edge boxes or
browsers: ``on-device``). Every option exposes the attributes listed in
:mod:`llmchoose.schemas.vocabulary`; ``None`` means the knowledge base does not know.
:mod:`llmchoose.engine.options` builds them from the catalogue.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from typing import Any

from llmchoose.engine.cost import CostEstimate
from llmchoose.engine.sizing import Deployment
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Model

__all__ = [
    "QUALITY_METRICS",
    "Option",
    "Unavailable",
    "answer_wait",
    "quality_ceiling",
    "quality_ceilings",
    "quality_percentiles",
]


# The quality signals the engine reads, each a leaderboard in a model's `quality` dict.
# The Artificial Analysis index was rebased in January 2026 (v4), so scores from before
# then are a separate signal ("-v3") rather than mixed into one scale.
QUALITY_METRICS = ("lmarena-text", "aa-intelligence-index", "aa-intelligence-index-v3")


@dataclass
class Option:
    id: str
    name: str
    category: str
    facts: dict[str, Any]
    cost: CostEstimate
    deployment: Deployment | None = None
    provenance: dict[str, tuple[str, dt.date]] = field(default_factory=dict)


@dataclass(frozen=True)
class Unavailable:
    """An option that could not be built at all (say, the model fits no hardware)."""

    id: str
    name: str
    category: str
    reason: str


def _metric_positions(catalog: Catalog, metric: str) -> dict[str, float]:
    """Each model's mid-rank position 0..1 among catalogue models on one leaderboard."""
    scored = {m.id: m.quality[metric] for m in catalog.models.values() if metric in m.quality}
    values = sorted(scored.values())
    positions = {}
    for model_id, v in scored.items():
        below = sum(1 for x in values if x < v)
        same = sum(1 for x in values if x == v)
        # Ties share a position; a model alone on a leaderboard sits at 0.5.
        positions[model_id] = (
            (below + (same - 1) / 2) / (len(values) - 1) if len(values) > 1 else 0.5
        )
    return positions


def quality_percentiles(catalog: Catalog) -> dict[str, tuple[float, str]]:
    """Each model's quality 0..1 and the signal(s) it rests on.

    Scores on different leaderboards are not on one scale, so each signal is first
    turned into the model's position among the catalogue models that have it. A model
    with several signals gets the plain mean of its positions: the signals measure
    different things (human preference, a benchmark composite) and neither is known to
    be the better guide. ``quality_metric`` names the signals joined by " + ", in the
    order of :data:`QUALITY_METRICS`.
    """
    positions = {metric: _metric_positions(catalog, metric) for metric in QUALITY_METRICS}
    result: dict[str, tuple[float, str]] = {}
    for model in catalog.models.values():
        used = [m for m in QUALITY_METRICS if model.id in positions[m]]
        if used:
            mean = sum(positions[m][model.id] for m in used) / len(used)
            result[model.id] = (mean, " + ".join(used))
    return result


def quality_ceilings(catalog: Catalog, quality: dict[str, tuple[float, str]]) -> dict[str, float]:
    """For each model without a quality signal but with a known size, the best quality
    among catalogue models that have a signal and are no larger.

    Leaderboards rank the models people use; a small model absent from all of them is
    rarely better than every rated model of its size, so its unknown quality is not
    allowed to range above theirs. Closed models (size unknown) get no ceiling.
    """
    rated = [
        (m.parameters.total_b, quality[m.id][0])
        for m in catalog.models.values()
        if m.id in quality and m.parameters.total_b
    ]
    ceilings = {}
    for model in catalog.models.values():
        size = model.parameters.total_b
        if model.id in quality or not size:
            continue
        best = max((q for rated_size, q in rated if rated_size <= size), default=None)
        if best is not None:
            ceilings[model.id] = best
    return ceilings


def quality_ceiling(catalog: Catalog, model: Model) -> float | None:
    """:func:`quality_ceilings` for one model, worked out once per catalogue."""
    cached = getattr(catalog, "_quality_ceilings", None)
    if cached is None:
        cached = quality_ceilings(catalog, quality_percentiles(catalog))
        catalog._quality_ceilings = cached  # type: ignore[attr-defined]
    return cached.get(model.id)


# Tokens per second a person reads a streaming answer at (knowledge/assumptions.yaml).
READING_RATE_ID = "reading-rate-tokens-per-s"
READING_RATE_DEFAULT = 5.3


def answer_wait(
    ttft: float | None,
    tokens_per_s: float | None,
    output_tokens: int,
    *,
    interactive: bool,
    reading_rate: float,
) -> float | None:
    """Seconds a person waits for a typical answer.

    When someone watches the answer stream in, text that arrives faster than they read is
    not waited for: the wait is the first token plus whatever time the stream falls behind
    their reading. Otherwise the answer is used once complete, so the wait is all of it.
    """
    if ttft is None or not tokens_per_s:
        return None
    complete = ttft + output_tokens / tokens_per_s
    if not interactive:
        return round(complete, 2)
    behind = max(0.0, output_tokens / tokens_per_s - output_tokens / reading_rate)
    return round(ttft + behind, 2)


def days_until(day: dt.date | None, today: dt.date) -> int | None:
    return None if day is None else (day - today).days


def model_facts(
    model: Model,
    quality: dict[str, tuple[float, str]],
    today: dt.date,
    ceiling: float | None = None,
) -> dict[str, Any]:
    q = quality.get(model.id)
    return {
        "model": model.id,
        "model_name": model.name,
        "vendor": model.vendor,
        "open_weights": model.open_weights,
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
        "modalities_input": list(model.modalities.input),
        "tool_calling": model.tool_calling,
        "structured_output": model.structured_output,
        "reasoning": model.reasoning,
        "quality": round(q[0], 4) if q else None,
        "quality_metric": q[1] if q else None,
        "quality_ceiling": None if q or ceiling is None else round(ceiling, 4),
        "licence_id": model.licence.id,
        "licence_commercial": model.licence.commercial_use,
        "licence_user_limit": model.licence.user_limit,
        "licence_has_user_limit": model.licence.user_limit is not None,
        "released": model.released,
        "deprecated": model.deprecated,
    }


# Each model's provenance entries, by the model object's identity: every option of a
# model (on each provider and runtime, for each workload) starts from the same ones. An
# entry goes when its model does, so an id is never read for another model.
_MODEL_PROVENANCE: dict[int, tuple[tuple[str, tuple[str, dt.date]], ...]] = {}


def model_provenance(model: Model) -> dict[str, tuple[str, dt.date]]:
    """Where the model's facts come from, as a new dict the caller may add to."""
    key = id(model)
    entries = _MODEL_PROVENANCE.get(key)
    if entries is None:
        found = []
        for path in (
            "context_window",
            "licence",
            "retires",
            "quality",
            "parameters",
            "architecture",
        ):
            prov = model.provenance_of(path)
            found.append((f"model.{path}", (prov.source, prov.as_of)))
        entries = _MODEL_PROVENANCE[key] = tuple(found)
        weakref.finalize(model, _MODEL_PROVENANCE.pop, key, None)
    return dict(entries)


def round_or_none(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
