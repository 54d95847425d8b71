"""Size a self-hosted or on-device deployment of an open-weights model.

Memory arithmetic (documented in ``docs/engine.md`` with sources):

- weight memory = parameters x bits per weight / 8;
- KV cache per token = 2 (K and V) x layers x KV heads x head dimension x bytes;
  for multi-head latent attention (DeepSeek) = layers x (KV rank + head dimension) x bytes.

Speed and capacity come from :mod:`llmchoose.engine.serving`. The search tries every
hardware type, GPU count and quantization the runtime supports; among configurations
that meet the workload's latency need it keeps the cheapest (servers) or the smallest
device (users' devices). When none meets it, the fastest is kept, so the option still
shows how slow it would be.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from llmchoose.engine import serving
from llmchoose.engine.rental import rent_or_inf, rent_price, rental_asks, unmet_rental_reason
from llmchoose.engine.sizingstore import (
    decode_deployment,
    decode_hourly,
    encode_deployment,
    remembered,
)
from llmchoose.engine.usage import Usage
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Hardware, Model, Quantization, Runtime

__all__ = [
    "DEVICE_CLASSES",
    "Deployment",
    "Instance",
    "SizingError",
    "cached_plan",
    "hourly_cost",
    "kv_bytes_per_token",
    "power_hourly",
    "size_deployment",
    "weight_bytes",
]

GPU_COUNTS = (1, 2, 4, 8)
SERVER_CLASSES = ("datacenter-gpu", "workstation-gpu")
DEVICE_CLASSES = ("laptop", "edge", "browser", "phone", "tablet", "desktop")
# A users' device class answer, and the hardware classes that stand for it.
_CLASS_HARDWARE = {
    "phone": ("phone",),
    "tablet": ("tablet",),
    "laptop": ("laptop",),
    "desktop": ("desktop", "workstation-gpu"),
    "browser": ("browser",),
}


class SizingError(Exception):
    """No hardware in the catalogue can hold or serve the model for this load."""


@dataclass(frozen=True)
class Instance:
    """A machine rented whole at one hourly price: ``count`` GPUs of one hardware record
    (a managed endpoint's instance type). Sizing on instances tries only these machines and
    bills each replica at the instance's price instead of GPU-hours."""

    hardware: str
    count: int
    hourly: float
    name: str = ""


@dataclass(frozen=True)
class Deployment:
    hardware: str
    hardware_name: str
    count: int  # GPUs (or devices) per replica
    replicas: int
    quantization: str
    bits_per_weight: float
    weights_gb: float
    kv_gb_per_sequence: float
    memory_gb: float  # per replica
    max_concurrency: int  # sequences one replica serves at once
    peak_concurrency: float
    output_tokens_per_s: float  # per sequence, at the peak load
    ttft_s: float | None
    capacity_tokens_per_s: float  # output tokens/s one replica sustains
    utilization: float  # average load / capacity
    hourly_cost: float  # all replicas; 0 for devices users own
    on_device: bool
    capacity_requests_per_s: float = 0.0  # per replica, latency need included
    batch_limit: str = "memory"  # runtime-slots or memory
    parallel_setting: str | None = None  # the runtime setting that raises the batch
    meets_latency: bool = True
    owned_gpus: int = 0  # GPUs the team already owns, used here
    rented_gpus: int = 0
    instance: str | None = None  # the cloud's instance type, on a managed endpoint


def weight_bytes(model: Model, quant: Quantization) -> float | None:
    if model.parameters.total_b is None:
        return None
    return model.parameters.total_b * 1e9 * quant.bits_per_weight / 8


def kv_bytes_per_token(model: Model, kv_bytes: float) -> float | None:
    arch = model.architecture
    if arch is None:
        return None
    if arch.kv_lora_rank:
        return arch.layers * (arch.kv_lora_rank + arch.head_dim) * kv_bytes
    return 2 * arch.layers * arch.kv_heads * arch.head_dim * kv_bytes


def _candidates(
    catalog: Catalog, runtime: Runtime, usage: Usage, on_device: bool
) -> list[Hardware]:
    if on_device:
        wanted = _CLASS_HARDWARE.get(usage.device_class or "", DEVICE_CLASSES)
        devices = [
            hw
            for hw in catalog.records("hardware")
            if hw.hw_class in runtime.hardware_classes and hw.hw_class in wanted
        ]
        if usage.device_memory_gb:
            return devices
        # Unknown memory: plan for the smallest device of each class, since a model that
        # needs the largest laptop on the market does not run on a typical fleet.
        smallest: dict[str, Hardware] = {}
        for hw in devices:
            if hw.hw_class not in smallest or hw.memory_gb < smallest[hw.hw_class].memory_gb:
                smallest[hw.hw_class] = hw
        return [hw for hw in devices if smallest[hw.hw_class] is hw]
    found, barred = [], 0
    for hw in catalog.records("hardware"):
        if hw.hw_class not in runtime.hardware_classes or hw.hw_class not in SERVER_CLASSES:
            continue
        # A server we cannot rent cannot be priced, unless the team already owns it; nor
        # can one whose cloud is not known to meet what the team's rules ask of vendors.
        owned = usage.owned_gpu_count and hw.id == usage.owned_gpu
        if owned or rent_price(catalog, hw, usage.vendor_must) is not None:
            found.append(hw)
        elif hw.price_per_hour is not None:
            barred += 1
    if not found and barred:
        raise SizingError(unmet_rental_reason(usage.vendor_must, runtime.name))
    return found


def _choices(
    catalog: Catalog, runtime: Runtime, hardware: list[Hardware], usage: Usage, on_device: bool
) -> list[tuple[Hardware, int, Quantization]]:
    choices: list[tuple[Hardware, int, Quantization]] = []
    for hw in hardware:
        limit = hw.max_per_node
        if usage.owned_gpu == hw.id and usage.owned_gpu_count:
            limit = min(limit, usage.owned_gpu_count)
        counts = (
            [1] if on_device or not runtime.multi_gpu else [c for c in GPU_COUNTS if c <= limit]
        )
        for quant_id in runtime.quantizations:
            quant = catalog.quantizations[quant_id]
            choices.extend((hw, count, quant) for count in counts)
    return choices


@dataclass
class _Plan:
    """Every candidate configuration, sized: the arrays behind the search."""

    cfg: serving.Configs
    served: dict
    kv_token: float
    replica_hourly: list[float] | None = None  # USD per hour of one replica, on instances
    # Per configuration, fixed for the plan: the hardware's place in id order (ties go to
    # the lower id) and the weights' bits; worked out once, not at every volume.
    hw_rank: Any = None
    bits: Any = None
    rent: Any = None  # USD per GPU-hour of each configuration's rental (inf: none), once


def _instance_choices(
    catalog: Catalog, runtime: Runtime, instances: tuple[Instance, ...]
) -> tuple[list[tuple[Hardware, int, Quantization]], list[float]]:
    """Every instance with every quantization the runtime supports, and each one's price."""
    choices, prices = [], []
    for instance in instances:
        for quant_id in runtime.quantizations:
            choices.append(
                (
                    catalog.hardware[instance.hardware],
                    instance.count,
                    catalog.quantizations[quant_id],
                )
            )
            prices.append(instance.hourly)
    return choices, prices


def _plan(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    usage: Usage,
    on_device: bool,
    instances: tuple[Instance, ...] | None = None,
) -> _Plan:
    if model.parameters.total_b is None or model.architecture is None:
        raise SizingError(
            f"{model.name} lacks the parameter count or architecture needed for sizing"
        )
    replica_hourly = None
    if instances is not None:
        if not instances:
            raise SizingError(f"no instance type in the knowledge base suits {runtime.name}")
        choices, replica_hourly = _instance_choices(catalog, runtime, instances)
    else:
        hardware = _candidates(catalog, runtime, usage, on_device)
        if not hardware:
            where = "users' devices of that kind" if on_device else "priced hardware"
            raise SizingError(f"no {where} in the knowledge base suits {runtime.name}")
        choices = _choices(catalog, runtime, hardware, usage, on_device)
    kv_token = kv_bytes_per_token(model, serving.constants(catalog).kv_cache_bytes)
    assert kv_token is not None
    cfg = serving.build_configs(catalog, model, runtime, choices, usage, on_device)
    longest = max(usage.tokens_per_request, usage.min_context_tokens)
    served = serving.serve(cfg, model, kv_token, usage, longest)
    if not served["fits"].any():
        where = "any device" if on_device else "the largest GPU server"
        allowed = ""
        if instances is not None:
            where = "the largest instance type"
        elif not on_device and usage.vendor_must:
            # Bigger GPUs may exist, from clouds the team's rules do not allow.
            allowed = f" rented from a cloud known to {rental_asks(usage.vendor_must)}"
        raise SizingError(
            f"{model.name} does not fit {where} in the knowledge base with {runtime.name}{allowed}"
        )
    import numpy as np

    _, hw_rank = np.unique(np.array([hw.id for hw in cfg.hardware]), return_inverse=True)
    bits = np.array([q.bits_per_weight for q in cfg.quants])
    return _Plan(
        cfg=cfg,
        served=served,
        kv_token=kv_token,
        replica_hourly=replica_hourly,
        hw_rank=hw_rank,
        bits=bits,
    )


def _hourly(
    catalog: Catalog, hw: Hardware, count: int, replicas: int, usage: Usage
) -> tuple[float, int, int]:
    """(USD per hour, owned GPUs used, rented GPUs) for ``replicas`` of ``count`` GPUs.

    GPUs the team owns cost their power at the electricity price; beyond them, more of
    the same GPU are rented at its hourly price (infinite when it has none).
    """
    needed = count * replicas
    # Owned GPUs make up whole replicas (a replica's GPUs share one machine).
    owned_replicas = usage.owned_gpu_count // count if usage.owned_gpu == hw.id else 0
    owned = min(replicas, owned_replicas) * count
    rented = needed - owned
    power = power_hourly(catalog, hw, owned, usage)
    price = rent_price(catalog, hw, usage.vendor_must)
    rent = 0.0 if rented == 0 else (price if price is not None else math.inf)
    return power + rent * rented, owned, rented


def power_hourly(catalog: Catalog, hw: Hardware, gpus: int, usage: Usage) -> float:
    """USD per hour of power for ``gpus`` owned GPUs at the answered (or sourced) price."""
    price = usage.electricity_price or serving.constants(catalog).electricity_price_per_kwh
    return (hw.power_watts or 0) / 1000 * price * gpus


def cached_plan(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    usage: Usage,
    on_device: bool,
    instances: tuple[Instance, ...] | None = None,
) -> _Plan:
    cache = getattr(catalog, "_plan_cache", None)
    if cache is None:
        cache = catalog._plan_cache = {}  # type: ignore[attr-defined]
    # Volume does not change a replica's capacity or latency: one plan serves every
    # volume (break-even, 10x and 100x costs).
    key = (id(model), id(runtime), usage.at_volume(0.0), on_device, instances)
    if key not in cache:
        try:
            found: _Plan | SizingError = _plan(catalog, model, runtime, usage, on_device, instances)
        except SizingError as exc:
            found = exc
        # Keep the objects alive with the entry, so their ids cannot be reused by others.
        cache[key] = (model, runtime, found)
    found = cache[key][2]
    if isinstance(found, SizingError):
        raise found
    return found


def size_deployment(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    usage: Usage,
    *,
    on_device: bool,
    instances: tuple[Instance, ...] | None = None,
) -> Deployment:
    """The deployment that meets the latency need at least cost; raise SizingError
    saying why none fits. With ``instances``, only those machines are tried, each replica
    billed at its instance's price (a managed endpoint); else every rentable GPU.

    Results are remembered per catalogue: ranking, costing at 10x and 100x, break-even
    and hybrids ask for the same sizings many times.
    """
    cache = getattr(catalog, "_sizing_cache", None)
    if cache is None:
        cache = catalog._sizing_cache = {}  # type: ignore[attr-defined]
    # Object identities, not ids: a copied catalogue with an edited model must not reuse
    # the original's answers.
    key = (id(model), id(runtime), usage, on_device, instances)
    if key not in cache:

        def compute() -> Deployment | SizingError:
            try:
                plan = cached_plan(catalog, model, runtime, usage, on_device, instances)
                return _choose(catalog, model, runtime, usage, plan, on_device)
            except SizingError as exc:
                return exc

        item = f"deploy|{model.id}|{runtime.id}|{on_device}|{instances!r}"
        result = remembered(catalog, usage, item, compute, encode_deployment, decode_deployment)
        cache[key] = (model, runtime, result)
    found = cache[key][2]
    if isinstance(found, SizingError):
        raise found
    return found


def _select(
    catalog: Catalog, model: Model, runtime: Runtime, usage: Usage, plan: _Plan, on_device: bool
) -> tuple[int, int, bool, float]:
    """(configuration, replicas, meets the latency need, USD per hour) of the best fit.

    Configurations that meet the latency need come first; among them the cheapest
    (servers) or the smallest device (users' own). When none meets it, the fastest. On
    servers ties go to more precise weights, fewer GPUs, then the hardware id. On users'
    devices fewer bits come before precision: the model shares the device's memory with
    everything else its user runs, its speed is felt at every answer, and a 4-bit file
    is the common default for local use (llama.cpp's quantization notes).
    """
    import numpy as np

    cfg, served = plan.cfg, plan.served
    meets = served["rate"] > 0
    bits, rank = plan.bits, plan.hw_rank
    if on_device:
        replicas = np.ones_like(cfg.counts)
        hourly = np.zeros_like(cfg.counts)
        size = np.array([hw.memory_gb for hw in cfg.hardware])
        keys = (rank, served["fastest"], bits, size, ~meets)
    else:
        rate = np.where(meets, served["rate"], served["capacity"])
        replicas = np.maximum(1, np.ceil(usage.peak_requests_per_s / rate - 1e-9))
        if plan.replica_hourly is not None:
            hourly = np.array(plan.replica_hourly) * replicas
        elif usage.owned_gpu:
            hourly = np.array([
                _hourly(catalog, hw, int(c), int(r), usage)[0]
                for hw, c, r in zip(cfg.hardware, cfg.counts, replicas, strict=True)
            ])  # fmt: skip
        else:
            if plan.rent is None:  # the plan's key holds vendor_must, so this is fixed
                must = usage.vendor_must
                plan.rent = np.array([rent_or_inf(catalog, hw, must) for hw in cfg.hardware])
            hourly = plan.rent * cfg.counts * replicas
        keys = (rank, cfg.counts, -bits, np.where(meets, hourly, served["fastest"]), ~meets)
    candidates = np.flatnonzero(served["fits"])
    best = candidates[np.lexsort(tuple(k[candidates] for k in keys))[0]]
    cost = float(hourly[best])
    if math.isinf(cost):
        hw = cfg.hardware[best]
        why = "they cannot be rented"
        if hw.price_per_hour is not None:
            why = unmet_rental_reason(usage.vendor_must, runtime.name)
        raise SizingError(
            f"{model.name} needs {int(cfg.counts[best] * replicas[best])} × "
            f"{hw.name} with {runtime.name}; the team owns {usage.owned_gpu_count}, "
            f"and {why}"
        )
    return int(best), int(replicas[best]), bool(meets[best]), cost


def hourly_cost(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    usage: Usage,
    instances: tuple[Instance, ...] | None = None,
) -> float | None:
    """USD per hour of the server deployment :func:`size_deployment` would choose, without
    its speed details (costing at 10x and 100x needs only this); None when nothing fits."""

    def compute() -> float | None:
        try:
            plan = cached_plan(catalog, model, runtime, usage, False, instances)
            return _select(catalog, model, runtime, usage, plan, False)[3]
        except SizingError:
            return None

    item = f"hourly|{model.id}|{runtime.id}|{instances!r}"
    return remembered(catalog, usage, item, compute, lambda v: v, decode_hourly)


def _choose(
    catalog: Catalog, model: Model, runtime: Runtime, usage: Usage, plan: _Plan, on_device: bool
) -> Deployment:
    i, replicas, meets, _ = _select(catalog, model, runtime, usage, plan, on_device)
    return _deployment(catalog, model, runtime, usage, plan, i, replicas, meets, on_device)


def _pick(value, i: int):
    """Configuration ``i`` of one field: a one-element array or list, or the shared scalar."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return value[i : i + 1]
    return [value[i]] if isinstance(value, list) else value


def _deployment(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    usage: Usage,
    plan: _Plan,
    i: int,
    replicas: int,
    meets: bool,
    on_device: bool,
) -> Deployment:
    cfg, served, kv_token = plan.cfg, plan.served, plan.kv_token
    hw, quant, count = cfg.hardware[i], cfg.quants[i], int(cfg.counts[i])
    one = serving.Configs(**{name: _pick(value, i) for name, value in vars(cfg).items()})
    batch = served["batch"][i : i + 1]
    per_replica = usage.peak_requests_per_s / replicas
    inflight, speed, ttft = serving.steady_state(one, model, kv_token, usage, per_replica, batch)
    capacity = float(served["capacity"][i])
    average = usage.requests_per_day / 86_400
    if on_device:
        hourly, owned, rented = 0.0, 0, 0
    elif plan.replica_hourly is not None:
        hourly, owned, rented = plan.replica_hourly[i] * replicas, 0, count * replicas
    else:
        hourly, owned, rented = _hourly(catalog, hw, count, replicas, usage)
    flops_known = not math.isnan(float(one.flops[0]))
    return Deployment(
        hardware=hw.id,
        hardware_name=hw.name,
        count=count,
        replicas=replicas,
        quantization=quant.id,
        bits_per_weight=quant.bits_per_weight,
        weights_gb=round(float(cfg.weight_bytes[i]) / 1e9, 2),
        kv_gb_per_sequence=round(usage.tokens_per_request * kv_token / 1e9, 3),
        memory_gb=(usage.device_memory_gb or hw.memory_gb)
        if on_device and hw.hw_class == "browser"
        else hw.memory_gb * count,
        max_concurrency=int(served["batch"][i]),
        peak_concurrency=round(float(inflight[0]), 2),
        output_tokens_per_s=round(float(speed[0]), 1),
        ttft_s=round(float(ttft[0]), 3) if flops_known else None,
        capacity_tokens_per_s=round(capacity * usage.output_tokens, 1),
        utilization=0.0 if on_device else round(min(1.0, average / (capacity * replicas)), 4),
        hourly_cost=round(hourly, 4),
        on_device=on_device,
        capacity_requests_per_s=round(float(served["rate"][i] or capacity), 4),
        batch_limit=str(served["limit"][i]),
        parallel_setting=runtime.parallel_setting,
        meets_latency=meets,
        owned_gpus=owned,
        rented_gpus=rented,
    )
