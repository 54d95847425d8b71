"""Enumerate the options for one workload and compute each option's facts (the option
type and the facts all options share are in :mod:`llmchoose.engine.option`).

An option is one way to run a model: an API offering, or an open-weights model on a
runtime (on servers you rent: ``self-hosted``; on users' laptops, edge boxes or
browsers: ``on-device``). Every option exposes the attributes listed in
:mod:`llmchoose.schemas.vocabulary`; ``None`` means the knowledge base does not know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from llmchoose.engine.cost import (
    CostEstimate,
    api_monthly_cost,
)
from llmchoose.engine.managed import ACCOUNT_SUFFIX, managed_options
from llmchoose.engine.option import (
    READING_RATE_DEFAULT,
    READING_RATE_ID,
    Option,
    Unavailable,
    answer_wait,
    days_until,
    model_facts,
    model_provenance,
    quality_ceiling,
    quality_percentiles,
    round_or_none,
)
from llmchoose.engine.own import SIZED_FACTS, EarlyRules, RuledOut, own_id, own_option, runs
from llmchoose.engine.usage import Usage
from llmchoose.engine.wording import retirement_phrase
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Model, Offering
from llmchoose.schemas.vocabulary import (
    HOSTED_OPEN_WEIGHTS,
    PROPRIETARY_API,
)

__all__ = ["SIZED_FACTS", "Enumeration", "RuledOut", "enumerate_options", "enumerate_screened"]

_SERVER = ("server", "workstation")
_DEVICE = ("laptop", "edge", "browser", "phone", "tablet", "desktop")


def _api_speed_facts(offering: Offering, usage: Usage, reading_rate: float) -> dict[str, Any]:
    """Measured speed, the typical answer time it implies, and what the figure rests on."""
    perf = offering.performance
    response = None
    if perf.ttft_s is not None and perf.output_tokens_per_s:
        response = perf.ttft_s + usage.output_tokens / perf.output_tokens_per_s
    wait = answer_wait(
        perf.ttft_s,
        perf.output_tokens_per_s,
        usage.output_tokens,
        interactive=usage.interactive,
        reading_rate=reading_rate,
    )
    basis = None
    if perf.known:
        # A sibling's figure is not this option's own: say so, so scorers can widen it.
        basis = "stand-in" if perf.stand_in else "measured"
    return {
        "ttft_s": perf.ttft_s,
        "output_tokens_per_s": perf.output_tokens_per_s,
        "response_time_s": round_or_none(response, 2),
        "answer_wait_s": wait,
        "speed_basis": basis,
        "speed_measured": perf.measured if perf.known else None,
        "speed_stand_in": perf.stand_in,
        "speed_method": perf.method if perf.known else None,
    }


def _api_portability(model: Model, hosts: dict[str, int]) -> str:
    """Open weights can move anywhere; a closed model served by several hosts can move host."""
    if model.open_weights:
        return "high"
    return "medium" if hosts.get(model.id, 0) >= 2 else "low"


def _api_compliance_facts(offering: Offering, provider) -> dict[str, Any]:
    c = provider.compliance
    return {
        "data_leaves_infrastructure": True,
        "trains_on_api_data": c.trains_on_api_data,
        "retention_days": c.retention_days,
        "zero_data_retention": c.zero_data_retention,
        "zero_retention_possible": None
        if c.zero_data_retention is None
        else c.zero_data_retention != "no" or c.retention_days == 0,
        "hipaa_baa": c.hipaa_baa,
        "eu_data_residency": ("eu" in offering.regions)
        if offering.regions
        else c.eu_data_residency,
        "soc2_type2": c.soc2_type2,
        "iso27001": c.iso27001,
        "gdpr_dpa": c.gdpr_dpa,
    }


def _api_option(
    catalog: Catalog,
    offering: Offering,
    usage: Usage,
    quality: dict,
    hosts: dict[str, int],
    today: dt.date,
    volumes: list[Usage],
) -> Option:
    """One API offering as an option; ``volumes`` are the usage at 10x, at 100x and at
    the end of the planning horizon."""
    model = catalog.models[offering.model]
    provider = catalog.providers[offering.provider]
    category = HOSTED_OPEN_WEIGHTS if model.open_weights else PROPRIETARY_API
    monthly = api_monthly_cost(offering, usage, today)
    scaled = [api_monthly_cost(offering, volume, today) for volume in volumes]
    retires = min([d for d in (offering.retires, model.retires) if d is not None], default=None)
    level = "hosted" if offering.fine_tuning else "none"
    facts = {
        "id": offering.id,
        "name": _api_name(offering, model, provider),
        "category": category,
        "provider": provider.id,
        "provider_name": provider.name,
        "runtime": None,
        "deployment": "api",
        "hardware": None,
        "hardware_count": None,
        "quantization": None,
        **model_facts(model, quality, today, quality_ceiling(catalog, model)),
        **_api_compliance_facts(offering, provider),
        "regions": list(offering.regions or provider.regions),
        "offline_capable": False,
        "runs_on_user_device": False,
        "fine_tuning_level": level,
        "fine_tune_weights": False,
        "hosted_fine_tuning": offering.fine_tuning,
        "lora_adapters": None,
        "monthly_cost": round_or_none(monthly),
        "monthly_cost_10x": round_or_none(scaled[0]),
        "monthly_cost_100x": round_or_none(scaled[1]),
        "cost_structure": "per-token",
        **_api_speed_facts(
            offering, usage, catalog.assumption(READING_RATE_ID, READING_RATE_DEFAULT)
        ),
        # An API key and an SDK call: a first answer within minutes.
        "setup_effort": "minutes",
        "openai_compatible": provider.openai_compatible,
        "sdk_languages": list(provider.sdks),
        "model_hosts": hosts.get(model.id, 0),
        "portability": _api_portability(model, hosts),
        "retires": retires,
        "retirement": retirement_phrase(retires, today),
        "days_to_retirement": days_until(retires, today),
        "status": offering.status,
        "runtime_maintenance": None,
    }
    cost = CostEstimate(
        monthly=facts["monthly_cost"],
        monthly_10x=facts["monthly_cost_10x"],
        monthly_100x=facts["monthly_cost_100x"],
        at_horizon=round_or_none(scaled[2]),
        structure="per-token",
        breakdown={"tokens": facts["monthly_cost"]} if monthly is not None else {},
    )
    return Option(
        id=offering.id,
        name=facts["name"],
        category=category,
        facts=facts,
        cost=cost,
        provenance=_api_provenance(model, offering, provider),
    )


def _api_provenance(model: Model, offering: Offering, provider) -> dict[str, tuple[str, dt.date]]:
    provenance = model_provenance(model)
    for path in ("price", "regions", "retires", "performance", "fine_tuning"):
        # A measured speed may be credited per figure (a probe overlay writes the leaves).
        leaf = "performance.output_tokens_per_s" if path == "performance" else path
        prov = offering.provenance_of(leaf)
        provenance[f"offering.{path}"] = (prov.source, prov.as_of)
    prov = provider.provenance_of("compliance")
    provenance["provider.compliance"] = (prov.source, prov.as_of)
    return provenance


def _api_name(offering: Offering, model: Model, provider) -> str:
    name = f"{model.name} on {provider.name}"
    # A regional variant (azure-openai/gpt-4o-eu) shares model and provider with its
    # sibling; say where it runs so the two are told apart.
    if offering.id != f"{offering.provider}/{offering.model}" and offering.regions:
        name += f" ({', '.join(r.upper() for r in offering.regions)})"
    return name


@dataclass
class Enumeration:
    """What the catalogue offers one workload: options built in full, options that do
    not fit any hardware, and options an early rule ruled out before sizing."""

    options: list[Option]
    unavailable: list[Unavailable]
    ruled_out: list[RuledOut]


def enumerate_options(
    catalog: Catalog, usage: Usage, today: dt.date
) -> tuple[list[Option], list[Unavailable]]:
    """Every option the catalogue offers for this usage, in a stable order, each built in
    full (sized where it runs on your own hardware)."""
    found = enumerate_screened(catalog, usage, today)
    return found.options, found.unavailable


def enumerate_screened(
    catalog: Catalog,
    usage: Usage,
    today: dt.date,
    *,
    early: EarlyRules | None = None,
    only: str | None = None,
) -> Enumeration:
    """Like :func:`enumerate_options`, but an own-hardware option that ``early`` rules
    out is not sized, and ``only`` builds just the option with that id."""
    quality = quality_percentiles(catalog)
    hosts: dict[str, int] = {}
    for offering in catalog.offerings.values():
        hosts[offering.model] = hosts.get(offering.model, 0) + 1
    found = Enumeration([], [], [])
    volumes = [usage.scaled(f) for f in (10, 100, usage.horizon_growth)]
    for offering in catalog.records("offerings"):
        if only is None or offering.id == only:
            found.options.append(
                _api_option(catalog, offering, usage, quality, hosts, today, volumes)
            )
    for runtime in catalog.records("runtimes"):
        for model in catalog.records("models"):
            if not runs(runtime, model):
                continue
            for on_device, kinds in ((False, _SERVER), (True, _DEVICE)):
                if not set(kinds) & set(runtime.deployments):
                    continue
                if not on_device and not usage.servers_allowed:
                    continue  # no network at all: servers cannot be reached, so skip sizing
                if only is not None and only != own_id(model, runtime, on_device):
                    continue
                built = own_option(
                    catalog, model, runtime, usage, quality, today, on_device=on_device, early=early
                )
                if isinstance(built, Option):
                    found.options.append(built)
                elif isinstance(built, RuledOut):
                    found.ruled_out.append(built)
                else:
                    found.unavailable.append(built)
    if only is None or only.endswith(ACCOUNT_SUFFIX):
        managed = managed_options(catalog, usage, today, early=early, only=only)
        found.options += managed.options
        found.unavailable += managed.unavailable
        found.ruled_out += managed.ruled_out
    return found
