"""Monthly cost of an option for a usage profile, and where self-hosting breaks even.

- API: requests per month × the cost of one request at the prices in force on the
  evaluation date (long-prompt tier, cached input, batch discount: see ``pricing``).
- Self-hosted: hardware hours for the replicas the peak needs (machines run all month)
  plus the operations allowance: engineer hours × hourly rate.
- On-device: runs on hardware users already own: no hardware bill and no servers to run.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from llmchoose.engine.pricing import request_cost
from llmchoose.engine.sizing import Instance, hourly_cost
from llmchoose.engine.usage import DAYS_PER_MONTH, Usage
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Model, Offering, Runtime

__all__ = [
    "CostEstimate",
    "api_monthly_cost",
    "break_even_points",
    "break_even_volume",
    "selfhost_monthly_at",
    "selfhost_monthly_cost",
]

HOURS_PER_MONTH = 730.0


@dataclass(frozen=True)
class CostEstimate:
    monthly: float | None
    monthly_10x: float | None
    monthly_100x: float | None
    at_horizon: float | None  # at the volume the growth answer gives by the horizon
    structure: str  # per-token, hardware-hours, user-device
    breakdown: dict[str, float]


def api_monthly_cost(
    offering: Offering, usage: Usage, today: dt.date | None = None
) -> float | None:
    """Monthly API bill at the prices in force on ``today`` (see :mod:`.pricing`).

    Without a date the offering's ``price`` is used as stored, scheduled changes aside.
    """
    per_request = request_cost(
        offering,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        day=today,
        cached_share=usage.cached_share,
        batch=usage.batch,
    )
    if per_request is None:
        return None
    return per_request * usage.requests_per_day * DAYS_PER_MONTH


def selfhost_monthly_cost(
    hourly: float, usage: Usage, hours_per_month: float = HOURS_PER_MONTH
) -> float:
    return hourly * hours_per_month + usage.ops_hours_per_month * usage.engineer_hourly_rate


def selfhost_monthly_at(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    usage: Usage,
    instances: tuple[Instance, ...] | None = None,
) -> float | None:
    """USD per month of the servers sized for ``usage`` (re-sized at each volume: machines
    come whole); None when no hardware fits. The one place own-server cost at a volume
    is worked out; with ``instances``, on a managed endpoint's instance types."""
    hourly = hourly_cost(catalog, model, runtime, usage, instances)
    if hourly is None:
        return None
    return selfhost_monthly_cost(hourly, usage, catalog.assumption("hours-per-month", 730.0))


def break_even_volume(
    self_cost: Callable[[float], float | None],
    api_cost_per_request: float,
    *,
    low: float = 1.0,
    high: float = 1e9,
    steps: int = 160,
) -> float | None:
    """The smallest daily request volume at which self-hosting costs no more than the API.

    ``self_cost(volume)`` is a step function (machines come whole), so the search scans a
    log-spaced grid — the same grid for every API, so callers can cache ``self_cost`` —
    and refines the first crossing: inside one step the cost is flat and the crossing is
    solved exactly; across steps it is found by bisection. Returns None when
    self-hosting stays dearer up to ``high``.
    """
    if api_cost_per_request <= 0:
        return None
    rate = api_cost_per_request * DAYS_PER_MONTH  # API cost per month per request/day

    def gap(volume: float) -> float | None:
        own = self_cost(volume)
        return None if own is None else own - rate * volume

    previous = low
    for i in range(steps + 1):
        volume = low * (high / low) ** (i / steps)
        value = gap(volume)
        if value is None:
            return None
        if value <= 0:
            if i == 0:
                return low
            lo, hi = previous, volume
            flat = self_cost(lo)
            if flat is not None and flat == self_cost(hi):
                return max(lo, min(hi, flat / rate))
            for _ in range(30):
                mid = math.sqrt(lo * hi)
                g = gap(mid)
                if g is not None and g <= 0:
                    hi = mid
                else:
                    lo = mid
            return hi
        previous = volume
    return None


def break_even_points(
    plans: Sequence[tuple[float, ...]],
    *,
    api_per_request_day: float,
    fixed_monthly: float,
    peak_factor: float,
    hours_per_month: float = HOURS_PER_MONTH,
    high: float = 1e9,
    max_steps: int = 20_000,
) -> list[float]:
    """Every daily volume up to ``high`` where self-hosting becomes no dearer than the
    API: the first is the break-even, later ones follow a new machine's step up.

    ``plans`` are (requests/s one replica takes, USD per hour of one replica), optionally
    followed by (replicas the team already owns, USD per hour of such a replica): the
    first owned replicas cost their own price, further ones the first. The cheapest plan
    serves each volume, so the self-hosted cost is a step function of volume: n replicas
    serve ((n-1)u, nu] at a monthly level L_n, against the API's straight line
    ``api_per_request_day x volume``. On step n the line reaches L_n at L_n / slope, so that
    plan is no dearer on [max((n-1)u, L_n / slope), nu]; the answer is where the union over
    plans starts and restarts. Exact, no grid.
    """
    slope = api_per_request_day
    if slope <= 0:
        return []
    intervals: list[tuple[float, float]] = []
    for plan in plans:
        rate, hourly = plan[0], plan[1]
        owned, owned_hourly = (int(plan[2]), plan[3]) if len(plan) > 3 else (0, 0.0)
        if rate <= 0 or (not math.isfinite(hourly) and owned == 0):
            continue
        per_replica = rate * 86_400 / peak_factor  # requests/day one replica carries
        # Owned replicas, one step at a time (there are at most as many as owned GPUs).
        for n in range(1, owned + 1):
            level = n * owned_hourly * hours_per_month + fixed_monthly
            _add_step(intervals, n, per_replica, level / slope, high, last=False)
        if not math.isfinite(hourly):
            continue
        # Beyond them every replica costs the same: L_n = n x step + a fixed part.
        step_cost = hourly * hours_per_month
        fixed = fixed_monthly + owned * (owned_hourly - hourly) * hours_per_month
        margin = slope * per_replica - step_cost  # API cost minus machine cost per step
        if margin <= 0:
            continue  # the line never catches up with these steps
        first = max(owned + 1, math.ceil(fixed / margin - 1e-12))
        joined = max(first, math.ceil((fixed + slope * per_replica) / margin - 1e-12))
        last = min(joined, first + max_steps, math.ceil(high / per_replica) + 1)
        for n in range(first, last + 1):
            crossing = (n * step_cost + fixed) / slope
            _add_step(intervals, n, per_replica, crossing, high, last=n == joined)
    intervals.sort()
    starts: list[float] = []
    reach = -math.inf
    for low, top in intervals:
        if low > reach:
            starts.append(low)
        reach = max(reach, top)
    return starts


def _add_step(
    intervals: list[tuple[float, float]],
    n: int,
    per_replica: float,
    crossing: float,
    high: float,
    *,
    last: bool,
) -> None:
    """The volumes of step n (((n-1)u, nu]) where the API line is at or above the step;
    from the ``last`` step on, the line stays above every later step."""
    low = max((n - 1) * per_replica, crossing)
    top = math.inf if last else n * per_replica
    if low <= top and low <= high:
        intervals.append((low, top))
