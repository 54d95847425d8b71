"""Factor weights: from importance answers, given directly, or from AHP comparisons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.schemas.decision import AhpComparison

__all__ = ["Weights", "derive_weights", "importance_weight"]


@dataclass(frozen=True)
class Weights:
    values: dict[str, float]  # criterion id -> weight, summing to 1
    method: str  # importance, direct or ahp
    consistency_ratio: float | None = None
    warnings: list[str] = field(default_factory=list)


def _normalise(raw: Mapping[str, float]) -> dict[str, float]:
    total = sum(raw.values())
    if total <= 0:
        raise InputError("at least one factor needs a weight above zero")
    return {key: value / total for key, value in raw.items()}


def derive_weights(
    criteria: CriteriaSet,
    answers: Mapping[str, Any],
    *,
    direct: Mapping[str, float] | None = None,
    ahp: list[AhpComparison] | None = None,
) -> Weights:
    scored = [c for c in criteria.criteria if c.scoring is not None]
    ids = [c.id for c in scored]
    if direct is not None:
        for key in direct:
            if key not in ids:
                raise InputError(f"weights: unknown factor '{key}'", hint=did_you_mean(key, ids))
        return Weights(_normalise({i: float(direct.get(i, 0.0)) for i in ids}), "direct")
    if ahp is not None:
        from llmchoose.engine.mcda import ahp_weights

        index = {cid: n for n, cid in enumerate(ids)}
        for pair in ahp:
            for key in (pair.more, pair.less):
                if key not in index:
                    raise InputError(f"ahp: unknown factor '{key}'", hint=did_you_mean(key, ids))
        named = sorted({p.more for p in ahp} | {p.less for p in ahp}, key=index.__getitem__)
        size = len(named)
        matrix = [[1.0] * size for _ in range(size)]
        seen = set()
        for pair in ahp:
            i, j = named.index(pair.more), named.index(pair.less)
            if i == j or frozenset((i, j)) in seen:
                raise InputError(
                    f"ahp: {pair.more} and {pair.less} are compared twice or with itself"
                )
            seen.add(frozenset((i, j)))
            matrix[i][j], matrix[j][i] = pair.by, 1 / pair.by
        needed = size * (size - 1) // 2
        if len(seen) != needed:
            raise InputError(
                f"ahp: {len(seen)} of the {needed} comparisons between {', '.join(named)} are given",
                hint="compare every pair of the factors you name",
            )
        result = ahp_weights(matrix)
        values = {cid: 0.0 for cid in ids}
        values.update(dict(zip(named, result.weights, strict=True)))
        warnings = []
        if not result.consistent:
            warnings.append(
                f"the AHP comparisons are inconsistent (consistency ratio {result.consistency_ratio:.2f}, "
                "above 0.10): revisit the judgements"
            )
        return Weights(_normalise(values), "ahp", result.consistency_ratio, warnings)
    raw = {}
    for criterion in scored:
        value = answers.get(criterion.weight_question) if criterion.weight_question else None
        raw[criterion.id] = importance_weight(value if value is not None else 3)
    return Weights(_normalise(raw), "importance")


def importance_weight(importance: float) -> float:
    """Importance 1–5 as a ratio weight: each step doubles it, so a 5 ("decisive")
    counts 16 times a 1 ("barely matters"). With a linear scale, several factors marked
    unimportant would together outweigh the one the team called decisive."""
    return 2.0 ** (float(importance) - 1)
