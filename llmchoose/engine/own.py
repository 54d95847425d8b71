"""Self-hosted and on-device options: open weights on a runtime, on servers you rent or
own (``self-hosted``) or on users' laptops, phones and browsers (``on-device``).

Building such an option sizes its deployment, which is the costly part of enumerating
the catalogue; :data:`SIZED_FACTS` names what sizing adds, so rules that read none of it
can rule an option out first (:func:`own_option` with ``early``). Which GPUs a server
runs on, and so whose certifications and contracts come with them (a GPU cloud's, or none
on GPUs the team owns), is one of the things sizing decides (see :mod:`.rental`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from llmchoose.engine.calibration import error_band, matching_measurement
from llmchoose.engine.constraints import Elimination
from llmchoose.engine.cost import CostEstimate, selfhost_monthly_at, selfhost_monthly_cost
from llmchoose.engine.option import (
    READING_RATE_DEFAULT,
    READING_RATE_ID,
    Option,
    Unavailable,
    answer_wait,
    model_facts,
    model_provenance,
    quality_ceiling,
    round_or_none,
)
from llmchoose.engine.rental import OWN_PAPER, hardware_paper, rental_provenance
from llmchoose.engine.sizing import (
    Deployment,
    Instance,
    SizingError,
    power_hourly,
    size_deployment,
)
from llmchoose.engine.usage import Usage
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Model, Runtime
from llmchoose.schemas.vocabulary import ON_DEVICE, SELF_HOSTED

__all__ = [
    "OWN_WEIGHTS",
    "SIZED_FACTS",
    "EarlyRules",
    "RuledOut",
    "own_id",
    "own_option",
    "runs",
    "server_cost",
    "sized_runtime_facts",
    "speed_facts",
    "static_runtime_facts",
]

# The weights are the team's copy, wherever they run (own servers, users' devices, a
# managed endpoint): it may fine-tune them and deploy the result, and downloaded weights
# do not retire; only a vendor's hosted API does.
OWN_WEIGHTS: dict[str, Any] = {
    "fine_tuning_level": "full",
    "fine_tune_weights": True,
    "hosted_fine_tuning": False,
    "model_hosts": None,
    "portability": "high",
    "retires": None,
    "retirement": None,
    "days_to_retirement": None,
    "status": "ga",
}

# No model vendor sees the prompts: they reach only the team's own copy of the weights.
# Whether a GPU cloud holds the machines is decided by sizing (OWN_PAPER or the cloud's).
#
# data_leaves_infrastructure stays False on rented GPUs too: the team runs the server in
# its own cloud account, as with a managed endpoint, and the data location question counts
# a cloud account as the team's own infrastructure. What renting changes is whose
# certifications and contracts the deployment rests on, which the compliance facts carry.
_NO_VENDOR: dict[str, Any] = {
    "provider": None,
    "data_leaves_infrastructure": False,
    "trains_on_api_data": False,
    "retention_days": 0,
    "zero_data_retention": "default",
    "zero_retention_possible": True,
    "sdk_languages": [],
    **OWN_WEIGHTS,
}


# Facts of a self-hosted or on-device option that only sizing the deployment can give.
# Rules that read none of them can rule an option out before it is sized.
SIZED_FACTS = frozenset(
    {
        "deployment",
        "device_memory_gb",
        "hardware",
        "hardware_count",
        "quantization",
        "monthly_cost",
        "monthly_cost_10x",
        "monthly_cost_100x",
        "cost_structure",
        "ttft_s",
        "output_tokens_per_s",
        "response_time_s",
        "answer_wait_s",
        "speed_basis",
        "speed_error_band",
        "speed_measurement",
        "speed_method",
        "predicted_output_tokens_per_s",
        "predicted_ttft_s",
        "serving_limit",
        "owned_gpus_used",
        "setup_effort",
        # On servers, the cloud the GPUs are rented from (or none, on owned GPUs).
        *OWN_PAPER,
    }
)

# Given an option's static facts, the reasons the early rules rule it out (none: keep it).
EarlyRules = Callable[[Mapping[str, Any]], list[Elimination]]


@dataclass(frozen=True)
class RuledOut:
    """An option a rule ruled out before it was sized: its facts stop short of sizing."""

    option: Option
    reasons: list[Elimination]


def own_id(model: Model, runtime: Runtime, on_device: bool) -> str:
    return f"{runtime.id}/{model.id}" + ("@device" if on_device else "")


def _own_static_facts(
    model: Model,
    runtime: Runtime,
    quality: dict,
    today: dt.date,
    *,
    on_device: bool,
    ceiling: float | None = None,
) -> dict[str, Any]:
    """Everything known of a self-hosted or on-device option before it is sized."""
    return {
        "id": own_id(model, runtime, on_device),
        "name": f"{model.name} with {runtime.name} "
        + ("on users' devices" if on_device else "on your servers"),
        "category": ON_DEVICE if on_device else SELF_HOSTED,
        "provider_name": "your own devices' users" if on_device else "your own infrastructure",
        **model_facts(model, quality, today, ceiling),
        **_NO_VENDOR,
        **(OWN_PAPER if on_device else {}),
        "runs_on_user_device": on_device,
        **static_runtime_facts(runtime),
    }


def static_runtime_facts(runtime: Runtime) -> dict[str, Any]:
    """The runtime's facts that do not depend on how the deployment is sized."""
    return {
        "runtime": runtime.id,
        "runtime_name": runtime.name,
        "runtime_licence": runtime.licence,
        "runtime_embeddable": runtime.embeddable,
        "runtime_maintenance": runtime.maintenance,
        "offline_capable": bool(runtime.offline),
        "lora_adapters": runtime.lora_adapters,
        "openai_compatible": runtime.openai_compatible,
    }


