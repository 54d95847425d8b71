"""The shipped knowledge base: valid, complete enough, and every fact sourced and dated."""

from __future__ import annotations

import datetime as dt

import pytest

from llmchoose.kb.kbview import record_facts
from llmchoose.loading.knowledge import load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_fact_has_a_resolvable_source_and_a_past_date(catalog):
    today = dt.date.today()
    checked = 0
    for kind in catalog.KINDS:
        if kind == "sources":
            continue
        for record in catalog.records(kind):
            for path, _value in record_facts(record):
                prov = record.provenance_of(path)
                source = catalog.sources.get(prov.source)
                assert source is not None, (
                    f"{kind} {record.id}: {path} cites unknown source {prov.source}"
                )
                assert str(source.url).startswith("https://") or str(source.url).startswith(
                    "http://"
                )
                assert prov.as_of <= today, f"{kind} {record.id}: {path} is dated in the future"
                checked += 1
    assert checked > 500


def test_prices_were_checked_within_the_last_year(catalog):
    year_ago = dt.date.today() - dt.timedelta(days=365)
    for offering in catalog.offerings.values():
        if offering.price is not None:
            assert offering.provenance_of("price").as_of >= year_ago, offering.id
    for hardware in catalog.hardware.values():
        if hardware.price_per_hour is not None:
            assert hardware.provenance_of("price_per_hour").as_of >= year_ago, hardware.id


def test_coverage_the_issue_asks_for(catalog):
    providers = {
        "openai",
        "azure-openai",
        "anthropic",
        "google-gemini-api",
        "google-vertex-ai",
        "aws-bedrock",
        "mistral",
        "groq",
        "together",
        "huggingface",
    }
    assert providers <= set(catalog.providers)
    assert {"vllm", "tgi", "ollama", "llama-cpp", "webllm"} <= set(catalog.runtimes)
    assert len(catalog.models) >= 25
    families = {m.family for m in catalog.models.values()}
    assert {"llama", "mistral", "qwen", "deepseek", "gemma", "phi"} <= families
    open_models = [m for m in catalog.models.values() if m.open_weights]
    for model in open_models:
        assert model.architecture is not None, f"{model.id} lacks the architecture sizing needs"
        assert model.parameters.total_b, f"{model.id} lacks its parameter count"
    assert any(
        h.hw_class == "datacenter-gpu" and h.price_per_hour for h in catalog.hardware.values()
    )
    assert any(h.hw_class in ("laptop", "edge") for h in catalog.hardware.values())


def test_every_model_is_deployable_somewhere(catalog):
    from llmchoose.kb.kbview import model_categories

    for model in catalog.models.values():
        assert model_categories(catalog, model), f"{model.id} has no offering and no runtime"
