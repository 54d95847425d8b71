"""Open weights on a managed endpoint inside the team's own cloud account.

A cloud's managed service (SageMaker AI real-time endpoints, Vertex AI Model Garden
self-deployed endpoints, Azure Machine Learning managed online endpoints) runs an
open-weights model on instance types the team chooses, inside the team's account, project
or subscription. Prompts stay in that account and region; the cloud operates the server,
the container and the scaling; the bill is instance-hours, not tokens.

Each option is one model on one service (id ``service-record/model@account``), sized with
the same serving model as self-hosting (:func:`~llmchoose.engine.sizing.size_deployment`),
but only on the service's instance types, each replica billed at its instance's price:

    monthly cost = instance price per hour x replicas x hours per month
                   + managed-endpoint operations hours x engineer rate

Operations are the team's own estimate for a managed endpoint (the cloud runs the
machines and the container, so it is asked separately from self-hosting's hours).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Any

from llmchoose.engine.cost import CostEstimate, selfhost_monthly_at
from llmchoose.engine.option import (
    Option,
    Unavailable,
    model_facts,
    model_provenance,
    quality_ceiling,
    quality_percentiles,
)
from llmchoose.engine.own import (
    OWN_WEIGHTS,
    EarlyRules,
    RuledOut,
    server_cost,
    sized_runtime_facts,
    speed_facts,
    static_runtime_facts,
)
from llmchoose.engine.sizing import Deployment, Instance, SizingError, size_deployment
from llmchoose.engine.usage import Usage
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import ManagedEndpoint, Model, Provider, Runtime
from llmchoose.schemas.vocabulary import MANAGED_IN_ACCOUNT

__all__ = [
    "ACCOUNT_SUFFIX",
    "managed_options",
    "managed_usage",
    "service_instances",
    "shared_monthly",
]

# Option ids end in this, so a managed option never collides with an API offering of the
# same cloud and model (google-vertex-ai/… is also a Model-as-a-Service offering).
ACCOUNT_SUFFIX = "@account"


def managed_usage(usage: Usage) -> Usage:
    """The usage a managed endpoint is costed at: the team's managed-endpoint operations
    hours, and no GPUs of its own (the instances are the cloud's)."""
    return replace(
        usage,
        ops_hours_per_month=usage.managed_ops_hours_per_month,
        owned_gpu=None,
        owned_gpu_count=0,
    )


def service_instances(
    catalog: Catalog, service: ManagedEndpoint
) -> tuple[tuple[Instance, ...], bool]:
    """(the instances to size on, whether their prices are known).

    Only priced instance types are used when the service has any, so the bill is real.
    When it has none, every instance type is tried with a stand-in price that orders them
    by GPU memory (the smallest machine that serves the load wins) and the cost stays
    unknown: the option still shows which machine and how fast, never a made-up bill.
    """
    priced = tuple(
        Instance(i.hardware, i.gpus, i.price_per_hour, i.type)
        for i in service.instances
        if i.price_per_hour is not None
    )
    if priced:
        return priced, True
    stand_in = tuple(
        Instance(i.hardware, i.gpus, i.gpus * catalog.hardware[i.hardware].memory_gb, i.type)
        for i in service.instances
    )
    return stand_in, False


def _instance_of(instances: tuple[Instance, ...], deployment: Deployment) -> Instance:
    """The instance type a deployment was sized on."""
    return next(
        i for i in instances if i.hardware == deployment.hardware and i.count == deployment.count
    )


def _unknown_cost() -> CostEstimate:
    return CostEstimate(None, None, None, None, "instance-hours", {})


def _compliance_facts(provider: Provider) -> dict[str, Any]:
    """Privacy and compliance of an endpoint in the team's own account.

    The prompts reach only the team's copy of open weights on machines in its account, so
    no model vendor sees, keeps or trains on them (request logging is the team's own
    setting). Certifications and contracts are the cloud's, from its provider record;
    ``None`` where that record does not say.
    """
    c = provider.compliance
    return {
        "provider": provider.id,
        "data_leaves_infrastructure": False,
        "trains_on_api_data": False,
        "retention_days": 0,
        "zero_data_retention": "default",
        "zero_retention_possible": True,
        "hipaa_baa": c.hipaa_baa,
        "eu_data_residency": c.eu_data_residency,
        "soc2_type2": c.soc2_type2,
        "iso27001": c.iso27001,
        "gdpr_dpa": c.gdpr_dpa,
        "regions": list(provider.regions),
    }


def _static_facts(
    catalog: Catalog,
    service: ManagedEndpoint,
    model: Model,
    runtime: Runtime,
    quality: dict,
    today: dt.date,
) -> dict[str, Any]:
    """Everything known of a managed option before it is sized."""
    provider = catalog.providers[service.service]
    return {
        "id": f"{service.id}/{model.id}{ACCOUNT_SUFFIX}",
        "name": f"{model.name} on {service.name} in your account",
        "category": MANAGED_IN_ACCOUNT,
        "provider_name": provider.name,
        **model_facts(model, quality, today, quality_ceiling(catalog, model)),
        **_compliance_facts(provider),
        "runs_on_user_device": False,
        "sdk_languages": list(provider.sdks),
        # The endpoint runs until the team deletes it.
        **OWN_WEIGHTS,
        **static_runtime_facts(runtime),
        # The endpoint lives in the cloud: it needs a connection to the cloud region.
        "offline_capable": False,
        "managed_service": service.id,
        "serving_container": service.container,
    }


def _sized_facts(
    catalog: Catalog,
    service: ManagedEndpoint,
    model: Model,
    runtime: Runtime,
    deployment: Deployment,
    instance: Instance,
    usage: Usage,
) -> dict[str, Any]:
    return {
        "deployment": "server",
        "device_memory_gb": None,
        "hardware": deployment.hardware,
        "hardware_count": deployment.count,
        "quantization": deployment.quantization,
        **speed_facts(catalog, model, runtime, deployment, usage),
        **sized_runtime_facts(runtime, deployment),
        "owned_gpus_used": None,
        "setup_effort": service.setup_effort,
        "instance_type": instance.name,
    }


def _option(
    catalog: Catalog,
    service: ManagedEndpoint,
    model: Model,
    usage: Usage,
    quality: dict,
    today: dt.date,
    early: EarlyRules | None = None,
) -> Option | Unavailable | RuledOut:
    runtime = catalog.runtimes[service.runtime]
    static = _static_facts(catalog, service, model, runtime, quality, today)
    option_id, name = static["id"], static["name"]
    if early is not None and (reasons := early(static)):
        stub = Option(option_id, name, MANAGED_IN_ACCOUNT, static, _unknown_cost())
        return RuledOut(stub, reasons)
    instances, priced = service_instances(catalog, service)
    try:
        deployment = size_deployment(
            catalog, model, runtime, usage, on_device=False, instances=instances
        )
    except SizingError as exc:
        unpriced = [i.type for i in service.instances if i.price_per_hour is None]
        reason = str(exc)
        if priced and unpriced:
            reason += f" ({', '.join(unpriced)} not tried: no price recorded)"
        return Unavailable(id=option_id, name=name, category=MANAGED_IN_ACCOUNT, reason=reason)
    instance = _instance_of(instances, deployment)
    # Without prices the stand-in that ordered the instances is no cost: make any use of
    # it show up as not-a-number rather than pass for a bill.
    hourly = deployment.hourly_cost if priced else math.nan
    deployment = replace(deployment, instance=instance.name, hourly_cost=hourly)
    cost = (
        server_cost(catalog, model, runtime, deployment, usage, instances)
        if priced
        else _unknown_cost()
    )
    facts = {
        **static,
        **_sized_facts(catalog, service, model, runtime, deployment, instance, usage),
        "monthly_cost": cost.monthly,
        "monthly_cost_10x": cost.monthly_10x,
        "monthly_cost_100x": cost.monthly_100x,
        "cost_structure": cost.structure,
    }
    provenance = model_provenance(model)
    for path in ("instances.price_per_hour", "setup_effort", "container"):
        prov = service.provenance_of(path)
        provenance[f"managed.{path}"] = (prov.source, prov.as_of)
    prov = catalog.providers[service.service].provenance_of("compliance")
    provenance["provider.compliance"] = (prov.source, prov.as_of)
    return Option(
        id=option_id,
        name=name,
        category=MANAGED_IN_ACCOUNT,
        facts=facts,
        cost=cost,
        deployment=deployment,
        provenance=provenance,
    )


@dataclass
class ManagedOptions:
    options: list[Option] = field(default_factory=list)
    unavailable: list[Unavailable] = field(default_factory=list)
    ruled_out: list[RuledOut] = field(default_factory=list)


def managed_options(
    catalog: Catalog,
    usage: Usage,
    today: dt.date,
    *,
    early: EarlyRules | None = None,
    only: str | None = None,
) -> ManagedOptions:
    """Every open-weights model on every managed endpoint service, in a stable order; an
    option ``early`` rules out is not sized, and ``only`` builds just that id.

    Nothing when the feature has no network at all: a cloud endpoint cannot be reached.
    """
    found = ManagedOptions()
    if not usage.servers_allowed:
        return found
    quality = quality_percentiles(catalog)
    costed = managed_usage(usage)
    for service in catalog.records("managed_endpoints"):
        runtime = catalog.runtimes[service.runtime]
        for model in catalog.records("models"):
            if not model.open_weights:
                continue
            if runtime.supported_models is not None and model.id not in runtime.supported_models:
                continue
            if only is not None and only != f"{service.id}/{model.id}{ACCOUNT_SUFFIX}":
                continue
            built = _option(catalog, service, model, costed, quality, today, early)
            if isinstance(built, Option):
                found.options.append(built)
            elif isinstance(built, RuledOut):
                found.ruled_out.append(built)
            else:
                found.unavailable.append(built)
    return found


def shared_monthly(catalog: Catalog, option: Option, usage: Usage) -> float | None:
    """Monthly cost of one managed endpoint serving ``usage`` (several workloads merged),
    re-sized for the joint load; None when its price is unknown or nothing fits."""
    service = catalog.managed_endpoints[option.facts["managed_service"]]
    instances, priced = service_instances(catalog, service)
    if not priced:
        return None
    model = catalog.models[option.facts["model"]]
    runtime = catalog.runtimes[service.runtime]
    monthly = selfhost_monthly_at(catalog, model, runtime, managed_usage(usage), instances)
    return None if monthly is None else round(monthly, 2)