def own_option(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    usage: Usage,
    quality: dict,
    today: dt.date,
    *,
    on_device: bool,
    early: EarlyRules | None = None,
) -> Option | Unavailable | RuledOut:
    static = _own_static_facts(
        model,
        runtime,
        quality,
        today,
        on_device=on_device,
        ceiling=quality_ceiling(catalog, model),
    )
    option_id, name, category = static["id"], static["name"], static["category"]
    if early is not None and (reasons := early(static)):
        stub = Option(
            id=option_id,
            name=name,
            category=category,
            facts=static,
            cost=CostEstimate(None, None, None, None, "unknown", {}),
            provenance={},  # only its id, name and reasons are shown
        )
        return RuledOut(stub, reasons)
    try:
        deployment = size_deployment(catalog, model, runtime, usage, on_device=on_device)
    except SizingError as exc:
        return Unavailable(id=option_id, name=name, category=category, reason=str(exc))
    hardware = catalog.hardware[deployment.hardware]
    cost = server_cost(catalog, model, runtime, deployment, usage)
    facts = {
        **static,
        "deployment": hardware.hw_class if on_device else "server",
        "device_memory_gb": deployment.memory_gb if on_device else None,
        "hardware": hardware.id,
        "hardware_count": deployment.count,
        "quantization": deployment.quantization,
        "monthly_cost": cost.monthly,
        "monthly_cost_10x": cost.monthly_10x,
        "monthly_cost_100x": cost.monthly_100x,
        "cost_structure": cost.structure,
        **speed_facts(catalog, model, runtime, deployment, usage),
        **sized_runtime_facts(runtime, deployment),
    }
    rented = not on_device and deployment.rented_gpus > 0
    if not on_device:
        facts.update(hardware_paper(catalog, hardware.id, rented))
    provenance = model_provenance(model)
    prov = hardware.provenance_of("price_per_hour")
    provenance["hardware.price_per_hour"] = (prov.source, prov.as_of)
    if rented:
        provenance.update(rental_provenance(catalog, hardware.id))
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


def sized_runtime_facts(runtime: Runtime, deployment: Deployment) -> dict[str, Any]:
    return {
        "serving_limit": _serving_limit(runtime, deployment),
        "owned_gpus_used": deployment.owned_gpus or None,
        "setup_effort": _own_setup_effort(runtime.setup_effort, deployment, deployment.on_device),
    }


def server_cost(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    deployment: Deployment,
    usage: Usage,
    instances: tuple[Instance, ...] | None = None,
) -> CostEstimate:
    """Monthly cost today, at 10x and 100x and at the horizon; servers are re-sized at each
    volume (machines come whole), devices users own cost nothing. With ``instances`` (a
    managed endpoint) each replica is billed at its instance's hourly price."""
    if deployment.on_device:
        return CostEstimate(0.0, 0.0, 0.0, 0.0, "user-device", {})
    hours = catalog.assumption("hours-per-month", 730.0)

    def monthly_at(u: Usage) -> float | None:
        return round_or_none(selfhost_monthly_at(catalog, model, runtime, u, instances))

    monthly = round_or_none(selfhost_monthly_cost(deployment.hourly_cost, usage, hours))
    growth = usage.horizon_growth
    if instances:
        structure = "instance-hours"
    else:
        structure = "owned-hardware" if deployment.owned_gpus else "hardware-hours"
    return CostEstimate(
        monthly=monthly,
        monthly_10x=monthly_at(usage.scaled(10)),
        monthly_100x=monthly_at(usage.scaled(100)),
        at_horizon=monthly if growth == 1 else monthly_at(usage.scaled(growth)),
        structure=structure,
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


def speed_facts(
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
        "answer_wait_s": answer_wait(
            ttft,
            speed,
            usage.output_tokens,
            interactive=usage.interactive,
            reading_rate=catalog.assumption(READING_RATE_ID, READING_RATE_DEFAULT),
        ),
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


def runs(runtime: Runtime, model: Model) -> bool:
    return model.open_weights and (
        runtime.supported_models is None or model.id in runtime.supported_models
    )
