"""How robust is the winner? Weight thresholds, and win shares under what we don't know.

- **Threshold** per factor: move one factor's weight (the others keep their proportions)
  until another option wins; report the smallest such move, up or down.
- **Win share**: draw many samples around the given weights (each weight times a
  log-normal factor, then renormalised) and, where a fact is unknown, a value from its
  range; count how often each option wins.
- **Score needed**: how much higher the runner-up would have to score on one factor to
  win — found with the method in use, not with weighted-sum arithmetic.

All use the same aggregation as the ranking, on many weight sets at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "METHODS",
    "Threshold",
    "aggregate",
    "perturbed_win_shares",
    "score_needed",
    "weight_thresholds",
]

# weighted-sum: the 0..1 values as they are (absolute, the default); minmax: weighted
# sum after rescaling each column over the options compared; topsis: Hwang & Yoon.
METHODS = ("weighted-sum", "minmax", "topsis")
_CHUNK = 100  # samples aggregated at once (bounds memory on large catalogues)


def aggregate(matrix, weights, directions: Sequence[str], method: str):
    """Scores of every option for one weight vector (n,) or a batch (k, n)."""
    return _Scorer(matrix, directions, method)(weights)


class _Scorer:
    """:func:`aggregate` of one matrix under many weight sets. The bisections of the
    thresholds score the same matrix hundreds of times, so the part that does not
    depend on the weights (costs turned into benefits) is done once."""

    def __init__(self, matrix, directions: Sequence[str], method: str) -> None:
        import numpy as np

        self.matrix, self.directions, self.method = matrix, directions, method
        self.oriented = None
        if method not in ("topsis", "minmax"):  # the weighted sum of absolute values
            x = np.asarray(matrix, dtype=float)
            benefit = np.array([d == "benefit" for d in directions])
            self.oriented = np.where(benefit, x, 1.0 - x)

    def __call__(self, weights):
        import numpy as np

        from llmchoose.engine import mcda

        if self.method == "topsis":
            return mcda.topsis(self.matrix, weights, self.directions)
        if self.method == "minmax":
            return mcda.weighted_sum(self.matrix, weights, self.directions)
        w = np.asarray(weights, dtype=float)
        w = w / w.sum(axis=-1, keepdims=True)
        return self.oriented @ w.T if w.ndim == 2 else self.oriented @ w


def _aggregate_each(matrices, weights, directions: Sequence[str], method: str):
    """Scores (options, samples) when every sample has its own matrix (k, m, n)."""
    import numpy as np

    x = np.asarray(matrices, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum(axis=1, keepdims=True)
    benefit = np.array([d == "benefit" for d in directions])
    if method == "weighted-sum":
        x = np.where(benefit, x, 1.0 - x)
        return np.einsum("kmn,kn->mk", x, w)
    if method == "minmax":
        low, high = x.min(axis=1, keepdims=True), x.max(axis=1, keepdims=True)
        span = high - low
        safe = np.where(span > 0, span, 1.0)
        up, down = (x - low) / safe, (high - x) / safe
        norm = np.where(span > 0, np.where(benefit, up, down), 1.0)
        return np.einsum("kmn,kn->mk", norm, w)
    norm = np.sqrt((x**2).sum(axis=1, keepdims=True))
    r = x / np.where(norm > 0, norm, 1.0)
    ideal = np.where(benefit, r.max(axis=1, keepdims=True), r.min(axis=1, keepdims=True))
    anti = np.where(benefit, r.min(axis=1, keepdims=True), r.max(axis=1, keepdims=True))
    w2 = w**2
    d_best = np.sqrt(np.einsum("kmn,kn->mk", (r - ideal) ** 2, w2))
    d_worst = np.sqrt(np.einsum("kmn,kn->mk", (r - anti) ** 2, w2))
    total = d_best + d_worst
    return np.where(total > 0, d_worst / np.where(total > 0, total, 1.0), 1.0)


def _winners(scores, rows=None):
    """Index of the best option per weight set; ties go to the earliest (stable) row.

    ``rows`` limits who may win (one option per distinct model) while every row still
    takes part in the normalisation, exactly as in the ranking.
    """
    import numpy as np

    if rows is not None:
        rows = np.asarray(rows)
        scores = scores[rows]
        best = np.argmax(scores, axis=0)
        return rows[best] if scores.ndim == 2 else int(rows[int(best)])
    return np.argmax(scores, axis=0) if scores.ndim == 2 else int(np.argmax(scores))


@dataclass(frozen=True)
class Threshold:
    criterion: str
    weight: float  # today's weight (normalised)
    new_weight: float | None  # the weight at which the winner changes; None: never
    new_winner: int | None

    @property
    def change(self) -> float | None:
        return None if self.new_weight is None else self.new_weight - self.weight


def _weights_with(base, j: int, t):
    """Weight sets where factor j has weight t and the others keep their proportions."""
    import numpy as np

    t = np.atleast_1d(np.asarray(t, dtype=float))
    rest = 1.0 - base[j]
    others = np.delete(np.arange(base.size), j)
    out = np.empty((t.size, base.size))
    if rest > 0:
        out[:, others] = base[others][None, :] * ((1 - t) / rest)[:, None]
    else:
        out[:, others] = ((1 - t) / max(1, others.size))[:, None]
    out[:, j] = t
    return out


def _weights_at(base, j: int):
    """``_weights_with(base, j, t)[0]`` for one weight t at a time, with the same
    arithmetic, and what does not depend on t worked out once."""
    import numpy as np

    rest = 1.0 - base[j]
    others = np.delete(np.arange(base.size), j)
    kept = base[others]

    def weights(t: float):
        out = np.empty(base.size)
        if rest > 0:
            out[others] = kept * ((1 - t) / rest)
        else:
            out[others] = (1 - t) / max(1, others.size)
        out[j] = t
        return out

    return weights


def _switch_point(scorer: _Scorer, base, j, rows, winner, target, grid):
    """(distance, weight, new winner) where moving factor j toward ``target`` first
    changes the winner, or None."""
    import numpy as np

    ts = np.linspace(base[j], target, grid + 1)[1:]
    scores = scorer(_weights_with(base, j, ts))
    changed = np.nonzero(_winners(scores, rows) != winner)[0]
    if changed.size == 0:
        return None
    k = int(changed[0])
    lo = base[j] if k == 0 else ts[k - 1]
    hi = ts[k]
    weights_at = _weights_at(base, j)
    for _ in range(30):  # bisection to pin the switch point
        mid = (lo + hi) / 2
        if _winners(scorer(weights_at(mid)), rows) != winner:
            hi = mid
        else:
            lo = mid
    new_winner = int(_winners(scorer(weights_at(hi)), rows))
    return abs(hi - base[j]), float(hi), new_winner


def weight_thresholds(
    matrix,
    weights,
    directions: Sequence[str],
    method: str,
    names: Sequence[str],
    grid: int = 100,
    rows=None,
) -> list[Threshold]:
    """For each factor, the nearest weight at which another of ``rows`` would win."""
    import numpy as np

    x = np.asarray(matrix, dtype=float)
    base = np.asarray(weights, dtype=float)
    base = base / base.sum()
    scorer = _Scorer(x, directions, method)
    rows = None if rows is None else np.asarray(rows)
    winner = _winners(scorer(base), rows)
    found = []
    for j, name in enumerate(names):
        candidates = [
            found_at
            for target in (1.0, 0.0)
            if (found_at := _switch_point(scorer, base, j, rows, winner, target, grid))
        ]
        if not candidates:
            found.append(Threshold(name, float(base[j]), None, None))
            continue
        _, weight, new_winner = min(candidates, key=lambda c: c[0])
        found.append(Threshold(name, float(base[j]), round(weight, 4), new_winner))
    return found


def score_needed(
    matrix, weights, directions: Sequence[str], method: str, row: int, winner: int, column: int
) -> float | None:
    """The value option ``row`` would need on ``column`` (0..1) to overtake ``winner``
    under ``method``, or None when even a perfect score would not do."""
    import numpy as np

    x = np.array(matrix, dtype=float)
    w = np.asarray(weights, dtype=float)

    def wins(value: float) -> bool:
        x[row, column] = value
        scores = aggregate(x, w, directions, method)
        return bool(scores[row] > scores[winner])

    start = float(matrix[row][column])
    if wins(start) or not wins(1.0):
        return None
    lo, hi = start, 1.0
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if wins(mid) else (mid, hi)
    return hi


def _contenders(low, high, rows, leaders: int = 25):
    """The rows (of ``rows``) that no earlier leading row dominates: a leader whose worst
    values are all at least this row's best values."""
    import numpy as np

    lead = rows[:leaders]
    keep = list(lead)
    for start in range(leaders, rows.size, 2048):
        chunk = rows[start : start + 2048]
        # dominated[c, l]: leader l's worst beats chunk row c's best on every factor.
        dominated = (low[lead][None, :, :] >= high[chunk][:, None, :]).all(axis=2)
        keep.extend(chunk[~dominated.any(axis=1)])
    return np.asarray(keep, dtype=int)


