"""Figures of a probe run: one record per request, and a summary per concurrency level."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["PERCENTILES", "LevelSummary", "RequestResult", "percentile", "summarise_level"]

PERCENTILES = (50, 90, 99)


@dataclass(frozen=True)
class RequestResult:
    """What one streamed request took. Times are seconds; ``error`` is None on success."""

    concurrency: int
    started_s: float  # since the level started
    total_s: float
    ttft_s: float | None = None
    inter_token_s: float | None = None  # mean gap between output tokens after the first
    output_tokens: int = 0
    output_tokens_per_s: float | None = None  # one stream's speed after its first token
    prompt_tokens: int | None = None  # as the server counted them, when it says
    tokens_counted_by: str = "chunks"  # "usage" when the server reported the count
    error: str | None = None
    error_kind: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The ``pct``-th percentile with linear interpolation between closest ranks.

    The same definition as numpy's default (``method="linear"``), so figures match
    what other load tools print for the same samples.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _spread(values: list[float]) -> dict[str, float | None]:
    return {f"p{p}": _round(percentile(values, p)) for p in PERCENTILES}


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class LevelSummary:
    """One concurrency level: percentiles of each per-request figure, throughput, errors."""

    concurrency: int
    requests: int
    succeeded: int
    errors: int
    error_rate: float
    error_kinds: dict[str, int]
    wall_s: float
    throughput_tokens_per_s: float | None  # output tokens of all streams per second
    requests_per_s: float | None
    ttft_s: dict[str, float | None] = field(default_factory=dict)
    inter_token_s: dict[str, float | None] = field(default_factory=dict)
    output_tokens_per_s: dict[str, float | None] = field(default_factory=dict)
    total_s: dict[str, float | None] = field(default_factory=dict)
    output_tokens: float | None = None  # median per request
    prompt_tokens: float | None = None  # median per request, as the server counted
    complete: bool = True  # False when a time limit or Ctrl-C cut the level short

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise_level(
    concurrency: int, results: Sequence[RequestResult], wall_s: float, *, complete: bool = True
) -> LevelSummary:
    """Summarise the requests of one level; ``wall_s`` is the level's elapsed time."""
    good = [r for r in results if r.ok]

    def figures(name: str) -> list[float]:
        return [getattr(r, name) for r in good if getattr(r, name) is not None]

    tokens = sum(r.output_tokens for r in good)
    prompts = figures("prompt_tokens")
    return LevelSummary(
        concurrency=concurrency,
        requests=len(results),
        succeeded=len(good),
        errors=len(results) - len(good),
        error_rate=round((len(results) - len(good)) / len(results), 4) if results else 0.0,
        error_kinds=dict(
            sorted(Counter(r.error_kind or "error" for r in results if not r.ok).items())
        ),
        wall_s=round(wall_s, 4),
        throughput_tokens_per_s=_round(tokens / wall_s, 2) if wall_s > 0 and good else None,
        requests_per_s=_round(len(good) / wall_s, 3) if wall_s > 0 and good else None,
        ttft_s=_spread(figures("ttft_s")),
        inter_token_s=_spread(figures("inter_token_s")),
        output_tokens_per_s=_spread(figures("output_tokens_per_s")),
        total_s=_spread(figures("total_s")),
        output_tokens=percentile([float(r.output_tokens) for r in good], 50),
        prompt_tokens=percentile(prompts, 50) if prompts else None,
        complete=complete,
    )
