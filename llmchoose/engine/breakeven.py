"""Where self-hosting a model costs no more than an API: exact crossings of the two costs."""

from __future__ import annotations

from llmchoose.engine.cost import api_monthly_cost, break_even_points
from llmchoose.engine.sizing import SizingError, replica_plans
from llmchoose.engine.usage import Usage
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Model, Offering, Runtime

__all__ = ["break_even_crossings"]


def break_even_crossings(
    catalog: Catalog, model: Model, runtime: Runtime, offering: Offering, usage: Usage
) -> list[float] | None:
    """Daily volumes where self-hosting ``model`` on ``runtime`` becomes no dearer than
    ``offering``; the first is the break-even. None when either cost is unknown."""
    per_month = api_monthly_cost(offering, usage.at_volume(1.0))
    if per_month is None:
        return None
    try:
        plans = replica_plans(catalog, model, runtime, usage)
    except SizingError:
        return None
    return break_even_points(
        plans,
        api_per_request_day=per_month,
        fixed_monthly=usage.ops_hours_per_month * usage.engineer_hourly_rate,
        peak_factor=usage.peak_factor,
        hours_per_month=catalog.assumption("hours-per-month", 730.0),
    )
