"""How robust is the winner? Weight thresholds and perturbed-weight win shares.

- **Threshold** per factor: move one factor's weight (the others keep their proportions)
  until another option wins; report the smallest such move, up or down.
- **Win share**: draw many weight sets around the given ones (each weight times a
  log-normal factor, then renormalised) and count how often each option wins.

Both use the same aggregation as the ranking, on many weight sets at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Threshold", "aggregate", "perturbed_win_shares", "weight_thresholds"]


def aggregate(matrix, weights, directions: Sequence[str], method: str):
    from llmchoose import mcda

    if method == "topsis":
        return mcda.topsis(matrix, weights, directions)
    return mcda.weighted_sum(matrix, weights, directions)


def _winners(scores, rows=None):
    """Index of the best option per weight set; ties go to the earliest (stable) row.

    ``rows`` limits who may win (say, one runtime per model) while every row still takes
    part in the normalisation, exactly as in the ranking.
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


def weight_thresholds(
    matrix,
    weights,
    directions: Sequence[str],
    method: str,
    names: Sequence[str],
    grid: int = 100,
    rows=None,
) -> list[Threshold]:
    import numpy as np

    x = np.asarray(matrix, dtype=float)
    base = np.asarray(weights, dtype=float)
    base = base / base.sum()
    winner = _winners(aggregate(x, base, directions, method), rows)
    found = []
    for j, name in enumerate(names):
        best: tuple[float, float, int] | None = None
        for target in (1.0, 0.0):
            ts = np.linspace(base[j], target, grid + 1)[1:]
            scores = aggregate(x, _weights_with(base, j, ts), directions, method)
            changed = np.nonzero(_winners(scores, rows) != winner)[0]
            if changed.size == 0:
                continue
            k = int(changed[0])
            lo = base[j] if k == 0 else ts[k - 1]
            hi = ts[k]
            for _ in range(30):  # bisection to pin the switch point
                mid = (lo + hi) / 2
                w_mid = _weights_with(base, j, mid)[0]
                if _winners(aggregate(x, w_mid, directions, method), rows) != winner:
                    hi = mid
                else:
                    lo = mid
            new_winner = int(
                _winners(aggregate(x, _weights_with(base, j, hi)[0], directions, method))
            )
            distance = abs(hi - base[j])
            if best is None or distance < best[0]:
                best = (distance, float(hi), new_winner)
        if best is None:
            found.append(Threshold(name, float(base[j]), None, None))
        else:
            found.append(Threshold(name, float(base[j]), round(best[1], 4), best[2]))
    return found


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
):
    """Share of perturbed weight sets each option wins (a list aligned with the rows)."""
    import numpy as np

    x = np.asarray(matrix, dtype=float)
    base = np.asarray(weights, dtype=float)
    base = base / base.sum()
    rng = np.random.default_rng(seed)
    factors = np.exp(rng.normal(0.0, spread, size=(samples, base.size)))
    sets = base[None, :] * factors
    sets /= sets.sum(axis=1, keepdims=True)
    winners = _winners(aggregate(x, sets, directions, method), rows)
    counts = np.bincount(np.atleast_1d(winners), minlength=x.shape[0])
    return (counts / samples).tolist()
