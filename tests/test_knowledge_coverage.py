"""The built-in knowledge base: how much of it has measured speed and a quality signal,
and the invariants speed, price-structure and source facts must keep.

The issue asks for 80% of API offerings with a speed figure (50% measured on the exact
offering) and 90% of models with a quality signal. The floors below pin what the sourced
data reaches today so coverage can only grow; they are deliberately not the targets,
which need dated public measurements this knowledge base does not have yet.
"""

from __future__ import annotations

import datetime as dt

import pytest

from llmchoose.engine.cost import api_monthly_cost
from llmchoose.engine.option import QUALITY_METRICS, quality_percentiles
from llmchoose.engine.usage import Usage
from llmchoose.loading.knowledge import load_catalog

TODAY = dt.date(2026, 12, 1)
SPEED_SHARE_FLOOR = 0.59  # share of API offerings with a speed figure (target 0.80)
EXACT_SHARE_FLOOR = 0.25  # share measured on the exact offering (target 0.50)
QUALITY_SHARE_FLOOR = 0.88  # share of models with at least one quality signal (target 0.90)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_speed_coverage_does_not_fall(catalog):
    offerings = list(catalog.offerings.values())
    with_speed = [o for o in offerings if o.performance.known]
    exact = [o for o in with_speed if o.performance.stand_in is None]
    assert len(with_speed) / len(offerings) >= SPEED_SHARE_FLOOR
    assert len(exact) / len(offerings) >= EXACT_SHARE_FLOOR


def test_quality_coverage_does_not_fall(catalog):
    covered = quality_percentiles(catalog)
    assert len(covered) / len(catalog.models) >= QUALITY_SHARE_FLOOR
    # Every signal a model carries is one the engine reads.
    for model in catalog.models.values():
        assert set(model.quality) <= set(QUALITY_METRICS), model.id


def test_every_speed_fact_has_method_date_and_a_dated_source(catalog):
    for offering in catalog.offerings.values():
        perf = offering.performance
        if not perf.known:
            continue
        assert perf.method is not None and perf.measured is not None, offering.id
        assert perf.measured <= TODAY, offering.id
        prov = offering.provenance_of("performance")
        assert prov.source in catalog.sources, offering.id
        assert prov.as_of >= perf.measured, offering.id


def test_a_stand_in_repeats_an_exact_measurement_of_the_same_family(catalog):
    for offering in catalog.offerings.values():
        stand_in = offering.performance.stand_in
        if stand_in is None:
            continue
        sibling = catalog.offerings[stand_in]
        assert sibling.performance.known and sibling.performance.stand_in is None
        assert (sibling.performance.output_tokens_per_s, sibling.performance.ttft_s) == (
            offering.performance.output_tokens_per_s,
            offering.performance.ttft_s,
        )
        family = catalog.models[offering.model].family
        assert catalog.models[sibling.model].family == family, offering.id


# Hosts on their own chips serve the same model several times faster than GPU hosts.
CUSTOM_SILICON = {"groq", "cerebras"}


def test_a_host_on_its_own_chips_never_stands_in_for_another_host(catalog):
    for offering in catalog.offerings.values():
        stand_in = offering.performance.stand_in
        if stand_in is None:
            continue
        sibling = catalog.offerings[stand_in]
        if sibling.provider in CUSTOM_SILICON:
            assert offering.provider == sibling.provider, offering.id


def test_a_scheduled_price_changes_the_built_in_cost_on_its_day(catalog):
    flash = catalog.offerings["google-gemini-api/gemini-3.8-flash"]
    usage = Usage(requests_per_day=1000, input_tokens=2000, output_tokens=500)
    before = api_monthly_cost(flash, usage, dt.date(2026, 12, 31))
    after = api_monthly_cost(flash, usage, dt.date(2027, 1, 1))
    assert after == pytest.approx(2 * before)


def test_a_long_prompt_tier_changes_the_built_in_cost_above_its_threshold(catalog):
    haiku = catalog.offerings["anthropic/claude-haiku-5-5"]
    at = api_monthly_cost(haiku, Usage(input_tokens=100_000, output_tokens=1000), TODAY)
    above = api_monthly_cost(haiku, Usage(input_tokens=100_001, output_tokens=1000), TODAY)
    assert above / at == pytest.approx(5.0, rel=1e-3)


def test_third_party_copies_and_conflicts_explain_themselves(catalog):
    for source in catalog.sources.values():
        if source.kind == "third-party-copy" or source.conflicts_with:
            assert source.note, source.id
        for other in source.conflicts_with:
            assert other in catalog.sources, source.id
