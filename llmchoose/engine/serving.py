"""How fast one replica of a served model answers, and how much load it carries.

The arithmetic (sources in ``knowledge/assumptions.yaml``, explained in
``docs/engine.md``), for every candidate configuration at once with numpy:

- a decode step takes the longer of its memory time and its compute time. Memory: the
  weights read in the step (for a mixture of experts, the shared weights plus the
  experts the batch's tokens touch: E x (1 - (1 - k/E)^B) distinct experts of E, k per
  token, B tokens) plus every running sequence's KV cache, over the achievable
  bandwidth. Compute: 2 x active parameters FLOPs per token at the achievable
  utilisation;
- a prompt (prefill) costs 2 x active parameters x input tokens FLOPs, and no less than
  one read of the weights it touches;
- a replica serving B sequences at once completes at most
  B / (B x prefill + output tokens x step(B)) requests per second;
- tensor parallelism (vLLM, SGLang, TensorRT-LLM, TGI) adds bandwidth and compute per
  GPU at a stated efficiency; a layer split (llama.cpp, Ollama, LM Studio) runs the
  GPUs one after another, so it adds memory but no speed;
- a runtime serves at most its parallel slots at once (Ollama one request per model by
  default, llama.cpp server four slots), and never more sequences than fit in memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from llmchoose.engine.usage import Usage
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Hardware, Model, Quantization, Runtime

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "Configs",
    "Constants",
    "constants",
    "expert_fraction",
    "model_bytes",
    "replica_speed",
    "routing",
    "serve",
]

# Modelling defaults, used only when knowledge/assumptions.yaml lacks the sourced value.
_DEFAULTS = {
    "gpu-memory-utilization": 0.9,
    "decode-bandwidth-efficiency": 0.6,
    "prefill-compute-efficiency": 0.4,
    "kv-cache-bytes": 2.0,
    "max-batch-size": 256,
    "device-memory-share": 0.7,
    "tensor-parallel-efficiency": 0.85,
    "browser-speed-share": 0.8,
    "hours-per-month": 730.0,
    "electricity-price-per-kwh": 0.13,
    "layer-split-token-overhead-s": 0.0,
}


@dataclass(frozen=True)
class Constants:
    gpu_memory_utilization: float
    decode_bandwidth_efficiency: float
    prefill_compute_efficiency: float
    kv_cache_bytes: float
    max_batch_size: int
    device_memory_share: float
    tensor_parallel_efficiency: float  # per doubling of the GPU count
    browser_speed_share: float
    hours_per_month: float
    electricity_price_per_kwh: float
    layer_split_token_overhead_s: float


def constants(catalog: Catalog) -> Constants:
    """Every serving constant, read once per catalogue (sizing runs many times)."""
    cached = getattr(catalog, "_serving_constants", None)
    if cached is None:
        values: dict[str, Any] = {
            key: catalog.assumption(key, default) for key, default in _DEFAULTS.items()
        }
        values["max-batch-size"] = int(values["max-batch-size"])
        cached = Constants(**{key.replace("-", "_"): v for key, v in values.items()})
        catalog._serving_constants = cached  # type: ignore[attr-defined]
    return cached


def expert_fraction(tokens: Any, share: float | None) -> Any:
    """Expected share of the routed experts that ``tokens`` tokens touch.

    With k of E experts chosen per token (``share`` = k/E, uniform routing), an expert is
    missed by one token with probability 1 - k/E, so by all of them with (1 - k/E)^tokens.
    ``share`` None means a dense model: everything is read.
    """
    if share is None:
        return tokens * 0 + 1.0
    return 1.0 - (1.0 - share) ** tokens


def routing(model: Model) -> float | None:
    """k/E for a mixture of experts; without expert counts, active / total parameters,
    which treats every active parameter as routed (the most a batch can read)."""
    total = model.parameters.total_b or 0
    active = model.parameters.active_b or total
    if active >= total:
        return None
    arch = model.architecture
    if arch and arch.experts and arch.experts_per_token:
        return arch.experts_per_token / arch.experts
    return active / total


def model_bytes(model: Model, quant: Quantization) -> tuple[float, float, float]:
    """(total, always-read, routed-expert) weight bytes.

    With total T and active A parameters and a share s = k/E of the routed experts used
    per token, the routed experts hold X = (T - A) / (1 - s) parameters and the rest,
    T - X, is read for every token.
    """
    total = (model.parameters.total_b or 0) * 1e9
    active = (model.parameters.active_b or model.parameters.total_b or 0) * 1e9
    per_byte = quant.bits_per_weight / 8
    share = routing(model)
    if share is None:
        return total * per_byte, total * per_byte, 0.0
    routed = min(total, (total - active) / (1 - share))
    return total * per_byte, (total - routed) * per_byte, routed * per_byte


@dataclass
class Configs:
    """Candidate configurations of one model on one runtime, as parallel arrays."""

    hardware: list[Hardware]
    quants: list[Quantization]
    counts: np.ndarray
    memory: np.ndarray  # bytes usable for weights and KV cache, per replica
    bandwidth: np.ndarray  # achievable bytes/s per replica
    flops: np.ndarray  # achievable FLOP/s per replica (nan: unknown)
    compute_flops: np.ndarray  # the same, infinite when unknown (no compute limit applied)
    always_bytes: np.ndarray
    expert_bytes: np.ndarray
    weight_bytes: np.ndarray
    slots: np.ndarray  # sequences the runtime serves at once by default
    overhead: float  # seconds each decode step costs beyond memory and compute


def build_configs(
    catalog: Catalog,
    model: Model,
    runtime: Runtime,
    choices: list[tuple[Hardware, int, Quantization]],
    usage: Usage,
    on_device: bool,
) -> Configs:
    import numpy as np

    hardware = _hardware_arrays(catalog, runtime, choices, usage, on_device)
    bytes_by_quant: dict[str, tuple[float, float, float]] = {}
    for _, _, quant in choices:  # a few quantizations over many hardware choices
        if quant.id not in bytes_by_quant:
            bytes_by_quant[quant.id] = model_bytes(model, quant)
    sizes = np.array([bytes_by_quant[q.id] for _, _, q in choices]).reshape(-1, 3)
    return Configs(
        hardware=[hw for hw, _, _ in choices],
        quants=[q for _, _, q in choices],
        always_bytes=sizes[:, 1],
        expert_bytes=sizes[:, 2],
        weight_bytes=sizes[:, 0],
        **hardware,
    )


def _hardware_arrays(
    catalog: Catalog,
    runtime: Runtime,
    choices: list[tuple[Hardware, int, Quantization]],
    usage: Usage,
    on_device: bool,
) -> dict[str, Any]:
    """The model-independent part of the configurations, remembered per catalogue: every
    model on one runtime tries the same hardware, GPU counts and quantizations."""
    import numpy as np

    cache = getattr(catalog, "_hardware_arrays", None)
    if cache is None:
        cache = catalog._hardware_arrays = {}  # type: ignore[attr-defined]
    key = (
        id(runtime),
        on_device,
        usage.device_memory_gb,
        tuple((hw.id, count, q.id) for hw, count, q in choices),
    )
    if key in cache:
        return cache[key][1]
    k = constants(catalog)
    counts = np.array([c for _, c, _ in choices], dtype=float)
    tensor = runtime.parallelism != "layer-split"
    # One GPU per doubling keeps a share of its speed: 2 GPUs 2 x e, 4 GPUs 4 x e^2 ...
    gain = counts * k.tensor_parallel_efficiency ** np.log2(counts) if tensor else counts * 0 + 1
    memory, bandwidth, flops = [], [], []
    for hw, count, quant in choices:
        if on_device and usage.device_memory_gb and hw.hw_class == "browser":
            memory.append(usage.device_memory_gb * 1e9)  # the page's whole budget
        elif on_device:
            gb = min(hw.memory_gb, usage.device_memory_gb or hw.memory_gb)
            memory.append(gb * 1e9 * k.device_memory_share)
        else:
            memory.append(hw.memory_gb * 1e9 * count * k.gpu_memory_utilization)
        share = k.browser_speed_share if hw.hw_class == "browser" else 1.0
        bandwidth.append(hw.memory_bandwidth_gbps * 1e9 * k.decode_bandwidth_efficiency * share)
        # 8-bit weights with 8-bit activations (W8A8) use the FP8 tensor rate where the GPU has one.
        peak = hw.fp8_tflops if quant.id == "fp8" and hw.fp8_tflops else hw.bf16_tflops
        flops.append(peak * 1e12 * k.prefill_compute_efficiency * share if peak else math.nan)
    if on_device:
        slots = 1
    elif runtime.parallel_slots:
        slots = runtime.parallel_slots
    else:
        slots = k.max_batch_size if runtime.continuous_batching else 1
    found = {
        "counts": counts,
        "memory": np.array(memory),
        "bandwidth": np.array(bandwidth) * gain,
        "flops": np.array(flops) * gain,
        "compute_flops": np.nan_to_num(np.array(flops) * gain, nan=np.inf),
        "slots": counts * 0 + slots,
        "overhead": k.layer_split_token_overhead_s if not tensor else 0.0,
    }
    cache[key] = (runtime, found)  # the runtime is kept so its id stays unique
    return found


def _step_time(cfg: Configs, model: Model, kv_token: float, batch: Any, context: float) -> Any:
    """Seconds per decode step with ``batch`` sequences ``context`` tokens long."""
    import numpy as np

    experts = expert_fraction(batch, routing(model))
    read = cfg.always_bytes + cfg.expert_bytes * experts + batch * context * kv_token
    memory_time = read / cfg.bandwidth
    active = (model.parameters.active_b or model.parameters.total_b or 0) * 1e9
    compute_time = batch * 2 * active / cfg.compute_flops
    return np.maximum(memory_time, compute_time) + cfg.overhead


def _prefill_time(cfg: Configs, model: Model, input_tokens: int) -> Any:
    """Seconds to read one prompt: compute-bound, but never under one weight read."""
    import numpy as np

    experts = expert_fraction(input_tokens, routing(model))
    read = (cfg.always_bytes + cfg.expert_bytes * experts) / cfg.bandwidth
    active = (model.parameters.active_b or model.parameters.total_b or 0) * 1e9
    compute = 2 * active * input_tokens / cfg.flops
    return np.where(np.isnan(compute), read, np.maximum(compute, read))


def replica_speed(
    cfg: Configs, model: Model, kv_token: float, usage: Usage, concurrency: Any
) -> tuple[Any, Any, Any]:
    """(output tokens/s per sequence, TTFT s, requests/s) with ``concurrency`` sequences
    in flight on one replica, each alternating one prefill and its decode steps.

    Other sequences' prefills take a share ``busy`` of the replica's time: they pause
    everyone's decoding for their duration, and a new prompt waits for the one being read,
    on average busy x prefill / (2 (1 - busy)) (the M/D/1 queue's mean wait).
    """
    import numpy as np

    context = usage.input_tokens + usage.output_tokens / 2  # half-way through an answer
    prefill = _prefill_time(cfg, model, usage.input_tokens)
    step = _step_time(cfg, model, kv_token, concurrency, context)
    rate = concurrency / (concurrency * prefill + usage.output_tokens * step)
    busy = np.minimum((concurrency - 1) / concurrency * rate * prefill, 0.95)
    first_token = prefill + busy * prefill / (2 * (1 - busy))
    return (1 - busy) / step, first_token, rate


def serve(
    cfg: Configs, model: Model, kv_token: float, usage: Usage, longest: int
) -> dict[str, Any]:
    """Capacity and latency-limited load of every configuration.

    Returns arrays: ``fits``, ``batch`` (sequences at once), ``capacity`` (requests/s at
    full batch), ``rate`` (requests/s one replica may take and still meet the latency
    need; equal to capacity without one), ``fastest`` (response time of a lone request),
    ``limit`` (what caps the batch: runtime slots or memory).
    """
    import numpy as np

    free = cfg.memory - cfg.weight_bytes
    fits = free >= longest * kv_token
    by_memory = np.floor(np.maximum(free, 0) / (usage.tokens_per_request * kv_token))
    batch = np.maximum(1.0, np.minimum(cfg.slots, by_memory))
    limit = np.where(cfg.slots <= by_memory, "runtime-slots", "memory")
    full_speed, full_first, capacity = replica_speed(cfg, model, kv_token, usage, batch)
    lone_speed, prefill, _ = replica_speed(cfg, model, kv_token, usage, batch * 0 + 1)
    fastest = prefill + usage.output_tokens / lone_speed  # a request alone on the replica
    rate = capacity.copy()
    target = usage.max_response_s
    if target > 0:
        # A full batch that still answers in time needs no search; configurations that
        # miss the limit even alone are out; only those in between need the bisection.
        in_time_full = full_first + usage.output_tokens / full_speed <= target
        rate = np.where(fits & in_time_full, capacity, 0.0)
        able = np.flatnonzero(fits & ~in_time_full & (fastest <= target))
        if able.size:
            subset = Configs(**{name: _take(value, able) for name, value in vars(cfg).items()})
            rate[able] = _latency_rate(subset, model, kv_token, usage, batch[able])
    return {
        "fits": fits,
        "batch": batch,
        "capacity": capacity,
        "rate": np.minimum(rate, capacity),
        "fastest": fastest,
        "prefill": prefill,
        "limit": limit,
    }


def _take(value: Any, rows: Any) -> Any:
    """The chosen rows of one configuration field (arrays and lists; scalars are shared)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return value[rows]
    return [value[i] for i in rows] if isinstance(value, list) else value


def _latency_rate(cfg: Configs, model: Model, kv_token: float, usage: Usage, batch: Any) -> Any:
    """Largest requests/s per replica whose response time stays within the limit.

    At the limit R, Little's law puts r x R sequences in flight; response time grows with
    the load, so bisection finds the largest r for every configuration together.
    """
    import numpy as np

    target = usage.max_response_s
    low = np.zeros_like(batch)
    high = batch / target + 1e-9
    for _ in range(20):  # to about one part in a million of the batch-limited rate
        mid = (low + high) / 2
        inflight = np.clip(mid * target, 1, batch)
        speed, prefill, _ = replica_speed(cfg, model, kv_token, usage, inflight)
        ok = prefill + usage.output_tokens / np.maximum(speed, 1e-12) <= target
        low = np.where(ok, mid, low)
        high = np.where(ok, high, mid)
    return low


def steady_state(
    cfg: Configs, model: Model, kv_token: float, usage: Usage, per_replica: float, batch: Any
) -> tuple[Any, Any, Any]:
    """(sequences in flight, tokens/s per sequence, TTFT) at ``per_replica`` requests/s.

    Little's law: sequences in flight = arrival rate x time each one takes; iterated to
    a fixed point (it converges because speed falls as the batch grows).
    """
    import numpy as np

    inflight = batch * 0 + 1.0
    for _ in range(30):
        speed, prefill, _ = replica_speed(cfg, model, kv_token, usage, inflight)
        duration = prefill + usage.output_tokens / speed
        following = np.clip(per_replica * duration, 1.0, batch)
        if np.all(np.abs(following - inflight) <= 1e-3 * inflight):
            inflight = following
            break
        inflight = following
    speed, prefill, _ = replica_speed(cfg, model, kv_token, usage, inflight)
    return inflight, speed, prefill
