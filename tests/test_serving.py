"""The serving model by hand: compute and bandwidth limits, expert reads, GPU parallelism,
runtime slots, owned GPUs and the exact break-even."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import yaml
from enginehelp import FIXTURE_KB

from llmchoose.engine import serving
from llmchoose.engine.breakeven import break_even_crossings
from llmchoose.engine.cost import api_monthly_cost, break_even_points, selfhost_monthly_cost
from llmchoose.engine.sizing import SizingError, kv_bytes_per_token, size_deployment
from llmchoose.engine.usage import Usage
from llmchoose.loading.knowledge import load_catalog

CATALOG = load_catalog(layers=[FIXTURE_KB])
K = serving.constants(CATALOG)


def _layer(tmp_path, data: dict):
    folder = tmp_path / "extra"
    folder.mkdir(exist_ok=True)
    (folder / "extra.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return load_catalog(layers=[FIXTURE_KB, folder])


def _runtime(**changes):
    return CATALOG.runtimes["server-rt"].model_copy(update=changes)


def _configs(model, runtime, hw_id: str, count: int, quant: str = "bf16", usage=None):
    hw = CATALOG.hardware[hw_id]
    return serving.build_configs(
        CATALOG,
        model,
        runtime,
        [(hw, count, CATALOG.quantizations[quant])],
        usage or Usage(),
        False,
    )


def test_a_large_batch_is_limited_by_compute_not_bandwidth():
    model = CATALOG.models["open-8b"]
    cfg = _configs(model, _runtime(), "gpu-24", 1)
    kv = kv_bytes_per_token(model, K.kv_cache_bytes)
    usage = Usage(input_tokens=100, output_tokens=100)
    batch = np.array([4000.0])
    speed, prefill, _ = serving.replica_speed(cfg, model, kv, usage, batch)
    # Bandwidth: 8.03e9 x 2 bytes + 4000 x 150 tokens x KV, over 300 GB/s x efficiency.
    memory = (8.03e9 * 2 + 4000 * 150 * kv) / (300e9 * K.decode_bandwidth_efficiency)
    # Compute: 4000 tokens x 2 x 8.03e9 FLOPs over 120 TFLOPS x efficiency.
    compute = 4000 * 2 * 8.03e9 / (120e12 * K.prefill_compute_efficiency)
    step = max(memory, compute)
    pure_prefill = max(
        2 * 8.03e9 * 100 / (120e12 * K.prefill_compute_efficiency),
        8.03e9 * 2 / (300e9 * K.decode_bandwidth_efficiency),
    )
    rate = 4000 / (4000 * pure_prefill + 100 * step)
    stalled = min(3999 / 4000 * rate * pure_prefill, 0.95)
    assert speed[0] == pytest.approx((1 - stalled) / step, rel=1e-9)
    assert prefill[0] > pure_prefill  # prompts queue behind each other
    # At this batch compute is the binding limit.
    assert compute > memory


def test_capacity_counts_prefill_and_decode_time():
    model = CATALOG.models["open-8b"]
    cfg = _configs(model, _runtime(), "gpu-80", 1)
    kv = kv_bytes_per_token(model, K.kv_cache_bytes)
    usage = Usage(input_tokens=2000, output_tokens=200)
    speed, first_token, rate = serving.replica_speed(cfg, model, kv, usage, np.array([64.0]))
    # Prefill of one prompt: 2 x 8.03e9 x 2000 FLOPs at 989 TFLOPS x efficiency.
    prefill = 2 * 8.03e9 * 2000 / (989e12 * K.prefill_compute_efficiency)
    context = 2000 + 100
    step = max(
        (8.03e9 * 2 + 64 * context * kv) / (3350e9 * K.decode_bandwidth_efficiency),
        64 * 2 * 8.03e9 / (989e12 * K.prefill_compute_efficiency),
    )
    assert rate[0] == pytest.approx(64 / (64 * prefill + 200 * step), rel=1e-9)
    # The other 63 prompts keep the replica busy this share of the time ...
    busy = 63 / 64 * rate[0] * prefill
    assert speed[0] == pytest.approx((1 - busy) / step, rel=1e-9)
    # ... and a new prompt waits for the one being read (M/D/1 mean wait).
    assert first_token[0] == pytest.approx(prefill + busy * prefill / (2 * (1 - busy)), rel=1e-9)
    lone = serving.replica_speed(cfg, model, kv, usage, np.array([1.0]))[1]
    assert lone[0] == pytest.approx(prefill, rel=1e-9)


def test_moe_reads_the_experts_a_batch_touches():
    # k/E = 8/64: one token misses an expert with probability 7/8.
    assert serving.expert_fraction(1, 8 / 64) == pytest.approx(0.125)
    assert serving.expert_fraction(10, 8 / 64) == pytest.approx(1 - (7 / 8) ** 10)
    assert serving.expert_fraction(256, 8 / 64) > 0.999
    base = CATALOG.models["open-70b"]
    arch = base.architecture.model_copy(update={"experts": 64, "experts_per_token": 8})
    moe = base.model_copy(
        update={
            "parameters": base.parameters.model_copy(update={"total_b": 100.0, "active_b": 20.0}),
            "architecture": arch,
        }
    )
    total, shared, routed = serving.model_bytes(moe, CATALOG.quantizations["bf16"])
    # Routed experts: (100 - 20) / (1 - 1/8) = 91.43B; the rest, 8.57B, is read every step.
    assert routed == pytest.approx(80e9 / 0.875 * 2)
    assert shared == pytest.approx((100e9 - 80e9 / 0.875) * 2)
    assert total == pytest.approx(200e9)
    # One token reads the shared weights and 1/8 of the experts: the 20B active parameters.
    assert shared + routed * serving.expert_fraction(1, 8 / 64) == pytest.approx(40e9)


def test_tensor_parallel_adds_bandwidth_and_layer_split_does_not():
    model = CATALOG.models["open-70b"]
    one = _configs(model, _runtime(parallelism="tensor"), "gpu-80", 1)
    two = _configs(model, _runtime(parallelism="tensor"), "gpu-80", 2)
    eight = _configs(model, _runtime(parallelism="tensor"), "gpu-80", 8)
    split = _configs(model, _runtime(parallelism="layer-split"), "gpu-80", 2)
    e = K.tensor_parallel_efficiency
    assert two.bandwidth[0] == pytest.approx(one.bandwidth[0] * 2 * e)
    assert eight.bandwidth[0] == pytest.approx(one.bandwidth[0] * 8 * e**3)
    assert split.bandwidth[0] == pytest.approx(one.bandwidth[0])
    assert split.flops[0] == pytest.approx(one.flops[0])
    # ... but the split still pools memory for the weights.
    assert split.memory[0] == pytest.approx(2 * one.memory[0])


def test_runtime_slots_cap_the_batch_and_name_the_setting():
    model = CATALOG.models["open-8b"]
    usage = Usage(requests_per_day=200_000, input_tokens=500, output_tokens=200)
    batching = size_deployment(CATALOG, model, _runtime(), usage, on_device=False)
    one_slot = _runtime(
        continuous_batching=False, parallel_slots=1, parallel_setting="OLLAMA_NUM_PARALLEL"
    )
    single = size_deployment(CATALOG, model, one_slot, usage, on_device=False)
    assert single.max_concurrency == 1 and single.batch_limit == "runtime-slots"
    assert single.parallel_setting == "OLLAMA_NUM_PARALLEL"
    assert single.replicas > batching.replicas
    assert single.hourly_cost > batching.hourly_cost


def test_a_latency_limit_picks_a_faster_configuration_before_a_cheaper_one():
    model = CATALOG.models["open-8b"]
    loose = Usage(requests_per_day=1000, input_tokens=500, output_tokens=300)
    cheap = size_deployment(CATALOG, model, _runtime(), loose, on_device=False)
    # The cheapest fit reads 16 GB of BF16 weights over 300 GB/s: about 25 s an answer.
    assert (cheap.hardware, cheap.quantization) == ("gpu-24", "bf16")
    assert cheap.ttft_s + 300 / cheap.output_tokens_per_s > 10

    def answer_time(d):
        return d.ttft_s + 300 / d.output_tokens_per_s

    # Within 10 s: the same GPU at the same price meets it with 4-bit weights.
    same_price = size_deployment(
        CATALOG, model, _runtime(), _with(loose, max_response_s=10), on_device=False
    )
    assert same_price.meets_latency and answer_time(same_price) <= 10
    assert same_price.hourly_cost == cheap.hourly_cost
    assert same_price.quantization == "int4"
    # Within 3 s only the faster, dearer GPU will do.
    fast = size_deployment(
        CATALOG, model, _runtime(), _with(loose, max_response_s=3), on_device=False
    )
    assert fast.meets_latency and answer_time(fast) <= 3
    assert fast.hardware == "gpu-80" and fast.hourly_cost > cheap.hourly_cost


def _with(usage: Usage, **changes) -> Usage:
    from dataclasses import replace

    return replace(usage, **changes)


def test_owned_gpus_cost_their_power_not_their_rent(tmp_path):
    catalog = _layer(
        tmp_path,
        {
            "hardware": [
                {
                    "id": "owned-80",
                    "name": "Owned 80 GB",
                    "class": "datacenter-gpu",
                    "memory_gb": 80,
                    "memory_bandwidth_gbps": 3350,
                    "bf16_tflops": 989,
                    "power_watts": 700,
                    "max_per_node": 8,
                    "price_per_hour": 3.0,
                    "source": "fixture",
                    "as_of": "2026-11-01",
                }
            ]
        },
    )
    model, runtime = catalog.models["open-8b"], catalog.runtimes["server-rt"]
    rented = size_deployment(catalog, model, runtime, Usage(), on_device=False)
    owned_usage = Usage(owned_gpu="owned-80", owned_gpu_count=4, electricity_price=0.2)
    owned = size_deployment(catalog, model, runtime, owned_usage, on_device=False)
    assert owned.hardware == "owned-80" and owned.owned_gpus == owned.count * owned.replicas
    # 0.7 kW x 0.2 USD per kWh per GPU-hour.
    assert owned.hourly_cost == pytest.approx(0.7 * 0.2 * owned.count * owned.replicas)
    assert owned.hourly_cost < rented.hourly_cost
    # More load than the owned GPUs carry rents the rest at the hourly price.
    heavy = size_deployment(
        catalog, model, runtime, owned_usage.at_volume(50_000_000), on_device=False
    )
    assert heavy.rented_gpus > 0
    assert heavy.hourly_cost == pytest.approx(0.14 * heavy.owned_gpus + 3.0 * heavy.rented_gpus)


def test_owned_gpus_that_cannot_be_rented_limit_the_load(tmp_path):
    catalog = _layer(
        tmp_path,
        {
            "hardware": [
                {
                    "id": "owned-only",
                    "name": "Owned only",
                    "class": "workstation-gpu",
                    "memory_gb": 80,
                    "memory_bandwidth_gbps": 3350,
                    "bf16_tflops": 989,
                    "power_watts": 700,
                    "max_per_node": 8,
                    "source": "fixture",
                    "as_of": "2026-11-01",
                }
            ]
        },
    )
    # A runtime for that class only, so no rentable GPU can take the extra load.
    runtime = catalog.runtimes["server-rt"].model_copy(
        update={"hardware_classes": ["workstation-gpu"]}
    )
    model = catalog.models["open-8b"]
    light = Usage(owned_gpu="owned-only", owned_gpu_count=1, requests_per_day=1000)
    sized = size_deployment(catalog, model, runtime, light, on_device=False)
    assert (sized.hardware, sized.owned_gpus, sized.rented_gpus) == ("owned-only", 1, 0)
    with pytest.raises(SizingError, match="owns 1"):
        size_deployment(catalog, model, runtime, light.at_volume(1e8), on_device=False)
    # Without owning it, the GPU has no price and cannot be used at all.
    with pytest.raises(SizingError):
        size_deployment(catalog, model, runtime, Usage(), on_device=False)


def test_break_even_is_the_first_crossing_on_a_fine_grid():
    model, runtime = CATALOG.models["open-8b"], CATALOG.runtimes["server-rt"]
    offering = CATALOG.offerings["api-co/small-closed"]
    usage = Usage(input_tokens=1500, output_tokens=300)
    crossings = break_even_crossings(CATALOG, model, runtime, offering, usage)
    assert crossings, "the fixture API is dear enough for self-hosting to win at some volume"
    first = crossings[0]
    per_day = api_monthly_cost(offering, usage.at_volume(1.0))

    def gap(volume: float) -> float:
        sized = size_deployment(CATALOG, model, runtime, usage.at_volume(volume), on_device=False)
        own = selfhost_monthly_cost(sized.hourly_cost, usage.at_volume(volume))
        return own - per_day * volume

    grid = np.linspace(first * 0.5, first * 1.5, 4001)
    below = next(v for v in grid if gap(v) <= 1e-6)
    step = grid[1] - grid[0]
    assert first <= below < first + step
    assert gap(first * (1 - 1e-9)) > 0 >= gap(first * (1 + 1e-9))


def test_break_even_points_by_hand():
    # One plan: 10 requests/s per replica, USD 1 an hour; peak factor 1; fixed USD 500.
    # A replica carries 864,000 requests a day and costs 730 a month; the API costs 0.002
    # per request-day, i.e. 1,728 a month per replica-full of volume.
    points = break_even_points(
        [(10.0, 1.0)], api_per_request_day=0.002, fixed_monthly=500, peak_factor=1.0
    )
    # First step: 730 + 500 = 1,230 reached at 615,000 requests a day, inside the first step.
    assert points[0] == pytest.approx(615_000)
    # The second machine costs 1,960: at 864,000 the API is 1,728, below it, so self-hosting
    # is dearer again until 980,000.
    assert points[1] == pytest.approx(980_000)
    # From the third step on the API outgrows the steps for good.
    assert all(a < b for a, b in itertools.pairwise(points))
    assert points[-1] < 5 * 864_000


def test_no_crossing_when_the_api_is_always_cheaper():
    assert (
        break_even_points(
            [(1.0, 100.0)], api_per_request_day=1e-6, fixed_monthly=1000, peak_factor=3.0
        )
        == []
    )


def test_device_memory_answer_limits_on_device_sizing():
    model = CATALOG.models["open-8b"]
    runtime = CATALOG.runtimes["laptop-rt"]
    roomy = size_deployment(CATALOG, model, runtime, Usage(), on_device=True)
    assert roomy.hardware == "laptop-16"
    with pytest.raises(SizingError):
        size_deployment(CATALOG, model, runtime, Usage(device_memory_gb=4), on_device=True)


def test_hardware_cost_comes_in_whole_gpus():
    model, runtime = CATALOG.models["open-8b"], CATALOG.runtimes["server-rt"]
    base = Usage(input_tokens=1500, output_tokens=300)
    sized = [
        size_deployment(CATALOG, model, runtime, base.at_volume(v), on_device=False)
        for v in (1e4, 1e5, 1e6, 1e7)
    ]
    costs = [d.hourly_cost for d in sized]
    assert costs == sorted(costs)
    for d in sized:
        price = CATALOG.hardware[d.hardware].price_per_hour
        assert d.hourly_cost == pytest.approx(price * d.count * d.replicas)


def _measured_catalog(tmp_path, **extra):
    model, runtime = CATALOG.models["open-8b"], CATALOG.runtimes["server-rt"]
    chosen = size_deployment(CATALOG, model, runtime, Usage(), on_device=False)
    record = {
        "id": "fixture-open-8b-measured",
        "model": "open-8b",
        "runtime": "server-rt",
        "hardware": chosen.hardware,
        "count": chosen.count,
        "quantization": chosen.quantization,
        "concurrency": 1,
        "output_tokens_per_s": 42.0,
        "ttft_s": 0.5,
        "method": "independent",
        "source": "fixture",
        "as_of": "2026-11-01",
        **extra,
    }
    return _layer(tmp_path, {"measurements": [record]})


def _own(catalog, option_id: str):
    import datetime as dt

    from llmchoose.engine.options import enumerate_options

    options, _ = enumerate_options(catalog, Usage(), dt.date(2026, 11, 28))
    return next(o for o in options if o.id == option_id)


def test_a_measured_configuration_shows_its_measurement(tmp_path):
    predicted = _own(CATALOG, "server-rt/open-8b").facts
    assert predicted["speed_basis"] == "predicted"
    assert predicted["speed_error_band"] == pytest.approx(0.3)  # no measurements: the fallback
    facts = _own(_measured_catalog(tmp_path), "server-rt/open-8b").facts
    assert (facts["speed_basis"], facts["speed_error_band"]) == ("measured", None)
    assert (facts["output_tokens_per_s"], facts["ttft_s"]) == (42.0, 0.5)
    assert facts["response_time_s"] == pytest.approx(0.5 + 300 / 42.0, abs=0.01)
    assert facts["speed_measurement"] == "fixture-open-8b-measured"


def test_a_sibling_models_measurement_is_a_stand_in(tmp_path):
    catalog = _measured_catalog(tmp_path, measured_model="open-8b-base (same shape)")
    assert _own(catalog, "server-rt/open-8b").facts["speed_basis"] == "stand-in"


def test_the_serving_limit_names_the_setting_to_change():
    usage = Usage(requests_per_day=100_000)
    runtime = _runtime(parallel_slots=1, parallel_setting="OLLAMA_NUM_PARALLEL")
    from llmchoose.engine.own import _serving_limit

    d = size_deployment(CATALOG, CATALOG.models["open-8b"], runtime, usage, on_device=False)
    text = _serving_limit(runtime, d)
    assert "1 request at once" in text and "OLLAMA_NUM_PARALLEL" in text
    roomy = size_deployment(CATALOG, CATALOG.models["open-70b"], _runtime(), usage, on_device=False)
    assert _serving_limit(_runtime(), roomy).startswith("memory for the KV cache holds")


def test_break_even_points_with_owned_replicas_by_hand():
    # Two owned replicas cost USD 0.1 an hour each; further ones are rented at USD 1.
    # u = 864,000 requests a day per replica; the API costs 0.002 per request-day.
    points = break_even_points(
        [(10.0, 1.0, 2, 0.1)], api_per_request_day=0.002, fixed_monthly=500, peak_factor=1.0
    )
    # Step 1 costs 73 + 500 = 573: reached at 286,500 requests a day.
    assert points[0] == pytest.approx(286_500)
    # Step 3 (the first rented replica) costs 146 + 730 + 500 = 1,376 while the API stands
    # at 1,728 when it starts: never dearer, so there is no later crossing from it.
    assert len(points) == 1


def test_break_even_with_owned_gpus_is_the_first_crossing_on_a_fine_grid(tmp_path):
    catalog = _layer(
        tmp_path,
        {
            "hardware": [
                {
                    "id": "owned-80",
                    "name": "Owned 80 GB",
                    "class": "datacenter-gpu",
                    "memory_gb": 80,
                    "memory_bandwidth_gbps": 3350,
                    "bf16_tflops": 989,
                    "power_watts": 700,
                    "max_per_node": 8,
                    "price_per_hour": 3.0,
                    "source": "fixture",
                    "as_of": "2026-11-01",
                }
            ]
        },
    )
    model, runtime = catalog.models["open-70b"], catalog.runtimes["server-rt"]
    offering = catalog.offerings["host-co/open-70b"]
    usage = Usage(owned_gpu="owned-80", owned_gpu_count=2, input_tokens=1500, output_tokens=300)
    crossings = break_even_crossings(catalog, model, runtime, offering, usage)
    assert crossings
    per_day = api_monthly_cost(offering, usage.at_volume(1.0))

    def gap(volume: float) -> float:
        sized = size_deployment(catalog, model, runtime, usage.at_volume(volume), on_device=False)
        return selfhost_monthly_cost(sized.hourly_cost, usage.at_volume(volume)) - per_day * volume

    first = crossings[0]
    grid = np.linspace(first * 0.5, first * 1.5, 2001)
    below = next(v for v in grid if gap(v) <= 1e-6)
    assert first <= below < first + (grid[1] - grid[0])
    assert gap(first * (1 - 1e-9)) > 0 >= gap(first * (1 + 1e-9))
