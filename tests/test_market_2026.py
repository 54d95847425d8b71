"""The 2026 market added to the built-in knowledge base: how much there is, and that every
new record is valid, sourced and dated, with the contract's price and speed structure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from llmchoose.kb.kbview import record_facts
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.yamlio import load_yaml
from llmchoose.schemas.knowledge import Offering, Price, Source

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"

# The files this part of the market lives in (new files only, so they merge cleanly).
NEW_FILES = (
    sorted((KNOWLEDGE / "models" / "2026").glob("*.yaml"))
    + [
        KNOWLEDGE / "providers" / f"{name}.yaml"
        for name in (
            "xai",
            "cohere",
            "deepseek",
            "fireworks",
            "cerebras",
            "baseten",
            "deepinfra",
            "openrouter",
        )
    ]
    + [
        KNOWLEDGE / "offerings" / f"{name}.yaml"
        for name in (
            "xai",
            "deepseek",
            "fireworks",
            "cerebras",
            "baseten",
            "openrouter",
            "mistral-2026",
            "google-gemini-api-2026",
            "openai-2026",
            "aws-bedrock-2026",
            "together-2026",
            "azure-phi",
            "deepinfra",
        )
    ]
)

NEW_PROVIDERS = {
    "xai",
    "cohere",
    "deepseek",
    "fireworks",
    "cerebras",
    "baseten",
    "deepinfra",
    "openrouter",
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _new_ids(catalog, kind: str) -> set[str]:
    new_files = {path.resolve() for path in NEW_FILES}
    return {
        record_id
        for (record_kind, record_id), origin in catalog.origins.items()
        if record_kind == kind and Path(origin.file).resolve() in new_files
    }


def test_the_new_files_hold_the_counted_records(catalog):
    assert len(_new_ids(catalog, "models")) == 24
    assert _new_ids(catalog, "providers") == NEW_PROVIDERS
    assert len(_new_ids(catalog, "offerings")) == 48


def test_the_whole_base_meets_the_market_targets(catalog):
    assert len(catalog.models) >= 60
    assert len(catalog.providers) >= 15


@pytest.mark.parametrize("path", NEW_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_new_file_has_its_own_sources(path):
    data = load_yaml(path)
    if path.parent.name == "offerings":
        # Offerings cite the shared price catalogue; their files need no sources of their own.
        return
    assert data.get("sources"), f"{path.name} lists no sources"


def test_every_new_fact_cites_a_known_source_dated_no_later_than_today(catalog):
    today = dt.date.today()
    for kind in ("models", "providers", "offerings"):
        for record_id in _new_ids(catalog, kind):
            record = getattr(catalog, kind)[record_id]
            for path, _value in record_facts(record):
                prov = record.provenance_of(path)
                assert prov.source in catalog.sources, f"{record_id}: {path} cites {prov.source}"
                assert prov.as_of <= today, f"{record_id}: {path} is dated after today"


def test_every_new_model_has_a_dated_quality_signal_or_says_why_not(catalog):
    for model_id in _new_ids(catalog, "models"):
        model = catalog.models[model_id]
        if not model.quality:
            notes = (model.notes or "").lower()
            assert "score" in notes or "quality signal" in notes, f"{model_id} does not say why"
        for metric in model.quality:
            prov = model.provenance_of(f"quality.{metric}")
            assert prov.source != model.source, f"{model_id}: {metric} has no own provenance"
    with_signal = [m for m in _new_ids(catalog, "models") if catalog.models[m].quality]
    assert len(with_signal) / len(_new_ids(catalog, "models")) >= 0.8


def test_new_open_weights_models_carry_a_sourced_layer_shape(catalog):
    for model_id in _new_ids(catalog, "models"):
        model = catalog.models[model_id]
        if model.open_weights:
            assert model.architecture is not None, model_id
            assert model.parameters.total_b is not None, model_id
            assert model.provenance_of("architecture").source in catalog.sources


def test_every_new_offering_points_at_a_known_model_and_provider(catalog):
    for offering_id in _new_ids(catalog, "offerings"):
        offering = catalog.offerings[offering_id]
        assert offering.model in catalog.models, offering_id
        assert offering.provider in catalog.providers, offering_id
        assert offering.price is not None, offering_id


def test_speed_facts_in_new_offerings_say_how_and_when_they_were_measured(catalog):
    for offering_id in _new_ids(catalog, "offerings"):
        perf = catalog.offerings[offering_id].performance
        if perf.output_tokens_per_s is not None or perf.ttft_s is not None:
            assert perf.method is not None and perf.measured is not None, offering_id


def test_phi_can_be_bought_as_a_hosted_api(catalog):
    hosted = {o.provider for o in catalog.offerings.values() if o.model == "phi-4"}
    assert {"azure-openai", "openrouter"} <= hosted


def test_long_prompt_tiers_are_stored_for_the_tiered_vendors(catalog):
    astra = catalog.offerings["openai/gpt-6-astra"].price
    assert [(t.above_input_tokens, t.input, t.output) for t in astra.tiers] == [(272000, 20, 75)]
    grok = catalog.offerings["xai/grok-4.7"].price
    assert grok.tiers[0].above_input_tokens == 200000
    assert grok.tiers[0].input == 2 * grok.input


def test_a_scheduled_price_is_kept_apart_from_todays_price(catalog):
    flash = catalog.offerings["google-gemini-api/gemini-3.7-flash"]
    assert (flash.price.input, flash.price.output) == (0.75, 3.75)
    [change] = flash.price_changes
    assert change.starts == dt.date(2027, 1, 1)
    assert (change.price.input, change.price.output) == (1.5, 7.5)


def test_conflicting_sources_point_at_each_other(catalog):
    conflicted = [s for s in catalog.sources.values() if s.conflicts_with]
    assert conflicted, "the new files record at least one conflict"
    for source in conflicted:
        for other in source.conflicts_with:
            assert other in catalog.sources, f"{source.id} conflicts with unknown {other}"
            assert source.note, f"{source.id} must say what conflicts"


def test_price_tiers_out_of_order_are_refused():
    with pytest.raises(ValidationError, match="ascending"):
        Price(
            input=1,
            output=2,
            tiers=[
                {"above_input_tokens": 272000, "input": 2, "output": 4},
                {"above_input_tokens": 128000, "input": 3, "output": 6},
            ],
        )


def test_price_changes_out_of_order_are_refused():
    base = {
        "id": "p/m",
        "provider": "p",
        "model": "m",
        "source": "s",
        "as_of": "2026-11-28",
        "price": {"input": 1, "output": 2},
    }
    with pytest.raises(ValidationError, match="ascending"):
        Offering.model_validate(
            base
            | {
                "price_changes": [
                    {"starts": "2027-06-01", "price": {"input": 2, "output": 4}},
                    {"starts": "2027-01-01", "price": {"input": 3, "output": 6}},
                ]
            }
        )


def test_a_source_is_a_vendor_page_unless_marked_otherwise():
    plain = Source(id="s", title="t", url="https://example.com")
    assert plain.kind == "vendor" and plain.conflicts_with == []
    with pytest.raises(ValidationError):
        Source(id="s", title="t", url="https://example.com", kind="rumour")


def test_a_speed_method_outside_the_contract_is_refused():
    base = {"id": "p/m", "provider": "p", "model": "m", "source": "s", "as_of": "2026-11-28"}
    with pytest.raises(ValidationError):
        Offering.model_validate(base | {"performance": {"ttft_s": 0.5, "method": "guess"}})
    ok = Offering.model_validate(
        base
        | {
            "performance": {
                "ttft_s": 0.5,
                "method": "independent",
                "percentile": "p50",
                "measured": "2026-11-20",
                "stand_in": "p/other",
            }
        }
    )
    assert ok.performance.measured == dt.date(2026, 11, 20)
