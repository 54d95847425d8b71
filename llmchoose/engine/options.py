"""Enumerate the options for one workload and compute each option's facts.

An option is one way to run a model: an API offering, or an open-weights model on a
runtime (on servers you rent: ``self-hosted``; on users' laptops, edge boxes or
browsers: ``on-device``). Every option exposes the attributes listed in
:mod:`llmchoose.engine.attributes`; ``None`` means the knowledge base does not know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from llmchoose.catalog import Catalog
from llmchoose.engine.cost import CostEstimate, api_monthly_cost, selfhost_monthly_cost
from llmchoose.engine.sizing import Deployment, SizingError, size_deployment
from llmchoose.engine.usage import Usage
from llmchoose.schemas.knowledge import Model, Offering, Runtime
from llmchoose.wording import retirement_phrase

__all__ = ["QUALITY_METRICS", "Option", "Unavailable", "enumerate_options", "quality_percentiles"]

# Leaderboards in order of preference; a model's quality comes from the first it has.
QUALITY_METRICS = ("lmarena-text", "aa-intelligence-index")
_SERVER = ("server", "workstation")
_DEVICE = ("laptop", "edge", "browser")


@dataclass
class Option:
    id: str
    name: str
    category: str
    facts: dict[str, Any]
    cost: CostEstimate
    deployment: Deployment | None = None
    provenance: dict[str, tuple[str, dt.date]] = field(default_factory=dict)


@dataclass(frozen=True)
class Unavailable:
    """An option that could not be built at all (say, the model fits no hardware)."""

    id: str
    name: str
    category: str
    reason: str


def quality_percentiles(catalog: Catalog) -> dict[str, tuple[float, str]]:
    """Each model's quality as a 0..1 position among models on the same leaderboard."""
    result: dict[str, tuple[float, str]] = {}
    for metric in QUALITY_METRICS:
        values = sorted(m.quality[metric] for m in catalog.models.values() if metric in m.quality)
        for model in catalog.models.values():
            if model.id in result or metric not in model.quality:
                continue
            v = model.quality[metric]
            below = sum(1 for x in values if x < v)
            same = sum(1 for x in values if x == v)
            # Mid-rank percentile: ties share a position; one model alone sits at 0.5.
            result[model.id] = (
                (below + (same - 1) / 2) / (len(values) - 1) if len(values) > 1 else 0.5,
                metric,
            )
    return result


def _days_until(day: dt.date | None, today: dt.date) -> int | None:
    return None if day is None else (day - today).days


def _model_facts(
    model: Model, quality: dict[str, tuple[float, str]], today: dt.date
) -> dict[str, Any]:
    q = quality.get(model.id)
    return {
        "model": model.id,
        "model_name": model.name,
        "vendor": model.vendor,
        "open_weights": model.open_weights,
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
        "modalities_input": list(model.modalities.input),
        "tool_calling": model.tool_calling,
        "structured_output": model.structured_output,
        "reasoning": model.reasoning,
        "quality": round(q[0], 4) if q else None,
        "quality_metric": q[1] if q else None,
        "licence_id": model.licence.id,
        "licence_commercial": model.licence.commercial_use,
        "licence_user_limit": model.licence.user_limit,
        "licence_has_user_limit": model.licence.user_limit is not None,
        "released": model.released,
        "deprecated": model.deprecated,
    }


def _model_provenance(model: Model) -> dict[str, tuple[str, dt.date]]:
    out = {}
    for path in ("context_window", "licence", "retires", "quality", "parameters", "architecture"):
        prov = model.provenance_of(path)
        out[f"model.{path}"] = (prov.source, prov.as_of)
    return out


