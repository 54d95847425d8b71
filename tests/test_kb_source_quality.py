"""Source quality in `kb list`, `kb show` and `kb stale`: which facts rest on third-party
copies, which sources contradict each other, and the speed and price structure of
offerings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

FIXTURE = Path(__file__).parent / "data" / "kb" / "all.yaml"


@pytest.fixture
def cli(run_cli):
    return run_cli


@pytest.fixture
def copied_kb(tmp_path, monkeypatch) -> dict:
    """The fixture knowledge base with the price of one offering from a third-party copy,
    two sources that contradict each other, a long-prompt tier and a scheduled price."""
    data = yaml.safe_load(FIXTURE.read_text())
    data["sources"] += [
        {"id": "copy", "title": "A reseller's copy of the price page",
         "url": "https://example.com/copy", "kind": "third-party-copy",
         "note": "Copy of the vendor's price page."},
        {"id": "doc-a", "title": "Docs page A", "url": "https://example.com/a",
         "conflicts_with": ["doc-b"], "note": "Says prompts are stored unless switched off."},
        {"id": "doc-b", "title": "Docs page B", "url": "https://example.com/b",
         "note": "Says prompts are not stored."},
    ]  # fmt: skip
    offering = next(o for o in data["offerings"] if o["id"] == "api-co/big-closed")
    offering["price"]["tiers"] = [
        {"above_input_tokens": 200000, "input": 5.0, "output": 22.5, "cached_input": 0.5}
    ]
    offering["price_changes"] = [
        {"starts": "2027-01-01", "price": {"input": 3.0, "output": 18.0, "cached_input": 0.3}}
    ]
    offering["provenance"] = {"price": {"source": "copy", "as_of": "2026-11-01"}}
    provider = next(p for p in data["providers"] if p["id"] == "host-co")
    provider["provenance"] = {
        "compliance.retention_days": {"source": "doc-a", "as_of": "2026-11-01"}
    }
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "all.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("LLMCHOOSE_KNOWLEDGE_DIR", str(folder))
    return data


def test_stale_counts_facts_on_third_party_copies_and_conflicts(cli, copied_kb):
    code, out, err = cli("kb", "stale", "--as-of", "2026-12-01", "--format", "json")
    assert code == 0, err
    quality = json.loads(out)["source_quality"]
    # The copied price: input, output, cached input and the tier list (one fact).
    assert quality["by_source_kind"]["third-party-copy"] == 4
    assert quality["third_party_share"] == pytest.approx(4 / quality["facts"], abs=1e-4)
    assert quality["facts_on_conflicting_sources"] == 1
    assert quality["conflicts"] == [
        {"source": "doc-a", "conflicts_with": ["doc-b"],
         "note": "Says prompts are stored unless switched off."}
    ]  # fmt: skip
    code, _, err = cli("kb", "stale", "--as-of", "2026-12-01")
    assert "rest on third-party copies" in err
    assert "doc-a vs doc-b" in err


def test_list_and_show_give_the_share_resting_on_copies(cli, copied_kb):
    code, out, _ = cli("kb", "list", "--kind", "offerings", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert 0 < rows["api-co/big-closed"]["third_party_share"] < 1
    assert rows["api-co/small-closed"]["third_party_share"] == 0
    code, out, _ = cli("kb", "show", "api-co/big-closed", "--format", "json")
    facts = {f["field"]: f for f in json.loads(out)[0]["facts"]}
    assert facts["price.input"]["source_kind"] == "third-party-copy"
    assert facts["regions"]["source_kind"] == "vendor"
    code, out, _ = cli("kb", "show", "host-co", "--format", "json")
    facts = {f["field"]: f for f in json.loads(out)[0]["facts"]}
    assert facts["compliance.retention_days"]["conflicts_with"] == ["doc-b"]
    code, out, _ = cli("kb", "show", "host-co")
    assert code == 0
    assert "doc-a (contradicted by doc-b)" in " ".join(out.split())


def test_offerings_list_shows_speed_tiers_and_scheduled_prices(cli, copied_kb):
    code, out, _ = cli("kb", "list", "--kind", "offerings", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)}
    big = rows["api-co/big-closed"]
    assert (big["output_tokens_per_s"], big["ttft_s"]) == (80, 0.8)
    assert (big["speed_basis"], big["speed_method"], big["speed_measured"]) == (
        "measured", "independent", "2026-10-30",
    )  # fmt: skip
    assert big["tiers"] == [
        {"above_input_tokens": 200000, "input": 5.0, "output": 22.5, "cached_input": 0.5}
    ]
    assert big["price_changes"][0]["starts"] == "2027-01-01"
    assert rows["host-co/open-70b"]["speed_basis"] is None
    code, out, _ = cli("kb", "list", "--kind", "offerings")
    assert code == 0
    # Table cells wrap, so look for the pieces of each short form.
    assert ">200000:" in out and "5/22.5" in out
    assert "3/18" in out


def test_the_report_counts_uses_resting_on_copies_and_names_contradictions(copied_kb, tmp_path):
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.report.sources import _contradicted_by, source_quality

    catalog = load_catalog()
    # Either side of a declared conflict learns of the other.
    assert _contradicted_by(catalog, "doc-a") == ["doc-b"]
    assert _contradicted_by(catalog, "doc-b") == ["doc-a"]
    assert _contradicted_by(catalog, "fixture") == []
    sources = [
        {"id": "copy", "kind": "third-party-copy", "uses": 3, "conflicts_with": []},
        {"id": "fixture", "kind": "vendor", "uses": 9, "conflicts_with": []},
        {"id": "doc-b", "kind": "vendor", "uses": 0, "conflicts_with": ["doc-a"]},
    ]
    assert source_quality(sources) == {
        "third_party_share": 0.25,
        "third_party_sources": 1,
        "contradicted_sources": ["doc-b"],
    }
