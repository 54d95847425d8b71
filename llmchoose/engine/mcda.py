"""Multi-criteria decision analysis on plain matrices.

Rows are options (alternatives), columns are criteria. ``directions`` says for each
column whether more is better (``"benefit"``) or less is better (``"cost"``). Weights
need not sum to one; they are normalised, so scaling them all changes nothing.

- :func:`weighted_sum` — simple additive weighting on min-max normalised columns.
- :func:`topsis` — Hwang & Yoon's TOPSIS: vector normalisation, distances to the ideal
  and anti-ideal points, closeness coefficient.
- :func:`ahp_weights` — Saaty's AHP: principal eigenvector of a pairwise comparison
  matrix and its consistency ratio.

Each works on one weight vector or on a batch (one weight set per row), which is what
the sensitivity analysis uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "RANDOM_INDEX",
    "AhpResult",
    "ahp_weights",
    "minmax_normalize",
    "topsis",
    "vector_normalize",
    "weighted_sum",
]

# Saaty's random consistency index by matrix size (Saaty 1980; as tabulated in
# Saaty, "Decision making with the analytic hierarchy process", 2008).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}


def _np():
    import numpy

    return numpy


def _check(matrix: Any, weights: Any, directions: Sequence[str]):
    np = _np()
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise ValueError("matrix must be two-dimensional (options × criteria)")
    w = np.asarray(weights, dtype=float)
    if w.shape[-1] != x.shape[1] or len(directions) != x.shape[1]:
        raise ValueError("weights and directions need one entry per criterion")
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite and non-negative")
    total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("at least one weight must be positive")
    bad = [d for d in directions if d not in ("benefit", "cost")]
    if bad:
        raise ValueError(f"direction must be 'benefit' or 'cost', got {bad[0]!r}")
    if not np.all(np.isfinite(x)):
        raise ValueError("matrix values must be finite")
    return x, w / total, np.array([d == "benefit" for d in directions])


def minmax_normalize(matrix: Any, directions: Sequence[str]):
    """Scale each column to 0..1, 1 being best. A constant column becomes all 1."""
    np = _np()
    x = np.asarray(matrix, dtype=float)
    benefit = np.array([d == "benefit" for d in directions])
    low, high = x.min(axis=0), x.max(axis=0)
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    up = (x - low) / safe
    down = (high - x) / safe
    out = np.where(benefit, up, down)
    return np.where(span > 0, out, 1.0)


def vector_normalize(matrix: Any):
    """Divide each column by its Euclidean norm (a zero column stays zero)."""
    np = _np()
    x = np.asarray(matrix, dtype=float)
    norm = np.sqrt((x**2).sum(axis=0))
    return x / np.where(norm > 0, norm, 1.0)


def weighted_sum(matrix: Any, weights: Any, directions: Sequence[str]):
    """Weighted sum of min-max normalised scores, in 0..1 (one row of weights or many)."""
    x, w, _ = _check(matrix, weights, directions)
    normalized = minmax_normalize(x, directions)
    return normalized @ w.T if w.ndim == 2 else normalized @ w


def topsis(matrix: Any, weights: Any, directions: Sequence[str]):
    """TOPSIS closeness coefficient of each option, in 0..1 (one row of weights or many)."""
    np = _np()
    x, w, benefit = _check(matrix, weights, directions)
    r = vector_normalize(x)
    # With non-negative weights the ideal point of the weighted matrix is the weight times
    # the ideal of the normalised one, so each squared distance is a weighted sum:
    # d²(i) = Σ_j w_j² (r_ij − ideal_j)². One matrix product then serves every weight set.
    ideal = np.where(benefit, r.max(axis=0), r.min(axis=0))
    anti = np.where(benefit, r.min(axis=0), r.max(axis=0))
    to_ideal = (r - ideal) ** 2
    to_anti = (r - anti) ** 2
    w2 = (w**2).T
    d_best = np.sqrt(np.maximum(to_ideal @ w2, 0.0))
    d_worst = np.sqrt(np.maximum(to_anti @ w2, 0.0))
    total = d_best + d_worst
    return np.where(total > 0, d_worst / np.where(total > 0, total, 1.0), 1.0)


@dataclass(frozen=True)
class AhpResult:
    weights: list[float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        """Saaty's rule of thumb: a ratio up to 0.1 is acceptable."""
        return self.consistency_ratio <= 0.1


def ahp_weights(pairwise: Any) -> AhpResult:
    """Weights from a reciprocal pairwise comparison matrix (principal eigenvector)."""
    np = _np()
    a = np.asarray(pairwise, dtype=float)
    n = a.shape[0]
    if a.ndim != 2 or a.shape[1] != n:
        raise ValueError("the comparison matrix must be square")
    if np.any(a <= 0):
        raise ValueError("comparisons must be positive")
    if not np.allclose(a * a.T, 1.0, rtol=1e-6):
        raise ValueError("the comparison matrix must be reciprocal: a[j][i] = 1 / a[i][j]")
    values, vectors = np.linalg.eig(a)
    index = int(np.argmax(values.real))
    lambda_max = float(values[index].real)
    vector = np.abs(vectors[:, index].real)
    weights = vector / vector.sum()
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX.get(n, 1.49)
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(
        weights=[float(v) for v in weights],
        lambda_max=lambda_max,
        consistency_index=float(ci),
        consistency_ratio=float(max(cr, 0.0)),
    )
