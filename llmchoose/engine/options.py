"""Enumerate the options for one workload and compute each option's facts (the option
type and the facts all options share are in :mod:`llmchoose.engine.option`).

An option is one way to run a model: an API offering, or an open-weights model on a
runtime (on servers you rent: ``self-hosted``; on users' laptops, edge boxes or
browsers: ``on-device``). Every option exposes the attributes listed in
:mod:`llmchoose.schemas.vocabulary`; ``None`` means the knowledge base does not know.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from llmchoose.engine.calibration import error_band, matching_measurement
from llmchoose.engine.cost import (
    CostEstimate,
    api_monthly_cost,
    selfhost_monthly_at,
    selfhost_monthly_cost,
)
from llmchoose.engine.option import (
    Option,
    Unavailable,
    days_until,
    model_facts,
    model_provenance,
    quality_percentiles,
    round_or_none,
)
from llmchoose.engine.sizing import (
    Deployment,
    SizingError,
    power_hourly,
    size_deployment,
)
from llmchoose.engine.usage import Usage
from llmchoose.engine.wording import retirement_phrase
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Model, Offering, Runtime
from llmchoose.schemas.vocabulary import (
    HOSTED_OPEN_WEIGHTS,
    ON_DEVICE,
    PROPRIETARY_API,
    SELF_HOSTED,
)

__all__ = ["enumerate_options"]

_SERVER = ("server", "workstation")
_DEVICE = ("laptop", "edge", "browser", "phone", "tablet", "desktop")


def _api_speed_facts(offering: Offering, usage: Usage) -> dict[str, Any]:
    """Measured speed, the typical answer time it implies, and what the figure rests on."""
    perf = offering.performance
    response = None
    if perf.ttft_s is not None and perf.output_tokens_per_s:
        response = perf.ttft_s + usage.output_tokens / perf.output_tokens_per_s
    basis = None
    if perf.known:
        # A sibling's figure is not this option's own: say so, so scorers can widen it.
        basis = "stand-in" if perf.stand_in else "measured"
    return {
        "ttft_s": perf.ttft_s,
        "output_tokens_per_s": perf.output_tokens_per_s,
        "response_time_s": round_or_none(response, 2),
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
) -> Option:
    model = catalog.models[offering.model]
    provider = catalog.providers[offering.provider]
    category = HOSTED_OPEN_WEIGHTS if model.open_weights else PROPRIETARY_API
    monthly = api_monthly_cost(offering, usage, today)
    scaled = [
        api_monthly_cost(offering, usage.scaled(f), today) for f in (10, 100, usage.horizon_growth)
    ]
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
        **model_facts(model, quality, today),
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
        **_api_speed_facts(offering, usage),
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
    provenance = model_provenance(model)
    for path in ("price", "regions", "retires", "performance", "fine_tuning"):
        # A measured speed may be credited per figure (a probe overlay writes the leaves).
        leaf = "performance.output_tokens_per_s" if path == "performance" else path
        prov = offering.provenance_of(leaf)
        provenance[f"offering.{path}"] = (prov.source, prov.as_of)
    prov = provider.provenance_of("compliance")
    provenance["provider.compliance"] = (prov.source, prov.as_of)
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
        provenance=provenance,
    )


def _api_name(offering: Offering, model: Model, provider) -> str:
    name = f"{model.name} on {provider.name}"
    # A regional variant (azure-openai/gpt-4o-eu) shares model and provider with its
    # sibling; say where it runs so the two are told apart.
    if offering.id != f"{offering.provider}/{offering.model}" and offering.regions:
        name += f" ({', '.join(r.upper() for r in offering.regions)})"
    return name


# Own hardware has no vendor, so vendor obligations are met by having none; the team's
# own controls and audits still apply.
_NO_VENDOR: dict[str, Any] = {
    "provider": None,
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
    "fine_tuning_level": "full",
    "fine_tune_weights": True,
    "hosted_fine_tuning": False,
    "sdk_languages": [],
    "model_hosts": None,
    "portability": "high",
    # Downloaded weights do not retire; only a vendor's hosted API does.
    "retires": None,
    "retirement": None,
    "days_to_retirement": None,
    "status": "ga",
}


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
    category = ON_DEVICE if on_device else SELF_HOSTED
    option_id = f"{runtime.id}/{model.id}" + ("@device" if on_device else "")
    where = "on users' devices" if on_device else "on your servers"
    name = f"{model.name} with {runtime.name} {where}"
    try:
        deployment = size_deployment(catalog, model, runtime, usage, on_device=on_device)
    except SizingError as exc:
        return Unavailable(id=option_id, name=name, category=category, reason=str(exc))
    hardware = catalog.hardware[deployment.hardware]
    cost = _own_cost(catalog, model, runtime, deployment, usage)
    facts = {
        "id": option_id,
        "name": name,
        "category": category,
        "provider_name": "your own devices' users" if on_device else "your own infrastructure",
        "deployment": hardware.hw_class if on_device else "server",
        "device_memory_gb": deployment.memory_gb if on_device else None,
        "hardware": hardware.id,
        "hardware_count": deployment.count,
        "quantization": deployment.quantization,
        **model_facts(model, quality, today),
        **_NO_VENDOR,
        "runs_on_user_device": on_device,
        "monthly_cost": cost.monthly,
        "monthly_cost_10x": cost.monthly_10x,
        "monthly_cost_100x": cost.monthly_100x,
        "cost_structure": cost.structure,
        **_speed_facts(catalog, model, runtime, deployment, usage),
        **_runtime_facts(runtime, deployment),
    }
    provenance = model_provenance(model)
    prov = hardware.provenance_of("price_per_hour")
    provenance["hardware.price_per_hour"] = (prov.source, prov.as_of)
    prov = runtime.provenance_of("setup_effort")
    provenance["runtime.setup_effort"] = (prov.source, prov.as_of)
    return Option(
        id=option_id,
        name=name,
        category=category,
        facts=facts,
        cost=cost,
        deployment=deployment,
        provenance=provenance,
    )


def _runtime_facts(runtime: Runtime, deployment: Deployment) -> dict[str, Any]:
    return {
        "runtime": runtime.id,
        "runtime_name": runtime.name,
        "runtime_licence": runtime.licence,
        "runtime_embeddable": runtime.embeddable,
        "runtime_maintenance": runtime.maintenance,
        "offline_capable": bool(runtime.offline),
        "lora_adapters": runtime.lora_adapters,
        "openai_compatible": runtime.openai_compatible,
        "serving_limit": _serving_limit(runtime, deployment),
        "owned_gpus_used": deployment.owned_gpus or None,
        "setup_effort": _own_setup_effort(runtime.setup_effort, deployment, deployment.on_device),
    }


def _own_cost(
    catalog: Catalog, model: Model, runtime: Runtime, deployment: Deployment, usage: Usage
) -> CostEstimate:
    """Monthly cost today, at 10x and 100x and at the horizon; servers are re-sized at each
    volume (machines come whole), devices users own cost nothing."""
    if deployment.on_device:
        return CostEstimate(0.0, 0.0, 0.0, 0.0, "user-device", {})
    hours = catalog.assumption("hours-per-month", 730.0)

    def monthly_at(u: Usage) -> float | None:
        return round_or_none(selfhost_monthly_at(catalog, model, runtime, u))

    monthly = round_or_none(selfhost_monthly_cost(deployment.hourly_cost, usage, hours))
    growth = usage.horizon_growth
    return CostEstimate(
        monthly=monthly,
        monthly_10x=monthly_at(usage.scaled(10)),
        monthly_100x=monthly_at(usage.scaled(100)),
        at_horizon=monthly if growth == 1 else monthly_at(usage.scaled(growth)),
        structure="owned-hardware" if deployment.owned_gpus else "hardware-hours",
        breakdown=_breakdown(catalog, deployment, usage, hours),
    )


def _breakdown(
    catalog: Catalog, deployment: Deployment, usage: Usage, hours: float
) -> dict[str, float]:
    """Monthly cost parts: power for GPUs the team owns, rent for the others, people."""
    hardware = catalog.hardware[deployment.hardware]
    power = power_hourly(catalog, hardware, deployment.owned_gpus, usage) * hours
    parts = {
        "power": round(power, 2),
        "hardware": round(deployment.hourly_cost * hours - power, 2),
        "operations": round(usage.ops_hours_per_month * usage.engineer_hourly_rate, 2),
    }
    return {name: value for name, value in parts.items() if value or name != "power"}


def _speed_facts(
    catalog: Catalog, model: Model, runtime: Runtime, deployment: Deployment, usage: Usage
) -> dict[str, Any]:
    """Time to first token and tokens/s: measured where this exact configuration was
    measured, otherwise predicted by the serving model with its error band."""
    measured = matching_measurement(
        catalog,
        model=model.id,
        runtime=runtime.id,
        hardware=deployment.hardware,
        count=deployment.count,
        quantization=deployment.quantization,
        concurrency=deployment.peak_concurrency,
    )
    band: float | None
    speed, ttft, basis, band = (
        deployment.output_tokens_per_s,
        deployment.ttft_s,
        "predicted",
        error_band(catalog),
    )
    if measured is not None:
        basis = "stand-in" if measured.measured_model else "measured"
        speed, band = measured.output_tokens_per_s, None
        ttft = measured.ttft_s if measured.ttft_s is not None else ttft
    response = None if ttft is None else ttft + usage.output_tokens / speed
    return {
        "ttft_s": ttft,
        "output_tokens_per_s": speed,
        "response_time_s": round_or_none(response, 2),
        "speed_basis": basis,
        "speed_error_band": band,
        "speed_measurement": measured.id if measured is not None else None,
        "speed_method": measured.method if measured is not None else None,
        # Kept beside a measured figure so reports can show how far the prediction was off.
        "predicted_output_tokens_per_s": deployment.output_tokens_per_s,
        "predicted_ttft_s": deployment.ttft_s,
    }


def _serving_limit(runtime: Runtime, deployment: Deployment) -> str | None:
    """What caps the requests one replica serves at once, with the setting to change."""
    if deployment.on_device:
        return None
    n = deployment.max_concurrency
    if deployment.batch_limit == "runtime-slots":
        text = f"{runtime.name} serves up to {n} request{'s' if n != 1 else ''} at once per replica"
        if runtime.parallel_setting:
            text += f" by default; {runtime.parallel_setting} raises it if memory allows"
        return text
    return f"memory for the KV cache holds {n} request{'s' if n != 1 else ''} at once per replica"


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
                if not on_device and not usage.servers_allowed:
                    continue  # no network at all: servers cannot be reached, so skip sizing
                built = _own_option(
                    catalog, model, runtime, usage, quality, today, on_device=on_device
                )
                if isinstance(built, Option):
                    options.append(built)
                else:
                    unavailable.append(built)
    from llmchoose.engine.managed import managed_options  # it imports this module

    managed, not_built = managed_options(catalog, usage, today)
    return options + managed, unavailable + not_built
