"""Where self-hosting a model costs no more than an API: exact crossings of the two costs."""

from __future__ import annotations

import math

from llmchoose.engine.cost import api_monthly_cost, break_even_points
from llmchoose.engine.rental import rent_price
from llmchoose.engine.sizing import SizingError, cached_plan, power_hourly
from llmchoose.engine.sizingstore import remembered
from llmchoose.engine.usage import Usage
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Model, Offering, Runtime

__all__ = ["break_even_crossings", "replica_plans"]


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


def replica_plans(
    catalog: Catalog, model: Model, runtime: Runtime, usage: Usage
) -> list[tuple[float, float, int, float]]:
    """(requests/s one replica takes, USD per hour of a rented replica, replicas the
    owned GPUs make up, USD per hour of such a replica) for every server configuration
    that fits and meets the latency need: the pieces of the self-hosted cost, a step
    function of volume (see :func:`llmchoose.engine.cost.break_even_points`).
    """
    found = remembered(
        catalog,
        usage,
        f"plans|{model.id}|{runtime.id}",
        lambda: _replica_plans(catalog, model, runtime, usage),
        lambda v: {"error": str(v)} if isinstance(v, SizingError) else {"plans": v},
        _decode_plans,
    )
    if isinstance(found, SizingError):
        raise found
    return found


def _decode_plans(data: dict) -> list[tuple[float, float, int, float]] | SizingError:
    if "error" in data:
        return SizingError(str(data["error"]))
    plans = [tuple(plan) for plan in data["plans"]]
    if not all(len(p) == 4 and all(isinstance(x, float | int) for x in p) for p in plans):
        raise ValueError("not a list of replica plans")
    return plans


def _replica_plans(
    catalog: Catalog, model: Model, runtime: Runtime, usage: Usage
) -> list[tuple[float, float, int, float]] | SizingError:
    try:
        plan = cached_plan(catalog, model, runtime, usage, False)
    except SizingError as exc:
        return exc
    served, cfg = plan.served, plan.cfg
    out = []
    for i, hw in enumerate(cfg.hardware):
        if served["fits"][i] and served["rate"][i] > 0:
            count = int(cfg.counts[i])
            price = rent_price(catalog, hw, usage.vendor_must)
            rent = price * count if price is not None else math.inf
            owned = usage.owned_gpu_count // count if usage.owned_gpu == hw.id else 0
            power = power_hourly(catalog, hw, count, usage)
            out.append((float(served["rate"][i]), rent, owned, power))
    return out
