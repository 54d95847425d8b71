"""Loading the knowledge base: validation errors with file and line, layering, provenance."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from llmchoose.errors import InputError
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.layers import KnowledgeErrors

FIXTURE = Path(__file__).parent / "data" / "kb" / "all.yaml"


def fixture_data() -> dict:
    return yaml.safe_load(FIXTURE.read_text())


def load(tmp_path: Path, data: dict, *extra: dict):
    base = tmp_path / "base"
    base.mkdir(exist_ok=True)
    (base / "all.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    layers = [base]
    for n, overlay in enumerate(extra):
        folder = tmp_path / f"layer{n}"
        folder.mkdir(exist_ok=True)
        (folder / "overlay.yaml").write_text(yaml.safe_dump(overlay, sort_keys=False))
        layers.append(folder)
    return load_catalog(layers=layers)


def errors_of(tmp_path, data, *extra) -> list[InputError]:
    with pytest.raises(KnowledgeErrors) as caught:
        load(tmp_path, data, *extra)
    return caught.value.errors


def test_fixture_loads_with_every_kind():
    catalog = load_catalog(layers=[FIXTURE.parent])
    assert set(catalog.models) == {"big-closed", "small-closed", "open-8b", "open-70b", "tiny-1b"}
    assert catalog.offerings["api-co/big-closed"].price.output == 15.0
    assert catalog.origins[("models", "open-8b")].file == FIXTURE


def test_unknown_key_names_file_line_and_suggests(tmp_path):
    data = fixture_data()
    data["models"][2]["contxt_window"] = data["models"][2].pop("context_window")
    problems = errors_of(tmp_path, data)
    texts = [str(p) for p in problems]
    assert any(
        "models[2].contxt_window: unknown key 'contxt_window'" in t
        and "did you mean 'context_window'?" in t
        for t in texts
    )
    bad = next(p for p in problems if "contxt_window" in p.message and "unknown" in p.message)
    source_lines = (tmp_path / "base" / "all.yaml").read_text().splitlines()
    assert "contxt_window" in source_lines[bad.line - 1]


def test_wrong_type_is_reported_with_the_value(tmp_path):
    data = fixture_data()
    data["hardware"][0]["memory_gb"] = "lots"
    problems = errors_of(tmp_path, data)
    assert any("hardware[0].memory_gb" in p.message and "'lots'" in p.message for p in problems)


def test_impossible_numbers_are_refused(tmp_path):
    data = fixture_data()
    data["models"][2]["parameters"] = {"total_b": 8, "active_b": 80}
    data["offerings"][0]["price"]["input"] = -1
    messages = " | ".join(p.message for p in errors_of(tmp_path, data))
    assert "active_b cannot exceed total_b" in messages
    assert "offerings[0].price.input" in messages


def test_duplicate_id_points_at_both_places(tmp_path):
    data = fixture_data()
    data["models"].append(copy.deepcopy(data["models"][0]))
    problems = errors_of(tmp_path, data)
    assert problems[0].message == "duplicate models id 'big-closed'"
    assert "first defined at" in problems[0].hint


def test_dangling_reference_suggests_the_right_id(tmp_path):
    data = fixture_data()
    data["offerings"][0]["model"] = "big-closd"
    problems = errors_of(tmp_path, data)
    assert "model 'big-closd' does not exist" in problems[0].message
    assert problems[0].hint == "did you mean 'big-closed'?"


def test_missing_source_is_an_error(tmp_path):
    data = fixture_data()
    data["models"][0]["source"] = "nowhere"
    assert any("source 'nowhere' does not exist" in p.message for p in errors_of(tmp_path, data))
    del data["models"][0]["source"]
    assert any(
        "models[0].source: required key is missing" in p.message for p in errors_of(tmp_path, data)
    )


def test_unknown_section_and_missing_folder(tmp_path):
    data = fixture_data()
    data["model"] = data.pop("models")
    problems = errors_of(tmp_path, data)
    assert any(
        p.message == "unknown section 'model'" and p.hint == "did you mean 'models'?"
        for p in problems
    )
    with pytest.raises(KnowledgeErrors, match="folder not found"):
        load_catalog(layers=[tmp_path / "absent"])


def test_overlay_overrides_one_fact_and_credits_its_own_source(tmp_path):
    overlay = {
        "sources": [{"id": "contract", "title": "Our contract", "url": "https://example.com/c"}],
        "offerings": [
            {
                "id": "api-co/big-closed",
                "price": {"input": 1.0},
                "source": "contract",
                "as_of": "2026-11-20",
            }
        ],
    }
    catalog = load(tmp_path, fixture_data(), overlay)
    offering = catalog.offerings["api-co/big-closed"]
    assert offering.price.input == 1.0
    assert offering.price.output == 15.0  # untouched facts stay
    assert offering.provenance_of("price.input").source == "contract"
    assert offering.provenance_of("price.output").source == "fixture"
    assert offering.provenance_of("regions").source == "fixture"
    assert catalog.overridden[("offerings", "api-co/big-closed")]


def test_overlay_must_cite_a_source(tmp_path):
    overlay = {"offerings": [{"id": "api-co/big-closed", "price": {"input": 1.0}}]}
    problems = errors_of(tmp_path, fixture_data(), overlay)
    assert "must say where its facts come from" in problems[0].message


def test_overlay_can_add_a_new_record(tmp_path):
    overlay = {
        "offerings": [
            {
                "id": "api-co/open-8b-private",
                "provider": "api-co",
                "model": "open-8b",
                "price": {"input": 0.1, "output": 0.1},
                "source": "fixture",
                "as_of": "2026-11-20",
            }
        ]
    }
    catalog = load(tmp_path, fixture_data(), overlay)
    assert "api-co/open-8b-private" in catalog.offerings


def test_project_layer_is_read_from_the_current_folder(tmp_path, fixture_kb):
    from llmchoose.loading.knowledge import knowledge_layers

    overlay = tmp_path / ".llmchoose" / "knowledge"
    overlay.mkdir(parents=True)
    (overlay / "price.yaml").write_text(
        yaml.safe_dump(
            {
                "offerings": [
                    {
                        "id": "api-co/small-closed",
                        "price": {"output": 1.5},
                        "source": "fixture",
                        "as_of": "2026-11-21",
                    }
                ]
            }
        )
    )
    assert knowledge_layers()[-1] == overlay
    assert load_catalog().offerings["api-co/small-closed"].price.output == 1.5
