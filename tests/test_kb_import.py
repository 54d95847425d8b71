"""`kb import genai-prices`: the package's whole API catalogue as imported options."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

genai_prices = pytest.importorskip("genai_prices")

SYNC_KB = Path(__file__).resolve().parent / "data" / "sync" / "kb"
AS_OF = "2026-11-28"
FOLDER = Path(".llmchoose/knowledge/imported/genai-prices")
DECISION = {
    "project": {"name": "Market scan"},
    "answers": {"planning_horizon_months": 1},
    "workloads": [{"id": "w", "name": "Chat"}],
}


@pytest.fixture
def cli(run_cli):
    return run_cli


def token_priced(model) -> bool:
    """Whether a catalogue entry has per-token input and output prices on the as-of day,
    read straight from the package (its own price resolution, at noon UTC)."""
    when = dt.datetime(2026, 11, 28, 12, tzinfo=dt.timezone.utc)
    prices = model.get_prices(when)
    return (
        getattr(prices, "input_mtok", None) is not None
        and getattr(prices, "output_mtok", None) is not None
    )


def package_counts() -> tuple[int, int, dict[str, int]]:
    from genai_prices.data import providers

    total = sum(len(p.models) for p in providers)
    per_provider = {p.id: sum(1 for m in p.models if token_priced(m)) for p in providers}
    return total, sum(per_provider.values()), per_provider


def test_the_import_holds_every_token_priced_entry_of_the_catalogue(cli, fixture_kb):
    total, priced, per_provider = package_counts()
    code, out, err = cli("kb", "import", "genai-prices", "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["catalogue_entries"] == total
    # The fixture knowledge base serves none of the catalogue's providers: nothing is curated.
    assert plan["already_curated"] == []
    assert plan["imported_offerings"] == priced
    assert {k: v for k, v in plan["per_provider"].items()} == per_provider
    assert len(plan["not_priced"]) == total - priced
    assert sum(plan["categories"].values()) == priced

    from llmchoose.loading.knowledge import load_catalog

    catalog = load_catalog()
    imported = [o for o in catalog.offerings.values() if o.imported]
    assert len(imported) == priced
    assert len(catalog.offerings) == priced + 3  # and the fixture's own three
    categories = {"proprietary-api": 0, "hosted-open-weights": 0}
    for offering in imported:
        model = catalog.models[offering.model]
        categories["hosted-open-weights" if model.open_weights else "proprietary-api"] += 1
    assert categories == plan["categories"]


def test_imported_records_say_what_is_known_guessed_and_unknown(cli, fixture_kb):
    code, _, err = cli(
        "kb", "import", "genai-prices", "--only", "anthropic", "--only", "google", "--as-of", AS_OF
    )
    assert code == 0, err
    from llmchoose.loading.knowledge import load_catalog

    catalog = load_catalog()
    offering = catalog.offerings["gp.anthropic/claude-sonnet-4-5"]
    assert offering.imported and offering.provider == "gp.anthropic"
    assert offering.api_model_id == "claude-sonnet-4-5"
    assert (offering.price.input, offering.price.output, offering.price.cached_input) == (
        3.0,
        15.0,
        0.3,
    )
    # The long-prompt tier comes over as a tier, not a note.
    assert [(t.above_input_tokens, t.input, t.output) for t in offering.price.tiers] == [
        (200_000, 6.0, 22.5)
    ]
    assert offering.provenance_of("price.input").source == "gp.anthropic"
    model = catalog.models[offering.model]
    assert (model.vendor, model.family, model.open_weights) == ("Anthropic", "claude", False)
    for fact in ("vendor", "family", "open_weights", "licence"):
        assert model.provenance_of(fact).source == "gp.inferred"
    assert model.context_window == 200000
    assert model.provenance_of("context_window").source == "gp.anthropic"
    # A model whose context window the catalogue lacks leaves it unknown, not invented.
    unknown = [
        m for m in catalog.models.values() if m.id.startswith("gp.") and m.context_window is None
    ]
    assert unknown
    assert "gp.inferred" in catalog.sources
    assert urlsplit(catalog.sources["gp.anthropic"].url).hostname == "www.anthropic.com"


def test_the_imported_market_is_ranked_by_recommend(cli, fixture_kb, write_tree, tmp_path):
    write_tree({"d.yaml": DECISION})
    assert (
        cli(
            "kb", "import", "genai-prices", "--only", "mistral", "--only", "groq", "--as-of", AS_OF
        )[0]
        == 0
    )
    code, out, err = cli(
        "recommend",
        str(tmp_path / "d.yaml"),
        "--format",
        "json",
        "--top",
        "500",
        "--samples",
        "50",
        "--as-of",
        AS_OF,
    )
    assert code == 0, err
    ranked = json.loads(out)["workloads"][0]["ranked"]
    imported = [r for r in ranked if r["id"].startswith("gp.")]
    assert {r["category"] for r in imported} == {"proprietary-api", "hosted-open-weights"}
    assert any(r["id"].startswith("gp.groq/") for r in imported)
    # The imported models have no quality signal: the ranking says so instead of inventing one.
    assert all("quality" in r["missing"] for r in imported)


def test_offerings_the_knowledge_base_curates_are_not_imported_twice(cli, monkeypatch):
    monkeypatch.setenv("LLMCHOOSE_KNOWLEDGE_DIR", str(SYNC_KB))
    code, out, err = cli(
        "kb", "import", "genai-prices", "--only", "openai", "--as-of", AS_OF, "--format", "json"
    )
    assert code == 0, err
    plan = json.loads(out)
    curated = {(c["model"], c["offering"]) for c in plan["already_curated"]}
    assert curated == {("gpt-5.1", "openai/gpt-5.1"), ("gpt-4o-mini", "openai/gpt-4o-mini")}
    assert plan["providers_created"] == []  # the knowledge base has an `openai` provider
    from llmchoose.loading.knowledge import load_catalog

    catalog = load_catalog()
    imported = [o for o in catalog.offerings.values() if o.imported]
    assert imported and {o.provider for o in imported} == {"openai"}
    assert not any(o.api_model_id in ("gpt-5.1", "gpt-4o-mini") for o in imported)


def test_a_second_import_replaces_the_first(cli, fixture_kb):
    assert cli("kb", "import", "genai-prices", "--only", "openrouter", "--as-of", AS_OF)[0] == 0
    assert (FOLDER / "openrouter.yaml").exists()
    assert cli("kb", "import", "genai-prices", "--only", "groq", "--as-of", AS_OF)[0] == 0
    assert sorted(p.name for p in FOLDER.iterdir()) == ["_shared.yaml", "groq.yaml"]
    assert not [p for p in FOLDER.parent.parent.parent.rglob("*.old")]


def test_dry_run_writes_nothing(cli, fixture_kb):
    code, out, err = cli(
        "kb", "import", "genai-prices", "--only", "groq", "--dry-run", "--as-of", AS_OF
    )
    assert code == 0
    assert "offerings to import" in out
    assert "Dry run: nothing written." in err
    assert not Path(".llmchoose").exists()


def test_a_folder_holding_your_files_is_left_alone(cli, fixture_kb, write_tree):
    write_tree({"mine/notes.yaml": "sources: []\n"})
    code, _, err = cli("kb", "import", "genai-prices", "--output", "mine", "--only", "groq")
    assert code == 2
    assert "mine/notes.yaml: the import folder holds a file llmchoose did not write" in err
    assert sorted(p.name for p in Path("mine").iterdir()) == ["notes.yaml"]


def test_an_unknown_provider_gets_a_suggestion(cli, fixture_kb):
    code, _, err = cli("kb", "import", "genai-prices", "--only", "openroutr")
    assert code == 2
    assert err == "Error: genai-prices has no provider 'openroutr' (did you mean 'openrouter'?)\n"


def test_a_missing_package_names_the_extra(cli, fixture_kb, monkeypatch):
    monkeypatch.setitem(sys.modules, "genai_prices", None)
    code, _, err = cli("kb", "import", "genai-prices")
    assert code == 2
    assert "pip install 'llmchoose[prices]'" in err


def test_a_corrupt_catalogue_writes_nothing(cli, fixture_kb, monkeypatch):
    from genai_prices import data

    provider = data.providers[0]
    broken = dataclasses.replace(
        provider, models=[dataclasses.replace(provider.models[0], context_window=-5)]
    )
    monkeypatch.setattr(data, "providers", [*data.providers[1:], broken])
    code, _, err = cli("kb", "import", "genai-prices", "--as-of", AS_OF)
    assert code == 2
    assert "context_window: expected a positive whole number; nothing was written" in err
    assert not Path(".llmchoose").exists()


def test_imported_files_load_with_the_strict_loader(cli, fixture_kb):
    """No anchors, no duplicate keys, every file under the size limit."""
    from llmchoose.loading.yamlio import MAX_YAML_BYTES

    assert cli("kb", "import", "genai-prices", "--only", "openrouter", "--as-of", AS_OF)[0] == 0
    for path in FOLDER.glob("*.yaml"):
        assert path.stat().st_size < MAX_YAML_BYTES
        text = path.read_text()
        assert text.startswith("# Written by llmchoose kb import")
        assert "&id" not in text and "*id" not in text
        assert isinstance(yaml.safe_load(text), dict)


def test_a_provider_too_big_for_one_file_is_split(cli, fixture_kb, monkeypatch):
    monkeypatch.setattr("llmchoose.kb.kbsync.importer._FILE_LIMIT", 20_000)
    code, out, err = cli(
        "kb", "import", "genai-prices", "--only", "groq", "--as-of", AS_OF, "--format", "json"
    )
    assert code == 0, err
    files = json.loads(out)["files"]
    assert {"groq.yaml", "groq-2.yaml"} <= set(files)
    from llmchoose.loading.knowledge import load_catalog

    catalog = load_catalog()
    imported = [o for o in catalog.offerings.values() if o.imported]
    assert len(imported) == json.loads(out)["imported_offerings"]
    assert "gp.groq" in catalog.sources
