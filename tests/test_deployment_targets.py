"""Deployment targets on the built-in knowledge base: no network, browser pages and
extensions, shipped apps, owned GPUs; and the calibration bands of the serving model."""

from __future__ import annotations

import statistics

import pytest
from enginehelp import rank

from llmchoose.engine.calibration import check_all, error_band
from llmchoose.loading.knowledge import load_catalog

CATALOG = load_catalog()
BASE = {"requests_per_day": 200, "input_tokens": 800, "output_tokens": 200}


def _ranked(answers: dict) -> list:
    result = rank(
        {},
        catalog=CATALOG,
        samples=50,
        workloads=[{"id": "main", "name": "Main", "answers": {**BASE, **answers}}],
    )
    return result.workloads[0].ranked


def test_no_network_at_all_leaves_only_on_device_options():
    ranked = _ranked({"connectivity": "no-network", "app_type": "shipped-app"})
    assert ranked
    assert {r.category for r in ranked} == {"on-device"}


def test_an_air_gapped_site_may_still_use_its_own_servers():
    ranked = _ranked({"connectivity": "air-gapped", "app_type": "service"})
    assert "self-hosted" in {r.category for r in ranked}
    assert not {"proprietary-api", "hosted-open-weights"} & {r.category for r in ranked}


def test_a_browser_extension_gets_in_browser_models_within_its_memory_budget():
    ranked = _ranked(
        {"connectivity": "no-network", "app_type": "browser-extension", "device_memory_gb": 4}
    )
    assert ranked
    assert all(r.option.facts["deployment"] == "browser" for r in ranked)
    assert {r.option.facts["runtime"] for r in ranked} == {"webllm"}
    for r in ranked:
        # The 4 GB budget holds the weights and one answer's KV cache.
        assert r.option.deployment.weights_gb + r.option.deployment.kv_gb_per_sequence <= 4
    assert r.option.facts["device_memory_gb"] == 4
    # A larger budget lets a larger model in.
    roomy = _ranked(
        {"connectivity": "no-network", "app_type": "browser-extension", "device_memory_gb": 8}
    )
    assert len(roomy) > len(ranked)


def test_a_browser_extension_prefers_in_browser_models_over_installed_software():
    ranked = _ranked({"app_type": "browser-extension"})
    on_device = [r for r in ranked if r.category == "on-device"]
    assert on_device and all(r.option.facts["deployment"] == "browser" for r in on_device)


def test_a_shipped_app_needs_a_runtime_it_can_embed():
    ranked = _ranked({"connectivity": "no-network", "app_type": "shipped-app"})
    runtimes = {r.option.facts["runtime"] for r in ranked}
    assert "lm-studio" not in runtimes and "ollama" not in runtimes
    assert all(CATALOG.runtimes[r].embeddable for r in runtimes)
    staff = _ranked({"connectivity": "no-network", "app_type": "staff-laptops"})
    assert "lm-studio" in {r.option.facts["runtime"] for r in staff}


def test_the_device_class_decides_where_on_device_options_run():
    ranked = _ranked(
        {"connectivity": "no-network", "app_type": "shipped-app", "device_class": "tablet"}
    )
    assert ranked
    assert {r.option.facts["deployment"] for r in ranked} == {"tablet"}


def test_owned_gpus_change_the_self_hosted_cost():
    answers = {"app_type": "service", "requests_per_day": 50_000}
    rented = {r.id: r.option for r in _ranked(answers) if r.category == "self-hosted"}
    owned = {
        r.id: r.option
        for r in _ranked({**answers, "owned_gpu": "nvidia-h100-80gb", "owned_gpu_count": 8})
        if r.category == "self-hosted"
    }
    common = set(rented) & set(owned)
    assert common
    # Owning GPUs never makes an option dearer: rented hardware stays a choice.
    assert all(owned[i].cost.monthly <= rented[i].cost.monthly + 0.01 for i in common)
    on_owned = [i for i in common if owned[i].facts["hardware"] == "nvidia-h100-80gb"]
    assert on_owned
    for option_id in on_owned:
        assert owned[option_id].cost.monthly < rented[option_id].cost.monthly
        assert owned[option_id].facts["cost_structure"] == "owned-hardware"
        assert owned[option_id].cost.breakdown["power"] > 0


