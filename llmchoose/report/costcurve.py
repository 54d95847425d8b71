"""Monthly cost against daily volume for the best API and the best self-hosted option.

The API line is tokens times prices; the self-hosted line is re-sized at every volume,
so it climbs in steps as replicas are added. Both use the engine's own cost functions,
so the chart and the break-even figure agree.
"""

from __future__ import annotations

import math
from typing import Any

from llmchoose.engine.cost import api_monthly_cost, selfhost_monthly_at
from llmchoose.engine.usage import Usage
from llmchoose.loading.catalog import Catalog

__all__ = ["api_cost_fn", "cost_curve", "own_cost_fn"]

POINTS = 161  # log-spaced volumes across the chart


def api_cost_fn(catalog: Catalog, option_id: str, usage: Usage):
    """Monthly cost of an API offering as a function of daily volume."""
    offering = catalog.offerings.get(option_id)

    def cost(volume: float) -> float | None:
        return None if offering is None else api_monthly_cost(offering, usage.at_volume(volume))

    return cost


def own_cost_fn(catalog: Catalog, facts: dict[str, Any], usage: Usage):
    """Monthly cost of a self-hosted option, re-sized at each daily volume."""
    model = catalog.models.get(facts.get("model") or "")
    runtime = catalog.runtimes.get(facts.get("runtime") or "")

    def cost(volume: float) -> float | None:
        if model is None or runtime is None:
            return None
        return selfhost_monthly_at(catalog, model, runtime, usage.at_volume(volume))

    return cost


def _span(today: float, break_even: float | None) -> tuple[float, float]:
    """Whole decades from a tenth of today's volume to well past 100× and the break-even."""
    base = today if today > 0 else 1.0
    low = max(1.0, base / 10)
    high = base * 300
    if break_even is not None:
        high = max(high, break_even * 3)
        low = min(low, max(1.0, break_even / 3))
    high = min(high, 1e9)
    return 10 ** math.floor(math.log10(low)), 10 ** math.ceil(math.log10(high))


def cost_curve(
    catalog: Catalog,
    usage: Usage,
    api: Any | None,
    own: Any | None,
    break_even: float | None,
) -> dict[str, Any] | None:
    """Chart data: both series over a log-spaced volume range, today and the break-even.

    ``api`` and ``own`` are ranked options (either may be None); returns None when there
    is nothing to draw.
    """
    series_spec = []
    if api is not None:
        series_spec.append(("api", api, api_cost_fn(catalog, api.id, usage)))
    if own is not None and own.option is not None:
        series_spec.append(("own", own, own_cost_fn(catalog, own.option.facts, usage)))
    if not series_spec:
        return None
    today = usage.requests_per_day
    low, high = _span(today, break_even)
    volumes = [low * (high / low) ** (i / (POINTS - 1)) for i in range(POINTS)]
    series = []
    for kind, item, cost in series_spec:
        points = []
        for volume in volumes:
            value = cost(volume)
            points.append([round(volume, 3), None if value is None else round(value, 2)])
        series.append({"kind": kind, "id": item.id, "label": item.name, "points": points})
    marker = None
    if break_even is not None and own is not None:
        value = own_cost_fn(catalog, own.option.facts, usage)(break_even)
        marker = {"x": float(break_even), "y": None if value is None else round(value, 2)}
    return {
        "x_range": [low, high],
        "today": today,
        "marks": [
            {"x": today * f, "label": label}
            for f, label in ((1, "today"), (10, "10×"), (100, "100×"))
            if today > 0 and low <= today * f <= high
        ],
        "series": series,
        "break_even": marker,
    }
