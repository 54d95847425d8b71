"""Rank 2,000 options on 10 factors, with weight thresholds and 1,000 perturbed weight
sets, for both aggregation methods. Target: under 1 s on the 2-core CI machine.

Run: python benchmarks/engine.py [--options 2000] [--factors 10] [--samples 1000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from llmchoose.engine.sensitivity import aggregate, perturbed_win_shares, weight_thresholds


def run(options: int, factors: int, samples: int, method: str) -> float:
    rng = np.random.default_rng(7)
    matrix = rng.random((options, factors)) * rng.integers(1, 1000, size=factors)
    directions = ["benefit" if j % 3 else "cost" for j in range(factors)]
    weights = rng.integers(1, 6, size=factors).astype(float)
    names = [f"f{j}" for j in range(factors)]
    start = time.perf_counter()
    scores = aggregate(matrix, weights, directions, method)
    order = np.lexsort((np.arange(options), -scores))
    ranked = matrix[order]
    perturbed_win_shares(ranked, weights, directions, method, samples=samples)
    weight_thresholds(ranked, weights, directions, method, names)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--options", type=int, default=2000)
    parser.add_argument("--factors", type=int, default=10)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.options} options × {args.factors} factors, {args.samples} perturbed weight sets")
    for method in ("weighted-sum", "topsis"):
        times = [run(args.options, args.factors, args.samples, method) for _ in range(args.repeat)]
        verdict = "within" if min(times) < 1.0 else "ABOVE"
        print(
            f"{method:<13} best {min(times):.3f} s, worst {max(times):.3f} s ({verdict} the 1 s target)"
        )


if __name__ == "__main__":
    main()