def test_every_self_hosted_option_shows_speed_with_its_basis():
    ranked = _ranked({"app_type": "service"})
    band = error_band(CATALOG)
    for r in ranked:
        if r.category != "self-hosted":
            continue
        facts = r.option.facts
        assert facts["output_tokens_per_s"] > 0 and facts["ttft_s"] is not None
        assert facts["speed_basis"] in ("predicted", "measured", "stand-in")
        if facts["speed_basis"] == "predicted":
            assert facts["speed_error_band"] == band


CHECKS = [c for c in check_all(CATALOG) if c.speed_ratio is not None]


def test_the_calibration_table_is_broad_enough():
    assert len(CHECKS) >= 25
    models = [CATALOG.models[c.measurement.model] for c in CHECKS]
    assert any((m.parameters.active_b or 0) < (m.parameters.total_b or 0) for m in models)
    assert any(m.parameters.active_b == m.parameters.total_b for m in models)
    assert any(c.measurement.count > 1 for c in CHECKS)
    runtimes = {c.measurement.runtime for c in CHECKS}
    assert {"llama-cpp", "ollama"} & runtimes and {"vllm", "sglang"} & runtimes
    classes = {CATALOG.hardware[c.measurement.hardware].hw_class for c in CHECKS}
    assert {"workstation-gpu", "desktop", "datacenter-gpu"} <= classes


def test_predictions_land_within_the_calibration_bands():
    ratios = [c.speed_ratio for c in CHECKS]
    assert 0.8 <= statistics.median(ratios) <= 1.25
    outside = [(c.measurement.id, round(c.speed_ratio, 2)) for c in CHECKS]
    assert all(0.5 <= r <= 2.0 for r in ratios), outside


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.measurement.id)
def test_each_measured_point_is_within_twice_or_half(check):
    assert 0.5 <= check.speed_ratio <= 2.0


def test_on_users_laptops_a_model_ships_in_four_bits_where_it_fits():
    """More precise weights fit a 16 GB laptop too, but on a device the model shares
    memory with everything else and its speed is felt at every answer."""
    ranked = _ranked(
        {"connectivity": "no-network", "app_type": "shipped-app", "device_class": "laptop"}
    )
    by_id = {r.id: r for r in ranked}
    phi = by_id["llama-cpp/phi-4-mini-instruct@device"].option.deployment
    assert phi.quantization == "gguf-q4_k_m"
    assert phi.bits_per_weight < 5
    assert phi.weights_gb < 3  # 3.8 B parameters in bf16 would take 7.6 GB
    assert all(r.option.deployment.bits_per_weight < 5 for r in ranked)


def test_the_winners_reason_is_where_it_beats_the_next_model():
    """A factor every ranked option scores the same on (offline capability, when only
    offline options are left) explains nothing about why one of them is first."""
    result = rank(
        {},
        catalog=CATALOG,
        samples=50,
        workloads=[
            {
                "id": "main",
                "name": "Main",
                "answers": {**BASE, "connectivity": "no-network", "app_type": "shipped-app"},
            }
        ],
    ).workloads[0]
    runner = result.explanation["runner_up"]
    level = {
        factor
        for factor in result.weights.values
        if len({r.factor_scores[factor] for r in result.ranked}) == 1
    }
    assert "offline" in level
    named = {row["factor"] for row in runner["ahead_on"] + runner["behind_on"]}
    assert named and not named & level
    assert all(row["score"] > row["other"] for row in runner["ahead_on"])
    assert all(row["score"] < row["other"] for row in runner["behind_on"])
    gains = [row["gain"] for row in runner["ahead_on"]] + [
        row["gain"] for row in runner["behind_on"]
    ]
    # Under the weighted sum the differences add up to the gap (up to rounding and the
    # differences too small to name).
    assert sum(gains) == pytest.approx(runner["gap"], abs=0.003)