def perturbed_win_shares(
    matrix,
    weights,
    directions: Sequence[str],
    method: str,
    *,
    samples: int = 1000,
    spread: float = 0.5,
    seed: int = 20261128,
    rows=None,
    low=None,
    high=None,
):
    """Share of samples each option wins (a list aligned with the rows).

    Each sample perturbs the weights; where ``low`` and ``high`` differ (an unknown or
    uncertain fact), the sample also draws that value uniformly from its range.
    """
    import numpy as np

    x = np.asarray(matrix, dtype=float)
    base = np.asarray(weights, dtype=float)
    base = base / base.sum()
    rng = np.random.default_rng(seed)
    factors = np.exp(rng.normal(0.0, spread, size=(samples, base.size)))
    sets = base[None, :] * factors
    sets /= sets.sum(axis=1, keepdims=True)
    lo = x if low is None else np.asarray(low, dtype=float)
    hi = x if high is None else np.asarray(high, dtype=float)
    full = x.shape[0]
    keep = None
    if method == "weighted-sum" and rows is not None:
        # Absolute scores: an option cannot win any sample when an earlier option is at
        # least as good on every factor at its worst as this one is at its best, so only
        # the others need drawing (the same winners, far less work on a large market).
        keep = _contenders(lo, hi, np.asarray(rows))
        x, lo, hi, rows = x[keep], lo[keep], hi[keep], np.arange(keep.size)
    uncertain = hi - lo > 0
    if not uncertain.any():
        winners = _winners(aggregate(x, sets, directions, method), rows)
    else:
        winners = np.empty(samples, dtype=int)
        for start in range(0, samples, _CHUNK):
            k = min(_CHUNK, samples - start)
            draws = rng.random(size=(k, *x.shape))
            drawn = np.where(uncertain, lo + draws * (hi - lo), x)
            scores = _aggregate_each(drawn, sets[start : start + k], directions, method)
            winners[start : start + k] = _winners(scores, rows)
    counts = np.bincount(np.atleast_1d(winners), minlength=x.shape[0])
    if keep is None:
        return (counts / samples).tolist()
    shares = np.zeros(full)
    shares[keep] = counts / samples
    return shares.tolist()
