"""The cost section of a workload: monthly cost now, at 10× and 100×, the break-even
between the best API and the best self-hosted option, and the data for its chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llmchoose.engine.recommend import RankedOption, WorkloadResult
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.formatting import money, requests
from llmchoose.report.costcurve import api_cost_fn, cost_curve, own_cost_fn
from llmchoose.schemas.vocabulary import API_CATEGORIES, CATEGORY_LABELS, ON_DEVICE, SELF_HOSTED

__all__ = [
    "API_KINDS",
    "breakdown_text",
    "cost_view",
    "sizing_text",
]

API_KINDS = API_CATEGORIES


def _category(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def _times(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{value:.1f}×" if value < 10 else f"{value:,.0f}×"


def sizing_text(deployment: Mapping[str, Any] | None, category: str = SELF_HOSTED) -> str | None:
    """The sized deployment in words; for devices, the least device that runs it."""
    if not deployment:
        return None
    if category == ON_DEVICE:
        return f"needs at least a {deployment['hardware_name']}, {deployment['quantization']}"
    replicas = deployment.get("replicas") or 1
    text = f"{deployment['count']} × {deployment['hardware_name']}, {deployment['quantization']}"
    if deployment.get("instance"):  # a managed endpoint's instance type holds the GPUs
        text = f"{deployment['instance']} ({text})"
    if replicas > 1:
        text = f"{replicas} replicas of " + text
    return text


def _break_even(result: WorkloadResult, api: RankedOption | None, own: RankedOption | None):
    if api is None or own is None or own.category != SELF_HOSTED:
        return None
    entry = next((b for b in result.break_even if b["api_option"] == api.id), None)
    if entry is None:
        return None
    volume = entry["requests_per_day"]
    today = result.usage.requests_per_day
    if volume is None:
        text = (
            f"Self-hosting {own.name} stays dearer than {api.name} at every volume up to "
            "a billion requests a day."
        )
        state = "never"
    elif today and volume <= today:
        text = (
            f"Self-hosting {own.name} is already cheaper than {api.name} at today's volume; "
            f"the two cost the same at about {requests(volume)} requests a day."
        )
        state = "already"
    else:
        times = f" ({_times(entry['times_today'])} today)" if entry.get("times_today") else ""
        text = (
            f"Self-hosting {own.name} becomes cheaper than {api.name} from about "
            f"{requests(volume)} requests a day{times}."
        )
        state = "later"
    return {
        "api": api.name,
        "own": own.name,
        "requests_per_day": volume,
        "times_today": entry.get("times_today"),
        "times_text": _times(entry.get("times_today")),
        "state": state,
        "text": text,
    }


# What each part of a monthly cost is, in the "Made of" column.
BREAKDOWN_LABELS = {"tokens": "API tokens", "hardware": "hardware", "operations": "operations time"}


def breakdown_text(parts: Mapping[str, float | None]) -> str:
    """The parts of a monthly cost: the part's name alone when there is one (the total
    is beside it), else each part with its amount, largest first."""
    known = {k: v for k, v in parts.items() if v is not None}
    if not known:
        return ""
    if len(known) == 1:
        return BREAKDOWN_LABELS.get(next(iter(known)), next(iter(known)))
    ordered = sorted(known.items(), key=lambda kv: (-kv[1], kv[0]))
    return " + ".join(f"{BREAKDOWN_LABELS.get(k, k)} {money(v)}" for k, v in ordered)


def cost_view(
    catalog: Catalog, result: WorkloadResult, shown: Sequence[RankedOption]
) -> dict[str, Any]:
    usage = result.usage
    best_api = next((r for r in result.ranked if r.category in API_KINDS), None)
    # The chart and break-even need a price: the best API option that has one.
    api = next(
        (r for r in result.ranked if r.category in API_KINDS and r.monthly_cost is not None),
        None,
    )
    own = next((r for r in result.ranked if r.category == SELF_HOSTED), None)
    growth = usage.horizon_growth
    rows = []
    for item in shown:
        breakdown = breakdown_text(item.cost_breakdown)
        rows.append(
            {
                "rank": result.standing(item).rank,
                "name": item.name,
                "category_label": _category(item.category),
                "today": money(item.monthly_cost),
                "x10": money(item.monthly_cost_10x),
                "x100": money(item.monthly_cost_100x),
                "horizon": money(item.monthly_cost_at_horizon),
                "breakdown": breakdown
                or ("no bill: users' own hardware" if item.category == ON_DEVICE else ""),
                "sizing": sizing_text(item.deployment, item.category),
            }
        )
    break_even = _break_even(result, api, own)
    curve = cost_curve(
        catalog, usage, api, own, break_even["requests_per_day"] if break_even else None
    )
    volumes = []
    for label, factor in (("Today", 1), ("10×", 10), ("100×", 100)):
        volumes.append((label, usage.requests_per_day * factor))
    if break_even and break_even["requests_per_day"]:
        volumes.append(("Break-even", float(break_even["requests_per_day"])))
    table = []
    if curve is not None:
        lookups = {s["kind"]: s for s in curve["series"]}
        for label, volume in sorted(volumes, key=lambda v: v[1]):
            row = {"label": label, "volume": requests(volume), "api": None, "own": None}
            for kind, option in (("api", api), ("own", own)):
                if kind in lookups and option is not None:
                    row[kind] = money(_nearest_cost(catalog, usage, option, volume))
            table.append(row)
    on_device = next((r for r in shown if r.category == ON_DEVICE), None)
    notes = []
    if best_api is not None and best_api is not api:
        notes.append(
            f"{best_api.name}, the best-ranked API option, has no known price for this "
            "usage, so the cost comparison uses "
            + (f"{api.name}, the best API option with one." if api else "no API option.")
        )
    if on_device:
        notes.append(
            f"{on_device.name} runs on hardware your users already own, so it has no "
            "per-request bill; the cost is the work of shipping and supporting it."
        )
    return {
        "rows": rows,
        "horizon": {
            "months": usage.horizon_months,
            "label": f"In {usage.horizon_months} month{'s' if usage.horizon_months != 1 else ''}",
            "growth": usage.growth_per_month,
            "show": bool(usage.growth_per_month),
            "factor": round(growth, 2),
        },
        "best_api": None
        if api is None
        else {"id": api.id, "name": api.name, "monthly": money(api.monthly_cost)},
        "best_own": None
        if own is None
        else {"id": own.id, "name": own.name, "monthly": money(own.monthly_cost)},
        "break_even": break_even,
        "curve": curve,
        "volumes": table,
        "notes": notes,
    }


def _nearest_cost(catalog: Catalog, usage: Any, item: RankedOption, volume: float) -> float | None:
    if item.category in API_KINDS:
        return api_cost_fn(catalog, item.id, usage)(volume)
    return own_cost_fn(catalog, item.option.facts if item.option else {}, usage)(volume)
