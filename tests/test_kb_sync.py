"""`kb sync prices --from genai-prices`: against the real installed package."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

genai_prices = pytest.importorskip("genai_prices")

SYNC_KB = Path(__file__).resolve().parent / "data" / "sync" / "kb"
AS_OF = "2026-11-28"
OUTPUT = Path(".llmchoose/knowledge/prices/genai-prices.yaml")
VERSION = genai_prices.__version__
SOURCE = f"genai-prices-{VERSION}"

# Offering -> (genai-prices provider, model ref) for the offerings the sync should match.
MATCHED = {
    "openai/gpt-5.1": ("openai", "gpt-5.1"),
    "openai/gpt-4o-mini": ("openai", "gpt-4o-mini"),
    "azure-openai/gpt-5.1": ("azure", "gpt-5.1"),
    "anthropic/claude-sonnet-4.5": ("anthropic", "claude-sonnet-4-5"),
    "anthropic/claude-haiku-4.5": ("anthropic", "claude-haiku-4.5"),
    "groq/llama-3.3-70b-instruct": ("groq", "llama-3.3-70b-versatile"),
    "mistral/mistral-small": ("mistral", "mistral-small-latest"),
    "google-gemini-api/gemini-3.8-flash": ("google", "gemini-3.8-flash"),
}


@pytest.fixture
def cli(run_cli):
    return run_cli


@pytest.fixture
def sync_kb(monkeypatch) -> Path:
    monkeypatch.setenv("LLMCHOOSE_KNOWLEDGE_DIR", str(SYNC_KB))
    return SYNC_KB


@pytest.fixture
def own_kb(monkeypatch, tmp_path) -> Path:
    """A copy of the sync knowledge base that a test may edit."""
    folder = tmp_path / "builtin"
    shutil.copytree(SYNC_KB, folder)
    monkeypatch.setenv("LLMCHOOSE_KNOWLEDGE_DIR", str(folder))
    return folder


def package_price(provider: str, ref: str) -> dict[str, float | None]:
    """The catalogue's standard price per million tokens, through the package's own
    public price calculator (not llmchoose's reader): 1,000 tokens × 1,000."""
    from genai_prices import Usage, calc_price

    when = dt.datetime(2026, 11, 28, 12, tzinfo=dt.timezone.utc)

    def cost(**usage) -> float:
        calc = calc_price(Usage(**usage), ref, provider_id=provider, genai_request_timestamp=when)
        return float(f"{float(calc.total_price * 1000):.10g}")

    cached = cost(input_tokens=1000, cache_read_tokens=1000)
    model = calc_price(Usage(input_tokens=1), ref, provider_id=provider).model
    has_cache = any(
        getattr(p, "cache_read_mtok", None) is not None
        for p in (
            [model.prices]
            if not isinstance(model.prices, list)
            else [c.prices for c in model.prices]
        )
    )
    return {
        "input": cost(input_tokens=1000),
        "output": cost(output_tokens=1000),
        "cached_input": cached if has_cache else None,
    }


def fixture_prices() -> dict[str, dict[str, float | None]]:
    data = yaml.safe_load((SYNC_KB / "all.yaml").read_text())
    return {
        o["id"]: {k: o["price"].get(k) for k in ("input", "output", "cached_input")}
        for o in data["offerings"]
    }


def test_sync_changes_exactly_the_prices_that_differ(cli, sync_kb):
    old = fixture_prices()
    expected = set()
    for offering, (provider, ref) in MATCHED.items():
        new = package_price(provider, ref)
        for field, value in new.items():
            if value is None:
                continue
            if old[offering][field] is None or abs(old[offering][field] - value) > 1e-9:
                expected.add((offering, field, old[offering][field], value))
    assert expected, "the fixture should hold some prices that differ"

    code, out, err = cli("kb", "sync", "prices", "--yes", "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    changes = {(c["offering"], c["field"], c["old"], c["new"]) for c in plan["changes"]}
    changed = {c for c in changes if c[1] in ("input", "output", "cached_input")}
    assert changed == expected
    # The price structure comes over too: the long-prompt tier and the scheduled price.
    assert changes - changed == {
        ("anthropic/claude-sonnet-4.5", "tiers", None, ">200,000: 6/22.5"),
        ("google-gemini-api/gemini-3.8-flash", "price_changes", None, "from 2027-01-01: 1.5/7.5"),
    }
    assert {m["offering"] for m in plan["matched"]} == set(MATCHED)

    from llmchoose.loading.knowledge import load_catalog

    catalog = load_catalog()
    for offering, (provider, ref) in MATCHED.items():
        price = catalog.offerings[offering].price
        record = catalog.offerings[offering]
        for field, value in package_price(provider, ref).items():
            if value is None:
                continue
            assert getattr(price, field) == pytest.approx(value), (offering, field)
            source = record.provenance_of(f"price.{field}").source
            written = (offering, field, old[offering][field], value) in expected
            assert source == (SOURCE if written else "sync-fixture"), (offering, field)
    # Offerings the sync does not match keep their own prices.
    assert catalog.offerings["together/mystery-9b"].price.input == 0.1
    assert catalog.offerings["azure-openai/gpt-5.1-eu"].price.input == 1.375


def test_a_second_sync_changes_nothing(cli, sync_kb):
    assert cli("kb", "sync", "prices", "--yes", "--as-of", AS_OF)[0] == 0
    first = OUTPUT.read_text()
    code, out, err = cli("kb", "sync", "prices", "--yes", "--as-of", "2026-12-01")
    assert code == 0
    assert "No price changes" in out
    assert "up to date; nothing to write" in err
    assert OUTPUT.read_text() == first


def test_the_table_shows_old_new_and_percentage(cli, sync_kb):
    code, out, _ = cli("kb", "sync", "prices", "--dry-run", "--as-of", AS_OF)
    assert code == 0
    row = next(line for line in out.splitlines() if "openai/gpt-4o-mini" in line)
    assert "0.5" in row and "0.6" in row and "+20.0%" in row
    assert "together/mystery-9b" in out and "unmatched" in out
    assert "huggingface/llama-3.3-70b-instruct" in out and "ambiguous" in out
    assert "azure-openai/gpt-5.1-eu" in out and "regional variant" in out


def test_dry_run_writes_nothing(cli, sync_kb):
    code, _, err = cli("kb", "sync", "prices", "--dry-run", "--as-of", AS_OF)
    assert code == 0
    assert "Dry run: nothing written." in err
    assert not OUTPUT.exists()


def test_without_a_terminal_or_yes_it_refuses(cli, sync_kb):
    code, out, err = cli("kb", "sync", "prices", "--as-of", AS_OF)
    assert code == 2
    assert "anthropic/claude-haiku-4.5" in out  # the changes are still shown
    assert err.strip().endswith(
        "Error: not writing without a confirmation, and there is no terminal to ask on "
        "(pass --yes to write, or --dry-run to only show the changes)"
    )
    assert not OUTPUT.exists()


@pytest.mark.parametrize(("answer", "written"), [("y\n", True), ("n\n", False)])
def test_on_a_terminal_it_asks(cli, sync_kb, monkeypatch, answer, written):
    monkeypatch.setattr("llmchoose.cli.kb_maintain._can_prompt", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    code, _, err = cli("kb", "sync", "prices", "--as-of", AS_OF)
    assert code == 0
    assert "Write 12 price change(s) to" in err  # 10 prices, a tier, a scheduled price
    assert OUTPUT.exists() is written


def test_a_mapping_file_settles_unmatched_ambiguous_and_variants(cli, sync_kb, write_tree):
    write_tree(
        {
            "map.yaml": {
                "offerings": {
                    "together/mystery-9b": {"provider": "together", "model": "Qwen/Qwen3.5-9B"},
                    "huggingface/llama-3.3-70b-instruct": {"provider": "huggingface_groq", "model": "meta-llama/Llama-3.3-70B-Instruct"},
                    "azure-openai/gpt-5.1-eu": "skip",
                    "openai/gpt-4o-mini": "skip",
                }
            }
        }
    )  # fmt: skip
    code, out, err = cli(
        "kb",
        "sync",
        "prices",
        "--mapping",
        "map.yaml",
        "--yes",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    assert code == 0, err
    plan = json.loads(out)
    matched = {m["offering"]: m["catalogue"] for m in plan["matched"]}
    assert matched["together/mystery-9b"] == "together/Qwen/Qwen3.5-9B"
    assert (
        matched["huggingface/llama-3.3-70b-instruct"]
        == "huggingface_groq/meta-llama/Llama-3.3-70B-Instruct"
    )
    skipped = {r["offering"]: r["status"] for r in plan["not_synced"]}
    assert skipped == {"azure-openai/gpt-5.1-eu": "skipped", "openai/gpt-4o-mini": "skipped"}
    hf = package_price("huggingface_groq", "meta-llama/Llama-3.3-70B-Instruct")
    changes = {(c["offering"], c["field"]): c["new"] for c in plan["changes"]}
    assert changes[("huggingface/llama-3.3-70b-instruct", "input")] == pytest.approx(hf["input"])
    assert not any(c["offering"] == "openai/gpt-4o-mini" for c in plan["changes"])


def test_a_mapping_naming_a_missing_model_is_reported(cli, sync_kb, write_tree):
    write_tree(
        {
            "map.yaml": {
                "offerings": {"together/mystery-9b": {"provider": "together", "model": "no-such"}}
            }
        }
    )
    code, out, _ = cli(
        "kb",
        "sync",
        "prices",
        "--mapping",
        "map.yaml",
        "--dry-run",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    assert code == 0
    row = next(r for r in json.loads(out)["not_synced"] if r["offering"] == "together/mystery-9b")
    assert row["status"] == "unmatched"
    assert "together/no-such" in row["detail"]


def test_a_bad_mapping_file_names_file_and_line(cli, sync_kb, write_tree):
    write_tree({"map.yaml": "offerings:\n  together/mystery-9b: {provider: together}\n"})
    code, _, err = cli("kb", "sync", "prices", "--mapping", "map.yaml", "--dry-run")
    assert code == 2
    assert err.startswith("Error: map.yaml:2: offerings.together/mystery-9b")


def test_your_own_price_in_the_project_layer_is_left_alone(cli, sync_kb, write_tree):
    write_tree(
        {
            ".llmchoose/knowledge/contract.yaml": {
                "sources": [{"id": "contract", "title": "Our contract", "url": "https://intranet.example.com/c"}],
                "offerings": [{"id": "openai/gpt-4o-mini", "price": {"output": 0.4}, "source": "contract", "as_of": "2026-11-01"}],
            }
        }
    )  # fmt: skip
    code, out, err = cli("kb", "sync", "prices", "--yes", "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    row = next(r for r in plan["not_synced"] if r["offering"] == "openai/gpt-4o-mini")
    assert row["status"] == "overridden" and "contract.yaml" in row["detail"]
    assert not any(c["offering"] == "openai/gpt-4o-mini" for c in plan["changes"])
    from llmchoose.loading.knowledge import load_catalog

    assert load_catalog().offerings["openai/gpt-4o-mini"].price.output == 0.4


def test_an_offering_that_left_the_knowledge_base_drops_out(cli, own_kb):
    assert cli("kb", "sync", "prices", "--yes", "--as-of", AS_OF)[0] == 0
    assert "anthropic/claude-haiku-4.5" in OUTPUT.read_text()
    data = yaml.safe_load((own_kb / "all.yaml").read_text())
    data["offerings"] = [o for o in data["offerings"] if o["id"] != "anthropic/claude-haiku-4.5"]
    (own_kb / "all.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    code, _, err = cli("kb", "sync", "prices", "--yes", "--as-of", AS_OF)
    assert code == 0, err
    assert "no longer in the knowledge base" in err
    assert "anthropic/claude-haiku-4.5" not in OUTPUT.read_text()
    from llmchoose.loading.knowledge import load_catalog

    assert "anthropic/claude-haiku-4.5" not in load_catalog().offerings


def test_a_file_you_wrote_is_never_replaced(cli, sync_kb, write_tree):
    write_tree({"mine.yaml": "offerings: []\n"})
    code, _, err = cli("kb", "sync", "prices", "--output", "mine.yaml", "--yes")
    assert code == 2
    assert "mine.yaml: exists and was not written by llmchoose" in err
    assert Path("mine.yaml").read_text() == "offerings: []\n"


def test_the_shipped_mapping_is_data_and_a_user_file_overrides_it(tmp_path):
    from llmchoose.kb.kbsync.mapping import SHIPPED, load_mapping

    assert SHIPPED.name == "genai_prices_map.yaml" and SHIPPED.is_file()
    shipped = load_mapping()
    assert shipped.providers["azure-openai"] == ["azure"]
    assert shipped.genai_providers_for(
        "huggingface", ["huggingface_groq", "groq", "huggingface_nebius"]
    ) == [
        "huggingface_groq",
        "huggingface_nebius",
    ]
    user = tmp_path / "m.yaml"
    user.write_text("providers:\n  azure-openai: [openai]\n")
    mine = load_mapping(user)
    assert mine.providers["azure-openai"] == ["openai"]
    assert mine.providers["openai"] == ["openai"]  # the rest of the shipped mapping stays


def test_a_missing_package_names_the_extra(cli, sync_kb, monkeypatch):
    monkeypatch.setitem(sys.modules, "genai_prices", None)
    code, out, err = cli("kb", "sync", "prices", "--dry-run")
    assert code == 2
    assert out == ""
    assert err == (
        "Error: the genai-prices package is not installed "
        "(install the 'prices' extra: pip install 'llmchoose[prices]')\n"
    )


def _broken(kind: str):
    from genai_prices import data
    from genai_prices.types import ModelPrice

    provider = next(p for p in data.providers if p.id == "openai")
    model = provider.models[0]
    if kind == "negative":
        bad = dataclasses.replace(
            model, prices=ModelPrice(input_mtok=Decimal("-1"), output_mtok=Decimal("1"))
        )
    elif kind == "text":
        bad = dataclasses.replace(model, prices="cheap")
    else:
        bad = dataclasses.replace(
            model, prices=ModelPrice(input_mtok="1", output_mtok=Decimal("1"))
        )
    return [dataclasses.replace(provider, models=[bad, *provider.models[1:]])]


@pytest.mark.parametrize("kind", ["negative", "text", "string-number", "empty", "not-a-list"])
def test_a_corrupt_catalogue_writes_nothing(cli, sync_kb, monkeypatch, kind):
    from genai_prices import data

    broken = (
        {"empty": [], "not-a-list": "providers"}.get(kind)
        if kind in ("empty", "not-a-list")
        else _broken(kind)
    )
    monkeypatch.setattr(data, "providers", broken)
    code, _, err = cli("kb", "sync", "prices", "--yes", "--as-of", AS_OF)
    assert code == 2
    assert err.startswith(f"Error: unexpected genai-prices {VERSION} catalogue: ")
    assert "nothing was written" in err
    assert not OUTPUT.exists()


def test_the_overlay_cites_the_package_version(cli, sync_kb):
    cli("kb", "sync", "prices", "--yes", "--as-of", AS_OF)
    data = yaml.safe_load(OUTPUT.read_text())
    assert data["sources"][0]["id"] == SOURCE
    assert VERSION in data["sources"][0]["title"]
    assert {o["source"] for o in data["offerings"]} == {SOURCE}
    assert {o["as_of"] for o in data["offerings"]} == {dt.date(2026, 11, 28)}
    assert OUTPUT.read_text().startswith("# Written by llmchoose kb sync prices")


def test_every_offering_of_the_built_in_knowledge_is_accounted_for(cli):
    """On the real knowledge base: each offering is matched, listed as not synced, or
    counted under a provider the mapping does not know; none goes missing."""
    from llmchoose.loading.knowledge import load_catalog

    offerings = [o for o in load_catalog().offerings.values() if not o.imported]
    code, out, err = cli("kb", "sync", "prices", "--dry-run", "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    accounted = (
        len(plan["matched"]) + len(plan["not_synced"]) + sum(plan["unmapped_providers"].values())
    )
    assert accounted == len(offerings)
    assert not OUTPUT.exists()


def test_a_package_whose_types_changed_is_refused(cli, sync_kb, monkeypatch):
    from genai_prices import types

    monkeypatch.delattr(types, "TieredPrices")
    code, _, err = cli("kb", "sync", "prices", "--dry-run")
    assert code == 2
    assert "the package no longer defines TieredPrices; nothing was written" in err


def test_a_scheduled_price_change_is_announced_and_can_be_synced_to(cli, sync_kb):
    code, out, err = cli("kb", "sync", "prices", "--dry-run", "--as-of", AS_OF, "--format", "json")
    assert code == 0
    plan = json.loads(out)
    gemini = next(
        m for m in plan["matched"] if m["offering"] == "google-gemini-api/gemini-3.8-flash"
    )
    assert gemini["price"]["input"] == 0.75  # the introductory price, in force on the as-of date
    assert "scheduled change on 2027-01-01: input $1.5, output $7.5" in gemini["notes"]
    # Prices as on the scheduled day: the knowledge base's regular price already matches.
    code, out, err = cli(
        "kb",
        "sync",
        "prices",
        "--prices-on",
        "2027-01-01",
        "--yes",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    assert code == 0, err
    plan = json.loads(out)
    assert plan["prices_on"] == "2027-01-01" and plan["as_of"] == AS_OF
    assert not any(c["offering"] == "google-gemini-api/gemini-3.8-flash" for c in plan["changes"])
    text = OUTPUT.read_text()
    assert "prices as on 2027-01-01" in text.splitlines()[0]
    assert "as_of: 2026-11-28" in text


def test_tiers_and_scheduled_prices_are_carried_into_the_knowledge_base(cli, sync_kb):
    from genai_prices import Usage, calc_price

    from llmchoose.engine.pricing import request_cost
    from llmchoose.loading.knowledge import load_catalog

    assert cli("kb", "sync", "prices", "--yes", "--as-of", AS_OF)[0] == 0
    catalog = load_catalog()
    sonnet = catalog.offerings["anthropic/claude-sonnet-4.5"]
    assert [t.above_input_tokens for t in sonnet.price.tiers] == [200_000]
    assert sonnet.provenance_of("price.tiers").source == SOURCE
    # Our arithmetic and the package's own calculator agree on both sides of the tier.
    when = dt.datetime(2026, 11, 28, 12, tzinfo=dt.timezone.utc)
    for prompt in (200_000, 200_001):
        theirs = calc_price(
            Usage(input_tokens=prompt, output_tokens=1000),
            "claude-sonnet-4-5",
            provider_id="anthropic",
            genai_request_timestamp=when,
        ).total_price
        ours = request_cost(
            sonnet, input_tokens=prompt, output_tokens=1000, day=dt.date(2026, 11, 28)
        )
        assert ours == pytest.approx(float(theirs)), prompt
    gemini = catalog.offerings["google-gemini-api/gemini-3.8-flash"]
    # Today's (introductory) price as `price`, the regular one as a change from its day.
    assert gemini.price.input == 0.75
    assert [(c.starts, c.price.input) for c in gemini.price_changes] == [(dt.date(2027, 1, 1), 1.5)]


def test_the_table_view_says_how_to_sync_to_a_scheduled_price(cli, sync_kb):
    code, _, err = cli("kb", "sync", "prices", "--dry-run", "--as-of", AS_OF)
    assert code == 0
    assert "To sync to a scheduled price, run with --as-of set to its date." in err
    assert "scheduled change on 2027-01-01: input $1.5, output $7.5" in err
