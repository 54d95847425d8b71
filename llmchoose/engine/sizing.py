"""Size a self-hosted or on-device deployment of an open-weights model.

The estimates follow the usual inference arithmetic (documented in
``docs/engine.md`` with sources):

- weight memory = parameters × bits per weight / 8;
- KV cache per token = 2 (K and V) × layers × KV heads × head dimension × bytes;
  for multi-head latent attention (DeepSeek) = layers × (KV rank + head dimension) × bytes;
- a decode step reads the active weights once plus every running sequence's KV cache,
  so tokens/s per sequence ≤ usable bandwidth / bytes read per step;
- prefill is compute-bound: about 2 × active parameters FLOPs per input token.

The search tries every hardware type, GPU count and quantization the runtime supports
and keeps the cheapest that holds the model and serves the peak load.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from llmchoose.catalog import Catalog
from llmchoose.engine.usage import Usage
from llmchoose.schemas.knowledge import Hardware, Model, Quantization, Runtime

__all__ = ["Deployment", "SizingError", "kv_bytes_per_token", "size_deployment", "weight_bytes"]

GPU_COUNTS = (1, 2, 4, 8)
# Modelling defaults, used only when knowledge/assumptions.yaml lacks the sourced value.
_DEFAULTS = {
    "gpu-memory-utilization": 0.9,
    "decode-bandwidth-efficiency": 0.6,
    "prefill-compute-efficiency": 0.4,
    "kv-cache-bytes": 2.0,
    "max-batch-size": 256,
    "device-memory-share": 0.7,
}


class SizingError(Exception):
    """No hardware in the catalogue can hold or serve the model for this load."""


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
    max_concurrency: int  # sequences one replica holds at once
    peak_concurrency: float
    output_tokens_per_s: float  # per sequence, at the peak concurrency
    ttft_s: float | None
    capacity_tokens_per_s: float  # output tokens/s one replica sustains
    utilization: float  # average load / capacity
    hourly_cost: float  # all replicas; 0 for devices users own
    on_device: bool


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


def _assumptions(catalog: Catalog) -> dict[str, float]:
    """Every sizing constant, read once per catalogue (the search runs thousands of times)."""
    cached = getattr(catalog, "_sizing_assumptions", None)
    if cached is None:
        cached = {key: catalog.assumption(key, default) for key, default in _DEFAULTS.items()}
        catalog._sizing_assumptions = cached  # type: ignore[attr-defined]
    return cached


def _assume(catalog: Catalog, key: str) -> float:
    return _assumptions(catalog)[key]


def _candidates(catalog: Catalog, runtime: Runtime, on_device: bool) -> list[Hardware]:
    device_classes = {"laptop", "edge", "browser"}
    found = []
    for hw in catalog.records("hardware"):
        if hw.hw_class not in runtime.hardware_classes:
            continue
        if (hw.hw_class in device_classes) != on_device:
            continue
        if not on_device and hw.price_per_hour is None:
            continue  # cannot price a server we cannot rent
        found.append(hw)
    return found


def _evaluate(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    hw: Hardware,
    count: int,
    quant: Quantization,
    usage: Usage,
    on_device: bool,
    detail: bool = True,
) -> Deployment | None:
    """One configuration; ``detail=False`` skips the latency fixed point, which only
    the chosen configuration needs (on devices concurrency is 1 either way)."""
    weights = weight_bytes(model, quant)
    kv_token = kv_bytes_per_token(model, _assume(catalog, "kv-cache-bytes"))
    if weights is None or kv_token is None:
        return None
    share = _assume(catalog, "device-memory-share" if on_device else "gpu-memory-utilization")
    memory = hw.memory_gb * 1e9 * count * share
    free = memory - weights
    seq_tokens = usage.tokens_per_request
    longest = max(seq_tokens, usage.min_context_tokens)
    if free < longest * kv_token:
        return None
    if on_device or not runtime.continuous_batching:
        max_batch = 1
    else:
        max_batch = int(min(_assume(catalog, "max-batch-size"), free // (seq_tokens * kv_token)))
        max_batch = max(max_batch, 1)
    bandwidth = (
        hw.memory_bandwidth_gbps * 1e9 * count * _assume(catalog, "decode-bandwidth-efficiency")
    )
    active = model.parameters.active_b or model.parameters.total_b
    active_bytes = active * 1e9 * quant.bits_per_weight / 8
    # Sequences are on average half-way through their answer when a step runs.
    avg_tokens = usage.input_tokens + usage.output_tokens / 2

    def step_time(batch: float) -> float:
        return (active_bytes + batch * avg_tokens * kv_token) / bandwidth

    flops = (
        hw.bf16_tflops * 1e12 * count * _assume(catalog, "prefill-compute-efficiency")
        if hw.bf16_tflops
        else None
    )
    ttft = (2 * active * 1e9 * usage.input_tokens / flops) if flops else None
    capacity = max_batch / step_time(max_batch)
    need = usage.peak_requests_per_s * usage.output_tokens
    replicas = 1 if on_device else max(1, math.ceil(need / capacity))
    # Little's law: sequences in flight = arrival rate × time each one takes.
    per_replica = usage.peak_requests_per_s / replicas
    concurrency = 1.0
    for _ in range(20 if detail else 0):
        speed = 1 / step_time(concurrency)
        duration = (ttft or 0) + usage.output_tokens / speed
        concurrency = min(float(max_batch), max(1.0, per_replica * duration))
    speed = 1 / step_time(concurrency)
    average_need = usage.requests_per_day / 86_400 * usage.output_tokens
    hourly = 0.0 if on_device else (hw.price_per_hour or 0.0) * count * replicas
    return Deployment(
        hardware=hw.id,
        hardware_name=hw.name,
        count=count,
        replicas=replicas,
        quantization=quant.id,
        bits_per_weight=quant.bits_per_weight,
        weights_gb=round(weights / 1e9, 2),
        kv_gb_per_sequence=round(seq_tokens * kv_token / 1e9, 3),
        memory_gb=hw.memory_gb * count,
        max_concurrency=max_batch,
        peak_concurrency=round(concurrency, 2),
        output_tokens_per_s=round(speed, 1),
        ttft_s=round(ttft, 3) if ttft is not None else None,
        capacity_tokens_per_s=round(capacity, 1),
        utilization=round(min(1.0, average_need / (capacity * replicas)), 4)
        if not on_device
        else 0.0,
        hourly_cost=round(hourly, 4),
        on_device=on_device,
    )


def size_deployment(
    catalog: Catalog, model: Model, runtime: Runtime, usage: Usage, *, on_device: bool
) -> Deployment:
    """The cheapest deployment that fits; raise SizingError saying why none does.

    Results are remembered per catalogue: ranking, costing at 10× and 100×, break-even
    and hybrids ask for the same sizings many times.
    """
    cache = getattr(catalog, "_sizing_cache", None)
    if cache is None:
        cache = catalog._sizing_cache = {}  # type: ignore[attr-defined]
    # Object identities, not ids: a copied catalogue with an edited model must not reuse
    # the original's answers.
    key = (id(model), id(runtime), usage, on_device)
    if key not in cache:
        try:
            cache[key] = _size(catalog, model, runtime, usage, on_device)
        except SizingError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, SizingError):
        raise found
    return found


def _size(
    catalog: Catalog, model: Model, runtime: Runtime, usage: Usage, on_device: bool
) -> Deployment:
    if model.parameters.total_b is None or model.architecture is None:
        raise SizingError(
            f"{model.name} lacks the parameter count or architecture needed for sizing"
        )
    hardware = _candidates(catalog, runtime, on_device)
    if not hardware:
        raise SizingError(f"no priced hardware in the knowledge base suits {runtime.name}")
    best: tuple | None = None
    for hw in hardware:
        counts = (
            [1]
            if on_device or not runtime.multi_gpu
            else [c for c in GPU_COUNTS if c <= hw.max_per_node]
        )
        for quant_id in runtime.quantizations:
            quant = catalog.quantizations[quant_id]
            for count in counts:
                found = _evaluate(
                    catalog, model, runtime, hw, count, quant, usage, on_device, detail=False
                )
                if found is None:
                    continue
                if on_device:
                    # Users own the device: prefer the smallest device, then the fastest.
                    key = (hw.memory_gb, -quant.bits_per_weight, -found.output_tokens_per_s, hw.id)
                else:
                    key = (found.hourly_cost, -quant.bits_per_weight, count, hw.id)
                if best is None or key < best[0]:
                    best = (key, (hw, count, quant))
    if best is None:
        where = "any device" if on_device else "the largest GPU server"
        raise SizingError(
            f"{model.name} does not fit {where} in the knowledge base with {runtime.name}"
        )
    hw, count, quant = best[1]
    chosen = _evaluate(catalog, model, runtime, hw, count, quant, usage, on_device)
    assert chosen is not None
    return chosen
