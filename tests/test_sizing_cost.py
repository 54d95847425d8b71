"""Sizing formulas, cost sums and the break-even search."""

from __future__ import annotations

import math

import pytest
from enginehelp import FIXTURE_KB

from llmchoose.engine.cost import api_monthly_cost, break_even_volume, selfhost_monthly_cost
from llmchoose.engine.sizing import SizingError, kv_bytes_per_token, size_deployment, weight_bytes
from llmchoose.engine.usage import DAYS_PER_MONTH, Usage
from llmchoose.loading.knowledge import load_catalog

CATALOG = load_catalog(layers=[FIXTURE_KB])


def test_weight_and_kv_formulas():
    model = CATALOG.models["open-70b"]
    bf16 = CATALOG.quantizations["bf16"]
    assert weight_bytes(model, bf16) == pytest.approx(70.6e9 * 2)
    # 2 (K and V) × 80 layers × 8 KV heads × 128 dims × 2 bytes = 327,680 bytes per token.
    assert kv_bytes_per_token(model, 2) == 327_680


def test_mla_kv_cache_uses_the_compressed_width():
    model = CATALOG.models["open-8b"].model_copy(
        update={
            "architecture": CATALOG.models["open-8b"].architecture.model_copy(
                update={"kv_lora_rank": 512, "head_dim": 64}
            )
        }
    )
    assert kv_bytes_per_token(model, 2) == 32 * (512 + 64) * 2


def test_smallest_sufficient_hardware_is_chosen():
    usage = Usage(requests_per_day=100, input_tokens=1000, output_tokens=200)
    small = size_deployment(
        CATALOG, CATALOG.models["open-8b"], CATALOG.runtimes["server-rt"], usage, on_device=False
    )
    # 8B at 16 bits is 16 GB: it fits one 24 GB GPU, the cheapest option.
    assert (small.hardware, small.count, small.quantization) == ("gpu-24", 1, "bf16")
    big = size_deployment(
        CATALOG, CATALOG.models["open-70b"], CATALOG.runtimes["server-rt"], usage, on_device=False
    )
    # 70B needs ~141 GB at 16 bits or ~40 GB at 4.5 bits: 4-bit on one 80 GB GPU is cheapest.
    assert big.weights_gb == pytest.approx(70.6 * 4.5 / 8, rel=1e-3)
    assert big.hourly_cost <= 3.0 * 2
    assert big.memory_gb * 0.9 >= big.weights_gb


def test_more_load_means_more_replicas_and_cost():
    model, runtime = CATALOG.models["open-8b"], CATALOG.runtimes["server-rt"]
    light = size_deployment(CATALOG, model, runtime, Usage(requests_per_day=1_000), on_device=False)
    heavy = size_deployment(
        CATALOG, model, runtime, Usage(requests_per_day=20_000_000), on_device=False
    )
    assert heavy.hourly_cost > light.hourly_cost
    assert (
        heavy.replicas * heavy.capacity_tokens_per_s
        >= Usage(requests_per_day=20_000_000).peak_requests_per_s * 300
    )


def test_model_too_big_for_devices_is_reported():
    with pytest.raises(SizingError, match="does not fit any device"):
        size_deployment(
            CATALOG,
            CATALOG.models["open-70b"],
            CATALOG.runtimes["laptop-rt"],
            Usage(),
            on_device=True,
        )


def test_api_cost_by_hand():
    offering = CATALOG.offerings["api-co/big-closed"]  # 2.5 in, 0.25 cached, 15 out per million
    usage = Usage(requests_per_day=1000, input_tokens=2000, output_tokens=500, cached_share=0.5)
    per_request = (1000 * 2.5 + 1000 * 0.25 + 500 * 15.0) / 1e6
    assert api_monthly_cost(offering, usage) == pytest.approx(per_request * 1000 * DAYS_PER_MONTH)
    batch = Usage(
        requests_per_day=1000, input_tokens=2000, output_tokens=500, cached_share=0.5, batch=True
    )
    assert api_monthly_cost(offering, batch) == pytest.approx(
        per_request * 1000 * DAYS_PER_MONTH * 0.5
    )


def test_selfhost_cost_includes_operations():
    usage = Usage(ops_hours_per_month=10, engineer_hourly_rate=120)
    assert selfhost_monthly_cost(2.0, usage) == pytest.approx(2.0 * 730 + 1200)


def test_break_even_is_the_first_volume_where_self_hosting_is_not_dearer():
    def own(volume: float) -> float:  # 1,000 a month per 10,000 requests/day, in steps
        return 1000.0 * math.ceil(volume / 10_000)

    per_request = 0.005  # API: 0.005 per request
    volume = break_even_volume(own, per_request)
    api = per_request * DAYS_PER_MONTH
    assert own(volume) <= api * volume + 1e-6
    assert own(volume * 0.999) > api * volume * 0.999
    assert break_even_volume(lambda v: 1e12, per_request) is None