def _api_option(
    catalog: Catalog,
    offering: Offering,
    usage: Usage,
    quality: dict,
    hosts: dict[str, int],
    today: dt.date,
) -> Option:
    model = catalog.models[offering.model]
    provider = catalog.providers[offering.provider]
    c = provider.compliance
    category = "hosted-open-weights" if model.open_weights else "proprietary-api"
    monthly = api_monthly_cost(offering, usage)
    scaled = [api_monthly_cost(offering, usage.scaled(f)) for f in (10, 100, usage.horizon_growth)]
    perf = offering.performance
    response = None
    if perf.ttft_s is not None and perf.output_tokens_per_s:
        response = perf.ttft_s + usage.output_tokens / perf.output_tokens_per_s
    retires = min([d for d in (offering.retires, model.retires) if d is not None], default=None)
    if model.open_weights:
        portability = "high"
    elif hosts.get(model.id, 0) >= 2:
        portability = "medium"
    else:
        portability = "low"
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
        **_model_facts(model, quality, today),
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
        "regions": list(offering.regions or provider.regions),
        "offline_capable": False,
        "runs_on_user_device": False,
        "fine_tuning_level": level,
        "fine_tune_weights": False,
        "hosted_fine_tuning": offering.fine_tuning,
        "lora_adapters": None,
        "monthly_cost": _round(monthly),
        "monthly_cost_10x": _round(scaled[0]),
        "monthly_cost_100x": _round(scaled[1]),
        "cost_structure": "per-token",
        "ttft_s": perf.ttft_s,
        "output_tokens_per_s": perf.output_tokens_per_s,
        "response_time_s": _round(response, 2),
        # An API key and an SDK call: a first answer within minutes.
        "setup_effort": "minutes",
        "openai_compatible": provider.openai_compatible,
        "sdk_languages": list(provider.sdks),
        "model_hosts": hosts.get(model.id, 0),
        "portability": portability,
        "retires": retires,
        "retirement": retirement_phrase(retires, today),
        "days_to_retirement": _days_until(retires, today),
        "status": offering.status,
        "runtime_maintenance": None,
    }
    provenance = _model_provenance(model)
    for path in ("price", "regions", "retires", "performance", "fine_tuning"):
        prov = offering.provenance_of(path)
        provenance[f"offering.{path}"] = (prov.source, prov.as_of)
    prov = provider.provenance_of("compliance")
    provenance["provider.compliance"] = (prov.source, prov.as_of)
    cost = CostEstimate(
        monthly=facts["monthly_cost"],
        monthly_10x=facts["monthly_cost_10x"],
        monthly_100x=facts["monthly_cost_100x"],
        at_horizon=_round(scaled[2]),
        structure="per-token",
        breakdown={"tokens": facts["monthly_cost"]} if monthly is not None else {},
    )
    return Option(
        id=offering.id,
        name=facts["name"],
        category=category,
        facts=facts,
        cost=cost,
        provenance=provenance,
    )


