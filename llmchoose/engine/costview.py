"""`llmchoose cost`: what a load would cost on chosen options, without any ranking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from llmchoose.engine.breakeven import break_even_crossings
from llmchoose.engine.options import enumerate_options
from llmchoose.engine.usage import Usage
from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.vocabulary import API_CATEGORIES, SELF_HOSTED

__all__ = ["cost_rows"]


def cost_rows(
    catalog: Catalog,
    usage: Usage,
    *,
    as_of: dt.date,
    option_ids: list[str] | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    """Monthly cost of each option at the usage, 10× and 100×, cheapest first.

    Each self-hosted row also says where it breaks even with each API row listed.
    """
    options, unavailable = enumerate_options(catalog, usage, as_of)
    known = {o.id: o for o in options}
    missing = {u.id: u for u in unavailable}
    chosen = list(known.values())
    if option_ids:
        chosen = []
        for option_id in option_ids:
            if option_id in known:
                chosen.append(known[option_id])
            elif option_id in missing:
                raise InputError(
                    f"option '{option_id}' cannot be costed: {missing[option_id].reason}"
                )
            else:
                raise InputError(
                    f"unknown option '{option_id}'",
                    hint=did_you_mean(option_id, list(known) + list(missing))
                    or "see `llmchoose kb list --kind offerings`",
                )
    if category:
        chosen = [o for o in chosen if o.category == category]
    chosen.sort(key=lambda o: (o.cost.monthly is None, o.cost.monthly or 0.0, o.id))
    apis = [o for o in chosen if o.category in API_CATEGORIES]
    rows = []
    for option in chosen:
        row: dict[str, Any] = {
            "id": option.id,
            "category": option.category,
            "monthly": option.cost.monthly,
            "monthly_10x": option.cost.monthly_10x,
            "monthly_100x": option.cost.monthly_100x,
            "structure": option.cost.structure,
            "breakdown": option.cost.breakdown,
        }
        if option.deployment is not None:
            d = option.deployment
            replicas = f"{d.replicas} replicas of " if d.replicas > 1 else ""
            machine = (
                f"{d.instance} ({d.count} × {d.hardware_name})"
                if d.instance
                else (f"{d.count} × {d.hardware_name}")
            )
            row["deployment"] = f"{replicas}{machine}, {d.quantization}"
        if option.category == SELF_HOSTED and apis:
            model = catalog.models[option.facts["model"]]
            runtime = catalog.runtimes[option.facts["runtime"]]

            row["break_even"] = {}
            for api in apis[:5]:
                offering = catalog.offerings[api.id]
                crossings = break_even_crossings(catalog, model, runtime, offering, usage)
                if crossings is not None:
                    row["break_even"][api.id] = round(crossings[0]) if crossings else None
        rows.append(row)
    return {"usage": usage.__dict__, "rows": rows}