def _api_name(offering: Offering, model: Model, provider) -> str:
    name = f"{model.name} on {provider.name}"
    # A regional variant (azure-openai/gpt-4o-eu) shares model and provider with its
    # sibling; say where it runs so the two are told apart.
    if offering.id != f"{offering.provider}/{offering.model}" and offering.regions:
        name += f" ({', '.join(r.upper() for r in offering.regions)})"
    return name


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _own_option(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    usage: Usage,
    quality: dict,
    today: dt.date,
    *,
    on_device: bool,
) -> Option | Unavailable:
    category = "on-device" if on_device else "self-hosted"
    option_id = f"{runtime.id}/{model.id}" + ("@device" if on_device else "")
    where = "on users' devices" if on_device else "on your servers"
    name = f"{model.name} with {runtime.name} {where}"
    try:
        deployment = size_deployment(catalog, model, runtime, usage, on_device=on_device)
    except SizingError as exc:
        return Unavailable(id=option_id, name=name, category=category, reason=str(exc))
    hours = catalog.assumption("hours-per-month", 730.0)

    def monthly_at(u: Usage) -> float | None:
        if on_device:
            return 0.0
        try:
            sized = size_deployment(catalog, model, runtime, u, on_device=False)
        except SizingError:
            return None
        return selfhost_monthly_cost(sized.hourly_cost, u, hours)

    monthly = 0.0 if on_device else selfhost_monthly_cost(deployment.hourly_cost, usage, hours)
    hardware = catalog.hardware[deployment.hardware]
    response = None
    if deployment.ttft_s is not None:
        response = deployment.ttft_s + usage.output_tokens / deployment.output_tokens_per_s
    facts = {
        "id": option_id,
        "name": name,
        "category": category,
        "provider": None,
        "provider_name": "your own devices' users" if on_device else "your own infrastructure",
        "runtime": runtime.id,
        "deployment": hardware.hw_class if on_device else "server",
        "hardware": hardware.id,
        "hardware_count": deployment.count,
        "quantization": deployment.quantization,
        **_model_facts(model, quality, today),
        # No third party sees the data, so vendor obligations are met by having no vendor;
        # your own controls and audits still apply.
        "data_leaves_infrastructure": False,
        "trains_on_api_data": False,
        "retention_days": 0,
        "zero_data_retention": "default",
        "zero_retention_possible": True,
        "hipaa_baa": True,
        "eu_data_residency": True,
        "soc2_type2": True,
        "iso27001": True,
        "gdpr_dpa": True,
        "regions": [],
        "offline_capable": bool(runtime.offline),
        "runs_on_user_device": on_device,
        "fine_tuning_level": "full",
        "fine_tune_weights": True,
        "hosted_fine_tuning": False,
        "lora_adapters": runtime.lora_adapters,
        "monthly_cost": _round(monthly),
        "monthly_cost_10x": _round(monthly_at(usage.scaled(10))),
        "monthly_cost_100x": _round(monthly_at(usage.scaled(100))),
        "cost_structure": "user-device" if on_device else "hardware-hours",
        "ttft_s": deployment.ttft_s,
        "output_tokens_per_s": deployment.output_tokens_per_s,
        "response_time_s": _round(response, 2),
        "setup_effort": _own_setup_effort(runtime.setup_effort, deployment, on_device),
        "openai_compatible": runtime.openai_compatible,
        "sdk_languages": [],
        "model_hosts": None,
        "portability": "high",
        # Downloaded weights do not retire; only a vendor's hosted API does.
        "retires": None,
        "retirement": None,
        "days_to_retirement": None,
        "status": "ga",
        "runtime_maintenance": runtime.maintenance,
    }
    provenance = _model_provenance(model)
    prov = hardware.provenance_of("price_per_hour")
    provenance["hardware.price_per_hour"] = (prov.source, prov.as_of)
    prov = runtime.provenance_of("setup_effort")
    provenance["runtime.setup_effort"] = (prov.source, prov.as_of)
    horizon = 0.0 if on_device else monthly_at(usage.scaled(usage.horizon_growth))
    breakdown = (
        {}
        if on_device
        else {
            "hardware": round(deployment.hourly_cost * hours, 2),
            "operations": round(usage.ops_hours_per_month * usage.engineer_hourly_rate, 2),
        }
    )
    cost = CostEstimate(
        monthly=facts["monthly_cost"],
        monthly_10x=facts["monthly_cost_10x"],
        monthly_100x=facts["monthly_cost_100x"],
        at_horizon=_round(horizon),
        structure=facts["cost_structure"],
        breakdown=breakdown,
    )
    return Option(
        id=option_id,
        name=name,
        category=category,
        facts=facts,
        cost=cost,
        deployment=deployment,
        provenance=provenance,
    )


_EFFORT = ("minutes", "hours", "days", "weeks")


def _own_setup_effort(
    runtime_effort: str | None, deployment: Deployment, on_device: bool
) -> str | None:
    """A runtime's own effort is for one machine; a production server takes longer.

    Installing a runtime on a laptop can take minutes, but a served deployment needs at
    least hours (a machine, an API, monitoring), and one that spans several GPUs or
    replicas needs days of sizing, networking and testing.
    """
    if runtime_effort is None:
        return None
    floor = "minutes"
    if not on_device:
        floor = "days" if deployment.count > 1 or deployment.replicas > 1 else "hours"
    return max(runtime_effort, floor, key=_EFFORT.index)


def _runs(runtime: Runtime, model: Model) -> bool:
    return model.open_weights and (
        runtime.supported_models is None or model.id in runtime.supported_models
    )


def enumerate_options(
    catalog: Catalog, usage: Usage, today: dt.date
) -> tuple[list[Option], list[Unavailable]]:
    """Every option the catalogue offers for this usage, in a stable order."""
    quality = quality_percentiles(catalog)
    hosts: dict[str, int] = {}
    for offering in catalog.offerings.values():
        hosts[offering.model] = hosts.get(offering.model, 0) + 1
    options: list[Option] = []
    unavailable: list[Unavailable] = []
    for offering in catalog.records("offerings"):
        options.append(_api_option(catalog, offering, usage, quality, hosts, today))
    for runtime in catalog.records("runtimes"):
        for model in catalog.records("models"):
            if not _runs(runtime, model):
                continue
            for on_device, kinds in ((False, _SERVER), (True, _DEVICE)):
                if not set(kinds) & set(runtime.deployments):
                    continue
                built = _own_option(
                    catalog, model, runtime, usage, quality, today, on_device=on_device
                )
                (options if isinstance(built, Option) else unavailable).append(built)
    return options, unavailable
